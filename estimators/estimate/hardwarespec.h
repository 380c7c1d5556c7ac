#pragma once

#include "core/util/result.h"
#include "estimators/mapper/mapper.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cdx {

/// A project's "hardware" block: the template, an optional preset, parameter values and how
/// the mapper searches ("mapper": {"objective": "energy" | "latency" | "edp" (the default), "budget": N}).
struct HardwareSpec {
    std::string templateName;
    std::string preset;
    nlohmann::ordered_json params = nlohmann::ordered_json::object();
    MapperObjective objective = MapperObjective::EnergyDelay;
    int budget = MapperOptions{}.maxEvaluations;

    static Result<HardwareSpec> fromJson(const nlohmann::ordered_json& block, const std::string& file);
};

}  // namespace cdx
