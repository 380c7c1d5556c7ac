#include "views/charts/sensitivitychart.h"

#include "core/compression/sensitivitytable.h"
#include "views/charts/chartstyle.h"
#include "views/charts/heatmapitem.h"

#include <QChart>
#include <QFileInfo>
#include <QLegend>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace cdx {

namespace {

// ColorBrewer's YlOrRd, pale yellow (no loss) to dark red: sequential, readable for the colour
// blind, and its pale end keeps black text legible while its dark end takes white.
constexpr std::array<QRgb, 9> kScale = {0xFFFFCC, 0xFFEDA0, 0xFED976, 0xFEB24C, 0xFD8D3C, 0xFC4E2A, 0xE31A1C, 0xBD0026, 0x800026};
constexpr double kFloorPp = 0.01;  ///< one example in 10,000: below it a drop is noise
constexpr double kCeilingPp = 100;

/// Where a drop lies on the scale, 0..1: logarithmic between the floor and the ceiling.
double scalePosition(double dropPp)
{
    const double clamped = std::clamp(dropPp, kFloorPp, kCeilingPp);
    return (std::log10(clamped) - std::log10(kFloorPp)) / (std::log10(kCeilingPp) - std::log10(kFloorPp));
}

QColor interpolate(const QColor& a, const QColor& b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() + (b.redF() - a.redF()) * t), static_cast<float>(a.greenF() + (b.greenF() - a.greenF()) * t),
                            static_cast<float>(a.blueF() + (b.blueF() - a.blueF()) * t));
}

HeatMapItem::ColorBar colorBar()
{
    HeatMapItem::ColorBar bar;
    bar.title = SensitivityChart::tr("drop (pp)");
    for (std::size_t i = 0; i < kScale.size(); ++i)
        bar.stops.emplace_back(static_cast<qreal>(i) / static_cast<qreal>(kScale.size() - 1), QColor(kScale[i]));
    bar.ticks = {{0.0, SensitivityChart::tr("≤ 0.01")}, {0.25, QStringLiteral("0.1")}, {0.5, QStringLiteral("1")},
                 {0.75, QStringLiteral("10")}, {1.0, QStringLiteral("100")}};
    return bar;
}

QString cellToolTip(const QString& layer, const QString& setting, double dropPp, int line, const QString& file)
{
    const QString value = dropPp < 0 ? SensitivityChart::tr("a gain of %1 pp").arg(-dropPp, 0, 'g', 4)
                                     : SensitivityChart::tr("drop %1 pp").arg(dropPp, 0, 'g', 4);
    return SensitivityChart::tr("<b>%1</b> at %2<br>%3<br><small>line %4 of %5</small>")
        .arg(layer.toHtmlEscaped(), setting.toHtmlEscaped(), value)
        .arg(line)
        .arg(file.toHtmlEscaped());
}

}  // namespace

SensitivityChart::SensitivityChart(QWidget* parent) : QChartView(parent)
{
    setRenderHint(QPainter::Antialiasing);
    setMinimumSize(320, 200);
    placeholder_ = tr("No sensitivity table");
    rebuild();
}

QColor SensitivityChart::dropColor(double dropPp)
{
    const double at = scalePosition(dropPp) * static_cast<double>(kScale.size() - 1);
    const auto below = std::min(static_cast<std::size_t>(at), kScale.size() - 2);
    return interpolate(QColor(kScale[below]), QColor(kScale[below + 1]), at - static_cast<double>(below));
}

QString SensitivityChart::dropText(double dropPp)
{
    const double size = std::abs(dropPp);
    if (size < 0.005)
        return QStringLiteral("0");
    if (size >= 10)
        return QString::number(dropPp, 'f', 0);
    if (size >= 1)
        return QString::number(dropPp, 'f', 1);
    return QString::number(dropPp, 'g', 2);
}

