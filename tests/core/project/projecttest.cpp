#include "core/project/networksource.h"
#include "core/project/project.h"
#include "core/util/fileio.h"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace cdx;
namespace fs = std::filesystem;

namespace {

const std::string kProjects = CDX_PROJECTS_DIR;
const std::string kData = CDX_TEST_DATA_DIR;

}  // namespace

TEST_CASE("the shipped default project loads with its network", "[project]")
{
    auto project = loadProjectFile(kProjects + "/default.json");
    REQUIRE(project.ok());
    CHECK_FALSE(project->name.empty());
    CHECK(project->network.source == NetworkReference::Source::Zoo);
    auto net = loadProjectNetwork(project.value());
    REQUIRE(net.ok());
    CHECK(net->totals().macs > 0);
}

TEST_CASE("every shipped project loads", "[project]")
{
    for (const auto& entry : fs::directory_iterator(kProjects)) {
        if (entry.path().extension() != ".json")
            continue;
        DYNAMIC_SECTION(entry.path().filename().string())
        {
            auto project = loadProjectFile(entry.path().string());
            REQUIRE(project.ok());
            // Saving is byte-stable: a saved project saves again to the same bytes.
            const std::string saved = writeProjectJson(project.value());
            auto reloaded = readProjectJson(saved, entry.path().string());
            REQUIRE(reloaded.ok());
            CHECK(writeProjectJson(reloaded.value()) == saved);
            // Networks under ${CDX_MODELS} are fetched; the [models] tests (realmodelsaccuracytest) load those.
            if (project->network.valueAsWritten.empty())
                CHECK(loadProjectNetwork(project.value()).ok());
        }
    }
}

TEST_CASE("project files round-trip byte for byte and keep unknown-to-us blocks", "[project]")
{
    const std::string text = R"({
  "format": "cdx-project", "version": 1, "name": "Round trip",
  "network": {"zoo": "bert_base", "seq_len": 64, "batch": 2, "dims": {"heads": 3}},
  "hardware": {"template": "systolic", "params": {"rows": 16, "cols": 16}, "preset": "gemmini_default"},
  "platform": {"kind": "asic", "node_nm": 28}
})";
    auto project = readProjectJson(text, "p.json");
    REQUIRE(project.ok());
    CHECK(project->network.dims.at("seq_len") == 64);
    CHECK(project->network.dims.at("heads") == 3);
    const std::string written = writeProjectJson(project.value());
    // The author's key order inside a block survives.
    CHECK(written.find("\"template\"") < written.find("\"params\""));
    CHECK(written.find("\"params\"") < written.find("\"preset\""));
    auto again = readProjectJson(written, "p.json");
    REQUIRE(again.ok());
    CHECK(writeProjectJson(again.value()) == written);
}

TEST_CASE("a network path under ${CDX_MODELS} reads from the models folder and saves as written", "[project]")
{
    const std::string text = R"({
  "format": "cdx-project", "version": 1, "name": "Fetched model",
  "network": {"onnx": "${CDX_MODELS}/blazeface_front_128.onnx"}
})";
    auto project = readProjectJson(text, "p.json");
    REQUIRE(project.ok());
    CHECK(project->network.value == modelsDirectory() + "/blazeface_front_128.onnx");
    CHECK(project->network.valueAsWritten == "${CDX_MODELS}/blazeface_front_128.onnx");
    const std::string written = writeProjectJson(project.value());
    CHECK(written.find("\"${CDX_MODELS}/blazeface_front_128.onnx\"") != std::string::npos);
    CHECK(written.find(modelsDirectory()) == std::string::npos);

    auto other = readProjectJson(R"({"format": "cdx-project", "version": 1, "name": "x", "network": {"onnx": "${HOME}/m.onnx"}})", "p.json");
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().location == "/network/onnx");
    CHECK(other.error().describe().find("${CDX_MODELS}") != std::string::npos);
}

TEST_CASE("a project's network file is found relative to the project", "[project]")
{
    const fs::path folder = fs::temp_directory_path() / "cdx-project-test";
    fs::create_directories(folder / "nets");
    fs::copy_file(kData + "/networks/tiny_cnn.json", folder / "nets" / "tiny.json", fs::copy_options::overwrite_existing);
    Project project;
    project.name = "relative";
    project.network = {NetworkReference::Source::File, "nets/tiny.json", {{"batch", 2}}};
    const std::string path = (folder / "relative.json").string();
    REQUIRE_FALSE(saveProjectFile(project, path).has_value());

    auto net = loadNetworkSource(path);
    REQUIRE(net.ok());
    CHECK(net->name() == "tiny_cnn");
    CHECK(net->findTensor("image")->shape[0] == 2);
    auto rebatched = loadNetworkSource(path, {{"batch", 5}});
    REQUIRE(rebatched.ok());
    CHECK(rebatched->findTensor("image")->shape[0] == 5);
    fs::remove_all(folder);
}

TEST_CASE("a missing network file names the project's reference", "[project]")
{
    Project project;
    project.filePath = "/tmp/somewhere/p.json";
    project.network = {NetworkReference::Source::File, "missing.json", {}};
    auto net = loadProjectNetwork(project);
    REQUIRE_FALSE(net.ok());
    CHECK_THAT(net.error().describe(), Catch::Contains("missing.json: no such file"));
}
