#pragma once

#include "views/charts/chartview.h"

#include <QHash>

#include <memory>
#include <vector>

class QStackedBarSeries;
class QValueAxis;

namespace cdx {

/// The base of the per-layer stacked-bar charts (energy by component, latency by bound): a bar
/// per layer, a stacked series per name, a value axis from zero. A subclass tabulates a result
/// and words the chart; the base builds it, and updates it in place when a new result has the
/// same layers and series.
class StackedLayerChart : public ChartView {
    Q_OBJECT

public:
    explicit StackedLayerChart(QWidget* parent = nullptr);

    void setSelectedLayer(const QString& layer) override;
    /// The unit of the value axis ("µJ", "ms"), empty before a result.
    QString unit() const { return unit_; }

protected:
    /// Values per series and layer, both in order of first appearance; layers without a value
    /// are dropped and counted.
    struct Table {
        QStringList layers;
        QStringList series;
        std::vector<std::vector<double>> values;  ///< [series][layer]
        std::vector<double> totals;               ///< [layer]
        int omitted = 0;
    };
    /// Fills a Table in the result's order: a layer, then what its workloads add to its series.
    class TableBuilder {
    public:
        void layer(const QString& name);
        void add(const QString& series, double value);  ///< to the layer named last
        Table finish();

    private:
        Table table_;
        QStringList allLayers_;
        QHash<QString, std::size_t> layerIndex_;
        std::size_t current_ = 0;
        std::vector<std::vector<double>> values_;  ///< [series][every layer]
    };

    virtual Table tabulate(const NetworkResult& result) const = 0;
    /// What the chart shows instead of bars when no layer has a value.
    virtual QString emptyText() const = 0;
    /// A series' legend label.
    virtual QString seriesLabel(const QString& name) const { return name; }
    /// The unit for values up to `max`, and the scale from the values to it.
    virtual QString unitFor(double max, double* scale) const = 0;
    /// The value axis's title, with unit().
    virtual QString axisTitle() const = 0;
    /// The chart's title (chartstyle::titleWithNote).
    virtual QString chartTitle(const NetworkResult& result, const Table& table) const = 0;
    /// The tool tip of one series' part of a layer's bar.
    virtual QString barToolTip(const Table& table, std::size_t series, std::size_t layer) const = 0;

    QString buildChart(QChart* chart, const NetworkResult& result) final;
    bool updateChart(QChart* chart, const NetworkResult& result) final;

private:
    /// The table's values in the bars (only the bars that changed), the axis and the title.
    void showTable(QChart* chart, const NetworkResult& result);

    std::shared_ptr<const Table> table_;
    QPointer<QStackedBarSeries> series_;
    QPointer<QValueAxis> axisY_;
    QString unit_;
};

}  // namespace cdx
