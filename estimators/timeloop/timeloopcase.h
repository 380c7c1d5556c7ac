#pragma once

#include "core/util/result.h"
#include "estimators/engine/architecture.h"
#include "estimators/engine/mapping.h"
#include "estimators/engine/problem.h"

#include <map>
#include <string>
#include <vector>

namespace cdx {

/// A Timeloop case: problem, architecture, the mapping to evaluate, and the energy and area
/// tables (ERT, ART) Accelergy made for it, as read from a Timeloop output folder.
struct TimeloopCase {
    std::string folder;
    Problem problem;
    Architecture architecture;
    Mapping mapping;
    std::vector<std::string> warnings;
};

/// Reads a folder holding Timeloop's `parsed-processed-input.yaml`, its `*.ERT.yaml` and
/// `*.ART.yaml`, and, for mapper runs, the final mapping in `*.map.yaml`. Errors name the
/// file, the key and the level.
Result<TimeloopCase> loadTimeloopCase(const std::string& folder);

}  // namespace cdx
