// libFuzzer target: a sensitivity table (CSV of accuracy drops per layer and setting).
#include "core/compression/sensitivitytable.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)cdx::SensitivityTable::parse(text, "fuzz.csv");
    return 0;
}
