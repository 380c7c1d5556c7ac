// libFuzzer target: a Timeloop case (parsed-processed-input.yaml with its mapping) read and,
// when it reads, evaluated. The case sits in a folder of its own, in memory where /dev/shm is.
#include "estimators/timeloop/timeloopcase.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

namespace {

const std::filesystem::path& caseFolder()
{
    static const std::filesystem::path folder = [] {
        const std::filesystem::path shm("/dev/shm");
        const auto base = std::filesystem::is_directory(shm) ? shm : std::filesystem::temp_directory_path();
        auto dir = base / ("cdx-fuzz-timeloop-" + std::to_string(::getpid()));
        std::filesystem::create_directories(dir);
        return dir;
    }();
    return folder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const auto& folder = caseFolder();
    {
        std::ofstream out(folder / "parsed-processed-input.yaml", std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    auto c = cdx::loadTimeloopCase(folder.string());
    if (c)
        (void)cdx::evaluateTimeloopCase(c.value(), cdx::EngineOptions{});
    return 0;
}
