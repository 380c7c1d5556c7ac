#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

class SparseMvTemplate : public AcceleratorTemplate {
public:
    SparseMvTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    TemplateInfo info_;
};

}  // namespace cdx
