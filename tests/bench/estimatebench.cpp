// Whole-network estimates of ResNet-50, VGG-16, MobileNetV2 and BERT-base on each template: cold (a fresh estimator, every
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

Case makeCase(const std::string& zoo, const std::string& hardware, const std::string& platform, int bits)
{
    const std::string text = R"({"format": "cdx-project", "version": 1, "name": "bench", "network": {"zoo": ")" + zoo + R"("},
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

struct Template {
    const char* name;
    const char* hardware;
    const char* platform;
    int bits;
};

constexpr Template kTemplates[] = {
    {"simple_ws", R"({"template": "simple_ws", "preset": "timeloop_example"})", "", 8},
    {"eyeriss_v1", R"({"template": "eyeriss", "preset": "eyeriss_v1"})", "", 16},
    {"tpu_v1", R"({"template": "systolic", "preset": "tpu_v1"})", "", 8},
    {"gemmini", R"({"template": "systolic", "preset": "gemmini_default"})", "", 8},
    {"nv_small", R"({"template": "nvdla", "preset": "nv_small"})", "", 8},
    {"aristotle", R"({"template": "convolver_array", "preset": "aristotle"})", "", 8},
    {"pipeline_vu9p", R"({"template": "dataflow_pipeline", "preset": "finn_pynq"})", R"({"kind": "fpga", "device": "xcvu9p", "clock_mhz": 200})", 4},
};

constexpr std::pair<const char*, const char*> kNetworks[] = {
    {"ResNet50", "resnet50"}, {"VGG16", "vgg16"}, {"MobileNetV2", "mobilenet_v2"}, {"BERTBase", "bert_base"}};

/// Cold: a fresh cache each iteration, every workload mapped. Warm: every workload cached.
void estimateBench(benchmark::State& state, const std::string& zoo, const Template& t, bool warm)
{
    const Case c = makeCase(zoo, t.hardware, t.platform, t.bits);
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
    state.counters["layers"] = static_cast<double>(c.network.layers().size());
}

/// An edit in the studio: one conv layer of ResNet-50 gets weight bits no layer had, and the
/// network is estimated again (every other workload cached; the edited one mapped).
void estimateAfterEdit(benchmark::State& state, const Template& t)
{
    Case c = makeCase("resnet50", t.hardware, t.platform, t.bits);
    Estimator estimator;
    if (!estimator.estimate(c.project, c.network).ok())
        state.SkipWithError("estimate failed");
    std::vector<std::string> convs;
    for (const auto& layer : c.network.layers())
        if (layer.kind == LayerKind::Conv)
            convs.push_back(layer.name);
    std::size_t edit = 0;
    for (auto _ : state) {
        const std::string& layer = convs[edit % convs.size()];
        const int bits = 2 + static_cast<int>(edit / convs.size()) % 14;  // 2..15: new for a long run
        ++edit;
        c.project.compression["layers"] = nlohmann::ordered_json::array({{{"match", layer}, {"weights", {{"bits", bits}}}}});
        auto r = estimator.estimate(c.project, c.network);
        if (!r.ok()) {
            state.SkipWithError(r.error().describe().c_str());
            break;
        }
        benchmark::DoNotOptimize(r->energyPj);
    }
}

/// BM_Estimate<Network><Cold|Warm>_<template>, registered for every pair.
const bool registered = [] {
    for (const auto& [label, zoo] : kNetworks)
        for (const Template& t : kTemplates)
            for (const bool warm : {false, true}) {
                const std::string name = std::string("BM_Estimate") + label + (warm ? "Warm_" : "Cold_") + t.name;
                const std::string network = zoo;
                benchmark::RegisterBenchmark(name.c_str(), [network, &t, warm](benchmark::State& s) { estimateBench(s, network, t, warm); })
                    ->Unit(benchmark::kMillisecond)
                    ->UseRealTime();
            }
    for (const Template& t : kTemplates)
        benchmark::RegisterBenchmark((std::string("BM_EstimateResNet50Edit_") + t.name).c_str(), [&t](benchmark::State& s) { estimateAfterEdit(s, t); })
            ->Unit(benchmark::kMillisecond)
            ->UseRealTime();
    return true;
}();

}  // namespace
