#include "views/charts/chartstyle.h"

#include <QAbstractAxis>
#include <QBarSet>
#include <QChart>
#include <QFont>
#include <QGraphicsLayout>
#include <QLegend>
#include <QPalette>
#include <QRegularExpression>
#include <QValueAxis>

#include <array>
#include <cstdint>
#include <vector>

namespace cdx::chartstyle {

namespace {

// Tableau 10 plus two lighter tones: distinguishable on light and dark backgrounds.
constexpr std::array<QRgb, 12> kPalette = {
    0x4E79A7,  // 0 blue
    0xF28E2B,  // 1 orange
    0xE15759,  // 2 red
    0x76B7B2,  // 3 teal
    0x59A14F,  // 4 green
    0xEDC948,  // 5 yellow
    0xB07AA1,  // 6 purple
    0xFF9DA7,  // 7 pink
    0x9C755F,  // 8 brown
    0xBAB0AC,  // 9 grey
    0xA0CBE8,  // 10 light blue
    0x8CD17D,  // 11 light green
};

struct FixedPick {
    const char* name;
    int index;
};

// Names as the templates spell them; compared lower-cased.
constexpr FixedPick kFixed[] = {
    {"dram", 2}, {"offchip", 2}, {"off-chip", 2},
    {"mac", 0}, {"macs", 0}, {"compute", 0}, {"multipliers", 0}, {"convolvers", 0}, {"pe", 0},
    {"sram", 4}, {"globalbuffer", 4}, {"global_buffer", 4}, {"glb", 4}, {"shared_glb", 4}, {"scratchpad", 4},
    {"registerfile", 1}, {"register_file", 1}, {"regfile", 1}, {"pe_reg", 1},
    {"network", 6}, {"noc", 6},
    {"vector", 3}, {"simd", 3},
    {"accumulator", 5}, {"psum_spad", 5},
};

/// FNV-1a over the UTF-16 code units: unlike qHash it is the same in every run and Qt version.
std::uint32_t stableHash(const QString& text)
{
    std::uint32_t hash = 2166136261u;
    for (const QChar c : text) {
        hash ^= c.unicode();
        hash *= 16777619u;
    }
    return hash;
}

/// The fixed pick for a common name, else -1.
int fixedIndex(const QString& name)
{
    const QString key = name.trimmed().toLower();
    for (const auto& pick : kFixed)
        if (key == QLatin1String(pick.name))
            return pick.index;
    if (key.startsWith(QLatin1String("dram")))  // "DRAM (weights)" and the like
        return 2;
    return -1;
}

int paletteIndex(const QString& name)
{
    const int fixed = fixedIndex(name);
    return fixed >= 0 ? fixed : static_cast<int>(stableHash(name.trimmed().toLower()) % kPalette.size());
}

QFont sizedFont(QFont font, int points, bool bold = false)
{
    font.setPointSize(points);
    font.setBold(bold);
    return font;
}

}  // namespace

QColor componentColor(const QString& name)
{
    return QColor(kPalette[static_cast<std::size_t>(paletteIndex(name))]);
}

QList<QColor> componentColors(const QStringList& names)
{
    // Fixed picks first, so that "DRAM" stays red even after a hashed name that wanted red.
    std::array<bool, kPalette.size()> taken{};
    std::vector<int> indexes(static_cast<std::size_t>(names.size()), -1);
    const auto claim = [&](std::size_t i, int index) {
        for (std::size_t step = 0; step < kPalette.size() && taken[static_cast<std::size_t>(index)]; ++step)
            index = (index + 1) % static_cast<int>(kPalette.size());
        taken[static_cast<std::size_t>(index)] = true;  // past 12 names colours repeat
        indexes[i] = index;
    };
    for (std::size_t i = 0; i < indexes.size(); ++i)
        if (fixedIndex(names[static_cast<qsizetype>(i)]) >= 0)
            claim(i, fixedIndex(names[static_cast<qsizetype>(i)]));
    for (std::size_t i = 0; i < indexes.size(); ++i)
        if (indexes[i] < 0)
            claim(i, paletteIndex(names[static_cast<qsizetype>(i)]));
    QList<QColor> colors;
    colors.reserve(names.size());
    for (const int index : indexes)
        colors.append(QColor(kPalette[static_cast<std::size_t>(index)]));
    return colors;
}

QColor selectedColor(const QColor& base, bool dark)
{
    return dark ? base.lighter(165) : base.darker(185);
}

void applyTheme(QChart* chart, bool dark)
{
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setAnimationOptions(QChart::NoAnimation);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(6, 4, 6, 4));
    chart->layout()->setContentsMargins(0, 0, 0, 0);
    chart->setTitleFont(sizedFont(chart->titleFont(), 10, true));
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->legend()->setFont(sizedFont(chart->legend()->font(), 9));
    styleAxes(chart);
}

