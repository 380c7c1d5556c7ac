#pragma once

#include "views/charts/stackedlayerchart.h"

namespace cdx {

/// Energy per layer as stacked bars, one colour per component (LayerResult::energyBreakdownPj;
/// a layer's workloads add up). Layers without energy are left out and counted in the title.
class EnergyBreakdownChart : public StackedLayerChart {
    Q_OBJECT

public:
    explicit EnergyBreakdownChart(QWidget* parent = nullptr);

protected:
    Table tabulate(const NetworkResult& result) const override;
    QString emptyText() const override;
    QString unitFor(double max, double* scale) const override;
    QString axisTitle() const override;
    QString chartTitle(const NetworkResult& result, const Table& table) const override;
    QString barToolTip(const Table& table, std::size_t series, std::size_t layer) const override;
};

}  // namespace cdx
