#include "views/charts/energybreakdownchart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"
#include "views/results/units.h"

#include <QBarSet>
#include <QChart>
#include <QHash>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <numeric>
#include <vector>

namespace cdx {

/// Energy by component and layer, both in first-appearance order; layers without energy dropped.
struct EnergyBreakdownChart::Table {
    QStringList layers;
    QStringList components;
    std::vector<std::vector<double>> pj;  ///< [component][layer]
    std::vector<double> totals;           ///< [layer]
    int omitted = 0;
};

EnergyBreakdownChart::Table EnergyBreakdownChart::tabulate(const NetworkResult& result)
{
    QStringList layers;
    QHash<QString, int> layerIndex;
    Table table;
    QHash<QString, int> componentIndex;
    for (const LayerResult& workload : result.layers) {
        const QString layer = QString::fromStdString(workload.layer.empty() ? workload.name : workload.layer);
        if (!layerIndex.contains(layer)) {
            layerIndex.insert(layer, static_cast<int>(layers.size()));
            layers.append(layer);
            for (auto& row : table.pj)
                row.push_back(0);
        }
        for (const auto& [name, pj] : workload.energyBreakdownPj) {
            const QString component = QString::fromStdString(name);
            if (!componentIndex.contains(component)) {
                componentIndex.insert(component, static_cast<int>(table.components.size()));
                table.components.append(component);
                table.pj.emplace_back(static_cast<std::size_t>(layers.size()), 0.0);
            }
            table.pj[static_cast<std::size_t>(componentIndex[component])][static_cast<std::size_t>(layerIndex[layer])] += pj;
        }
    }
    // Keep the layers with energy (fused batch norms, flattens and the like have none).
    std::vector<std::vector<double>> kept(table.pj.size());
    for (qsizetype i = 0; i < layers.size(); ++i) {
        double sum = 0;
        for (const auto& row : table.pj)
            sum += row[static_cast<std::size_t>(i)];
        if (sum <= 0) {
            ++table.omitted;
            continue;
        }
        table.layers.append(layers[i]);
        table.totals.push_back(sum);
        for (std::size_t c = 0; c < table.pj.size(); ++c)
            kept[c].push_back(table.pj[c][static_cast<std::size_t>(i)]);
    }
    table.pj = std::move(kept);
    return table;
}

EnergyBreakdownChart::EnergyBreakdownChart(QWidget* parent) : ChartView(parent) {}

void EnergyBreakdownChart::setSelectedLayer(const QString& layer)
{
    ChartView::setSelectedLayer(layer);
    selectLayerBars(series_, layer);
}

QString EnergyBreakdownChart::buildChart(QChart* chart, const NetworkResult& result)
{
    series_ = nullptr;
    axisY_ = nullptr;
    unit_.clear();
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers.isEmpty())
        return tr("No layer of this result has an energy estimate");
    table_ = table;

    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.8);
    const QList<QColor> colors = chartstyle::componentColors(table->components);
    for (const QString& component : table->components)
        series->append(new QBarSet(component));
    chart->addSeries(series);
    for (qsizetype c = 0; c < table->components.size(); ++c) {
        QBarSet* set = series->barSets()[c];
        set->setColor(colors[c]);
        set->setBorderColor(colors[c]);
        set->setSelectedColor(chartstyle::selectedColor(colors[c], isDark()));
    }
    series_ = series;

    attachLayerAxis(chart, series, table->layers);
    axisY_ = new QValueAxis;
    axisY_->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(axisY_, Qt::AlignLeft);
    series->attachAxis(axisY_);
    showTable(chart, result);

    connectLayerBars(series, [this](int index, QBarSet* set) {
        if (!table_ || index < 0 || static_cast<std::size_t>(index) >= table_->totals.size())
            return QString();
        const auto c = static_cast<std::size_t>(std::max<qsizetype>(0, table_->components.indexOf(set->label())));
        const double pj = table_->pj[c][static_cast<std::size_t>(index)];
        const double layerPj = table_->totals[static_cast<std::size_t>(index)];
        return tr("<b>%1</b><br>%2: %3 (%4% of the layer)<br>layer: %5")
            .arg(layerNames().value(index).toHtmlEscaped(), set->label().toHtmlEscaped(), units::joules(pj * 1e-12))
            .arg(layerPj > 0 ? 100 * pj / layerPj : 0, 0, 'f', 1)
            .arg(units::joules(layerPj * 1e-12));
    });
    return {};
}

bool EnergyBreakdownChart::updateChart(QChart* chart, const NetworkResult& result)
{
    if (!series_ || !axisY_ || !table_)
        return false;
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers != table_->layers || table->components != table_->components)
        return false;
    table_ = table;
    showTable(chart, result);
    return true;
}

void EnergyBreakdownChart::showTable(QChart* chart, const NetworkResult& result)
{
    const Table& table = *table_;
    const double maxPj = *std::max_element(table.totals.begin(), table.totals.end());
    double scale = 1;
    unit_ = chartstyle::energyUnit(maxPj, &scale);
    for (qsizetype c = 0; c < table.components.size(); ++c)
        chartstyle::setBarValues(series_->barSets()[c], table.pj[static_cast<std::size_t>(c)], scale);
    chartstyle::setValueAxis(axisY_, tr("Energy (%1)").arg(unit_), maxPj * scale);

    const double totalPj = std::accumulate(table.totals.begin(), table.totals.end(), 0.0);
    QString note = tr("%1 layers").arg(table.layers.size());
    if (table.omitted > 0)
        note += tr("; %1 without energy not shown").arg(table.omitted);
    const double staticPj = result.energyPj - totalPj;
    if (staticPj > 1e-6 * result.energyPj)
        note += tr("; plus %1 static energy over the inference").arg(units::joules(staticPj * 1e-12));
    chartstyle::setTitle(chart, chartstyle::titleWithNote(tr("Energy by component: %1").arg(units::joules(totalPj * 1e-12)), note));
}

}  // namespace cdx
