#pragma once

#include "core/util/result.h"
#include "estimators/mapper/mapper.h"
#include "estimators/pe/pespec.h"
#include "estimators/results/layerresult.h"
#include "estimators/workload/workload.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace cdx {

struct EvaluateOptions {
    MapperOptions mapper;
    bool showMapping = false;  ///< fill LayerResult::mapping
};

/// A template built for a platform: it estimates workloads and reports its own cost (area or
/// FPGA resources, static power). Thread-safe: evaluate() is const and may run in parallel.
class HardwareDesign {
public:
    virtual ~HardwareDesign() = default;

    /// One line: "Eyeriss row-stationary, 12 x 14 PEs, 108 KiB global buffer, 16-bit".
    virtual std::string describe() const = 0;
    /// MACs per cycle at full use (for peak throughput).
    virtual double peakMacsPerCycle() const = 0;
    virtual double clockHz() const = 0;
    /// Estimates one workload. Errors name the workload (a layer that cannot be mapped).
    virtual Result<LayerResult> evaluate(const Workload& workload, const EvaluateOptions& options) const = 0;
    /// Layer-pipelined designs: every layer has its own hardware and the network's time per
    /// inference is set by the slowest stage, not the sum.
    virtual bool pipelined() const { return false; }
    /// ASIC area by component.
    virtual std::vector<AreaItem> area() const { return {}; }
    /// FPGA resources by component.
    virtual std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const { return {}; }
    /// Power drawn whatever runs (FPGA static and processing system), charged over the latency.
    virtual double staticPowerW() const { return 0; }
    /// Assumptions of the model a user should know.
    virtual std::vector<std::string> warnings() const { return {}; }
    /// The processing element a MAC workload runs on, as this design's cycle model sees it
    /// (lanes, reduction, precision, how many PEs share the work); nullopt when the workload
    /// does not run on MAC PEs (vector work, an FFT datapath). rtlsim checks it cycle by cycle.
    virtual std::optional<PeSpec> processingElement(const Workload& workload) const
    {
        (void)workload;
        return std::nullopt;
    }
    /// Elements of activations an on-chip buffer can keep between layers (0: every layer reads its
    /// inputs from DRAM and writes its outputs there, as the template models it).
    virtual Dim activationBufferElements() const { return 0; }
    /// Identifies the design's cost model completely, for caching workload results.
    virtual std::string cacheKey() const = 0;
};

}  // namespace cdx
