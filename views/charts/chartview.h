#pragma once

#include <QChartView>
#include <QPointer>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

class QAbstractBarSeries;
class QAbstractSeries;
class QBarSet;
class QCategoryAxis;
class QGraphicsSimpleTextItem;

namespace cdx {

struct NetworkResult;

/// The base of the result charts: antialiased, no rubber band, a light or dark theme, a
/// placeholder text while there is nothing to draw, export to PNG/SVG/PDF. Subclasses fill a
/// fresh chart from a NetworkResult in buildChart(); the view keeps a copy of the result to
/// redraw when the theme changes.
class ChartView : public QChartView {
    Q_OBJECT

public:
    explicit ChartView(QWidget* parent = nullptr);
    ~ChartView() override;

    /// Draws `result` and reapplies the selected layer: new values in the chart shown when
    /// updateChart() can, else a new chart.
    void setResult(const NetworkResult& result);
    /// The same, sharing `result` (the document's estimates are shared and never change).
    void setResult(std::shared_ptr<const NetworkResult> result);
    /// How many times a result was drawn by updating the chart shown rather than by a new one.
    int updatesInPlace() const { return updatesInPlace_; }
    /// Forgets the result and shows the "no data" placeholder.
    void clearResult();
    /// The result drawn, or null.
    const NetworkResult* result() const { return result_.get(); }
    /// Highlights the named layer's bar or point (empty clears). The base only remembers it.
    virtual void setSelectedLayer(const QString& layer);
    QString selectedLayer() const { return selectedLayer_; }
    /// Redraws with the dark or the light chart theme.
    void setDark(bool dark);
    bool isDark() const { return dark_; }
    /// The text shown instead of a chart ("No data"); empty while a chart shows.
    QString placeholderText() const { return placeholder_; }
    /// The layer names along the x axis of a per-layer chart, in order (empty otherwise).
    QStringList layerNames() const { return layerNames_; }
    /// Writes the chart by the path's suffix (exportChart()); empty on success, else the error.
    QString exportTo(const QString& path, QSize size = {});

signals:
    /// A bar or point of a layer was clicked.
    void layerClicked(const QString& layer);

protected:
    /// Fills `chart` (fresh, themed, in the view) from `result`. Returns a text to show instead
    /// of the chart when there is nothing to draw, else an empty string.
    virtual QString buildChart(QChart* chart, const NetworkResult& result) = 0;
    /// Shows `result` in `chart`, which buildChart() filled from an earlier result, when only
    /// the values differ (the same layers and series); returns false to have a new chart built.
    /// A new chart costs a new scene, the layout of every axis label and the deletion of the
    /// old one: about 15 ms for ResNet-50's energy chart, where new values cost well under one.
    virtual bool updateChart(QChart* chart, const NetworkResult& result);

    /// A per-layer x axis for `series` (bars at 0..n-1) that labels every layer when the names
    /// fit, else turns them upright and labels every Nth so they never overlap.
    void attachLayerAxis(QChart* chart, QAbstractSeries* series, const QStringList& layers);
    /// Clicks on a bar emit layerClicked(); hovering shows toolTip(index, set).
    void connectLayerBars(QAbstractBarSeries* series, std::function<QString(int, QBarSet*)> toolTip);
    /// Selects the named layer's bar in every set of `series` (see connectLayerBars).
    void selectLayerBars(QAbstractBarSeries* series, const QString& layer);
    /// Shows `text` as a tool tip at the mouse; an empty text hides it.
    void showToolTip(const QString& text);
    /// Draws the result again in a fresh chart (after a change of how a subclass shows it).
    void rebuild();

private:
    void updateLayerLabels();
    void placePlaceholder();
    void fitLegend();

    std::shared_ptr<const NetworkResult> result_;
    QString selectedLayer_;
    bool dark_ = false;
    QString placeholder_;
    QGraphicsSimpleTextItem* placeholderItem_ = nullptr;
    QStringList layerNames_;
    QPointer<QCategoryAxis> layerAxis_;
    int labelStride_ = 0;
    bool labelsUpright_ = false;
    int updatesInPlace_ = 0;
};

}  // namespace cdx
