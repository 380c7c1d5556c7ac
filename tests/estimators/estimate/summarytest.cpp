// The summary figures are one definition across every template (README, "Whole-network
// estimates"): peak = 2 x peak MACs per cycle x clock, executed ops = 2 x effective (performed)
// MACs, utilisation = effective MACs over peak MACs per cycle x cycles. Over every shipped
// project and every template with its default parameters: utilisation never exceeds 100 % and
// the executed MACs fit in the peak over the cycles, for the network and for every layer.
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"
#include "estimators/templates/acceleratortemplate.h"

#include "tests/estimators/projecttesting.h"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace cdx;
using namespace cdx::testing;

namespace {

constexpr double kSlack = 1e-9;

/// The figures of `r` are coherent: utilisation at most 1 and the definition's ratio, executed
/// MACs and ops within the peak, and every layer's within the peak over its own cycles.
void checkSummary(const NetworkResult& r)
{
    REQUIRE(r.clockHz > 0);
    const double peakMacsPerCycle = r.peakOpsPerS / (2 * r.clockHz);
    const double cycles = static_cast<double>(r.cycles);
    const double effective = static_cast<double>(r.effectiveMacs);
    INFO(r.templateName << ": " << r.design << "; peak " << peakMacsPerCycle << " MACs/cycle, " << r.cycles << " cycles, "
                        << r.effectiveMacs << " effective of " << r.macs << " MACs, utilization " << r.utilization);
    CHECK(peakMacsPerCycle > 0);
    CHECK(r.utilization >= 0);
    CHECK(r.utilization <= 1 + kSlack);
    CHECK(effective <= peakMacsPerCycle * cycles * (1 + kSlack) + 1);
    CHECK(r.effectiveOpsPerS <= r.peakOpsPerS * (1 + kSlack) + 1);
    CHECK(r.effectiveOpsPerS == Approx(r.latencyS > 0 ? 2 * effective / r.latencyS : 0));
    CHECK(r.opsPerS == Approx(r.latencyS > 0 ? 2 * static_cast<double>(r.macs) / r.latencyS : 0));
    if (cycles > 0)
        CHECK(r.utilization == Approx(std::min(1.0, effective / (peakMacsPerCycle * cycles))).epsilon(1e-9));
    for (const auto& l : r.layers) {
        INFO("layer " << l.name << " (" << l.unit << "): " << l.effectiveMacs << " effective of " << l.macs << " MACs in " << l.cycles
                      << " cycles, utilization " << l.utilization);
        CHECK(l.utilization >= 0);
        CHECK(l.utilization <= 1 + kSlack);
        // A pipeline's layer runs on its own stage: the whole design's peak bounds it too.
        CHECK(static_cast<double>(l.effectiveMacs) <= peakMacsPerCycle * static_cast<double>(l.cycles) * (1 + kSlack) + 1);
        if (!r.pipelined && l.unit == "array" && l.cycles > 0)
            CHECK(l.utilization ==
                  Approx(static_cast<double>(l.effectiveMacs) / (peakMacsPerCycle * static_cast<double>(l.cycles))).epsilon(1e-6).margin(1e-9));
    }
}

std::string fileText(const std::filesystem::path& path)
{
    std::stringstream text;
    text << std::ifstream(path).rdbuf();
    return text.str();
}

/// A project of `network` on the template with its default parameters: its first preset's
/// platform (an FPGA template needs a device), else a 28 nm ASIC.
Project templateProject(const AcceleratorTemplate& tmpl, const std::string& network, const nlohmann::ordered_json& compression)
{
    Project p;
    p.name = tmpl.info().name + " defaults on " + network;
    p.filePath = p.name;
    p.network.source = NetworkReference::Source::Zoo;
    p.network.value = network;
    p.compression = compression;
    p.hardware = {{"template", tmpl.info().name}, {"params", nlohmann::ordered_json::object()}};
    // The loop-nest templates compute zeros unless told to skip them: skip them on a pruned plan.
    if (compression["default"].contains("pruning"))
        for (const char* param : {"sparse_weights", "sparse_activations"})
            if (tmpl.info().param(param) != nullptr)
                p.hardware["params"][param] = "skip";
    p.platform = tmpl.info().presets.empty() ? nlohmann::ordered_json{{"kind", "asic"}, {"node_nm", 28}, {"clock_mhz", 500}, {"dram", "lpddr4"}}
                                             : tmpl.info().presets.front().platform;
    return p;
}

}  // namespace

