#include "views/charts/latencychart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"
#include "views/results/units.h"

namespace cdx {

LatencyChart::LatencyChart(QWidget* parent) : StackedLayerChart(parent) {}

StackedLayerChart::Table LatencyChart::tabulate(const NetworkResult& result) const
{
    TableBuilder table;
    for (const LayerResult& workload : result.layers) {
        table.layer(QString::fromStdString(workload.layer.empty() ? workload.name : workload.layer));
        if (workload.latencyS > 0)
            table.add(workload.bound.empty() ? QStringLiteral("unknown") : QString::fromStdString(workload.bound), workload.latencyS);
    }
    return table.finish();
}

QString LatencyChart::emptyText() const
{
    return tr("No layer of this result takes any time");
}

QString LatencyChart::seriesLabel(const QString& name) const
{
    return tr("bound: %1").arg(name);
}

QString LatencyChart::unitFor(double max, double* scale) const
{
    return chartstyle::timeUnit(max, scale);
}

QString LatencyChart::axisTitle() const
{
    return tr("Latency (%1)").arg(unit());
}

QString LatencyChart::chartTitle(const NetworkResult& result, const Table& table) const
{
    QString title = tr("Latency: %1").arg(units::seconds(result.latencyS));
    if (result.pipelined)
        title += tr(", one inference every %1").arg(units::seconds(result.intervalS));
    QString note = tr("%1 layers, coloured by what bounds them").arg(table.layers.size());
    if (table.omitted > 0)
        note += tr("; %1 taking no time not shown").arg(table.omitted);
    return chartstyle::titleWithNote(title, note);
}

QString LatencyChart::barToolTip(const Table& table, std::size_t series, std::size_t layer) const
{
    const double s = table.values[series][layer];
    const QString name = table.layers.value(static_cast<qsizetype>(layer)).toHtmlEscaped();
    const QString bound = table.series.value(static_cast<qsizetype>(series)).toHtmlEscaped();
    if (s >= 0.999 * table.totals[layer])
        return tr("<b>%1</b><br>%2, bound by %3").arg(name, units::seconds(s), bound);
    return tr("<b>%1</b><br>%2 bound by %3, of the layer's %4").arg(name, units::seconds(s), bound, units::seconds(table.totals[layer]));
}

}  // namespace cdx
