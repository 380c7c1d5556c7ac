#pragma once

#include "core/explore/designspace.h"
#include "core/explore/pareto.h"

#include <memory>
#include <string>
#include <vector>

namespace cdx {

/// One part of a sharded search: shard `index` (1-based) of `count`.
struct Shard {
    int index = 1;
    int count = 1;
};

/// A design point with its outcome, as the search sees it.
struct Evaluation {
    Genome genome;
    std::string key;          ///< DesignSpace::key(genome)
    bool feasible = false;    ///< estimated and within every constraint
    std::string reason;       ///< why not: the estimate's error or the constraints it breaks
    double violation = 0;     ///< how far outside the constraints (0 when feasible; infinity when it has no estimate)
    bool estimated = false;   ///< the estimate succeeded (metrics are valid)
    MetricValues metrics{};
    ObjectiveVector objectives;  ///< minimised: maximised metrics negated
};

/// Ask/tell search over a DesignSpace. ask() proposes the next points (an empty batch: the
/// search is done); tell() returns their evaluations in the same order. Deterministic for a
/// given space, seed and shard: the same asks give the same points, whatever the batch timing.
class SearchStrategy {
public:
    virtual ~SearchStrategy() = default;
    virtual std::vector<Genome> ask() = 0;
    virtual void tell(const std::vector<const Evaluation*>& evaluations) = 0;
    /// Points this search will propose in all, when known (0: unknown).
    virtual std::uint64_t plannedPoints() const = 0;
    virtual std::string describe() const = 0;
};

/// The space's search ("search" block) for one shard: the grid's and random sampling's points
/// are dealt round-robin to the shards; NSGA-II runs one island per shard (its seed offset by
/// the shard).
std::unique_ptr<SearchStrategy> makeSearchStrategy(const DesignSpace& space, Shard shard);

/// Deb's constrained domination order of `evaluations`: the feasible ones by non-dominated
/// fronts, then the infeasible ones by violation. Returns the fronts (indices).
std::vector<std::vector<std::size_t>> constrainedFronts(const std::vector<const Evaluation*>& evaluations);

}  // namespace cdx
