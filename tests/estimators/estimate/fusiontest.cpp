// Real networks as accelerators run them: operators fused into the MAC layers' output stages,
// activations kept in the global buffer between layers, and what is left outside the arrays.
#include "core/network/networkfusion.h"
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"
#include "estimators/templates/acceleratortemplate.h"

#include "tests/estimators/projecttesting.h"

#include <catch2/catch.hpp>

#include <string>
#include <tuple>

using namespace cdx;
using namespace cdx::testing;

namespace {

/// DRAM reads and writes of activations (inputs and outputs) of every array layer.
Dim dramActivationTraffic(const LayerResult& l)
{
    Dim n = 0;
    for (const auto& a : l.accesses)
        if (a.level == "DRAM" && (a.operand == "Inputs" || a.operand == "Outputs"))
            n += a.reads + a.fills + a.updates;
    return n;
}

NetworkResult estimateWith(const Project& project, const Network& net, bool fuse)
{
    EstimateOptions options;
    options.fuse = fuse;
    auto r = Estimator().estimate(project, net, options);
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    return std::move(r).value();
}

}  // namespace

TEST_CASE("fusion: the default project runs no ReLU, add or batch norm on its own", "[fusion]")
{
    const Loaded l = load("default.json");
    const NetworkResult r = estimate(l);
    int fused = 0;
    for (const auto& layer : r.layers) {
        if (layer.kind == LayerKind::Activation || layer.kind == LayerKind::Eltwise || layer.kind == LayerKind::BatchNorm) {
            INFO(layer.name);
            CHECK(layer.unit == "none");
            CHECK_FALSE(layer.fusedInto.empty());
            CHECK(layer.energyPj == 0);
            ++fused;
        }
    }
    CHECK(fused == 45);
    // The stem's ReLU is in conv1's output stage, costed there.
    const LayerResult& conv1 = layer(r, "conv1");
    REQUIRE(conv1.fused.size() == 2);
    CHECK(conv1.fused[1].first == "relu");
    CHECK(conv1.outputStagePj > 0);
    // Run as exported, the ReLUs and adds each take a round trip of their activations: the
    // fused design spends less energy and time.
    const NetworkResult exported = estimateWith(l.project, l.network, false);
    CHECK(r.energyPj < exported.energyPj);
    CHECK(r.cycles < exported.cycles);
    double relu = 0;
    for (const auto& [op, pj] : exported.nonMacEnergyPj)
        if (op == "relu")
            relu = pj;
    CHECK(relu > 10 * conv1.outputStagePj);
}

TEST_CASE("activations on chip: with a global buffer that holds every activation, no layer moves one through DRAM", "[fusion]")
{
    const Loaded l = load("default.json");
    // 64 MiB of global buffer: ResNet-18's largest live set (conv1's 802,816 results) fits.
    const NetworkResult big = estimate(l, {{"glb_kib", 65536}});
    Dim between = 0;
    for (const auto& layer : big.layers) {
        if (layer.unit != "array" || layer.name == "conv1" || layer.name == "fc")
            continue;
        INFO(layer.name);
        CHECK(dramActivationTraffic(layer) == 0);
        between += dramActivationTraffic(layer);
    }
    CHECK(between == 0);
    // The first layer reads the image from DRAM, the last writes the logits there.
    CHECK(dramActivationTraffic(layer(big, "conv1")) > 0);
    CHECK(dramActivationTraffic(layer(big, "fc")) > 0);
    // With Eyeriss v1's 108 KiB (55,296 16-bit words), the last stage's 25,088-element tensors
    // stay and the first stage's 200,704-element ones do not.
    const NetworkResult v1 = estimate(l);
    CHECK(dramActivationTraffic(layer(v1, "layer1.0.conv1")) > 0);
    Dim lastStage = 0;
    for (const char* name : {"layer4.1.conv1"})
        lastStage += dramActivationTraffic(layer(v1, name));
    CHECK(lastStage == 0);
}

TEST_CASE("fusion: the real models leave no fusible operator on its own", "[fusion][models]")
{
    for (const char* file : {"ppocrv4_rec_accuracy.json", "blazeface_accuracy.json"}) {
        // The models are fetched by the setup scripts (scripts/fetch-models.sh); without them there is nothing to check.
        auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/" + file);
        REQUIRE(project.ok());
        if (!loadProjectNetwork(project.value()).ok()) {
            WARN(file << ": its model is not fetched; skipped");
            continue;
        }
        const Loaded l = load(file);
        for (const auto& [name, hardware, platform] :
             {std::tuple{"systolic", nlohmann::ordered_json{{"template", "systolic"}, {"params", {{"rows", 32}, {"cols", 32}}}},
                         nlohmann::ordered_json{{"kind", "asic"}, {"node_nm", 16}, {"vdd", 0.8}, {"clock_mhz", 1000}, {"dram", "lpddr4"}}},
              std::tuple{"eyeriss", nlohmann::ordered_json{{"template", "eyeriss"}, {"preset", "eyeriss_v1"}, {"params", nlohmann::ordered_json::object()}},
                         nlohmann::ordered_json::object()}}) {
            Project p = l.project;
            p.hardware = hardware;
            p.platform = platform;
            INFO(file << " on " << name);
            const NetworkResult r = estimate(p, l.network);
            const OutputStage stage = findAcceleratorTemplate(name).value()->info().outputStage;
            // A layer left on its own whose operator the stage applies must read a result that
            // no MAC layer's stage still holds: one other layers also read, or a standalone one.
            for (const auto& layer : l.network.layers()) {
                const auto kind = fusedOpKind(layer);
                const LayerResult& lr = testing::layer(r, layer.name);
                if (!kind || !lr.fusedInto.empty() || lr.unit == "none")
                    continue;
                bool applies = false;
                switch (*kind) {
                case FusedOpKind::Fold: applies = true; break;
                case FusedOpKind::Scale: applies = stage.scale; break;
                case FusedOpKind::Clamp: applies = stage.clamp; break;
                case FusedOpKind::Piecewise: applies = stage.piecewise; break;
                case FusedOpKind::Lookup: applies = stage.lookup; break;
                case FusedOpKind::Residual: applies = stage.residual; break;
                case FusedOpKind::Pool: applies = stage.pool; break;
                }
                if (!applies)
                    continue;
                for (const auto& x : layer.inputs) {
                    const Network::Tensor* t = l.network.findTensor(x);
                    if (t->producer < 0)
                        continue;
                    const Layer& producer = l.network.layers()[static_cast<std::size_t>(t->producer)];
                    const LayerResult& pr = testing::layer(r, producer.name);
                    const bool inMacGroup = isMacKind(producer.kind) || !pr.fusedInto.empty();
                    const bool sameShape = *kind == FusedOpKind::Pool || layer.outputShapes[0] == t->shape;
                    INFO(layer.name << " (" << operatorName(layer) << ") reads " << x << " of " << producer.name);
                    CHECK_FALSE((inMacGroup && t->consumers.size() == 1 && sameShape && layer.inputs.size() == 1));
                }
            }
            // What stays outside the arrays is reported by operator, the fused ones as "output stage".
            bool stageListed = false;
            for (const auto& [op, pj] : r.nonMacEnergyPj)
                stageListed = stageListed || (op == "output stage" && pj > 0);
            CHECK(stageListed);
        }
    }
}
