#pragma once

#include "core/accuracy/accuracyrunner.h"
#include "core/explore/designspace.h"
#include "core/project/project.h"

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

/// One layer at one setting, measured alone.
struct SensitivityProbe {
    std::size_t layer = 0;         ///< index in the network
    std::string tokens;            ///< the setting column of the table
    nlohmann::ordered_json rule;   ///< the compression rule that sets it (without a selector)
};

/// The default ladder on every layer with weights.
std::vector<SensitivityProbe> ladderProbes(const Network& net, const std::vector<SensitivityStep>& ladder);

/// Every setting an exploration gives each layer: the layer's whole resolved setting (the
/// project's plan, then the axes' rules) in the design points of `space`, one probe per distinct
/// setting. The settings of a layer are the product of the values of the compression axes that
/// reach it (its own, and those on the plan's default); past 64 combinations, each axis alone
/// with the others at their first value. The tokens name the whole setting, so that a table
/// row matches exactly the points that give the layer that setting. Layers no compression axis
/// reaches get no probe.
std::vector<SensitivityProbe> explorationProbes(const Project& project, const Network& net, const DesignSpace& space);

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
/// The same for any probes (every other layer float).
Result<std::vector<SensitivityRow>> measureSensitivity(const AccuracySession& session, const Network& net,
                                                       const std::vector<SensitivityProbe>& probes,
                                                       const std::function<bool(double)>& progress = {});

/// The rows as the CSV SensitivityTable reads (header layer,setting,accuracy_drop).
std::string sensitivityCsv(const std::vector<SensitivityRow>& rows, const std::string& comment);

}  // namespace cdx
