#include "estimators/estimate/measuredaccuracy.h"

#include "core/accuracy/measurementcache.h"

namespace cdx {

std::optional<std::string> applyMeasuredAccuracy(const Project& project, NetworkResult& result)
{
    if (project.accuracy.empty())
        return std::nullopt;
    auto measured = measureProjectAccuracyCached(project, {});
    if (!measured)
        return "accuracy not measured (" + measured.error().describe() + "); it stays the " + result.accuracySource + "'s";
    result.accuracyDropPp = measured->dropPp;
    result.accuracySource = "measured";
    result.accuracyMetric = accuracyMetricName(measured->metric);
    result.accuracySamples = measured->samples;
    result.accuracyFloat = measured->floatMetric;
    return std::nullopt;
}

std::map<std::string, int> measuredAccumulatorProfile(const Project& project, std::optional<std::string>& why)
{
    if (project.accuracy.empty())
        return {};
    auto plan = CompressionPlan::fromJson(project.compression, project.filePath);
    if (!plan)
        return {};  // the estimate reports the plan's error
    bool automatic = plan->defaults.accumulatorAuto.value_or(false);
    for (const auto& rule : plan->rules)
        automatic = automatic || rule.setting.accumulatorAuto.value_or(false);
    if (!automatic)
        return {};
    auto measured = measureProjectAccuracyCached(project, {});
    if (!measured) {
        why = "accumulators not profiled (" + measured.error().describe() + "); \"auto\" takes the template's width";
        return {};
    }
    return measured->accumulatorProfile();
}

}  // namespace cdx
