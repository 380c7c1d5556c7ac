#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QStringList>

#include <vector>

class QAbstractAxis;
class QBarSet;
class QChart;
class QPalette;
class QValueAxis;

namespace cdx::chartstyle {

/// A stable colour for a component or bound name: fixed picks for the common ones ("DRAM" red,
/// "mac"/"compute" blue, "SRAM"/"GlobalBuffer" green, "RegisterFile" orange, "network" purple,
/// "vector" teal), otherwise one of a 12-colour palette chosen by a hash of the lower-cased name.
QColor componentColor(const QString& name);
/// componentColor() for each name, but never the same colour twice while the palette lasts:
/// a name whose colour is taken gets the next free palette colour (still deterministic).
QList<QColor> componentColors(const QStringList& names);
/// The colour of a selected bar or point drawn in `base`: darker on light charts, lighter on dark.
QColor selectedColor(const QColor& base, bool dark);

/// The light or dark chart theme with small margins, a flat background, the legend at the
/// bottom and 9-10 pt fonts. Call it on a fresh chart before adding series (a theme resets
/// series colours), then styleAxes() once the axes are attached.
void applyTheme(QChart* chart, bool dark);
/// 9 pt labels and titles on every axis of `chart`.
void styleAxes(QChart* chart);
/// Whether `palette` is a dark one (its window colour is dark).
bool isDark(const QPalette& palette);

/// Puts `values` x `scale` in `set`: all of them when the count differs, else only the ones
/// that changed (each change lays the whole series out again, and an edit changes a layer).
void setBarValues(QBarSet* set, const std::vector<double>& values, double scale);

/// A value axis from 0 with nice numbers up to at least `max`, titled `title`. Changes nothing
/// that is already so: each change lays the axis's labels out again.
void setValueAxis(QValueAxis* axis, const QString& title, double max);
/// Sets the chart's title when it differs (a title is rich text, laid out on every change).
void setTitle(QChart* chart, const QString& title);

/// A chart title with a smaller, plain second line for `note` (none when it is empty).
QString titleWithNote(const QString& title, const QString& note);
/// The title as plain text, the note after a dash (for SVG and PDF metadata).
QString plainTitle(const QString& title);

/// "pJ", "nJ", "µJ", "mJ" or "J" so that maxPj * *scale lies in 1..1000; *scale converts pJ.
QString energyUnit(double maxPj, double* scale);
/// "ns", "µs", "ms" or "s" so that maxS * *scale lies in 1..1000; *scale converts seconds.
QString timeUnit(double maxS, double* scale);

}  // namespace cdx::chartstyle
