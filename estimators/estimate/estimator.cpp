#include "estimators/estimate/estimator.h"

#include "core/compression/compressionplan.h"
#include "core/util/jsonreader.h"
#include "estimators/estimate/hardwarespec.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/workload/workload.h"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <functional>
#include <map>
#include <set>
#include <sstream>

namespace cdx {

namespace {

/// The platform block: the preset's, patched by the project's (replaced when it names
/// another kind of platform).
nlohmann::ordered_json platformBlock(const Project& project, const PresetSpec* preset)
{
    nlohmann::ordered_json block = preset ? preset->platform : nlohmann::ordered_json::object();
    const auto& own = project.platform;
    if (own.empty())
        return block;
    if (!block.empty() && own.contains("kind") && block.value("kind", "") != own.value("kind", ""))
        return own;
    block.merge_patch(own);
    return block;
}

/// Everything about a workload that its result depends on, besides the design.
std::string workloadKey(const Workload& w, const EvaluateOptions& options)
{
    std::string k;
    k.reserve(160);
    const auto add = [&k](long long v) {
        k += std::to_string(v);
        k += ',';
    };
    k += workUnitName(w.unit);
    k += '|';
    for (long long v : {static_cast<long long>(w.repeat), static_cast<long long>(w.vectorOps), static_cast<long long>(w.inputElements),
                        static_cast<long long>(w.outputElements), static_cast<long long>(w.weightsAreActivations),
                        static_cast<long long>(w.compression.weights.bits), static_cast<long long>(w.compression.weights.format),
                        static_cast<long long>(w.compression.activations.bits), static_cast<long long>(w.compression.activations.format),
                        static_cast<long long>(options.mapper.objective), static_cast<long long>(options.mapper.maxEvaluations),
                        static_cast<long long>(options.showMapping)})
        add(v);
    if (w.unit == WorkUnit::Array) {
        k += '|';
        for (int d = 0; d < w.problem.dims(); ++d)
            add(w.problem.bounds[static_cast<std::size_t>(d)]);
        for (const auto& space : w.problem.dataSpaces)
            for (const auto& axis : space.projection)
                for (const auto& term : axis) {
                    add(term.dim);
                    add(term.coefficient);
                }
    }
    return k;
}

void addTo(std::vector<std::pair<std::string, double>>& total, const std::string& name, double value)
{
    for (auto& [n, v] : total)
        if (n == name) {
            v += value;
            return;
        }
    total.emplace_back(name, value);
}

}  // namespace

Result<Estimator::Libraries> Estimator::technology(const nlohmann::json& overrides, const std::string& file)
{
    // Parsing the tables costs more than a warm estimate: keep the last ones.
    const std::string key = overrides.is_null() ? std::string() : overrides.dump();
    {
        std::lock_guard lock(mutex_);
        if (libraries_ && librariesKey_ == key)
            return *libraries_;
    }
    auto tech = TechLibrary::load(overrides);
    if (!tech) {
        Error error = tech.error();
        error.file = file;
        return error;
    }
    auto fpga = FpgaLibrary::load(overrides);
    if (!fpga) {
        Error error = fpga.error();
        error.file = file;
        return error;
    }
    Libraries libraries{std::make_shared<const TechLibrary>(std::move(tech).value()), std::make_shared<const FpgaLibrary>(std::move(fpga).value())};
    std::lock_guard lock(mutex_);
    libraries_ = libraries;
    librariesKey_ = key;
    return libraries;
}

std::size_t Estimator::cachedResults() const
{
    std::lock_guard lock(mutex_);
    return cache_.size();
}

void Estimator::clearCache()
{
    std::lock_guard lock(mutex_);
    cache_.clear();
    designs_.clear();
}

Result<NetworkResult> Estimator::estimate(const Project& project, const Network& net, const EstimateOptions& options)
{
    const std::string& file = project.filePath;
    if (project.hardware.empty())
        return Error{ExitCode::BadInput, file, "/hardware", "the project names no hardware template (\"hardware\": {\"template\": ...})"};
    auto hardware = HardwareSpec::fromJson(project.hardware, file);
    if (!hardware)
        return hardware.error();
    auto found = findAcceleratorTemplate(hardware->templateName);
    if (!found) {
        Error error = found.error();
        error.file = file;
        error.location = "/hardware/template";
        return error;
    }
    const AcceleratorTemplate& tmpl = *found.value();
    const PresetSpec* preset = nullptr;
    if (!hardware->preset.empty()) {
        preset = tmpl.info().preset(hardware->preset);
        if (!preset) {
            std::vector<std::string> names;
            std::string list;
            for (const auto& p : tmpl.info().presets) {
                names.push_back(p.name);
                list += (list.empty() ? "" : ", ") + p.name;
            }
            std::string message = "template " + tmpl.info().name + " has no preset \"" + hardware->preset + "\"";
            if (const auto guess = closestMatch(hardware->preset, names))
                message += " (did you mean \"" + *guess + "\"?)";
            return Error{ExitCode::BadInput, file, "/hardware/preset", message + (list.empty() ? "; it has none" : "; its presets: " + list)};
        }
    }
    auto params = TemplateParams::resolve(tmpl.info(), preset, hardware->params, file);
    if (!params)
        return params.error();

    const nlohmann::ordered_json platformJson = platformBlock(project, preset);
    if (platformJson.empty())
        return Error{ExitCode::BadInput, file, "/platform", "the project names no platform and its hardware has no preset that does"};
    auto platformSpec = PlatformSpec::fromJson(platformJson, file);
    if (!platformSpec)
        return platformSpec.error();
    nlohmann::json overrides;
    if (project.tech.contains("overrides"))
        overrides = project.tech.at("overrides");
    for (auto it = project.tech.begin(); it != project.tech.end(); ++it)
        if (it.key() != "overrides")
            return Error{ExitCode::BadInput, file, "/tech/" + it.key(), "unknown key \"" + it.key() + "\" (the tech block holds \"overrides\")"};
    auto libraries = technology(overrides, file);
    if (!libraries)
        return libraries.error();
    auto platform = Platform::create(platformSpec.value(), libraries->first, libraries->second);
    if (!platform) {
        Error error = platform.error();
        error.file = file;
        return error;
    }

    auto plan = CompressionPlan::fromJson(project.compression, file);
    if (!plan)
        return plan.error();

    NetworkResult result;
    result.project = project.name;
    result.network = net.name();
    result.templateName = tmpl.info().name;
    result.preset = hardware->preset;
    result.platform = platform->describe();
    result.fpga = platform->isFpga();

    // Lower every layer with its compression setting.
    std::vector<Workload> workloads;
    std::set<std::string> unapplied;
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        const LayerCompression c = plan->forLayer(layer, static_cast<Dim>(i));
        for (auto it = c.unapplied.begin(); it != c.unapplied.end(); ++it)
            unapplied.insert(it.key());
        nlohmann::ordered_json setting;
        setting["layer"] = layer.name;
        setting["weights"] = {{"bits", c.weights.bits}, {"format", std::string(numberFormatName(c.weights.format))}};
        setting["activations"] = {{"bits", c.activations.bits}, {"format", std::string(numberFormatName(c.activations.format))}};
        if (c.accumulatorBits > 0)
            setting["accumulator"] = {{"bits", c.accumulatorBits}};
        setting["rules"] = c.rules;
        result.compression.push_back(std::move(setting));
        for (auto& w : lowerLayer(layer, c))
            workloads.push_back(std::move(w));
    }
    for (const auto& key : unapplied)
        result.warnings.push_back("compression: \"" + key + "\" settings are not modelled by this build and were ignored");
    for (const auto& rule : plan->unmatchedRules(net))
        result.warnings.push_back("compression: the rule at " + rule + " matches no layer");

