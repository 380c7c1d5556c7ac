#pragma once

#include "estimators/tech/techlibrary.h"
#include "estimators/timeloop/timeloopcase.h"

#include <memory>
#include <optional>

namespace cdx {

struct OwnTechOptions {
    /// Supply voltage for every component; by default each component's node's nominal one.
    std::optional<double> vdd;
};

/// Replaces the energy and area tables Accelergy made for a Timeloop case (its ERT and ART) by
/// our technology model, component by component, from the attributes of the architecture:
///   - SRAM classes: the CACTI fit at the component's depth, width and node;
///   - register-file classes (`*RF*`, `regfile`): depth x width flip-flops and a depth:1 read
///     multiplexer;
///   - registers (`*register*`): flip-flops of the component's width;
///   - DRAM: the type's pJ per bit times the access width;
///   - MAC classes: a multiplier of `multiplier_width` and an adder of `adder_width`;
///   - `dummy_storage`: nothing.
/// Leakage: the SRAM fit's, and for logic the library's leakage fraction of its dynamic energy.
/// Each level's `actions.source` says which model and which parameters it used. A component
/// without a technology node is taken at the library's base node (45 nm) with a warning.
/// Errors (an unknown DRAM type, a node or voltage outside the tables) name the component.
Result<TimeloopCase> withOwnTechnology(TimeloopCase c, std::shared_ptr<const TechLibrary> library,
                                       const OwnTechOptions& options = {});

}  // namespace cdx
