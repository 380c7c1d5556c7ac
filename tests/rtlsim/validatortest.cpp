// cdx validate's engine on shipped projects: every MAC layer's tile is bit-exact and its RTL
// cycles match the PE-level prediction.
#include "rtlsim/validator.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace cdx;

namespace {

ValidationReport validate(const std::string& name, ValidationOptions options = {})
{
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/" + name);
    REQUIRE(project.ok());
    auto network = loadProjectNetwork(project.value());
    REQUIRE(network.ok());
    auto report = validateProject(project.value(), network.value(), options);
    if (!report.ok())
        FAIL(report.error().describe());
    return report.value();
}

}  // namespace

TEST_CASE("validate: the default project passes", "[rtlsim]")
{
    const ValidationReport r = validate("default.json");
    CHECK(r.validated > 0);
    for (const LayerValidation& v : r.layers) {
        INFO(v.workload << ": " << v.skipped << v.firstMismatch);
        if (!v.skipped.empty())
            continue;
        CHECK(v.mismatches == 0);
        CHECK(v.countersMatch);
        CHECK(std::abs(v.cycleErrorPct) <= 2.0);
        CHECK(v.passed);
    }
    CHECK(r.passed());
}

TEST_CASE("validate: a published bit-serial design runs on the bit-serial PE, exact, one bit per cycle", "[rtlsim]")
{
    ValidationOptions options;
    options.layer = "conv1_1";
    const ValidationReport r = validate("fpap_vgg16.json", options);
    REQUIRE(r.layers.size() == 1);
    const LayerValidation& v = r.layers.front();
    CHECK(v.pe.mode == PeMode::BitSerial);
    CHECK(v.pe.serialBits == 1);
    CHECK(v.mismatches == 0);
    CHECK(v.rtlCycles == v.predictedCycles);
    // Every one of the 16 weight bits takes a cycle: the tile's products times 16, plus the pipeline.
    CHECK(v.rtlCycles == v.products * 16 + kPePipelineDepth);
    CHECK(r.passed());
}

TEST_CASE("validate: the published sparse design skips zero weights on the RTL PE", "[rtlsim]")
{
    const ValidationReport r = validate("descartes_ese_lstm.json");
    REQUIRE(r.validated > 0);
    for (const LayerValidation& v : r.layers) {
        INFO(v.workload);
        CHECK(v.pe.mode == PeMode::Sparse);
        CHECK(v.products < v.outputs * v.reduction);  // only the non-zeros stream
        CHECK(v.mismatches == 0);
        CHECK(v.rtlCycles == v.predictedCycles);
    }
    CHECK(r.passed());
}

TEST_CASE("validate: a layer that is not there is an error naming it", "[rtlsim]")
{
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/default.json");
    REQUIRE(project.ok());
    auto network = loadProjectNetwork(project.value());
    REQUIRE(network.ok());
    ValidationOptions options;
    options.layer = "nope";
    auto report = validateProject(project.value(), network.value(), options);
    REQUIRE_FALSE(report.ok());
    CHECK(report.error().code == ExitCode::BadInput);
    CHECK_THAT(report.error().message, Catch::Contains("nope"));
}

TEST_CASE("validate: cancelling stops before every layer ran", "[rtlsim]")
{
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/default.json");
    REQUIRE(project.ok());
    auto network = loadProjectNetwork(project.value());
    REQUIRE(network.ok());
    std::atomic<bool> cancel{true};
    ValidationOptions options;
    options.cancel = &cancel;
    auto report = validateProject(project.value(), network.value(), options);
    REQUIRE(report.ok());
    CHECK(report->cancelled);
    CHECK_FALSE(report->passed());
}

namespace {

/// MobileNetV1 (the zoo's, int8) on a template: depthwise 3 x 3 convolutions beside 1 x 1 ones.
Project mobilenetProject(const std::string& hardware, const std::string& platform)
{
    const std::string text = R"({"format": "cdx-project", "version": 1, "name": "MobileNetV1, int8",
 "network": {"zoo": "mobilenet_v1", "batch": 1},
 "compression": {"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8, "format": "int"}}, "layers": []},
 "hardware": )" + hardware + R"(, "platform": )" + platform + R"(})";
    auto project = readProjectJson(text, "mobilenet.json");
    REQUIRE(project.ok());
    return project.value();
}

