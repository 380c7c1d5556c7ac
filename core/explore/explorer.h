#pragma once

#include "core/explore/designspace.h"
#include "core/explore/searchstrategy.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cdx {

/// What an evaluator says about one design point.
struct PointEstimate {
    bool ok = false;
    std::string reason;  ///< why there is no estimate (the design does not fit, a bad parameter value)
    MetricValues metrics{};
};

/// Estimates design points. Called from several threads at once.
class PointEvaluator {
public:
    virtual ~PointEvaluator() = default;
    virtual PointEstimate evaluate(const Genome& genome) = 0;
};

/// The point's objectives and constraints: feasible when estimated and within every constraint;
/// otherwise the reason names the broken constraints (or the estimate's error).
Evaluation judge(const DesignSpace& space, const Genome& genome, const PointEstimate& estimate);
/// The same with the point's key known already (the genome and the key move into the result).
Evaluation judge(const DesignSpace& space, Genome genome, std::string key, const PointEstimate& estimate);

/// A running search's state, for progress lines and live plots.
struct ExploreProgress {
    std::uint64_t evaluated = 0;   ///< points estimated by this run
    std::uint64_t recovered = 0;   ///< points read back from an interrupted run (not estimated again)
    std::uint64_t planned = 0;     ///< points the search will propose (0: unknown)
    std::uint64_t feasible = 0;
    double elapsedS = 0;
    double pointsPerS = 0;         ///< estimates per second of this run
    bool finished = false;
};

struct ExploreOptions {
    int threads = 0;               ///< 0: every core
    double budgetSeconds = 0;      ///< stop after this long (0: no limit)
    std::uint64_t maxPoints = 0;   ///< stop after estimating this many points (0: no limit)
    /// Points of an earlier, interrupted run of the same search: proposed again, they are taken
    /// from here instead of being estimated.
    std::vector<Evaluation> recovered;
    /// The points each batch estimated, in the order the search proposed them (to write them out).
    std::function<void(const std::vector<const Evaluation*>&)> onEvaluated;
    /// Progress and the current front (feasible, non-dominated), a few times a second and at the end.
    std::function<void(const ExploreProgress&, const std::vector<const Evaluation*>&)> onProgress;
    double progressIntervalS = 0.25;
    const std::atomic<bool>* cancel = nullptr;
};

/// Why a search ended before its end.
enum class StopReason {
    None,         ///< it ran to its end
    Cancelled,    ///< ExploreOptions::cancel was set (the CLI's interrupt, the studio's Cancel)
    TimeBudget,   ///< the space's budget in seconds ran out
    PointBudget,  ///< the space's (or the run's) point budget ran out
};

/// "cancelled", "time budget", "point budget"; empty for None.
const char* stopReasonName(StopReason reason);

struct ExploreOutcome {
    std::vector<Evaluation> points;  ///< every distinct point: recovered ones first, then in the order estimated
    std::vector<std::size_t> front;  ///< indices into points of the feasible non-dominated ones, in genome order
    ExploreProgress progress;
    bool complete = false;           ///< the search ran to its end (not stopped by a budget or cancelled)
    StopReason stoppedBy = StopReason::None;
};

/// Runs the search: asks for points, estimates the new ones in parallel on `threads` cores,
/// tells the search, and repeats until the search is done or a budget runs out. A point is never
/// estimated twice: repeated proposals and recovered points are answered from what is known.
ExploreOutcome explore(const DesignSpace& space, SearchStrategy& search, PointEvaluator& evaluator, ExploreOptions options);

/// The feasible non-dominated points of `points`, as indices in genome (grid) order.
std::vector<std::size_t> feasibleFront(const std::vector<Evaluation>& points);

}  // namespace cdx