    const LayerCompression defaults = plan->forLayer(Layer{}, -1);
    DesignInputs inputs{params.value(), platform.value(), defaults.weights, defaults.activations, defaults.accumulatorBits, workloads,
                        hardware->preset};
    // The built design depends on the template, its parameters, the platform, the technology
    // tables, the datapath and (for a layer pipeline) every workload: reuse it when none changed.
    EvaluateOptions evaluate;
    evaluate.mapper.objective = options.objective.value_or(hardware->objective);
    evaluate.mapper.maxEvaluations = options.budget.value_or(hardware->budget);
    evaluate.showMapping = options.showMapping;

    std::vector<std::string> workloadKeys(workloads.size());
    std::size_t networkHash = 0;
    for (std::size_t i = 0; i < workloads.size(); ++i) {
        workloadKeys[i] = workloadKey(workloads[i], evaluate);
        networkHash = networkHash * 1000003u ^ std::hash<std::string>{}(workloads[i].name) ^ std::hash<std::string>{}(workloadKeys[i]);
    }
    const std::string buildKey = tmpl.info().name + "|" + params->values().dump() + "|" + platformJson.dump() + "|" + overrides.dump() + "|" +
                                 std::to_string(defaults.weights.bits) + "/" + std::to_string(static_cast<int>(defaults.weights.format)) + "/" +
                                 std::to_string(defaults.activations.bits) + "/" + std::to_string(static_cast<int>(defaults.activations.format)) + "/" +
                                 std::to_string(defaults.accumulatorBits) + "|" + std::to_string(networkHash);
    std::shared_ptr<const HardwareDesign> built;
    {
        std::lock_guard lock(mutex_);
        if (const auto it = designs_.find(buildKey); it != designs_.end())
            built = it->second;
    }
    if (!built) {
        auto fresh = tmpl.build(inputs);
        if (!fresh) {
            Error error = fresh.error();
            if (error.file.empty())
                error.file = file;
            return error;
        }
        built = std::shared_ptr<const HardwareDesign>(std::move(fresh).value());
        std::lock_guard lock(mutex_);
        if (designs_.size() >= 16)
            designs_.clear();
        designs_[buildKey] = built;
    }
    const HardwareDesign& design = *built;
    result.design = design.describe();
    result.pipelined = design.pipelined();
    result.clockHz = design.clockHz();

