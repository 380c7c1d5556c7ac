#pragma once

#include "core/compression/compressionplan.h"
#include "core/compression/quantizer.h"
#include "core/network/network.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// Accumulator profiling: how wide a layer's accumulator must be for the sums real data produces.
///
/// An integer multiply-accumulate adds products of weight codes and activation codes; its final
/// sum, rescaled, is the layer's output: y[c] = acc[c] * weightStep[c] * inputStep (plus a bias
/// the accumulator also holds). A measured run therefore reads each profiled layer's output before
/// any output quantisation, divides it by the two steps, and keeps the largest magnitude. The
/// signed width that holds it is what the layer needs; the plan adds its margin, which also
/// stands for partial sums that run past the final one. Formats without a uniform step (floating
/// point, log2, codebook, binary, ternary) have no integer accumulator and are not profiled.

/// One layer the run profiles.
struct AccumulatorProbe {
    std::size_t layerIndex = 0;
    std::string layer;
    std::string output;        ///< the layer's output tensor as the model names it
    std::string input;         ///< the tensor whose codes feed the multipliers (shape layers looked through)
    int channelAxis = 1;       ///< the output's channel axis: 1 for convolutions, the last for fully connected
    /// 1 / weight step, per output channel (one value: per tensor, or rows that do not match the channels).
    std::vector<double> inverseWeightStep;
    QuantSpec inputSpec;       ///< the layer's activation format, for an input the plan does not quantise
    int marginBits = 1;        ///< the plan's margin for the layer
    int exactBits = 0;         ///< what an exact sum of the layer's longest dot product needs: w + a + ceil(log2 terms)
};

/// The layers of `net` whose resolved setting asks for "accumulator": {"bits": "auto"}, with
/// weights stored in the model and a uniform weight and activation format.
std::vector<AccumulatorProbe> accumulatorProbes(const Network& net, const CompressionPlan& plan);

/// The step of a uniform quantiser (int: scale; fixed: 2^-fracBits); 0 for every other format.
double uniformStep(const QuantParams& params);

/// Signed two's-complement bits that hold every integer of magnitude up to `maxAbs` (at least 2).
int signedBitsFor(double maxAbs);

/// Largest |y[c] / weightStep[c]| over a layer's outputs: feed it each example's output tensor.
struct AccumulatorTally {
    double maxScaled = 0;
    /// `shape` is the output's shape (any rank); values row-major.
    void add(const AccumulatorProbe& probe, const float* values, const std::vector<std::int64_t>& shape);
    void merge(const AccumulatorTally& o) { maxScaled = std::max(maxScaled, o.maxScaled); }
};

/// What a run found for one layer.
struct AccumulatorNeed {
    std::string layer;
    double maxAbs = 0;       ///< largest accumulator magnitude, in codes
    int bits = 0;            ///< signed bits that hold it (signedBitsFor)
    double inputStep = 0;    ///< the activation step the codes were counted in
    int marginBits = 0;      ///< the plan's margin (the width the cost model takes is bits + marginBits)
    int exactBits = 0;       ///< AccumulatorProbe::exactBits, for comparison
};

/// The step of the codes that reach a probe's multipliers: the quantiser the compressed network
/// applies to its input when there is one (`quantized`), else the layer's own activation format
/// fitted to the input's range (`range`: calibrated, or seen on the graph input); 0 when neither
/// gives a uniform step.
double inputStepFor(const AccumulatorProbe& probe, const QuantParams* quantized, const ValueRange* range);

/// The need of a probe once its tally and its input's step are known.
AccumulatorNeed accumulatorNeed(const AccumulatorProbe& probe, const AccumulatorTally& tally, double inputStep);

}  // namespace cdx
