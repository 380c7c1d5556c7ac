#pragma once

#include "core/util/result.h"
#include "estimators/pe/pespec.h"
#include "rtlsim/pestream.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace cdx {

/// What the RTL did with one stream.
struct PeRun {
    std::vector<std::int32_t> outputs;  ///< in the order the PE emitted them (lanes in order)
    Dim loadCycles = 0;     ///< activation-buffer writes before the stream
    Dim streamCycles = 0;   ///< clock edges from the one accepting the first beat to the one registering the last result
    Dim stallCycles = 0;    ///< edges on which the PE held its inputs because its result was not taken
    std::uint64_t toggles = 0;   ///< bit flips at the multiplier inputs (the PE's counter)
    std::uint64_t products = 0;  ///< lane products performed (the PE's counter)
    Dim cycles() const { return loadCycles + streamCycles; }
};

/// The verilated SystemVerilog PE (rtlsim/rtl/cdx_pe.sv) behind a plain interface: Verilator's
/// headers stay in pesimulator.cpp. Every instance owns its model and its VerilatedContext, so
/// several simulators may run on different threads; one instance is used from one thread.
class PeSimulator {
public:
    /// `vcdPath`: write a VCD trace of every run there (empty: no trace).
    explicit PeSimulator(const std::string& vcdPath = {});
    ~PeSimulator();
    PeSimulator(const PeSimulator&) = delete;
    PeSimulator& operator=(const PeSimulator&) = delete;

    /// Resets the PE, configures it from `pe`, loads the activation buffer and streams the
    /// beats until every expected result came out. `backpressure` (0..1) is the probability,
    /// per cycle, that the consumer does not take a result (seeded by `seed`). Errors: a spec
    /// the PE cannot take, a stream that does not fit, a PE that stops producing results.
    Result<PeRun> run(const PeSpec& pe, const PeStream& stream, double backpressure = 0, std::uint64_t seed = 1);

    /// Clock cycles simulated by this instance so far.
    std::uint64_t simulatedCycles() const;

private:
    struct Model;
    std::unique_ptr<Model> model_;
};

}  // namespace cdx
