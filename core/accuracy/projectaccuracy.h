#pragma once

#include "core/accuracy/accuracyrunner.h"
#include "core/project/project.h"

#include <nlohmann/json.hpp>

namespace cdx {

/// What measuring a project needs, read and checked: its network (with weights), plan, data.
struct ProjectAccuracyInputs {
    std::shared_ptr<const Network> network;
    CompressionPlan plan;
    AccuracySpec spec;
    std::string modelPath;
};
/// BadInput when the project has no "accuracy" block or its network is not an ONNX model.
Result<ProjectAccuracyInputs> projectAccuracyInputs(const Project& project);

/// The project's network measured on the project's data under the project's compression plan:
/// what `cdx accuracy` and the studio's Measure accuracy run. BadInput when the project has no
/// "accuracy" block or its network is not an ONNX model (zoo and JSON networks have no weights).
Result<AccuracyReport> measureProjectAccuracy(const Project& project, const AccuracyOptions& options = {});

/// The model file a project's network reads (resolved against the project's folder); BadInput
/// naming /network when the network is not an ONNX model.
Result<std::string> projectModelPath(const Project& project);

/// "cdx-accuracy" JSON of a report.
nlohmann::ordered_json accuracyReportJson(const AccuracyReport& report);

}  // namespace cdx
