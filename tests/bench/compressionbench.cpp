// Compression analysis: a whole network under a plan, on shapes only (the zoo) and on the real
// weights of an ONNX model (masks, storage, quantisation error counted on every weight).
#include "core/compression/compressionanalyzer.h"
#include "core/compression/pruner.h"
#include "core/onnx/onnximporter.h"
#include "core/zoo/zoo.h"

#include <benchmark/benchmark.h>

#include <stdexcept>

using namespace cdx;

namespace {

CompressionPlan planOf(const std::string& json)
{
    auto plan = CompressionPlan::fromJson(nlohmann::ordered_json::parse(json), "bench.json");
    if (!plan)
        throw std::runtime_error(plan.error().describe());
    return std::move(plan).value();
}

const char* kQuantised = R"({"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8}}})";
const char* kPruned = R"({"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8},
    "pruning": {"kind": "unstructured", "density": 0.3}, "storage": {"format": "csc", "index_bits": 4, "pes": 16}}})";

/// Cold: every layer analysed; warm: the same analyser again (an unchanged plan, as after an
/// edit elsewhere in the project).
void analyse(benchmark::State& state, const Network& net, const CompressionPlan& plan, bool warm = false)
{
    CompressionAnalyzer analyzer;
    for (auto _ : state) {
        if (!warm)
            analyzer.clear();
        auto r = analyzer.analyze(net, plan);
        if (!r) {
            state.SkipWithError(r.error().describe().c_str());
            break;
        }
        benchmark::DoNotOptimize(r->storedBits);
    }
}

void BM_CompressResNet50Shapes(benchmark::State& state)
{
    const Network net = loadZooNetwork("resnet50").value();
    analyse(state, net, planOf(state.range(0) ? kPruned : kQuantised));
}
BENCHMARK(BM_CompressResNet50Shapes)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_CompressPpOcrWeights(benchmark::State& state)
{
    OnnxImportOptions options;
    options.dims = {{"p2o.DynamicDimension.1", 320}, {"batch", 1}};
    auto net = importOnnxFile(std::string(CDX_TEST_MODELS_DIR) + "/ppocrv4_rec.onnx", options);
    if (!net) {
        state.SkipWithError(net.error().describe().c_str());
        return;
    }
    analyse(state, net.value(), planOf(state.range(0) % 2 ? kPruned : kQuantised), state.range(0) >= 2);
}
// 0, 1: cold, quantised or pruned; 2, 3: warm.
BENCHMARK(BM_CompressPpOcrWeights)->DenseRange(0, 3)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

namespace {

/// APU's block-diagonal layer: 4,000 x 4,000 weights into 10 diagonal blocks (the permutation search).
void BM_BlockDiagonal4000(benchmark::State& state)
{
    WeightMatrix m{"weight", 4000, 4000, 1, std::vector<float>(16'000'000)};
    std::uint32_t x = 12345;
    for (float& v : m.values) {
        x = x * 1664525u + 1013904223u;
        v = static_cast<float>(static_cast<std::int32_t>(x)) * 4.6566e-10f;
    }
    PruningSpec spec;
    spec.kind = PruningKind::BlockDiagonal;
    spec.blocks = 10;
    for (auto _ : state)
        benchmark::DoNotOptimize(pruneMatrix(m, spec).kept);
}
BENCHMARK(BM_BlockDiagonal4000)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(2);

}  // namespace
