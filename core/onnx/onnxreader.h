#pragma once

#include "core/onnx/onnxmodel.h"
#include "core/util/result.h"

#include <string>

namespace cdx {

/// The default-domain opsets and IR versions the importer is built and tested for.
inline constexpr std::int64_t kMinOnnxOpset = 7;
inline constexpr std::int64_t kMaxOnnxOpset = 18;
inline constexpr std::int64_t kMaxOnnxIrVersion = 10;
/// The largest constant tensor the reader loads (2^28 elements, 1 GiB of float).
inline constexpr Dim kMaxOnnxConstantElements = Dim{1} << 28;
/// The largest constant the importer computes by folding (2^24 elements: an attention mask
/// of 4096 x 4096). Stored weights may be larger; a computed shape or mask never needs to be,
/// and a damaged file could otherwise ask a 7 KB model for gigabytes.
inline constexpr Dim kMaxOnnxFoldedElements = Dim{1} << 24;

/// Reads an ONNX file: checks its versions, binds every symbolic input dimension (from
/// `bindings`, a "batch" or "seq_len" binding where the name says so, else 1 with a warning),
/// runs ONNX's shape inference with those values, and converts the graph into plain structs.
/// Errors name the file and the node or tensor.
Result<OnnxModel> readOnnxModel(const std::string& path, const DimBindings& bindings = {});

/// Reads one serialised TensorProto (the .pb files of ONNX's test data).
Result<OnnxTensor> readOnnxTensorFile(const std::string& path);

/// The same for bytes already in memory; `path` names them in messages and locates external data.
Result<OnnxModel> parseOnnxModel(const std::string& bytes, const std::string& path, const DimBindings& bindings = {});

}  // namespace cdx
