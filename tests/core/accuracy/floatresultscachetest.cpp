// The float network's results on disk (FloatResultsCache) and what AccuracySession makes of them:
// a warm open measures exactly what a cold one does, a damaged file is computed again.
#include "core/accuracy/accuracyrunner.h"
#include "core/accuracy/floatresultscache.h"
#include "core/onnx/onnximporter.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace cdx;
using nlohmann::ordered_json;

namespace {

const std::string kModel = std::string(CDX_TEST_DATA_DIR) + "/onnx/mnist.onnx";

FloatResults sample()
{
    FloatResults r;
    ValueRange a;
    a.minValue = -2.5;
    a.maxValue = 7.25;
    a.maxAbs = 7.25;
    a.medianAbs = 0.75;
    a.rms = 1.5;
    a.measured = true;
    r.ranges = {a, ValueRange::gaussian(1.0)};
    r.outputs = {0.5f, -1.0f, 2.0f, 3.0f, 4.0f};
    r.offsets = {0, 2, 2, 5};
    r.top1 = {0, 7, 2};
    r.top1Pct = 66.0;
    r.top5Pct = 100.0;
    return r;
}

/// A folder of its own under the temporary folder, emptied.
std::string scratchFolder(const std::string& name)
{
    const auto folder = std::filesystem::temp_directory_path() / ("cdx_floatresultscachetest_" + name);
    std::filesystem::remove_all(folder);
    return folder.string();
}

void checkSame(const FloatResults& a, const FloatResults& b)
{
    REQUIRE(a.ranges.size() == b.ranges.size());
    for (std::size_t i = 0; i < a.ranges.size(); ++i) {
        CHECK(a.ranges[i].minValue == b.ranges[i].minValue);
        CHECK(a.ranges[i].maxValue == b.ranges[i].maxValue);
        CHECK(a.ranges[i].maxAbs == b.ranges[i].maxAbs);
        CHECK(a.ranges[i].medianAbs == b.ranges[i].medianAbs);
        CHECK(a.ranges[i].rms == b.ranges[i].rms);
        CHECK(a.ranges[i].measured == b.ranges[i].measured);
    }
    CHECK(a.outputs == b.outputs);
    CHECK(a.offsets == b.offsets);
    CHECK(a.top1 == b.top1);
    CHECK(a.top1Pct == b.top1Pct);
    CHECK(a.top5Pct == b.top5Pct);
}

}  // namespace

TEST_CASE("accuracy float cache: a file reads back whole, and only whole", "[accuracy]")
{
    const FloatResults r = sample();
    const std::string bytes = FloatResultsCache::serialise("0123456789abcdef", r);
    const auto back = FloatResultsCache::parse(bytes, "0123456789abcdef");
    REQUIRE(back);
    checkSame(*back, r);
    CHECK(back->output(1).empty());
    CHECK(back->output(2).size() == 3);

    CHECK_FALSE(FloatResultsCache::parse(bytes, "fedcba9876543210"));  // another key
    for (std::size_t length : {std::size_t{0}, std::size_t{7}, std::size_t{20}, bytes.size() / 2, bytes.size() - 1})
        CHECK_FALSE(FloatResultsCache::parse(bytes.substr(0, length), "0123456789abcdef"));
    for (std::size_t at : {std::size_t{0}, std::size_t{9}, bytes.size() / 2, bytes.size() - 3}) {
        std::string damaged = bytes;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x20);
        INFO("byte " << at);
        CHECK_FALSE(FloatResultsCache::parse(damaged, "0123456789abcdef"));
    }
    CHECK_FALSE(FloatResultsCache::parse(bytes + "x", "0123456789abcdef"));
}

TEST_CASE("accuracy float cache: stored and found in its folder; a damaged file is absent", "[accuracy]")
{
    const FloatResultsCache cache(scratchFolder("store"));
    const FloatResults r = sample();
    CHECK_FALSE(cache.find("00000000000000aa", 2, 3));
    cache.store("00000000000000aa", r);
    const auto found = cache.find("00000000000000aa", 2, 3);
    REQUIRE(found);
    checkSame(*found, r);
    CHECK_FALSE(cache.find("00000000000000aa", 3, 3));  // other tensors observed
    CHECK_FALSE(cache.find("00000000000000aa", 2, 4));  // other examples

    std::filesystem::resize_file(cache.pathOf("00000000000000aa"), 40);
    CHECK_FALSE(cache.find("00000000000000aa", 2, 3));
    std::filesystem::remove_all(cache.folder());

    const FloatResultsCache off{std::string()};
    CHECK_FALSE(off.enabled());
    off.store("00000000000000aa", r);
    CHECK_FALSE(off.find("00000000000000aa", 2, 3));
}

