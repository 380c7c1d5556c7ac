// Design-space exploration throughput: ResNet-50 on Gemmini with a weight precision per
// convolution and FC layer (54 axes of 4 values, about 10^32 points), random samples, once the
// per-layer results are known (a first run of 2,000 points fills them). Composed points per
// second on one and on two threads.
#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/project/project.h"
#include "estimators/explore/projectevaluator.h"
#include "tests/bench/benchspaces.h"

#include <benchmark/benchmark.h>

#include <memory>
#include <stdexcept>

using namespace cdx;

namespace {

struct Space {
    Project project;
    std::unique_ptr<Network> network;
    std::unique_ptr<DesignSpace> space;
    std::unique_ptr<ProjectEvaluator> evaluator;
};

Space& resnet50Space()
{
    static Space s = [] {
        Space out;
        auto project = readProjectJson(R"({"format": "cdx-project", "version": 1, "name": "bench", "network": {"zoo": "resnet50"},
            "compression": {"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8, "format": "int"}}},
            "hardware": {"template": "systolic", "preset": "gemmini_default", "mapper": {"budget": 1000}},
            "explore": )" + bench::resnet50PrecisionSpace(2000) + "}",
                                       "bench.json");
        if (!project)
            throw std::runtime_error(project.error().describe());
        out.project = std::move(project).value();
        auto network = loadProjectNetwork(out.project);
        if (!network)
            throw std::runtime_error(network.error().describe());
        out.network = std::make_unique<Network>(std::move(network).value());
        auto space = DesignSpace::fromProject(out.project, *out.network);
        if (!space)
            throw std::runtime_error(space.error().describe());
        out.space = std::make_unique<DesignSpace>(std::move(space).value());
        out.evaluator = std::make_unique<ProjectEvaluator>(out.project, *out.network, *out.space);
        auto warmup = makeSearchStrategy(*out.space, Shard{});
        explore(*out.space, *warmup, *out.evaluator, {});
        return out;
    }();
    return s;
}

/// 100,000 fresh random points per iteration (a new seed each time), every one composed.
void BM_ExploreComposedResNet50(benchmark::State& state)
{
    Space& s = resnet50Space();
    const std::uint64_t fullBefore = s.evaluator->fullEstimates();
    std::uint64_t seed = 100, points = 0;
    for (auto _ : state) {
        Project p = s.project;
        p.explore["search"] = {{"strategy", "random"}, {"points", 100000}, {"seed", seed++}};
        auto space = DesignSpace::fromProject(p, *s.network);
        auto search = makeSearchStrategy(space.value(), Shard{});
        ExploreOptions options;
        options.threads = static_cast<int>(state.range(0));
        const ExploreOutcome run = explore(space.value(), *search, *s.evaluator, options);
        points += run.points.size();
        state.counters["front"] = static_cast<double>(run.front.size());
    }
    state.counters["points_per_s"] = benchmark::Counter(static_cast<double>(points), benchmark::Counter::kIsRate);
    state.counters["full_estimates"] = static_cast<double>(s.evaluator->fullEstimates() - fullBefore);
}

}  // namespace

BENCHMARK(BM_ExploreComposedResNet50)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
