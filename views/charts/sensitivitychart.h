#pragma once

#include <QChartView>
#include <QColor>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace cdx {

class HeatMapItem;
class SensitivityTable;

/// A sensitivity table (cdx accuracy --sensitivity) as a heat map: its layers as rows and its
/// settings as columns, both in the table's order, each cell coloured by the accuracy drop and
/// showing it in percentage points. The colour scale is logarithmic from 0.01 pp (one example in
/// 10,000; no drop or a gain shows the same palest colour) to 100 pp, the same for every table,
/// so that colours compare across networks.
class SensitivityChart : public QChartView {
    Q_OBJECT

public:
    explicit SensitivityChart(QWidget* parent = nullptr);

    /// Draws `table`; its title names the table's file.
    void setTable(const SensitivityTable& table);
    /// Shows `text` (plain, lines broken at \n) instead of a chart ("No sensitivity table").
    void clearTable(const QString& text);
    void setDark(bool dark);

    /// The rows and columns drawn, in order (empty without a table).
    QStringList layers() const { return layers_; }
    QStringList settings() const { return settings_; }
    /// The drop drawn at (layer, setting), if the table has one.
    std::optional<double> drop(int layer, int setting) const;
    HeatMapItem* heatMap() const { return heatMap_; }

    /// The scale's colour for a drop in percentage points.
    static QColor dropColor(double dropPp);
    /// A drop as written in its cell: about two significant digits ("0.04", "2.6", "40").
    static QString dropText(double dropPp);

private:
    void rebuild();

    QString file_;
    QString placeholder_;
    QStringList layers_, settings_;
    std::vector<std::optional<double>> drops_;  ///< row after row
    std::vector<int> lines_;                    ///< the table's line of each drop
    bool dark_ = false;
    HeatMapItem* heatMap_ = nullptr;
};

}  // namespace cdx
