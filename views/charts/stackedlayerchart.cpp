#include "views/charts/stackedlayerchart.h"

#include "views/charts/chartstyle.h"

#include <QBarSet>
#include <QChart>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <utility>

namespace cdx {

void StackedLayerChart::TableBuilder::layer(const QString& name)
{
    if (const auto it = layerIndex_.constFind(name); it != layerIndex_.cend()) {
        current_ = it.value();  // a later workload of a layer seen before adds to its column
        return;
    }
    current_ = static_cast<std::size_t>(allLayers_.size());
    layerIndex_.insert(name, current_);
    allLayers_.append(name);
    for (auto& row : values_)
        row.push_back(0);
}

void StackedLayerChart::TableBuilder::add(const QString& series, double value)
{
    qsizetype index = table_.series.indexOf(series);
    if (index < 0) {
        index = table_.series.size();
        table_.series.append(series);
        values_.emplace_back(static_cast<std::size_t>(allLayers_.size()), 0.0);
    }
    values_[static_cast<std::size_t>(index)][current_] += value;
}

StackedLayerChart::Table StackedLayerChart::TableBuilder::finish()
{
    table_.values.assign(values_.size(), {});
    for (qsizetype i = 0; i < allLayers_.size(); ++i) {
        double sum = 0;
        for (const auto& row : values_)
            sum += row[static_cast<std::size_t>(i)];
        if (sum <= 0) {
            ++table_.omitted;
            continue;
        }
        table_.layers.append(allLayers_[i]);
        table_.totals.push_back(sum);
        for (std::size_t s = 0; s < values_.size(); ++s)
            table_.values[s].push_back(values_[s][static_cast<std::size_t>(i)]);
    }
    return std::move(table_);
}

StackedLayerChart::StackedLayerChart(QWidget* parent) : ChartView(parent) {}

void StackedLayerChart::setSelectedLayer(const QString& layer)
{
    ChartView::setSelectedLayer(layer);
    selectLayerBars(series_, layer);
}

QString StackedLayerChart::buildChart(QChart* chart, const NetworkResult& result)
{
    series_ = nullptr;
    axisY_ = nullptr;
    unit_.clear();
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers.isEmpty())
        return emptyText();
    table_ = table;

    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.8);
    const QList<QColor> colors = chartstyle::componentColors(table->series);
    for (const QString& name : table->series)
        series->append(new QBarSet(seriesLabel(name)));
    chart->addSeries(series);
    for (qsizetype s = 0; s < table->series.size(); ++s) {
        QBarSet* set = series->barSets()[s];
        set->setColor(colors[s]);
        set->setBorderColor(colors[s]);
        set->setSelectedColor(chartstyle::selectedColor(colors[s], isDark()));
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
        const auto s = static_cast<std::size_t>(std::max<qsizetype>(0, series_->barSets().indexOf(set)));
        return barToolTip(*table_, s, static_cast<std::size_t>(index));
    });
    return {};
}

bool StackedLayerChart::updateChart(QChart* chart, const NetworkResult& result)
{
    if (!series_ || !axisY_ || !table_)
        return false;
    auto table = std::make_shared<const Table>(tabulate(result));
    if (table->layers != table_->layers || table->series != table_->series)
        return false;
    table_ = table;
    showTable(chart, result);
    return true;
}

void StackedLayerChart::showTable(QChart* chart, const NetworkResult& result)
{
    const Table& table = *table_;
    const double max = *std::max_element(table.totals.begin(), table.totals.end());
    double scale = 1;
    unit_ = unitFor(max, &scale);
    for (qsizetype s = 0; s < table.series.size(); ++s)
        chartstyle::setBarValues(series_->barSets()[s], table.values[static_cast<std::size_t>(s)], scale);
    chartstyle::setValueAxis(axisY_, axisTitle(), max * scale);
    chartstyle::setTitle(chart, chartTitle(result, table));
}

}  // namespace cdx
