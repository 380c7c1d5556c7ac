#pragma once

namespace cdx {

/// The limits of the RTL PE (rtlsim/rtl/cdx_pe.sv) as built: the one definition that the
/// Verilator build, the C++ adapter (rtlsim/pesimulator.cpp, rtlsim/pestream.h), the golden
/// model and checkPeSpec share. rtlsim/CMakeLists.txt reads lanes, dataBits, accumulatorBits and
/// indexBits from the `.field = number,` lines of kPeLimits below and passes them to Verilator
/// as -GLANES, -GDW, -GAW and -GIDXW (overriding the .sv defaults, and for the lint test too):
/// keep each of those on a line of its own, a plain decimal number.
struct PeLimits {
    int lanes;            ///< LANES: products per cycle, 1..lanes
    int dataBits;         ///< DW: a weight or activation operand is 1..dataBits bits
    int accumulatorBits;  ///< AW: the accumulator wraps at 2..accumulatorBits bits
    int outputBits;       ///< out_data's width: a result saturates to 2..outputBits signed bits
    int shift;            ///< cfg_shift: the quantiser shifts the accumulator right by 0..shift bits
    int serialBits;       ///< cfg_serial_bits: a bit-serial weight enters 1..serialBits bits per cycle
    int indexBits;        ///< IDXW: activation-buffer addresses; the buffer has 2^indexBits entries

    // The narrowest settings, fixed by the design rather than by the build: an operand or a
    // serial slice has one bit, a signed accumulator or output a sign and one bit.
    static constexpr int minOperandBits = 1;
    static constexpr int minSignedBits = 2;

    constexpr int bufferEntries() const { return 1 << indexBits; }
};

inline constexpr PeLimits kPeLimits{
    .lanes = 16,
    .dataBits = 16,
    .accumulatorBits = 64,
    .outputBits = 32,
    .shift = 63,
    .serialBits = 16,
    .indexBits = 12,
};

static_assert(kPeLimits.lanes >= 1 && kPeLimits.dataBits >= PeLimits::minOperandBits);
static_assert(kPeLimits.accumulatorBits >= PeLimits::minSignedBits && kPeLimits.outputBits >= PeLimits::minSignedBits);
static_assert(kPeLimits.serialBits >= PeLimits::minOperandBits && kPeLimits.serialBits <= kPeLimits.dataBits,
              "a serial slice is at most one weight (the PE masks it to DW bits)");
static_assert(kPeLimits.outputBits <= kPeLimits.accumulatorBits, "the quantiser saturates the accumulator to the output");
static_assert(kPeLimits.shift >= 0 && kPeLimits.indexBits >= 1);

}  // namespace cdx
