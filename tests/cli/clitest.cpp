// Black-box tests of the `cdx` executable: exit codes, stdout and stderr.
#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

using cdx::test::runCdx;

namespace {

const std::string kData = CDX_TEST_DATA_DIR;
const std::string kProjects = CDX_PROJECTS_DIR;

nlohmann::json parseStdout(const cdx::test::ProcessResult& r)
{
    INFO("stderr: " << r.err);
    REQUIRE(r.exitCode == 0);
    return nlohmann::json::parse(r.out);
}

}  // namespace

TEST_CASE("cdx --version and --help", "[cli]")
{
    const auto version = runCdx({"--version"});
    CHECK(version.exitCode == 0);
    CHECK_THAT(version.out, Catch::StartsWith("cdx (Codesign Explorer) "));
    const auto help = runCdx({"--help"});
    CHECK(help.exitCode == 0);
    CHECK_THAT(help.out, Catch::Contains("inspect") && Catch::Contains("networks") && Catch::Contains("Exit codes"));
    const auto inspectHelp = runCdx({"inspect", "--help"});
    CHECK(inspectHelp.exitCode == 0);
    CHECK_THAT(inspectHelp.out, Catch::Contains("--dim"));
}

TEST_CASE("usage errors exit with 2", "[cli]")
{
    CHECK(runCdx({}).exitCode == 2);
    CHECK(runCdx({"frobnicate"}).exitCode == 2);
    CHECK(runCdx({"inspect"}).exitCode == 2);
    CHECK(runCdx({"inspect", "resnet18", "--batch", "0"}).exitCode == 2);
    const auto dim = runCdx({"inspect", "resnet18", "--dim", "batch"});
    CHECK(dim.exitCode == 2);
    CHECK_THAT(dim.err, Catch::Contains("--dim batch: expected name=value"));
    CHECK(runCdx({"inspect", "resnet18", "--dim", "batch=-4"}).exitCode == 2);
}

TEST_CASE("cdx networks lists the zoo", "[cli]")
{
    const auto text = runCdx({"networks"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("resnet50") && Catch::Contains("bert_base") && Catch::Contains("ese_lstm"));
    const auto json = parseStdout(runCdx({"networks", "--json"}));
    CHECK(json["format"] == "cdx-networks");
    REQUIRE(json["networks"].size() >= 14);
    for (const auto& n : json["networks"]) {
        CHECK_FALSE(n["description"].get<std::string>().empty());
        CHECK_FALSE(n["source"].get<std::string>().empty());
    }
}

TEST_CASE("cdx inspect prints layers and totals", "[cli]")
{
    const auto r = runCdx({"inspect", "resnet50"});
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out, Catch::Contains("layer1.0.conv1") && Catch::Contains("4,089,184,256") &&
                          Catch::Contains("25,557,032"));
    CHECK(r.err.empty());
}

TEST_CASE("cdx inspect --json follows the documented format", "[cli][json]")
{
    const auto doc = parseStdout(runCdx({"inspect", "vgg16", "--json"}));
    CHECK(doc["format"] == "cdx-inspect");
    CHECK(doc["totals"]["params"] == 138357544);
    CHECK(doc["network"]["dims"]["batch"] == 1);
    const auto& layers = doc["layers"];
    REQUIRE(layers.size() == doc["totals"]["layers"].get<std::size_t>());
    std::int64_t macs = 0;
    for (const auto& layer : layers) {
        for (const char* key : {"name", "kind", "output_shapes", "macs", "params", "weights", "ops"})
            CHECK(layer.contains(key));
        macs += layer["macs"].get<std::int64_t>();
    }
    CHECK(macs == doc["totals"]["macs"].get<std::int64_t>());
    CHECK(layers[0]["output_shapes"][0] == nlohmann::json::array({1, 64, 224, 224}));
}

TEST_CASE("dimensions from the command line", "[cli][dims]")
{
    const auto one = parseStdout(runCdx({"inspect", "bert_base", "--json"}));
    const auto doc = parseStdout(runCdx({"inspect", "bert_base", "--json", "--batch", "2", "--seq-len", "64"}));
    CHECK(doc["network"]["dims"]["seq_len"] == 64);
    CHECK(doc["network"]["inputs"][0]["shape"] == nlohmann::json::array({2, 64}));
    CHECK(doc["totals"]["params"] == one["totals"]["params"]);

    const auto viaDim = parseStdout(runCdx({"inspect", "bert_base", "--json", "--dim", "batch=2", "--dim", "seq_len=64"}));
    CHECK(viaDim["totals"]["macs"] == doc["totals"]["macs"]);

    const auto unused = runCdx({"inspect", "resnet18", "--seq-len", "9"});
    CHECK(unused.exitCode == 0);
    CHECK_THAT(unused.err, Catch::Contains("warning: dimension seq_len = 9 is not used"));
}

