// Whole-network estimates on the shipped projects: the published figures (Aristotle), the TPU's
// peak and its memory-bound layers, scaling with the array, the pipeline's slowest stage, the
// result cache, and the templates' architectures against the Timeloop reference designs.
#include "core/project/project.h"
#include "core/zoo/zoo.h"
#include "estimators/estimate/estimator.h"
#include "estimators/platform/platform.h"
#include "estimators/templates/acceleratortemplate.h"
#include "estimators/templates/loopnestdesign.h"
#include "estimators/templates/templatecommon.h"
#include "estimators/timeloop/timeloopcase.h"
#include "estimators/workload/workload.h"

#include "tests/estimators/projecttesting.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

using namespace cdx;
using namespace cdx::testing;

namespace {

}  // namespace

TEST_CASE("Aristotle on the XC7Z020 reproduces Guo et al.'s figures", "[estimate][paper][aristotle]")
{
    const auto r = estimate(load("aristotle_vgg16.json"));
    REQUIRE(r.fpga);
    const FpgaResources& used = r.fpgaUsage.used;
    const double bramKB = used.bram36 * 36864 / 8 / 1000;
    INFO("peak " << r.peakOpsPerS / 1e9 << " GOPS, DSP " << used.dsp << ", LUT " << used.lut << ", BRAM " << bramKB << " KB, power "
                 << r.powerW << " W");
    CHECK(within(r.peakOpsPerS, 123e9, 0.01));   // 2 x 16 x 9 MACs x 2 ops x 214 MHz
    CHECK(within(used.dsp, 198, 0.15));
    CHECK(within(used.lut, 27000, 0.25));
    CHECK(within(bramKB, 272, 0.20));
    CHECK(within(r.powerW, 3.0, 0.40));
    // Convolutions with 3 x 3 kernels keep the convolvers busy; fully connected layers wait for DDR.
    CHECK(layer(r, "conv3_2").utilization > 0.9);
    CHECK(layer(r, "fc6").bound == "DRAM");
}

TEST_CASE("The TPU v1: its peak, its compute-bound and its memory-bound layers", "[estimate][tpu]")
{
    const auto project = load("tpu_v1_resnet50.json");
    const auto r = estimate(project);
    CHECK(r.peakOpsPerS == Approx(65536.0 * 2 * 700e6));
    // Batch 1: the final fully connected layer streams 2,048,000 int8 weights at 34 GB/s.
    const LayerResult& fc = layer(r, "fc");
    CHECK(fc.bound == "DRAM");
    const double weightCycles = 2048000.0 / (34e9 / 700e6);
    CHECK(static_cast<double>(fc.cycles) >= weightCycles * 0.99);
    CHECK(static_cast<double>(fc.cycles) <= weightCycles * 1.25);
    // A bigger array does not help a memory-bound layer.
    const auto big = estimate(project, {{"rows", 512}, {"cols", 512}});
    CHECK(static_cast<double>(layer(big, "fc").cycles) >= static_cast<double>(fc.cycles) * 0.99);
}

TEST_CASE("Compute-bound layers get faster with more PEs", "[estimate][scaling]")
{
    const auto project = load("gemmini_resnet50.json");
    const auto small = estimate(project);
    const auto big = estimate(project, {{"rows", 32}, {"cols", 32}});
    const LayerResult& a = layer(small, "layer3.0.conv2");
    const LayerResult& b = layer(big, "layer3.0.conv2");
    CHECK(a.bound == "mac");
    CHECK(static_cast<double>(b.cycles) < static_cast<double>(a.cycles) * 0.5);
    CHECK(big.peakOpsPerS == Approx(4 * small.peakOpsPerS));
    CHECK(big.latencyS < small.latencyS);
}

