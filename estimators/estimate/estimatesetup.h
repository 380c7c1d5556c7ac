#pragma once

// Estimator::Setup: a project's blocks read and checked for one estimate (estimatesetup.cpp
// reads them; estimator.cpp estimates from them). Internal to estimators/estimate.

#include "core/compression/compressionplan.h"
#include "estimators/estimate/estimator.h"
#include "estimators/estimate/hardwarespec.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/templateinfo.h"

#include <nlohmann/json.hpp>

#include <string>

namespace cdx {

/// A project's hardware, compression, platform and tech blocks read and checked for one
/// estimate, as typed values.
struct Estimator::Setup {
    HardwareSpec hardware;
    const AcceleratorTemplate* tmpl = nullptr;
    CompressionPlan plan;
    TemplateParams params;
    nlohmann::ordered_json platformJson;  ///< the preset's platform with the project's keys over it
    nlohmann::json overrides;             ///< the technology tables' changes
    Platform platform;

    /// The built design depends on the template, its parameters, the platform, the technology
    /// tables, the datapath and (for a layer pipeline) every workload (`networkHash`).
    std::string buildKey(const LayerCompression& defaults, std::size_t networkHash) const
    {
        return tmpl->info().name + "|" + params.values().dump() + "|" + platformJson.dump() + "|" + overrides.dump() + "|" +
               std::to_string(defaults.weights.bits) + "/" + std::to_string(static_cast<int>(defaults.weights.format)) + "/" +
               std::to_string(defaults.activations.bits) + "/" + std::to_string(static_cast<int>(defaults.activations.format)) + "/" +
               std::to_string(defaults.accumulatorBits) + "|" + std::to_string(networkHash);
    }
};

}  // namespace cdx
