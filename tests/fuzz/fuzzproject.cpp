// libFuzzer target: a project file (its own keys, its compression plan and design space).
#include "core/compression/compressionplan.h"
#include "core/project/project.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto project = cdx::readProjectJson(text, "fuzz.json");
    if (project)
        (void)cdx::CompressionPlan::fromJson(project->compression, project->filePath);
    return 0;
}