TEST_CASE("A design's summary rounds its memory sizes to the nearest tenth of a KiB", "[estimate][summary]")
{
    CHECK(kibText(1048576) == "128");
    CHECK(kibText(43690.0 * 24) == "128");  // 128 KiB of 24-bit words: 43,690 whole words, 127.998 KiB
    CHECK(kibText(4096) == "0.5");
    CHECK(kibText(8192 * 7202.5) == "7202.5");
    CHECK(kibText(0) == "0");
    // Gemmini's 128 KiB accumulator holding 24-bit partial sums is 128 KiB, not 127.
    const auto l = load("explore_systolic_lenet.json");
    const auto r = estimate(l, {{"accumulator_bits", 24}});
    CHECK_THAT(r.design, Catch::Contains("128 KiB scratchpad, 128 KiB accumulator"));
}

TEST_CASE("A layer pipeline runs at the pace of its slowest stage", "[estimate][pipeline]")
{
    const auto project = load("dnnu_lenet300100.json");
    const auto fastest = estimate(project);
    REQUIRE(fastest.pipelined);
    Dim slowest = 0;
    for (const auto& l : fastest.layers)
        slowest = std::max(slowest, l.cycles);
    CHECK(fastest.cycles == slowest);
    // A throughput target folds the stages less and uses fewer resources.
    const auto folded = estimate(project, {{"target_fps", 20000}});
    CHECK(folded.cycles <= static_cast<Dim>(200e6 / 20000));
    CHECK(folded.cycles > fastest.cycles);
    CHECK(folded.fpgaUsage.used.lut < fastest.fpgaUsage.used.lut);
    // A met target is no warning; what the folding reached is in the design's summary.
    const auto folding = [](const NetworkResult& r) {
        return std::count_if(r.warnings.begin(), r.warnings.end(), [](const std::string& w) { return w.rfind("folding", 0) == 0; });
    };
    CHECK(folding(folded) == 0);
    CHECK(folding(fastest) == 0);  // folded as far as the device allows: what was asked
    CHECK_THAT(folded.design, Catch::Contains("folded to 20000 inferences/s (slowest stage "));
    // A target out of reach is.
    const auto missed = estimate(project, {{"target_fps", 1e8}});
    REQUIRE(folding(missed) == 1);
    const auto it = std::find_if(missed.warnings.begin(), missed.warnings.end(), [](const std::string& w) { return w.rfind("folding", 0) == 0; });
    CHECK_THAT(*it, Catch::Contains("the target of 100000000 inferences/s is not met"));
}

TEST_CASE("A batch norm folded into its layer is information, not a warning, on every template", "[estimate][templates][fusion]")
{
    auto net = loadZooNetwork("resnet18");
    REQUIRE(net.ok());
    const auto bn = std::find_if(net->layers().begin(), net->layers().end(), [](const Layer& l) { return !l.foldsInto.empty(); });
    REQUIRE(bn != net->layers().end());
    const std::vector<Workload> folded = lowerLayer(*bn, LayerCompression{});
    REQUIRE(folded.size() == 1);
    REQUIRE(folded[0].unit == WorkUnit::None);
    REQUIRE_FALSE(folded[0].note.empty());
    auto tech = TechLibrary::load();
    auto fpga = FpgaLibrary::load();
    REQUIRE(tech.ok());
    REQUIRE(fpga.ok());
    for (const AcceleratorTemplate* tmpl : acceleratorTemplates()) {
        const TemplateInfo& info = tmpl->info();
        DYNAMIC_SECTION(info.name)
        {
            REQUIRE_FALSE(info.presets.empty());
            const PresetSpec& preset = info.presets.front();
            auto params = TemplateParams::resolve(info, &preset, nlohmann::ordered_json::object(), "test");
            REQUIRE(params.ok());
            auto spec = PlatformSpec::fromJson(preset.platform, "test");
            REQUIRE(spec.ok());
            auto platform = Platform::create(spec.value(), std::make_shared<const TechLibrary>(tech.value()),
                                             std::make_shared<const FpgaLibrary>(fpga.value()));
            REQUIRE(platform.ok());
            const DesignInputs inputs{params.value(), platform.value(), {8, NumberFormat::Int}, {8, NumberFormat::Int}, 0, folded, preset.name};
            auto design = tmpl->build(inputs);
            INFO((design.ok() ? std::string() : design.error().describe()));
            REQUIRE(design.ok());
            auto r = design.value()->evaluate(folded[0], EvaluateOptions{});
            REQUIRE(r.ok());
            CHECK(r->warnings.empty());
            CHECK(r->shape == folded[0].note);
        }
    }
}

