#include "rtlsim/validator.h"

#include "core/compression/pruner.h"
#include "core/compression/quantizer.h"
#include "core/compression/weightmatrix.h"
#include "estimators/estimate/estimator.h"
#include "estimators/templates/hardwaredesign.h"
#include "estimators/templates/loopnestdesign.h"
#include "rtlsim/golden/pegolden.h"
#include "rtlsim/pesimulator.h"
#include "rtlsim/petile.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <random>
#include <sstream>

namespace cdx {

namespace {

Dim bound(const Problem& p, const char* dim)
{
    const int i = p.dimIndex(dim);
    return i < 0 ? 1 : p.bounds[static_cast<std::size_t>(i)];
}

const Layer* findLayer(const Network& net, const std::string& name)
{
    for (const Layer& l : net.layers())
        if (l.name == name)
            return &l;
    return nullptr;
}

/// Whether a ReLU reads the layer's output right after it (the PE applies it in its quantiser).
bool followedByRelu(const Network& net, const Layer& layer)
{
    const auto& layers = net.layers();
    for (std::size_t i = 0; i + 1 < layers.size(); ++i) {
        if (&layers[i] != &layer)
            continue;
        const Layer& next = layers[i + 1];
        const auto* act = std::get_if<ActivationParams>(&next.params);
        const std::string out = layer.outputs.empty() ? layer.name : layer.outputs.front();
        return act != nullptr && act->fn == ActivationFn::Relu && !next.inputs.empty() && next.inputs.front() == out;
    }
    return false;
}

/// The layer's weight matrix whose columns are the workload's reduction, with values.
std::optional<WeightMatrix> matrixFor(const Layer& layer, Dim reduction, std::string& note)
{
    for (WeightMatrix& m : weightMatrices(layer, true)) {
        if (m.cols == reduction && m.hasValues())
            return std::move(m);
    }
    note = layer.weightData.empty() ? "the network carries no weight values: seeded synthetic weights"
                                    : "no stored weight matrix has the workload's reduction length (a lowered or pruned shape): seeded synthetic weights";
    return std::nullopt;
}

/// Integer weight codes of the matrix under the workload's quantisation and pruning.
std::vector<std::vector<std::int32_t>> weightCodes(const WeightMatrix& m, const Workload& w, Dim rows, int bits, std::string& note)
{
    QuantSpec spec = w.compression.weights;
    spec.bits = bits;
    if (spec.format != NumberFormat::Int || !spec.symmetric) {
        note = "the layer's weights, as symmetric int" + std::to_string(bits) + " codes (the PE computes on integers)";
        spec.format = NumberFormat::Int;
        spec.symmetric = true;
    } else {
        note = "the layer's weights, quantised by the plan (int" + std::to_string(bits) + " symmetric)";
    }
    std::vector<std::uint8_t> keep;
    const PruningKind kind = w.compression.pruning.kind;
    if (kind != PruningKind::None && kind != PruningKind::Circulant && kind != PruningKind::Channel && kind != PruningKind::Group &&
        kind != PruningKind::BlockDiagonal) {
        keep = pruneMatrix(m, w.compression.pruning).keep;
        note.append(", pruned (").append(pruningKindName(kind)).append(")");
    }
    const Quantizer q = Quantizer::fit(spec, std::span<const float>(m.values));
    const double scale = q.params().scale > 0 ? q.params().scale : 1.0;
    const std::int32_t lo = codeMin(bits, true);
    const std::int32_t hi = codeMax(bits, true);
    std::vector<std::vector<std::int32_t>> codes(static_cast<std::size_t>(rows));
    for (Dim r = 0; r < rows; ++r) {
        const Dim row = r % m.rows;
        auto& out = codes[static_cast<std::size_t>(r)];
        out.resize(static_cast<std::size_t>(m.cols));
        for (Dim c = 0; c < m.cols; ++c) {
            const std::size_t at = static_cast<std::size_t>(row * m.cols + c);
            const double value = keep.empty() || keep[at] ? q.quantize(m.values[at]) : 0.0;
            out[static_cast<std::size_t>(c)] = static_cast<std::int32_t>(std::clamp<long long>(std::llround(value / scale), lo, hi));
        }
    }
    return codes;
}

struct TileBuild {
    PeTile tile;
    bool realWeights = false;
    std::string note;
    std::string truncation;
};

TileBuild buildTile(const PeSpec& pe, const Layer* layer, const Workload& w, const ValidationOptions& options)
{
    TileBuild b;
    const Problem& p = w.problem;
    Dim reduction = bound(p, "C") * bound(p, "R") * bound(p, "S");
    const Dim total = bound(p, "N") * bound(p, "G") * bound(p, "M") * bound(p, "P") * bound(p, "Q");
    const bool sparse = pe.mode == PeMode::Sparse;
    const Dim fullReduction = reduction;
    if (sparse && reduction > kPeBufferEntries) {
        reduction = kPeBufferEntries;
        b.truncation = "reduction cut to the PE's " + std::to_string(kPeBufferEntries) + "-entry activation buffer";
    }
    Dim outputs = std::min({options.maxTileOutputs, total, std::max<Dim>(1, options.maxTileProducts / std::max<Dim>(1, reduction))});
    outputs = std::max<Dim>(1, outputs);
    std::mt19937_64 random(options.seed ^ std::hash<std::string>{}(w.name));
    // Weights: the layer's own, else synthetic with the plan's density.
    std::vector<std::vector<std::int32_t>> weights;
    std::optional<WeightMatrix> matrix;
    if (layer != nullptr && !w.weightsAreActivations)
        matrix = matrixFor(*layer, fullReduction, b.note);
    else
        b.note = w.weightsAreActivations ? "a product of two activations: seeded synthetic operands" : "seeded synthetic weights";
    if (matrix && !pe.weightSigned) {
        matrix.reset();
        b.note = "the PE reads unsigned weights: seeded synthetic weights";
    }
    if (matrix) {
        weights = weightCodes(*matrix, w, outputs, pe.weightBits, b.note);
        for (auto& row : weights)
            row.resize(static_cast<std::size_t>(reduction));
        b.realWeights = true;
    } else {
        std::uniform_int_distribution<std::int32_t> code(codeMin(pe.weightBits, pe.weightSigned), codeMax(pe.weightBits, pe.weightSigned));
        std::bernoulli_distribution kept(std::clamp(w.effect.weightDensity, 0.0, 1.0));
        weights.assign(static_cast<std::size_t>(outputs), std::vector<std::int32_t>(static_cast<std::size_t>(reduction)));
        for (auto& row : weights)
            for (auto& v : row)
                v = kept(random) ? code(random) : 0;
    }
    std::uniform_int_distribution<std::int32_t> activation(codeMin(pe.activationBits, pe.activationSigned),
                                                          codeMax(pe.activationBits, pe.activationSigned));
    std::bernoulli_distribution nonzero(std::clamp(w.effect.activationDensity, 0.0, 1.0));
    auto nextActivation = [&]() { return nonzero(random) ? activation(random) : 0; };
    b.tile.reduction = reduction;
    if (sparse) {
        b.tile.activationVector.resize(static_cast<std::size_t>(reduction));
        for (auto& a : b.tile.activationVector)
            a = nextActivation();
        for (const auto& row : weights) {
            std::vector<std::int32_t> values;
            std::vector<std::uint16_t> at;
            for (std::size_t k = 0; k < row.size(); ++k) {
                if (row[k] != 0) {
                    values.push_back(row[k]);
                    at.push_back(static_cast<std::uint16_t>(k));
                }
            }
            b.tile.weights.push_back(std::move(values));
            b.tile.indices.push_back(std::move(at));
        }
    } else {
        b.tile.weights = std::move(weights);
        b.tile.activations.resize(b.tile.weights.size());
        for (auto& row : b.tile.activations) {
            row.resize(static_cast<std::size_t>(reduction));
            for (auto& a : row)
                a = nextActivation();
        }
    }
    return b;
}

/// The smallest right shift that brings every accumulator into the output's range.
int outputShift(const PeSpec& pe, const std::vector<std::int64_t>& sums)
{
    std::uint64_t largest = 0;
    for (std::int64_t s : sums) {
        std::int64_t wrapped = s;
        if (pe.accumulatorBits < 64) {
            const int unused = 64 - pe.accumulatorBits;
            wrapped = static_cast<std::int64_t>(static_cast<std::uint64_t>(s) << unused) >> unused;
        }
        largest = std::max(largest, wrapped < 0 ? static_cast<std::uint64_t>(-(wrapped + 1)) + 1 : static_cast<std::uint64_t>(wrapped));
    }
    const int needed = largest == 0 ? 0 : 64 - std::countl_zero(largest);
    return std::clamp(needed - (pe.outputBits - 1), 0, kPeLimits.shift);
}

/// The PEs the estimator's mapping of a workload keeps busy, and how.
struct BusyPes {
    double pes = 0;      ///< in PEs of the PeSpec (MACs of the mapping over the PE's lanes)
    std::string spatial; ///< the mapping's spatial factors: "R 3 x S 3"
    Dim spatialGroups = 1;
    Dim computeCycles = 0; ///< of one repetition, the MACs alone
};

/// Maps `w` again as the estimate did (LoopNestDesign::map: the same mapping for the same
/// options) and reads how many MACs its spatial loops use. nullopt: the design has no
/// loop-nest mapping.
std::optional<BusyPes> busyPes(const HardwareDesign& design, const EvaluateOptions& evaluate, const Workload& w, const PeSpec& pe)
{
    const auto* nest = dynamic_cast<const LoopNestDesign*>(&design);
    if (nest == nullptr)
        return std::nullopt;
    auto mapped = nest->map(w, evaluate);
    if (!mapped || mapped->stats.utilizedMacs <= 0)
        return std::nullopt;
    BusyPes b;
    b.pes = static_cast<double>(mapped->stats.utilizedMacs) / std::max(1, pe.lanes);
    b.computeCycles = mapped->stats.computeCycles;
    const Problem& p = mapped->problem;
    for (int d = 0; d < p.dims(); ++d) {
        Dim factor = 1;
        for (const LevelMapping& level : mapped->mapping.levels)
            factor *= level.spatialX[static_cast<std::size_t>(d)] * level.spatialY[static_cast<std::size_t>(d)];
        if (factor <= 1)
            continue;
        if (!b.spatial.empty())
            b.spatial.append(" x ");
        b.spatial.append(p.dimNames[static_cast<std::size_t>(d)]).append(" ").append(std::to_string(factor));
        if (p.dimNames[static_cast<std::size_t>(d)] == "G")
            b.spatialGroups = factor;
    }
    return b;
}

std::string groupDigits(double value)
{
    std::string digits = std::to_string(static_cast<long long>(std::llround(value)));
    const std::size_t first = digits.front() == '-' ? 1 : 0;
    for (std::size_t at = digits.size(); at > first + 3; at -= 3)
        digits.insert(at - 3, ",");
    return digits;
}

std::string percent(double pct)
{
    std::ostringstream s;
    s.setf(std::ios::fixed);
    s.precision(2);
    s << (pct > 0 ? "+" : "") << pct << "%";
    return s.str();
}

std::string describeTile(Dim outputs, Dim reduction, Dim total, bool sparse, Dim products)
{
    std::string s = std::to_string(outputs);
    s.append(" outputs x ").append(std::to_string(reduction)).append(" products");
    if (sparse)
        s.append(" (").append(std::to_string(products)).append(" non-zero)");
    s.append(" of ").append(std::to_string(total)).append(" outputs");
    return s;
}

void validateOne(const Network& net, const HardwareDesign& design, const EvaluateOptions& evaluate, const Workload& w,
                 const LayerResult* result, const ValidationOptions& options, LayerValidation& v)
{
    const auto start = std::chrono::steady_clock::now();
    v.workload = w.name;
    v.layer = w.layer;
    v.kind = std::string(layerKindName(w.kind));
    auto spec = design.processingElement(w);
    if (!spec) {
        v.skipped = w.unit == WorkUnit::Array ? "the design computes this workload without MAC PEs" : "not a MAC workload";
        return;
    }
    PeSpec pe = *spec;
    const Layer* layer = findLayer(net, w.layer);
    pe.outputBits = std::clamp(w.compression.activations.bits, PeLimits::minSignedBits, kPeLimits.outputBits);
    pe.relu = layer != nullptr && followedByRelu(net, *layer);
    pe.round = true;
    v.pe = pe;
    if (auto reason = checkPeSpec(pe); !reason.empty()) {
        v.skipped = "the RTL PE (" + std::to_string(kPeLimits.lanes) + " lanes, " + std::to_string(PeLimits::minOperandBits) + ".." +
                    std::to_string(kPeLimits.dataBits) + "-bit operands) cannot take this PE: " + reason;
        return;
    }
    TileBuild built = buildTile(pe, layer, w, options);
    const PeTile& tile = built.tile;
    pe.shift = outputShift(pe, goldenAccumulators(pe, tile));
    v.pe = pe;
    v.outputs = tile.outputs();
    v.reduction = tile.reduction;
    v.products = tile.products();
    v.realWeights = built.realWeights;
    v.weightsNote = built.note;
    const Problem& p = w.problem;
    const Dim total = bound(p, "N") * bound(p, "G") * bound(p, "M") * bound(p, "P") * bound(p, "Q");
    v.tile = describeTile(v.outputs, v.reduction, total, pe.mode == PeMode::Sparse, v.products);
    if (!built.truncation.empty())
        v.tile.append(", ").append(built.truncation);

    const PeStream stream = packTile(pe, tile);
    PeSimulator simulator(options.vcdPath);
    auto run = simulator.run(pe, stream, options.backpressure, options.seed);
    v.simulatedCycles = simulator.simulatedCycles();
    v.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!run) {
        v.firstMismatch = run.error().message;
        v.mismatches = v.outputs;
        return;
    }
    const std::vector<std::int32_t> golden = goldenOutputs(pe, tile);
    for (std::size_t i = 0; i < golden.size(); ++i) {
        const bool have = i < run->outputs.size();
        if (have && run->outputs[i] == golden[i])
            continue;
        if (v.mismatches++ == 0) {
            v.firstMismatch = "output " + std::to_string(i) + ": RTL ";
            v.firstMismatch.append(have ? std::to_string(run->outputs[i]) : "none").append(", golden ").append(std::to_string(golden[i]));
        }
    }
    const PeActivity activity = goldenActivity(pe, stream);
    v.toggles = run->toggles;
    v.toggleRate = activity.toggleRate();
    v.countersMatch = run->toggles == activity.toggles && run->products == activity.products;
    v.rtlCycles = run->cycles();
    v.predictedCycles = predictPeCycles(pe, tile.work()).total();
    v.cycleErrorPct = v.predictedCycles > 0 ? 100.0 * static_cast<double>(v.rtlCycles - v.predictedCycles) / static_cast<double>(v.predictedCycles) : 0;
    if (options.backpressure > 0)
        v.cycleNote = "the consumer held results on " + std::to_string(run->stallCycles) + " cycles (backpressure): cycles are not compared";
    if (result != nullptr) {
        v.layerCycles = result->cycles;
        const Dim work = result->effectiveMacs > 0 ? result->effectiveMacs : result->macs;
        // The tile is one PE's work: the layer's cycles are shared by the PEs its mapping keeps
        // busy, not by every PE of the design (a depthwise convolution, C = M = 1 in each group,
        // fills a few rows of a systolic array).
        const std::optional<BusyPes> busy = busyPes(design, evaluate, w, pe);
        v.busyPes = busy ? std::min(busy->pes, pe.instances) : pe.instances;
        const auto perTile = [&](double pes) {
            return work > 0 ? static_cast<double>(result->cycles) * pes * static_cast<double>(v.products) / static_cast<double>(work) : 0.0;
        };
        const auto errorPct = [&](double expected) {
            return expected > 0 ? 100.0 * (static_cast<double>(v.rtlCycles) - expected) / expected : 0.0;
        };
        v.layerTileCycles = perTile(v.busyPes);
        v.layerTileCyclesAllPes = perTile(pe.instances);
        v.layerErrorPct = errorPct(v.layerTileCycles);
        const bool underUsed = busy && v.busyPes < pe.instances;
        // The cycles the mapping's MACs take; the layer may take longer (memory stalls, an output stage).
        const Dim computeCycles = busy ? busy->computeCycles * std::max<Dim>(w.repeat, 1) : 0;
        const bool stalled = computeCycles > 0 && result->cycles > computeCycles;
        v.layerTileComputeCycles = stalled && work > 0 ? static_cast<double>(computeCycles) * v.busyPes * static_cast<double>(v.products) /
                                                             static_cast<double>(work)
                                                       : v.layerTileCycles;
        if ((underUsed || stalled) && v.layerTileCycles > 0) {
            std::string note;
            if (underUsed) {
                note = "the estimator's mapping keeps " + groupDigits(v.busyPes) + " of the " + groupDigits(pe.instances) + " PEs busy";
                if (!busy->spatial.empty())
                    note.append(" (spatially ").append(busy->spatial).append(")");
                const Dim groups = bound(p, "G");
                if (groups > 1 && bound(p, "C") == 1 && bound(p, "M") == 1) {
                    note.append(", a depthwise convolution: one input and one output channel in each of its ");
                    note.append(groupDigits(static_cast<double>(groups))).append(" groups, ");
                    note.append(busy->spatialGroups > 1 ? groupDigits(static_cast<double>(busy->spatialGroups)) + " of them side by side"
                                                        : "which run one after another");
                }
                note.append("; ");
            }
            note.append("layer est. is per busy PE: ").append(groupDigits(v.layerTileCycles)).append(" cycles for the tile (RTL ");
            note.append(groupDigits(static_cast<double>(v.rtlCycles))).append(", ").append(percent(v.layerErrorPct)).append(")");
            if (underUsed) {
                note.append(", over all ").append(groupDigits(pe.instances)).append(" PEs it would be ").append(groupDigits(v.layerTileCyclesAllPes));
                note.append(" (").append(percent(errorPct(v.layerTileCyclesAllPes))).append(")");
            }
            if (stalled) {
                const double computeTile = v.layerTileComputeCycles;
                note.append("; the layer is bound by ").append(result->bound.empty() ? "a memory level" : result->bound).append(": its MACs take ");
                note.append(groupDigits(static_cast<double>(computeCycles))).append(" of its ").append(groupDigits(static_cast<double>(result->cycles)));
                note.append(" cycles; without the rest, which the PE does not see, ").append(groupDigits(computeTile)).append(" for the tile (RTL ");
                note.append(percent(errorPct(computeTile))).append(")");
            }
            v.cycleNote = v.cycleNote.empty() ? note : v.cycleNote + "; " + note;
        }
    }
    const bool cyclesHold = options.backpressure > 0 || std::abs(v.cycleErrorPct) <= options.maxCycleErrorPct;
    const bool layerHolds = options.maxLayerErrorPct < 0 || options.backpressure > 0 ||
                            (v.layerTileCycles > 0 && std::abs(v.layerErrorPct) <= options.maxLayerErrorPct);
    v.passed = v.mismatches == 0 && v.countersMatch && cyclesHold && layerHolds;
}

}  // namespace

