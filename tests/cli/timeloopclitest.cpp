// Black-box tests of `cdx timeloop`: the reference cases through the executable, its JSON
// result, our own technology model, and malformed Timeloop input.
#include "clijson.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

using cdx::test::runCdx;
using cdx::test::runJson;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop/";

}  // namespace

TEST_CASE("cdx timeloop prints Timeloop's statistics for a case", "[cli][timeloop]")
{
    const auto text = runCdx({"timeloop", kCases + "eyeriss_like"});
    INFO(text.err);
    REQUIRE(text.exitCode == 0);
    // Timeloop's stats for this case: 86,016 cycles, 75% utilization, 5469.65 fJ per compute.
    CHECK_THAT(text.out, Catch::Contains("86,016") && Catch::Contains("75.00 %") && Catch::Contains("5469.65 fJ") &&
                             Catch::Contains("157,296") && Catch::Contains("weights_spad"));
}

TEST_CASE("cdx timeloop --json follows the result conventions", "[cli][timeloop]")
{
    const auto j = runJson({"timeloop", kCases + "eyeriss_like", "--json"});
    CHECK(j["format"] == "cdx-result");
    CHECK(j["source"]["energy_tables"] == "ERT");
    const auto& totals = j["totals"];
    CHECK(totals["cycles"] == 86016);
    CHECK(totals["macs"] == 10838016);
    CHECK(totals["energy_pj"].get<double>() / totals["macs"].get<double>() == Approx(5.46965).epsilon(1e-5));
    CHECK(totals["utilization"].get<double>() == Approx(0.75));
    CHECK(totals["latency_s"].get<double>() == Approx(86016e-9));
    double breakdown = 0;
    for (const auto& [component, pj] : totals["energy_breakdown_pj"].items())
        breakdown += pj.get<double>();
    CHECK(breakdown == Approx(totals["energy_pj"].get<double>()));
    REQUIRE(j["layers"].size() == 1);
    const auto& accesses = j["layers"][0]["accesses"];
    CHECK(accesses["shared_glb"]["Inputs"]["fills"] == 157296);
    CHECK(accesses["DRAM"]["Outputs"]["updates"] == 401408);
    // Per-instance counts in Timeloop's terms: 126 utilized weights_spad instances read 86,016 each.
    bool found = false;
    for (const auto& level : j["levels"])
        if (level["name"] == "weights_spad") {
            found = true;
            CHECK(level["data_spaces"]["Weights"]["reads_per_instance"] == 86016);
            CHECK(level["data_spaces"]["Weights"]["utilized_instances"] == 126);
            CHECK(accesses["weights_spad"]["Weights"]["reads"] == 86016 * 126);
        }
    CHECK(found);
}

TEST_CASE("cdx timeloop --halo master applies Timeloop master's sliding-window rule", "[cli][timeloop]")
{
    const auto reference = runJson({"timeloop", kCases + "simple_output_stationary", "--json"});
    const auto master = runJson({"timeloop", kCases + "simple_output_stationary", "--json", "--halo", "master"});
    CHECK(reference["layers"][0]["accesses"]["shared_glb"]["Inputs"]["fills"] == 157296);
    CHECK(master["layers"][0]["accesses"]["shared_glb"]["Inputs"]["fills"] == 152550);
    const auto noLeak = runJson({"timeloop", kCases + "simple_output_stationary", "--json", "--no-leakage"});
    CHECK(noLeak["totals"]["energy_pj"].get<double>() < reference["totals"]["energy_pj"].get<double>());
}

TEST_CASE("cdx timeloop --own-tech costs every component with our technology model", "[cli][timeloop][tech]")
{
    for (const char* name : {"simple_weight_stationary", "simple_output_stationary", "eyeriss_like"}) {
        DYNAMIC_SECTION(name)
        {
            const auto ert = runJson({"timeloop", kCases + name, "--json"});
            const auto own = runJson({"timeloop", kCases + name, "--json", "--own-tech"});
            CHECK(own["source"]["energy_tables"] == "technology model");
            // The counts do not depend on the energy tables.
            CHECK(own["layers"][0]["accesses"] == ert["layers"][0]["accesses"]);
            CHECK(own["totals"]["cycles"] == ert["totals"]["cycles"]);
            for (const auto& level : own["levels"])
                CHECK_THAT(level["energy_source"].get<std::string>(),
                           Catch::StartsWith("technology model") || Catch::StartsWith("none"));
            // DRAM is LPDDR4 in all three: 8 pJ/bit x 64 bits, the ERT's 512 pJ.
            for (const auto& level : own["levels"])
                if (level["name"] == "DRAM")
                    CHECK(level["energy_per_action_pj"]["read"].get<double>() == Approx(512));
            const double ratio = own["totals"]["energy_pj"].get<double>() / ert["totals"]["energy_pj"].get<double>();
            CHECK(ratio > 0.5);
            CHECK(ratio < 2.0);
        }
    }
    const auto lowVoltage = runJson({"timeloop", kCases + "eyeriss_like", "--json", "--own-tech", "--vdd", "0.7"});
    const auto nominal = runJson({"timeloop", kCases + "eyeriss_like", "--json", "--own-tech"});
    CHECK(lowVoltage["totals"]["energy_breakdown_pj"]["mac"].get<double>() <
          nominal["totals"]["energy_breakdown_pj"]["mac"].get<double>());
}

