#pragma once
// The design space the exploration benchmarks share (cdx_bench, cdx_studio_bench,
// cdx_scaling_bench): ResNet-50's weight precision per conv layer and per fc layer.
#include <string>

namespace cdx::bench {

/// The project's "explore" block: 53 conv axes and one fc axis of {4, 6, 8, 16} bits, four
/// objectives, `points` random samples (seed 1).
inline std::string resnet50PrecisionSpace(int points)
{
    return R"({"axes": [{"name": "w", "each_layer": {"kind": "conv"}, "set": "weights.bits", "values": [4, 6, 8, 16]},
                        {"name": "wfc", "each_layer": {"kind": "fc"}, "set": "weights.bits", "values": [4, 6, 8, 16]}],
               "objectives": ["energy_pj", "latency_s", "accuracy_drop_pp", "memory_bytes"],
               "search": {"strategy": "random", "points": )" +
           std::to_string(points) + R"(, "seed": 1}})";
}

}  // namespace cdx::bench
