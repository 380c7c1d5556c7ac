#pragma once

#include "estimators/templates/acceleratortemplate.h"

#include <cstdint>
#include <vector>

namespace cdx {

/// A static schedule of the output-multiplexed crossbar for one pass of a layer: every cycle
/// each source PE broadcasts one activation and each destination PE's multiplexer picks one
/// source. `traffic[s][d]` activations go from source s to destination d; the schedule splits
/// the traffic into phases, each a matching of sources to destinations held for `run` cycles.
struct MuxSchedule {
    Dim cycles = 0;            ///< the longest line of traffic (König: no schedule is shorter)
    Dim phases = 0;            ///< distinct matchings (run-length entries of the select memory)
    Dim longestRun = 0;
    Dim busySlots = 0;         ///< activations delivered
    std::vector<std::vector<int>> selects;  ///< per phase, per destination: the source it reads (-1 idle)
    std::vector<Dim> runs;                  ///< per phase: cycles it is held
};

/// The APU of Naous (UC Berkeley): PEs each holding one dense block of a block-diagonal
/// (structurally pruned) layer in a local weight SRAM, computing one output per cycle with a
/// multiplier per input and an adder tree of growing width (spatial reduction) or one input per
/// cycle into accumulators and a partial-sum register file (temporal); ReLU and a quantiser;
/// activations routed between the PEs by an output-multiplexed crossbar on a static schedule (or a
/// Clos network or a full crossbar); a RISC-V host core for the rest. An analytical model on the
/// platform's primitives.
class BlockPeArrayTemplate : public AcceleratorTemplate {
public:
    BlockPeArrayTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;
    bool designDependsOnNetwork() const override { return true; }

    /// Splits `traffic` (sources x destinations, square) into phases of matchings: pads it to a
    /// regular multigraph and peels perfect matchings (Birkhoff-von Neumann), so the schedule
    /// takes exactly max line-sum cycles.
    static MuxSchedule scheduleMux(const std::vector<std::vector<Dim>>& traffic);

    /// Operations per cycle of one spatial PE of `blockCols` multipliers as Naous (UC Berkeley, edge-inference generators) counts
    /// them: every multiplier, adder-tree adder, the quantiser and the ReLU, each normalised to
    /// `referenceBits` by the width of its result.
    static double normalisedOpsPerCycle(Dim blockCols, int weightBits, int activationBits, int accumulatorBits, int referenceBits);

private:
    TemplateInfo info_;
};

}  // namespace cdx
