#include "core/accuracy/measurementcache.h"

#include "core/util/fileio.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace cdx {

namespace {

// Bump when what a measurement computes changes, so that older files are not taken for new ones.
constexpr const char* kCacheVersion = "cdx-accuracy-cache 2";

std::uint64_t fnv1a(std::uint64_t hash, std::string_view bytes)
{
    for (const unsigned char c : bytes) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

double number(const nlohmann::json& j, const char* key)
{
    const auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::string accuracyCacheFolder()
{
    if (const char* env = std::getenv("CDX_ACCURACY_CACHE"); env && *env)
        return std::string_view(env) == "off" ? std::string() : std::string(env);
    const char* home = std::getenv("HOME");
    return (std::filesystem::path(home && *home ? home : ".") / ".cache" / "cdx-accuracy").string();
}

MeasuredAccuracy MeasuredAccuracy::of(const AccuracyReport& r)
{
    return {r.metric, r.samples, r.floatMetric, r.compressedMetric, r.dropPp, r.agreement, r.outputSqnrDb, r.accumulators};
}

std::map<std::string, int> MeasuredAccuracy::accumulatorProfile() const
{
    std::map<std::string, int> profile;
    for (const auto& a : accumulators)
        profile[a.layer] = a.bits;
    return profile;
}

MeasurementCache::MeasurementCache() : folder_(accuracyCacheFolder()) {}
MeasurementCache::MeasurementCache(std::string folder) : folder_(std::move(folder)) {}

std::optional<MeasuredAccuracy> MeasurementCache::find(const std::string& key) const
{
    if (folder_.empty())
        return std::nullopt;
    const auto path = std::filesystem::path(folder_) / (key + ".json");
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return std::nullopt;
    auto text = readTextFile(path.string());
    if (!text)
        return std::nullopt;
    const auto j = nlohmann::json::parse(text.value(), nullptr, false);
    if (!j.is_object() || j.value("version", std::string()) != kCacheVersion)
        return std::nullopt;  // damaged or older: measured again
    MeasuredAccuracy m;
    const std::string metric = j.value("metric", std::string());
    bool known = false;
    for (AccuracyMetric a : {AccuracyMetric::Top1, AccuracyMetric::Top5, AccuracyMetric::Agreement, AccuracyMetric::Sqnr})
        if (accuracyMetricName(a) == metric) {
            m.metric = a;
            known = true;
        }
    m.samples = j.value("samples", std::int64_t{0});
    m.floatMetric = number(j, "float");
    m.compressedMetric = number(j, "compressed");
    m.dropPp = number(j, "drop_pp");
    m.agreement = number(j, "agreement_pct");
    m.outputSqnrDb = j.contains("output_sqnr_db") && j["output_sqnr_db"].is_null() ? std::numeric_limits<double>::infinity()
                                                                                  : number(j, "output_sqnr_db");
    if (!known || m.samples <= 0 || std::isnan(m.dropPp))
        return std::nullopt;
    if (const auto a = j.find("accumulators"); a != j.end() && a->is_array())
        for (const auto& e : *a) {
            if (!e.is_object() || !e.contains("layer") || !e["layer"].is_string())
                return std::nullopt;
            AccumulatorNeed need;
            need.layer = e["layer"].get<std::string>();
            need.maxAbs = number(e, "max_abs");
            need.inputStep = number(e, "input_step");
            need.bits = e.value("bits", 0);
            if (std::isnan(need.maxAbs) || need.bits < 2 || need.bits > 64)
                return std::nullopt;
            m.accumulators.push_back(std::move(need));
        }
    return m;
}

void MeasurementCache::store(const std::string& key, const MeasuredAccuracy& m) const
{
    if (folder_.empty())
        return;
    std::error_code ec;
    std::filesystem::create_directories(folder_, ec);
    nlohmann::ordered_json j;
    j["version"] = kCacheVersion;
    j["metric"] = accuracyMetricName(m.metric);
    j["samples"] = m.samples;
    auto finite = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
    j["float"] = finite(m.floatMetric);
    j["compressed"] = finite(m.compressedMetric);
    j["drop_pp"] = m.dropPp;
    j["agreement_pct"] = m.agreement;
    j["output_sqnr_db"] = finite(m.outputSqnrDb);
    j["accumulators"] = nlohmann::ordered_json::array();
    for (const auto& a : m.accumulators)
        j["accumulators"].push_back({{"layer", a.layer}, {"max_abs", a.maxAbs}, {"bits", a.bits}, {"input_step", a.inputStep}});
    (void)writeFileAtomically((std::filesystem::path(folder_) / (key + ".json")).string(), j.dump(1) + "\n");
}

std::string measurementKey(const ProjectAccuracyInputs& inputs, const std::string& modelBytes, const CompressionPlan& plan,
                           std::int64_t samples)
{
    std::uint64_t h = fnv1a(14695981039346656037ull, kCacheVersion);
    h = fnv1a(h, modelBytes);
    const auto& layers = inputs.network->layers();
    for (std::size_t i = 0; i < layers.size(); ++i)
        h = fnv1a(h, plan.forLayer(layers[i], static_cast<Dim>(i)).key() + "\n");
    h = fnv1a(h, inputs.spec.dataset.toJson().dump());
    if (inputs.spec.calibrationDataset)
        h = fnv1a(h, inputs.spec.calibrationDataset->toJson().dump());
    h = fnv1a(h, inputs.spec.dataset.data + "|" + inputs.spec.dataset.labels);
    h = fnv1a(h, accuracyMetricName(inputs.spec.metric) + "|" + std::to_string(samples) + "|" + std::to_string(inputs.spec.calibration));
    for (const auto& [name, value] : inputs.spec.constantInputs)
        h = fnv1a(h, name + "=" + std::to_string(value));
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
}

Result<MeasuredAccuracy> measureProjectAccuracyCached(const Project& project, const AccuracyOptions& options, bool* cached)
{
    auto in = projectAccuracyInputs(project);
    if (!in)
        return in.error();
    auto bytes = readTextFile(in->modelPath);
    if (!bytes)
        return bytes.error();
    const std::int64_t samples = options.samples > 0 ? options.samples : in->spec.samples;
    const std::string key = measurementKey(in.value(), bytes.value(), in->plan, samples);
    const MeasurementCache cache;
    if (auto found = cache.find(key)) {
        if (cached)
            *cached = true;
        return *found;
    }
    if (cached)
        *cached = false;
    auto report = measureAccuracy(*in->network, in->modelPath, in->plan, in->spec, options);
    if (!report)
        return report.error();
    const MeasuredAccuracy m = MeasuredAccuracy::of(report.value());
    cache.store(key, m);
    return m;
}

}  // namespace cdx
