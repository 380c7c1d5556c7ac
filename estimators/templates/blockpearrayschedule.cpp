// The schedule matcher of the block_pe_array template (blockpearrayschedule.h): tiles, traffic
// and the static schedule of the routing network; the costs are blockpearraytemplate.cpp's.
#include "estimators/templates/blockpearrayschedule.h"

#include "estimators/engine/problemshapes.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <random>

namespace cdx {

namespace {

// ---------------------------------------------------------------------------------------------
// The static schedule of the output-multiplexed crossbar (Naous (UC Berkeley, edge-inference generators), section 3.1.2)
// ---------------------------------------------------------------------------------------------

/// Perfect matchings of a regular bipartite multigraph, kept between phases and repaired by
/// augmenting paths (Kuhn) when a phase uses up an edge.
class PhaseMatcher {
public:
    PhaseMatcher(const std::vector<std::vector<Dim>>& real, const std::vector<std::vector<Dim>>& pad)
        : real_(real), pad_(pad), n_(real.size()), rowOf_(n_, -1), colOf_(n_, -1)
    {
    }

    bool edge(std::size_t s, std::size_t d) const { return real_[s][d] + pad_[s][d] > 0; }

    /// Rematches every source whose edge is used up; false when no perfect matching exists.
    bool repair()
    {
        for (std::size_t s = 0; s < n_; ++s)
            if (colOf_[s] >= 0 && !edge(s, static_cast<std::size_t>(colOf_[s]))) {
                rowOf_[static_cast<std::size_t>(colOf_[s])] = -1;
                colOf_[s] = -1;
            }
        for (std::size_t s = 0; s < n_; ++s) {
            if (colOf_[s] >= 0)
                continue;
            std::vector<char> seen(n_, 0);
            if (!augment(s, seen))
                return false;
        }
        return true;
    }

    /// Takes the matching for as many cycles as its thinnest edge allows (real traffic before
    /// idle padding on each edge) and records the phase.
    void takePhase(MuxSchedule& out)
    {
        Dim run = 0;
        for (std::size_t s = 0; s < n_; ++s) {
            const auto d = static_cast<std::size_t>(colOf_[s]);
            const Dim w = real_[s][d] > 0 ? real_[s][d] : pad_[s][d];
            run = run == 0 ? w : std::min(run, w);
        }
        std::vector<int> selects(n_, -1);
        for (std::size_t s = 0; s < n_; ++s) {
            const auto d = static_cast<std::size_t>(colOf_[s]);
            if (real_[s][d] > 0) {
                real_[s][d] -= run;
                selects[d] = static_cast<int>(s);
                out.busySlots += run;
            } else {
                pad_[s][d] -= run;
            }
        }
        out.selects.push_back(std::move(selects));
        out.runs.push_back(run);
        out.longestRun = std::max(out.longestRun, run);
        ++out.phases;
    }

private:
    bool augment(std::size_t s, std::vector<char>& seen)
    {
        for (std::size_t d = 0; d < n_; ++d) {
            if (!edge(s, d) || seen[d])
                continue;
            seen[d] = 1;
            if (rowOf_[d] < 0 || augment(static_cast<std::size_t>(rowOf_[d]), seen)) {
                rowOf_[d] = static_cast<int>(s);
                colOf_[s] = static_cast<int>(d);
                return true;
            }
        }
        return false;
    }

