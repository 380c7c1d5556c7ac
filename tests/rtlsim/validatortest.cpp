// cdx validate's engine on shipped projects: every MAC layer's tile is bit-exact and its RTL
// cycles match the PE-level prediction.
#include "rtlsim/validator.h"

#include <catch2/catch.hpp>

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

TEST_CASE("validate: a bit-serial seed design runs on the bit-serial PE, exact, one bit per cycle", "[rtlsim]")
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

TEST_CASE("validate: the sparse seed design skips zero weights on the RTL PE", "[rtlsim]")
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
