#include "estimators/templates/systolictemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>

namespace cdx {

namespace {

const char* dataflowName(SystolicDataflow d)
{
    switch (d) {
    case SystolicDataflow::WeightStationary: return "weight-stationary";
    case SystolicDataflow::OutputStationary: return "output-stationary";
    case SystolicDataflow::InputStationary: return "input-stationary";
    }
    return "?";
}

}  // namespace

LoopNestDesignSpec systolicDesignSpec(const SystolicShape& s, const DesignInputs& in)
{
    const Datapath dp = resolveDatapath(in);
    LoopNestDesignSpec spec;
    spec.templateName = s.templateName;
    const bool ws = s.dataflow == SystolicDataflow::WeightStationary;
    const bool os = s.dataflow == SystolicDataflow::OutputStationary;
    const int peBits = ws ? wordBitsFor(in, dp, true, false, false, false)
                       : os ? wordBitsFor(in, dp, false, false, true, true)
                            : wordBitsFor(in, dp, false, true, false, false);
    const int accBits = wordBitsFor(in, dp, false, false, true, true);
    const int spBits = wordBitsFor(in, dp, s.weightBufferWords == 0, true, false, false);
    const int dramBits = wordBitsFor(in, dp, true, true, true, false);
    spec.levels.push_back({s.peName, MemoryStyle::Registers, 1, peBits, 1, s.cols, s.rows});
    spec.levels.push_back({"array", MemoryStyle::Sram, 0, 1, 1, 1, 1, 0, 0, 0, false, true});
    spec.levels.push_back({s.accumulatorName, MemoryStyle::Sram, s.accumulatorWords, accBits, s.cols});
    if (s.weightBufferWords > 0)
        spec.levels.push_back({"weight_buffer", MemoryStyle::Sram, s.weightBufferWords, wordBitsFor(in, dp, true, false, false, false), s.cols});
    const int scratchpad = static_cast<int>(spec.levels.size());
    spec.levels.push_back({s.scratchpadName, MemoryStyle::Sram, s.scratchpadWords, spBits, s.scratchpadBlockWords});
    spec.levels.push_back({"DRAM", MemoryStyle::Sram, 0, dramBits, s.dramBlockWords, 1, 1, 0, 0, dramWordsPerCycle(in, dramBits), true});
    spec.compute = {"mac", s.cols, s.rows, dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, false};

    spec.constraints.levels.resize(spec.levels.size());
    auto& pe = spec.constraints.levels[0];
    auto& fan = spec.constraints.levels[1];
    keepOnly(fan, {});
    onlyTemporal(fan, {});
    switch (s.dataflow) {
    case SystolicDataflow::WeightStationary:
        // A weight stays in its PE while the output pixels stream past; inputs flow along the
        // rows, partial sums down the columns (reduced over C, R, S in Y).
        keepOnly(pe, {kWeights});
        onlyTemporal(pe, {kDimN, kDimP, kDimQ});
        fan.spatialXDims = dimMask({kDimM});
        fan.spatialYDims = dimMask({kDimC, kDimR, kDimS});
        break;
    case SystolicDataflow::OutputStationary:
        // A partial sum stays while its reduction streams past: weights flow down, inputs across.
        keepOnly(pe, {kOutputs});
        onlyTemporal(pe, {kDimC, kDimR, kDimS});
        fan.spatialXDims = dimMask({kDimM});
        fan.spatialYDims = dimMask({kDimN, kDimP, kDimQ});
        break;
    case SystolicDataflow::InputStationary:
        // An input stays while the output channels stream past.
        keepOnly(pe, {kInputs});
        onlyTemporal(pe, {kDimM});
        fan.spatialXDims = dimMask({kDimN, kDimP, kDimQ});
        fan.spatialYDims = dimMask({kDimC});
        break;
    }
    keepOnly(spec.constraints.levels[2], {kOutputs});
    if (s.weightBufferWords > 0) {
        keepOnly(spec.constraints.levels[3], {kWeights});
        keepOnly(spec.constraints.levels[static_cast<std::size_t>(scratchpad)], {kInputs});
    } else {
        keepOnly(spec.constraints.levels[static_cast<std::size_t>(scratchpad)], {kWeights, kInputs});
    }
    // Activations stay in the scratchpad between layers when they fit (the TPU's unified buffer).
    spec.residentLevel = scratchpad;
    spec.residentConstraints = spec.constraints;
    auto& sp = spec.residentConstraints.levels[static_cast<std::size_t>(scratchpad)];
    if (s.weightBufferWords > 0)
        keepOnly(sp, {kInputs, kOutputs});
    else
        keepOnly(sp, {kWeights, kInputs, kOutputs});
    onlyTemporal(spec.residentConstraints.levels.back(), {});
    spec.vectorLanes = static_cast<int>(in.params.integer("vector_lanes"));
    spec.vectorBits = dp.activationBits;
    spec.vectorLevel = scratchpad;
    const auto kib = [](Dim words, int bits) { return kibText(static_cast<double>(words) * bits); };
    spec.summary = std::string(dataflowName(s.dataflow)) + " " + std::to_string(s.rows) + " x " + std::to_string(s.cols) + " MACs, " +
                   kib(s.scratchpadWords, spBits) + " KiB " + s.scratchpadName + ", " + kib(s.accumulatorWords, accBits) + " KiB " +
                   s.accumulatorName + (s.weightBufferWords > 0 ? ", " + kib(s.weightBufferWords, dp.weightBits) + " KiB weight buffer" : "") +
                   ", " + dp.describe();
    spec.cacheKey = designCacheKey(s.templateName, in, dp);
    return spec;
}

SystolicTemplate::SystolicTemplate()
{
    info_.name = "systolic";
    info_.summary = "a rows x columns systolic MAC array, weight-, output- or input-stationary, under an accumulator and a scratchpad (TPU, Gemmini, SCALE-Sim)";
    info_.model = "loop-nest engine and mapper";
    // The TPU's activation pipeline applies bias, ReLU, sigmoid, tanh and pooling on the way to the
    // unified buffer (Jouppi et al., ISCA 2017); Gemmini's mvout scales, clamps, pools and accumulates
    // (Genc et al., DAC 2021).
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = true, .residual = true, .pool = true};
    info_.nonMacLayers = "a vector unit of vector_lanes lanes beside the scratchpad (the TPU's activation pipeline)";
    info_.params = {
        {"dataflow", ParamType::Choice, 0, 0, "ws", {"ws", "os", "is"}, "", "the operand that stays in the PEs: weights, outputs or inputs"},
        {"rows", ParamType::Integer, 1, 4096, 16, {}, "PEs", "rows of the array (Y: the reduction in ws and is, output pixels in os)"},
        {"cols", ParamType::Integer, 1, 4096, 16, {}, "PEs", "columns of the array (X: output channels in ws and os, output pixels in is)"},
        {"scratchpad_kib", ParamType::Real, 1, 1 << 20, 128, {}, "KiB", "scratchpad (unified buffer) for inputs, and weights unless there is a weight buffer"},
        {"accumulator_kib", ParamType::Real, 1, 1 << 20, 128, {}, "KiB", "accumulator memory for partial sums"},
        {"weight_buffer_kib", ParamType::Real, 0, 1 << 20, 0, {}, "KiB", "a separate weight buffer (the TPU's weight FIFO); 0 = weights in the scratchpad"},
        {"scratchpad_block_words", ParamType::Integer, 0, 4096, 0, {}, "words", "words per scratchpad access; 0 = one row of the array"},
        {"dram_block_words", ParamType::Integer, 1, 1024, 16, {}, "words", "words per DRAM access"},
    };
    for (auto& p : commonParams(16, 16))
        info_.params.push_back(p);
    for (auto& p : storageParams())
        info_.params.push_back(p);
    PresetSpec tpu;
    tpu.name = "tpu_v1";
    tpu.description = "Google TPU v1: 256 x 256 int8 weight-stationary array, 24 MiB unified buffer, 4 MiB accumulators, 256 KiB weight FIFO, DDR3 at 34 GB/s, 28 nm, 700 MHz";
    tpu.params = {{"dataflow", "ws"}, {"rows", 256}, {"cols", 256}, {"scratchpad_kib", 24576}, {"accumulator_kib", 4096},
                  {"weight_buffer_kib", 256}, {"dram_block_words", 64}, {"weight_bits", 8}, {"activation_bits", 8},
                  {"accumulator_bits", 32}, {"dram_bandwidth_gbs", 34}, {"vector_lanes", 256}};
    tpu.platform = {{"kind", "asic"}, {"node_nm", 28}, {"vdd", 0.9}, {"clock_mhz", 700}, {"dram", "ddr3"}};
    tpu.source = "Jouppi et al., ISCA 2017";
    PresetSpec gemmini;
    gemmini.name = "gemmini_default";
    gemmini.description = "Gemmini's defaultConfig: 16 x 16 int8 weight-stationary mesh, 128 KiB scratchpad, 128 KiB accumulator (int32), 128-bit DMA, 1 GHz";
    gemmini.params = {{"dataflow", "ws"}, {"rows", 16}, {"cols", 16}, {"scratchpad_kib", 128}, {"accumulator_kib", 128},
                      {"weight_buffer_kib", 0}, {"dram_block_words", 16}, {"weight_bits", 8}, {"activation_bits", 8},
                      {"accumulator_bits", 32}, {"dram_bandwidth_gbs", 16}, {"vector_lanes", 16}};
    gemmini.platform = {{"kind", "asic"}, {"node_nm", 22}, {"vdd", 0.8}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    gemmini.source = "Genc et al., DAC 2021 (GemminiConfigs.defaultConfig; 16 B/cycle DMA as in Kim et al. 2023)";
    info_.presets = {tpu, gemmini};
}

Result<std::unique_ptr<HardwareDesign>> SystolicTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    const Datapath dp = resolveDatapath(in);
    SystolicShape s;
    s.templateName = info_.name;
    const std::string& flow = p.choice("dataflow");
    s.dataflow = flow == "ws" ? SystolicDataflow::WeightStationary
                 : flow == "os" ? SystolicDataflow::OutputStationary
                                : SystolicDataflow::InputStationary;
    s.rows = static_cast<int>(p.integer("rows"));
    s.cols = static_cast<int>(p.integer("cols"));
    const int accBits = wordBitsFor(in, dp, false, false, true, true);
    const double wbKib = p.number("weight_buffer_kib");
    const int spBits = wordBitsFor(in, dp, wbKib <= 0, true, false, false);
    s.accumulatorWords = std::max<Dim>(1, static_cast<Dim>(p.number("accumulator_kib") * 8192 / accBits));
    s.weightBufferWords = wbKib > 0 ? std::max<Dim>(1, static_cast<Dim>(wbKib * 8192 / wordBitsFor(in, dp, true, false, false, false))) : 0;
    s.scratchpadWords = std::max<Dim>(1, static_cast<Dim>(p.number("scratchpad_kib") * 8192 / spBits));
    s.scratchpadBlockWords = p.integer("scratchpad_block_words") > 0 ? static_cast<int>(p.integer("scratchpad_block_words"))
                                                                     : (s.dataflow == SystolicDataflow::InputStationary ? s.cols : s.rows);
    s.dramBlockWords = static_cast<int>(p.integer("dram_block_words"));
    LoopNestDesignSpec spec = systolicDesignSpec(s, in);
    applyStorageParams(spec, p);
    return std::unique_ptr<HardwareDesign>(std::make_unique<LoopNestDesign>(std::move(spec), in.platform));
}

}  // namespace cdx
