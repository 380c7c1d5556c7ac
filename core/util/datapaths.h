#pragma once

#include <string>

namespace cdx {

/// The folder that holds the shipped `projects/` and `resources/`: $CDX_DATA_DIR if set,
/// otherwise the source tree this build came from.
std::string dataDirectory();

/// `projects/default.json` in the data directory.
std::string defaultProjectPath();

}  // namespace cdx
