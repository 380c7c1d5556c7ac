#pragma once

#include "views/charts/chartview.h"

class QStackedBarSeries;

namespace cdx {

/// Energy per layer as stacked bars, one colour per component (LayerResult::energyBreakdownPj;
/// a layer's workloads add up). Layers without energy are left out and counted in the title.
class EnergyBreakdownChart : public ChartView {
    Q_OBJECT

public:
    explicit EnergyBreakdownChart(QWidget* parent = nullptr);

    void setSelectedLayer(const QString& layer) override;
    /// The unit of the energy axis ("µJ"), empty before a result.
    QString unit() const { return unit_; }

protected:
    QString buildChart(QChart* chart, const NetworkResult& result) override;

private:
    QPointer<QStackedBarSeries> series_;
    QString unit_;
};

}  // namespace cdx
