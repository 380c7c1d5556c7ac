#pragma once

#include "views/charts/chartview.h"

#include <memory>

class QStackedBarSeries;
class QValueAxis;

namespace cdx {

/// Latency per layer as bars coloured by what bounds each layer (LayerResult::bound): one bar
/// set per bound, so the legend reads "bound: DRAM". A layer whose workloads have different
/// bounds stacks one segment per bound. Layers that take no time are left out.
class LatencyChart : public ChartView {
    Q_OBJECT

public:
    explicit LatencyChart(QWidget* parent = nullptr);

    void setSelectedLayer(const QString& layer) override;
    /// The unit of the time axis ("ms"), empty before a result.
    QString unit() const { return unit_; }

protected:
    QString buildChart(QChart* chart, const NetworkResult& result) override;
    bool updateChart(QChart* chart, const NetworkResult& result) override;

private:
    struct Table;
    static Table tabulate(const NetworkResult& result);
    /// The table's values in the bars (only the bars that changed), the axis and the title.
    void showTable(QChart* chart, const NetworkResult& result);

    std::shared_ptr<const Table> table_;
    QPointer<QStackedBarSeries> series_;
    QPointer<QValueAxis> axisY_;
    QString unit_;
};

}  // namespace cdx
