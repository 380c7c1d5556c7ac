#pragma once

#include "core/onnx/onnxmodel.h"

#include <vector>

namespace cdx {

/// Whether the folder can evaluate this operator when all its inputs are constants.
bool isFoldableOnnxOp(const OnnxNode& node);

/// Evaluates a node whose inputs are all constants (an omitted optional input is null) and
/// returns its outputs. Throws InputError, without a location, when the inputs do not fit
/// the operator. `opset` selects between attribute and input forms (Slice, Squeeze, ...).
std::vector<OnnxTensor> foldOnnxNode(const OnnxNode& node, const std::vector<const OnnxTensor*>& inputs,
                                     std::int64_t opset);

/// The value of a Constant node.
OnnxTensor constantNodeValue(const OnnxNode& node);

/// Output shape of NumPy broadcasting; throws InputError if the shapes do not broadcast.
Shape broadcastOrFail(const Shape& a, const Shape& b);

}  // namespace cdx
