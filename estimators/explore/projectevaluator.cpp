#include "estimators/explore/projectevaluator.h"

#include "estimators/explore/networkmetrics.h"

#include "estimators/templates/acceleratortemplate.h"

#include <algorithm>
#include <cmath>
#include <mutex>

namespace cdx {

namespace {

/// Whether any value of the axis (or its base) prunes channels: that reshapes the layers that
/// consume the pruned one, so a layer's result would depend on another layer's setting.
bool prunesChannels(const Axis& axis)
{
    auto isChannel = [](const nlohmann::ordered_json& j) { return j.dump().find("\"channel\"") != std::string::npos; };
    if (isChannel(axis.base))
        return true;
    for (const auto& v : axis.values)
        if (isChannel(v) || (v.is_string() && v.get<std::string>() == "channel"))
            return true;
    return false;
}

/// The templates a space can reach: the project's, and every value of an axis that sets it.
std::vector<std::string> reachableTemplates(const Project& project, const DesignSpace& space)
{
    std::vector<std::string> names;
    if (project.hardware.contains("template") && project.hardware["template"].is_string())
        names.push_back(project.hardware["template"].get<std::string>());
    for (const Axis& a : space.axes())
        if (a.kind == Axis::Kind::Project && a.pointer.to_string() == "/hardware/template")
            for (const auto& v : a.values)
                if (v.is_string())
                    names.push_back(v.get<std::string>());
    return names;
}

}  // namespace

ProjectEvaluator::ProjectEvaluator(const Project& project, const Network& network, const DesignSpace& space)
    : project_(project), network_(network), space_(space)
{
    const std::size_t layers = network.layers().size();
    layerAxes_.resize(layers);
    layerParts_.resize(layers);
    for (std::size_t i = 0; i < layers; ++i)
        layerByName_.emplace(network.layers()[i].name, i);
    for (std::size_t a = 0; a < space.axes().size(); ++a) {
        const Axis& axis = space.axes()[a];
        if (axis.designAxis()) {
            designAxes_.push_back(a);
            continue;
        }
        for (std::size_t l : axis.layers)
            layerAxes_[l].push_back(a);
        if (prunesChannels(axis)) {
            composes_ = false;
            whyNot_ = "axis " + axis.name + " prunes channels, which reshapes the layers after it";
        }
    }
    if (designAxes_.empty()) {
        designs_.emplace("", 0);
        designParts_.emplace_back();
    }
    for (const std::string& name : reachableTemplates(project, space)) {
        const auto tmpl = findAcceleratorTemplate(name);
        if (tmpl && tmpl.value()->designDependsOnNetwork()) {
            composes_ = false;
            whyNot_ = "the " + name + " template sizes its design to the whole network";
        }
    }
    for (std::size_t l = 0; l < layers; ++l) {
        if (layerAxes_[l].empty())
            continue;
        touchedLayers_.push_back(l);
        double radix = 1;
        for (std::size_t a : layerAxes_[l])
            radix *= static_cast<double>(space.axes()[a].values.size());
        if (radix > 4294967295.0) {
            composes_ = false;
            whyNot_ = "layer " + network.layers()[l].name + " has too many combinations of axis values";
        }
    }
    if (touchedLayers_.empty() && composes_) {
        // Every axis changes the design: no two points share a design, so none shares a part.
        composes_ = false;
        whyNot_ = "every axis changes the design, so no two points share per-layer results";
    }
}

ProjectEvaluator::~ProjectEvaluator() = default;

std::string ProjectEvaluator::describe() const
{
    return composes() ? "points whose per-layer parts are known are composed from them" : "every point estimated in full: " + whyNotComposed();
}

nlohmann::ordered_json ProjectEvaluator::counts() const
{
    return {{"composed", composes()}, {"composed_points", composedPoints()}, {"full_estimates", fullEstimates()}};
}

MetricValues ProjectEvaluator::metricsOf(const NetworkResult& r)
{
    return networkMetrics(r);
}

MetricValues networkMetrics(const NetworkResult& r)
{
    MetricValues m{};
    auto set = [&m](Metric metric, double v) { m[static_cast<std::size_t>(metric)] = v; };
    double weightBits = 0;
    for (const auto& layer : r.compression)
        weightBits += static_cast<double>(layer.effect.weightBits);
    set(Metric::EnergyPj, r.energyPj);
    set(Metric::LatencyS, r.latencyS);
    set(Metric::PowerW, r.powerW);
    set(Metric::EdpJs, r.energyPj * 1e-12 * r.latencyS);
    set(Metric::AreaMm2, r.fpga ? 0 : r.areaMm2);
    if (r.fpga) {
        set(Metric::Lut, r.fpgaUsage.used.lut);
        set(Metric::Ff, r.fpgaUsage.used.ff);
        set(Metric::Dsp, r.fpgaUsage.used.dsp);
        set(Metric::Bram36, r.fpgaUsage.used.bram36);
        set(Metric::Uram, r.fpgaUsage.used.uram);
    }
    set(Metric::AccuracyDropPp, r.accuracyDropPp);
    set(Metric::MemoryBytes, weightBits / 8);
    set(Metric::OpsPerS, r.opsPerS);
    set(Metric::TopsPerW, r.topsPerW);
    set(Metric::Utilization, r.utilization);
    return m;
}

Result<NetworkResult> ProjectEvaluator::estimateInFull(const Genome& genome)
{
    full_.fetch_add(1);
    const Project point = space_.apply(project_, genome);
    return estimator_.estimate(point, network_);
}

PointEstimate ProjectEvaluator::evaluateInFull(const Genome& genome)
{
    PointEstimate out;
    auto result = estimateInFull(genome);
    if (!result) {
        out.reason = result.error().describe();
        return out;
    }
    out.ok = true;
    out.metrics = metricsOf(result.value());
    return out;
}

int ProjectEvaluator::designIndex(const Genome& genome)
{
    if (designAxes_.empty())
        return 0;  // one design, created by the constructor
    std::string key;
    for (std::size_t a : designAxes_)
        key += std::to_string(genome[a]) + ".";
    {
        std::shared_lock lock(mutex_);
        if (const auto it = designs_.find(key); it != designs_.end())
            return it->second;
    }
    std::unique_lock lock(mutex_);
    const auto [it, added] = designs_.emplace(key, static_cast<int>(designParts_.size()));
    if (added)
        designParts_.emplace_back();
    return it->second;
}

std::uint64_t ProjectEvaluator::layerKey(std::size_t layer, int design, const Genome& genome) const
{
    std::uint64_t local = 0, radix = 1;
    for (std::size_t a : layerAxes_[layer]) {
        const auto n = static_cast<std::uint64_t>(space_.axes()[a].values.size());
        local = local * n + static_cast<std::uint64_t>(genome[a]);
        radix *= n;
    }
    return static_cast<std::uint64_t>(design) * radix + local;
}

void ProjectEvaluator::learn(const Genome& genome, int design, const NetworkResult& r)
{
    std::vector<LayerPart> parts(network_.layers().size());
    for (const LayerResult& l : r.layers) {
        const auto it = layerByName_.find(l.layer);
        if (it == layerByName_.end())
            continue;
        LayerPart& p = parts[it->second];
        p.macs += l.macs;
        p.cycles += l.cycles;
        p.energyPj += l.energyPj;
        p.busy += l.utilization * static_cast<double>(l.cycles);
    }
    for (std::size_t i = 0; i < r.compression.size() && i < parts.size(); ++i) {
        // Kept as the log of the accuracy the layer leaves: the analysis multiplies those shares
        // (compressionnetwork.cpp), and logs add up like every other part.
        parts[i].logAccuracyKept = std::log1p(-std::clamp(r.compression[i].accuracyDrop, 0.0, 100.0 - 1e-9) / 100.0);
        parts[i].weightBits = static_cast<double>(r.compression[i].effect.weightBits);
    }
    std::unique_lock lock(mutex_);
    DesignPart& d = designParts_[static_cast<std::size_t>(design)];
    if (!d.known) {
        d.known = true;
        d.clockHz = r.clockHz;
        // The physical model's clock tree and control draw power whatever runs, as static power does.
        d.staticPowerW = r.staticPowerW + r.physicalPowerW;
        d.areaMm2 = r.fpga ? 0 : r.areaMm2;
        d.fpga = r.fpga ? r.fpgaUsage.used : FpgaResources{};
        for (std::size_t i = 0; i < parts.size(); ++i) {
            if (!layerAxes_[i].empty())
                continue;
            d.fixed.macs += parts[i].macs;
            d.fixed.cycles += parts[i].cycles;
            d.fixed.energyPj += parts[i].energyPj;
            d.fixed.busy += parts[i].busy;
            d.fixed.logAccuracyKept += parts[i].logAccuracyKept;
            d.fixed.weightBits += parts[i].weightBits;
        }
    }
    for (std::size_t i : touchedLayers_)
        layerParts_[i].emplace(layerKey(i, design, genome), parts[i]);
}

ProjectEvaluator::Composed ProjectEvaluator::compose(const Genome& genome, int design, PointEstimate& out) const
{
    std::shared_lock lock(mutex_);
    const DesignPart& d = designParts_[static_cast<std::size_t>(design)];
    if (!d.failure.empty()) {
        out.ok = false;
        out.reason = d.failure;
        return Composed::Failed;
    }
    if (!d.known)
        return Composed::Missing;
    LayerPart sum = d.fixed;
    for (std::size_t i : touchedLayers_) {
        const auto& table = layerParts_[i];
        const auto it = table.find(layerKey(i, design, genome));
        if (it == table.end())
            return Composed::Missing;
        sum.macs += it->second.macs;
        sum.cycles += it->second.cycles;
        sum.energyPj += it->second.energyPj;
        sum.busy += it->second.busy;
        sum.logAccuracyKept += it->second.logAccuracyKept;
        sum.weightBits += it->second.weightBits;
    }
    // The totals as the Estimator adds them up (estimator.cpp, addTotals).
    const double latency = static_cast<double>(sum.cycles) / d.clockHz;
    const double energy = sum.energyPj + (d.staticPowerW > 0 ? d.staticPowerW * latency * 1e12 : 0.0);
    MetricValues& m = out.metrics;
    auto set = [&m](Metric metric, double v) { m[static_cast<std::size_t>(metric)] = v; };
    m = MetricValues{};
    out.ok = true;
    set(Metric::EnergyPj, energy);
    set(Metric::LatencyS, latency);
    set(Metric::PowerW, latency > 0 ? energy * 1e-12 / latency : 0);
    set(Metric::EdpJs, energy * 1e-12 * latency);
    set(Metric::AreaMm2, d.areaMm2);
    set(Metric::Lut, d.fpga.lut);
    set(Metric::Ff, d.fpga.ff);
    set(Metric::Dsp, d.fpga.dsp);
    set(Metric::Bram36, d.fpga.bram36);
    set(Metric::Uram, d.fpga.uram);
    set(Metric::AccuracyDropPp, 0.0 - 100.0 * std::expm1(sum.logAccuracyKept));  // 100 (1 - product of the shares kept), never -0
    set(Metric::MemoryBytes, sum.weightBits / 8);
    set(Metric::OpsPerS, latency > 0 ? 2.0 * static_cast<double>(sum.macs) / latency : 0);
    set(Metric::TopsPerW, energy > 0 ? 2.0 * static_cast<double>(sum.macs) / energy : 0);
    set(Metric::Utilization, sum.cycles > 0 ? sum.busy / static_cast<double>(sum.cycles) : 0);
    return Composed::Yes;
}

PointEstimate ProjectEvaluator::evaluate(const Genome& genome)
{
    if (!composes_)
        return evaluateInFull(genome);
    const int design = designIndex(genome);
    PointEstimate out;
    switch (compose(genome, design, out)) {
    case Composed::Yes:
        ++composed_.local();
        return out;
    case Composed::Failed:
        ++composed_.local();
        return out;
    case Composed::Missing:
        break;
    }
    auto result = estimateInFull(genome);
    if (!result) {
        const Error& e = result.error();
        out.reason = e.describe();
        // The design itself is wrong (it does not fit, a parameter is out of range): every point
        // with these design values fails the same way.
        const bool designLevel = e.location.rfind("/hardware", 0) == 0 || e.location.rfind("/platform", 0) == 0 ||
                                 e.location.rfind("/tech", 0) == 0;
        if (designLevel) {
            std::unique_lock lock(mutex_);
            designParts_[static_cast<std::size_t>(design)].failure = out.reason;
        }
        return out;
    }
    if (result->pipelined) {
        // A pipeline's latency is its slowest stage, not a sum: estimate every point in full.
        out.ok = true;
        out.metrics = metricsOf(result.value());
        std::unique_lock lock(mutex_);
        composes_ = false;
        whyNot_ = "the design is a layer pipeline";
        return out;
    }
    learn(genome, design, result.value());
    if (compose(genome, design, out) != Composed::Yes) {
        out.ok = false;
        out.reason = "internal: the parts of a point just estimated are missing";
    }
    return out;
}

}  // namespace cdx
