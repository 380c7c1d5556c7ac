#pragma once

#include "core/explore/designspace.h"
#include "core/project/project.h"
#include "core/util/error.h"

#include <optional>

namespace cdx {

/// Checks the names a design space sets before any point is estimated: the template and preset
/// names the space reaches (the project's, or the values of axes on /hardware/template and
/// /hardware/preset), the parameters the project and its axes set ("param", or a pointer under
/// /hardware/params), and the keys that pointer and "platform" axes set in the hardware,
/// platform and tech blocks. A name that a template or platform kind the space reaches does not
/// have fails every point that reaches it, so it is bad input: the error names the project file
/// and the axis's key ("/explore/axes/0/param") and suggests the closest name. Values are not
/// checked: a value a design cannot be built with is an infeasible point, kept with its reason.
std::optional<Error> checkSpaceNames(const Project& project, const DesignSpace& space);

}  // namespace cdx
