#pragma once

#include "estimators/engine/architecture.h"
#include "estimators/engine/enginestats.h"
#include "estimators/engine/mapping.h"
#include "estimators/engine/problem.h"

namespace cdx {

struct EngineOptions {
    /// Timeloop master's sliding-window rule: the input halo is reused across irrelevant
    /// loops inside the sliding one. Off: the rule of Timeloop v3.0.3 and of the reference
    /// outputs, which refetches the whole tile when such a loop sits in between.
    bool masterHaloReuse = false;
    /// Leakage per instance and cycle (Timeloop v3.0.3 charges none).
    bool leakage = true;
    /// Reject mappings whose tiles do not fit the levels.
    bool checkCapacity = true;
};

/// Evaluates one mapping of a problem on an architecture with Timeloop's semantics, in closed
/// form: per level and data space the tile, the data pulled in by the level below over the
/// loops above it (temporal reuse over irrelevant loops, sliding-window halos), multicast and
/// spatial reduction over each fan-out, bypass, partial-sum read-modify-write, bandwidth-limited
/// cycles, energy, leakage and area. Writes `out`; allocates nothing.
void evaluateMapping(const Problem& problem, const Architecture& arch, const Mapping& mapping,
                     const EngineOptions& options, EngineStats& out);

/// The slowdown (1 = none, below 1 = throttled) of a level that moves `readWords` and
/// `writeWords` over `computeCycles` within its read, write and shared bandwidths.
double bandwidthSlowdown(const StorageLevel& level, double readWords, double writeWords, double computeCycles);

}  // namespace cdx
