#pragma once

#include "views/charts/stackedlayerchart.h"

namespace cdx {

/// Latency per layer as bars coloured by what bounds each layer (LayerResult::bound): one bar
/// set per bound, so the legend reads "bound: DRAM". A layer whose workloads have different
/// bounds stacks one segment per bound. Layers that take no time are left out.
class LatencyChart : public StackedLayerChart {
    Q_OBJECT

public:
    explicit LatencyChart(QWidget* parent = nullptr);

protected:
    Table tabulate(const NetworkResult& result) const override;
    QString emptyText() const override;
    QString seriesLabel(const QString& name) const override;
    QString unitFor(double max, double* scale) const override;
    QString axisTitle() const override;
    QString chartTitle(const NetworkResult& result, const Table& table) const override;
    QString barToolTip(const Table& table, std::size_t series, std::size_t layer) const override;
};

}  // namespace cdx
