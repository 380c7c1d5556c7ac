// Loop-nest engine speed: mapping evaluations per second on the Timeloop reference cases
// (the Eyeriss-like one is the figure of merit: 6 levels, 7 dimensions, 3 data spaces).
#include "estimators/engine/nestanalysis.h"
#include "estimators/mapper/mapper.h"
#include "estimators/timeloop/timeloopcase.h"

#include <benchmark/benchmark.h>

namespace {

void evaluateCase(benchmark::State& state, const char* name)
{
    const auto c = cdx::loadTimeloopCase(std::string(CDX_TEST_DATA_DIR) + "/timeloop/" + name);
    if (!c) {
        state.SkipWithError(c.error().describe().c_str());
        return;
    }
    cdx::EngineStats stats;
    const cdx::EngineOptions options;
    for (auto _ : state) {
        cdx::evaluateMapping(c->problem, c->architecture, c->mapping, options, stats);
        benchmark::DoNotOptimize(stats.energyPj);
        benchmark::ClobberMemory();
    }
    if (!stats.ok())
        state.SkipWithError("the mapping does not evaluate");
    state.counters["evaluations/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_EvaluateEyerissLike(benchmark::State& state) { evaluateCase(state, "eyeriss_like"); }
BENCHMARK(BM_EvaluateEyerissLike);

void BM_EvaluateSimpleWeightStationary(benchmark::State& state) { evaluateCase(state, "simple_weight_stationary"); }
BENCHMARK(BM_EvaluateSimpleWeightStationary);

void BM_EvaluateSimpleOutputStationary(benchmark::State& state) { evaluateCase(state, "simple_output_stationary"); }
BENCHMARK(BM_EvaluateSimpleOutputStationary);

void BM_EvaluateOneLevel(benchmark::State& state) { evaluateCase(state, "00_one_level"); }
BENCHMARK(BM_EvaluateOneLevel);

/// Reading a case from its YAML files (what `cdx timeloop` does before the one evaluation).
void BM_LoadEyerissLikeCase(benchmark::State& state)
{
    for (auto _ : state) {
        auto c = cdx::loadTimeloopCase(std::string(CDX_TEST_DATA_DIR) + "/timeloop/eyeriss_like");
        benchmark::DoNotOptimize(c);
    }
}
BENCHMARK(BM_LoadEyerissLikeCase)->Unit(benchmark::kMillisecond);

/// The mapper's search for one layer at its default budget, under the case's constraints.
void searchCase(benchmark::State& state, const char* name)
{
    const auto c = cdx::loadTimeloopCase(std::string(CDX_TEST_DATA_DIR) + "/timeloop/" + name);
    if (!c) {
        state.SkipWithError(c.error().describe().c_str());
        return;
    }
    for (auto _ : state) {
        auto found = cdx::findBestMapping(c->problem, c->architecture, c->constraints, cdx::MapperOptions{});
        if (!found)
            state.SkipWithError(found.error().describe().c_str());
        benchmark::DoNotOptimize(found);
    }
}

void BM_MapperEyerissLike(benchmark::State& state) { searchCase(state, "eyeriss_like"); }
BENCHMARK(BM_MapperEyerissLike)->Unit(benchmark::kMillisecond);

void BM_MapperSimpleWeightStationary(benchmark::State& state) { searchCase(state, "simple_weight_stationary"); }
BENCHMARK(BM_MapperSimpleWeightStationary)->Unit(benchmark::kMillisecond);

}  // namespace
