#include "core/accuracy/accuracyspec.h"

#include "core/util/jsonreader.h"

namespace cdx {

std::string accuracyMetricName(AccuracyMetric metric)
{
    switch (metric) {
    case AccuracyMetric::Top1: return "top1";
    case AccuracyMetric::Top5: return "top5";
    case AccuracyMetric::Agreement: return "agreement";
    case AccuracyMetric::Sqnr: return "sqnr";
    }
    return "top1";
}

Result<AccuracySpec> AccuracySpec::fromJson(const nlohmann::ordered_json& block, const std::string& file)
{
    const nlohmann::json plain = block;
    try {
        AccuracySpec spec;
        spec.file = file;
        JsonObject o(plain, "/accuracy");
        o.required("dataset").asObject();
        auto dataset = DatasetSpec::fromJson(block.at("dataset"), file, "/accuracy/dataset");
        if (!dataset)
            return dataset.error();
        spec.dataset = std::move(dataset).value();
        if (o.has("calibration_dataset")) {
            o.required("calibration_dataset").asObject();
            auto calibration = DatasetSpec::fromJson(block.at("calibration_dataset"), file, "/accuracy/calibration_dataset");
            if (!calibration)
                return calibration.error();
            spec.calibrationDataset = std::move(calibration).value();
        }
        if (const auto metric = o.optional("metric")) {
            const std::string name = metric->asString();
            bool known = false;
            for (AccuracyMetric m : {AccuracyMetric::Top1, AccuracyMetric::Top5, AccuracyMetric::Agreement, AccuracyMetric::Sqnr})
                if (accuracyMetricName(m) == name) {
                    spec.metric = m;
                    known = true;
                }
            if (!known)
                metric->fail("unknown metric \"" + name + "\" (top1, top5, agreement, sqnr)");
        }
        spec.samples = o.optionalInt("samples", spec.samples, 1, 100'000'000);
        spec.calibration = o.optionalInt("calibration", spec.calibration, 1, 100'000'000);
        if (const auto inputs = o.optional("inputs")) {
            JsonObject in = inputs->asObject();
            for (const auto& [name, value] : plain.at("inputs").items()) {
                (void)value;
                spec.constantInputs.emplace_back(name, in.required(name).asNumber());
            }
        }
        o.rejectUnknownKeys();
        if (spec.dataset.labels.empty() && (spec.metric == AccuracyMetric::Top1 || spec.metric == AccuracyMetric::Top5))
            JsonValue(plain.at("dataset"), "/accuracy/dataset")
                .fail("the metric " + accuracyMetricName(spec.metric) +
                      " needs labels; give \"labels\" or choose the metric \"agreement\" or \"sqnr\"");
        return spec;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

}  // namespace cdx
