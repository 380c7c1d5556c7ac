// Black-box tests of `cdx estimate` and `cdx templates`: the result JSON contract (README, "Whole-network estimates"),
// the CSV table, the template listing, the shipped projects, and projects that must be rejected.
#include "clijson.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using cdx::test::runCdx;
using cdx::test::runJson;

namespace {

const std::string kProjects = std::string(CDX_PROJECTS_DIR) + "/";

double sumOf(const nlohmann::json& object)
{
    double sum = 0;
    for (const auto& [key, value] : object.items())
        sum += value.get<double>();
    return sum;
}

}  // namespace

TEST_CASE("cdx estimate --json follows the result contract", "[cli][estimate]")
{
    const auto j = runJson({"estimate", kProjects + "default.json", "--json"});
    CHECK(j["format"] == "cdx-result");
    const auto& t = j["totals"];
    for (const char* key : {"macs", "effective_macs", "cycles", "latency_s", "energy_pj", "energy_breakdown_pj", "power_w", "ops_per_s",
                            "effective_ops_per_s", "peak_ops_per_s", "utilization", "tops_per_w", "area_mm2", "area_breakdown_mm2"})
        CHECK(t.contains(key));
    CHECK(t["macs"] == 1814073344);  // ResNet-18
    CHECK(sumOf(t["energy_breakdown_pj"]) == Approx(t["energy_pj"].get<double>()));
    CHECK(sumOf(t["area_breakdown_mm2"]) == Approx(t["area_mm2"].get<double>()));
    CHECK(t["ops_per_s"].get<double>() == Approx(2.0 * t["macs"].get<double>() / t["latency_s"].get<double>()));
    CHECK(t["ops_per_s"].get<double>() <= t["peak_ops_per_s"].get<double>() * 1.0001);
    CHECK(t["peak_ops_per_s"].get<double>() == Approx(2.0 * 168 * 200e6));  // Eyeriss v1: 168 PEs at 200 MHz
    // Layers: their cycles and energies add up to the totals, with the physical model's clock tree
    // and control, which draw power for the whole inference (no static power on an ASIC).
    long long cycles = 0;
    double energy = 0;
    long long macs = 0;
    bool sawVector = false;
    for (const auto& l : j["layers"]) {
        for (const char* key : {"name", "kind", "unit", "bound", "macs", "cycles", "latency_s", "energy_pj", "utilization"})
            CHECK(l.contains(key));
        cycles += l["cycles"].get<long long>();
        energy += l["energy_pj"].get<double>();
        macs += l["macs"].get<long long>();
        if (l["unit"] == "array") {
            CHECK(l["accesses"].contains("DRAM"));
            CHECK(l["utilization"].get<double>() <= 1.0);
        }
        sawVector = sawVector || l["unit"] == "vector";
    }
    CHECK(sawVector);
    CHECK(cycles == t["cycles"].get<long long>());
    const auto& parts = t["energy_breakdown_pj"];
    const double physical = parts.value("clock tree", 0.0) + parts.value("control and NoC", 0.0);
    CHECK(physical > 0);
    CHECK(energy + physical == Approx(t["energy_pj"].get<double>()));
    const auto& core = t["core_power_breakdown_w"];
    CHECK(core.value("clock tree", 0.0) * t["latency_s"].get<double>() * 1e12 == Approx(parts.value("clock tree", 0.0)));
    // The core scope leaves the DRAM accesses out; the other keeps them.
    CHECK(t["power_scopes_w"]["core"].get<double>() ==
          Approx((t["energy_pj"].get<double>() - parts.value("DRAM", 0.0)) * 1e-12 / t["latency_s"].get<double>()));
    CHECK(t["power_scopes_w"]["with_dram"].get<double>() == Approx(t["power_w"].get<double>()));
    CHECK(sumOf(core) == Approx(t["power_scopes_w"]["core"].get<double>()));
    // The physical area: the components by what they are built of, and what a chip adds.
    CHECK(sumOf(t["physical_area_mm2"]) == Approx(t["area_mm2"].get<double>()));
    CHECK(t["physical_area_mm2"].value("SRAM periphery", 0.0) > 0);
    CHECK(t["physical_area_mm2"].value("SRAM arrays", 0.0) > 0);
    CHECK(macs == t["macs"].get<long long>());
    CHECK(j["compression"].size() > 0);
}

