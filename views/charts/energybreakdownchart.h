#pragma once

#include "views/charts/chartview.h"

#include <memory>

class QStackedBarSeries;
class QValueAxis;

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
