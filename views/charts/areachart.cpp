#include "views/charts/areachart.h"

#include "estimators/results/networkresult.h"
#include "views/charts/chartstyle.h"

#include <QBarCategoryAxis>
#include <QBarSet>
#include <QChart>
#include <QHorizontalStackedBarSeries>
#include <QLegend>
#include <QLineSeries>
#include <QPen>
#include <QStackedBarSeries>
#include <QValueAxis>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace cdx {

namespace {

const QString kMm2 = QStringLiteral("mm\u00B2");

struct Resource {
    const char* name;
    double FpgaResources::*field;
};

constexpr std::array<Resource, 5> kResources = {{
    {"LUT", &FpgaResources::lut},
    {"FF", &FpgaResources::ff},
    {"DSP", &FpgaResources::dsp},
    {"BRAM36", &FpgaResources::bram36},
    {"URAM", &FpgaResources::uram},
}};

/// Colours the sets of `series` (after it joined the chart, whose theme would recolour them).
void colorSets(QAbstractBarSeries* series, const QStringList& names)
{
    const QList<QColor> colors = chartstyle::componentColors(names);
    const QList<QBarSet*> sets = series->barSets();
    for (qsizetype i = 0; i < sets.size() && i < colors.size(); ++i) {
        sets[i]->setColor(colors[i]);
        sets[i]->setBorderColor(colors[i]);
    }
}

/// The breakdown's components, plus what of the total they do not account for as `otherName`.
std::vector<std::pair<QString, FpgaResources>> fpgaParts(const FpgaUsage& usage, const std::vector<Resource>& shown,
                                                         const QString& otherName)
{
    std::vector<std::pair<QString, FpgaResources>> parts;
    FpgaResources listed;
    for (const auto& [name, resources] : usage.breakdown) {
        parts.emplace_back(QString::fromStdString(name), resources);
        listed += resources;
    }
    FpgaResources other;
    bool anyOther = false;
    for (const Resource& resource : shown) {
        const double rest = usage.used.*resource.field - listed.*resource.field;
        if (rest > 1e-3 * usage.available.*resource.field) {
            other.*resource.field = rest;
            anyOther = true;
        }
    }
    if (anyOther)
        parts.emplace_back(otherName, other);
    return parts;
}

/// The resources along x (with their total %), % of the device up, and the dashed 100% line.
void addFpgaAxes(QChart* chart, QAbstractBarSeries* series, const FpgaUsage& usage, const std::vector<Resource>& shown)
{
    QStringList categories;
    double maxPercent = 100;
    for (const Resource& resource : shown) {
        const double percent = 100 * usage.used.*resource.field / usage.available.*resource.field;
        maxPercent = std::max(maxPercent, percent);
        categories.append(QStringLiteral("<div align=\"center\">%1<br>%2%</div>").arg(QLatin1String(resource.name)).arg(percent, 0, 'f', 1));
    }
    auto* axisX = new QBarCategoryAxis;
    axisX->append(categories);
    axisX->setGridLineVisible(false);
    chart->addAxis(axisX, Qt::AlignBottom);
    series->attachAxis(axisX);
    auto* axisY = new QValueAxis;
    axisY->setTitleText(AreaChart::tr("%1 of the device").arg(QStringLiteral("%")));
    // Steps of 20% up to just above the fullest resource: the 100% line never sits at the top.
    const double top = std::ceil(maxPercent * 1.05 / 20) * 20;
    axisY->setRange(0, top);
    axisY->setTickCount(top <= 200 ? static_cast<int>(top / 20) + 1 : 6);
    if (top > 200)
        axisY->applyNiceNumbers();
    axisY->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisY);

    auto* capacity = new QLineSeries;
    capacity->setName(AreaChart::tr("device capacity (100%)"));
    capacity->append(-0.5, 100);
    capacity->append(static_cast<double>(shown.size()) - 0.5, 100);
    chart->addSeries(capacity);
    capacity->attachAxis(axisX);
    capacity->attachAxis(axisY);
    capacity->setPen(QPen(chart->titleBrush().color(), 1.5, Qt::DashLine));  // ink: no component's colour
}

}  // namespace

AreaChart::AreaChart(QWidget* parent) : ChartView(parent) {}

void AreaChart::setGroupedByKind(bool grouped)
{
    if (grouped == groupedByKind_)
        return;
    groupedByKind_ = grouped;
    rebuild();
}

QString AreaChart::buildChart(QChart* chart, const NetworkResult& result)
{
    return result.fpga ? buildFpga(chart, result) : buildAsic(chart, result);
}