    std::vector<std::vector<Dim>> real_, pad_;
    std::size_t n_;
    std::vector<int> rowOf_, colOf_;
};

/// Idle slots that make every line of `traffic` add up to `cycles` (north-west corner fill).
std::vector<std::vector<Dim>> padToRegular(const std::vector<std::vector<Dim>>& traffic, Dim cycles)
{
    const std::size_t n = traffic.size();
    std::vector<Dim> rowLeft(n, cycles), colLeft(n, cycles);
    for (std::size_t s = 0; s < n; ++s)
        for (std::size_t d = 0; d < n; ++d) {
            rowLeft[s] -= traffic[s][d];
            colLeft[d] -= traffic[s][d];
        }
    std::vector<std::vector<Dim>> pad(n, std::vector<Dim>(n, 0));
    std::size_t s = 0, d = 0;
    while (s < n && d < n) {
        const Dim amount = std::min(rowLeft[s], colLeft[d]);
        pad[s][d] += amount;
        rowLeft[s] -= amount;
        colLeft[d] -= amount;
        if (rowLeft[s] == 0)
            ++s;
        if (d < n && colLeft[d] == 0)
            ++d;
    }
    return pad;
}

}  // namespace

// The mux schedule: every line of the traffic padded to the longest, then one perfect matching
// after another peeled off for as long as its thinnest edge lasts.
MuxSchedule BlockPeArrayTemplate::scheduleMux(const std::vector<std::vector<Dim>>& traffic)
{
    MuxSchedule out;
    const std::size_t n = traffic.size();
    for (std::size_t i = 0; i < n; ++i) {
        Dim row = 0, col = 0;
        for (std::size_t j = 0; j < n; ++j) {
            row += traffic[i][j];
            col += traffic[j][i];
        }
        out.cycles = std::max({out.cycles, row, col});
    }
    if (out.cycles == 0)
        return out;
    PhaseMatcher matcher(traffic, padToRegular(traffic, out.cycles));
    Dim done = 0;
    while (done < out.cycles && matcher.repair()) {
        matcher.takePhase(out);
        done += out.runs.back();
    }
    return out;
}

namespace blockpe {

int ceilLog2(Dim n)
{
    int bits = 0;
    while ((Dim{1} << bits) < n)
        ++bits;
    return bits;
}

int selectBits(int pes)
{
    return std::max(1, ceilLog2(pes + 1));
}

TilePlan planTiles(const BlockPeConfig& c, const Workload& w)
{
    const auto b = [&](int d) { return w.problem.bounds[static_cast<std::size_t>(d)]; };
    TilePlan p;
    p.groups = b(kDimG);
    const Dim outputs = b(kDimM), inputs = b(kDimC) * b(kDimR) * b(kDimS);
    p.vectors = b(kDimN) * b(kDimP) * b(kDimQ);
    p.rowTiles = ceilDiv(outputs, c.blockRows);
    p.colTiles = ceilDiv(inputs, c.blockCols);
    p.rows = ceilDiv(outputs, p.rowTiles);
    p.cols = ceilDiv(inputs, p.colTiles);
    p.tiles = p.groups * p.rowTiles * p.colTiles;
    p.permuted = w.compression.pruning.kind == PruningKind::BlockDiagonal;
    const bool conv = b(kDimR) * b(kDimS) * b(kDimP) * b(kDimQ) > 1;
    const bool fits = p.rowTiles == 1 && p.colTiles == 1;
    ConvMapping mode = c.conv;
    if (mode == ConvMapping::Auto)
        mode = p.groups > 1 ? ConvMapping::Grouped : fits ? ConvMapping::SinglePe : ConvMapping::Split;
    if (!conv)
        p.mapping = p.groups > 1 ? "one block per PE" : fits ? "the layer on one PE" : "layer split over PEs, host adds the partial sums";
    else if (mode == ConvMapping::SinglePe && fits)
        p.mapping = "I: the kernel on one PE, output positions in parallel";
    else if (mode == ConvMapping::Grouped && p.groups > 1)
        p.mapping = "III: one group per PE";
    else
        p.mapping = "II: the kernel split over PEs along channels and taps, host adds the partial sums";
    if (p.tiles <= static_cast<Dim>(c.pes)) {
        p.replicas = std::max<Dim>(1, std::min<Dim>(static_cast<Dim>(c.pes) / p.tiles, p.vectors));
        p.rounds = ceilDiv(p.vectors, p.replicas);
    } else {
        p.passes = ceilDiv(p.tiles, c.pes);
        p.rounds = p.passes * p.vectors;
    }
    return p;
}

/// Activations from each source PE to each destination PE in one round of the first pass.
/// Sources: the PEs' output SRAMs, holding the previous layer's outputs block by block (or
/// the host's input spread evenly over them). Destinations: the PEs of the pass, each needing
/// its tile's inputs of the vector it computes. Block-diagonal layers see their inputs through
/// a random permutation (the pruner's seeded start), others in order.
std::vector<std::vector<Dim>> routedTraffic(const BlockPeConfig& c, const Workload& w, const TilePlan& p)
{
    const auto pes = static_cast<std::size_t>(c.pes);
    std::vector<std::vector<Dim>> t(pes, std::vector<Dim>(pes, 0));
    const Dim inputsPerVector = p.groups * p.cols * p.colTiles;
    std::vector<Dim> order(static_cast<std::size_t>(inputsPerVector));
    std::iota(order.begin(), order.end(), Dim{0});
    if (p.permuted) {
        std::mt19937_64 rng(w.compression.pruning.seed + std::hash<std::string>{}(w.name));
        std::shuffle(order.begin(), order.end(), rng);
    }
    // The previous layer left its outputs in blocks of inputsPerVector / pes per PE.
    const Dim perSource = std::max<Dim>(1, ceilDiv(inputsPerVector, static_cast<Dim>(pes)));
    const Dim activeTiles = std::min<Dim>(p.tiles, static_cast<Dim>(pes));
    for (Dim replica = 0; replica < p.replicas; ++replica)
        for (Dim tile = 0; tile < activeTiles; ++tile) {
            const auto dest = static_cast<std::size_t>(replica * activeTiles + tile);
            if (dest >= pes)
                break;
            const Dim group = tile / (p.rowTiles * p.colTiles), colTile = tile % p.colTiles;
            const Dim first = (group * p.colTiles + colTile) * p.cols;
            for (Dim k = 0; k < p.cols && first + k < inputsPerVector; ++k) {
                const Dim held = order[static_cast<std::size_t>(first + k)];
                const auto source = static_cast<std::size_t>((held / perSource + replica) % static_cast<Dim>(pes));
                ++t[source][dest];
            }
        }
    return t;
}

RoutingPlan planRouting(const BlockPeConfig& c, const Workload& w, const TilePlan& p)
{
    RoutingPlan r;
    r.schedule = BlockPeArrayTemplate::scheduleMux(routedTraffic(c, w, p));
    r.activations = r.schedule.busySlots;
    // Passes of a folded layer have schedules of their own; a stream of vectors through the
    // same tiles repeats one.
    const auto distinct = static_cast<double>(p.passes);
    const auto n = static_cast<double>(std::max<Dim>(r.activations, 1));
    switch (c.routing) {
    case Routing::Mux:
        // Per PE a select per phase; one shared run-length per phase.
        r.memoryBits = distinct * static_cast<double>(r.schedule.phases) *
                       (static_cast<double>(c.pes * selectBits(c.pes)) + ceilLog2(r.schedule.longestRun + 1));
        break;
    case Routing::Clos: {
        // A rearrangeable three-stage Clos network of n-port switches taking every activation
        // of the pass at once: each switch output's select, per stage.
        const Dim ports = std::max<Dim>(r.activations, 2);
        const Dim k = std::max<Dim>(2, static_cast<Dim>(std::ceil(std::sqrt(static_cast<double>(ports)))));
        const Dim groups = ceilDiv(ports, k);
        r.memoryBits = distinct * static_cast<double>(groups * k * ceilLog2(k) * 2 + k * groups * ceilLog2(groups));
        break;
    }
    case Routing::Crossbar:
        r.memoryBits = distinct * n * n;  // a configuration bit per crosspoint
        break;
    }
    return r;
}

NetworkSchedule scheduleNetwork(const BlockPeConfig& c, const std::vector<Workload>& network)
{
    NetworkSchedule s;
    Dim weightWords = 0;
    for (const auto& w : network) {
        if (w.unit != WorkUnit::Array)
            continue;
        const TilePlan p = planTiles(c, w);
        const RoutingPlan r = planRouting(c, w, p);
        s.routingMemoryBits += r.memoryBits;
        s.muxPerCycleBits += static_cast<double>(p.passes * r.schedule.cycles) * c.pes * selectBits(c.pes);
        s.routedPorts = std::max(s.routedPorts, r.activations);
        weightWords += p.tiles * p.replicas * p.rows * p.cols;
        if (p.passes > 1)
            s.weightsResident = false;
    }
    if (weightWords > static_cast<Dim>(c.pes) * c.blockRows * c.blockCols)
        s.weightsResident = false;
    return s;
}

}  // namespace blockpe

}  // namespace cdx
