#pragma once

#include "core/compression/compressionanalyzer.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"
#include "estimators/tech/physicalmodel.h"
#include "estimators/mapper/mapper.h"
#include "estimators/results/networkresult.h"
#include "estimators/tech/fpgalibrary.h"
#include "estimators/tech/techlibrary.h"
#include "estimators/templates/hardwaredesign.h"
#include "estimators/workload/workload.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace cdx {

class AcceleratorTemplate;
class HardwareDesign;
struct DesignInputs;
struct EvaluateOptions;
struct Workload;

struct EstimateOptions {
    bool showMapping = false;                   ///< keep each layer's loop nest
    std::optional<MapperObjective> objective;   ///< overrides the project's
    std::optional<int> budget;                  ///< mapper evaluations per layer
    /// A measured run's accumulator needs (CompressionPlan::accumulatorProfile): the widths of
    /// layers whose plan says "accumulator": {"bits": "auto"}.
    std::map<std::string, int> accumulatorProfile;
    /// Fuse element-wise operators into the MAC layers' output stages as the template's output
    /// stage allows (false: every layer of the graph as exported runs on its own).
    bool fuse = true;
};

/// What an estimate built on the way, for tools that look inside a design (rtlsim's validation).
struct EstimateInternals {
    std::shared_ptr<const HardwareDesign> design;
    std::vector<Workload> workloads;  ///< as lowered, in the order of NetworkResult::layers
    EvaluateOptions evaluate;         ///< the mapper's objective and budget the estimate used
    nlohmann::ordered_json params;    ///< the template's parameters as resolved (preset, then the project's)
    PhysicalDesign physical;          ///< ASIC: the design as the physical model saw it
};

/// Estimates a project's network on its hardware and platform: builds the design from the
/// template, lowers every layer, maps and evaluates each distinct workload once (in parallel,
/// on every core), and adds the layers up (or takes the slowest stage of a pipeline).
/// Workload results are cached by design and shape, so estimating again after a change that
/// leaves a layer's design and shape alone costs a lookup. Safe to call from several threads.
class Estimator {
public:
    /// `keptDesigns`: the designs whose workload results the cache holds; one more empties it.
    explicit Estimator(std::size_t keptDesigns = 64) : keptDesigns_(std::max<std::size_t>(1, keptDesigns)) {}

    Result<NetworkResult> estimate(const Project& project, const Network& network, const EstimateOptions& options = {});
    /// The same, keeping the built design and the lowered workloads in `internals`.
    Result<NetworkResult> estimate(const Project& project, const Network& network, const EstimateOptions& options,
                                   EstimateInternals& internals);

    /// Workload results in the cache.
    std::size_t cachedResults() const;
    /// Forgets every cached result and built design (the benchmarks' cold runs).
    void clearCache();

private:
    Result<NetworkResult> estimate(const Project& project, const Network& network, const EstimateOptions& options,
                                   EstimateInternals* internals);
    struct Setup;
    /// Reads and checks the project's blocks; every error names the JSON path.
    Result<Setup> setUp(const Project& project, const EstimateOptions& options);
    using Libraries = std::pair<std::shared_ptr<const TechLibrary>, std::shared_ptr<const FpgaLibrary>>;
    /// The technology tables with `overrides`, parsed once while they stay the same.
    Result<Libraries> technology(const nlohmann::json& overrides, const std::string& file);
    /// The design `buildKey` names: built before, or built now.
    Result<std::shared_ptr<const HardwareDesign>> design(const AcceleratorTemplate& tmpl, const DesignInputs& inputs,
                                                         const std::string& buildKey, const std::string& file);
    /// Evaluates the workloads not in the cache (in parallel) and appends every layer's result.
    std::optional<Error> evaluateAll(const HardwareDesign& design, const std::vector<Workload>& workloads,
                                     const std::vector<std::string>& workloadKeys, const EvaluateOptions& evaluate,
                                     const std::string& file, NetworkResult& result);

    /// Costs the fused operators of each MAC layer in its output stage (on the design's vector
    /// unit, without the activations' round trip) and adds them to the layer's result.
    std::optional<Error> addOutputStages(const HardwareDesign& design, const std::vector<Workload>& workloads,
                                         const EvaluateOptions& evaluate, const std::string& file, NetworkResult& result);

    std::size_t keptDesigns_;
    mutable std::mutex mutex_;
    std::optional<Libraries> libraries_;
    std::string librariesKey_;
    using Results = std::unordered_map<std::string, LayerResult>;  ///< by workload key
    std::unordered_map<std::string, Results> cache_;                ///< by design key
    std::unordered_map<std::string, std::shared_ptr<const HardwareDesign>> designs_;  ///< the last designs built
    CompressionAnalyzer compression_;  ///< layer analyses on real weights, kept across estimates
};

}  // namespace cdx
