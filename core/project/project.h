#pragma once

#include "core/network/network.h"
#include "core/util/result.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace cdx {

/// The project file format ("format": "cdx-project") this build reads and writes.
inline constexpr int kProjectFormatVersion = 1;

/// Which network a project studies: a zoo name, an ONNX file or a network JSON file (paths
/// relative to the project file), with values for its symbolic dimensions.
struct NetworkReference {
    enum class Source { Zoo, Onnx, File };
    Source source = Source::Zoo;
    std::string value;   ///< zoo name or path as written in the project, "${CDX_MODELS}" expanded (modelsDirectory())
    DimBindings dims;    ///< "batch", "seq_len" and the entries of "dims"
    /// ONNX only: the branch to take of an If whose condition is unknown at import.
    std::string ifBranch = "then";
    std::string valueAsWritten;  ///< the path with "${CDX_MODELS}" as the project wrote it, for saving; empty otherwise
};

/// The folder "${CDX_MODELS}" in a project's network path stands for: $CDX_MODELS_DIR, else ~/.cache/cdx-models
/// (where scripts/fetch-models.sh puts the real test models).
std::string modelsDirectory();

/// A design point and its design space, as saved in a project file. Blocks whose model is
/// not built yet are kept verbatim so that saving never loses them.
struct Project {
    std::string name;
    NetworkReference network;
    nlohmann::ordered_json compression = nlohmann::ordered_json::object();
    nlohmann::ordered_json hardware = nlohmann::ordered_json::object();
    nlohmann::ordered_json platform = nlohmann::ordered_json::object();
    nlohmann::ordered_json tech = nlohmann::ordered_json::object();
    nlohmann::ordered_json explore = nlohmann::ordered_json::object();
    /// How accuracy is measured (core/accuracy/accuracyspec.h): checked at load, kept verbatim;
    /// empty when the project has no data to measure on. Written only when present.
    nlohmann::ordered_json accuracy = nlohmann::ordered_json::object();

    std::string filePath;  ///< where it was loaded from; relative network paths resolve against its folder
};

/// Parses a project document; errors name `file` and the JSON pointer.
Result<Project> readProjectJson(const std::string& text, const std::string& file);
Result<Project> loadProjectFile(const std::string& path);

/// Deterministic JSON text of the project; reading it back gives the same project.
std::string writeProjectJson(const Project& project);
std::optional<Error> saveProjectFile(const Project& project, const std::string& path);

/// The network the project refers to, with its dimension bindings applied.
Result<Network> loadProjectNetwork(const Project& project);

}  // namespace cdx