TEST_CASE("cdx timeloop usage errors", "[cli][timeloop][errors]")
{
    CHECK(runCdx({"timeloop"}).exitCode == 2);
    CHECK(runCdx({"timeloop", kCases + "eyeriss_like", "--vdd", "0.8"}).exitCode == 2);  // --vdd needs --own-tech
    CHECK(runCdx({"timeloop", kCases + "eyeriss_like", "--halo", "sideways"}).exitCode == 2);
    const auto volts = runCdx({"timeloop", kCases + "eyeriss_like", "--own-tech", "--vdd", "5"});
    CHECK(volts.exitCode == 2);
    CHECK_THAT(volts.err, Catch::Contains("(\"shared_glb\")/attributes/technology: vdd 5 V is outside what the 32 nm fit covers"));
    const auto missing = runCdx({"timeloop", kCases + "no_such_case"});
    CHECK(missing.exitCode == 2);
    CHECK_THAT(missing.err, Catch::Contains("no_such_case: not a folder of Timeloop outputs"));
}

TEST_CASE("malformed Timeloop cases exit with 2 and name the file, key and level", "[cli][timeloop][errors]")
{
    const std::string bad = std::string(CDX_TEST_DATA_DIR) + "/bad/timeloop/";
    const auto manifest = cdx::test::readManifest(bad + "cases.tsv");
    for (const auto& fields : manifest) {
        REQUIRE(fields.size() >= 3);
        DYNAMIC_SECTION(fields[0])
        {
            std::vector<std::string> args{"timeloop", bad + fields[0]};
            if (fields.size() > 3 && !fields[3].empty())
                args.push_back(fields[3]);
            const auto r = runCdx(args);
            CHECK(r.exitCode == std::stoi(fields[1]));
            CHECK_THAT(r.err, Catch::StartsWith("cdx: error: ") && Catch::Contains(fields[2]));
            CHECK(r.out.empty());
        }
    }
    CHECK(manifest.size() >= 8);
}

TEST_CASE("cdx timeloop --own-tech --tech-overrides patches the technology tables", "[cli][timeloop][tech]")
{
    const auto dir = std::filesystem::temp_directory_path();
    const std::string patch = (dir / "cdx-test-tech-patch.json").string();
    const std::string project = (dir / "cdx-test-tech-project.json").string();
    const std::string typo = (dir / "cdx-test-tech-typo.json").string();
    std::ofstream(patch) << R"({"dram_pj_per_bit": {"lpddr4": 4}})";
    std::ofstream(project) << R"({"format": "cdx-project", "version": 1, "tech": {"overrides": {"dram_pj_per_bit": {"lpddr4": 2}}}})";
    std::ofstream(typo) << R"({"dram_pj_per_bitt": {"lpddr4": 4}})";
    auto dramRead = [](const nlohmann::json& j) {
        for (const auto& level : j["levels"])
            if (level["name"] == "DRAM")
                return level["energy_per_action_pj"]["read"].get<double>();
        return -1.0;
    };
    CHECK(dramRead(runJson({"timeloop", kCases + "eyeriss_like", "--json", "--own-tech", "--tech-overrides", patch})) == Approx(256));
    CHECK(dramRead(runJson({"timeloop", kCases + "eyeriss_like", "--json", "--own-tech", "--tech-overrides", project})) == Approx(128));
    const auto bad = runCdx({"timeloop", kCases + "eyeriss_like", "--own-tech", "--tech-overrides", typo});
    CHECK(bad.exitCode == 2);
    CHECK_THAT(bad.err, Catch::Contains("cdx-test-tech-typo.json: /dram_pj_per_bitt: unknown key"));
    CHECK(runCdx({"timeloop", kCases + "eyeriss_like", "--tech-overrides", patch}).exitCode == 2);  // needs --own-tech
    std::filesystem::remove(patch);
    std::filesystem::remove(project);
    std::filesystem::remove(typo);
}

TEST_CASE("cdx timeloop --search maps the case with our mapper", "[cli][timeloop][mapper]")
{
    const auto reference = runJson({"timeloop", kCases + "eyeriss_like", "--json"});
    const auto r = runCdx({"timeloop", kCases + "eyeriss_like", "--json", "--search", "--show-mapping"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto searched = nlohmann::json::parse(r.out);
    CHECK(searched["totals"]["energy_pj"].get<double>() < reference["totals"]["energy_pj"].get<double>());
    CHECK_THAT(r.err, Catch::Contains("mapper: best energy of 5000 mappings") && Catch::Contains("| for "));
    CHECK(runCdx({"timeloop", kCases + "eyeriss_like", "--search", "--objective", "speed"}).exitCode == 2);
}
