#pragma once

#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"
#include "estimators/pe/pespec.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cdx {

struct ValidationOptions {
    std::string layer;              ///< only this layer (or workload) by name; empty: every MAC layer
    double maxCycleErrorPct = 2.0;  ///< RTL cycles beside the PE-level prediction
    /// RTL cycles beside the estimator's layer cycles per busy PE scaled to the tile; negative:
    /// not checked (they include memory stalls, which the PE does not see).
    double maxLayerErrorPct = -1;
    Dim maxTileOutputs = 64;        ///< outputs of the tile (the first ones of the layer)
    Dim maxTileProducts = 1 << 20;  ///< products of the tile, fewer outputs when the reduction is long
    std::uint64_t seed = 1;         ///< synthetic activations (and weights when the network has none)
    double backpressure = 0;        ///< share of cycles the consumer holds the PE's results (checks outputs only)
    std::string vcdPath;            ///< a VCD trace of the (single) layer's run; needs `layer`
    /// Called after each layer (from worker threads, serialised): layers done, layers in all.
    std::function<void(int done, int total)> onProgress;
    const std::atomic<bool>* cancel = nullptr;
};

/// The check of one workload's tile.
struct LayerValidation {
    std::string workload;
    std::string layer;
    std::string kind;
    std::string skipped;           ///< why it was not simulated (no MAC PE, too many lanes); empty when it ran
    PeSpec pe;
    std::string tile;              ///< "64 outputs x 576 products (of 802816 outputs)"
    Dim outputs = 0;
    Dim reduction = 0;
    Dim products = 0;
    bool realWeights = false;      ///< the layer's own weights, quantised by the plan (else seeded synthetic)
    std::string weightsNote;
    // Cycles.
    Dim rtlCycles = 0;
    Dim predictedCycles = 0;       ///< the PE-level model (predictPeCycles)
    double cycleErrorPct = 0;      ///< (RTL - predicted) / predicted
    std::string cycleNote;         ///< why the RTL's cycles may differ from the prediction or the layer estimate, when they may
    Dim layerCycles = 0;           ///< the estimator's cycles for the whole workload
    /// PEs that share the workload in the estimator's mapping (its spatial loops); the design's
    /// PEs (PeSpec::instances) when the design has no loop-nest mapping.
    double busyPes = 0;
    double layerTileCycles = 0;    ///< the layer's cycles per busy PE, scaled to the tile's products
    double layerTileCyclesAllPes = 0;  ///< the same as if every PE of the design shared the work
    /// The same from the cycles the mapping's MACs take alone, without memory stalls or an output
    /// stage; layerTileCycles when the design has no loop-nest mapping or nothing else adds cycles.
    double layerTileComputeCycles = 0;
    double layerErrorPct = 0;      ///< (RTL - layerTileCycles) / layerTileCycles: memory stalls, padded loops
    // Arithmetic.
    Dim mismatches = 0;
    std::string firstMismatch;     ///< "output 3: RTL 17, golden 18"
    // Activity.
    std::uint64_t toggles = 0;
    double toggleRate = 0;         ///< flips per multiplier-input bit loaded
    double assumedToggleRate = 0.5;///< the energy model's multipliers (energies measured on random operands)
    bool countersMatch = true;     ///< the RTL's toggle and product counters equal the golden model's
    double seconds = 0;
    std::uint64_t simulatedCycles = 0;
    bool passed = false;
};

struct ValidationReport {
    std::string project;
    std::string file;
    std::string templateName;
    std::string design;
    double maxCycleErrorPct = 0;
    double maxLayerErrorPct = -1;
    std::vector<LayerValidation> layers;
    Dim validated = 0;
    Dim skipped = 0;
    Dim failed = 0;
    bool cancelled = false;
    double seconds = 0;
    std::uint64_t simulatedCycles = 0;
    bool passed() const { return failed == 0 && validated > 0 && !cancelled; }
};

/// Estimates the project, then for each MAC workload (or the one named) builds a tile of the
/// PE's work under the design's PE (HardwareDesign::processingElement), runs it on the
/// verilated PE, and compares outputs with the golden model and cycles with the PE-level
/// prediction and with the estimator's layer cycles. Layers run in parallel, one simulator each.
/// Errors: the project does not estimate, the named layer does not exist.
Result<ValidationReport> validateProject(const Project& project, const Network& network, const ValidationOptions& options);

/// The report as JSON (cdx validate --json): every field above, by layer.
nlohmann::ordered_json validationReportJson(const ValidationReport& report);

}  // namespace cdx
