#pragma once

#include "core/util/result.h"

#include <cstdint>
#include <string>
#include <vector>

namespace cdx {

// Float reference implementations of the MAC operators the PE computes tiles of, following the
// ONNX operator specifications; checked against the ONNX node tests (libonnx-testdata).
// Sums accumulate in double. Shape errors are returned, never thrown.

/// A dense float tensor, row-major.
struct FloatTensor {
    std::vector<std::int64_t> dims;
    std::vector<float> data;
    std::size_t size() const;
};

struct ConvAttributes {
    std::vector<std::int64_t> kernelShape;  ///< empty: from the weights
    std::vector<std::int64_t> strides;      ///< empty: 1
    std::vector<std::int64_t> pads;         ///< begin..., end...; empty: 0
    std::vector<std::int64_t> dilations;    ///< empty: 1
    std::int64_t group = 1;
    std::string autoPad = "NOTSET";         ///< NOTSET, SAME_UPPER, SAME_LOWER, VALID
};
/// 1-D and 2-D convolution, N C [H] W, with groups, strides, padding and dilation.
Result<FloatTensor> referenceConv(const FloatTensor& x, const FloatTensor& w, const FloatTensor* bias, const ConvAttributes& attributes);

struct GemmAttributes {
    float alpha = 1;
    float beta = 1;
    bool transA = false;
    bool transB = false;
};
/// Y = alpha A' B' + beta C, C broadcast to the result (unidirectionally).
Result<FloatTensor> referenceGemm(const FloatTensor& a, const FloatTensor& b, const FloatTensor* c, const GemmAttributes& attributes);

/// numpy.matmul: 1-D operands promoted, batch dimensions broadcast.
Result<FloatTensor> referenceMatMul(const FloatTensor& a, const FloatTensor& b);

struct LstmAttributes {
    std::int64_t hiddenSize = 0;
    std::string direction = "forward";     ///< forward, reverse, bidirectional
    std::vector<std::string> activations;  ///< empty: Sigmoid, Tanh, Tanh (per direction)
    float clip = 0;                        ///< 0: none
    bool inputForget = false;
    std::int64_t layout = 0;               ///< 0: [seq, batch, ...]; 1: [batch, seq, ...]
};
struct LstmOutputs {
    FloatTensor y;   ///< layout 0: [seq, directions, batch, hidden]; 1: [batch, seq, directions, hidden]
    FloatTensor yH;  ///< layout 0: [directions, batch, hidden]; 1: [batch, directions, hidden]
    FloatTensor yC;
};
/// The ONNX LSTM (gates i, o, f, c in W, R and B; peepholes i, o, f).
Result<LstmOutputs> referenceLstm(const FloatTensor& x, const FloatTensor& w, const FloatTensor& r, const FloatTensor* b,
                                  const FloatTensor* sequenceLens, const FloatTensor* initialH, const FloatTensor* initialC,
                                  const FloatTensor* peepholes, const LstmAttributes& attributes);

}  // namespace cdx
