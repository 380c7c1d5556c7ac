#pragma once

#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/explore/searchstrategy.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace cdx {

/// A search written to a run directory (explorefiles.h), resumable and shardable: the work of
/// `cdx explore`, kept below the front ends so any of them can run it.
struct ExploreRunRequest {
    const Project* project = nullptr;
    const Network* network = nullptr;
    const DesignSpace* space = nullptr;  ///< of `project`, its names checked already
    std::string dir;                     ///< the run directory (made when missing)
    std::string projectPath;             ///< as run.json and summary.json record it
    Shard shard;
    bool resume = false;                 ///< continue the run in `dir` (else a run there is refused)
    /// threads, budgets and progress; `recovered`, `onEvaluated` and `cancel` are the run's.
    ExploreOptions options;
    /// Set by the caller to stop the run between batches (a signal, a Cancel button); the run
    /// sets it too when points.csv cannot be written. Null: the run's own flag.
    std::atomic<bool>* cancel = nullptr;
    /// summary.json's stopped_by for a cancelled run ("interrupt" where only a signal cancels).
    std::string cancelledBy = "cancelled";
};

/// How the points are estimated. The explorer only needs PointEvaluator; the run also records
/// how the evaluator worked (summary.json) and says it before the search.
class RunEvaluator : public PointEvaluator {
public:
    /// "points whose per-layer parts are known are composed from them", ...
    virtual std::string describe() const = 0;
    /// What summary.json records of the evaluator: {"composed": ..., "composed_points": ..., ...}.
    virtual nlohmann::ordered_json counts() const = 0;
};

/// Makes the evaluator for the project as the run ranks it (with its measured sensitivity table
/// when the project has data to measure on).
using RunEvaluatorFactory = std::function<std::unique_ptr<RunEvaluator>(const Project& ranked)>;

struct ExploreRunResult {
    ExploreOutcome outcome;
    nlohmann::ordered_json summary;  ///< as written to summary.json
    std::string stoppedBy;           ///< empty when the search ran to its end
};

/// Checks the run directory (a new one, or the same search to resume), writes run.json, ranks
/// the points by measured sensitivity when there is data, runs the search appending points.csv
/// as it goes, measures the front's accuracy when there is data, and writes front.json and
/// summary.json. `status` gets lines worth showing ("resuming with 120 points"), `warning` the
/// ones that need attention. Errors name the file and place (exit code BadInput or Internal).
Result<ExploreRunResult> runExploreDirectory(ExploreRunRequest request, const RunEvaluatorFactory& makeEvaluator,
                                             const std::function<void(const std::string&)>& status,
                                             const std::function<void(const std::string&)>& warning);

}  // namespace cdx
