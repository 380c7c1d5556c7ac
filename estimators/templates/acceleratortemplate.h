#pragma once

#include "core/compression/compressionplan.h"
#include "core/util/result.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/hardwaredesign.h"
#include "estimators/templates/templateinfo.h"

#include <memory>
#include <string_view>
#include <vector>

namespace cdx {

/// What a template builds from: its parameters, the platform, the datapath precision (the
/// compression plan's default) and the network's workloads (a layer-pipelined template sizes
/// one module per layer).
struct DesignInputs {
    const TemplateParams& params;
    const Platform& platform;
    OperandPrecision weights;
    OperandPrecision activations;
    int accumulatorBits = 0;  ///< 0: the template's choice
    const std::vector<Workload>& network;
    std::string preset;       ///< the preset's name, if any
};

/// A named, parameterised accelerator (`cdx templates` lists them).
class AcceleratorTemplate {
public:
    virtual ~AcceleratorTemplate() = default;
    virtual const TemplateInfo& info() const = 0;
    /// Builds the design; errors (a design that does not fit its FPGA, parameters that do not
    /// go together) are bad input that names the parameter or the resource.
    virtual Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const = 0;
    /// Whether the built design depends on the network's workloads (memories sized to its
    /// weights, a stage per layer), not only on the parameters, platform and default precision.
    /// When it does not, a network's result is the sum of independent per-layer results, which
    /// design-space exploration composes instead of estimating every point.
    virtual bool designDependsOnNetwork() const { return false; }
};

/// Every template, in the order `cdx templates` lists them.
const std::vector<const AcceleratorTemplate*>& acceleratorTemplates();
/// The named template, or an error that lists them and suggests the closest.
Result<const AcceleratorTemplate*> findAcceleratorTemplate(std::string_view name);

}  // namespace cdx