/// One layer's check, bit-exact and within 2% of the PE-level prediction.
LayerValidation validateLayer(const Project& project, const std::string& layer, double maxLayerErrorPct = -1)
{
    auto network = loadProjectNetwork(project);
    REQUIRE(network.ok());
    ValidationOptions options;
    options.layer = layer;
    options.maxLayerErrorPct = maxLayerErrorPct;
    auto report = validateProject(project, network.value(), options);
    if (!report.ok())
        FAIL(report.error().describe());
    REQUIRE(report->layers.size() == 1);
    const LayerValidation v = report->layers.front();
    INFO(layer << ": RTL " << v.rtlCycles << ", layer est. " << v.layerTileCycles << " (" << v.layerErrorPct << "%): " << v.cycleNote);
    REQUIRE(v.skipped.empty());
    CHECK(v.mismatches == 0);
    CHECK(std::abs(v.cycleErrorPct) <= 2.0);
    REQUIRE(v.layerTileCycles > 0);
    CHECK(v.passed);
    CHECK(report->passed());
    return v;
}

double errorPct(const LayerValidation& v, double expected)
{
    return 100.0 * (static_cast<double>(v.rtlCycles) - expected) / expected;
}

}  // namespace

TEST_CASE("validate: a depthwise convolution's layer cycles agree with the RTL per busy PE", "[rtlsim]")
{
    SECTION("weight-stationary systolic array at 16 nm")
    {
        const Project project = mobilenetProject(R"({"template": "systolic", "params": {}})",
                                                 R"({"kind": "asic", "node_nm": 16, "vdd": 0.8, "clock_mhz": 1000, "dram": "lpddr4"})");
        for (const char* layer : {"conv_dw_2", "conv_dw_13"}) {
            // --max-layer-error 2: the estimator's layer cycles, per PE that does the work, are the RTL's.
            const LayerValidation v = validateLayer(project, layer, 2.0);
            INFO(layer << ": " << v.cycleNote);
            CHECK(std::abs(v.layerErrorPct) <= 2.0);
            // C = M = 1 in each group: the mapping fills R x S = 9 of the array's 256 PEs; spread
            // over all 256 the layer's cycles would be 28 times fewer than a PE needs.
            CHECK(v.busyPes == 9);
            CHECK(v.pe.instances == 256);
            CHECK(errorPct(v, v.layerTileCyclesAllPes) < -90);
            CHECK_THAT(v.cycleNote, Catch::Contains("9 of the 256 PEs busy") && Catch::Contains("depthwise"));
        }
        const LayerValidation pointwise = validateLayer(project, "conv_pw_2", 2.0);
        CHECK(std::abs(pointwise.layerErrorPct) <= 2.0);
        CHECK(pointwise.busyPes == 256);
        CHECK(pointwise.cycleNote.empty());
    }
    SECTION("Eyeriss v1, row-stationary: groups side by side, the global buffer's stalls in the note")
    {
        const Project project = mobilenetProject(R"({"template": "eyeriss", "preset": "eyeriss_v1", "params": {}})",
                                                 R"({"kind": "asic", "node_nm": 65, "vdd": 1.0, "clock_mhz": 200, "dram": "lpddr4"})");
        for (const char* layer : {"conv_dw_2", "conv_dw_13", "conv_pw_2"}) {
            const LayerValidation v = validateLayer(project, layer);
            INFO(layer << ": " << v.cycleNote);
            CHECK(v.busyPes < v.pe.instances);
            CHECK(v.layerTileComputeCycles <= v.layerTileCycles);
            // Without the stalls of the memory levels, the estimate per busy PE is the RTL's.
            CHECK(std::abs(errorPct(v, v.layerTileComputeCycles)) <= 2.0);
            CHECK_THAT(v.cycleNote, Catch::Contains("PEs busy"));
            if (v.layerTileComputeCycles < v.layerTileCycles)
                CHECK_THAT(v.cycleNote, Catch::Contains("bound by"));
        }
    }
}