TEST_CASE("accuracy float cache: the key hashes content, lengths included", "[accuracy]")
{
    CHECK(FloatResultsKey().add("ab").add("c").hex() != FloatResultsKey().add("a").add("bc").hex());
    CHECK(FloatResultsKey().add("abc").hex() == FloatResultsKey().add("abc").hex());
    const std::vector<float> values(1000, 1.0f);
    std::vector<float> changed = values;
    changed[999] = 1.0001f;
    CHECK(FloatResultsKey().add(values).hex() != FloatResultsKey().add(changed).hex());
    CHECK(FloatResultsKey().add(values).hex().size() == 16);
}

TEST_CASE("MNIST accuracy: a session opened from the float cache measures what a cold one does", "[accuracy][models]")
{
    const std::string folder = scratchFolder("mnist");
    ::setenv("CDX_ACCURACY_CACHE", folder.c_str(), 1);
    auto net = importOnnxFile(kModel);
    REQUIRE(net.ok());
    const ordered_json block = {
        {"dataset", {{"format", "idx"}, {"data", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"}, {"labels", "${CDX_DATA}/mnist/t10k-labels-idx1-ubyte"}}},
        {"calibration_dataset", {{"format", "idx"}, {"data", "${CDX_DATA}/mnist/train-images-idx3-ubyte"}, {"labels", "${CDX_DATA}/mnist/train-labels-idx1-ubyte"}}},
        {"metric", "top1"}, {"samples", 2000}, {"calibration", 100}};
    auto spec = AccuracySpec::fromJson(block, std::string(CDX_TEST_DATA_DIR) + "/project.json");
    REQUIRE(spec.ok());
    auto plan = CompressionPlan::fromJson({{"default", {{"weights", {{"bits", 4}, {"format", "int"}}}, {"activations", {{"bits", 6}, {"format", "int"}}}}}},
                                          "test.json");
    REQUIRE(plan.ok());

    AccuracyOptions options;
    options.threads = 2;
    const auto open = [&](bool floatCache) {
        AccuracyOptions o = options;
        o.floatCache = floatCache;
        auto session = AccuracySession::open(net.value(), kModel, spec.value(), o);
        INFO((session.ok() ? std::string() : session.error().describe()));
        REQUIRE(session.ok());
        return session.value();
    };
    const auto measure = [&](const AccuracySession& session) {
        auto r = session.measure(plan.value(), true);
        REQUIRE(r.ok());
        return r.value();
    };
    const auto uncached = open(false);
    CHECK_FALSE(uncached->floatCached());
    CHECK((!std::filesystem::exists(folder) || std::filesystem::is_empty(folder)));
    const auto cold = open(true);
    CHECK_FALSE(cold->floatCached());
    const auto warm = open(true);
    CHECK(warm->floatCached());

    const AccuracyReport a = measure(*uncached), b = measure(*cold), c = measure(*warm);
    for (const AccuracyReport* r : {&b, &c}) {
        CHECK(r->floatTop1 == a.floatTop1);
        CHECK(r->floatTop5 == a.floatTop5);
        CHECK(r->compressedTop1 == a.compressedTop1);
        CHECK(r->agreement == a.agreement);
        CHECK(r->outputSqnrDb == a.outputSqnrDb);
        CHECK(r->dropPp == a.dropPp);
        REQUIRE(r->layers.size() == a.layers.size());
        for (std::size_t i = 0; i < a.layers.size(); ++i) {
            CHECK(r->layers[i].sqnrDb == a.layers[i].sqnrDb);
            CHECK(r->layers[i].calibratedMin == a.layers[i].calibratedMin);
            CHECK(r->layers[i].calibratedMax == a.layers[i].calibratedMax);
            CHECK(r->layers[i].quantizer == a.layers[i].quantizer);
        }
    }
    // 2,000 examples: every second one gives the per-layer SQNR.
    CHECK(a.layerSqnrSamples == 1000);
    CHECK(measure(*warm).layerSqnrSamples == 1000);
    CHECK(warm->measure(plan.value(), false)->layerSqnrSamples == 0);

    SECTION("a damaged file is computed again and replaced")
    {
        std::filesystem::path file;
        for (const auto& entry : std::filesystem::directory_iterator(folder))
            file = entry.path();
        REQUIRE(file.filename().string().starts_with("float-"));
        std::filesystem::resize_file(file, std::filesystem::file_size(file) - 9);
        const auto recomputed = open(true);
        CHECK_FALSE(recomputed->floatCached());
        CHECK(measure(*recomputed).dropPp == a.dropPp);
        CHECK(open(true)->floatCached());
    }
    SECTION("$CDX_ACCURACY_CACHE=off turns it off")
    {
        ::setenv("CDX_ACCURACY_CACHE", "off", 1);
        CHECK_FALSE(open(true)->floatCached());
    }
    ::unsetenv("CDX_ACCURACY_CACHE");
    std::filesystem::remove_all(folder);
}
