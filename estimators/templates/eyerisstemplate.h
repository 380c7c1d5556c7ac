#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// Eyeriss's row-stationary dataflow: a grid of PEs with three scratchpads each (input row,
/// filter row, partial sums), a global buffer for inputs and outputs, weights straight from DRAM.
class EyerissTemplate : public AcceleratorTemplate {
public:
    EyerissTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    TemplateInfo info_;
};

}  // namespace cdx