TEST_CASE("cdx inspect reads network and project files", "[cli]")
{
    const auto net = parseStdout(runCdx({"inspect", kData + "/networks/tiny_cnn.json", "--json"}));
    CHECK(net["network"]["name"] == "tiny_cnn");
    const auto project = parseStdout(runCdx({"inspect", kProjects + "/default.json", "--json"}));
    CHECK(project["totals"]["macs"].get<std::int64_t>() > 0);
}

TEST_CASE("inspect can save the network to a file that inspects the same", "[cli]")
{
    const std::string path = "cdx_cli_saved_mobilenet.json";
    const auto zoo = parseStdout(runCdx({"inspect", "mobilenet_v1", "--json", "--save-network", path}));
    const auto file = parseStdout(runCdx({"inspect", path, "--json"}));
    CHECK(file["totals"] == zoo["totals"]);
    CHECK(file["layers"].size() == zoo["layers"].size());
    std::remove(path.c_str());
}

TEST_CASE("malformed inputs exit with their documented code and a located message", "[cli][errors]")
{
    std::ifstream manifest(kData + "/bad/cases.tsv");
    REQUIRE(manifest);
    std::string line;
    int cases = 0;
    while (std::getline(manifest, line)) {
        if (line.empty() || line[0] == '#')
            continue;
        std::istringstream fields(line);
        std::string file, code, fragment;
        std::getline(fields, file, '\t');
        std::getline(fields, code, '\t');
        std::getline(fields, fragment);
        ++cases;
        DYNAMIC_SECTION(file)
        {
            const auto r = runCdx({"inspect", kData + "/bad/" + file});
            CHECK(r.exitCode == std::stoi(code));
            CHECK_THAT(r.err, Catch::StartsWith("cdx: error: ") && Catch::Contains(fragment));
            CHECK(r.out.empty());
        }
    }
    CHECK(cases >= 40);
}

TEST_CASE("a model that crashes libonnx's shape inference imports with the importer's shapes", "[cli][errors]")
{
    // Found by the ONNX fuzzer: a ConvInteger that libonnx 1.12's shape inference reads past.
    const auto r = runCdx({"inspect", kData + "/bad/onnx/fuzz_inference_crash.onnx"});
    CHECK(r.exitCode == 0);
    CHECK_THAT(r.err, Catch::Contains("ONNX shape inference crashes on this model"));
}

TEST_CASE("an unknown zoo name is bad input with a suggestion", "[cli][errors]")
{
    const auto r = runCdx({"inspect", "resnet51"});
    CHECK(r.exitCode == 2);
    CHECK_THAT(r.err, Catch::Contains("did you mean"));
}

TEST_CASE("cdx inspect reads ONNX models", "[cli][onnx]")
{
    const auto doc = parseStdout(runCdx({"inspect", kData + "/onnx/mnist.onnx", "--json"}));
    CHECK(doc["totals"]["macs"] == 786560);
    CHECK(doc["totals"]["params"] == 5994);
    CHECK_THAT(doc["network"]["description"].get<std::string>(), Catch::Contains("opset 8"));
    const auto text = runCdx({"inspect", kData + "/onnx/mnist.onnx"});
    CHECK(text.exitCode == 0);
    CHECK_THAT(text.out, Catch::Contains("Convolution28") && Catch::Contains("786,560"));
}

TEST_CASE("ONNX options: --if-branch and --dim", "[cli][onnx]")
{
    CHECK(runCdx({"inspect", kData + "/onnx/mnist.onnx", "--if-branch", "sideways"}).exitCode == 2);
    CHECK(runCdx({"inspect", kData + "/onnx/mnist.onnx", "--if-branch", "else"}).exitCode == 0);
    const auto unknown = runCdx({"inspect", kData + "/bad/onnx/unknown_operator.onnx"});
    CHECK(unknown.exitCode == 0);
    CHECK_THAT(unknown.err, Catch::Contains("warning: operators not modelled") && Catch::Contains("Celu (1)"));
}
