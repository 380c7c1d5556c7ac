#pragma once
// The data behind ParetoChart: every design point with its feasibility, the front, the
// directions and the log axes, the points as drawn (transformed) and the data-to-pixel mapping
// of the plot area. Plain data, no widgets.
#include <QList>
#include <QPointF>
#include <QRectF>

#include <cstddef>
#include <optional>
#include <vector>

namespace cdx {

class ParetoPoints {
public:
    /// The plot area's mapping from transformed values to chart coordinates.
    struct Mapping {
        QRectF plot;
        double x0 = 0, x1 = 1, y0 = 0, y1 = 1;  ///< axis ranges, transformed (log10 on a log axis)
        bool valid = false;

        /// Chart coordinates of a transformed value.
        QPointF toPixel(double tx, double ty) const
        {
            return {plot.left() + (tx - x0) / (x1 - x0) * plot.width(), plot.bottom() - (ty - y0) / (y1 - y0) * plot.height()};
        }
        /// The transformed x value at chart x coordinate `px`.
        double xAt(double px) const { return x0 + (px - plot.left()) / plot.width() * (x1 - x0); }
    };

    /// The axis ranges (in chart values) that fit every drawable point and the current design.
    struct Ranges {
        double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
    };

    /// The front as drawn: its markers sorted along x, and the staircase through its best points.
    struct FrontShape {
        QList<QPointF> markers;
        QList<QPointF> steps;
    };

    /// `value` as drawn on an axis: log10 on a log axis; NaN where it cannot be drawn.
    static double transformed(double value, bool log);

    /// Every point (index = point id) and whether it is feasible (missing flags: infeasible).
    void setPoints(const std::vector<QPointF>& all, const std::vector<bool>& feasible);
    void setFront(const std::vector<int>& ids) { front_ = ids; }
    void setDirections(bool maximiseX, bool maximiseY);
    void setCurrent(std::optional<QPointF> point) { current_ = point; }
    /// The wanted log axes; an axis with a non-positive value stays linear. Returns whether the
    /// effective log axes changed.
    bool setLogAxes(bool logX, bool logY);

    std::size_t size() const { return points_.size(); }
    const QPointF& at(int id) const { return points_[static_cast<std::size_t>(id)]; }
    bool feasible(int id) const { return feasible_[static_cast<std::size_t>(id)]; }
    /// Whether point `id` is drawn on the front (as of the last rebuildFront()).
    bool onFront(int id) const { return onFront_[static_cast<std::size_t>(id)] != 0; }
    const std::vector<int>& front() const { return front_; }
    const std::optional<QPointF>& current() const { return current_; }
    bool wantLogX() const { return wantLogX_; }
    bool wantLogY() const { return wantLogY_; }
    bool logX() const { return logX_; }
    bool logY() const { return logY_; }

    /// Whether `p` can be drawn: finite, and positive on a log axis.
    bool drawable(QPointF p) const;

    /// Transforms the drawable points again (after new points or log axes).
    void rebuildLayers();
    /// The drawable feasible points, transformed (log10 on a log axis).
    const std::vector<QPointF>& feasibleT() const { return feasibleT_; }
    const std::vector<QPointF>& infeasibleT() const { return infeasibleT_; }
    std::size_t feasibleCount() const { return feasibleT_.size(); }
    std::size_t infeasibleCount() const { return infeasibleT_.size(); }

    /// Marks the drawable front points and returns the front's shape.
    FrontShape rebuildFront();

    /// The axis ranges that fit the drawable points and the current design, with a margin.
    Ranges fittedRanges() const;

    /// The mapping of `plot` showing the axis ranges [xMin, xMax] and [yMin, yMax] (chart values).
    Mapping mapping(const QRectF& plot, double xMin, double xMax, double yMin, double yMax) const;

private:
    std::vector<QPointF> points_;
    std::vector<bool> feasible_;
    std::vector<int> front_;
    bool maximiseX_ = false;
    bool maximiseY_ = false;
    std::vector<char> onFront_;         ///< per point: drawn on the front
    std::vector<QPointF> feasibleT_;    ///< the drawable feasible points, transformed (log10 on a log axis)
    std::vector<QPointF> infeasibleT_;
    std::optional<QPointF> current_;
    bool wantLogX_ = false;
    bool wantLogY_ = false;
    bool logX_ = false;
    bool logY_ = false;
};

}  // namespace cdx