TEST_CASE("The estimator caches workload results", "[estimate][cache]")
{
    const auto l = load("nvdla_small_resnet18.json");
    Estimator estimator;
    auto first = estimator.estimate(l.project, l.network);
    REQUIRE(first.ok());
    const std::size_t cached = estimator.cachedResults();
    CHECK(cached < first->layers.size());  // identical blocks share a result
    auto again = estimator.estimate(l.project, l.network);
    REQUIRE(again.ok());
    CHECK(estimator.cachedResults() == cached);
    CHECK(again->energyPj == first->energyPj);
    CHECK(again->cycles == first->cycles);
    // A change to one layer's precision evaluates only that layer again.
    Project changed = l.project;
    changed.compression["layers"] = nlohmann::ordered_json::array({{{"match", "fc"}, {"weights", {{"bits", 4}}}}});
    auto third = estimator.estimate(changed, l.network);
    REQUIRE(third.ok());
    CHECK(estimator.cachedResults() == cached + 1);
}

TEST_CASE("Threads sharing an estimator over more designs than it keeps all get their results", "[estimate][cache]")
{
    // 80 array sizes, a cache of 2 designs: estimates clear it while others are between finding
    // their cached layers and mapping the rest (each thread has its own fc precision, so a
    // design another thread estimated is only partly cached).
    // No Catch2 assertions in the threads (they are not thread-safe): the projects are read first.
    std::vector<Project> projects;
    for (int rows = 1; rows <= 80; ++rows) {
        auto p = readProjectJson(R"({"format": "cdx-project", "version": 1, "name": "t", "network": {"zoo": "lenet5"},
            "hardware": {"template": "systolic", "preset": "gemmini_default", "mapper": {"budget": 60}, "params": {"rows": )" +
                                     std::to_string(rows) + "}}}",
                                 "t.json");
        REQUIRE(p.ok());
        projects.push_back(std::move(p).value());
    }
    std::vector<std::vector<Project>> perThread(3, projects);
    for (std::size_t t = 0; t < perThread.size(); ++t)
        for (Project& p : perThread[t])
            p.compression = {{"default", {{"weights", {{"bits", 8}}}, {"activations", {{"bits", 8}}}}},
                             {"layers", nlohmann::ordered_json::array({{{"kind", "fc"}, {"weights", {{"bits", 4 + static_cast<int>(t)}}}}})}};
    auto network = loadProjectNetwork(projects.front());
    REQUIRE(network.ok());
    Estimator shared(2);
    std::atomic<int> failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 3; ++t)
        threads.emplace_back([&, t] {
            for (int k = 0; k < 80; ++k) {
                const std::size_t at = static_cast<std::size_t>(k * (2 * t + 1)) % projects.size();  // each thread in its own order
                try {
                    if (!shared.estimate(perThread[static_cast<std::size_t>(t)][at], network.value()).ok())
                        ++failures;
                } catch (...) {
                    ++failures;
                }
            }
        });
    for (auto& thread : threads)
        thread.join();
    CHECK(failures == 0);
    // The shared cache gives what a fresh estimator does.
    for (std::size_t at : {2u, 63u}) {
        auto mine = shared.estimate(projects[at], network.value());
        auto fresh = Estimator().estimate(projects[at], network.value());
        REQUIRE(mine.ok());
        REQUIRE(fresh.ok());
        CHECK(mine->energyPj == fresh->energyPj);
        CHECK(mine->cycles == fresh->cycles);
    }
}

