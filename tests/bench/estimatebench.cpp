// Whole-network estimates of ResNet-50 on each template: cold (a fresh estimator, every
// workload mapped) and warm (the same estimator again: every workload from the cache).
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"

#include <benchmark/benchmark.h>

#include <stdexcept>

using namespace cdx;

namespace {

struct Case {
    Project project;
    Network network;
};

Case makeCase(const std::string& hardware, const std::string& platform, int bits)
{
    const std::string text = R"({"format": "cdx-project", "version": 1, "name": "bench", "network": {"zoo": "resnet50"},
        "compression": {"default": {"weights": {"bits": )" + std::to_string(bits) + R"(}, "activations": {"bits": )" +
                             std::to_string(bits) + R"(}}}, "hardware": )" + hardware + (platform.empty() ? "" : R"(, "platform": )" + platform) + "}";
    auto project = readProjectJson(text, "bench.json");
    if (!project)
        throw std::runtime_error(project.error().describe());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        throw std::runtime_error(network.error().describe());
    return {std::move(project).value(), std::move(network).value()};
}

void estimateBench(benchmark::State& state, const std::string& hardware, const std::string& platform, int bits, bool warm)
{
    const Case c = makeCase(hardware, platform, bits);
    Estimator estimator;
    if (warm && !estimator.estimate(c.project, c.network).ok())
        state.SkipWithError("estimate failed");
    for (auto _ : state) {
        if (!warm)
            estimator.clearCache();
        auto r = estimator.estimate(c.project, c.network);
        if (!r.ok()) {
            state.SkipWithError(r.error().describe().c_str());
            break;
        }
        benchmark::DoNotOptimize(r->energyPj);
    }
}

#define CDX_ESTIMATE_BENCH(NAME, HARDWARE, PLATFORM, BITS)                                                   \
    void BM_EstimateResNet50Cold_##NAME(benchmark::State& s) { estimateBench(s, HARDWARE, PLATFORM, BITS, false); } \
    BENCHMARK(BM_EstimateResNet50Cold_##NAME)->Unit(benchmark::kMillisecond)->UseRealTime();                \
    void BM_EstimateResNet50Warm_##NAME(benchmark::State& s) { estimateBench(s, HARDWARE, PLATFORM, BITS, true); }  \
    BENCHMARK(BM_EstimateResNet50Warm_##NAME)->Unit(benchmark::kMillisecond)->UseRealTime();

CDX_ESTIMATE_BENCH(simple_ws, R"({"template": "simple_ws", "preset": "timeloop_example"})", "", 8)
CDX_ESTIMATE_BENCH(eyeriss_v1, R"({"template": "eyeriss", "preset": "eyeriss_v1"})", "", 16)
CDX_ESTIMATE_BENCH(tpu_v1, R"({"template": "systolic", "preset": "tpu_v1"})", "", 8)
CDX_ESTIMATE_BENCH(gemmini, R"({"template": "systolic", "preset": "gemmini_default"})", "", 8)
CDX_ESTIMATE_BENCH(nv_small, R"({"template": "nvdla", "preset": "nv_small"})", "", 8)
CDX_ESTIMATE_BENCH(aristotle, R"({"template": "convolver_array", "preset": "aristotle"})", "", 8)
CDX_ESTIMATE_BENCH(pipeline_vu9p, R"({"template": "dataflow_pipeline", "preset": "finn_pynq"})",
                   R"({"kind": "fpga", "device": "xcvu9p", "clock_mhz": 200})", 4)

}  // namespace
