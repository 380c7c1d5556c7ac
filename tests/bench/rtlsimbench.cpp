// The verilated PE: simulated cycles per second (target: 10 M for a 16-lane PE) in each mode,
// and the time to validate one tile of a layer (stimulus, RTL run, golden model).
#include "rtlsim/golden/pegolden.h"
#include "rtlsim/pesimulator.h"
#include "rtlsim/petile.h"
#include "rtlsim/validator.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace cdx;

namespace {

PeTile denseTile(Dim outputs, Dim reduction, std::mt19937_64& random)
{
    PeTile t;
    t.reduction = reduction;
    std::uniform_int_distribution<std::int32_t> code(-128, 127);
    for (Dim o = 0; o < outputs; ++o) {
        std::vector<std::int32_t> w(static_cast<std::size_t>(reduction));
        std::vector<std::int32_t> a(static_cast<std::size_t>(reduction));
        for (Dim k = 0; k < reduction; ++k) {
            w[static_cast<std::size_t>(k)] = code(random);
            a[static_cast<std::size_t>(k)] = code(random);
        }
        t.weights.push_back(std::move(w));
        t.activations.push_back(std::move(a));
    }
    return t;
}

void peCycles(benchmark::State& state, PeMode mode)
{
    PeSpec pe;
    pe.mode = mode;
    pe.lanes = 16;
    pe.weightBits = 8;
    pe.activationBits = 8;
    pe.serialBits = 1;
    pe.outputBits = 16;
    pe.shift = 8;
    std::mt19937_64 random(1);
    PeTile tile = denseTile(64, 4096, random);
    if (mode == PeMode::Sparse) {
        // 25% density: every fourth column.
        tile.activationVector = tile.activations.front();
        tile.activations.clear();
        for (auto& row : tile.weights) {
            std::vector<std::int32_t> kept;
            std::vector<std::uint16_t> at;
            for (std::size_t k = 0; k < row.size(); k += 4) {
                kept.push_back(row[k] == 0 ? 1 : row[k]);
                at.push_back(static_cast<std::uint16_t>(k));
            }
            row = kept;
            tile.indices.push_back(at);
        }
    }
    const PeStream stream = packTile(pe, tile);
    PeSimulator sim;
    std::uint64_t before = sim.simulatedCycles();
    for (auto _ : state) {
        auto run = sim.run(pe, stream);
        if (!run) {
            state.SkipWithError(run.error().message.c_str());
            break;
        }
        benchmark::DoNotOptimize(run->outputs.data());
    }
    state.counters["cycles/s"] = benchmark::Counter(static_cast<double>(sim.simulatedCycles() - before), benchmark::Counter::kIsRate);
}

void validateTile(benchmark::State& state, const std::string& projectName, const std::string& layer)
{
    auto project = loadProjectFile(std::string(CDX_SOURCE_DIR) + "/projects/" + projectName);
    if (!project) {
        state.SkipWithError(project.error().describe().c_str());
        return;
    }
    auto network = loadProjectNetwork(project.value());
    if (!network) {
        state.SkipWithError(network.error().describe().c_str());
        return;
    }
    ValidationOptions options;
    options.layer = layer;
    for (auto _ : state) {
        auto report = validateProject(project.value(), network.value(), options);
        if (!report || !report->passed()) {
            state.SkipWithError("validation failed");
            break;
        }
    }
}

}  // namespace

BENCHMARK_CAPTURE(peCycles, spatial16, PeMode::DenseSpatial)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(peCycles, temporal16, PeMode::DenseTemporal)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(peCycles, sparse16, PeMode::Sparse)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(peCycles, bitserial16, PeMode::BitSerial)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(validateTile, default_conv1, "default.json", "conv1")->Unit(benchmark::kMillisecond);

BENCHMARK_MAIN();
