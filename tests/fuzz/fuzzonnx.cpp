// libFuzzer target: the ONNX reader and importer on arbitrary bytes.
#include "core/onnx/onnximporter.h"
#include "core/onnx/onnxreader.h"

#include <cstddef>
#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string bytes(reinterpret_cast<const char*>(data), size);
    // A folder that does not exist: external data references fail instead of reading files.
    auto model = cdx::parseOnnxModel(bytes, "/nonexistent-cdx-fuzz/model.onnx");
    if (model)
        (void)cdx::importOnnxModel(model.value());
    return 0;
}
