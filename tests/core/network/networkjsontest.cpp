#include "core/network/networkjson.h"
#include "core/project/networksource.h"
#include "core/util/fileio.h"
#include "core/zoo/zoo.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace cdx;

namespace {

const std::string kData = CDX_TEST_DATA_DIR;

struct BadCase {
    std::string file;
    int exitCode = 0;
    std::string fragment;
};

std::vector<BadCase> badCases()
{
    std::ifstream in(kData + "/bad/cases.tsv");
    std::vector<BadCase> cases;
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        BadCase c;
        std::string code;
        std::getline(fields, c.file, '\t');
        std::getline(fields, code, '\t');
        std::getline(fields, c.fragment);
        c.exitCode = std::stoi(code);
        cases.push_back(c);
    }
    return cases;
}

}  // namespace

TEST_CASE("every zoo network survives a JSON round trip byte for byte", "[json][zoo]")
{
    for (const auto& entry : zooEntries()) {
        DYNAMIC_SECTION(entry.name)
        {
            auto net = loadZooNetwork(entry.name);
            REQUIRE(net.ok());
            const std::string first = writeNetworkJson(net->toSpec());
            auto again = readNetworkJson(first, "roundtrip.json");
            INFO(first.substr(0, 400));
            REQUIRE(again.ok());
            CHECK(writeNetworkJson(again->toSpec()) == first);
            CHECK(again->totals().macs == net->totals().macs);
            CHECK(again->totals().params == net->totals().params);
            CHECK(again->totals().ops == net->totals().ops);
            CHECK(again->layers().size() == net->layers().size());
            // Symbolic dimensions stay symbolic, so the file can be re-batched.
            auto batched = readNetworkJson(first, "roundtrip.json", {{"batch", 3}});
            REQUIRE(batched.ok());
            CHECK(batched->totals().macs == 3 * net->totals().macs);
        }
    }
}

TEST_CASE("hand-written network files load with the expected shapes", "[json]")
{
    auto net = loadNetworkFile(kData + "/networks/tiny_cnn.json");
    REQUIRE(net.ok());
    CHECK(net->findTensor("dw")->shape == Shape{1, 16, 16, 16});
    CHECK(net->findTensor("dilated")->shape == Shape{1, 32, 16, 16});
    CHECK(net->findTensor("gap")->shape == Shape{1, 32, 1, 1});
    CHECK(net->findTensor("softmax")->shape == Shape{1, 10});
    CHECK(net->findLayer("dw")->counts.weights == 16 * 9);
    CHECK(net->findLayer("bn1")->foldsInto == "conv1");
    CHECK(net->findTensor("up")->shape == Shape{1, 8, 16, 16});
    CHECK(net->findTensor("up_mean")->shape == Shape{1, 8});
    CHECK(net->findLayer("scale")->counts.params == 10);
    CHECK(net->outputs() == std::vector<std::string>{"up_mean", "softmax"});

    auto lstm = loadNetworkFile(kData + "/networks/speech_lstm.json");
    REQUIRE(lstm.ok());
    CHECK(lstm->findTensor("lstm")->shape == Shape{100, 1, 256});
    const Dim layer1 = 4 * 320 * (40 + 128) + 320 * 128 + 3 * 320;
    const Dim layer2 = 4 * 320 * (256 + 128) + 320 * 128 + 3 * 320;
    CHECK(lstm->findLayer("lstm")->counts.weights == 2 * (layer1 + layer2));
    CHECK(lstm->findTensor("classifier")->shape == Shape{100, 1, 61});

    // Read, write, read, write: stable bytes for hand-written files too.
    const std::string once = writeNetworkJson(net->toSpec());
    auto reread = readNetworkJson(once, "x.json");
    REQUIRE(reread.ok());
    CHECK(writeNetworkJson(reread->toSpec()) == once);
}

TEST_CASE("saving a network is atomic and reloads the same", "[json][save]")
{
    auto net = loadZooNetwork("mobilenet_v2");
    REQUIRE(net.ok());
    const std::string path = "cdx_saved_network_test.json";
    REQUIRE_FALSE(saveNetworkFile(net.value(), path).has_value());
    auto loaded = loadNetworkFile(path);
    REQUIRE(loaded.ok());
    CHECK(loaded->totals().params == 3'504'872);
    std::remove(path.c_str());
}

TEST_CASE("malformed network and project files give a located error", "[json][errors]")
{
    const auto cases = badCases();
    REQUIRE(cases.size() >= 20);
    for (const auto& c : cases) {
        DYNAMIC_SECTION(c.file)
        {
            auto net = loadNetworkSource(kData + "/bad/" + c.file);
            REQUIRE_FALSE(net.ok());
            CHECK(static_cast<int>(net.error().code) == c.exitCode);
            CHECK_THAT(net.error().describe(), Catch::Contains(c.fragment));
            CHECK_THAT(net.error().describe(), Catch::Contains(c.file));
        }
    }
}
