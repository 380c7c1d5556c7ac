#include "views/charts/metricaxes.h"

#include "core/explore/designspace.h"
#include "core/explore/pareto.h"
#include "views/charts/chartstyle.h"
#include "views/charts/paretochart.h"
#include "views/results/units.h"

#include <QLocale>
#include <QObject>
#include <QStringList>

#include <algorithm>
#include <cmath>
#include <limits>

namespace cdx {

namespace {

/// An SI prefix for `unit` so that maxAbs * *scale lies in 1..1000.
QString prefixed(double maxAbs, const QString& unit, double* scale)
{
    static const char* const prefixes[] = {"p", "n", "µ", "m", "", "k", "M", "G", "T", "P"};
    int exponent = 0;
    if (maxAbs > 0 && std::isfinite(maxAbs))
        exponent = std::clamp(static_cast<int>(std::floor(std::log10(maxAbs) / 3)), -4, 5);
    *scale = std::pow(1000.0, -exponent);
    return QString::fromUtf8(prefixes[exponent + 4]) + unit;
}

}  // namespace

QString groupedCount(double n)
{
    return QLocale(QLocale::English, QLocale::UnitedStates).toString(static_cast<qlonglong>(std::llround(n)));
}

QString metricLabel(Metric metric)
{
    switch (metric) {
    case Metric::EnergyPj: return QObject::tr("energy");
    case Metric::LatencyS: return QObject::tr("latency");
    case Metric::PowerW: return QObject::tr("power");
    case Metric::EdpJs: return QObject::tr("energy-delay product");
    case Metric::AreaMm2: return QObject::tr("area");
    case Metric::Lut: return QObject::tr("LUTs");
    case Metric::Ff: return QObject::tr("flip-flops");
    case Metric::Dsp: return QObject::tr("DSPs");
    case Metric::Bram36: return QObject::tr("BRAM36 blocks");
    case Metric::Uram: return QObject::tr("URAM blocks");
    case Metric::AccuracyDropPp: return QObject::tr("accuracy drop");
    case Metric::MemoryBytes: return QObject::tr("weight memory");
    case Metric::OpsPerS: return QObject::tr("throughput");
    case Metric::TopsPerW: return QObject::tr("efficiency");
    case Metric::Utilization: return QObject::tr("utilization");
    case Metric::Count: break;
    }
    return QString::fromUtf8(metricName(metric).data(), static_cast<qsizetype>(metricName(metric).size()));
}

AxisUnit axisUnit(Metric metric, double maxAbs)
{
    AxisUnit u;
    const QString label = metricLabel(metric);
    auto with = [&](const QString& unit) { return QStringLiteral("%1 (%2)").arg(label, unit); };
    switch (metric) {
    case Metric::EnergyPj: u.title = with(chartstyle::energyUnit(maxAbs, &u.scale)); break;
    case Metric::LatencyS: u.title = with(chartstyle::timeUnit(maxAbs, &u.scale)); break;
    case Metric::PowerW: u.title = with(prefixed(maxAbs, QStringLiteral("W"), &u.scale)); break;
    case Metric::EdpJs: u.title = with(prefixed(maxAbs, QStringLiteral("J·s"), &u.scale)); break;
    case Metric::AreaMm2: u.title = with(QStringLiteral("mm²")); break;
    case Metric::Lut:
    case Metric::Ff:
    case Metric::Dsp:
    case Metric::Bram36:
    case Metric::Uram:
        if (maxAbs >= 1e4) {
            u.scale = 1e-3;
            u.title = with(QObject::tr("thousands"));
        } else {
            u.title = label;
        }
        break;
    case Metric::AccuracyDropPp: u.title = with(QObject::tr("pp")); break;
    case Metric::MemoryBytes: u.title = with(prefixed(maxAbs, QStringLiteral("B"), &u.scale)); break;
    case Metric::OpsPerS: u.title = with(prefixed(maxAbs, QStringLiteral("OPS"), &u.scale)); break;
    case Metric::TopsPerW: u.title = with(QStringLiteral("TOPS/W")); break;
    case Metric::Utilization:
        u.scale = 100;
        u.title = with(QStringLiteral("%"));
        break;
    case Metric::Count: u.title = label; break;
    }
    return u;
}

QString formatMetric(Metric metric, double v)
{
    switch (metric) {
    case Metric::EnergyPj: return units::joules(v * 1e-12);
    case Metric::LatencyS: return units::seconds(v);
    case Metric::PowerW: return units::watts(v);
    case Metric::EdpJs: return units::engineering(v, QStringLiteral("J·s"));
    case Metric::AreaMm2: return QStringLiteral("%1 mm²").arg(v, 0, 'g', 4);
    case Metric::Lut:
    case Metric::Ff:
    case Metric::Dsp:
    case Metric::Bram36:
    case Metric::Uram: return groupedCount(v);
    case Metric::AccuracyDropPp: return QStringLiteral("%1 pp").arg(v, 0, 'g', 3);
    case Metric::MemoryBytes: return units::engineering(v, QStringLiteral("B"));
    case Metric::OpsPerS: return units::ops(v);
    case Metric::TopsPerW: return QStringLiteral("%1 TOPS/W").arg(v, 0, 'g', 3);
    case Metric::Utilization: return QStringLiteral("%1 %").arg(v * 100, 0, 'f', 1);
    case Metric::Count: break;
    }
    return QString::number(v);
}

/// Decades spanned by the positive values of `metric` (0 when one is not positive or there are none).
double decades(const std::vector<Evaluation>& points, const std::optional<MetricValues>& current, Metric metric)
{
    const auto index = static_cast<std::size_t>(metric);
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    auto include = [&](double v) {
        if (!std::isfinite(v))
            return true;
        if (v <= 0)
            return false;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        return true;
    };
    for (const Evaluation& e : points)
        if (e.estimated && !include(e.metrics[index]))
            return 0;
    if (current && !include((*current)[index]))
        return 0;
    return hi > 0 && std::isfinite(lo) ? std::log10(hi / lo) : 0;
}

bool wantsLogAxes(const std::vector<Evaluation>& points, const std::optional<MetricValues>& current, Metric x, Metric y)
{
    return decades(points, current, x) > 2 || decades(points, current, y) > 2;
}

ParetoPlot paretoPlot(const std::vector<Evaluation>& points, Metric mx, Metric my, const std::optional<MetricValues>& current, bool log)
{
    const auto ix = static_cast<std::size_t>(mx), iy = static_cast<std::size_t>(my);
    double maxX = 0, maxY = 0;
    for (const Evaluation& e : points)
        if (e.estimated) {
            if (std::isfinite(e.metrics[ix]))
                maxX = std::max(maxX, std::abs(e.metrics[ix]));
            if (std::isfinite(e.metrics[iy]))
                maxY = std::max(maxY, std::abs(e.metrics[iy]));
        }
    if (current) {
        maxX = std::max(maxX, std::abs((*current)[ix]));
        maxY = std::max(maxY, std::abs((*current)[iy]));
    }
    const AxisUnit ux = axisUnit(mx, maxX), uy = axisUnit(my, maxY);
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    ParetoPlot plot;
    plot.points.reserve(points.size());
    plot.feasible.reserve(points.size());
    for (const Evaluation& e : points) {
        if (e.estimated)
            plot.points.emplace_back(e.metrics[ix] * ux.scale, e.metrics[iy] * uy.scale);
        else
            plot.points.emplace_back(nan, nan);  // no estimate: nothing to plot
        plot.feasible.push_back(e.feasible);
    }
    plot.xTitle = ux.title;
    plot.yTitle = uy.title;
    plot.logX = log && decades(points, current, mx) >= 1;
    plot.logY = log && decades(points, current, my) >= 1;
    if (current)
        plot.current = QPointF((*current)[ix] * ux.scale, (*current)[iy] * uy.scale);
    return plot;
}

void plotPareto(ParetoChart& chart, const DesignSpace& space, const std::vector<Evaluation>& points, const std::vector<std::size_t>& front,
                Metric x, Metric y, const std::optional<MetricValues>& current, std::optional<bool> log)
{
    const ParetoPlot plot = paretoPlot(points, x, y, current, log.value_or(wantsLogAxes(points, current, x, y)));
    const auto maximised = [&](Metric m) {
        for (const Objective& o : space.objectives())
            if (o.metric == m)
                return o.maximise;
        return metricPrefersLarger(m);
    };
    std::vector<int> ids;
    for (std::size_t i : front)
        ids.push_back(static_cast<int>(i));
    chart.setAxisTitles(plot.xTitle, plot.yTitle);
    chart.setLogAxes(plot.logX, plot.logY);
    chart.setPoints(plot.points, plot.feasible);
    chart.setDirections(maximised(x), maximised(y));
    chart.setFront(ids);
    chart.setCurrent(plot.current);
    // The front is the objectives': when they are not the two metrics plotted, the legend says
    // which, so a front point that looks beaten in this view is not a surprise.
    QStringList objectives;
    bool plottedOnly = space.objectives().size() <= 2;
    for (const Objective& o : space.objectives()) {
        objectives << metricLabel(o.metric);
        plottedOnly = plottedOnly && (o.metric == x || o.metric == y);
    }
    chart.setFrontTitle(plottedOnly || objectives.isEmpty() ? QObject::tr("Pareto front")
                                                            : QObject::tr("Pareto front of %1").arg(objectives.join(QStringLiteral(", "))));
}

}  // namespace cdx
