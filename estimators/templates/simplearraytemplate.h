#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// Timeloop's example designs `simple_weight_stationary` and `simple_output_stationary`: a
/// global buffer over a grid of PEs, each with a scratchpad (weights, or partial sums) and one
/// register per operand next to its MAC. The two differ only in what the scratchpad keeps and
/// in its loop order, so they share this class.
class SimpleArrayTemplate : public AcceleratorTemplate {
public:
    explicit SimpleArrayTemplate(bool weightStationary);
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    bool weightStationary_;
    TemplateInfo info_;
};

}  // namespace cdx
