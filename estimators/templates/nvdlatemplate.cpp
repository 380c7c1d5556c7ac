#include "estimators/templates/nvdlatemplate.h"

#include "estimators/templates/loopnestdesign.h"
#include "estimators/templates/systolictemplate.h"
#include "estimators/templates/templatecommon.h"

#include <algorithm>

namespace cdx {

NvdlaTemplate::NvdlaTemplate()
{
    info_.name = "nvdla";
    info_.summary = "NVDLA convolution core: atomic-C x atomic-K MAC cells, convolution buffer (CBUF) for weights and data, accumulator (CACC)";
    info_.model = "loop-nest engine and mapper (weight-stationary MAC cells, atomic-C reduced in each cell)";
    // NVDLA's SDP applies bias, batch norm, PReLU, an element-wise operand and a lookup table; its PDP
    // pools on the fly.
    info_.outputStage = OutputStage{.scale = true, .clamp = true, .piecewise = true, .lookup = true, .residual = true, .pool = true};
    info_.nonMacLayers = "the SDP/PDP post-processors, vector_lanes elements per cycle, beside the CBUF";
    info_.params = {
        {"atomic_c", ParamType::Integer, 1, 1024, 8, {}, "channels", "input channels each MAC cell reduces per cycle (Y)"},
        {"atomic_k", ParamType::Integer, 1, 1024, 8, {}, "kernels", "MAC cells: output channels per cycle (X)"},
        {"cbuf_kib", ParamType::Real, 1, 1 << 16, 128, {}, "KiB", "convolution buffer (weights and input data)"},
        {"cacc_kib", ParamType::Real, 1, 1 << 16, 8, {}, "KiB", "accumulator assembly buffer (partial sums)"},
        {"memory_bus_bits", ParamType::Integer, 8, 4096, 64, {}, "bits", "width of the memory interface (the DRAM access)"},
    };
    for (auto& p : commonParams(8, 8))
        info_.params.push_back(p);
    for (auto& p : storageParams())
        info_.params.push_back(p);
    PresetSpec small;
    small.name = "nv_small";
    small.description = "nv_small: 8 x 8 = 64 int8 MACs, CBUF 32 banks x 512 x 8 B = 128 KiB, 64-bit memory interface (8 GB/s at 1 GHz)";
    small.params = {{"atomic_c", 8}, {"atomic_k", 8}, {"cbuf_kib", 128}, {"cacc_kib", 8}, {"memory_bus_bits", 64}, {"weight_bits", 8},
                    {"activation_bits", 8}, {"accumulator_bits", 32}, {"dram_bandwidth_gbs", 8}, {"vector_lanes", 8}};
    small.platform = {{"kind", "asic"}, {"node_nm", 28}, {"vdd", 0.9}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    small.source = "NVIDIA NVDLA (nvdla hw/spec/defs/nv_small.spec); the clock, node and CACC size are assumptions";
    PresetSpec large;
    large.name = "nv_large";
    large.description = "nv_large: 64 x 32 = 2,048 int8 MACs, CBUF 16 banks x 512 x 64 B = 512 KiB, 256-bit memory interface (32 GB/s at 1 GHz)";
    large.params = {{"atomic_c", 64}, {"atomic_k", 32}, {"cbuf_kib", 512}, {"cacc_kib", 64}, {"memory_bus_bits", 256}, {"weight_bits", 8},
                    {"activation_bits", 8}, {"accumulator_bits", 32}, {"dram_bandwidth_gbs", 32}, {"vector_lanes", 32}};
    large.platform = {{"kind", "asic"}, {"node_nm", 16}, {"vdd", 0.8}, {"clock_mhz", 1000}, {"dram", "lpddr4"}};
    large.source = "NVIDIA NVDLA (nvdla hw/spec/defs/nv_large.spec); the clock, node and CACC size are assumptions";
    info_.presets = {small, large};
}

Result<std::unique_ptr<HardwareDesign>> NvdlaTemplate::build(const DesignInputs& in) const
{
    const TemplateParams& p = in.params;
    const Datapath dp = resolveDatapath(in);
    SystolicShape s;
    s.templateName = info_.name;
    s.dataflow = SystolicDataflow::WeightStationary;
    s.rows = static_cast<int>(p.integer("atomic_c"));
    s.cols = static_cast<int>(p.integer("atomic_k"));
    s.peName = "mac_cell_weights";
    s.accumulatorName = "cacc";
    s.scratchpadName = "cbuf";
    const int accBits = wordBitsFor(in, dp, false, false, true, true);
    const int cbufBits = wordBitsFor(in, dp, true, true, false, false);
    s.accumulatorWords = std::max<Dim>(1, static_cast<Dim>(p.number("cacc_kib") * 8192 / accBits));
    s.scratchpadWords = std::max<Dim>(1, static_cast<Dim>(p.number("cbuf_kib") * 8192 / cbufBits));
    s.scratchpadBlockWords = s.rows;  // one atomic-C slice of data per read
    s.dramBlockWords = std::max(1, static_cast<int>(p.integer("memory_bus_bits")) / wordBitsFor(in, dp, true, true, true, false));
    LoopNestDesignSpec spec = systolicDesignSpec(s, in);
    applyStorageParams(spec, p);
    spec.peMode = PeMode::DenseSpatial;
    spec.peLanes = s.rows;
    spec.peOrigin = "nvdla: a CMAC cell is an atomic_c-wide dot product with an adder tree, atomic_k cells";
    spec.summary = std::to_string(s.rows) + " x " + std::to_string(s.cols) + " MAC cells (atomic-C x atomic-K), " +
                   kibText(p.number("cbuf_kib") * 8192) + " KiB CBUF, " +
                   kibText(p.number("cacc_kib") * 8192) + " KiB CACC, " +
                   std::to_string(p.integer("memory_bus_bits")) + "-bit memory interface, " + dp.describe();
    return std::unique_ptr<HardwareDesign>(std::make_unique<LoopNestDesign>(std::move(spec), in.platform));
}

}  // namespace cdx
