// The compression analysis of a whole network: channel pruning flowing between layers, the
// layers in parallel, the accuracy from the sensitivity table or the proxy, and the totals.
#include "core/compression/compressionanalyzer.h"

#include "core/compression/weightmatrix.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <set>
#include <unordered_map>

namespace cdx {

namespace {

bool passesChannels(const Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::Activation:
    case LayerKind::BatchNorm:
    case LayerKind::LayerNorm:
    case LayerKind::Pool:
    case LayerKind::Pad:
    case LayerKind::Resize:
    case LayerKind::Softmax:
    case LayerKind::Reshape:
    case LayerKind::Flatten:
    case LayerKind::Transpose:
    case LayerKind::Eltwise: return true;
    case LayerKind::Conv: {
        const auto& p = std::get<ConvParams>(layer.params);
        return p.groups > 1 && p.groups == layer.inputShapes[0][1] && p.outChannels == p.groups;  // depthwise
    }
    default: return false;
    }
}

/// Channels along axis 1 of a tensor (1 when it has no such axis).
Dim channelsOf(const Network& net, const std::string& tensor)
{
    const auto* t = net.findTensor(tensor);
    return t && t->shape.size() >= 2 ? std::max<Dim>(1, t->shape[1]) : 1;
}

std::string projectDir(const std::string& file)
{
    return file.empty() ? std::string() : std::filesystem::path(file).parent_path().string();
}

void addLayerTotals(const LayerCompressionReport& l, NetworkCompressionReport& r)
{
    r.macs += l.effect.macs;
    r.effectiveMacs += l.effect.effectiveMacs;
    r.storedParams += l.storedParams;
    const int otherBits = l.setting.accumulatorBits > 0 ? l.setting.accumulatorBits : l.setting.weights.bits;
    r.storedBits += l.storage.totalBits() + l.otherParams * otherBits;
    if (!l.hasWeights)
        return;
    r.denseWeights += l.denseWeights;
    r.storedWeightBits += l.storage.totalBits();
    r.nominalWeightBits += l.nominalCompressionRatio > 0 ? std::llround(32.0 * static_cast<double>(l.denseWeights) / l.nominalCompressionRatio) : 0;
}

}  // namespace

std::vector<double> channelKeeps(const Network& net, const std::vector<LayerCompression>& settings)
{
    std::unordered_map<std::string, double> tensorKeep;
    std::vector<double> inputKeep(net.layers().size(), 1.0);
    auto keepOf = [&](const std::string& tensor) {
        const auto it = tensorKeep.find(tensor);
        return it == tensorKeep.end() ? 1.0 : it->second;
    };
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        if (!layer.inputs.empty())
            inputKeep[i] = keepOf(layer.inputs[0]);
        double out = 1.0;
        if (layer.kind == LayerKind::Concat) {
            double kept = 0, all = 0;
            for (const auto& in : layer.inputs) {
                const double c = static_cast<double>(channelsOf(net, in));
                kept += c * keepOf(in);
                all += c;
            }
            out = all > 0 ? kept / all : 1.0;
        } else if (passesChannels(layer)) {
            out = 0;
            for (const auto& in : layer.inputs)
                out = std::max(out, keepOf(in));
            if (layer.inputs.empty())
                out = 1.0;
        } else if (layer.kind == LayerKind::Conv || layer.kind == LayerKind::FullyConnected) {
            const LayerCompression& c = settings[i];
            if (c.pruning.kind == PruningKind::Channel) {
                const auto matrices = weightMatrices(layer, false);
                const Dim rows = matrices.empty() ? 1 : matrices[0].rows;
                out = static_cast<double>(std::max<Dim>(1, std::llround(c.pruning.keep * static_cast<double>(rows)))) / static_cast<double>(rows);
            }
        }
        for (const auto& t : layer.outputs)
            tensorKeep[t] = out;
    }
    return inputKeep;
}

std::size_t CompressionAnalyzer::cachedLayers() const
{
    std::lock_guard lock(mutex_);
    return cache_.size();
}

void CompressionAnalyzer::clear()
{
    std::lock_guard lock(mutex_);
    cache_.clear();
}