void SensitivityChart::setTable(const SensitivityTable& table)
{
    file_ = QString::fromStdString(table.file());
    placeholder_.clear();
    layers_.clear();
    settings_.clear();
    std::map<QString, int> layerIndex, settingIndex;
    struct Entry {
        int layer, setting;
        double drop;
        int line;
    };
    std::vector<Entry> entries;
    for (const SensitivityTable::Row& row : table.rows()) {
        QStringList tokens;
        for (const std::string& token : row.tokens)
            tokens.append(QString::fromStdString(token));
        const QString layer = QString::fromStdString(row.layerGlob), setting = tokens.join(QLatin1Char(' '));
        const auto l = layerIndex.try_emplace(layer, static_cast<int>(layers_.size()));
        if (l.second)
            layers_.append(layer);
        const auto s = settingIndex.try_emplace(setting, static_cast<int>(settings_.size()));
        if (s.second)
            settings_.append(setting);
        entries.push_back({l.first->second, s.first->second, row.drop, row.line});
    }
    drops_.assign(static_cast<std::size_t>(layers_.size() * settings_.size()), std::nullopt);
    lines_.assign(drops_.size(), 0);
    for (const Entry& e : entries) {
        const auto at = static_cast<std::size_t>(e.layer * settings_.size() + e.setting);
        if (!drops_[at]) {  // the first of equal rows, as SensitivityTable::find takes it
            drops_[at] = e.drop;
            lines_[at] = e.line;
        }
    }
    if (layers_.isEmpty())
        placeholder_ = tr("The sensitivity table %1 has no rows").arg(QFileInfo(file_).fileName());
    rebuild();
}

void SensitivityChart::clearTable(const QString& text)
{
    file_.clear();
    placeholder_ = text;
    layers_.clear();
    settings_.clear();
    drops_.clear();
    lines_.clear();
    rebuild();
}

void SensitivityChart::setDark(bool dark)
{
    dark_ = dark;
    rebuild();
}

std::optional<double> SensitivityChart::drop(int layer, int setting) const
{
    if (layer < 0 || setting < 0 || layer >= layers_.size() || setting >= settings_.size())
        return std::nullopt;
    return drops_[static_cast<std::size_t>(layer * settings_.size() + setting)];
}

void SensitivityChart::rebuild()
{
    auto* chart = new QChart;
    chartstyle::applyTheme(chart, dark_);
    chart->legend()->hide();
    QChart* old = this->chart();
    setChart(chart);
    if (old)
        old->deleteLater();
    heatMap_ = nullptr;
    if (!placeholder_.isEmpty()) {
        chart->setTitle(placeholder_.toHtmlEscaped().replace(QLatin1Char('\n'), QLatin1String("<br>")));
        return;
    }
    chart->setTitle(chartstyle::titleWithNote(tr("Accuracy sensitivity: %1").arg(QFileInfo(file_).fileName()),
                                              tr("accuracy drop in percentage points with one layer alone compressed; %1 layers × %2 settings")
                                                  .arg(layers_.size())
                                                  .arg(settings_.size())));

    std::vector<std::optional<HeatMapItem::Cell>> cells(drops_.size());
    for (std::size_t i = 0; i < drops_.size(); ++i)
        if (drops_[i]) {
            const auto layer = static_cast<qsizetype>(i) / settings_.size(), setting = static_cast<qsizetype>(i) % settings_.size();
            cells[i] = HeatMapItem::Cell{dropColor(*drops_[i]), dropText(*drops_[i]),
                                         cellToolTip(layers_[layer], settings_[setting], *drops_[i], lines_[i], file_)};
        }
    heatMap_ = new HeatMapItem(chart);
    heatMap_->setTextColor(chart->titleBrush().color());
    heatMap_->setAxisTitles(tr("layer"), tr("setting"));
    heatMap_->setColorBar(colorBar());
    heatMap_->setGrid(layers_, settings_, std::move(cells));
    heatMap_->setArea(chart->plotArea());
    HeatMapItem* item = heatMap_;
    connect(chart, &QChart::plotAreaChanged, chart, [item](const QRectF& area) { item->setArea(area); });
}

}  // namespace cdx
