#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// NVIDIA's NVDLA convolution core: atomic-C x atomic-K MAC cells (a weight-stationary array
/// reducing atomic-C input channels per cycle for atomic-K output channels), the convolution
/// buffer (CBUF) holding weights and input data, and the accumulator (CACC).
class NvdlaTemplate : public AcceleratorTemplate {
public:
    NvdlaTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    TemplateInfo info_;
};

}  // namespace cdx
