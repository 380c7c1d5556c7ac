#pragma once

// Metrics on chart axes: labels, units with SI prefixes, values as text, and the points of a
// Pareto plot (the explorer panel's chart and cdx chart --kind pareto draw the same).

#include "core/explore/metric.h"
#include "core/explore/searchstrategy.h"

#include <QPointF>
#include <QString>

#include <optional>
#include <vector>

namespace cdx {

class DesignSpace;
class ParetoChart;

/// "energy", "latency", ...: a metric as a person reads it.
QString metricLabel(Metric metric);
/// A metric's value with its unit: "12.3 µJ", "4.56 ms", "1,234".
QString formatMetric(Metric metric, double value);
/// A count with thousands separators: "12,345".
QString groupedCount(double n);

/// An axis title with its unit, and the factor from the metric's value to the chart's.
struct AxisUnit {
    QString title;
    double scale = 1;
};
/// The unit for an axis whose largest magnitude is `maxAbs`.
AxisUnit axisUnit(Metric metric, double maxAbs);

/// Decades spanned by the positive values of `metric` (0 when one is not positive or there are none).
double decades(const std::vector<Evaluation>& points, const std::optional<MetricValues>& current, Metric metric);
/// Whether a plot of x against y reads better on log axes (either spans more than two decades).
bool wantsLogAxes(const std::vector<Evaluation>& points, const std::optional<MetricValues>& current, Metric x, Metric y);

/// The points of a Pareto plot of `x` against `y`, in the axes' units: unestimated points are
/// NaN (not drawn); log axes where `log` asks and the values span a decade or more.
struct ParetoPlot {
    std::vector<QPointF> points;
    std::vector<bool> feasible;
    QString xTitle, yTitle;
    bool logX = false, logY = false;
    std::optional<QPointF> current;
};
ParetoPlot paretoPlot(const std::vector<Evaluation>& points, Metric x, Metric y, const std::optional<MetricValues>& current, bool log);

/// Draws `points` on `chart`, the one way the explorer panel, cdx chart and the report all draw
/// them: in the metrics' units, on log axes when `log` says (unset: when a metric spans more
/// than two decades), each axis improving the way the space's objective on it says, the current
/// design marked, and `front` highlighted. `front` is the search's front (feasibleFront: the
/// feasible points no other beats in every objective, as front.json holds it), not a front of
/// the two metrics plotted, so every view marks the same points. Keeps a view the user panned
/// or zoomed to; resetView() fits a new chart.
void plotPareto(ParetoChart& chart, const DesignSpace& space, const std::vector<Evaluation>& points, const std::vector<std::size_t>& front,
                Metric x, Metric y, const std::optional<MetricValues>& current, std::optional<bool> log = std::nullopt);

}  // namespace cdx
