#pragma once

// The writers behind exportDesign (designexport.h), one per format. Internal to estimators/export:
// front ends call exportDesign, which runs the estimate these take.

#include "core/compression/compressionplan.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"
#include "estimators/estimate/estimator.h"
#include "estimators/export/designexport.h"

#include <string>
#include <vector>

namespace cdx {

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

}  // namespace cdx
