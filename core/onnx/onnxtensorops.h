#pragma once

#include "core/onnx/onnxmodel.h"

#include <functional>
#include <vector>

// Operations on constant tensors, for the ONNX constant folder. They throw InputError (without
// a location) when the operands do not fit, and refuse results above kMaxOnnxFoldedElements.
namespace cdx::onnxtensor {

std::size_t checkedSize(const Shape& dims);
std::vector<Dim> stridesOf(const Shape& dims);

/// A result being built element by element: float or integer values of the given shape.
struct Builder {
    Shape dims;
    bool isFloat = false;
    OnnxElementType type = OnnxElementType::Int64;
    std::vector<float> floats;
    std::vector<std::int64_t> ints;

    Builder(Shape d, bool f, OnnxElementType t);
    void push(double v)
    {
        if (isFloat)
            floats.push_back(static_cast<float>(v));
        else
            ints.push_back(static_cast<std::int64_t>(v));
    }
    OnnxTensor done();
};
/// The axis index for a possibly negative axis; throws naming the operator if out of range.
std::size_t axisOf(std::int64_t axis, std::size_t rank, const char* op);

OnnxTensor withDims(const OnnxTensor& t, Shape dims);
OnnxTensor castTo(const OnnxTensor& t, OnnxElementType type);
/// f over the broadcast elements of the operands; `isFloat` decides the result's storage.
OnnxTensor elementwise(const std::vector<const OnnxTensor*>& in, bool isFloat, OnnxElementType type,
                       const std::function<double(const std::vector<double>&)>& f);
bool anyFloat(const std::vector<const OnnxTensor*>& in);
OnnxTensor gather(const OnnxTensor& data, const OnnxTensor& indices, std::int64_t axis);
OnnxTensor transpose(const OnnxTensor& t, std::vector<std::int64_t> perm);
OnnxTensor concat(const std::vector<const OnnxTensor*>& in, std::int64_t axis);
OnnxTensor slice(const OnnxTensor& t, std::vector<std::int64_t> starts, std::vector<std::int64_t> ends,
                 std::vector<std::int64_t> axes, std::vector<std::int64_t> steps);
/// The shape ONNX Reshape gives (0 copies unless allowZero, -1 is inferred).
Shape reshapeTarget(const Shape& in, const std::vector<std::int64_t>& shape, bool allowZero);
OnnxTensor squeeze(const OnnxTensor& t, std::vector<std::int64_t> axes);
OnnxTensor unsqueeze(const OnnxTensor& t, const std::vector<std::int64_t>& axes);

}  // namespace cdx::onnxtensor
