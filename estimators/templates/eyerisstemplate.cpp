#include "estimators/templates/eyerisstemplate.h"

#include "estimators/engine/problemshapes.h"
#include "estimators/templates/loopnestdesign.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>

namespace cdx {

EyerissTemplate::EyerissTemplate()
{
    info_.name = "eyeriss";
    info_.summary = "row-stationary PE grid with input, filter and partial-sum scratchpads per PE (Eyeriss; Timeloop's eyeriss_like)";
    info_.model = "loop-nest engine and mapper";
    // Eyeriss applies ReLU on the way from the array to the global buffer (Chen et al., JSSC 2017);
    // bias, scale and a residual operand read from the buffer are the same adder and comparator.
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = false, .residual = true, .pool = false};
    info_.nonMacLayers = "a vector unit of vector_lanes lanes beside the global buffer";
    info_.params = {
        {"pe_rows", ParamType::Integer, 1, 1024, 12, {}, "PEs", "rows of the PE grid (Y: filter rows and input channels)"},
        {"pe_cols", ParamType::Integer, 1, 1024, 14, {}, "PEs", "columns of the PE grid (X: output rows and channels)"},
        {"ifmap_spad_words", ParamType::Integer, 1, 1 << 16, 12, {}, "rows", "input scratchpad depth per PE (rows of spad_width_bits)"},
        {"weights_spad_words", ParamType::Integer, 1, 1 << 20, 192, {}, "rows", "filter scratchpad depth per PE (rows of spad_width_bits)"},
        {"psum_spad_words", ParamType::Integer, 1, 1 << 16, 16, {}, "rows", "partial-sum scratchpad depth per PE (rows of spad_width_bits)"},
        {"weights_spad_style", ParamType::Choice, 0, 0, "register_file", {"register_file", "sram"}, "", "how the filter scratchpad is built"},
        {"spad_width_bits", ParamType::Integer, 1, 1024, 16, {}, "bits", "scratchpad row width: a row holds width / operand bits words, read at once"},
        {"spad_bandwidth", ParamType::Real, 0, 1024, 2, {}, "words/cycle", "scratchpad read and write bandwidth (0 = unlimited)"},
        {"glb_kib", ParamType::Real, 1, 1 << 20, 128, {}, "KiB", "global buffer size"},
        {"glb_block_words", ParamType::Integer, 1, 1024, 8, {}, "words", "words per global-buffer access"},
        {"glb_bandwidth", ParamType::Real, 0, 1 << 20, 16, {}, "words/cycle", "global buffer read and write bandwidth (0 = unlimited)"},
        {"dram_block_words", ParamType::Integer, 1, 1024, 8, {}, "words", "words per DRAM access"},
    };
    for (auto& p : commonParams(25.6, 16))
        info_.params.push_back(p);
    for (auto& p : storageParams())
        info_.params.push_back(p);
    PresetSpec like;
    like.name = "eyeriss_like";
    like.description = "the eyeriss_like design of the Timeloop/Accelergy exercises: 14 x 12 PEs, 12/192/16-word scratchpads, 128 KiB global buffer, 8-bit data, 16-bit partial sums";
    like.params = {{"weight_bits", 8}, {"activation_bits", 8}, {"accumulator_bits", 16}, {"dram_bandwidth_gbs", 0}};
    like.platform = {{"kind", "asic"}, {"node_nm", 32}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    like.source = "Accelergy-Project/timeloop-accelergy-exercises, example_designs/eyeriss_like (tests/data/timeloop)";
    PresetSpec v1;
    v1.name = "eyeriss_v1";
    v1.description = "the Eyeriss v1 chip: 65 nm, 12 x 14 PEs, 16-bit fixed point, 224-word filter SRAM, 12-word input and 24-word partial-sum registers per PE, 108 KB global buffer";
    v1.params = {{"pe_rows", 12}, {"pe_cols", 14}, {"ifmap_spad_words", 12}, {"weights_spad_words", 224}, {"psum_spad_words", 24},
                 {"weights_spad_style", "sram"}, {"spad_width_bits", 16}, {"glb_kib", 108}, {"glb_block_words", 4},
                 {"weight_bits", 16}, {"activation_bits", 16}, {"accumulator_bits", 16}};
    v1.platform = {{"kind", "asic"}, {"node_nm", 65}, {"clock_mhz", 200}, {"dram", "lpddr4"}};
    v1.source = "Chen et al., ISSCC 2016 / JSSC 2017";
    info_.presets = {like, v1};
}

Result<std::unique_ptr<HardwareDesign>> EyerissTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    const Datapath dp = resolveDatapath(in);
    const int rows = static_cast<int>(p.integer("pe_rows"));
    const int cols = static_cast<int>(p.integer("pe_cols"));
    // A scratchpad row holds as many operands as fit its width (Timeloop: block size = width / datawidth).
    const int spadWidth = static_cast<int>(p.integer("spad_width_bits"));
    const auto spad = [&](const char* rowsParam, int bits) {
        const int block = std::max(1, spadWidth / std::max(1, bits));
        return std::pair<Dim, int>{p.integer(rowsParam) * block, block};
    };
    const int psumBits = wordBitsFor(in, dp, false, false, true, true), weightBits = wordBitsFor(in, dp, true, false, false, false),
              ifmapBits = wordBitsFor(in, dp, false, true, false, false);
    const auto [psumWords, psumBlock] = spad("psum_spad_words", psumBits);
    const auto [weightWords, weightBlock] = spad("weights_spad_words", weightBits);
    const auto [ifmapWords, ifmapBlock] = spad("ifmap_spad_words", ifmapBits);
    const double spadBw = p.number("spad_bandwidth");
    const int sharedBits = wordBitsFor(in, dp, false, true, true, false);
    const Dim glbWords = static_cast<Dim>(p.number("glb_kib") * 1024 * 8 / sharedBits);
    LoopNestDesignSpec spec;
    spec.templateName = info_.name;
    spec.levels = {
        {"psum_spad", MemoryStyle::RegisterFile, psumWords, psumBits, psumBlock, cols, rows, spadBw, spadBw},
        {"weights_spad", p.choice("weights_spad_style") == "sram" ? MemoryStyle::Sram : MemoryStyle::RegisterFile, weightWords, weightBits,
         weightBlock, cols, rows, spadBw, spadBw},
        {"ifmap_spad", MemoryStyle::RegisterFile, ifmapWords, ifmapBits, ifmapBlock, cols, rows, spadBw, spadBw},
        {"inter_PE_spatial", MemoryStyle::Sram, 0, 1, 1, cols, 1, 0, 0, 0, false, true},
        {"inter_PE_column_spatial", MemoryStyle::Sram, 0, 1, 1, 1, 1, 0, 0, 0, false, true},
        {"shared_glb", MemoryStyle::Sram, glbWords, sharedBits, static_cast<int>(p.integer("glb_block_words")), 1, 1, p.number("glb_bandwidth"),
         p.number("glb_bandwidth")},
        {"DRAM", MemoryStyle::Sram, 0, sharedBits, static_cast<int>(p.integer("dram_block_words")), 1, 1, 0, 0,
         dramWordsPerCycle(in, sharedBits), true},
    };
    spec.compute = {"mac", cols, rows, dp.format, dp.weightBits, dp.activationBits, dp.accumulatorBits, false};
    // The row-stationary constraints of Timeloop's eyeriss_like, with G beside M.
    spec.constraints.levels.resize(spec.levels.size());
    auto& psum = spec.constraints.levels[0];
    keepOnly(psum, {kOutputs});
    noTemporal(psum, {kDimN, kDimC, kDimR, kDimS, kDimP, kDimQ});
    psum.permutationPrefix = {kDimN, kDimC, kDimP, kDimQ, kDimR, kDimS, kDimM};
    auto& weights = spec.constraints.levels[1];
    keepOnly(weights, {kWeights});
    noTemporal(weights, {kDimN, kDimM, kDimP, kDimQ, kDimS, kDimG});
    weights.permutationPrefix = {kDimN, kDimM, kDimP, kDimQ, kDimS, kDimC, kDimR};
    auto& ifmap = spec.constraints.levels[2];
    keepOnly(ifmap, {kInputs});
    onlyTemporal(ifmap, {});
    auto& rowFan = spec.constraints.levels[3];
    keepOnly(rowFan, {});
    onlyTemporal(rowFan, {});
    noSpatial(rowFan, {kDimN, kDimP, kDimQ, kDimR});
    rowFan.spatialXDims = 0;
    rowFan.spatialYDims = dimMask({kDimS, kDimC, kDimM, kDimG});
    auto& colFan = spec.constraints.levels[4];
    keepOnly(colFan, {});
    onlyTemporal(colFan, {});
    noSpatial(colFan, {kDimN, kDimC, kDimP, kDimR, kDimS});
    colFan.spatialXDims = dimMask({kDimQ, kDimM, kDimG});
    colFan.spatialYDims = 0;
    auto& glb = spec.constraints.levels[5];
    keepOnly(glb, {kInputs, kOutputs});
    glb.permutationPrefix = {kDimN};
    spec.constraints.levels[6].permutationPrefix = {kDimN};
    spec.vectorLanes = static_cast<int>(p.integer("vector_lanes"));
    spec.vectorBits = dp.activationBits;
    spec.vectorLevel = 5;
    spec.residentLevel = 5;  // activations stay in the global buffer between layers when they fit
    spec.summary = "row-stationary " + std::to_string(rows) + " x " + std::to_string(cols) + " PEs, scratchpads " +
                   std::to_string(p.integer("ifmap_spad_words")) + "/" + std::to_string(p.integer("weights_spad_words")) + "/" +
                   std::to_string(p.integer("psum_spad_words")) + " words, " +
                   kibText(p.number("glb_kib") * 8192) + " KiB global buffer, " + dp.describe();
    spec.cacheKey = designCacheKey(info_.name, in, dp);
    applyStorageParams(spec, p);
    return std::unique_ptr<HardwareDesign>(std::make_unique<LoopNestDesign>(std::move(spec), in.platform));
}

}  // namespace cdx
