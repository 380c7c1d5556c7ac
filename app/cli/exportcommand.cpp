// `cdx export PROJECT.json --to FORMAT --out PATH`: a design point for other tools. The writers
// are estimators/export's, shared with the studio's File > Export.
#include "app/cli/command.h"

#include "core/project/project.h"
#include "estimators/export/designexport.h"

#include <cstdio>
#include <memory>

namespace cdx::cli {

namespace {

struct ExportCliOptions {
    std::string project;
    std::string format;
    std::string out;
};

int runExport(const ExportCliOptions& options)
{
    auto project = loadProjectFile(options.project);
    if (!project)
        return reportError(project.error());
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return reportError(network.error());
    const auto format = exportFormatNamed(options.format);  // CLI11 has checked the name
    auto files = exportDesign(format.value_or(ExportFormat::Json), project.value(), network.value());
    if (!files)
        return reportError(files.error());
    if (auto error = writeExport(files.value(), options.out)) {
        if (error->location.empty())
            error->location = "--out";
        return reportError(*error);
    }
    for (const auto& note : files->notes)
        std::fprintf(stderr, "cdx: note: %s\n", note.c_str());
    if (exportFormatInfo(*format).folder)
        std::fprintf(stderr, "cdx: wrote %zu files to %s\n", files->files.size(), options.out.c_str());
    else
        std::fprintf(stderr, "cdx: wrote %s (%zu bytes)\n", options.out.c_str(), files->files.front().second.size());
    return 0;
}

}  // namespace

Command addExportCommand(CLI::App& app)
{
    auto options = std::make_shared<ExportCliOptions>();
    std::vector<std::string> names;
    std::string files, folders;
    for (const auto& f : exportFormats()) {
        names.emplace_back(f.name);
        std::string& list = f.folder ? folders : files;
        list += (list.empty() ? "" : ", ") + std::string(f.name);
    }
    auto* parser = app.add_subcommand("export", "A design point for other tools: the resolved project (json), the results table (csv), "
                                                "the PE parameters as a SystemVerilog package in a folder (verilog), Timeloop v3 cases (timeloop), "
                                                "SCALE-Sim configuration and topology (scalesim), hls4ml precisions and reuse factors (hls). "
                                                "The studio's File > Export writes the same files");
    parser->add_option("PROJECT", options->project, "A project .json (see projects/)")->required();
    parser->add_option("--to", options->format, files + " (one file); " + folders + " (a folder)")->required()->check(CLI::IsMember(names));
    parser->add_option("--out", options->out, "The file (" + files + ") or folder (" + folders + ") to write; files are replaced atomically")
        ->required();
    return {parser, [options] { return runExport(*options); }};
}

}  // namespace cdx::cli