TEST_CASE("cdx estimate on an FPGA reports resources against the device", "[cli][estimate][fpga]")
{
    const auto j = runJson({"estimate", kProjects + "aristotle_vgg16.json", "--json"});
    const auto& f = j["totals"]["fpga"];
    for (const char* key : {"lut", "ff", "dsp", "bram36", "uram", "utilization", "available"})
        CHECK(f.contains(key));
    CHECK(f["available"]["dsp"] == 220);
    CHECK(f["utilization"]["dsp"].get<double>() == Approx(f["dsp"].get<double>() / 220));
    CHECK(j["totals"]["static_power_w"].get<double>() > 0);
    CHECK_FALSE(j["totals"].contains("area_mm2"));
}

TEST_CASE("cdx estimate prints a table and writes CSV", "[cli][estimate]")
{
    const std::string csv = (std::filesystem::temp_directory_path() / "cdx-test-estimate.csv").string();
    std::filesystem::remove(csv);
    const auto r = runCdx({"estimate", kProjects + "nvdla_small_resnet18.json", "--csv", csv, "--show-mapping"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("layer1.0.conv1") && Catch::Contains("TOPS/W") && Catch::Contains("mapping of conv1") &&
                          Catch::Contains("energy by component") && Catch::Contains("cbuf"));
    CHECK_THAT(r.out, Catch::Contains("area by what it is built of: ") && Catch::Contains("datapath and logic ") &&
                          Catch::Contains("SRAM arrays ") && Catch::Contains("control and NoC "));
    std::ifstream in(csv);
    REQUIRE(in);
    std::string header;
    std::getline(in, header);
    CHECK_THAT(header, Catch::StartsWith("name,") && Catch::Contains("cycles") && Catch::Contains("energy_pj"));
    int rows = 0;
    for (std::string line; std::getline(in, line);)
        rows += line.empty() ? 0 : 1;
    CHECK(rows == 69);  // ResNet-18's layers
}

TEST_CASE("every shipped project estimates", "[cli][estimate][projects]")
{
    int projects = 0;
    for (const auto& entry : std::filesystem::directory_iterator(kProjects)) {
        if (entry.path().extension() != ".json")
            continue;
        // Projects of fetched models (${CDX_MODELS}) need scripts/fetch-models.sh first; the [models]
        // tests of core/accuracy/realmodelsaccuracytest measure them.
        std::stringstream text;
        text << std::ifstream(entry.path()).rdbuf();
        if (text.str().find("${CDX_MODELS}") != std::string::npos)
            continue;
        ++projects;
        DYNAMIC_SECTION(entry.path().filename().string())
        {
            const auto j = runJson({"estimate", entry.path().string(), "--json"});
            CHECK(j["totals"]["latency_s"].get<double>() > 0);
            CHECK(j["totals"]["energy_pj"].get<double>() > 0);
            CHECK(j["totals"]["utilization"].get<double>() <= 1.0001);
        }
    }
    CHECK(projects >= 7);
}

TEST_CASE("cdx templates lists parameters and presets", "[cli][templates]")
{
    const auto j = runJson({"templates", "--json"});
    CHECK(j["format"] == "cdx-templates");
    std::map<std::string, nlohmann::json> byName;
    for (const auto& t : j["templates"])
        byName[t["name"].get<std::string>()] = t;
    const std::map<std::string, std::vector<std::string>> expected{
        {"simple_ws", {"timeloop_example"}},
        {"simple_os", {"timeloop_example"}},
        {"eyeriss", {"eyeriss_like", "eyeriss_v1"}},
        {"systolic", {"tpu_v1", "gemmini_default"}},
        {"nvdla", {"nv_small", "nv_large"}},
        {"convolver_array", {"aristotle"}},
        {"dataflow_pipeline", {"dnnu", "finn_pynq"}},
    };
    for (const auto& [name, presets] : expected) {
        INFO(name);
        REQUIRE(byName.count(name));
        const auto& t = byName[name];
        std::vector<std::string> got;
        for (const auto& p : t["presets"])
            got.push_back(p["name"]);
        CHECK(got == presets);
        for (const auto& p : t["params"]) {
            CHECK(p.contains("type"));
            CHECK(p.contains("default"));
            CHECK_FALSE(p["description"].get<std::string>().empty());
            if (p["type"] == "integer" || p["type"] == "real")
                CHECK(p["min"].get<double>() <= p["max"].get<double>());
        }
    }
    const auto text = runCdx({"templates"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("preset tpu_v1") && Catch::Contains("atomic_c"));
}

TEST_CASE("cdx estimate rejects impossible designs with exit 2", "[cli][estimate][errors]")
{
    const std::string bad = std::string(CDX_TEST_DATA_DIR) + "/bad/estimate/";
    const auto manifest = cdx::test::readManifest(bad + "cases.tsv");
    for (const auto& fields : manifest) {
        REQUIRE(fields.size() >= 3);
        DYNAMIC_SECTION(fields[0])
        {
            const auto r = runCdx({"estimate", bad + fields[0]});
            CHECK(r.exitCode == std::stoi(fields[1]));
            CHECK_THAT(r.err, Catch::StartsWith("cdx: error: ") && Catch::Contains(fields[2]));
            CHECK(r.out.empty());
        }
    }
    CHECK(manifest.size() >= 12);
}

TEST_CASE("cdx calibrate --json reports each chip's terms, and its predictions follow the model from them", "[cli][calibrate]")
{
    const auto doc = runJson({"calibrate", std::string(CDX_TEST_DATA_DIR) + "/silicon/chips.json", "--root", kProjects + "..", "--json"});
    CHECK(doc["format"] == "cdx-calibration");
    const auto& f = doc["factors"];
    const double u = f["placement_utilisation"].get<double>();
    REQUIRE(doc["chips"].size() >= 5);
    for (const auto& c : doc["chips"]) {
        INFO(c["chip"].get<std::string>());
        const auto& d = c["design"];
        const double scale = d["area_scale"].get<double>();
        // The model's area, recomputed from the reported terms: SRAM arrays, cells over the
        // placement utilisation, each macro's periphery and the control per MAC.
        const double logic = d["logic_mm2"].get<double>();
        const double area = d["sram_mm2"].get<double>() + logic / u + d["sram_macros"].get<double>() * f["sram_macro_um2"].get<double>() * scale * 1e-6 +
                            d["macs"].get<double>() * f["control_um2_per_mac"].get<double>() * scale * 1e-6;
        CHECK(c["fitted_area_mm2"].get<double>() == Approx(area).epsilon(1e-9));
        // The power: the components' plus the clock tree per register bit and control per MAC.
        const double perCycle = d["clock_hz"].get<double>() * d["energy_scale"].get<double>() * 1e-15;
        const double power = c["components_power_w"].get<double>() + d["register_bits"].get<double>() * f["clock_fj_per_bit"].get<double>() * perCycle +
                             d["macs"].get<double>() * f["control_fj_per_mac"].get<double>() * perCycle;
        CHECK(c["fitted_power_w"].get<double>() == Approx(power).epsilon(1e-9));
        CHECK(c["components_area_mm2"].get<double>() == Approx(d["sram_mm2"].get<double>() + logic).epsilon(0.05));
    }
    CHECK_FALSE(doc["not_expressed"].empty());

    const auto missing = runCdx({"calibrate", kProjects + "no_such_chips.json"});
    CHECK(missing.exitCode == 2);
    CHECK_THAT(missing.err, Catch::Contains("no_such_chips.json"));
}

TEST_CASE("the README's complete project is the shipped file, and it loads", "[cli][readme]")
{
    const auto read = [](const std::string& path) {
        std::ifstream in(path);
        std::stringstream s;
        s << in.rdbuf();
        return s.str();
    };
    const std::string readme = read(kProjects + "../README.md");
    const std::string file = read(kProjects + "explore_systolic_lenet.json");
    REQUIRE_FALSE(file.empty());
    const std::string intro = "A complete project, `projects/explore_systolic_lenet.json` as shipped";
    const auto at = readme.find(intro);
    REQUIRE(at != std::string::npos);
    const auto open = readme.find("```json\n", at);
    const auto close = readme.find("\n```", open + 8);
    REQUIRE(open != std::string::npos);
    REQUIRE(close != std::string::npos);
    CHECK(readme.substr(open + 8, close - open - 8) + "\n" == file);
    const auto r = runCdx({"estimate", kProjects + "explore_systolic_lenet.json"});
    INFO(r.err);
    CHECK(r.exitCode == 0);
}
