#include "rtlsim/pesimulator.h"

// Verilator's runtime headers are not written for our warning flags.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wpedantic"
#include "Vcdx_pe.h"
#include "verilated.h"
#include "verilated_vcd_c.h"
#pragma GCC diagnostic pop

#include <bit>
#include <random>
#include <type_traits>

namespace cdx {

namespace {

constexpr int kDataBits = kPeLimits.dataBits;
constexpr int kIndexBits = kPeLimits.indexBits;

// The verilated ports, as Verilator declares them for the parameters rtlsim/CMakeLists.txt passes
// (-GLANES, -GDW, -GIDXW, -GAW from estimators/pe/pelimits.h): a port's word, and a lane port's
// lanes (a C array or, in some Verilator versions, a VlUnpacked).
template <class Port>
struct PortShape {
    using Word = Port;
    static constexpr std::size_t lanes = 1;
};
template <class W, std::size_t N>
struct PortShape<W[N]> {
    using Word = W;
    static constexpr std::size_t lanes = N;
};
template <class W, std::size_t N>
struct PortShape<VlUnpacked<W, N>> {
    using Word = W;
    static constexpr std::size_t lanes = N;
};
template <class Port>
using PortOf = PortShape<std::remove_cvref_t<Port>>;
using DataWord = PortOf<decltype(Vcdx_pe::in_w)>::Word;
using IndexWord = PortOf<decltype(Vcdx_pe::in_idx)>::Word;
using AddressWord = PortOf<decltype(Vcdx_pe::act_waddr)>::Word;
using KeepWord = PortOf<decltype(Vcdx_pe::in_keep)>::Word;
using OutputWord = PortOf<decltype(Vcdx_pe::out_data)>::Word;
static_assert(PortOf<decltype(Vcdx_pe::in_w)>::lanes == static_cast<std::size_t>(kPeMaxLanes) &&
                  PortOf<decltype(Vcdx_pe::out_data)>::lanes == static_cast<std::size_t>(kPeMaxLanes),
              "the verilated PE's LANES is not kPeLimits.lanes: rtlsim/CMakeLists.txt passes -GLANES from estimators/pe/pelimits.h");
static_assert(8 * sizeof(DataWord) >= kDataBits && 8 * sizeof(IndexWord) >= kIndexBits && 8 * sizeof(AddressWord) >= kIndexBits &&
              8 * sizeof(KeepWord) >= kPeMaxLanes);
static_assert(sizeof(OutputWord) == sizeof(std::int32_t) && kPeLimits.outputBits <= 32,
              "out_data is 32 bits (rtlsim/rtl/cdx_pe.sv), read as a signed 32-bit result");

constexpr std::uint32_t kDataMask = (1u << kDataBits) - 1u;
constexpr std::uint32_t kIndexMask = (1u << kIndexBits) - 1u;

}  // namespace

struct PeSimulator::Model {
    std::unique_ptr<VerilatedContext> context;
    std::unique_ptr<Vcdx_pe> pe;
    std::unique_ptr<VerilatedVcdC> trace;
    std::uint64_t cycles = 0;