Result<ValidationReport> validateProject(const Project& project, const Network& network, const ValidationOptions& options)
{
    const auto start = std::chrono::steady_clock::now();
    Estimator estimator;
    EstimateInternals internals;
    auto estimate = estimator.estimate(project, network, {}, internals);
    if (!estimate)
        return estimate.error();
    ValidationReport report;
    report.project = project.name;
    report.file = project.filePath;
    report.templateName = estimate->templateName;
    report.design = estimate->design;
    report.maxCycleErrorPct = options.maxCycleErrorPct;
    report.maxLayerErrorPct = options.maxLayerErrorPct;
    std::vector<std::size_t> chosen;
    for (std::size_t i = 0; i < internals.workloads.size(); ++i) {
        const Workload& w = internals.workloads[i];
        if (!options.layer.empty()) {
            if (w.name == options.layer || w.layer == options.layer)
                chosen.push_back(i);
        } else if (w.unit == WorkUnit::Array) {
            chosen.push_back(i);
        }
    }
    if (chosen.empty()) {
        if (!options.layer.empty())
            return Error{ExitCode::BadInput, project.filePath, "--layer", "the network has no layer or workload named \"" + options.layer + "\""};
        return Error{ExitCode::BadInput, project.filePath, "", "the network has no MAC layer to validate"};
    }
    if (!options.vcdPath.empty() && chosen.size() != 1)
        return Error{ExitCode::BadInput, project.filePath, "--vcd", "a trace needs one workload: name it with --layer"};
    auto resultFor = [&](const Workload& w) -> const LayerResult* {
        for (const LayerResult& r : estimate->layers)
            if (r.name == w.name)
                return &r;
        return nullptr;
    };
    report.layers.resize(chosen.size());
    std::mutex progress;
    int done = 0;
    const int total = static_cast<int>(chosen.size());
    tbb::parallel_for(std::size_t{0}, chosen.size(), [&](std::size_t k) {
        if (options.cancel != nullptr && options.cancel->load())
            return;
        const Workload& w = internals.workloads[chosen[k]];
        validateOne(network, *internals.design, internals.evaluate, w, resultFor(w), options, report.layers[k]);
        std::lock_guard lock(progress);
        ++done;
        if (options.onProgress)
            options.onProgress(done, total);
    });
    report.cancelled = options.cancel != nullptr && options.cancel->load();
    for (const LayerValidation& v : report.layers) {
        if (v.workload.empty())
            continue;  // cancelled before it ran
        if (!v.skipped.empty())
            ++report.skipped;
        else if (v.passed)
            ++report.validated;
        else
            ++report.failed, ++report.validated;
        report.simulatedCycles += v.simulatedCycles;
    }
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return report;
}

}  // namespace cdx