TEST_CASE("The loop-nest templates build the Timeloop reference architectures", "[estimate][templates][timeloop]")
{
    const std::pair<const char*, const char*> cases[] = {
        {"simple_ws", "simple_weight_stationary"}, {"simple_os", "simple_output_stationary"}, {"eyeriss", "eyeriss_like"}};
    for (const auto& [name, folder] : cases) {
        DYNAMIC_SECTION(name)
        {
            auto tmpl = findAcceleratorTemplate(name);
            REQUIRE(tmpl.ok());
            const TemplateInfo& info = tmpl.value()->info();
            const PresetSpec* preset = info.presets.front().name == "timeloop_example" || info.presets.front().name == "eyeriss_like"
                                           ? &info.presets.front()
                                           : nullptr;
            REQUIRE(preset);
            auto params = TemplateParams::resolve(info, preset, nlohmann::ordered_json::object(), "test");
            REQUIRE(params.ok());
            auto spec = PlatformSpec::fromJson(preset->platform, "test");
            REQUIRE(spec.ok());
            auto tech = TechLibrary::load();
            auto fpga = FpgaLibrary::load();
            REQUIRE(tech.ok());
            REQUIRE(fpga.ok());
            auto platform = Platform::create(spec.value(), std::make_shared<const TechLibrary>(tech.value()),
                                             std::make_shared<const FpgaLibrary>(fpga.value()));
            REQUIRE(platform.ok());
            const std::vector<Workload> none;
            const DesignInputs inputs{params.value(), platform.value(), {8, NumberFormat::Int}, {8, NumberFormat::Int}, 0, none, preset->name};
            auto design = tmpl.value()->build(inputs);
            REQUIRE(design.ok());
            const auto* loop = dynamic_cast<const LoopNestDesign*>(design.value().get());
            REQUIRE(loop);
            auto reference = loadTimeloopCase(std::string(CDX_TEST_DATA_DIR) + "/timeloop/" + folder);
            REQUIRE(reference.ok());
            const Architecture& ours = loop->architecture();
            const Architecture& theirs = reference->architecture;
            REQUIRE(ours.levels() == theirs.levels());
            for (int i = 0; i < ours.levels(); ++i) {
                const auto& a = ours.storage[static_cast<std::size_t>(i)];
                const auto& b = theirs.storage[static_cast<std::size_t>(i)];
                INFO("level " << b.name);
                CHECK(a.name == b.name);
                CHECK(a.instances() == b.instances());
                CHECK(a.depth == b.depth);
                CHECK(a.wordBits == b.wordBits);
                CHECK(a.blockSize == b.blockSize);
            }
            CHECK(ours.arithmetic.instances() == theirs.arithmetic.instances());
            CHECK(loop->peakMacsPerCycle() == Approx(static_cast<double>(theirs.arithmetic.instances())));
        }
    }
}

TEST_CASE("structured pruning in the plan shortens the estimate; element sparsity is reported, not exploited",
          "[estimate][compression]")
{
    const Loaded tpu = load("tpu_v1_resnet50.json");
    const NetworkResult dense = estimate(tpu);
    Project blocked = tpu.project;
    blocked.compression["layers"] = nlohmann::ordered_json::parse(R"([{"match": "layer4.*conv2", "pruning": {"kind": "block_diagonal", "blocks": 8}}])");
    Estimator estimator;
    auto r = estimator.estimate(blocked, tpu.network);
    REQUIRE(r.ok());
    CHECK(r->macs == dense.macs);  // dense, algorithmic
    CHECK(r->effectiveMacs < dense.effectiveMacs);
    const LayerResult& before = layer(dense, "layer4.0.conv2");
    const LayerResult& after = layer(r.value(), "layer4.0.conv2");
    CHECK(after.macs == before.macs);
    CHECK(after.effectiveMacs * 8 == before.effectiveMacs);
    CHECK(after.cycles < before.cycles);
    // Each layer's analysis is in the result, in network order.
    REQUIRE(r->compression.size() == tpu.network.layers().size());
    for (const auto& c : r->compression)
        if (c.layer == "layer4.0.conv2")
            CHECK(c.effect.structuralGroups == 8);

    Project sparse = tpu.project;
    sparse.compression["layers"] = nlohmann::ordered_json::parse(R"([{"kind": "conv", "pruning": {"kind": "unstructured", "density": 0.2}}])");
    auto s = estimator.estimate(sparse, tpu.network);
    REQUIRE(s.ok());
    CHECK(s->cycles == dense.cycles);
    CHECK(std::any_of(s->warnings.begin(), s->warnings.end(), [](const std::string& w) { return w.find("as dense") != std::string::npos; }));
}

