// Accumulator profiling: the widths real data needs, from a measured run's layer outputs.
#include "core/accuracy/accumulatorprofile.h"

#include "core/compression/weightcompressor.h"

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

bool uniform(NumberFormat format) { return format == NumberFormat::Int || format == NumberFormat::Fixed; }

/// The tensor whose values reach `layer`'s multipliers: through reshapes, flattens and the like,
/// which move codes without changing them.
std::string multiplierInput(const Network& net, const Layer& layer)
{
    if (layer.inputs.empty())
        return {};
    std::string tensor = layer.inputs[0];
    for (int hops = 0; hops < 64; ++hops) {
        const auto* t = net.findTensor(tensor);
        if (!t || t->producer < 0)
            break;
        const Layer& producer = net.layers()[static_cast<std::size_t>(t->producer)];
        if (!isShapeKind(producer.kind) || producer.inputs.empty())
            break;
        tensor = producer.inputs[0];
    }
    return tensor;
}

}  // namespace

double uniformStep(const QuantParams& params)
{
    switch (params.format) {
    case NumberFormat::Int: return params.scale;
    case NumberFormat::Fixed: return std::ldexp(1.0, -params.fracBits);
    default: return 0;
    }
}

int signedBitsFor(double maxAbs)
{
    if (!(maxAbs > 0))
        return 2;
    // Sums of codes are integers; ONNX Runtime's float32 arithmetic leaves a relative error of
    // about 1e-7 per operation, so a value a millionth above an integer is that integer.
    const double magnitude = std::ceil(maxAbs * (1 - 1e-6));
    return std::max(2, static_cast<int>(std::ceil(std::log2(magnitude + 1))) + 1);
}

std::vector<AccumulatorProbe> accumulatorProbes(const Network& net, const CompressionPlan& plan)
{
    std::vector<AccumulatorProbe> probes;
    const auto& layers = net.layers();
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = layers[i];
        const bool convolution = layer.kind == LayerKind::Conv || layer.kind == LayerKind::ConvTranspose;
        if ((!convolution && layer.kind != LayerKind::FullyConnected) || layer.outputs.empty())
            continue;
        const LayerCompression setting = plan.forLayer(layer, static_cast<Dim>(i));
        if (!setting.accumulatorAuto || !uniform(setting.weights.format) || !uniform(setting.activations.format))
            continue;
        const bool fromModel = std::any_of(layer.weightData.begin(), layer.weightData.end(),
                                           [](const WeightTensor& w) { return !w.sourceNode.empty() && w.values; });
        if (!fromModel)
            continue;
        const std::vector<CompressedMatrix> compressed = compressLayerWeights(layer, setting);
        if (compressed.empty() || compressed[0].quant.empty())
            continue;
        AccumulatorProbe probe;
        probe.layerIndex = i;
        probe.layer = layer.name;
        probe.output = layer.outputs[0];
        probe.input = multiplierInput(net, layer);
        probe.inputSpec = setting.activations;
        probe.marginBits = setting.accumulatorMarginBits;
        const Dim terms = std::max<Dim>(1, compressed[0].matrix.cols);
        probe.exactBits = setting.weights.bits + setting.activations.bits +
                          (terms > 1 ? static_cast<int>(std::ceil(std::log2(static_cast<double>(terms)))) : 0);
        const Shape* out = layer.outputShapes.empty() ? nullptr : &layer.outputShapes[0];
        probe.channelAxis = convolution || !out || out->empty() ? 1 : static_cast<int>(out->size()) - 1;
        const Dim channels = out && static_cast<int>(out->size()) > probe.channelAxis ? (*out)[static_cast<std::size_t>(probe.channelAxis)] : 0;
        const auto& quant = compressed[0].quant;
        // A fully pruned row has no step (its sums are 0); it must not shrink the others' scale.
        double smallest = 0;
        for (const auto& q : quant)
            if (const double s = uniformStep(q); s > 0)
                smallest = smallest > 0 ? std::min(smallest, s) : s;
        if (!(smallest > 0))
            continue;
        if (quant.size() > 1 && static_cast<Dim>(quant.size()) == channels) {
            for (const auto& q : quant) {
                const double s = uniformStep(q);
                probe.inverseWeightStep.push_back(1.0 / (s > 0 ? s : smallest));
            }
        } else {
            // Per tensor, or rows that are not the output channels (circulant block rows): the
            // smallest step counts the most codes, so the width errs on the safe side.
            probe.inverseWeightStep.push_back(1.0 / smallest);
        }
        probes.push_back(std::move(probe));
    }
    return probes;
}

void AccumulatorTally::add(const AccumulatorProbe& probe, const float* values, const std::vector<std::int64_t>& shape)
{
    std::size_t count = 1;
    for (auto d : shape)
        count *= static_cast<std::size_t>(std::max<std::int64_t>(d, 0));
    const auto& inverse = probe.inverseWeightStep;
    if (inverse.size() <= 1 || static_cast<int>(shape.size()) <= probe.channelAxis) {
        float peak = 0;
        for (std::size_t i = 0; i < count; ++i)
            peak = std::max(peak, std::fabs(values[i]));
        maxScaled = std::max(maxScaled, static_cast<double>(peak) * (inverse.empty() ? 1.0 : inverse[0]));
        return;
    }
    // Row-major: index = (outer * channels + c) * inner + k.
    const auto axis = static_cast<std::size_t>(probe.channelAxis);
    const auto channels = static_cast<std::size_t>(shape[axis]);
    std::size_t inner = 1;
    for (std::size_t d = axis + 1; d < shape.size(); ++d)
        inner *= static_cast<std::size_t>(shape[d]);
    if (channels != inverse.size() || channels == 0 || inner == 0)
        return;
    const std::size_t outer = count / (channels * inner);
    for (std::size_t o = 0; o < outer; ++o)
        for (std::size_t c = 0; c < channels; ++c) {
            const float* x = values + (o * channels + c) * inner;
            float peak = 0;
            for (std::size_t k = 0; k < inner; ++k)
                peak = std::max(peak, std::fabs(x[k]));
            maxScaled = std::max(maxScaled, static_cast<double>(peak) * inverse[c]);
        }
}

double inputStepFor(const AccumulatorProbe& probe, const QuantParams* quantized, const ValueRange* range)
{
    if (quantized)
        if (const double step = uniformStep(*quantized); step > 0)
            return step;
    if (!range)
        return 0;
    return uniformStep(Quantizer::fit(probe.inputSpec, *range).params());
}

AccumulatorNeed accumulatorNeed(const AccumulatorProbe& probe, const AccumulatorTally& tally, double inputStep)
{
    AccumulatorNeed need;
    need.layer = probe.layer;
    need.inputStep = inputStep;
    need.maxAbs = inputStep > 0 ? tally.maxScaled / inputStep : 0;
    need.bits = signedBitsFor(need.maxAbs);
    need.marginBits = probe.marginBits;
    need.exactBits = probe.exactBits;
    return need;
}

}  // namespace cdx
