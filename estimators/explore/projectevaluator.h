#pragma once

#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/explore/explorerun.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"
#include "estimators/results/networkresult.h"

#include <oneapi/tbb/enumerable_thread_specific.h>

#include <atomic>
#include <functional>
#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace cdx {

/// Estimates the points of a project's design space.
///
/// When the network's result is a sum of per-layer results (the template's design does not
/// depend on the network, it is not a layer pipeline, and no axis prunes channels, which
/// would reshape the next layers), a point is composed: each layer's part is looked up by the
/// design (the values of the hardware, platform and default-precision axes) and the values of
/// the compression axes that touch that layer, and only points with a part not seen yet are
/// estimated in full (which fills the parts for later points). Every point's metrics are then
/// the same sum of the same parts, whichever point was estimated first, so runs split into
/// shards give the same numbers as one run. Otherwise, and when every axis changes the design
/// (no two points share a part), every point is estimated in full.
/// Thread-safe.
class ProjectEvaluator final : public RunEvaluator {
public:
    ProjectEvaluator(const Project& project, const Network& network, const DesignSpace& space);
    ~ProjectEvaluator() override;

    PointEstimate evaluate(const Genome& genome) override;
    /// The point estimated in full by the Estimator, never composed (tests compare the two).
    PointEstimate evaluateInFull(const Genome& genome);

    /// Whether points are composed from per-layer parts, and if not, why.
    bool composes() const { return composes_.load(); }
    const std::string& whyNotComposed() const { return whyNot_; }
    /// Points estimated in full so far, and points composed without an estimate.
    std::uint64_t fullEstimates() const { return full_.load(); }
    std::uint64_t composedPoints() const { return composed_.combine(std::plus<>{}); }

    /// For a run directory's summary: how the points are estimated, and the counts above
    /// ("composed", "composed_points", "full_estimates").
    std::string describe() const override;
    nlohmann::ordered_json counts() const override;

    /// The metrics of a network result.
    static MetricValues metricsOf(const NetworkResult& result);

private:
    struct LayerPart {
        Dim macs = 0;
        Dim cycles = 0;
        double energyPj = 0;
        double busy = 0;          ///< utilization x cycles
        double logAccuracyKept = 0;  ///< log of the share of accuracy kept (sums over layers)
        double weightBits = 0;
    };
    struct DesignPart {
        bool known = false;
        std::string failure;      ///< the design itself cannot be built or does not fit
        double clockHz = 0;
        double staticPowerW = 0;
        double areaMm2 = 0;
        FpgaResources fpga;
        LayerPart fixed;          ///< the layers no compression axis touches, added up
    };

    Result<NetworkResult> estimateInFull(const Genome& genome);
    int designIndex(const Genome& genome);
    /// The parts of a point's result, learnt from its full estimate.
    void learn(const Genome& genome, int design, const NetworkResult& result);
    enum class Composed { Yes, Missing, Failed };
    /// The point from its parts (one shared lock): composed, a part missing, or its design failed.
    Composed compose(const Genome& genome, int design, PointEstimate& out) const;
    std::uint64_t layerKey(std::size_t layer, int design, const Genome& genome) const;

    const Project& project_;
    const Network& network_;
    const DesignSpace& space_;
    Estimator estimator_;
    std::atomic<bool> composes_{true};
    std::string whyNot_;
    std::vector<std::size_t> designAxes_;
    std::vector<std::vector<std::size_t>> layerAxes_;  ///< per layer: the compression axes that touch it
    std::vector<std::size_t> touchedLayers_;           ///< layers with at least one
    std::unordered_map<std::string, std::size_t> layerByName_;

    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, int> designs_;
    std::vector<DesignPart> designParts_;
    std::vector<std::unordered_map<std::uint64_t, LayerPart>> layerParts_;  ///< per layer
    std::atomic<std::uint64_t> full_{0};
    mutable tbb::enumerable_thread_specific<std::uint64_t> composed_{0};  ///< per thread: no shared counter in the hot path
};

}  // namespace cdx