TEST_CASE("a pruned network is faster than the dense one exactly on the templates that exploit the pruning",
          "[estimate][compression][templates]")
{
    // LeNet-300-100 with every FC layer pruned unstructured to 10%, against the same network
    // unpruned, on each template's preset (and a systolic array that skips zero weights).
    struct Case {
        std::string templateName, preset;
        nlohmann::ordered_json params;
    };
    const std::vector<Case> cases = {
        {"systolic", "gemmini_default", nlohmann::ordered_json::object()},
        {"systolic", "gemmini_default", {{"sparse_weights", "skip"}, {"sparse_format", "bitmask"}}},
        {"eyeriss", "eyeriss_v1", nlohmann::ordered_json::object()},
        {"block_pe_array", "apu", nlohmann::ordered_json::object()},
        {"sparse_mv", "eie", nlohmann::ordered_json::object()},
        {"bit_serial", "fpap", nlohmann::ordered_json::object()},
        {"circulant_fft", "clstm", nlohmann::ordered_json::object()},  // circulant blocks, not zeros
    };
    for (const Case& c : cases) {
        const auto* tmpl = findAcceleratorTemplate(c.templateName).value();
        const bool exploits = tmpl->info().exploits.elementSparsity || c.params.contains("sparse_weights");
        const auto run = [&](bool pruned) {
            nlohmann::ordered_json j = {{"format", "cdx-project"}, {"version", 1}, {"name", "pruned"}, {"network", {{"zoo", "lenet300100"}}}};
            j["compression"] = {{"default", nlohmann::ordered_json::object()}};
            if (pruned)
                j["compression"]["layers"] = {{{"kind", "fc"}, {"pruning", {{"kind", "unstructured"}, {"density", 0.1}}}}};
            j["hardware"] = {{"template", c.templateName}, {"preset", c.preset}, {"params", c.params}};
            auto project = readProjectJson(j.dump(), "pruned.json");
            INFO((project.ok() ? std::string() : project.error().describe()));
            REQUIRE(project.ok());
            const Project& p = project.value();
            auto network = loadProjectNetwork(p);
            REQUIRE(network.ok());
            auto r = Estimator().estimate(p, network.value());
            INFO((r.ok() ? std::string() : r.error().describe()));
            REQUIRE(r.ok());
            return std::move(r).value();
        };
        const NetworkResult dense = run(false), pruned = run(true);
        const bool warned = std::any_of(pruned.warnings.begin(), pruned.warnings.end(),
                                        [](const std::string& w) { return w.find("as dense") != std::string::npos; });
        INFO(c.templateName << " (" << c.preset << ", " << c.params.dump() << "): dense " << dense.latencyS * 1e6 << " us, pruned "
                            << pruned.latencyS * 1e6 << " us");
        CHECK((pruned.latencyS < 0.8 * dense.latencyS) == exploits);
        CHECK(pruned.latencyS <= dense.latencyS * 1.0001);
        CHECK(warned == !exploits);
    }
}

