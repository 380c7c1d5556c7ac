#pragma once

#include "core/util/result.h"
#include "estimators/engine/enginestats.h"
#include "estimators/engine/mapping.h"
#include "estimators/engine/nestanalysis.h"
#include "estimators/mapper/mappingconstraints.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cdx {

/// What the mapper minimises. Ties go to the other metric.
enum class MapperObjective { Energy, Latency, EnergyDelay };

std::string_view mapperObjectiveName(MapperObjective objective);
std::optional<MapperObjective> mapperObjectiveFromName(std::string_view name);

struct MapperOptions {
    MapperObjective objective = MapperObjective::Energy;
    /// Evaluations per search (the per-layer budget); the search is deterministic for a given
    /// budget, whatever the machine's speed.
    int maxEvaluations = 5000;
    std::uint64_t seed = 0x5eedc0de;
    EngineOptions engine;
};

struct MapperResult {
    Mapping mapping;
    EngineStats stats;
    int evaluations = 0;       ///< mappings evaluated
    int validMappings = 0;     ///< of which the engine accepted
};

/// Searches the mappings of `problem` on `arch` that `constraints` allow for the best one by
/// the objective: random valid mappings built level by level from the compute units outward
/// (spatial factors first, then temporal ones while the tiles fit), each improved by local
/// search (move one prime factor of a dimension to another level or fan-out, swap two loops,
/// keep or bypass an operand) until no move helps, within the evaluation budget.
/// Deterministic. Fails with a reason when the constraints admit no valid mapping (a fixed
/// factor that does not divide its dimension, a dimension allowed nowhere, no tiling that fits).
Result<MapperResult> findBestMapping(const Problem& problem, const Architecture& arch,
                                     const MappingConstraints& constraints, const MapperOptions& options);

/// A mapping as text, outermost level first, in Timeloop's loop-nest notation.
std::string describeMapping(const Problem& problem, const Architecture& arch, const Mapping& mapping);

}  // namespace cdx
