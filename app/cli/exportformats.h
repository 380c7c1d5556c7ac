#pragma once

// The writers behind `cdx export` for other tools' formats (the command is exportcommand.cpp).

#include "core/compression/compressionplan.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"
#include "estimators/estimate/estimator.h"

#include <optional>
#include <string>
#include <vector>

namespace cdx::cli {

/// What an export writes and says.
struct ExportOutput {
    std::vector<std::pair<std::string, std::string>> files;  ///< path (below --out) -> contents
    std::vector<std::string> notes;                          ///< what the target format cannot say
};

/// One Timeloop v3 case per array workload, in a folder named after it, and `cases.json`
/// listing them. Non-loop-nest templates are bad input.
Result<ExportOutput> exportTimeloop(const Project& project, const EstimateInternals& internals);

/// SCALE-Sim v2: `scalesim.cfg` (the array, its SRAMs and dataflow) and `topology.csv` (one row
/// per convolution or matrix workload). Only the systolic template has a SCALE-Sim equivalent.
Result<ExportOutput> exportScaleSim(const Project& project, const NetworkResult& result, const EstimateInternals& internals);

/// hls4ml: an HLSConfig dictionary (Model and LayerName: ap_fixed precisions whose integer bits
/// cover the layer's weight range when the network has weight values, reuse factor, strategy,
/// the pruning density) inside a "cdx-hls" JSON document with the notes, and a README.md that
/// lists the pruned layers (hls4ml has no pruning setting: their weights must be zeroed first).
Result<ExportOutput> exportHls(const Project& project, const Network& net, const std::vector<LayerCompression>& settings,
                               const EstimateInternals& internals);

/// A name usable as a file, folder or HDL identifier: other characters become '_'.
std::string exportIdentifier(std::string name);

}  // namespace cdx::cli
