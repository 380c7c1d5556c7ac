#include "core/accuracy/ortruntime.h"

#include "core/accuracy/ortapi.h"

#include <cstdlib>
#include <mutex>

#ifdef CDX_HAVE_ONNXRUNTIME
#include <dlfcn.h>
#endif

namespace cdx {

namespace {

const char* kHowToGet =
    "ONNX Runtime 1.30 is fetched from npm by scripts/fetch-deps.sh (run by scripts/run.sh and scripts/test.sh), "
    "then found by CMake; or set CDX_ONNXRUNTIME_LIBRARY to a libonnxruntime.so.1 of version 1.30 or later";

}  // namespace

bool ortCompiledIn()
{
#ifdef CDX_HAVE_ONNXRUNTIME
    return true;
#else
    return false;
#endif
}

Result<const OrtRuntime*> OrtRuntime::get()
{
#ifndef CDX_HAVE_ONNXRUNTIME
    return Error{ExitCode::BadInput, {}, {}, std::string("this build has no ONNX Runtime, which measuring accuracy needs: ") + kHowToGet +
                                                 ", then build again"};
#else
    static std::mutex mutex;
    static OrtRuntime runtime;
    static std::string failure;
    static bool tried = false;
    const std::lock_guard lock(mutex);
    if (!tried) {
        tried = true;
        const char* overridden = std::getenv("CDX_ONNXRUNTIME_LIBRARY");
        runtime.libraryPath_ = overridden && *overridden ? overridden : CDX_ONNXRUNTIME_LIBRARY;
        // Never unloaded: ONNX Runtime's threads and static objects live until exit.
        void* handle = dlopen(runtime.libraryPath_.c_str(), RTLD_NOW | RTLD_LOCAL);
        using GetApiBase = const OrtApiBase* (*)();
        auto* getApiBase = handle ? reinterpret_cast<GetApiBase>(dlsym(handle, "OrtGetApiBase")) : nullptr;
        const OrtApiBase* base = getApiBase ? getApiBase() : nullptr;
        const OrtApi* api = base ? base->GetApi(ORT_API_VERSION) : nullptr;
        if (!handle) {
            const char* why = dlerror();
            failure = "cannot load ONNX Runtime (" + std::string(why ? why : runtime.libraryPath_) + ")";
        } else if (!api) {
            failure = runtime.libraryPath_ + " is not ONNX Runtime of API version " + std::to_string(ORT_API_VERSION) + " or later";
        } else {
            Ort::InitApi(api);
            runtime.version_ = base->GetVersionString();
        }
    }
    if (!failure.empty())
        return Error{ExitCode::BadInput, runtime.libraryPath_, {}, failure + ": " + kHowToGet};
    return &runtime;
#endif
}

}  // namespace cdx
