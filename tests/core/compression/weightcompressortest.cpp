// The compressed weight values: weightMatrices and weightTensorsOf undo each other on real models,
// formats round as they should, pruning zeros exactly the masked weights, circulant gives the
// projection, and analyzeLayer reports the error of these very values.
#include "core/compression/weightcompressor.h"
#include "core/onnx/onnximporter.h"

#include "realmodels.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

using namespace cdx;

namespace {

using test::mnist;
using test::realModels;

bool sameBits(const std::vector<float>& a, const std::vector<float>& b)
{
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

/// Checks the round trip on every layer with stored weights; returns how many layers of each
/// kind (and "fc input-major") it checked.
std::map<std::string, int> checkRoundTrip(const Network& net)
{
    std::map<std::string, int> checked;
    for (const Layer& layer : net.layers()) {
        const auto matrices = weightMatrices(layer);
        if (matrices.empty() || !std::all_of(matrices.begin(), matrices.end(), [](const WeightMatrix& m) { return m.hasValues() && m.nonFinite == 0; }))
            continue;
        const auto tensors = weightTensorsOf(layer, matrices);
        INFO(net.name() << " layer " << layer.name);
        std::size_t next = 0;
        for (const WeightTensor& original : layer.weightData) {
            if (original.role != "weight" && original.role != "recurrence")
                continue;
            REQUIRE(next < tensors.size());
            const WeightTensor& back = tensors[next++];
            CHECK(back.role == original.role);
            CHECK(back.shape == original.shape);
            CHECK(back.inputMajor == original.inputMajor);
            REQUIRE(back.values);
            CHECK(sameBits(*back.values, *original.values));
            if (original.inputMajor)
                ++checked["fc input-major"];
        }
        CHECK(next == tensors.size());
        ++checked[std::string(layerKindName(layer.kind))];
    }
    return checked;
}

LayerCompression settingOf(NumberFormat format, int bits, PruningSpec pruning = {})
{
    LayerCompression s;
    s.weights.format = format;
    s.weights.bits = bits;
    s.pruning = pruning;
    return s;
}

const Layer& firstOfKind(const Network& net, LayerKind kind)
{
    for (const Layer& layer : net.layers())
        if (layer.kind == kind && !weightMatrices(layer).empty() && weightMatrices(layer)[0].hasValues())
            return layer;
    FAIL("no such layer");
    return net.layers().front();
}

}  // namespace

TEST_CASE("weightTensorsOf undoes weightMatrices bit for bit on MNIST", "[compression][compressor]")
{
    const auto checked = checkRoundTrip(mnist());
    CHECK(checked.count("conv") == 1);
    CHECK(checked.count("fc") == 1);
}

TEST_CASE("weightTensorsOf undoes weightMatrices bit for bit on the real models: conv, input-major fc, LSTM",
          "[compression][compressor][models]")
{
    std::map<std::string, int> all;
    for (const Network& net : realModels())
        for (const auto& [kind, count] : checkRoundTrip(net))
            all[kind] += count;
    for (const auto& [kind, count] : all)
        UNSCOPED_INFO(kind << ": " << count << " layers");
    CHECK(all["conv"] > 10);
    CHECK(all["fc"] > 0);
    CHECK(all["fc input-major"] > 0);
    CHECK(all["lstm"] > 0);
}

TEST_CASE("a JSON network's layer gets its tensors in the ONNX layout", "[compression][compressor]")
{
    const Network net = mnist();
    Layer layer = firstOfKind(net, LayerKind::Conv);
    const auto matrices = weightMatrices(layer);
    const Shape shape = layer.weightData[0].shape;
    layer.weightData.clear();
    const auto tensors = weightTensorsOf(layer, matrices);
    REQUIRE(tensors.size() == 1);
    CHECK(tensors[0].role == "weight");
    CHECK(tensors[0].shape == shape);
    REQUIRE(tensors[0].values);
    CHECK(sameBits(*tensors[0].values, matrices[0].values));
    CHECK(weightTensorsOf(layer, weightMatrices(layer, false))[0].values == nullptr);
}

TEST_CASE("fp32 leaves the weights bit-identical, fp16 and int16 within their rounding", "[compression][compressor]")
{
    const Network net = mnist();
    for (const Layer& layer : net.layers()) {
        const auto matrices = weightMatrices(layer);
        if (matrices.empty())
            continue;
        INFO(layer.name);
        const auto fp32 = compressLayerWeights(layer, settingOf(NumberFormat::Fp32, 32));
        REQUIRE(fp32.size() == matrices.size());
        CHECK(sameBits(fp32[0].matrix.values, matrices[0].values));
        CHECK(fp32[0].quant.size() == 1);

        const auto fp16 = compressLayerWeights(layer, settingOf(NumberFormat::Fp16, 16));
        for (std::size_t i = 0; i < matrices[0].values.size(); ++i) {
            const double x = matrices[0].values[i], q = fp16[0].matrix.values[i];
            CHECK(std::fabs(q - x) <= std::max(std::fabs(x) * std::ldexp(1.0, -11), std::ldexp(1.0, -25)));
        }

        LayerCompression int16 = settingOf(NumberFormat::Int, 16);
        int16.weights.granularity = QuantGranularity::Channel;
        const auto q16 = compressLayerWeights(layer, int16);
        REQUIRE(q16[0].quant.size() == static_cast<std::size_t>(matrices[0].rows));
        for (Dim r = 0; r < matrices[0].rows; ++r) {
            const double scale = q16[0].quant[static_cast<std::size_t>(r)].scale;
            for (Dim c = 0; c < matrices[0].cols; ++c) {
                const auto i = static_cast<std::size_t>(r * matrices[0].cols + c);
                const double step = std::round(q16[0].matrix.values[i] / scale);
                CHECK(std::fabs(step * scale - q16[0].matrix.values[i]) <= 1e-6 * scale * std::fabs(step) + 1e-30);
                // Half a step, plus half a float ulp of the stored value.
                const double q = q16[0].matrix.values[i];
                CHECK(std::fabs(q - matrices[0].values[i]) <= 0.5 * scale + std::fabs(q) * std::ldexp(1.0, -24));
            }
        }
    }
}

TEST_CASE("pruning zeros exactly the masked weights and leaves the kept ones to the quantiser", "[compression][compressor]")
{
    const Network net = mnist();
    PruningSpec pruning;
    pruning.kind = PruningKind::Unstructured;
    pruning.density = 0.3;
    for (const Layer& layer : net.layers()) {
        const auto matrices = weightMatrices(layer);
        if (matrices.empty())
            continue;
        const PruningMask mask = pruneMatrix(matrices[0], pruning);
        const auto fp32 = compressLayerWeights(layer, settingOf(NumberFormat::Fp32, 32, pruning));
        const auto int8 = compressLayerWeights(layer, settingOf(NumberFormat::Int, 8, pruning));
        for (std::size_t i = 0; i < mask.keep.size(); ++i) {
            if (mask.keep[i]) {
                CHECK(fp32[0].matrix.values[i] == matrices[0].values[i]);
            } else {
                CHECK(fp32[0].matrix.values[i] == 0.0f);
                CHECK(int8[0].matrix.values[i] == 0.0f);
            }
        }
    }
}

TEST_CASE("circulant compression gives the projected matrix", "[compression][compressor]")
{
    const Network net = mnist();
    const Layer& fc = firstOfKind(net, LayerKind::FullyConnected);
    const WeightMatrix m = weightMatrices(fc)[0];
    PruningSpec circulant;
    circulant.kind = PruningKind::Circulant;
    circulant.blockSize = 4;
    const CirculantProjection projection = projectCirculant(m, 4);
    const auto c = compressLayerWeights(fc, settingOf(NumberFormat::Fp32, 32, circulant));
    REQUIRE(c[0].matrix.values.size() == static_cast<std::size_t>(m.size()));
    double error = 0, total = 0;
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim col = 0; col < m.cols; ++col) {
            const float v = c[0].matrix.values[static_cast<std::size_t>(r * m.cols + col)];
            const Dim block = (r / 4) * projection.blockCols + col / 4;
            CHECK(v == projection.vectors[static_cast<std::size_t>(block * 4 + ((r % 4 - col % 4) % 4 + 4) % 4)]);
            const double w = m.values[static_cast<std::size_t>(r * m.cols + col)];
            error += (w - v) * (w - v);
            total += w * w;
        }
    CHECK(std::sqrt(error / total) == Approx(projection.relativeError).epsilon(1e-9));
}

