#pragma once

#include "estimators/mapper/mappingconstraints.h"
#include "estimators/templates/acceleratortemplate.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace cdx {

/// The datapath widths a design is built for: template parameters when given (a chip with a
/// fixed datapath), else the compression plan's default.
struct Datapath {
    NumberFormat format = NumberFormat::Int;
    int weightBits = 8;
    int activationBits = 8;
    int accumulatorBits = 24;

    std::string describe() const;
};

/// Parameters every template has: datapath widths, storage word width, DRAM bandwidth and the
/// vector unit for non-MAC layers.
std::vector<ParamSpec> commonParams(double dramBandwidthGBs, int vectorLanes);

Datapath resolveDatapath(const DesignInputs& inputs);

/// What every FPGA design has besides its datapath and buffers: the host interface, an AXI DMA,
/// the scheduler and address generation, 4,500 LUTs and 1.2 flip-flops per LUT (an assumption
/// the size of a Xilinx AXI DMA with a small controller; templates add their per-unit control).
inline constexpr double kFpgaControlLuts = 4500;
FpgaResources fpgaControl(double extraLuts = 0);

/// The PE of an array workload on a datapath (its widths, or the layer's narrower ones),
/// `lanes` products per cycle, `instances` of it; nullopt for vector and host work.
std::optional<PeSpec> peOnDatapath(const Workload& w, const Datapath& dp, PeMode mode, int lanes, double instances, std::string origin);

/// A level's word width: the `word_bits` parameter when set, else the widest operand it keeps
/// (partial sums at the accumulator's width inside the PEs, outputs at the activations' width in
/// shared buffers).
int wordBitsFor(const DesignInputs& inputs, const Datapath& dp, bool weights, bool inputs_, bool outputs, bool partialSums);

/// DRAM bandwidth in words of `wordBits` per cycle (0 = unlimited when the bandwidth is 0).
double dramWordsPerCycle(const DesignInputs& inputs, int wordBits);

/// A key for caching results: the template, its resolved parameters, the platform and the datapath.
std::string designCacheKey(const std::string& templateName, const DesignInputs& inputs, const Datapath& dp);

/// A layer result naming the workload: its name, layer, kind, MACs (all performed), shape and
/// precision; the template fills in the rest.
LayerResult layerResultFor(const Workload& workload);

/// Puts a workload's lowering note (Workload::note) in its result. On a workload with no work
/// of its own (a batch norm folded into the layer before) it is information: its shape, as the
/// loop-nest designs show it. On any other it says how the layer was approximated (a 3-D
/// convolution folded to 2-D, a transposed convolution): a warning.
void addLoweringNote(LayerResult& r, const Workload& w);

/// A memory size for a design's one-line summary, in KiB rounded to the nearest tenth, without a
/// trailing ".0": 1,048,576 bits -> "128", 1,048,560 bits (43,690 words of 24 bits) -> "128",
/// 4,096 bits -> "0.5".
std::string kibText(double bits);

/// a / b rounded up (0 when b is 0).
inline Dim ceilDiv(Dim a, Dim b)
{
    return b > 0 ? (a + b - 1) / b : 0;
}
/// a / b rounded up, for counts kept in doubles (0 when b is 0).
double ceilDivReal(double a, double b);

/// The expected largest of `n` independent standard normal values (Blom's approximation
/// Phi^-1((n - 0.375) / (n + 0.25))), for the busiest of n units with normally spread work.
double expectedMaxOfNormals(double n);

/// Bit masks of problem dimensions (ConvDim indices).
unsigned dimMask(std::initializer_list<int> dims);

/// Fixes the temporal factor of the listed dimensions to 1 at a level.
void noTemporal(LevelConstraints& c, std::initializer_list<int> dims);
/// Fixes the spatial factor of the listed dimensions to 1 at a level.
void noSpatial(LevelConstraints& c, std::initializer_list<int> dims);
/// Only the listed dimensions may have temporal loops at a level.
void onlyTemporal(LevelConstraints& c, std::initializer_list<int> dims);
/// The level keeps exactly these data spaces and bypasses the others.
void keepOnly(LevelConstraints& c, std::initializer_list<int> spaces);

}  // namespace cdx
