#pragma once

#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/loopnestdesign.h"

namespace cdx {

/// Which operand stays in the PEs of a systolic array.
enum class SystolicDataflow { WeightStationary, OutputStationary, InputStationary };

/// The shape of a two-dimensional MAC array under an accumulator and a scratchpad (an optional
/// weight buffer between them), over DRAM: Gemmini, the TPU, and NVDLA's MAC cells.
struct SystolicShape {
    std::string templateName;
    SystolicDataflow dataflow = SystolicDataflow::WeightStationary;
    int rows = 16;                 ///< Y: the reduction (input channels and kernel) in WS and IS
    int cols = 16;                 ///< X: output channels (WS, OS) or output pixels (IS)
    std::string peName = "pe_reg";
    std::string accumulatorName = "accumulator";
    std::string scratchpadName = "scratchpad";
    Dim accumulatorWords = 0;      ///< partial sums, at the accumulator's width
    Dim weightBufferWords = 0;     ///< 0: weights live in the scratchpad
    Dim scratchpadWords = 0;
    int scratchpadBlockWords = 16;
    int dramBlockWords = 8;
};

/// The loop-nest spec of a systolic array: levels, compute, dataflow constraints and the vector
/// unit beside the scratchpad. Shared by `systolic` and `nvdla`.
LoopNestDesignSpec systolicDesignSpec(const SystolicShape& shape, const DesignInputs& inputs);

/// Weight-, output- or input-stationary systolic arrays in the style of SCALE-Sim: the TPU v1
/// and Gemmini.
class SystolicTemplate : public AcceleratorTemplate {
public:
    SystolicTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;

private:
    TemplateInfo info_;
};

}  // namespace cdx
