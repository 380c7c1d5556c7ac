#pragma once

#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"

#include <string>

namespace cdx {

/// What a user may name on the command line or open in the GUI, as a project: a project file
/// as it is, or a new unsaved project around a zoo network or a network JSON file.
Result<Project> projectForSource(const std::string& argument);

/// The network of projectForSource(argument), with `bindings` overriding its dimensions.
Result<Network> loadNetworkSource(const std::string& argument, const DimBindings& bindings = {});

}  // namespace cdx
