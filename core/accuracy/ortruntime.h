#pragma once

#include "core/util/result.h"

#include <string>

namespace cdx {

/// ONNX Runtime, loaded on first use from the library this build was configured with (or the
/// one $CDX_ONNXRUNTIME_LIBRARY names). Loading at run time keeps every command but accuracy
/// measurement working where the library is absent, and lets that one say how to get it.
/// The ONNX Runtime API itself appears only in the .cpp files of core/accuracy.
class OrtRuntime {
public:
    /// The loaded runtime, or BadInput saying why it is not available and how to get it.
    /// Thread-safe; the library stays loaded for the life of the process.
    static Result<const OrtRuntime*> get();

    /// "1.30.0"
    const std::string& version() const { return version_; }
    const std::string& libraryPath() const { return libraryPath_; }

private:
    std::string version_;
    std::string libraryPath_;
};

/// Whether this build was configured with ONNX Runtime's headers.
bool ortCompiledIn();

}  // namespace cdx
