#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// Aristotle (Angel-Eye; Guo et al., IEEE Micro 2017): PEs of k x k line-buffered convolvers, each
/// convolver taking one input channel and the PE's adder tree summing them into one output channel;
/// an input buffer shared by all PEs, an output buffer that feeds partial sums back, a weight
/// buffer, pooling and the non-linearity in the pipeline after the adder tree, DRAM through the
/// SoC's memory ports with double buffering. An analytical model (row-band tiling of the buffers,
/// line-buffer streaming, kernels larger than k split into k x k passes, fully connected layers as
/// matrix-vector products on all multipliers, bound by DRAM) on the same platform costs as the
/// loop-nest templates.
class ConvolverArrayTemplate : public AcceleratorTemplate {
public:
    ConvolverArrayTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    TemplateInfo info_;
};

}  // namespace cdx
