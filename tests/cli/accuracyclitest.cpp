// cdx accuracy and the measured accuracy of cdx estimate, run as a user runs them.
#include "clijson.h"
#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>

using cdx::test::runCdx;
using cdx::test::runJson;
using cdx::test::runProcess;

namespace {

const std::string kData = std::string(CDX_TEST_DATA_DIR) + "/";

/// A scratch folder for the measurement cache, so that tests neither read nor fill the user's.
std::string scratchCache(const std::string& name)
{
    const auto dir = std::filesystem::temp_directory_path() / ("cdx_accuracyclitest_" + name);
    std::filesystem::remove_all(dir);
    return dir.string();
}

cdx::test::ProcessResult runWithEnv(const std::vector<std::string>& env, const std::vector<std::string>& args)
{
    std::vector<std::string> all = env;
    all.push_back(CDX_EXECUTABLE);
    all.insert(all.end(), args.begin(), args.end());
    return runProcess("/usr/bin/env", all);
}

/// Writes `text` as a project beside the test data (its relative paths resolve there).
std::string writeProject(const std::string& name, const std::string& text)
{
    const std::string path = kData + name;
    std::ofstream(path) << text;
    return path;
}

}  // namespace

TEST_CASE("cdx accuracy measures a project on its data", "[cli][accuracy]")
{
    const auto j = runJson({"accuracy", kData + "mnist20_accuracy.json", "--json"});
    CHECK(j["format"] == "cdx-accuracy");
    CHECK(j["samples"] == 15);
    CHECK(j["calibration_samples"] == 5);
    CHECK(j["metric"] == "top1");
    // 15 real digits the float network classifies: every one of them right.
    CHECK(j["top1_float_pct"].get<double>() == Approx(100.0));
    CHECK(j["drop_pp"].get<double>() == Approx(j["float"].get<double>() - j["compressed"].get<double>()));
    CHECK(j["replaced_weight_tensors"] == 3);
    CHECK(j["output_sqnr_db"].get<double>() > 5.0);
    REQUIRE(j["layers"].size() == 7);
    CHECK(j["layers"][0]["layer"] == "Convolution28");
    CHECK_THAT(j["runtime"].get<std::string>(), Catch::StartsWith("ONNX Runtime 1."));

    const auto text = runCdx({"accuracy", kData + "mnist20_accuracy.json", "--samples", "10"});
    REQUIRE(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("10 examples evaluated") && Catch::Contains("where the loss comes from") &&
                             Catch::Contains("Times212"));
}

TEST_CASE("cdx accuracy --sensitivity writes a table that cdx compress reads", "[cli][accuracy]")
{
    const auto csv = (std::filesystem::temp_directory_path() / "cdx_accuracyclitest_sensitivity.csv").string();
    const auto run = runCdx({"accuracy", kData + "mnist20_accuracy.json", "--sensitivity", "--out", csv});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    std::ifstream in(csv);
    std::string header, comment, line;
    std::getline(in, header);
    std::getline(in, comment);
    CHECK(header == "layer,setting,accuracy_drop");
    int rows = 0;
    while (std::getline(in, line))
        ++rows;
    CHECK(rows == 3 * 11);  // three layers with weights x (7 widths + 4 densities)
    // The table in a project: cdx compress takes its drops ("table").
    const std::string project = writeProject("mnist20_with_table.json", R"({"format": "cdx-project", "version": 1,
        "network": {"onnx": "onnx/mnist.onnx"},
        "compression": {"default": {"weights": {"bits": 4, "format": "int"}, "activations": {"bits": 32, "format": "fp32"}},
                        "sensitivity": ")" + csv + R"("}})");
    const auto j = runJson({"compress", project, "--json"});
    std::filesystem::remove(project);
    CHECK(j["totals"]["accuracy"]["source"] == "table");
    std::filesystem::remove(csv);
}