TEST_CASE("analyzeLayer reports the quantisation error of the compressed values", "[compression][compressor]")
{
    const Network net = mnist();
    PruningSpec pruning;
    pruning.kind = PruningKind::Unstructured;
    pruning.density = 0.5;
    for (const auto granularity : {QuantGranularity::Tensor, QuantGranularity::Channel})
        for (const auto format : {NumberFormat::Int, NumberFormat::Fixed, NumberFormat::Fp8E4M3})
            for (std::size_t index = 0; index < net.layers().size(); ++index) {
                const Layer& layer = net.layers()[index];
                const auto matrices = weightMatrices(layer);
                if (matrices.empty())
                    continue;
                LayerCompression s = settingOf(format, 8, pruning);
                s.weights.granularity = granularity;
                const auto compressed = compressLayerWeights(layer, s);
                const PruningMask mask = pruneMatrix(matrices[0], pruning);
                double signal = 0, noise = 0;
                for (std::size_t i = 0; i < mask.keep.size(); ++i)
                    if (mask.keep[i]) {
                        const double x = matrices[0].values[i], e = x - compressed[0].matrix.values[i];
                        signal += x * x;
                        noise += e * e;
                    }
                const LayerCompressionReport r = analyzeLayer(layer, static_cast<Dim>(index), s, {});
                INFO(layer.name << " " << numberFormatName(format) << " " << quantGranularityName(granularity));
                CHECK(r.weightStats.measured);
                CHECK(r.weightStats.noiseToSignal == Approx(noise / signal).epsilon(1e-12));
                CHECK(compressed[0].quant.size() == (s.weights.perChannel() ? static_cast<std::size_t>(matrices[0].rows) : 1u));
            }
}
