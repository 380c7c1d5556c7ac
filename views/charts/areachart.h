#pragma once

#include "views/charts/chartview.h"

namespace cdx {

/// Where the silicon goes. An ASIC result: horizontal bars of NetworkResult::areaBreakdown in
/// mm², largest first: one per component, or one per what the components are built of
/// (physicalAreaGroup: datapath and logic, SRAM arrays and periphery, registers, placement,
/// control and NoC), each stacked by its components. An FPGA result: each resource the device has (LUT, FF, DSP, BRAM36,
/// URAM) in % of the device, stacked by component (FpgaUsage::breakdown), with the 100% line.
class AreaChart : public ChartView {
    Q_OBJECT

public:
    explicit AreaChart(QWidget* parent = nullptr);

    /// Rows by what the components are built of instead of one per component (ASIC only).
    void setGroupedByKind(bool grouped);
    bool groupedByKind() const { return groupedByKind_; }

protected:
    QString buildChart(QChart* chart, const NetworkResult& result) override;

private:
    QString buildAsic(QChart* chart, const NetworkResult& result);
    QString buildFpga(QChart* chart, const NetworkResult& result);

    bool groupedByKind_ = false;
};

}  // namespace cdx