    // Evaluate each distinct workload once; the cache keeps results across estimates.
    const std::string designKey = design.cacheKey();
    std::vector<std::string> keys(workloads.size());
    std::map<std::string, std::size_t> firstOf;
    std::vector<std::size_t> todo;
    {
        std::lock_guard lock(mutex_);
        for (std::size_t i = 0; i < workloads.size(); ++i) {
            // A layer-pipelined design has hardware per layer: identical shapes are not the same result.
            keys[i] = designKey + "#" + workloadKeys[i] + (design.pipelined() ? "#" + workloads[i].name : std::string());
            if (cache_.count(keys[i]) || firstOf.count(keys[i]))
                continue;
            firstOf[keys[i]] = i;
            todo.push_back(i);
        }
    }
    std::vector<std::optional<Result<LayerResult>>> fresh(todo.size());
    tbb::parallel_for(std::size_t{0}, todo.size(), [&](std::size_t k) { fresh[k] = design.evaluate(workloads[todo[k]], evaluate); });
    for (std::size_t k = 0; k < todo.size(); ++k)
        if (!fresh[k]->ok()) {
            Error error = fresh[k]->error();
            error.file = file;
            return error;
        }
    {
        std::lock_guard lock(mutex_);
        for (std::size_t k = 0; k < todo.size(); ++k)
            cache_[keys[todo[k]]] = fresh[k]->value();
        for (std::size_t i = 0; i < workloads.size(); ++i) {
            LayerResult r = cache_.at(keys[i]);
            r.name = workloads[i].name;
            r.layer = workloads[i].layer;
            r.kind = workloads[i].kind;
            result.layers.push_back(std::move(r));
        }
    }

