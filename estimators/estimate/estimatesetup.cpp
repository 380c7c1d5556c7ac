// Reading a project's blocks for an estimate: Estimator::setUp and the technology tables it
// keeps (estimatesetup.h).
#include "estimators/estimate/estimatesetup.h"

#include "core/util/jsonreader.h"
#include "estimators/templates/templateinfo.h"

#include <mutex>
#include <string>
#include <vector>

namespace cdx {

namespace {

/// The named preset of a template, or an error listing its presets.
Result<const PresetSpec*> findPreset(const AcceleratorTemplate& tmpl, const std::string& name, const std::string& file)
{
    if (name.empty())
        return static_cast<const PresetSpec*>(nullptr);
    if (const PresetSpec* preset = tmpl.info().preset(name))
        return preset;
    std::vector<std::string> names;
    std::string list;
    for (const auto& p : tmpl.info().presets) {
        names.push_back(p.name);
        list += (list.empty() ? "" : ", ") + p.name;
    }
    std::string message = "template " + tmpl.info().name + " has no preset \"" + name + "\"";
    if (const auto guess = closestMatch(name, names))
        message += " (did you mean \"" + *guess + "\"?)";
    return Error{ExitCode::BadInput, file, "/hardware/preset", message + (list.empty() ? "; it has none" : "; its presets: " + list)};
}

/// The tech block: only "overrides" (the technology tables' changes) is known.
Result<nlohmann::json> techOverrides(const Project& project)
{
    for (auto it = project.tech.begin(); it != project.tech.end(); ++it)
        if (it.key() != "overrides")
            return Error{ExitCode::BadInput, project.filePath, "/tech/" + it.key(),
                         "unknown key \"" + it.key() + "\" (the tech block holds \"overrides\")"};
    return project.tech.contains("overrides") ? nlohmann::json(project.tech.at("overrides")) : nlohmann::json();
}

}  // namespace

Result<Estimator::Setup> Estimator::setUp(const Project& project, const EstimateOptions& options)
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
    auto preset = findPreset(tmpl, hardware->preset, file);
    if (!preset)
        return preset.error();
    auto plan = CompressionPlan::fromJson(project.compression, file);
    if (!plan)
        return plan.error();
    plan->accumulatorProfile = options.accumulatorProfile;
    // A measured accumulator width ("bits": "auto" on the plan's default) replaces the preset's
    // fixed one: the user asked for the width the data needs. A width the project's hardware
    // block gives stays.
    nlohmann::ordered_json hardwareParams = hardware->params;
    if (const LayerCompression d = plan->forLayer(Layer{}, -1);
        d.accumulatorAuto && d.accumulatorBits > 0 && tmpl.info().param("accumulator_bits") && !hardwareParams.contains("accumulator_bits"))
        hardwareParams["accumulator_bits"] = d.accumulatorBits;
    auto params = TemplateParams::resolve(tmpl.info(), preset.value(), hardwareParams, file);
    if (!params)
        return params.error();

    nlohmann::ordered_json platformJson = effectivePlatform(preset.value(), project.platform);
    if (platformJson.empty())
        return Error{ExitCode::BadInput, file, "/platform", "the project names no platform and its hardware has no preset that does"};
    auto platformSpec = PlatformSpec::fromJson(platformJson, file);
    if (!platformSpec)
        return platformSpec.error();
    auto overrides = techOverrides(project);
    if (!overrides)
        return overrides.error();
    auto libraries = technology(overrides.value(), file);
    if (!libraries)
        return libraries.error();
    auto platform = Platform::create(platformSpec.value(), libraries->first, libraries->second);
    if (!platform) {
        Error error = platform.error();
        error.file = file;
        return error;
    }
    return Setup{std::move(hardware.value()), &tmpl,           std::move(plan.value()),    std::move(params.value()),
                 std::move(platformJson),     std::move(overrides.value()), std::move(platform.value())};
}

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
    std::size_t n = 0;
    for (const auto& [design, results] : cache_)
        n += results.size();
    return n;
}

void Estimator::clearCache()
{
    std::lock_guard lock(mutex_);
    cache_.clear();
    designs_.clear();
    compression_.clear();
}

}  // namespace cdx
