#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// The HALF DNNU of the SustainML framework (sustainml.eu) and FINN: one streaming module per
/// layer, connected by FIFOs, all weights on chip. Each MAC layer is a matrix-vector unit with PE
/// output neurons (filters) and SIMD dot-product lanes in parallel; the folding (PE, SIMD per
/// layer) is chosen automatically: the slowest stage gets more parallelism until the target frame
/// rate is met or the device's resources (under FINN's timing-closure caps) run out. Resources
/// follow FINN-R (Blott et al., ACM TRETS 2018); each layer uses its own precision from the
/// compression plan. The network's time per inference is set by the slowest stage.
class DataflowPipelineTemplate : public AcceleratorTemplate {
public:
    DataflowPipelineTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;
    bool designDependsOnNetwork() const override { return true; }

private:
    TemplateInfo info_;
};

}  // namespace cdx