TEST_CASE("Every shipped project's summary: utilisation at most 100 %, executed ops within the peak", "[estimate][summary]")
{
    int projects = 0;
    for (const auto& entry : std::filesystem::directory_iterator(CDX_PROJECTS_DIR)) {
        if (entry.path().extension() != ".json")
            continue;
        const std::string name = entry.path().filename().string();
        auto project = loadProjectFile(entry.path().string());
        REQUIRE(project.ok());
        auto network = loadProjectNetwork(project.value());
        // Networks under ${CDX_MODELS} are fetched (scripts/fetch-models.sh): without them the project is skipped.
        if (!network.ok() && fileText(entry.path()).find("${CDX_MODELS}") != std::string::npos) {
            WARN(name << ": " << network.error().describe() << " (skipped)");
            continue;
        }
        ++projects;
        DYNAMIC_SECTION(name)
        {
            INFO(name);
            REQUIRE(network.ok());
            checkSummary(estimate(project.value(), network.value()));
        }
    }
    CHECK(projects >= 15);
}

TEST_CASE("Every template's summary with its default parameters: utilisation at most 100 %, executed ops within the peak",
          "[estimate][summary][templates]")
{
    // Dense int8; 4-bit weights with half of them and half of the activations zero (the
    // zero-skipping and precision-scalable paths); structural pruning (the lowered problem is
    // smaller than the dense one); circulant blocks (transforms); fully connected layers wider
    // than the plan's default (a precision-scalable design's peak is at the default).
    const auto quant = [](int weightBits) {
        return nlohmann::ordered_json{{"weights", {{"bits", weightBits}, {"format", "int"}}}, {"activations", {{"bits", 8}, {"format", "int"}}}};
    };
    const auto plan = [&](int weightBits, const nlohmann::ordered_json& pruning, const nlohmann::ordered_json& layers) {
        nlohmann::ordered_json d = quant(weightBits);
        if (!pruning.is_null())
            d["pruning"] = pruning;
        return nlohmann::ordered_json{{"default", d}, {"layers", layers}};
    };
    nlohmann::ordered_json sparse = plan(4, {{"kind", "unstructured"}, {"density", 0.5}}, nlohmann::ordered_json::array());
    sparse["default"]["activations"]["density"] = 0.5;
    const std::vector<std::pair<std::string, nlohmann::ordered_json>> plans{
        {"dense", plan(8, nullptr, nlohmann::ordered_json::array())},
        {"sparse", sparse},
        {"channel", plan(8, {{"kind", "channel"}, {"keep", 0.5}}, nlohmann::ordered_json::array())},
        {"block-diagonal", plan(8, nullptr, {{{"kind", "fc"}, {"pruning", {{"kind", "block_diagonal"}, {"blocks", 2}}}}})},
        {"circulant", plan(8, nullptr, {{{"kind", "fc"}, {"pruning", {{"kind", "circulant"}, {"block_size", 8}, {"pad", true}}}}})},
        {"wide fc", plan(4, nullptr, {{{"kind", "fc"}, {"weights", {{"bits", 8}, {"format", "int"}}}}})},
    };
    for (const auto* tmpl : acceleratorTemplates())
        for (const std::string network : {"lenet5", "lenet300100"})
            for (const auto& [name, compression] : plans) {
                DYNAMIC_SECTION(tmpl->info().name << " on " << network << ", " << name)
                {
                    const Project project = templateProject(*tmpl, network, compression);
                    auto net = loadProjectNetwork(project);
                    REQUIRE(net.ok());
                    checkSummary(estimate(project, net.value()));
                }
            }
}
