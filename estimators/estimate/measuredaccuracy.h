#pragma once

#include "core/project/project.h"
#include "estimators/results/networkresult.h"

#include <optional>
#include <string>

namespace cdx {

/// Replaces the estimate's accuracy (proxy or table) by the accuracy measured with ONNX Runtime
/// when the project has an "accuracy" block: from the measurement cache when this compressed
/// network was measured before, else measured now (about a second for MNIST). A measurement
/// that cannot run leaves the estimate's accuracy and returns why (for a warning).
std::optional<std::string> applyMeasuredAccuracy(const Project& project, NetworkResult& result);

}  // namespace cdx
