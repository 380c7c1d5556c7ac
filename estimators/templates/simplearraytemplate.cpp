#include "estimators/templates/simplearraytemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/templates/loopnestdesign.h"
#include "estimators/templates/templatecommon.h"

namespace cdx {

SimpleArrayTemplate::SimpleArrayTemplate(bool weightStationary) : weightStationary_(weightStationary)
{
    info_.name = weightStationary ? "simple_ws" : "simple_os";
    info_.summary = weightStationary
                        ? "weight-stationary PE grid: weights in each PE's scratchpad, operands in registers (Timeloop's simple_weight_stationary)"
                        : "output-stationary PE grid: partial sums in each PE's scratchpad (Timeloop's simple_output_stationary)";
    info_.model = "loop-nest engine and mapper";
    // An adder, a multiplier and a comparator per output column, with a residual operand read from the
    // global buffer.
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = false, .residual = true, .pool = false};
    info_.nonMacLayers = "a vector unit of vector_lanes lanes beside the global buffer";
    info_.params = {
        {"pe_rows", ParamType::Integer, 1, 1024, 16, {}, "PEs", "rows of the PE grid (Y)"},
        {"pe_cols", ParamType::Integer, 1, 1024, 16, {}, "PEs", "columns of the PE grid (X)"},
        {"spad_words", ParamType::Integer, 1, 1 << 20, 192, {}, "words", "PE scratchpad depth"},
        {"glb_kib", ParamType::Real, 1, 1 << 20, 128, {}, "KiB", "global buffer size"},
        {"glb_block_words", ParamType::Integer, 1, 1024, 4, {}, "words", "words per global-buffer access"},
        {"glb_bandwidth", ParamType::Real, 0, 1 << 20, 16, {}, "words/cycle", "global buffer read and write bandwidth (0 = unlimited)"},
        {"dram_block_words", ParamType::Integer, 1, 1024, 4, {}, "words", "words per DRAM access"},
    };
    for (auto& p : commonParams(25.6, 16))
        info_.params.push_back(p);
    for (auto& p : storageParams())
        info_.params.push_back(p);
    PresetSpec example;
    example.name = "timeloop_example";
    example.description = std::string("the ") + (weightStationary ? "simple_weight_stationary" : "simple_output_stationary") +
                          " design of the Timeloop/Accelergy exercises: 16 x 16 PEs, 192-word scratchpads, 128 KiB global buffer, 16-bit words, 8-bit MACs";
    example.params = {{"weight_bits", 8}, {"activation_bits", 8}, {"accumulator_bits", 16}, {"word_bits", 16}, {"dram_bandwidth_gbs", 0}};
    example.platform = {{"kind", "asic"}, {"node_nm", 45}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    example.source = "Accelergy-Project/timeloop-accelergy-exercises, example_designs (tests/data/timeloop)";
    info_.presets = {example};
}

Result<std::unique_ptr<HardwareDesign>> SimpleArrayTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    const Datapath dp = resolveDatapath(in);
    const int rows = static_cast<int>(p.integer("pe_rows"));
    const int cols = static_cast<int>(p.integer("pe_cols"));
    LoopNestDesignSpec spec;
    spec.templateName = info_.name;
    const int sharedBits = wordBitsFor(in, dp, true, true, true, false);
    const int glbBlock = static_cast<int>(p.integer("glb_block_words"));
    const Dim glbWords = static_cast<Dim>(p.number("glb_kib") * 1024 * 8 / sharedBits);
    const int spadBits = weightStationary_ ? wordBitsFor(in, dp, true, false, false, false) : wordBitsFor(in, dp, false, false, true, true);
    // Innermost first, as in the Timeloop design.
    spec.levels = {
        {"output_activation_reg", MemoryStyle::Registers, 1, wordBitsFor(in, dp, false, false, true, true), 1, cols, rows},
        {"input_activation_reg", MemoryStyle::Registers, 1, wordBitsFor(in, dp, false, true, false, false), 1, cols, rows},
        {"weight_reg", MemoryStyle::Registers, 1, wordBitsFor(in, dp, true, false, false, false), 1, cols, rows},
        {"pe_spad", MemoryStyle::Sram, p.integer("spad_words"), spadBits, 1, cols, rows},
        {"inter_PE_spatial", MemoryStyle::Sram, 0, 1, 1, 1, 1, 0, 0, 0, false, true},
        {"shared_glb", MemoryStyle::Sram, glbWords, sharedBits, glbBlock, 1, 1, p.number("glb_bandwidth"), p.number("glb_bandwidth")},
        {"DRAM", MemoryStyle::Sram, 0, sharedBits, static_cast<int>(p.integer("dram_block_words")), 1, 1, 0, 0,
         dramWordsPerCycle(in, sharedBits), true},
    };
    spec.compute = {"mac", cols, rows, dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, false};
    // The constraints of the Timeloop design (architecture_constraints), with G beside M.
    spec.constraints.levels.resize(spec.levels.size());
    auto& outReg = spec.constraints.levels[0];
    keepOnly(outReg, {kOutputs});
    noTemporal(outReg, {kDimP, kDimQ, kDimM, kDimN, kDimG});
    outReg.permutationPrefix = {kDimN, kDimM, kDimQ, kDimP};
    auto& inReg = spec.constraints.levels[1];
    keepOnly(inReg, {kInputs});
    noTemporal(inReg, {kDimP, kDimQ, kDimC, kDimN});
    inReg.permutationPrefix = {kDimN, kDimC, kDimQ, kDimP};
    auto& wReg = spec.constraints.levels[2];
    keepOnly(wReg, {kWeights});
    noTemporal(wReg, {kDimR, kDimS, kDimM, kDimC, kDimG});
    wReg.permutationPrefix = {kDimN, kDimC, kDimM, kDimS, kDimR};
    auto& spad = spec.constraints.levels[3];
    if (weightStationary_) {
        keepOnly(spad, {kWeights});
        spad.permutationPrefix = {kDimN, kDimP, kDimQ, kDimR, kDimS};
    } else {
        keepOnly(spad, {kOutputs});
        spad.permutationPrefix = {kDimN, kDimR, kDimS, kDimP, kDimQ};
    }
    auto& fan = spec.constraints.levels[4];
    keepOnly(fan, {});
    noSpatial(fan, {kDimR, kDimS, kDimP, kDimQ});
    fan.spatialXDims = dimMask({kDimN});
    fan.spatialYDims = dimMask({kDimQ, kDimP, kDimS, kDimR, kDimC, kDimM, kDimG});
    onlyTemporal(fan, {});
    spec.constraints.levels[5].permutationPrefix = {kDimN};
    spec.constraints.levels[6].permutationPrefix = {kDimN};
    spec.vectorLanes = static_cast<int>(p.integer("vector_lanes"));
    spec.vectorBits = dp.activationBits;
    spec.vectorLevel = 5;
    spec.residentLevel = 5;  // activations stay in the global buffer between layers when they fit
    spec.summary = std::string(weightStationary_ ? "weight" : "output") + "-stationary " + std::to_string(rows) + " x " +
                   std::to_string(cols) + " PEs, " + std::to_string(p.integer("spad_words")) + "-word scratchpads, " +
                   kibText(p.number("glb_kib") * 8192) + " KiB global buffer, " + dp.describe();
    spec.cacheKey = designCacheKey(info_.name, in, dp);
    applyStorageParams(spec, p);
    return std::unique_ptr<HardwareDesign>(std::make_unique<LoopNestDesign>(std::move(spec), in.platform));
}

}  // namespace cdx
