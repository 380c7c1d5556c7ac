#pragma once

#include "core/project/project.h"
#include "estimators/results/networkresult.h"

#include <map>
#include <optional>
#include <string>

namespace cdx {

/// Replaces the estimate's accuracy (proxy or table) by the accuracy measured with ONNX Runtime
/// when the project has an "accuracy" block: from the measurement cache when this compressed
/// network was measured before, else measured now (about a second for MNIST). A measurement
/// that cannot run leaves the estimate's accuracy and returns why (for a warning).
std::optional<std::string> applyMeasuredAccuracy(const Project& project, NetworkResult& result);

/// The accumulator widths a measured run gives the layers whose plan says "accumulator":
/// {"bits": "auto"} (EstimateOptions::accumulatorProfile), from the measurement cache or measured
/// now. Empty when no rule says "auto" or the project has no "accuracy" block; when a
/// measurement cannot run, empty and `why` says why (the template's widths are used then).
std::map<std::string, int> measuredAccumulatorProfile(const Project& project, std::optional<std::string>& why);

}  // namespace cdx
