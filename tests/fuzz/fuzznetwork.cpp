// libFuzzer target: a network JSON file, through shape inference and counting.
#include "core/network/networkjson.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)cdx::readNetworkJson(text, "fuzz.json");
    return 0;
}
