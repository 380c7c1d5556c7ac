#pragma once

#include "core/accuracy/accuracyrunner.h"

#include <functional>
#include <string>
#include <vector>

namespace cdx {

/// One setting of a layer measured alone.
struct SensitivityStep {
    std::string tokens;            ///< the setting column of the table: "w4 w:int dense", "unstructured density=0.5"
    nlohmann::ordered_json rule;   ///< the compression rule that sets it (without "match")
};

/// The default ladder: int weights of 8, 7, 6, 5, 4, 3 and 2 bits (dense), and unstructured
/// pruning to densities 0.75, 0.5, 0.25 and 0.1 (float weights).
std::vector<SensitivityStep> defaultSensitivityLadder();

struct SensitivityRow {
    std::string layer;
    std::string setting;
    double dropPp = 0;
};

/// Measures each layer with weights alone at each step (every other layer and every activation
/// stays float), as the drop of the session's metric against the float network. The rows
/// form a sensitivity table (SensitivityTable) in which a layer's drops combine across layers
/// as shares of accuracy kept: 100 (1 - prod (1 - d_i / 100)).
Result<std::vector<SensitivityRow>> measureSensitivity(const AccuracySession& session, const Network& net,
                                                       const std::vector<SensitivityStep>& ladder,
                                                       const std::function<bool(double)>& progress = {});

/// The rows as the CSV SensitivityTable reads (header layer,setting,accuracy_drop).
std::string sensitivityCsv(const std::vector<SensitivityRow>& rows, const std::string& comment);

}  // namespace cdx
