#pragma once

#include "views/charts/chartview.h"

namespace cdx {

/// Where the silicon goes. An ASIC result: horizontal bars of NetworkResult::areaBreakdown in
/// mm², largest first. An FPGA result: each resource the device has (LUT, FF, DSP, BRAM36,
/// URAM) in % of the device, stacked by component (FpgaUsage::breakdown), with the 100% line.
class AreaChart : public ChartView {
    Q_OBJECT

public:
    explicit AreaChart(QWidget* parent = nullptr);

protected:
    QString buildChart(QChart* chart, const NetworkResult& result) override;

private:
    QString buildAsic(QChart* chart, const NetworkResult& result);
    QString buildFpga(QChart* chart, const NetworkResult& result);
};

}  // namespace cdx
