// Black-box tests of `cdx export`: the resolved project (and its round trip), the results CSV,
// the SystemVerilog package compiled with Verilator against rtlsim's PE, and bad requests.
#include "clijson.h"
#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

using cdx::test::runCdx;
using cdx::test::runJson;

namespace {

const std::string kProjects = std::string(CDX_PROJECTS_DIR) + "/";
namespace fs = std::filesystem;

std::string slurp(const fs::path& path)
{
    std::ifstream in(path);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path scratch(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / "cdx-export-test";
    fs::create_directories(dir);
    return dir / name;
}

}  // namespace

TEST_CASE("cdx export --to json: the resolved project round-trips", "[cli][export]")
{
    const fs::path out = scratch("default-export.json");
    const auto r = runCdx({"export", kProjects + "default.json", "--to", "json", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(slurp(out));
    CHECK(j["format"] == "cdx-export");
    CHECK(j["design"]["template"] == "eyeriss");
    int withPe = 0;
    for (const auto& l : j["layers"]) {
        CHECK(l["compression"]["weights"].contains("bits"));
        for (const auto& w : l["workloads"])
            withPe += w.contains("pe");
    }
    CHECK(withPe == 21);  // ResNet-18's MAC layers
    // The project inside estimates to the same result as the original.
    const fs::path project = scratch("default-roundtrip.json");
    std::ofstream(project) << j["project"].dump(2);
    const auto original = runJson({"estimate", kProjects + "default.json", "--json"});
    const auto again = runJson({"estimate", project.string(), "--json"});
    CHECK(again["totals"]["energy_pj"] == original["totals"]["energy_pj"]);
    CHECK(again["totals"]["cycles"] == original["totals"]["cycles"]);
}

TEST_CASE("cdx export --to csv writes the estimate's table", "[cli][export]")
{
    const fs::path out = scratch("fpap.csv");
    const fs::path reference = scratch("fpap-estimate.csv");
    REQUIRE(runCdx({"export", kProjects + "fpap_vgg16.json", "--to", "csv", "--out", out.string()}).exitCode == 0);
    REQUIRE(runCdx({"estimate", kProjects + "fpap_vgg16.json", "--csv", reference.string()}).exitCode == 0);
    CHECK(slurp(out) == slurp(reference));
    CHECK(slurp(out).find("conv1_1") != std::string::npos);
}

TEST_CASE("cdx export --to verilog: a package Verilator compiles with rtlsim's PE", "[cli][export]")
{
    // A folder like every other multi-tool export, with the package file inside.
    const fs::path folder = scratch("verilog-default");
    fs::remove_all(folder);
    REQUIRE(runCdx({"export", kProjects + "default.json", "--to", "verilog", "--out", folder.string()}).exitCode == 0);
    REQUIRE(fs::is_directory(folder));
    const fs::path out = folder / "cdx_design_pkg.sv";
    REQUIRE(fs::is_regular_file(out));
    const std::string text = slurp(out);
    CHECK(text.find("package cdx_design_pkg;") != std::string::npos);
    CHECK(text.find("localparam pe_cfg_t CFG_conv1 = '{mode: 2'd1, lanes: 8'd1, wbits: 5'd16") != std::string::npos);
    const auto lint = cdx::test::runProcess(CDX_VERILATOR, {"--lint-only", "-Wall", out.string(), CDX_PE_SOURCE,
                                                            std::string(CDX_TEST_DATA_DIR) + "/cdx_export_top.sv"});
    INFO(lint.err << lint.out);
    CHECK(lint.exitCode == 0);
}

TEST_CASE("cdx export --to timeloop: every case read back with cdx timeloop gives the estimate's counts", "[cli][export]")
{
    const fs::path out = scratch("timeloop-default");
    fs::remove_all(out);
    const auto r = runCdx({"export", kProjects + "default.json", "--to", "timeloop", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto estimate = runJson({"estimate", kProjects + "default.json", "--json"});
    std::map<std::string, nlohmann::json> layers;
    for (const auto& l : estimate["layers"])
        layers[l["name"].get<std::string>()] = l;
    const auto index = nlohmann::json::parse(slurp(out / "cases.json"));
    CHECK(index["format"] == "cdx-timeloop-export");
    int checked = 0, exact = 0;
    for (const auto& c : index["cases"]) {
        REQUIRE(c.contains("folder"));
        const fs::path folder = out / c["folder"].get<std::string>();
        for (const char* file : {"arch.yaml", "problem.yaml", "cdx.map.yaml", "cdx.ERT.yaml", "cdx.ART.yaml", "parsed-processed-input.yaml"})
            CHECK(fs::exists(folder / file));
        const auto back = runJson({"timeloop", folder.string(), "--json"});
        const auto& layer = layers.at(c["workload"].get<std::string>());
        const auto& t = back["layers"][0];
        INFO(c["workload"]);
        CHECK(t["macs"] == layer["macs"]);
        // The layer's energy without its output stage (fused operators) is the array's, which the case holds.
        const double arrayPj = layer["energy_pj"].get<double>() - layer.value("output_stage_energy_pj", 0.0);
        const auto& offChip = c["activations_off_chip"];
        if (offChip["inputs"] == 1.0 && offChip["outputs"] == 1.0) {
            CHECK(t["cycles"] == layer["cycles"]);
            CHECK(t["accesses"] == layer["accesses"]);
            CHECK(t["energy_pj"].get<double>() == Approx(arrayPj).epsilon(1e-9));
            ++exact;
        } else {
            // Activations kept on chip: Timeloop still counts their DRAM traffic, and only that.
            auto withoutDram = [](nlohmann::json a) {
                a.erase("DRAM");
                return a;
            };
            CHECK(withoutDram(t["accesses"]) == withoutDram(layer["accesses"]));
            CHECK(t["energy_pj"].get<double>() > arrayPj);
        }
        ++checked;
    }
    CHECK(checked == 21);
    CHECK(exact > 0);
}

TEST_CASE("cdx export --to timeloop on a template that is not a loop nest is refused", "[cli][export]")
{
    const auto r = runCdx({"export", kProjects + "fpap_vgg16.json", "--to", "timeloop", "--out", scratch("timeloop-fpap").string()});
    CHECK(r.exitCode == 2);
    CHECK(r.err.find("/hardware/template") != std::string::npos);
    // The message names the project's template and the loop-nest templates by their real names.
    CHECK_THAT(r.err, Catch::Contains("not bit_serial"));
    const std::string listed = r.err.substr(r.err.find("one of the templates ") + 21);
    std::set<std::string> known;
    const auto templates = runJson({"templates", "--json"});
    for (const auto& t : templates["templates"])
        known.insert(t["name"].get<std::string>());
    std::set<std::string> named;
    std::istringstream words(listed.substr(0, listed.find(", not ")));
    for (std::string word; words >> word;) {
        while (!word.empty() && word.back() == ',')
            word.pop_back();
        if (word != "or")
            named.insert(word);
    }
    CHECK(named == std::set<std::string>{"simple_ws", "simple_os", "eyeriss", "systolic", "nvdla"});
    for (const auto& name : named)
        CHECK(known.count(name) == 1);
}

TEST_CASE("cdx export --to scalesim: a configuration and one topology row per array workload", "[cli][export]")
{
    const fs::path out = scratch("scalesim-gemmini");
    fs::remove_all(out);
    REQUIRE(runCdx({"export", kProjects + "gemmini_resnet50.json", "--to", "scalesim", "--out", out.string()}).exitCode == 0);
    const std::string cfg = slurp(out / "scalesim.cfg");
    CHECK(cfg.find("ArrayHeight : 16\n") != std::string::npos);
    CHECK(cfg.find("ArrayWidth : 16\n") != std::string::npos);
    CHECK(cfg.find("Dataflow : ws\n") != std::string::npos);
    std::istringstream topology(slurp(out / "topology.csv"));
    std::string line;
    std::getline(topology, line);
    CHECK(line.rfind("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,", 0) == 0);
    const auto estimate = runJson({"estimate", kProjects + "gemmini_resnet50.json", "--json"});
    std::map<std::string, nlohmann::json> layers;
    for (const auto& l : estimate["layers"])
        layers[l["name"].get<std::string>()] = l;
    int rows = 0;
    while (std::getline(topology, line)) {
        std::istringstream fields(line);
        std::string name, cell;
        std::getline(fields, name, ',');
        std::vector<long long> v;
        while (std::getline(fields, cell, ','))
            if (cell.find_first_not_of(' ') != std::string::npos)
                v.push_back(std::stoll(cell));
        REQUIRE(v.size() == 7);
        // SCALE-Sim's output size, (ifmap - filter) / stride + 1, times filters and the filter
        // volume, is the layer's MAC count.
        const long long p = (v[0] - v[2]) / v[6] + 1, q = (v[1] - v[3]) / v[6] + 1;
        const long long macs = p * q * v[2] * v[3] * v[4] * v[5];
        const auto it = layers.find(name);
        if (it != layers.end()) {
            INFO(name);
            CHECK(macs == it->second["macs"].get<long long>());
        }
        ++rows;
    }
    CHECK(rows == 54);  // ResNet-50's convolutions and its classifier
    const auto refused = runCdx({"export", kProjects + "default.json", "--to", "scalesim", "--out", scratch("scalesim-eyeriss").string()});
    CHECK(refused.exitCode == 2);
    CHECK(refused.err.find("systolic") != std::string::npos);
}

TEST_CASE("cdx export --to hls: precision and a reuse factor per layer", "[cli][export]")
{
    const fs::path out = scratch("hls-dnnu");
    fs::remove_all(out);
    REQUIRE(runCdx({"export", kProjects + "dnnu_lenet300100.json", "--to", "hls", "--out", out.string()}).exitCode == 0);
    const auto j = nlohmann::json::parse(slurp(out / "hls_config.json"));
    CHECK(j["format"] == "cdx-hls");
    const auto& layers = j["hls4ml"]["LayerName"];
    REQUIRE(layers.size() == 5);  // three fc layers and their two ReLUs
    int mac = 0;
    for (const auto& [name, l] : layers.items()) {
        INFO(name);
        if (!l.contains("ReuseFactor")) {
            CHECK(l["Precision"].contains("result"));  // a layer without multiplies: its activation precision
            continue;
        }
        ++mac;
        const double reuse = l["ReuseFactor"].get<double>(), multipliers = l["cdx_multipliers"].get<double>();
        const double weights = l["cdx_weights"].get<double>();
        CHECK(reuse >= 1);
        CHECK(reuse * multipliers >= weights);          // every weight gets a multiplier slot
        CHECK((reuse - 1) * multipliers < weights);     // and the reuse is the smallest that does
        CHECK(l["Precision"]["weight"].get<std::string>().rfind("ap_", 0) == 0);
    }
    CHECK(mac == 3);
}

namespace {

/// W and I of "ap_fixed<W,I>", or {0, 0}.
std::pair<int, int> apFixed(const std::string& type)
{
    int w = 0, i = 0;
    if (std::sscanf(type.c_str(), "ap_fixed<%d,%d>", &w, &i) != 2)
        return {0, 0};
    return {w, i};
}

}  // namespace

TEST_CASE("cdx export --to hls: real ONNX weights get ap_fixed types covering their range, pruning is carried", "[cli][export]")
{
    const fs::path out = scratch("hls-mnist-pruned");
    fs::remove_all(out);
    const auto r = runCdx({"export", kProjects + "mnist_pruned.json", "--to", "hls", "--out", out.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const auto j = nlohmann::json::parse(slurp(out / "hls_config.json"));
    const auto& layers = j["hls4ml"]["LayerName"];
    int mac = 0, other = 0;
    for (const auto& [name, l] : layers.items()) {
        INFO(name);
        const auto& p = l["Precision"];
        // Every activation is the plan's 8 bits, as ap_fixed with half the bits integer (ranges unknown).
        CHECK(p["result"] == "ap_fixed<8,4>");
        if (!l.contains("cdx_weights")) {
            ++other;  // ReLU, pooling, reshape: no longer hls4ml's default ap_fixed<16,8>
            continue;
        }
        ++mac;
        // Weights: fixed point, never integer codes, I the smallest with 2^(I-1) > max |w|.
        const auto [w, i] = apFixed(p["weight"].get<std::string>());
        REQUIRE(w > 0);
        const double maxAbs = l["cdx_weight_max_abs"].get<double>();
        CHECK(std::ldexp(1.0, i - 1) > maxAbs);
        CHECK((i == 1 || std::ldexp(1.0, i - 2) <= maxAbs));
        CHECK(apFixed(p["accum"].get<std::string>()).first > 0);
        // Pruning: convolutions unstructured 0.5, the classifier 2:4; the reuse counts the kept weights.
        CHECK(l["cdx_density"].get<double>() == Approx(0.5));
        CHECK(l["Strategy"] == "Latency");
        const double reuse = l["ReuseFactor"].get<double>(), multipliers = l["cdx_multipliers"].get<double>();
        CHECK(reuse * multipliers >= l["cdx_kept_weights"].get<double>());
    }
    CHECK(mac == 3);
    CHECK(other >= 4);
    CHECK(layers["Convolution28"]["Precision"]["weight"] == "ap_fixed<8,2>");   // max |w| 1.02
    CHECK(layers["Convolution110"]["Precision"]["weight"] == "ap_fixed<8,1>");  // max |w| 0.56
    CHECK(layers["Times212"]["cdx_pruning"] == "2:4");
    CHECK(slurp(out / "hls_config.json").find("ap_int<8>") == std::string::npos);
    // The notes file names every pruned layer with its density and says to prune first.
    const std::string readme = slurp(out / "README.md");
    CHECK_THAT(readme, Catch::Contains("| Convolution28 | unstructured 0.5 | 0.5 |"));
    CHECK_THAT(readme, Catch::Contains("| Times212 | 2:4 | 0.5 |"));
    CHECK_THAT(readme, Catch::Contains("no: prune first"));
    CHECK_THAT(r.err, Catch::Contains("zero these weights in the model before converting it"));
}

TEST_CASE("cdx export refuses unknown formats and paths it cannot write", "[cli][export]")
{
    const auto unknown = runCdx({"export", kProjects + "default.json", "--to", "yaml", "--out", scratch("x.yaml").string()});
    CHECK(unknown.exitCode == 2);
    CHECK(unknown.err.find("yaml") != std::string::npos);
    const auto unwritable = runCdx({"export", kProjects + "default.json", "--to", "json", "--out", "/nonexistent-dir/x.json"});
    CHECK(unwritable.exitCode == 2);
    CHECK(unwritable.err.find("/nonexistent-dir/x.json") != std::string::npos);
    const auto missing = runCdx({"export", kProjects + "missing.json", "--to", "json", "--out", scratch("y.json").string()});
    CHECK(missing.exitCode == 2);
}
