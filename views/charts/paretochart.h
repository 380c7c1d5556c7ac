#pragma once

#include "views/charts/cloudrenderer.h"
#include "views/charts/paretopoints.h"
#include "views/charts/pointhitindex.h"

#include <QChartView>
#include <QPointF>
#include <QString>

#include <cstddef>
#include <optional>
#include <vector>

class QAbstractAxis;
class QLineSeries;
class QScatterSeries;

namespace cdx {

/// A scatter plot of design points for the Pareto explorer: every point (infeasible ones faint
/// grey, feasible ones in the mid colour), the front in bold joined by a step line, the current
/// design as a large star and a ring round the hovered point. Holds plain data only: the owner
/// maps its points to chart values and provides the tooltip text.
///
/// The cloud (infeasible and feasible points) is splatted into an image under the series:
/// about 7 ms a frame at 100,000 points, on every platform. OpenGL-accelerated QScatterSeries
/// can be switched on with setOpenGLAllowed() for clouds of more than kOpenGLThreshold points,
/// but Qt Charts 6.4 draws them in a widget above every other series, in an order of its own
/// (the front is moved there too, the current-design star and the hover ring stay below), and
/// without a context (offscreen, minimal) QChartView crashes on its first flush, so it is off
/// by default and never used when openGLAvailable() is false. Left (or middle) drag pans, the
/// wheel zooms round the cursor (Shift: x only, Ctrl: y only), double-click or R resets the
/// view. Hit testing uses an x-sorted index, so hovering stays fast with many points.
///
/// The chart holds the series, the axes and the interaction; the points and their mapping live
/// in ParetoPoints, the hit-test index in PointHitIndex and the cloud's drawing in CloudRenderer.
class ParetoChart : public QChartView {
    Q_OBJECT

public:
    /// Above this many points the cloud uses OpenGL series, when allowed and available.
    static constexpr std::size_t kOpenGLThreshold = 5000;

    explicit ParetoChart(QWidget* parent = nullptr);
    ~ParetoChart() override;

    /// Every point in chart values (index = point id) and whether it is feasible. Points with
    /// a non-finite coordinate (or a non-positive one on a log axis) are not drawn. Keeps the
    /// view the user panned or zoomed to; otherwise fits the points.
    void setPoints(const std::vector<QPointF>& all, const std::vector<bool>& feasible);
    /// The front: ids into the points, drawn highlighted and joined by a step line sorted by x.
    void setFront(const std::vector<int>& ids);
    /// Which way each axis improves (the staircase through the plotted view's best points).
    void setDirections(bool maximiseX, bool maximiseY);
    /// The current design, drawn as a large star (none: hidden).
    void setCurrent(std::optional<QPointF> point);
    void setAxisTitles(const QString& x, const QString& y);
    /// Logarithmic axes; an axis with a non-positive value stays linear.
    void setLogAxes(bool logX, bool logY);
    void setDark(bool dark);
    /// The front's legend entry ("Pareto front of energy, latency, area"), followed by its count.
    void setFrontTitle(const QString& title);

    /// Pans as a drag by `pixels` would (the points follow the offset).
    void panBy(QPointF pixels);
    /// Fits the view to every point and the current design.
    void resetView();
    /// Whether OpenGL series may be used for clouds of more than kOpenGLThreshold points
    /// (default: no; even when allowed, only where openGLAvailable()).
    void setOpenGLAllowed(bool allowed);
    /// Whether the cloud is drawn by OpenGL series right now.
    bool usesOpenGL() const;
    /// Whether this process can create an OpenGL context (checked once).
    static bool openGLAvailable();

    /// The id of the drawn point nearest to `viewPos` (viewport pixels) within `radius` pixels, or -1.
    int pointAt(QPoint viewPos, double radius = 8) const;
    std::size_t pointCount() const { return data_.size(); }
    const std::vector<int>& front() const { return data_.front(); }

signals:
    /// The mouse moved onto point `id` (-1: off every point, or left the chart).
    void pointHovered(int id);
    void pointClicked(int id);

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void leaveEvent(QEvent* event) override;

private:
    using Mapping = ParetoPoints::Mapping;

    void buildAxes();
    void rebuildCloud();
    void rebuildFront();
    void rebuildCurrent();
    void applyColors();
    void updateLegend();
    void setHovered(int id);
    void fitRanges();
    void updateTicks();
    Mapping mapping() const;
    void paintCloud(QPainter* painter);
    void markUserView();

    ParetoPoints data_;
    PointHitIndex hitIndex_{data_};
    CloudRenderer cloud_;

    QScatterSeries* infeasibleSeries_ = nullptr;
    QScatterSeries* feasibleSeries_ = nullptr;
    QLineSeries* frontLine_ = nullptr;
    QScatterSeries* frontSeries_ = nullptr;
    QScatterSeries* currentSeries_ = nullptr;
    QScatterSeries* hoverSeries_ = nullptr;
    QAbstractAxis* axisX_ = nullptr;
    QAbstractAxis* axisY_ = nullptr;
    QGraphicsItem* cloudItem_ = nullptr;

    QString titleX_;
    QString titleY_;
    QString frontTitle_;
    bool dark_ = false;
    bool openGLAllowed_ = false;
    bool useOpenGL_ = false;
    bool userView_ = false;  ///< panned or zoomed since the last fit: new points keep the view

    int hovered_ = -1;
    bool pressed_ = false;
    bool dragging_ = false;
    bool suppressClick_ = false;
    QPoint pressPos_;
    QPoint lastPos_;
};

}  // namespace cdx
