#include "estimators/templates/loopnestdesign.h"

#include "estimators/engine/engineresultjson.h"
#include "estimators/engine/nestanalysis.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/pe/pelimits.h"
#include "estimators/templates/templatecommon.h"

#include "core/util/checkedmath.h"

#include <algorithm>
#include <cmath>

namespace cdx {

std::string SparseSupport::describe() const
{
    std::string text;
    const auto add = [&text](SparseAction a, const char* operand) {
        if (a == SparseAction::None)
            return;
        text += (text.empty() ? "" : ", ") + std::string(a == SparseAction::Skip ? "skips" : "gates") + " zero " + operand;
    };
    add(weights, "weights");
    add(activations, "activations");
    if (!text.empty() && format != SparseFormat::Uncompressed)
        text += std::string(", ") + sparseFormatName(format) + " format";
    return text;
}

std::vector<ParamSpec> storageParams()
{
    const std::vector<std::string> actions = {"none", "gate", "skip"};
    return {
        {"pack_weights", ParamType::Boolean, 0, 0, false, {}, "",
         "store weights narrower than the datapath packed, floor(weight_bits / layer bits) to a word, in DRAM and in every "
         "buffer of more than one word, unpacked in the registers next to the MACs: fewer words held and moved (the MACs "
         "still run at the datapath's width); off: one weight per word, as the presets' chips store them"},
        {"sparse_weights", ParamType::Choice, 0, 0, "none", actions, "",
         "zero weights (the compression plan's weight density): none = computed on; gate = the MAC and the operand reads "
         "feeding it are clock-gated (energy saved, not cycles); skip = they are skipped (energy and cycles; Sparseloop's "
         "expected-value model: the nonzeros spread evenly over the PEs)"},
        {"sparse_activations", ParamType::Choice, 0, 0, "none", actions, "",
         "zero input activations (the plan's activation density): none, gate or skip, as sparse_weights"},
        {"sparse_format", ParamType::Choice, 0, 0, "none", {"none", "bitmask", "csr", "rle"}, "",
         "how buffers and DRAM store the operands that gate or skip: none = uncompressed (zeros stored and read, detected on "
         "the fly); bitmask = nonzeros + 1 bit per element; csr = nonzeros + a coordinate each + an offset per fiber; "
         "rle = nonzeros + a 4-bit zero run each. Compressed tiles hold and move only the nonzeros plus metadata"},
    };
}

void applyStorageParams(LoopNestDesignSpec& spec, const TemplateParams& params)
{
    SparseSupport& s = spec.sparse;
    s.weights = sparseActionFromName(params.choice("sparse_weights")).value_or(SparseAction::None);
    s.activations = sparseActionFromName(params.choice("sparse_activations")).value_or(SparseAction::None);
    s.format = sparseFormatFromName(params.choice("sparse_format")).value_or(SparseFormat::Uncompressed);
    spec.packWeights = params.flag("pack_weights");
}

LoopNestDesign::LoopNestDesign(LoopNestDesignSpec spec, const Platform& platform)
    : spec_(std::move(spec)), clockHz_(platform.clockHz()), fpga_(platform.isFpga()), staticPowerW_(platform.staticPowerW())
{
    architecture_.name = spec_.templateName;
    architecture_.cycleSeconds = platform.cycleSeconds();
    for (const LevelSpec& l : spec_.levels) {
        StorageLevel level;
        level.name = l.name;
        level.meshX = l.meshX;
        level.meshY = l.meshY;
        level.wordBits = l.wordBits;
        level.blockSize = std::max(1, l.blockWords);
        level.depth = l.dram || l.fanout ? 0 : l.depthWords;
        level.readBandwidth = l.readBandwidth;
        level.writeBandwidth = l.writeBandwidth;
        level.sharedBandwidth = l.sharedBandwidth;
        level.dummy = l.fanout;
        level.technology = l.dram ? "DRAM" : l.fanout ? "fan-out" : l.style == MemoryStyle::Sram ? "SRAM"
                                                                  : l.style == MemoryStyle::RegisterFile ? "register file"
                                                                                                          : "registers";
        ComponentCost cost;
        if (l.dram)
            cost = platform.dramAccess(l.wordBits * level.blockSize);
        else if (!l.fanout)
            cost = platform.memory(l.style, l.depthWords, l.wordBits, level.blockSize);
        level.actions = StorageActions{cost.readPj, cost.writePj, cost.writePj, cost.leakPj, cost.source};
        level.areaUm2 = cost.areaUm2;
        if (spec_.sparse.any() && !l.fanout && (l.dram || l.depthWords > 1)) {
            if (spec_.sparse.weights != SparseAction::None)
                level.formats[kWeights] = spec_.sparse.format;
            if (spec_.sparse.activations != SparseAction::None)
                level.formats[kInputs] = spec_.sparse.format;
        }
        architecture_.storage.push_back(level);
        levelCosts_.push_back(cost);
    }
    architecture_.sparse.active = spec_.sparse.any();
    architecture_.sparse.compute[kWeights] = spec_.sparse.weights;
    architecture_.sparse.compute[kInputs] = spec_.sparse.activations;
    const ComputeSpec& c = spec_.compute;
    mac_ = platform.mac(c.format, c.weightBits, c.activationBits, c.accumulatorBits, c.inLuts);
    architecture_.arithmetic.name = c.name;
    architecture_.arithmetic.meshX = c.meshX;
    architecture_.arithmetic.meshY = c.meshY;
    architecture_.arithmetic.wordBits = c.accumulatorBits;
    architecture_.arithmetic.computePj = mac_.readPj;
    architecture_.arithmetic.leakPj = mac_.leakPj;
    architecture_.arithmetic.areaUm2 = mac_.areaUm2;
    architecture_.arithmetic.source = mac_.source;
    vectorOp_ = platform.vectorOp(spec_.vectorBits);
    if (fpga_) {
        double ffs = 0;
        for (const auto& [name, r] : fpgaResources())
            ffs += r.ff;
        staticPowerW_ += platform.clockTreePowerW(ffs);
    }
}

std::string LoopNestDesign::describe() const
{
    const std::string sparse = spec_.sparse.describe();
    return sparse.empty() ? spec_.summary : spec_.summary + ", " + sparse;
}

Problem LoopNestDesign::problemFor(const Workload& w) const
{
    Problem p = w.problem;
    if (architecture_.sparse.active) {
        // A product of two activations has no stored weights: both operands are activations.
        p.densities[kWeights] = w.weightsAreActivations ? w.effect.activationDensity : w.effect.weightDensity;
        p.densities[kInputs] = w.effect.activationDensity;
    }
    return p;
}

double LoopNestDesign::peakMacsPerCycle() const
{
    return static_cast<double>(architecture_.arithmetic.instances());
}

std::optional<PeSpec> LoopNestDesign::processingElement(const Workload& w) const
{
    if (w.unit != WorkUnit::Array)
        return std::nullopt;
    const ComputeSpec& c = spec_.compute;
    PeSpec pe;
    pe.mode = spec_.sparse.weights == SparseAction::Skip ? PeMode::Sparse : spec_.peMode;
    pe.lanes = std::max(1, spec_.peLanes);
    // The MACs are built for the datapath; a layer quantised narrower runs on them at its width.
    pe.weightBits = std::min(c.weightBits, w.compression.weights.bits);
    pe.activationBits = std::min(c.activationBits, w.compression.activations.bits);
    pe.accumulatorBits = std::clamp(c.accumulatorBits, PeLimits::minSignedBits, kPeLimits.accumulatorBits);
    pe.outputBits = pe.activationBits;
    pe.instances = peakMacsPerCycle() / pe.lanes;
    pe.origin = spec_.peOrigin.empty() ? spec_.templateName + ": one MAC per PE, accumulating its own partial sum" : spec_.peOrigin;
    if (pe.mode == PeMode::Sparse)
        pe.origin.append("; zero weights skipped (sparse_weights skip)");
    return pe;
}

std::vector<AreaItem> LoopNestDesign::area() const
{
    if (fpga_)
        return {};
    std::vector<AreaItem> items;
    items.push_back(areaItem(architecture_.arithmetic.name, mac_, static_cast<double>(architecture_.arithmetic.instances())));
    for (std::size_t i = 0; i < architecture_.storage.size(); ++i) {
        const StorageLevel& level = architecture_.storage[i];
        if (level.areaUm2 > 0)
            items.push_back(areaItem(level.name, levelCosts_[i], static_cast<double>(level.instances())));
    }
    if (spec_.vectorLanes > 0)
        items.push_back(areaItem("vector", vectorOp_, spec_.vectorLanes));
    for (const auto& extra : spec_.extraArea)
        items.push_back(extra);
    return items;
}

std::vector<std::pair<std::string, FpgaResources>> LoopNestDesign::fpgaResources() const
{
    if (!fpga_)
        return {};
    std::vector<std::pair<std::string, FpgaResources>> items;
    const auto scaled = [](const FpgaResources& r, double n) { return r.scaled(n); };
    items.emplace_back(architecture_.arithmetic.name, scaled(mac_.fpga, static_cast<double>(architecture_.arithmetic.instances())));
    for (std::size_t i = 0; i < architecture_.storage.size(); ++i) {
        const auto& level = architecture_.storage[i];
        if (level.dummy || level.technology == "DRAM")
            continue;
        items.emplace_back(level.name, scaled(levelCosts_[i].fpga, static_cast<double>(level.instances())));
    }
    if (spec_.vectorLanes > 0)
        items.emplace_back("vector", scaled(vectorOp_.fpga, spec_.vectorLanes));
    for (const auto& extra : spec_.extraResources)
        items.push_back(extra);
    items.emplace_back("control, DMA and address generation", fpgaControl());
    return items;
}

Dim LoopNestDesign::activationBufferElements() const
{
    if (spec_.residentLevel < 0 || spec_.residentLevel >= architecture_.levels())
        return 0;
    const StorageLevel& buffer = architecture_.storage[static_cast<std::size_t>(spec_.residentLevel)];
    return buffer.depth * std::max<Dim>(1, buffer.instances());
}

Result<LayerResult> LoopNestDesign::evaluate(const Workload& w, const EvaluateOptions& options) const
{
    if (w.unit == WorkUnit::Array)
        return evaluateArray(w, options);
    if (w.unit == WorkUnit::Vector)
        return evaluateVector(w);
    LayerResult r = layerResultFor(w);
    r.unit = "none";
    r.shape = "no work";
    addLoweringNote(r, w);
    return r;
}

namespace {

/// Scales the DRAM traffic of the input activations by `inputs` and of the outputs by `outputs`
/// (0: they stay on chip; a fraction: only part goes off chip, a pooled result for instance) and
/// recomputes the DRAM level's bandwidth-limited cycles, the total cycles, leakage and utilization.
void scaleActivationTraffic(EngineStats& s, const Architecture& arch, double inputs, double outputs, bool weightsAreActivations)
{
    if (inputs == 1.0 && outputs == 1.0)
        return;
    const int top = s.levels - 1;
    const auto kt = static_cast<std::size_t>(top);
    LevelStats& dram = s.level[kt];
    const StorageLevel& level = arch.storage[kt];
    const Dim oldCycles = s.cycles;
    double readWords = 0, writeWords = 0;
    const auto scaled = [](Dim n, double f) { return static_cast<Dim>(std::llround(static_cast<double>(n) * f)); };
    for (int pv = 0; pv < s.dataSpaces; ++pv) {
        DataSpaceStats& d = dram.dataSpaces[static_cast<std::size_t>(pv)];
        if (!d.kept)
            continue;
        // A product of two activations reads its second operand as the weights' data space.
        const double f = pv == kInputs || (pv == kWeights && weightsAreActivations) ? inputs : pv == kOutputs ? outputs : 1.0;
        if (f != 1.0) {
            const double dropped = d.energyPj * (1 - f), droppedMeta = d.metadataEnergyPj * (1 - f);
            dram.energyPj -= dropped;
            dram.metadataEnergyPj -= droppedMeta;
            s.energyPj -= dropped;
            if (f <= 0) {
                d = DataSpaceStats{};
                continue;
            }
            for (Dim* n : {&d.reads, &d.fills, &d.updates, &d.gatedReads, &d.metadataReads, &d.metadataFills})
                *n = scaled(*n, f);
            d.energyPj -= dropped;
            d.metadataEnergyPj -= droppedMeta;
        }
        // As the engine counts them: gated output reads are writes of zeros.
        readWords += static_cast<double>(level.words(pv, d.reads) + d.metadataReads + (pv == kOutputs ? 0 : level.words(pv, d.gatedReads)));
        writeWords += static_cast<double>(level.words(pv, d.fills) + level.words(pv, d.updates) + d.metadataFills + (pv == kOutputs ? d.gatedReads : 0));
    }
    const double cc = static_cast<double>(s.computeCycles);
    const double slowdown = bandwidthSlowdown(level, readWords, writeWords, cc);
    dram.throttling = slowdown;
    dram.cycles = static_cast<Dim>(std::ceil(cc / slowdown));
    s.cycles = s.computeCycles;
    for (int i = 0; i <= top; ++i)
        s.cycles = std::max(s.cycles, s.level[static_cast<std::size_t>(i)].cycles);
    if (s.cycles != oldCycles && oldCycles > 0) {
        const double scale = static_cast<double>(s.cycles) / static_cast<double>(oldCycles);
        for (int i = 0; i <= top; ++i) {
            LevelStats& ls = s.level[static_cast<std::size_t>(i)];
            const double leak = ls.leakagePj * (scale - 1);
            ls.leakagePj += leak;
            ls.energyPj += leak;
            s.energyPj += leak;
        }
        s.utilization /= scale;
    }
}

}  // namespace

int LoopNestDesign::weightsPerWord(const Workload& w) const
{
    if (!spec_.packWeights || w.weightsAreActivations || w.unit != WorkUnit::Array)
        return 1;
    return std::max(1, spec_.compute.weightBits / std::max(1, w.compression.weights.bits));
}

Result<MappedWorkload> LoopNestDesign::map(const Workload& w, const EvaluateOptions& options) const
{
    if (w.unit != WorkUnit::Array)
        return Error{ExitCode::BadInput, {}, "layer " + w.layer, w.name + " is not an array workload: it has no loop-nest mapping"};
    // Narrow weights packed in DRAM and the buffers (not in one-word registers, as the sparse
    // formats): the mapper fits and the analysis costs them in packed words.
    Architecture packed;
    if (const int perWord = weightsPerWord(w); perWord > 1) {
        packed = architecture_;
        // Never more than a level's word holds (a word_bits narrower than the datapath).
        const int bits = std::max(1, w.compression.weights.bits);
        for (StorageLevel& level : packed.storage)
            if (!level.dummy && (level.technology == "DRAM" || level.depth > 1))
                level.elementsPerWord[kWeights] = std::min(perWord, std::max(1, level.wordBits / bits));
    }
    const Architecture& architecture = packed.storage.empty() ? architecture_ : packed;
    bool resident = false;
    double inputsOffChip = 1, outputsOffChip = 1;
    Result<MapperResult> found = Error{};
    const Problem problem = problemFor(w);
    if (spec_.residentLevel >= 0 && (!w.weightsAreActivations || w.residencyKnown)) {
        const StorageLevel& buffer = architecture.storage[static_cast<std::size_t>(spec_.residentLevel)];
        const Dim repeat = std::max<Dim>(w.repeat, 1);
        // The estimator's liveness pass says which activations stay in the buffer between layers;
        // without it, a layer whose inputs and outputs fit together keeps them there.
        const bool onChip = w.residencyKnown ? w.dramInputElements == 0 && w.dramOutputElements == 0
                                             : (w.inputElements + w.outputElements) / repeat <= buffer.depth;
        // A design whose buffer must also hold the weights keeps the activations only when a
        // mapping with everything below the buffer exists.
        const bool needsResidentMapping = !spec_.residentConstraints.levels.empty() && !w.weightsAreActivations;
        if (onChip && needsResidentMapping) {
            found = findBestMapping(problem, architecture, spec_.residentConstraints, options.mapper);
            resident = found.ok();
        }
        if (!resident)
            found = findBestMapping(problem, architecture, spec_.constraints, options.mapper);
        if (found.ok() && (onChip || w.residencyKnown) && (resident || !needsResidentMapping || !onChip)) {
            const auto fraction = [](Dim part, Dim whole) { return whole > 0 ? std::min(1.0, static_cast<double>(part) / static_cast<double>(whole)) : 1.0; };
            const Dim produced = checkedMul(problem.dataSpaceSize(kOutputs), repeat);
            inputsOffChip = onChip ? 0 : fraction(w.dramInputElements, w.inputElements);
            outputsOffChip = onChip ? 0 : fraction(w.dramOutputElements, produced);
            scaleActivationTraffic(found->stats, architecture, inputsOffChip, outputsOffChip, w.weightsAreActivations);
            resident = onChip;
        }
    } else {
        found = findBestMapping(problem, architecture, spec_.constraints, options.mapper);
    }
    if (!found) {
        Error error = found.error();
        error.location = "layer " + w.layer;
        error.message = "cannot map " + w.describe() + " on " + spec_.templateName + ": " + error.message;
        return error;
    }
    return MappedWorkload{problem, architecture, std::move(found->mapping), std::move(found->stats), resident, inputsOffChip, outputsOffChip};
}

Result<LayerResult> LoopNestDesign::evaluateArray(const Workload& w, const EvaluateOptions& options) const
{
    auto found = map(w, options);
    if (!found)
        return found.error();
    const bool resident = found->activationsResident;
    const EngineStats& s = found->stats;
    const auto repeat = static_cast<double>(w.repeat);
    LayerResult r = layerResultFor(w);
    r.unit = "array";
    r.cycles = s.cycles * w.repeat;
    r.latencyS = static_cast<double>(r.cycles) / clockHz_;
    r.energyPj = s.energyPj * repeat;
    r.utilization = s.utilization;
    r.bound = boundOf(architecture_, s);
    if (architecture_.sparse.active)
        r.effectiveMacs = s.computes * w.repeat;
    r.energyBreakdownPj.emplace_back(architecture_.arithmetic.name, s.computeEnergyPj * repeat);
    double metadataPj = 0;
    for (int i = s.levels - 1; i >= 0; --i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = architecture_.storage[ki];
        if (level.dummy)
            continue;
        // Metadata on chip is its own component; DRAM's stays with DRAM (off chip, out of the core).
        const double levelMetadataPj = level.technology == "DRAM" ? 0.0 : s.level[ki].metadataEnergyPj;
        metadataPj += levelMetadataPj * repeat;
        r.energyBreakdownPj.emplace_back(level.name, (s.level[ki].energyPj - levelMetadataPj) * repeat);
        for (int pv = 0; pv < s.dataSpaces; ++pv) {
            const DataSpaceStats& d = s.level[ki].dataSpaces[static_cast<std::size_t>(pv)];
            if (!d.kept)
                continue;
            r.accesses.push_back({level.name, w.problem.dataSpaces[static_cast<std::size_t>(pv)].name, d.reads * d.instances * w.repeat,
                                  d.fills * d.instances * w.repeat, d.updates * d.instances * w.repeat});
        }
    }
    if (metadataPj > 0)
        r.energyBreakdownPj.emplace_back("metadata", metadataPj);
    if (options.showMapping)
        r.mapping = describeMapping(w.problem, architecture_, found->mapping) +
                    (resident ? "(activations stay in " + architecture_.storage[static_cast<std::size_t>(spec_.residentLevel)].name + ")\n" : "");
    addLoweringNote(r, w);
    return r;
}

LayerResult LoopNestDesign::evaluateVector(const Workload& w) const
{
    LayerResult r = layerResultFor(w);
    if (spec_.vectorLanes <= 0) {
        r.unit = "host";
        r.bound = "host";
        r.warnings.push_back(w.layer + ": runs on the host, not counted");
        return r;
    }
    r.unit = "vector";
    const Dim ops = w.vectorOps;
    const Dim words = w.inputElements + w.outputElements;
    Dim cycles = (ops + spec_.vectorLanes - 1) / spec_.vectorLanes;
    r.bound = "vector";
    double bufferPj = 0, dramPj = 0;
    if (spec_.vectorLevel >= 0 && spec_.vectorLevel < architecture_.levels()) {
        const StorageLevel& buffer = architecture_.storage[static_cast<std::size_t>(spec_.vectorLevel)];
        const double perWord = (buffer.actions.readPj + buffer.actions.writePj) / 2 / std::max(1, buffer.blockSize);
        bufferPj = static_cast<double>(words) * perWord;
        // Operands that are not kept in the buffer (or, without the liveness pass, do not fit it)
        // stream from DRAM at its bandwidth.
        const StorageLevel& dram = architecture_.storage.back();
        const Dim dramWords = w.residencyKnown ? w.dramInputElements + w.dramOutputElements : buffer.depth > 0 && words > buffer.depth ? words : 0;
        if (dramWords > 0) {
            dramPj = static_cast<double>(dramWords) * dram.actions.readPj / std::max(1, dram.blockSize);
            const double bandwidth = dram.sharedBandwidth > 0 ? dram.sharedBandwidth : dram.readBandwidth;
            if (bandwidth > 0) {
                const auto dramCycles = static_cast<Dim>(std::ceil(static_cast<double>(dramWords) / bandwidth));
                if (dramCycles > cycles) {
                    cycles = dramCycles;
                    r.bound = dram.name;
                }
            }
        }
        r.energyBreakdownPj.emplace_back("vector", static_cast<double>(ops) * vectorOp_.readPj);
        r.energyBreakdownPj.emplace_back(buffer.name, bufferPj);
        if (dramPj > 0)
            r.energyBreakdownPj.emplace_back(dram.name, dramPj);
    } else {
        r.energyBreakdownPj.emplace_back("vector", static_cast<double>(ops) * vectorOp_.readPj);
    }
    r.cycles = cycles;
    r.latencyS = static_cast<double>(cycles) / clockHz_;
    for (const auto& [component, pj] : r.energyBreakdownPj)
        r.energyPj += pj;
    addLoweringNote(r, w);
    return r;
}

}  // namespace cdx