TEST_CASE("cdx estimate reports measured accuracy, from the cache the second time", "[cli][accuracy]")
{
    const std::string cache = "CDX_ACCURACY_CACHE=" + scratchCache("estimate");
    const auto first = runWithEnv({cache}, {"estimate", kData + "mnist20_accuracy.json", "--json"});
    REQUIRE(first.exitCode == 0);
    const auto a = nlohmann::json::parse(first.out)["totals"]["accuracy"];
    CHECK(a["source"] == "measured");
    CHECK(a["metric"] == "top1");
    CHECK(a["samples"] == 15);
    const auto measured = runJson({"accuracy", kData + "mnist20_accuracy.json", "--json"});
    CHECK(a["drop_pp"].get<double>() == Approx(measured["drop_pp"].get<double>()));
    const auto second = runWithEnv({cache}, {"estimate", kData + "mnist20_accuracy.json", "--json"});
    REQUIRE(second.exitCode == 0);
    CHECK(nlohmann::json::parse(second.out)["totals"]["accuracy"] == a);
    std::filesystem::remove_all(cache.substr(cache.find('=') + 1));
}

TEST_CASE("cdx accuracy: bad input exits 2 naming the file and the place", "[cli][accuracy]")
{
    SECTION("ONNX Runtime absent")
    {
        const auto r = runWithEnv({"CDX_ONNXRUNTIME_LIBRARY=/nonexistent/libonnxruntime.so.1"}, {"accuracy", kData + "mnist20_accuracy.json"});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("/nonexistent/libonnxruntime.so.1") && Catch::Contains("scripts/fetch-deps.sh"));
    }
    SECTION("a dataset file that is missing")
    {
        const auto p = writeProject("bad_accuracy_missing.json", R"({"format": "cdx-project", "version": 1, "network": {"onnx": "onnx/mnist.onnx"},
            "accuracy": {"dataset": {"format": "idx", "data": "datasets/no-such-file", "labels": "datasets/mnist20-labels-idx1-ubyte"}}})");
        const auto r = runCdx({"accuracy", p});
        std::filesystem::remove(p);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("no-such-file"));
    }
    SECTION("images unlike the model's input")
    {
        const auto p = writeProject("bad_accuracy_shape.json", R"({"format": "cdx-project", "version": 1, "network": {"onnx": "onnx/mnist.onnx"},
            "accuracy": {"dataset": {"format": "npy", "data": "datasets/tiny-f4.npy"}, "metric": "agreement", "samples": 2, "calibration": 1}})");
        const auto r = runCdx({"accuracy", p});
        std::filesystem::remove(p);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("tiny-f4.npy") && Catch::Contains("Input3"));
    }
    SECTION("top-1 without labels is caught when the project loads")
    {
        const auto p = writeProject("bad_accuracy_labels.json", R"({"format": "cdx-project", "version": 1, "network": {"onnx": "onnx/mnist.onnx"},
            "accuracy": {"dataset": {"format": "idx", "data": "datasets/mnist20-images-idx3-ubyte"}, "metric": "top1"}})");
        const auto r = runCdx({"estimate", p});
        std::filesystem::remove(p);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("/accuracy/dataset") && Catch::Contains("needs labels"));
    }
    SECTION("a zoo network has no weights to run")
    {
        const auto p = writeProject("bad_accuracy_zoo.json", R"({"format": "cdx-project", "version": 1, "network": {"zoo": "lenet5"},
            "accuracy": {"dataset": {"format": "idx", "data": "datasets/mnist20-images-idx3-ubyte", "labels": "datasets/mnist20-labels-idx1-ubyte"}}})");
        const auto r = runCdx({"accuracy", p});
        std::filesystem::remove(p);
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("/network") && Catch::Contains("ONNX model"));
    }
    SECTION("no accuracy block")
    {
        const auto r = runCdx({"accuracy", std::string(CDX_PROJECTS_DIR) + "/default.json"});
        CHECK(r.exitCode == 2);
        CHECK_THAT(r.err, Catch::Contains("/accuracy"));
    }
}

