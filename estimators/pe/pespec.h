#pragma once

#include "core/network/shape.h"
#include "estimators/pe/pelimits.h"

#include <string>
#include <vector>

namespace cdx {

/// How a processing element reduces its products (README, "Cycle-accurate validation").
enum class PeMode {
    DenseSpatial,   ///< an adder tree sums the lanes' products: one result per reduction
    DenseTemporal,  ///< every lane accumulates its own result over the beats
    Sparse,         ///< a value/index stream of the non-zero weights, zero skipping, spatial sum
    BitSerial,      ///< weights enter serialBits bits per cycle, spatial sum
};

const char* peModeName(PeMode mode);
/// The mode as the RTL PE's cfg_mode port encodes it: 0 dense spatial, 1 dense temporal,
/// 2 sparse, 3 bit-serial (the adapter drives it; the Verilog export writes it).
int peModeCode(PeMode mode);

/// The processing element a design's MAC layers run on, as the templates model it: the unit of
/// work the estimator's cycle counts rest on, and what rtlsim's SystemVerilog PE is configured to.
struct PeSpec {
    PeMode mode = PeMode::DenseTemporal;
    int lanes = 1;             ///< products per cycle (bit-serial: per serial step)
    int weightBits = 8;
    int activationBits = 8;
    bool weightSigned = true;
    bool activationSigned = true;
    int accumulatorBits = 24;  ///< the accumulator wraps at this width
    int serialBits = 1;        ///< bit-serial: weight bits per cycle
    // The output quantiser.
    int outputBits = 8;        ///< saturates to this many signed bits
    int shift = 0;             ///< arithmetic right shift of the accumulator
    bool round = true;         ///< round half up before the shift
    bool relu = false;
    /// PEs of the design that share a layer's work (the layer-level cross-check divides by it).
    double instances = 1;
    /// Where the spec comes from, one line: "bit_serial: 16 taps x 16 channels, bit pairs".
    std::string origin;
};

/// The work of one PE: `outputs` reductions of `reduction` products each; sparse PEs stream
/// only the non-zeros, `nonzeros[i]` of output i, and first load `reduction` activations.
struct PeWork {
    Dim outputs = 0;
    Dim reduction = 0;
    std::vector<Dim> nonzeros;  ///< sparse only, one per output
};

/// Cycles of a PE's work: what the estimator's PE-level model predicts.
struct PeCycles {
    Dim load = 0;      ///< filling the activation buffer (sparse)
    Dim beats = 0;     ///< cycles the operand stream is busy (bit-serial beats count each step)
    Dim pipeline = 0;  ///< fill and drain: operand and product registers
    Dim total() const { return load + beats + pipeline; }
};

/// Pipeline registers between the acceptance of a beat and its result (operands, products).
inline constexpr Dim kPePipelineDepth = 2;

/// The PE-level cycle model:
///  - dense spatial and sparse: ceil(products / lanes) beats per output (an empty sparse row
///    still takes one beat); sparse first loads ceil(reduction / lanes) activation words;
///  - dense temporal: lanes outputs at once, `reduction` beats per group of lanes outputs;
///  - bit-serial: the spatial beats times ceil(weightBits / serialBits);
///  - plus kPePipelineDepth cycles of fill and drain.
PeCycles predictPeCycles(const PeSpec& pe, const PeWork& work);

/// Checks a spec against what the RTL PE supports, kPeLimits (estimators/pe/pelimits.h): lanes,
/// operand widths, accumulator and output widths, shift and serial bits each within its range;
/// an empty string when it fits, else the first setting outside, with its range.
std::string checkPeSpec(const PeSpec& pe);

}  // namespace cdx
