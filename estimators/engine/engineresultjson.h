#pragma once

#include "estimators/engine/architecture.h"
#include "estimators/engine/enginestats.h"
#include "estimators/engine/problem.h"

#include <nlohmann/json_fwd.hpp>

#include <string>

namespace cdx {

/// What limits an evaluation's cycles: the storage level whose bandwidth stretches them
/// most, or the compute units' name when no level does.
std::string boundOf(const Architecture& arch, const EngineStats& stats);

/// Per storage level (innermost first), in Timeloop's terms with units in the keys:
/// instances, cycles, throttling, energy and leakage, area, where the energies came from, and
/// per kept data space its capacity, partition and per-instance reads, fills and updates.
nlohmann::ordered_json levelStatsJson(const Problem& problem, const Architecture& arch, const EngineStats& stats);

/// The result files' `accesses`: level -> operand -> total reads, fills and updates over all
/// instances (only the data spaces a level keeps).
nlohmann::ordered_json accessesJson(const Problem& problem, const Architecture& arch, const EngineStats& stats);

/// Energy by component (the compute units and each storage level) and area by component, in
/// the result files' `energy_breakdown_pj` and `area_breakdown_mm2` form.
nlohmann::ordered_json energyBreakdownJson(const Architecture& arch, const EngineStats& stats);
nlohmann::ordered_json areaBreakdownJson(const Architecture& arch);

}  // namespace cdx