    // Totals.
    std::set<std::string> seenWarnings;
    Dim slowest = 0;
    for (const auto& l : result.layers) {
        result.macs += l.macs;
        result.effectiveMacs += l.effectiveMacs;
        result.cycles += l.cycles;
        slowest = std::max(slowest, l.cycles);
        result.energyPj += l.energyPj;
        for (const auto& [component, pj] : l.energyBreakdownPj)
            addTo(result.energyBreakdownPj, component, pj);
        for (const auto& w : l.warnings)
            if (seenWarnings.insert(w).second)
                result.warnings.push_back(w);
    }
    if (result.pipelined)
        result.cycles = slowest;
    result.latencyS = static_cast<double>(result.cycles) / result.clockHz;
    result.intervalS = result.latencyS;
    result.staticPowerW = design.staticPowerW();
    if (result.staticPowerW > 0) {
        const double staticPj = result.staticPowerW * result.latencyS * 1e12;
        result.energyPj += staticPj;
        addTo(result.energyBreakdownPj, "static", staticPj);
    }
    result.powerW = result.latencyS > 0 ? result.energyPj * 1e-12 / result.latencyS : 0;
    result.opsPerS = result.latencyS > 0 ? 2.0 * static_cast<double>(result.macs) / result.latencyS : 0;
    result.effectiveOpsPerS = result.latencyS > 0 ? 2.0 * static_cast<double>(result.effectiveMacs) / result.latencyS : 0;
    result.peakOpsPerS = 2.0 * design.peakMacsPerCycle() * result.clockHz;
    result.utilization = result.cycles > 0 && design.peakMacsPerCycle() > 0
                             ? static_cast<double>(result.effectiveMacs) / (design.peakMacsPerCycle() * static_cast<double>(result.cycles))
                             : 0;
    result.topsPerW = result.energyPj > 0 ? 2.0 * static_cast<double>(result.macs) / result.energyPj : 0;
    if (result.fpga) {
        const FpgaDevice& device = *platform->device();
        FpgaUsage& usage = result.fpgaUsage;
        usage.device = device.name;
        usage.breakdown = design.fpgaResources();
        for (const auto& [name, r] : usage.breakdown)
            usage.used += r;
        usage.available = {static_cast<double>(device.lut), static_cast<double>(device.ff), static_cast<double>(device.dsp),
                           static_cast<double>(device.bram18) / 2.0, static_cast<double>(device.uram)};
        const FpgaUtilisationCaps& caps = platform->fpgaLibrary().caps;
        const std::pair<const char*, std::pair<double, std::pair<double, double>>> checks[] = {
            {"LUTs", {usage.used.lut, {usage.available.lut, caps.lut}}},
            {"flip-flops", {usage.used.ff, {usage.available.ff, caps.ff}}},
            {"DSP slices", {usage.used.dsp, {usage.available.dsp, caps.dsp}}},
            {"BRAM36 blocks", {usage.used.bram36, {usage.available.bram36, caps.bram}}},
            {"URAM blocks", {usage.used.uram, {usage.available.uram, caps.uram}}},
        };
        for (const auto& [what, numbers] : checks) {
            const double used = numbers.first, available = numbers.second.first, cap = numbers.second.second;
            char text[256];
            if (used > available + 1e-9) {
                std::snprintf(text, sizeof text, "the design does not fit the %s: it needs %.0f %s, the device has %.0f", device.name.c_str(),
                              used, what, available);
                return Error{ExitCode::BadInput, file, "/hardware", text};
            }
            if (used > cap * available + 1e-9) {
                std::snprintf(text, sizeof text, "%s: %.0f of %.0f %s (%.0f%%), above the %.0f%% that usually closes timing (FINN)",
                              device.name.c_str(), used, available, what, 100 * used / available, 100 * cap);
                result.warnings.push_back(text);
            }
        }
    } else {
        result.areaBreakdown = design.area();
        for (const auto& item : result.areaBreakdown)
            result.areaMm2 += item.mm2;
    }
    for (const auto& w : design.warnings())
        result.warnings.push_back(w);
    for (const auto& w : net.warnings())
        result.warnings.push_back("network: " + w);
    return result;
}

}  // namespace cdx
