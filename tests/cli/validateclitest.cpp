// Black-box tests of `cdx validate`: the RTL check of shipped design points, its report, and
// its exit codes (2 bad input, 3 a check that does not hold).
#include "clijson.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>

using cdx::test::runCdx;
using cdx::test::runJson;

namespace {

const std::string kProjects = std::string(CDX_PROJECTS_DIR) + "/";

void checkPassed(const nlohmann::json& j)
{
    CHECK(j["passed"] == true);
    CHECK(j["validated"].get<int>() > 0);
    CHECK(j["failed"] == 0);
    for (const auto& l : j["layers"]) {
        INFO(l["workload"].get<std::string>());
        if (l["status"] == "skipped")
            continue;
        CHECK(l["status"] == "passed");
        CHECK(l["outputs"]["mismatches"] == 0);
        CHECK(std::abs(l["cycles"]["error_pct"].get<double>()) <= 2.0);
        CHECK(l["cycles"]["rtl"].get<long long>() > 0);
        CHECK(l["activity"]["counters_match_golden"] == true);
        CHECK(l["activity"]["toggle_rate"].get<double>() > 0);
        CHECK(l["activity"]["toggle_rate"].get<double>() < 1);
    }
}

}  // namespace

TEST_CASE("cdx validate passes on the default project", "[cli][validate]")
{
    const auto j = runJson({"validate", kProjects + "default.json", "--json"});
    checkPassed(j);
    CHECK(j["template"] == "eyeriss");
    // Every MAC layer of ResNet-18 (20 convolutions and the classifier) ran.
    CHECK(j["validated"] == 21);
}

TEST_CASE("cdx validate passes on published designs' projects: sparse (ESE), bit-serial (FPAP), layer pipeline (DNNU)", "[cli][validate]")
{
    for (const char* name : {"descartes_ese_lstm.json", "fpap_vgg16.json", "dnnu_lenet300100.json"}) {
        INFO(name);
        const auto r = runCdx({"validate", kProjects + name, "--json", "--outputs", "8"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
        checkPassed(nlohmann::json::parse(r.out));
    }
}

TEST_CASE("cdx validate --layer checks one layer and prints a table", "[cli][validate]")
{
    const auto r = runCdx({"validate", kProjects + "default.json", "--layer", "conv1"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.find("conv1") != std::string::npos);
    CHECK(r.out.find("1 validated, 0 failed") != std::string::npos);
    CHECK(r.out.find("PASSED") != std::string::npos);
}

TEST_CASE("cdx validate writes a VCD trace of one layer", "[cli][validate]")
{
    const auto path = std::filesystem::temp_directory_path() / "cdx-validate-test.vcd";
    std::filesystem::remove(path);
    const auto r = runCdx({"validate", kProjects + "default.json", "--layer", "fc", "--outputs", "4", "--vcd", path.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(std::filesystem::file_size(path) > 1000);
    std::filesystem::remove(path);
    // A trace of many layers is refused.
    const auto many = runCdx({"validate", kProjects + "default.json", "--vcd", path.string()});
    CHECK(many.exitCode == 2);
    CHECK(many.err.find("--layer") != std::string::npos);
}

TEST_CASE("cdx validate: results held by the consumer keep the outputs exact", "[cli][validate]")
{
    const auto j = runJson({"validate", kProjects + "default.json", "--layer", "layer1.0.conv1", "--backpressure", "0.5", "--json"});
    CHECK(j["passed"] == true);
    CHECK(j["layers"][0]["outputs"]["mismatches"] == 0);
}

TEST_CASE("cdx validate exit codes", "[cli][validate]")
{
    SECTION("an unknown layer is bad input")
    {
        const auto r = runCdx({"validate", kProjects + "default.json", "--layer", "no_such_layer"});
        CHECK(r.exitCode == 2);
        CHECK(r.err.find("no_such_layer") != std::string::npos);
        CHECK(r.err.find("default.json") != std::string::npos);
    }
    SECTION("a missing project is bad input")
    {
        const auto r = runCdx({"validate", kProjects + "missing.json"});
        CHECK(r.exitCode == 2);
    }
    SECTION("a design without MAC PEs has nothing to validate: the check fails")
    {
        const auto r = runCdx({"validate", kProjects + "circnn_alexnet.json"});
        CHECK(r.exitCode == 3);
        CHECK(r.err.find("no workload could be validated") != std::string::npos);
    }
    SECTION("the estimator's layer cycles, which include memory stalls, held to 0.001%")
    {
        const auto r = runCdx({"validate", kProjects + "default.json", "--layer", "conv1", "--max-layer-error", "0.001", "--json"});
        CHECK(r.exitCode == 3);
        const auto j = nlohmann::json::parse(r.out);
        CHECK(j["passed"] == false);
        CHECK(j["layers"][0]["outputs"]["mismatches"] == 0);
    }
}