    void halfStep(bool high)
    {
        pe->clk = high ? 1 : 0;
        pe->eval();
        if (trace)
            trace->dump(context->time());
        context->timeInc(1);
    }
    void tick()
    {
        halfStep(true);
        halfStep(false);
        ++cycles;
    }
};

PeSimulator::PeSimulator(const std::string& vcdPath) : model_(std::make_unique<Model>())
{
    model_->context = std::make_unique<VerilatedContext>();
    model_->context->debug(0);
    model_->context->randReset(0);
    if (!vcdPath.empty())
        model_->context->traceEverOn(true);
    model_->pe = std::make_unique<Vcdx_pe>(model_->context.get(), "cdx_pe");
    if (!vcdPath.empty()) {
        model_->trace = std::make_unique<VerilatedVcdC>();
        model_->pe->trace(model_->trace.get(), 99);
        model_->trace->open(vcdPath.c_str());
    }
}

PeSimulator::~PeSimulator()
{
    model_->pe->final();
    if (model_->trace)
        model_->trace->close();
}

std::uint64_t PeSimulator::simulatedCycles() const
{
    return model_->cycles;
}

Result<PeRun> PeSimulator::run(const PeSpec& spec, const PeStream& stream, double backpressure, std::uint64_t seed)
{
    if (auto reason = checkPeSpec(spec); !reason.empty())
        return Error{ExitCode::BadInput, {}, "pe", "the RTL PE cannot take this spec: " + reason};
    if (static_cast<Dim>(stream.activationBuffer.size()) > kPeBufferEntries)
        return Error{ExitCode::BadInput, {}, "pe",
                     "the tile needs " + std::to_string(stream.activationBuffer.size()) + " activation-buffer entries, the PE has " +
                         std::to_string(kPeBufferEntries)};
    Vcdx_pe& pe = *model_->pe;
    // Reset and configuration.
    pe.clk = 0;
    pe.rst_n = 0;
    pe.in_valid = 0;
    pe.act_we = 0;
    pe.out_ready = 1;
    pe.cfg_mode = static_cast<std::uint8_t>(peModeCode(spec.mode));
    pe.cfg_wbits = static_cast<std::uint8_t>(spec.weightBits);
    pe.cfg_abits = static_cast<std::uint8_t>(spec.activationBits);
    pe.cfg_wsigned = spec.weightSigned ? 1 : 0;
    pe.cfg_asigned = spec.activationSigned ? 1 : 0;
    pe.cfg_accbits = static_cast<std::uint8_t>(spec.accumulatorBits);
    pe.cfg_serial_bits = static_cast<std::uint8_t>(spec.mode == PeMode::BitSerial ? spec.serialBits : 1);
    pe.cfg_shift = static_cast<std::uint8_t>(spec.shift);
    pe.cfg_round = spec.round ? 1 : 0;
    pe.cfg_outbits = static_cast<std::uint8_t>(spec.outputBits);
    pe.cfg_relu = spec.relu ? 1 : 0;
    pe.eval();
    model_->tick();
    pe.rst_n = 1;
    pe.eval();

    PeRun run;
    // The activation buffer, `lanes` entries per cycle.
    const int lanes = spec.lanes;
    const auto& buffer = stream.activationBuffer;
    for (std::size_t base = 0; base < buffer.size(); base += static_cast<std::size_t>(lanes)) {
        pe.act_we = 1;
        pe.act_waddr = static_cast<AddressWord>(base);
        std::uint32_t keep = 0;
        for (int l = 0; l < lanes && base + static_cast<std::size_t>(l) < buffer.size(); ++l) {
            pe.act_wdata[static_cast<std::size_t>(l)] = static_cast<DataWord>(static_cast<std::uint32_t>(buffer[base + static_cast<std::size_t>(l)]) & kDataMask);
            keep |= 1u << l;
        }
        pe.act_wkeep = static_cast<KeepWord>(keep);
        model_->tick();
        ++run.loadCycles;
    }
    pe.act_we = 0;

    // The stream.
    std::mt19937_64 random(seed);
    std::bernoulli_distribution hold(std::clamp(backpressure, 0.0, 1.0));
    const Dim expected = stream.expectedOutputs;
    run.outputs.reserve(static_cast<std::size_t>(expected));
    const std::size_t beats = stream.beats.size();
    std::size_t next = 0;
    bool started = false;
    bool outputFresh = false;  // the output register holds a result not collected yet
    Dim budget = 64;
    // A bit-serial beat takes up to kPeLimits.dataBits steps (one weight bit each), plus one.
    for (const auto& b : stream.beats)
        budget += 4 * (spec.mode == PeMode::BitSerial ? kDataBits + 1 : 1) * (b.last ? 2 : 1);
    if (backpressure > 0)
        budget = static_cast<Dim>(static_cast<double>(budget) / std::max(0.01, 1 - std::min(backpressure, 0.99))) + 64;
    auto collect = [&run, &pe, expected]() {
        for (int l = 0; l < kPeMaxLanes && static_cast<Dim>(run.outputs.size()) < expected; ++l)
            if ((pe.out_keep >> l) & 1u)
                run.outputs.push_back(static_cast<std::int32_t>(pe.out_data[static_cast<std::size_t>(l)]));
    };
    // Drives beat `next` (when it is not on the ports yet) and the consumer's ready. Inputs
    // change after the falling edge, so one evaluation there settles them for the rising one.
    // A sparse PE reads its activations from the buffer, a dense one from in_a.
    std::size_t presented = beats;
    const bool sparse = spec.mode == PeMode::Sparse;
    auto drive = [&]() {
        if (next < beats && presented != next) {
            const PeBeat& b = stream.beats[next];
            for (std::size_t i = 0; i < static_cast<std::size_t>(lanes); ++i)
                pe.in_w[i] = static_cast<DataWord>(static_cast<std::uint32_t>(b.weight[i]) & kDataMask);
            if (sparse) {
                for (std::size_t i = 0; i < static_cast<std::size_t>(lanes); ++i)
                    pe.in_idx[i] = static_cast<IndexWord>(b.index[i] & kIndexMask);
            } else {
                for (std::size_t i = 0; i < static_cast<std::size_t>(lanes); ++i)
                    pe.in_a[i] = static_cast<DataWord>(static_cast<std::uint32_t>(b.activation[i]) & kDataMask);
            }
            pe.in_keep = static_cast<KeepWord>(b.keep);
            pe.in_last = b.last ? 1 : 0;
            presented = next;
        }
        pe.in_valid = next < beats ? 1 : 0;
        pe.out_ready = backpressure > 0 && hold(random) ? 0 : 1;
    };
    for (std::size_t l = 0; l < static_cast<std::size_t>(kPeMaxLanes); ++l) {
        pe.in_w[l] = 0;
        pe.in_a[l] = 0;
        pe.in_idx[l] = 0;
    }
    drive();
    model_->halfStep(false);
    while (static_cast<Dim>(run.outputs.size()) < expected) {
        if (run.streamCycles > budget)
            return Error{ExitCode::CheckFailed, {}, "pe",
                         "the PE produced " + std::to_string(run.outputs.size()) + " of " + std::to_string(expected) + " results in " +
                             std::to_string(run.streamCycles) + " cycles and stopped"};
        const bool accepted = pe.in_valid && pe.in_ready;
        const bool taken = pe.out_valid && pe.out_ready;
        const bool stalled = pe.out_valid && !pe.out_ready;
        if (taken && outputFresh) {
            collect();
            outputFresh = false;
        }
        model_->halfStep(true);
        ++model_->cycles;
        if (accepted) {
            started = true;
            ++next;
        }
        if (started) {
            ++run.streamCycles;
            if (stalled)
                ++run.stallCycles;
        }
        if (pe.out_valid && (taken || !outputFresh)) {
            outputFresh = true;
            // The last result: counted once it is registered.
            const Dim pending = std::popcount(static_cast<std::uint32_t>(pe.out_keep));
            if (static_cast<Dim>(run.outputs.size()) + pending >= expected) {
                collect();
                outputFresh = false;
            }
        }
        drive();
        model_->halfStep(false);
    }
    if (next < beats)
        return Error{ExitCode::CheckFailed, {}, "pe",
                     "the PE produced every result with " + std::to_string(beats - next) + " beats not taken"};
    run.toggles = pe.stat_toggles;
    run.products = pe.stat_products;
    return run;
}

}  // namespace cdx
