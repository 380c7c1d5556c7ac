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

}  // namespace cdx
