#pragma once

// The schedule matcher of the block_pe_array template: how a workload's blocks are tiled onto
// the PEs, which activations the routing network moves between them, and the static schedule of
// the output-multiplexed crossbar (Naous (UC Berkeley, edge-inference generators), section 3.1.2).
// Internal to estimators/templates: blockpearraytemplate.cpp keeps the cost model (energy, area,
// cycles) and the template.

#include "estimators/templates/blockpearraytemplate.h"
#include "estimators/templates/templatecommon.h"

#include <string>
#include <vector>

namespace cdx::blockpe {

enum class Reduction { Spatial, Temporal };
enum class Routing { Mux, Clos, Crossbar };
enum class ConvMapping { Auto, SinglePe, Split, Grouped };

struct BlockPeConfig {
    int pes = 10;
    Dim blockRows = 400;  ///< outputs of a block: the weight SRAM's depth (spatial)
    Dim blockCols = 400;  ///< inputs of a block: multipliers (spatial)
    Reduction reduction = Reduction::Spatial;
    Routing routing = Routing::Mux;
    ConvMapping conv = ConvMapping::Auto;
    int macroBits = 64;
    double dramBytesPerCycle = 0;
    double hostOpsPerCycle = 1;
    bool hostCore = true;
    Datapath dp;
};

/// How a workload's blocks sit on the PEs: tiles of at most blockRows x blockCols, each on one
/// PE for a pass; input vectors (batch, output positions) streamed through them.
struct TilePlan {
    std::string mapping;
    Dim groups = 1, rowTiles = 1, colTiles = 1;
    Dim rows = 0, cols = 0;   ///< of one tile
    Dim tiles = 0;            ///< groups x rowTiles x colTiles
    Dim vectors = 1;          ///< per repetition
    Dim passes = 1;           ///< tiles > PEs: folding
    Dim replicas = 1;         ///< tiles < PEs: copies of the weights taking different vectors
    Dim rounds = 1;           ///< steps of all PEs, each loading one vector and computing it
    bool permuted = false;    ///< block-diagonal pruning: inputs arrive in a permuted order
};

/// What the routing alternative needs per pass, per layer and in all.
struct RoutingPlan {
    MuxSchedule schedule;     ///< the representative pass
    Dim activations = 0;      ///< routed per pass
    double memoryBits = 0;    ///< select / configuration memory of the layer (all passes)
};

/// What the schedules of a network's array layers add up to: what sizes the routing memories
/// and decides whether the weights stay in the PEs.
struct NetworkSchedule {
    double routingMemoryBits = 0;  ///< all of it, for the network's layers
    double muxPerCycleBits = 0;    ///< the mux network with one select per cycle (Naous's figure)
    Dim routedPorts = 1;           ///< the widest pass: activations a Clos or crossbar must take at once
    bool weightsResident = true;   ///< every layer's blocks fit the PEs' weight SRAMs at once
};

/// Bits to count 0 .. n - 1.
int ceilLog2(Dim n);

/// Bits of a destination PE's select: one of `pes` sources or idle.
int selectBits(int pes);

/// The tiles of `w` on the PEs, its mapping (Naous's I, II, III for convolutions), and the
/// folding (passes) or replication that fits them to the PE count.
TilePlan planTiles(const BlockPeConfig& c, const Workload& w);

/// Activations from each source PE to each destination PE in one round of the first pass.
std::vector<std::vector<Dim>> routedTraffic(const BlockPeConfig& c, const Workload& w, const TilePlan& p);

/// The mux schedule of the first pass and the routing memory the layer needs.
RoutingPlan planRouting(const BlockPeConfig& c, const Workload& w, const TilePlan& p);

/// The plans of every array layer of `network`, added up.
NetworkSchedule scheduleNetwork(const BlockPeConfig& c, const std::vector<Workload>& network);

}  // namespace cdx::blockpe