QString AreaChart::buildAsic(QChart* chart, const NetworkResult& result)
{
    // Rows (a component, or a kind with its components), largest first.
    struct Row {
        QString name;
        double mm2 = 0;
        std::vector<const AreaItem*> items;
    };
    std::vector<Row> rows;
    for (const AreaItem& item : result.areaBreakdown) {
        if (!(item.mm2 > 0))
            continue;
        const QString name = QString::fromStdString(groupedByKind_ ? physicalAreaGroup(item) : item.component);
        auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.name == name; });
        if (row == rows.end())
            row = rows.insert(rows.end(), Row{name, 0, {}});
        row->mm2 += item.mm2;
        row->items.push_back(&item);
    }
    if (rows.empty())
        return tr("This result has no area breakdown");
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.mm2 > b.mm2; });
    for (Row& row : rows)
        std::stable_sort(row.items.begin(), row.items.end(), [](const AreaItem* a, const AreaItem* b) { return a->mm2 > b->mm2; });
    double total = 0;
    for (const Row& row : rows)
        total += row.mm2;

    // One set per component with its value in its own row only: each part gets its colour.
    // A horizontal axis draws its first category at the bottom, so the largest row goes last.
    auto* series = new QHorizontalStackedBarSeries;
    series->setBarWidth(0.7);
    QStringList names, categories;
    const auto count = static_cast<qsizetype>(rows.size());
    for (qsizetype at = 0; at < count; ++at) {
        const Row& row = rows[static_cast<std::size_t>(count - 1 - at)];
        categories.append(tr("%1: %2 %3 (%4%)").arg(row.name).arg(row.mm2, 0, 'g', 3).arg(kMm2).arg(100 * row.mm2 / total, 0, 'f', 1));
        for (const AreaItem* item : row.items) {
            names.append(QString::fromStdString(item->component));
            auto* set = new QBarSet(names.back());
            for (qsizetype i = 0; i < count; ++i)
                set->append(i == at ? item->mm2 : 0.0);
            series->append(set);
        }
    }
    chart->addSeries(series);
    colorSets(series, names);
    chart->legend()->hide();  // the rows name the components, the tool tips the parts of a kind

    auto* axisY = new QBarCategoryAxis;
    axisY->append(categories);
    axisY->setGridLineVisible(false);
    chart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisY);
    auto* axisX = new QValueAxis;
    axisX->setTitleText(tr("Area (%1)").arg(kMm2));
    axisX->setRange(0, rows.front().mm2);
    axisX->applyNiceNumbers();
    axisX->setLabelFormat(QStringLiteral("%g"));
    chart->addAxis(axisX, Qt::AlignBottom);
    series->attachAxis(axisX);

    const QString title = tr("Area: %1 %2").arg(result.areaMm2 > 0 ? result.areaMm2 : total, 0, 'g', 3).arg(kMm2);
    chart->setTitle(groupedByKind_ ? chartstyle::titleWithNote(title, tr("by what it is built of, each kind stacked by component")) : title);
    connect(series, &QAbstractBarSeries::hovered, this, [this, total](bool status, int, QBarSet* set) {
        double mm2 = 0;
        for (int i = 0; i < set->count(); ++i)
            mm2 += set->at(i);
        showToolTip(status ? tr("<b>%1</b><br>%2 %3, %4% of the area").arg(set->label().toHtmlEscaped()).arg(mm2, 0, 'g', 4).arg(kMm2).arg(100 * mm2 / total, 0, 'f', 1)
                           : QString());
    });
    return {};
}

QString AreaChart::buildFpga(QChart* chart, const NetworkResult& result)
{
    const FpgaUsage& usage = result.fpgaUsage;
    std::vector<Resource> shown;
    for (const Resource& resource : kResources)
        if (usage.available.*resource.field > 0)
            shown.push_back(resource);
    if (shown.empty())
        return tr("The FPGA device has no resources listed");

    auto* series = new QStackedBarSeries;
    series->setBarWidth(0.6);
    QStringList names;
    for (const auto& [name, resources] : fpgaParts(usage, shown, tr("other"))) {
        bool used = false;
        auto* set = new QBarSet(name);
        for (const Resource& resource : shown) {
            const double value = resources.*resource.field;
            used = used || value > 0;
            set->append(100 * value / usage.available.*resource.field);
        }
        if (!used) {
            delete set;
            continue;
        }
        names.append(name);
        series->append(set);
    }
    chart->addSeries(series);
    colorSets(series, names);
    addFpgaAxes(chart, series, usage, shown);

    const QString device = usage.device.empty() ? tr("the device") : QString::fromStdString(usage.device);
    chart->setTitle(chartstyle::titleWithNote(tr("FPGA resources on %1").arg(device),
                                              tr("%1 of the device each resource uses, by component").arg(QStringLiteral("%"))));
    connect(series, &QAbstractBarSeries::hovered, this, [this, shown, usage](bool status, int index, QBarSet* set) {
        if (!status || index < 0 || static_cast<std::size_t>(index) >= shown.size()) {
            showToolTip({});
            return;
        }
        const Resource& resource = shown[static_cast<std::size_t>(index)];
        const double available = usage.available.*resource.field;
        showToolTip(tr("<b>%1</b><br>%2 %3 of %4 (%5%)")
                        .arg(set->label().toHtmlEscaped())
                        .arg(set->at(index) * available / 100, 0, 'g', 4)
                        .arg(QLatin1String(resource.name))
                        .arg(available, 0, 'g', 6)
                        .arg(set->at(index), 0, 'f', 1));
    });
    return {};
}

}  // namespace cdx
