#pragma once

#include "estimators/engine/problem.h"

#include <array>
#include <cstdint>

namespace cdx {

/// Most storage levels an architecture may have (fixed, so that an evaluation allocates nothing).
inline constexpr int kMaxLevels = 12;

/// Why a mapping cannot run on an architecture.
enum class MappingFailure : std::uint8_t {
    None,
    TooManyLevels,        ///< more levels, dimensions or data spaces than the engine's fixed limits
    FactorsDoNotMultiply, ///< a dimension's factors do not multiply to its bound
    FanoutExceeded,       ///< a level spreads over more instances than it has below it
    CapacityExceeded,     ///< a level's tiles do not fit in it
    BypassedEverywhere,   ///< a data space is kept by no level
};

const char* mappingFailureText(MappingFailure failure);

/// Counts and energy of one data space at one storage level (Timeloop's per-level stats).
struct DataSpaceStats {
    bool kept = false;
    Dim capacity = 0;       ///< utilized capacity (elements), per instance
    Dim partition = 0;      ///< the share of the data space one instance holds over time
    Dim instances = 0;      ///< utilized instances
    Dim reads = 0;          ///< per instance
    Dim fills = 0;
    Dim updates = 0;
    Dim temporalReductions = 0;
    Dim addressGenerations = 0;
    Dim multicast = 1;      ///< children served by one read at this level's fan-out
    Dim scatter = 1;        ///< distinct data groups at this level's fan-out
    double energyPj = 0;    ///< total over instances, metadata included
    // Sparse designs only (zero otherwise): reads and updates above are the ones performed.
    Dim gatedReads = 0;        ///< per instance: reads (updates of outputs) gated by a zero operand
    Dim metadataCapacity = 0;  ///< words of metadata the tile occupies beside its capacity
    Dim metadataReads = 0;     ///< words per instance
    Dim metadataFills = 0;
    double metadataEnergyPj = 0;  ///< of energyPj, total over instances
};

struct LevelStats {
    std::array<DataSpaceStats, kMaxDataSpaces> dataSpaces{};
    Dim utilizedInstances = 0;
    double leakagePj = 0;
    double energyPj = 0;       ///< dynamic over data spaces plus leakage
    double metadataEnergyPj = 0;  ///< of energyPj: the sparse formats' metadata
    Dim cycles = 0;
    double throttling = 1;     ///< bandwidth slowdown, 1 = none
};

/// The result of evaluating one mapping: Timeloop's statistics, in fixed arrays.
struct EngineStats {
    MappingFailure failure = MappingFailure::None;
    int failureLevel = -1;       ///< the level or the dimension the failure concerns
    int failureDataSpace = -1;

    int levels = 0;
    int dataSpaces = 0;
    std::array<LevelStats, kMaxLevels> level{};
    Dim computes = 0;            ///< performed (effectual) computes
    Dim gatedComputes = 0;       ///< sparse designs: computes gated by a zero operand (no energy, a cycle)
    Dim skippedComputes = 0;     ///< sparse designs: computes skipped (neither energy nor cycle)
    Dim computeCycles = 0;       ///< after skipping
    Dim utilizedMacs = 0;
    double computeEnergyPj = 0;
    Dim cycles = 0;
    double utilization = 0;
    double energyPj = 0;
    double areaUm2 = 0;

    bool ok() const { return failure == MappingFailure::None; }
    double picojoulesPerCompute() const { return computes > 0 ? energyPj / static_cast<double>(computes) : 0; }
};

}  // namespace cdx
