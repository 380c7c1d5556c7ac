// Import and analysis speed: ONNX import of real models and whole-network creation from the zoo.
#include "core/onnx/onnximporter.h"
#include "core/zoo/zoo.h"

#include <benchmark/benchmark.h>

#include <filesystem>

namespace {

std::string modelPath(const char* file)
{
    return std::string(CDX_TEST_MODELS_DIR) + "/" + file;
}

void importModel(benchmark::State& state, const char* file, cdx::DimBindings dims)
{
    const std::string path = modelPath(file);
    if (!std::filesystem::exists(path)) {
        state.SkipWithError("model missing: run scripts/fetch-models.sh");
        return;
    }
    cdx::OnnxImportOptions options;
    options.dims = std::move(dims);
    for (auto _ : state) {
        auto net = cdx::importOnnxFile(path, options);
        if (!net)
            state.SkipWithError(net.error().describe().c_str());
        benchmark::DoNotOptimize(net);
    }
}

void BM_OnnxImportPpOcrV4(benchmark::State& state)
{
    importModel(state, "ppocrv4_rec.onnx", {{"p2o.DynamicDimension.1", 320}, {"batch", 1}});
}
BENCHMARK(BM_OnnxImportPpOcrV4)->Unit(benchmark::kMillisecond);

void BM_OnnxImportSileroVad(benchmark::State& state)
{
    importModel(state, "silero_vad_16k_op15.onnx", {{"sequence", 512}, {"batch", 1}});
}
BENCHMARK(BM_OnnxImportSileroVad)->Unit(benchmark::kMillisecond);

void BM_OnnxImportBlazeFace(benchmark::State& state)
{
    importModel(state, "blazeface_front_128.onnx", {});
}
BENCHMARK(BM_OnnxImportBlazeFace)->Unit(benchmark::kMillisecond);

void BM_ZooCreate(benchmark::State& state, const char* name)
{
    for (auto _ : state) {
        auto net = cdx::loadZooNetwork(name);
        benchmark::DoNotOptimize(net);
    }
}
BENCHMARK_CAPTURE(BM_ZooCreate, resnet50, "resnet50")->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ZooCreate, bert_base, "bert_base")->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
