#pragma once

#include "core/compression/compressionreport.h"
#include "core/compression/sensitivitytable.h"
#include "core/util/result.h"

#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace cdx {

struct CompressionOptions {
    Dim pes = 0;  ///< PEs for csc columns and the load imbalance; 0: the setting's (storage pes, else load-balanced pes, else 1)
};

/// Analyses one layer under its resolved setting. `inputChannelKeep` is the share of its input
/// channels left by channel pruning upstream (see channelKeeps).
LayerCompressionReport analyzeLayer(const Layer& layer, Dim index, const LayerCompression& setting, const CompressionOptions& options,
                                    double inputChannelKeep = 1.0);

/// Per layer, the share of its input channels that channel pruning of the layers before it
/// leaves: a pruned layer's kept share flows through element-wise, pooling, normalisation and
/// shape layers and depthwise convolutions; an addition keeps the larger, a concatenation the
/// channel-weighted mean; any other layer starts afresh.
std::vector<double> channelKeeps(const Network& net, const std::vector<LayerCompression>& settings);

/// Analyses networks under plans and keeps the analyses of layers with stored weights (the
/// costly ones: masks and errors over every weight) by layer and setting, so that analysing
/// again after an edit redoes only the layers whose setting changed. Safe to call from several threads.
class CompressionAnalyzer {
public:
    /// As analyzeCompression.
    Result<NetworkCompressionReport> analyze(const Network& net, const CompressionPlan& plan, const CompressionOptions& options = {});
    std::size_t cachedLayers() const;
    void clear();

private:
    LayerCompressionReport layer(const Layer& layer, Dim index, const LayerCompression& setting, const CompressionOptions& options,
                                 double inputChannelKeep);

    struct Entry {
        LayerCompressionReport report;
        std::vector<std::shared_ptr<const std::vector<float>>> weights;  ///< kept alive: their addresses are in the key
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> cache_;
};

/// The proxy's accuracy drop of one layer, in percentage points, from its noise-to-signal ratio
/// eta: 100 (1 - exp(-(eta / 1.38)^2.31)). The response was fitted to measured accuracy: the
/// drops of the MNIST CNN (the ONNX model zoo's mnist-8) on its 10,000 test digits with ONNX
/// Runtime, one layer at a time at int weights of 2 to 8 bits and densities 0.1 to 0.75
/// (`cdx accuracy --sensitivity`; the 13 points with a drop, least squares on
/// log(-log(1 - d/100)) against log eta). On those 33 points it is off by 2.1 pp on average,
/// where 100 (1 - e^-eta) was off by 8.1: a trained network shrugs off small noise and then
/// breaks quickly. One small network fitted it: it ranks settings, it does not replace a measurement.
double proxyAccuracyDrop(double noiseToSignal);

/// Checks the plan against the network (CompressionPlan::check), reads its sensitivity table
/// (relative to the plan's project file), analyses every layer in parallel and adds them up.
/// The accuracy drop comes from the table where a row matches a layer, else from the proxy:
/// eta = pruned energy share + (1 - pruned) x weight noise-to-signal + activation noise-to-signal,
/// drop d_i = proxyAccuracyDrop(eta) per layer (no retraining assumed). The layers combine as
/// accuracy retained, one after the other: drop = 100 (1 - prod_i (1 - d_i / 100)). A sum of the
/// drops would pass 100 for a deep network whose every layer loses a little (and had to be cut
/// off there); the product approaches 100 only when the layers' losses compound.
Result<NetworkCompressionReport> analyzeCompression(const Network& net, const CompressionPlan& plan, const CompressionOptions& options = {});

}  // namespace cdx
