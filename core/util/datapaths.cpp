#include "core/util/datapaths.h"

#include "core/util/version.h"

#include <cstdlib>

namespace cdx {

std::string dataDirectory()
{
    if (const char* dir = std::getenv("CDX_DATA_DIR"); dir && *dir)
        return dir;
    return kSourceDir;
}

std::string defaultProjectPath()
{
    return dataDirectory() + "/projects/default.json";
}

}  // namespace cdx