TEST_CASE("cdx explore ranks with the measured sensitivity and measures the front", "[cli][accuracy][explore]")
{
    const std::string project = writeProject("mnist20_explore.json", R"({"format": "cdx-project", "version": 1,
        "network": {"onnx": "onnx/mnist.onnx"},
        "compression": {"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8, "format": "int"}}},
        "hardware": {"template": "bit_serial", "preset": "fpap", "params": {}},
        "platform": {"kind": "asic", "node_nm": 28, "vdd": 0.9, "clock_mhz": 1000, "dram": "lpddr4"},
        "explore": {"axes": [{"name": "bits", "each_layer": {"kind": "fc"}, "set": "weights.bits", "values": [2, 4, 8]}],
                    "objectives": ["energy_pj", "accuracy_drop_pp"], "search": {"strategy": "grid"}},
        "accuracy": {"dataset": {"format": "idx", "data": "datasets/mnist20-images-idx3-ubyte", "labels": "datasets/mnist20-labels-idx1-ubyte"},
                     "samples": 15, "calibration": 5}})");
    const auto dir = std::filesystem::temp_directory_path() / "cdx_accuracyclitest_explore";
    std::filesystem::remove_all(dir);
    const std::string cache = "CDX_ACCURACY_CACHE=" + scratchCache("explore");
    const auto run = runWithEnv({cache}, {"explore", project, "--out", dir.string()});
    INFO(run.err);
    REQUIRE(run.exitCode == 0);
    CHECK(std::filesystem::exists(dir / "sensitivity.csv"));
    std::ifstream in(dir / "front.json");
    const auto front = nlohmann::json::parse(in);
    CHECK(front["accuracy"]["front"] == "measured");
    REQUIRE_FALSE(front["points"].empty());
    for (const auto& p : front["points"]) {
        CHECK(p["accuracy"]["source"] == "measured");
        CHECK(p["metrics"]["accuracy_drop_pp"] == p["accuracy"]["drop_pp"]);
    }
    // The 8-bit point, measured by itself, is what the front says.
    for (const auto& p : front["points"])
        if (p["settings"]["bits:Times212"] == 8) {
            const auto alone = runJson({"accuracy", project, "--json"});
            CHECK(p["accuracy"]["drop_pp"].get<double>() == Approx(alone["drop_pp"].get<double>()));
        }
    std::filesystem::remove(project);
    std::filesystem::remove_all(dir);
    std::filesystem::remove_all(cache.substr(cache.find('=') + 1));
}

TEST_CASE("an \"auto\" accumulator takes the width the measured run needs, in the report and in the cost", "[cli][accuracy]")
{
    const std::string cache = "CDX_ACCURACY_CACHE=" + scratchCache("accumulator");
    const std::string project = writeProject("mnist20_auto_accumulator.json", R"({"format": "cdx-project", "version": 1,
        "network": {"onnx": "onnx/mnist.onnx"},
        "compression": {"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8, "format": "int"},
                                    "accumulator": {"bits": "auto", "margin_bits": 2}}},
        "hardware": {"template": "eyeriss", "preset": "eyeriss_v1", "params": {}},
        "platform": {"kind": "asic", "node_nm": 65, "vdd": 1.0, "clock_mhz": 200, "dram": "lpddr4"},
        "accuracy": {"dataset": {"format": "idx", "data": "datasets/mnist20-images-idx3-ubyte", "labels": "datasets/mnist20-labels-idx1-ubyte"},
                     "metric": "top1", "samples": 15, "calibration": 5}})");
    const auto measured = runWithEnv({cache}, {"accuracy", project, "--json"});
    REQUIRE(measured.exitCode == 0);
    const auto report = nlohmann::json::parse(measured.out);
    REQUIRE(report["accumulators"].size() == 3);
    int widest = 0;
    std::map<std::string, int> width;
    for (const auto& a : report["accumulators"]) {
        CHECK(a["margin_bits"] == 2);
        CHECK(a["bits"] == a["bits_needed"].get<int>() + 2);
        CHECK(a["bits_needed"].get<int>() <= a["exact_bits"].get<int>());
        CHECK(a["max_abs_codes"].get<double>() > 0);
        width[a["layer"]] = a["bits"];
        widest = std::max(widest, a["bits"].get<int>());
    }
    const auto text = runWithEnv({cache}, {"accuracy", project});
    CHECK_THAT(text.out, Catch::Contains("accumulators (\"bits\": \"auto\"") && Catch::Contains("Convolution110"));

    // The estimate: each layer's operand width, and the shared datapath (the preset's 16 bits
    // replaced by the widest layer's).
    const auto estimated = runWithEnv({cache}, {"estimate", project, "--json"});
    std::filesystem::remove(project);
    REQUIRE(estimated.exitCode == 0);
    const auto e = nlohmann::json::parse(estimated.out);
    for (const auto& l : e["compression"])
        if (width.count(l["layer"]))
            CHECK(l["workload"]["operand_bits"]["accumulator"] == width[l["layer"]]);
    CHECK_THAT(e["hardware"]["design"].get<std::string>(), Catch::Contains(std::to_string(widest) + "-bit accumulators"));
    std::filesystem::remove_all(cache.substr(cache.find('=') + 1));
}
