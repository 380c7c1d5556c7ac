#include "views/charts/latencychart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"
#include "views/results/units.h"

#include <QBarSet>
#include <QChart>
#include <QHash>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <vector>

namespace cdx {

/// Seconds by bound and layer, both in first-appearance order; layers taking no time dropped.
struct LatencyChart::Table {
    QStringList layers;
    QStringList bounds;
    std::vector<std::vector<double>> seconds;  ///< [bound][layer]
    std::vector<double> totals;                ///< [layer]
    int omitted = 0;
};

LatencyChart::Table LatencyChart::tabulate(const NetworkResult& result)
{
    Table table;
    QHash<QString, int> layerIndex;
    QHash<QString, int> boundIndex;
    QStringList allLayers;
    std::vector<std::vector<double>> seconds;
    for (const LayerResult& workload : result.layers) {
        const QString layer = QString::fromStdString(workload.layer.empty() ? workload.name : workload.layer);
        if (!layerIndex.contains(layer)) {
            layerIndex.insert(layer, static_cast<int>(allLayers.size()));
            allLayers.append(layer);
            for (auto& row : seconds)
                row.push_back(0);
        }
        if (workload.latencyS <= 0)
            continue;
        const QString bound = workload.bound.empty() ? QStringLiteral("unknown") : QString::fromStdString(workload.bound);
        if (!boundIndex.contains(bound)) {
            boundIndex.insert(bound, static_cast<int>(table.bounds.size()));
            table.bounds.append(bound);
            seconds.emplace_back(static_cast<std::size_t>(allLayers.size()), 0.0);
        }
        seconds[static_cast<std::size_t>(boundIndex[bound])][static_cast<std::size_t>(layerIndex[layer])] += workload.latencyS;
    }
    table.seconds.resize(seconds.size());
    for (qsizetype i = 0; i < allLayers.size(); ++i) {
        double sum = 0;
        for (const auto& row : seconds)
            sum += row[static_cast<std::size_t>(i)];
        if (sum <= 0) {
            ++table.omitted;
            continue;
        }
        table.layers.append(allLayers[i]);
        table.totals.push_back(sum);
        for (std::size_t b = 0; b < seconds.size(); ++b)
            table.seconds[b].push_back(seconds[b][static_cast<std::size_t>(i)]);
    }
    return table;
}

LatencyChart::LatencyChart(QWidget* parent) : ChartView(parent) {}

void LatencyChart::setSelectedLayer(const QString& layer)
{
    ChartView::setSelectedLayer(layer);
    selectLayerBars(series_, layer);
}

QString LatencyChart::buildChart(QChart* chart, const NetworkResult& result)
{
    series_ = nullptr;
    axisY_ = nullptr;
    unit_.clear();
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers.isEmpty())
        return tr("No layer of this result takes any time");
    table_ = table;

    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.8);
    const QList<QColor> colors = chartstyle::componentColors(table->bounds);
    for (const QString& bound : table->bounds)
        series->append(new QBarSet(tr("bound: %1").arg(bound)));
    chart->addSeries(series);
    for (qsizetype b = 0; b < table->bounds.size(); ++b) {
        QBarSet* set = series->barSets()[b];
        set->setColor(colors[b]);
        set->setBorderColor(colors[b]);
        set->setSelectedColor(chartstyle::selectedColor(colors[b], isDark()));
    }
    series_ = series;

    attachLayerAxis(chart, series, table->layers);
    axisY_ = new QValueAxis;
    axisY_->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(axisY_, Qt::AlignLeft);
    series->attachAxis(axisY_);
    showTable(chart, result);

    connectLayerBars(series, [this](int index, QBarSet* set) {
        if (!table_ || !series_ || index < 0 || static_cast<std::size_t>(index) >= table_->totals.size())
            return QString();
        const auto b = static_cast<std::size_t>(std::max<qsizetype>(0, series_->barSets().indexOf(set)));
        const auto i = static_cast<std::size_t>(index);
        const double s = table_->seconds[b][i];
        const QString layer = layerNames().value(index).toHtmlEscaped();
        const QString bound = table_->bounds.value(static_cast<qsizetype>(b)).toHtmlEscaped();
        if (s >= 0.999 * table_->totals[i])
            return tr("<b>%1</b><br>%2, bound by %3").arg(layer, units::seconds(s), bound);
        return tr("<b>%1</b><br>%2 bound by %3, of the layer's %4")
            .arg(layer, units::seconds(s), bound, units::seconds(table_->totals[i]));
    });
    return {};
}

bool LatencyChart::updateChart(QChart* chart, const NetworkResult& result)
{
    if (!series_ || !axisY_ || !table_)
        return false;
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers != table_->layers || table->bounds != table_->bounds)
        return false;
    table_ = table;
    showTable(chart, result);
    return true;
}

void LatencyChart::showTable(QChart* chart, const NetworkResult& result)
{
    const Table& table = *table_;
    const double maxS = *std::max_element(table.totals.begin(), table.totals.end());
    double scale = 1;
    unit_ = chartstyle::timeUnit(maxS, &scale);
    for (qsizetype b = 0; b < table.bounds.size(); ++b)
        chartstyle::setBarValues(series_->barSets()[b], table.seconds[static_cast<std::size_t>(b)], scale);
    chartstyle::setValueAxis(axisY_, tr("Latency (%1)").arg(unit_), maxS * scale);

    QString title = tr("Latency: %1").arg(units::seconds(result.latencyS));
    if (result.pipelined)
        title += tr(", one inference every %1").arg(units::seconds(result.intervalS));
    QString note = tr("%1 layers, coloured by what bounds them").arg(table.layers.size());
    if (table.omitted > 0)
        note += tr("; %1 taking no time not shown").arg(table.omitted);
    chartstyle::setTitle(chart, chartstyle::titleWithNote(title, note));
}

}  // namespace cdx
