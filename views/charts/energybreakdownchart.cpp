#include "views/charts/energybreakdownchart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"
#include "views/results/units.h"

#include <numeric>

namespace cdx {

EnergyBreakdownChart::EnergyBreakdownChart(QWidget* parent) : StackedLayerChart(parent) {}

StackedLayerChart::Table EnergyBreakdownChart::tabulate(const NetworkResult& result) const
{
    TableBuilder table;
    for (const LayerResult& workload : result.layers) {
        table.layer(QString::fromStdString(workload.layer.empty() ? workload.name : workload.layer));
        for (const auto& [component, pj] : workload.energyBreakdownPj)
            table.add(QString::fromStdString(component), pj);
    }
    // Fused batch norms, flattens and the like have no energy: left out.
    return table.finish();
}

QString EnergyBreakdownChart::emptyText() const
{
    return tr("No layer of this result has an energy estimate");
}

QString EnergyBreakdownChart::unitFor(double max, double* scale) const
{
    return chartstyle::energyUnit(max, scale);
}

QString EnergyBreakdownChart::axisTitle() const
{
    return tr("Energy (%1)").arg(unit());
}

QString EnergyBreakdownChart::chartTitle(const NetworkResult& result, const Table& table) const
{
    const double totalPj = std::accumulate(table.totals.begin(), table.totals.end(), 0.0);
    QString note = tr("%1 layers").arg(table.layers.size());
    if (table.omitted > 0)
        note += tr("; %1 without energy not shown").arg(table.omitted);
    // What no layer owns: an FPGA's static power, and the physical model's clock tree and
    // control (ASIC), drawn over the whole inference.
    const double wholePj = result.energyPj - totalPj;
    if (wholePj > 1e-6 * result.energyPj)
        note += result.physicalPowerW > 0 && result.staticPowerW > 0 ? tr("; plus %1 of static power, clock tree and control").arg(units::joules(wholePj * 1e-12))
                : result.physicalPowerW > 0 ? tr("; plus %1 of clock tree and control").arg(units::joules(wholePj * 1e-12))
                                            : tr("; plus %1 static energy over the inference").arg(units::joules(wholePj * 1e-12));
    return chartstyle::titleWithNote(tr("Energy by component: %1").arg(units::joules(totalPj * 1e-12)), note);
}

QString EnergyBreakdownChart::barToolTip(const Table& table, std::size_t series, std::size_t layer) const
{
    const double pj = table.values[series][layer];
    const double layerPj = table.totals[layer];
    return tr("<b>%1</b><br>%2: %3 (%4% of the layer)<br>layer: %5")
        .arg(table.layers.value(static_cast<qsizetype>(layer)).toHtmlEscaped(),
             table.series.value(static_cast<qsizetype>(series)).toHtmlEscaped(), units::joules(pj * 1e-12))
        .arg(layerPj > 0 ? 100 * pj / layerPj : 0, 0, 'f', 1)
        .arg(units::joules(layerPj * 1e-12));
}

}  // namespace cdx
