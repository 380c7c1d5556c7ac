// Black-box tests of `cdx compress` and of the compression in `cdx estimate --json`: the
// report, the per-layer resolved settings, and plans that must be rejected with exit 2.
#include "clijson.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

using cdx::test::runCdx;
using cdx::test::runJson;

namespace {

const std::string kData = std::string(CDX_TEST_DATA_DIR) + "/compression/";
const std::string kProjects = std::string(CDX_PROJECTS_DIR) + "/";

}  // namespace

TEST_CASE("cdx compress --json reports every layer's setting, storage and accuracy", "[cli][compress]")
{
    const auto j = runJson({"compress", kData + "ese.json", "--json"});
    CHECK(j["format"] == "cdx-compression");
    const auto& lstm = j["layers"][0];
    CHECK(lstm["layer"] == "lstm");
    CHECK(lstm["setting"]["pruning"]["kind"] == "load_balanced");
    CHECK(lstm["setting"]["weights"]["bits"] == 12);
    CHECK(lstm["storage"]["format"] == "csc");
    CHECK(lstm["storage"]["padding_zeros"].get<long long>() > 0);
    CHECK(lstm["nominal_compression_ratio"].get<double>() == Approx(20.0).epsilon(0.05));
    CHECK(lstm["workload"]["imbalance"] == 1.0);
    CHECK(lstm["workload"]["effective_macs"].get<long long>() * 10 == Approx(lstm["workload"]["macs"].get<double>()).epsilon(0.01));
    CHECK(lstm["accuracy"]["source"] == "proxy");
    CHECK(lstm["weights"]["measured"] == false);  // the zoo has no weights: the analytical model, said so
    CHECK_FALSE(lstm["weights"]["model"].get<std::string>().empty());
    CHECK(j["totals"]["accuracy"]["source"] == "proxy");
}

TEST_CASE("cdx compress reads the project's sensitivity table", "[cli][compress]")
{
    const auto j = runJson({"compress", kData + "clstm.json", "--json"});
    CHECK(j["totals"]["accuracy"]["source"] == "table");
    CHECK(j["totals"]["accuracy"]["drop_pp"].get<double>() == Approx(1.33));
    CHECK(j["totals"]["stored_params"].get<double>() == Approx(0.55e6).epsilon(0.05));
    const auto text = runCdx({"compress", kData + "clstm.json"});
    REQUIRE(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("circulant b=16") && Catch::Contains("8,012,349 -> ") && Catch::Contains("(table)"));
}

TEST_CASE("real weights: cdx compress measures them", "[cli][compress]")
{
    const auto j = runJson({"compress", kProjects + "mnist_pruned.json", "--json"});
    for (const auto& l : j["layers"]) {
        if (!l["has_weights"].get<bool>())
            continue;
        CHECK(l["measured"] == true);
        CHECK(l["weights"]["measured"] == true);
        CHECK(l["density"].get<double>() == Approx(0.5).margin(0.005));
    }
    const auto text = runCdx({"compress", kProjects + "mnist_pruned.json", "--all"});
    REQUIRE(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("Convolution28") && Catch::Contains("proxy"));
}

TEST_CASE("cdx estimate --json shows each layer's resolved compression", "[cli][compress]")
{
    const auto j = runJson({"estimate", kData + "ese.json", "--json"});
    REQUIRE(j["compression"].size() == 1);
    const auto& c = j["compression"][0];
    CHECK(c["layer"] == "lstm");
    CHECK(c["setting"]["storage"]["index_bits"] == 4);
    CHECK(c["setting"]["rules"][0] == "default");
    CHECK(j["totals"]["accuracy"]["source"] == "proxy");
    CHECK(j["totals"]["weight_compression_ratio"].get<double>() > 10);
    const auto r = runCdx({"estimate", kData + "ese.json"});
    CHECK_THAT(r.err, Catch::Contains("computes 1 layers (e.g. lstm) as dense"));
}

TEST_CASE("impossible compression settings exit 2 naming the rule", "[cli][compress][errors]")
{
    struct Case {
        const char* file;
        const char* fragment;
    };
    const Case cases[] = {
        {"bad_density.json", "bad_density.json: /compression/layers/0/pruning/density: must be in (0, 1], got 1.5"},
        {"bad_bits.json", "/compression/layers/0/activations/bits: must be between 1 and 32, got 0"},
        {"bad_block_size.json", "/compression/layers/1/pruning: layer ip1: block size 16 does not divide the layer"},
        {"bad_sensitivity.json", "bad_sensitivity.csv: line 3: unknown setting token \"densty=0.5\""},
    };
    for (const auto& c : cases)
        for (const char* command : {"compress", "estimate"}) {
            DYNAMIC_SECTION(command << " " << c.file)
            {
                const auto r = runCdx({command, kData + c.file});
                CHECK(r.exitCode == 2);
                CHECK_THAT(r.err, Catch::StartsWith("cdx: error: ") && Catch::Contains(c.fragment));
                CHECK(r.out.empty());
            }
        }
    const auto unmatched = runCdx({"compress", kData + "unmatched_rule.json"});
    CHECK(unmatched.exitCode == 0);
    CHECK_THAT(unmatched.err, Catch::Contains("warning: compression: the rule at /compression/layers/0 matches no layer"));
}