LayerCompressionReport CompressionAnalyzer::layer(const Layer& layer, Dim index, const LayerCompression& setting,
                                                  const CompressionOptions& options, double inputChannelKeep)
{
    std::vector<std::shared_ptr<const std::vector<float>>> weights;
    for (const auto& w : layer.weightData)
        if (w.values)
            weights.push_back(w.values);
    if (weights.empty())  // shapes only: cheaper to analyse than to look up
        return analyzeLayer(layer, index, setting, options, inputChannelKeep);
    std::string key = layer.name + "|" + std::to_string(index) + "|" + std::to_string(layer.counts.macs) + "|";
    for (const auto& w : weights)
        key += std::to_string(reinterpret_cast<std::uintptr_t>(w.get())) + ",";
    key += "|" + setting.key() + "|" + std::to_string(inputChannelKeep) + "|" + std::to_string(options.pes);
    {
        std::lock_guard lock(mutex_);
        if (const auto it = cache_.find(key); it != cache_.end()) {
            LayerCompressionReport r = it->second.report;
            r.setting.rules = setting.rules;  // the same values may come from other rules now
            r.setting.pruningRule = setting.pruningRule;
            r.setting.storageRule = setting.storageRule;
            r.setting.fastAlgorithmRule = setting.fastAlgorithmRule;
            return r;
        }
    }
    LayerCompressionReport r = analyzeLayer(layer, index, setting, options, inputChannelKeep);
    std::lock_guard lock(mutex_);
    if (cache_.size() >= 20000)
        cache_.clear();
    cache_[key] = Entry{r, std::move(weights)};
    return r;
}

double proxyAccuracyDrop(double noiseToSignal)
{
    constexpr double kEta0 = 1.38;     // the noise-to-signal ratio at which 63 % of the accuracy is gone
    constexpr double kExponent = 2.31;
    if (!(noiseToSignal > 0))
        return 0.0;
    return 100.0 * -std::expm1(-std::pow(noiseToSignal / kEta0, kExponent));
}

Result<NetworkCompressionReport> analyzeCompression(const Network& net, const CompressionPlan& plan, const CompressionOptions& options)
{
    return CompressionAnalyzer().analyze(net, plan, options);
}

Result<NetworkCompressionReport> CompressionAnalyzer::analyze(const Network& net, const CompressionPlan& plan, const CompressionOptions& options)
{
    const std::vector<LayerCompression> settings = plan.resolve(net);
    auto checked = plan.check(net, settings);
    if (!checked)
        return checked.error();
    NetworkCompressionReport report;
    report.network = net.name();
    report.warnings = std::move(checked).value();
    std::optional<SensitivityTable> table;
    if (!plan.sensitivityPath.empty()) {
        std::filesystem::path path(plan.sensitivityPath);
        if (path.is_relative() && !projectDir(plan.file).empty())
            path = std::filesystem::path(projectDir(plan.file)) / path;
        auto loaded = SensitivityTable::load(path.string());
        if (!loaded) {
            Error error = loaded.error();
            if (error.location.empty())
                error.location = "/compression/sensitivity";
            return error;
        }
        table = std::move(loaded).value();
    }
    const std::vector<double> inputKeep = channelKeeps(net, settings);
    const auto& layers = net.layers();
    report.layers.resize(layers.size());
    tbb::parallel_for(std::size_t{0}, layers.size(), [&](std::size_t i) {
        report.layers[i] = layer(layers[i], static_cast<Dim>(i), settings[i], options, inputKeep[i]);
    });
    bool anyTable = false, anyProxy = false;
    // The log of the share of accuracy every layer's drop leaves, layer after layer: logs keep the
    // precision of many tiny drops (1 - a product near 1 would cancel), as the explorer composes them.
    double logRetained = 0.0;
    for (auto& l : report.layers) {
        const auto* row = table && l.hasWeights ? table->find(l.layer, l.setting) : nullptr;
        if (row) {
            l.accuracyDrop = row->drop;
            l.accuracySource = "table (" + table->file() + " line " + std::to_string(row->line) + ")";
            anyTable = true;
        } else if (l.hasWeights) {
            l.accuracyDrop = proxyAccuracyDrop(l.noiseToSignal);
            l.accuracySource = "proxy";
            anyProxy = true;
        }
        if (l.nonFiniteWeights > 0)
            report.warnings.push_back("compression: layer " + l.layer + " has " + std::to_string(l.nonFiniteWeights) +
                                      " weights that are not finite numbers (NaN or infinity); they were counted as 0");
        logRetained += std::log1p(-std::clamp(l.accuracyDrop, 0.0, 100.0 - 1e-9) / 100.0);
        addLayerTotals(l, report);
    }
    report.accuracyDrop = 0.0 - 100.0 * std::expm1(logRetained);
    report.accuracySource = anyTable && anyProxy ? "table+proxy" : anyTable ? "table" : "proxy";
    report.denseParams = net.totals().params;
    report.denseBits = 32 * report.denseParams;
    report.compressionRatio = report.storedBits > 0 ? static_cast<double>(report.denseBits) / static_cast<double>(report.storedBits) : 1.0;
    report.weightCompressionRatio =
        report.storedWeightBits > 0 ? 32.0 * static_cast<double>(report.denseWeights) / static_cast<double>(report.storedWeightBits) : 1.0;
    report.nominalWeightCompressionRatio =
        report.nominalWeightBits > 0 ? 32.0 * static_cast<double>(report.denseWeights) / static_cast<double>(report.nominalWeightBits) : 1.0;
    return report;
}

}  // namespace cdx