TEST_CASE("A plan narrower than a fixed datapath gets one warning naming its layers; bit-serial follows the bits",
          "[estimate][precision]")
{
    auto precisionWarnings = [](const NetworkResult& r) {
        std::vector<std::string> found;
        for (const auto& w : r.warnings)
            if (w.rfind("precision:", 0) == 0)
                found.push_back(w);
        return found;
    };
    // Gemmini's systolic array is 8 bits wide, as its plan.
    const auto gemmini = testing::load("gemmini_resnet50.json");
    CHECK(precisionWarnings(testing::estimate(gemmini.project, gemmini.network)).empty());
    Project narrow = gemmini.project;
    narrow.compression["layers"] = nlohmann::ordered_json::array({{{"kind", "conv"}, {"index", {0, 12}}, {"weights", {{"bits", 4}}}}});
    const NetworkResult narrowed = testing::estimate(narrow, gemmini.network);
    const auto warnings = precisionWarnings(narrowed);
    REQUIRE(warnings.size() == 1);
    std::size_t asked = 0;
    for (std::size_t i = 0; i <= 12; ++i)
        asked += gemmini.network.layers()[i].kind == LayerKind::Conv;
    CHECK_THAT(warnings[0], Catch::Contains("fixed at 8-bit weights") && Catch::Contains(std::to_string(asked) + " layers ask") &&
                                Catch::Contains(gemmini.network.layers()[0].name + " w4"));
    // Costed at the datapath's width: the same cycles as the 8-bit plan.
    CHECK(narrowed.cycles == testing::estimate(gemmini.project, gemmini.network).cycles);

    // FPAP's bit-serial array takes its time from the bits: 4-bit weights (two bit pairs) against
    // 8-bit ones (four), no warning, and its peak at the plan's width.
    const auto fpap = testing::load("explore_mnist.json");
    Project eight = fpap.project, four = fpap.project;
    four.compression["default"]["weights"]["bits"] = 4;
    const NetworkResult r8 = testing::estimate(eight, fpap.network);
    const NetworkResult r4 = testing::estimate(four, fpap.network);
    CHECK(precisionWarnings(r4).empty());
    CHECK(r4.peakOpsPerS == Approx(2 * r8.peakOpsPerS));
    double arrayCycles8 = 0, arrayCycles4 = 0;
    for (const auto& l : r8.layers)
        arrayCycles8 += l.unit == "array" ? static_cast<double>(l.cycles) : 0.0;
    for (const auto& l : r4.layers)
        arrayCycles4 += l.unit == "array" ? static_cast<double>(l.cycles) : 0.0;
    INFO(arrayCycles8 << " cycles at 8 bits, " << arrayCycles4 << " at 4");
    CHECK(arrayCycles4 < 0.65 * arrayCycles8);
    CHECK(arrayCycles4 > 0.35 * arrayCycles8);
    CHECK(r8.opsPerS <= r8.peakOpsPerS);
    CHECK(r4.opsPerS <= r4.peakOpsPerS);
}

TEST_CASE("Every FPGA design counts its control, DMA and address generation", "[estimate][fpga]")
{
    // Gemmini's systolic array on an XCVU9P: before, only the vector unit's 256 LUTs were counted.
    const auto gemmini = testing::load("gemmini_resnet50.json");
    Project onFpga = gemmini.project;
    onFpga.platform = {{"kind", "fpga"}, {"device", "xcvu9p"}, {"clock_mhz", 200}, {"dram", "ddr4"}};
    const NetworkResult r = testing::estimate(onFpga, gemmini.network);
    REQUIRE(r.fpga);
    const auto& items = r.fpgaUsage.breakdown;
    const auto control = std::find_if(items.begin(), items.end(), [](const auto& item) { return item.first.find("control") != std::string::npos; });
    REQUIRE(control != items.end());
    CHECK(control->second.lut == Approx(4500));
    CHECK(control->second.ff == Approx(5400));
    CHECK(r.fpgaUsage.used.lut >= control->second.lut);
    // The shipped FPGA projects of the other templates keep theirs.
    for (const char* file : {"aristotle_vgg16.json", "descartes_ese_lstm.json", "circnn_alexnet.json"}) {
        INFO(file);
        const auto l = testing::load(file);
        const NetworkResult e = testing::estimate(l.project, l.network);
        const auto& parts = e.fpgaUsage.breakdown;
        CHECK(std::any_of(parts.begin(), parts.end(), [](const auto& item) { return item.first.find("control") != std::string::npos && item.second.lut >= 4500; }));
    }
}