void styleAxes(QChart* chart)
{
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsFont(sizedFont(axis->labelsFont(), 9));
        axis->setTitleFont(sizedFont(axis->titleFont(), 9));
    }
}

bool isDark(const QPalette& palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

void setBarValues(QBarSet* set, const std::vector<double>& values, double scale)
{
    const auto n = static_cast<qsizetype>(values.size());
    if (set->count() != n) {
        set->remove(0, set->count());
        QList<qreal> scaled;
        scaled.reserve(n);
        for (const double v : values)
            scaled.append(v * scale);
        set->append(scaled);
        return;
    }
    for (qsizetype i = 0; i < n; ++i)
        if (const qreal v = values[static_cast<std::size_t>(i)] * scale; set->at(i) != v)
            set->replace(i, v);
}

void setValueAxis(QValueAxis* axis, const QString& title, double max)
{
    if (axis->titleText() != title)
        axis->setTitleText(title);
    // The nice range worked out on an axis of no chart, which costs nothing to change.
    QValueAxis nice;
    nice.setRange(0, max);
    nice.applyNiceNumbers();
    if (nice.min() == axis->min() && nice.max() == axis->max() && nice.tickCount() == axis->tickCount())
        return;
    axis->setRange(nice.min(), nice.max());
    axis->setTickCount(nice.tickCount());
}

void setTitle(QChart* chart, const QString& title)
{
    if (chart->title() != title)
        chart->setTitle(title);
}

QString titleWithNote(const QString& title, const QString& note)
{
    if (note.isEmpty())
        return title.toHtmlEscaped();
    return QStringLiteral("<div align=\"center\">%1<br><span style=\"font-weight:normal; font-size:9pt\">%2</span></div>")
        .arg(title.toHtmlEscaped(), note.toHtmlEscaped());
}

QString plainTitle(const QString& title)
{
    QString text = title;
    text.replace(QRegularExpression(QStringLiteral("<br\\s*/?>")), QStringLiteral(" - "));
    text.remove(QRegularExpression(QStringLiteral("<[^>]*>")));
    text.replace(QLatin1String("&lt;"), QLatin1String("<")).replace(QLatin1String("&gt;"), QLatin1String(">"));
    text.replace(QLatin1String("&quot;"), QLatin1String("\"")).replace(QLatin1String("&amp;"), QLatin1String("&"));
    return text;
}

QString energyUnit(double maxPj, double* scale)
{
    static const char* const units[] = {"pJ", "nJ", "µJ", "mJ", "J"};
    int step = 0;
    double factor = 1;
    while (step < 4 && maxPj * factor >= 1000) {
        factor /= 1000;
        ++step;
    }
    if (scale)
        *scale = factor;
    return QString::fromUtf8(units[step]);
}

QString timeUnit(double maxS, double* scale)
{
    static const char* const units[] = {"s", "ms", "µs", "ns"};
    int step = 0;
    double factor = 1;
    while (step < 3 && maxS > 0 && maxS * factor < 1) {
        factor *= 1000;
        ++step;
    }
    if (scale)
        *scale = factor;
    return QString::fromUtf8(units[step]);
}

}  // namespace cdx::chartstyle
