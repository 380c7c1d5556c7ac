#pragma once

// ONNX Runtime's C++ API, for the .cpp files of core/accuracy only (it is large, and only
// there may the runtime be used: OrtRuntime::get() loads it first).
#ifdef CDX_HAVE_ONNXRUNTIME
#include <onnxruntime_cxx_api.h>
#endif
