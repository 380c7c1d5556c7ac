#include "core/accuracy/projectaccuracy.h"

#include <cmath>
#include <filesystem>

namespace cdx {

Result<std::string> projectModelPath(const Project& project)
{
    if (project.network.source != NetworkReference::Source::Onnx)
        return Error{ExitCode::BadInput, project.filePath, "/network",
                     "measuring accuracy needs a trained network: an ONNX model with its weights (\"onnx\": PATH), not a zoo "
                     "or JSON network"};
    return (std::filesystem::path(project.filePath).parent_path() / project.network.value).string();
}

Result<ProjectAccuracyInputs> projectAccuracyInputs(const Project& project)
{
    if (project.accuracy.empty())
        return Error{ExitCode::BadInput, project.filePath, "/accuracy",
                     "the project has no \"accuracy\" block naming the data to measure on, e.g. \"accuracy\": {\"dataset\": "
                     "{\"format\": \"idx\", \"data\": \"images.idx\", \"labels\": \"labels.idx\"}, \"metric\": \"top1\"}"};
    auto model = projectModelPath(project);
    if (!model)
        return model.error();
    auto spec = AccuracySpec::fromJson(project.accuracy, project.filePath);
    if (!spec)
        return spec.error();
    auto network = loadProjectNetwork(project);
    if (!network)
        return network.error();
    auto plan = CompressionPlan::fromJson(project.compression, project.filePath);
    if (!plan)
        return plan.error();
    if (auto checked = plan->check(network.value()); !checked)
        return checked.error();
    return ProjectAccuracyInputs{std::make_shared<const Network>(std::move(network).value()), std::move(plan).value(),
                                 std::move(spec).value(), std::move(model).value()};
}

Result<AccuracyReport> measureProjectAccuracy(const Project& project, const AccuracyOptions& options)
{
    auto in = projectAccuracyInputs(project);
    if (!in)
        return in.error();
    return measureAccuracy(*in->network, in->modelPath, in->plan, in->spec, options);
}

namespace {

/// JSON has no infinity: an exact tensor's SQNR is written as null.
nlohmann::ordered_json decibelsJson(double db)
{
    return std::isfinite(db) ? nlohmann::ordered_json(db) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json accuracyReportJson(const AccuracyReport& r)
{
    nlohmann::ordered_json j;
    j["format"] = "cdx-accuracy";
    j["version"] = 1;
    j["model"] = r.model;
    j["dataset"] = r.dataset;
    j["runtime"] = r.runtime;
    j["metric"] = accuracyMetricName(r.metric);
    j["samples"] = r.samples;
    j["calibration_samples"] = r.calibrationSamples;
    j["calibration_rule"] = "min-max";
    j["float"] = r.floatMetric;
    j["compressed"] = r.compressedMetric;
    j["drop_pp"] = r.dropPp;
    if (r.labelled) {
        j["top1_float_pct"] = r.floatTop1;
        j["top1_compressed_pct"] = r.compressedTop1;
        j["top5_float_pct"] = r.floatTop5;
        j["top5_compressed_pct"] = r.compressedTop5;
    }
    j["agreement_pct"] = r.agreement;
    j["output_sqnr_db"] = decibelsJson(r.outputSqnrDb);
    j["replaced_weight_tensors"] = r.replacedTensors;
    auto layers = nlohmann::ordered_json::array();
    for (const auto& l : r.layers) {
        nlohmann::ordered_json e;
        e["layer"] = l.layer;
        e["tensor"] = l.tensor;
        e["sqnr_db"] = decibelsJson(l.sqnrDb);
        e["calibrated_min"] = l.calibratedMin;
        e["calibrated_max"] = l.calibratedMax;
        e["quantizer"] = l.quantizer;
        layers.push_back(e);
    }
    j["layers"] = layers;
    j["layer_sqnr_samples"] = r.layerSqnrSamples;
    if (!r.accumulators.empty()) {
        auto accumulators = nlohmann::ordered_json::array();
        for (const auto& a : r.accumulators)
            accumulators.push_back({{"layer", a.layer},
                                    {"max_abs_codes", a.maxAbs},
                                    {"bits_needed", a.bits},
                                    {"margin_bits", a.marginBits},
                                    {"bits", std::min(64, a.bits + a.marginBits)},
                                    {"exact_bits", a.exactBits},
                                    {"input_step", a.inputStep}});
        j["accumulators"] = accumulators;
    }
    j["seconds"] = r.seconds;
    return j;
}

}  // namespace cdx
