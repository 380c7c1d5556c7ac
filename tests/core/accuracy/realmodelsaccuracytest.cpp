// The four fetched real models (BlazeFace, Silero VAD, PP-OCRv4 recognition, openWakeWord) measured in
// ONNX Runtime on real inputs through the shipped projects/*_accuracy.json (data: projects/data/ and,
// for the VAD, alsa-utils' recordings that scripts/fetch-deps.sh fetches): per-channel int8 weights
// must give a higher output SQNR than per-tensor int8, and the unlabelled measurement reports
// agreement, output SQNR and every quantised layer's SQNR.
#include "core/accuracy/accuracyrunner.h"
#include "core/accuracy/projectaccuracy.h"
#include "core/project/project.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

struct Measured {
    AccuracyReport channel;  ///< the project's plan: int8 per-channel weights, int8 activations
    AccuracyReport tensor;   ///< the same with per-tensor weights
};

/// The project's plan with every int weight setting of the default given `granularity`.
CompressionPlan withGranularity(const Project& project, const char* granularity)
{
    ordered_json block = project.compression;
    block["default"]["weights"]["granularity"] = granularity;
    auto plan = CompressionPlan::fromJson(block, project.filePath);
    INFO((plan.ok() ? std::string() : plan.error().describe()));
    REQUIRE(plan.ok());
    return std::move(plan).value();
}

Measured measureProject(const std::string& name)
{
    INFO("scripts/fetch-models.sh and scripts/fetch-deps.sh fetch the models, ONNX Runtime and the recordings");
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/" + name);
    INFO((project.ok() ? std::string() : project.error().describe()));
    REQUIRE(project.ok());
    auto in = projectAccuracyInputs(project.value());
    INFO((in.ok() ? std::string() : in.error().describe()));
    REQUIRE(in.ok());
    auto session = AccuracySession::open(*in->network, in->modelPath, in->spec, {});
    INFO((session.ok() ? std::string() : session.error().describe()));
    REQUIRE(session.ok());
    Measured m;
    for (auto [granularity, report] : {std::pair{"channel", &m.channel}, std::pair{"tensor", &m.tensor}}) {
        auto r = session.value()->measure(withGranularity(project.value(), granularity), true);
        INFO((r.ok() ? std::string() : r.error().describe()));
        REQUIRE(r.ok());
        *report = std::move(r).value();
    }
    UNSCOPED_INFO(name << ": output SQNR per channel " << m.channel.outputSqnrDb << " dB, per tensor "
                       << m.tensor.outputSqnrDb << " dB; agreement " << m.channel.agreement << " % / " << m.tensor.agreement << " %");
    return m;
}

/// What an unlabelled measurement reports, checked against the report itself and its JSON.
void checkReported(const AccuracyReport& r, AccuracyMetric metric, std::int64_t samples, std::int64_t calibration)
{
    CHECK_FALSE(r.labelled);
    CHECK(r.metric == metric);
    CHECK(r.samples == samples);
    CHECK(r.calibrationSamples == calibration);
    CHECK(r.replacedTensors > 0);
    CHECK(std::isfinite(r.outputSqnrDb));
    CHECK(r.agreement >= 0);
    CHECK(r.agreement <= 100);
    CHECK(r.compressedMetric == (metric == AccuracyMetric::Agreement ? r.agreement : r.outputSqnrDb));
    REQUIRE_FALSE(r.layers.empty());
    for (const auto& layer : r.layers) {
        INFO(layer.layer << " " << layer.tensor);
        // A quantised layer whose output matches the float network exactly would be infinite.
        CHECK(std::isfinite(layer.sqnrDb));
        CHECK(layer.calibratedMin <= layer.calibratedMax);
    }
    const ordered_json j = accuracyReportJson(r);
    CHECK(j.at("agreement_pct").get<double>() == r.agreement);
    CHECK(j.at("output_sqnr_db").get<double>() == r.outputSqnrDb);
    CHECK(j.at("layers").size() == r.layers.size());
}

}  // namespace

TEST_CASE("BlazeFace on 16 real faces: per-channel int8 weights beat per tensor in output SQNR and agreement and SQNR are reported",
          "[accuracy][models]")
{
    const Measured m = measureProject("blazeface_accuracy.json");
    // The metric is the output SQNR: the first output scores 512 anchors, and which of two
    // neighbouring anchors is strongest is not a class a detector gets right or wrong.
    checkReported(m.channel, AccuracyMetric::Sqnr, 16, 6);
    CHECK(m.channel.outputSqnrDb > m.tensor.outputSqnrDb);
    // The strongest of the 512 anchors of each face is the float network's for most faces.
    CHECK(m.channel.agreement >= 50);
}

// Silero computes on its int64 sample rate in layers of its own: the runner leaves tensors that
// are not float alone (ONNX Runtime would refuse a model that declares them float outputs).
TEST_CASE("Silero VAD on real speech resampled to 16 kHz: per-channel int8 weights beat per tensor in output SQNR",
          "[accuracy][models]")
{
    const Measured m = measureProject("silero_vad_accuracy.json");
    // Nine recordings of about 1.43 s at 48 kHz give 39 or 40 windows of 576 samples each at 16 kHz.
    CHECK(m.channel.samples + m.channel.calibrationSamples >= 9 * 39);
    CHECK(m.channel.samples + m.channel.calibrationSamples <= 9 * 40);
    checkReported(m.channel, AccuracyMetric::Sqnr, m.channel.samples, 60);
    CHECK(m.channel.outputSqnrDb > m.tensor.outputSqnrDb);
}

TEST_CASE("PP-OCRv4 recognition on 10 real text lines: per-channel int8 weights beat per tensor in output SQNR",
          "[accuracy][models]")
{
    const Measured m = measureProject("ppocrv4_rec_accuracy.json");
    checkReported(m.channel, AccuracyMetric::Sqnr, 10, 4);
    CHECK(m.channel.outputSqnrDb > m.tensor.outputSqnrDb);
}

TEST_CASE("openWakeWord hello_deepa on real speech features: per-channel int8 weights beat per tensor in output SQNR",
          "[accuracy][models]")
{
    const Measured m = measureProject("oww_hello_deepa_accuracy.json");
    checkReported(m.channel, AccuracyMetric::Sqnr, 20, 6);
    CHECK(m.channel.outputSqnrDb > m.tensor.outputSqnrDb);
}
