#pragma once

#include "estimators/engine/architecture.h"
#include "estimators/engine/enginestats.h"
#include "estimators/engine/mapping.h"
#include "estimators/mapper/mappingconstraints.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/hardwaredesign.h"
#include "estimators/templates/templateinfo.h"

#include <string>
#include <vector>

namespace cdx {

/// A storage level whose costs come from the platform.
struct LevelSpec {
    std::string name;
    MemoryStyle style = MemoryStyle::Sram;
    Dim depthWords = 0;       ///< per instance; 0 for DRAM or a fan-out point
    int wordBits = 8;
    int blockWords = 1;       ///< words per access
    int meshX = 1;
    int meshY = 1;
    double readBandwidth = 0;   ///< words per cycle per instance; 0 = unlimited
    double writeBandwidth = 0;
    double sharedBandwidth = 0;
    bool dram = false;
    bool fanout = false;      ///< a point of spatial fan-out that stores nothing
};

/// The compute units at the bottom of the hierarchy.
struct ComputeSpec {
    std::string name = "mac";
    int meshX = 1;
    int meshY = 1;
    NumberFormat format = NumberFormat::Int;
    int weightBits = 8;
    int activationBits = 8;
    int accumulatorBits = 24;
    bool inLuts = false;  ///< FPGA: multipliers built from LUTs instead of DSP slices
};

/// Sparse acceleration of a loop-nest design (Sparseloop's SAFs), from the template parameters
/// sparse_weights, sparse_activations and sparse_format.
struct SparseSupport {
    SparseAction weights = SparseAction::None;      ///< on the zeros of the weights
    SparseAction activations = SparseAction::None;  ///< on the zeros of the input activations
    /// How the buffers and DRAM store the operands with an action (registers of one word stay
    /// uncompressed).
    SparseFormat format = SparseFormat::Uncompressed;

    bool any() const { return weights != SparseAction::None || activations != SparseAction::None; }
    /// "skips zero weights, gates zero activations, bitmask", or "" when dense.
    std::string describe() const;
};

/// How a loop-nest template stores its operands: the parameters sparse_weights,
/// sparse_activations and sparse_format (defaults: a dense design) and pack_weights (default:
/// one weight per word of the datapath's width), for the templates' ParamSpec lists.
std::vector<ParamSpec> storageParams();
struct LoopNestDesignSpec;
/// Sets the spec's sparse support and weight packing from the parameters (storageParams() must
/// be among the template's).
void applyStorageParams(LoopNestDesignSpec& spec, const TemplateParams& params);

/// What a loop-nest template hands to the generic design, which costs it on the platform.
struct LoopNestDesignSpec {
    std::string templateName;
    std::string summary;            ///< describe()
    std::vector<LevelSpec> levels;  ///< innermost first; the last is DRAM
    ComputeSpec compute;
    MappingConstraints constraints; ///< one per level
    int vectorLanes = 0;            ///< 0: non-MAC layers run on the host
    int vectorBits = 8;
    int vectorLevel = -1;           ///< the storage level vector operands stream through
    /// A buffer that keeps a layer's activations between layers (the TPU's unified buffer, a
    /// global buffer): the estimator's liveness pass decides which tensors stay in it, and the
    /// DRAM traffic of those is dropped: the previous layer left them there and the next one reads
    /// them there. When a workload's inputs and outputs both stay, the mapper tries
    /// `residentConstraints` if given (every loop below the buffer, which keeps inputs and
    /// outputs). -1: activations go to DRAM between layers.
    int residentLevel = -1;
    MappingConstraints residentConstraints;
    std::vector<AreaItem> extraArea;                                    ///< beyond levels and MACs
    std::vector<std::pair<std::string, FpgaResources>> extraResources;  ///< control, vector unit
    std::vector<std::string> warnings;
    std::string cacheKey;
    SparseSupport sparse;  ///< dense by default
    /// Weights narrower than the datapath are stored packed, floor(datapath bits / layer bits) to
    /// a word, in DRAM and in every buffer of more than one word (the registers that feed the
    /// MACs hold one unpacked weight): fewer words stored and moved, the same MAC cycles.
    bool packWeights = false;
    /// The processing element, for rtlsim: one MAC per PE with its own accumulator (a temporal
    /// reduction) unless a template groups its MACs into dot-product cells (NVDLA's CMAC).
    PeMode peMode = PeMode::DenseTemporal;
    int peLanes = 1;
    std::string peOrigin;
};

/// One array workload as the engine saw it: the problem, the architecture, the mapping the
/// mapper chose and its statistics (what `cdx export --to timeloop` writes out).
struct MappedWorkload {
    Problem problem;
    Architecture architecture;
    Mapping mapping;
    EngineStats stats;
    /// The activations stayed in the resident buffer (residentLevel): their DRAM traffic is
    /// dropped from `stats`, which a plain loop-nest model of the mapping does not do.
    bool activationsResident = false;
    /// The share of the input and output activations' DRAM traffic that `stats` keeps (the rest
    /// stays on chip between layers, or is not written because a fused pooling shrank the result).
    double inputsOffChip = 1;
    double outputsOffChip = 1;
};

/// A design the generic engine evaluates: array workloads through the mapper and the
/// loop-nest analysis, vector workloads on a vector unit next to a buffer.
class LoopNestDesign : public HardwareDesign {
public:
    /// Costs every level and the compute units on the platform. Fails when a level's spec is
    /// impossible there (an FPGA memory the device cannot hold is reported by the template).
    LoopNestDesign(LoopNestDesignSpec spec, const Platform& platform);

    std::string describe() const override;
    double peakMacsPerCycle() const override;
    double clockHz() const override { return clockHz_; }
    Result<LayerResult> evaluate(const Workload& workload, const EvaluateOptions& options) const override;
    std::vector<AreaItem> area() const override;
    std::vector<std::pair<std::string, FpgaResources>> fpgaResources() const override;
    double staticPowerW() const override { return staticPowerW_; }
    std::vector<std::string> warnings() const override { return spec_.warnings; }
    std::string cacheKey() const override { return spec_.cacheKey; }
    std::optional<PeSpec> processingElement(const Workload& workload) const override;
    Dim activationBufferElements() const override;

    /// Maps an array workload as evaluate() does (the same mapping for the same options).
    Result<MappedWorkload> map(const Workload& workload, const EvaluateOptions& options) const;
    /// Weights one word holds for this workload: above 1 when the design packs weights and the
    /// layer's are narrower than the datapath's.
    int weightsPerWord(const Workload& workload) const;

    const Architecture& architecture() const { return architecture_; }
    const MappingConstraints& constraints() const { return spec_.constraints; }

private:
    Result<LayerResult> evaluateArray(const Workload& w, const EvaluateOptions& options) const;
    LayerResult evaluateVector(const Workload& w) const;
    /// The workload's problem, with the compression's densities when the design exploits them.
    Problem problemFor(const Workload& w) const;

    LoopNestDesignSpec spec_;
    Architecture architecture_;
    std::vector<ComponentCost> levelCosts_;
    double clockHz_ = 1e9;
    bool fpga_ = false;
    double staticPowerW_ = 0;
    ComponentCost vectorOp_;
    ComponentCost mac_;
};

}  // namespace cdx
