#pragma once

// Exporting a design point for other tools: the one implementation behind `cdx export` and the
// studio's File > Export, so both write the same bytes.

#include "core/network/network.h"
#include "core/project/project.h"
#include "core/util/result.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cdx {

enum class ExportFormat { Json, Csv, Verilog, Timeloop, ScaleSim, Hls };

struct ExportFormatInfo {
    ExportFormat format;
    const char* name;         ///< as `cdx export --to` takes it
    const char* title;        ///< for a menu: "Timeloop v3 cases"
    bool folder;              ///< writes a folder of files (else one file)
    const char* fileFilter;   ///< one-file formats: a save dialog's filter, "JSON (*.json)"
};

/// Every format, in the order the CLI's help and the studio's menu list them.
const std::vector<ExportFormatInfo>& exportFormats();
const ExportFormatInfo& exportFormatInfo(ExportFormat format);
std::optional<ExportFormat> exportFormatNamed(std::string_view name);

/// What an export writes and says.
struct ExportOutput {
    /// path below the output folder -> contents. A one-file format has one entry, named "".
    std::vector<std::pair<std::string, std::string>> files;
    std::vector<std::string> notes;  ///< what the target format cannot say
};

/// Estimates `project` on `network` and writes the design in `format`. A design the format
/// cannot describe (a SCALE-Sim export of a non-systolic template, ...) is bad input at the key
/// that decides it.
Result<ExportOutput> exportDesign(ExportFormat format, const Project& project, const Network& network);

/// Writes an export to `out`: the file itself for a one-file format, else a folder (made when
/// missing) with each file replaced atomically. An error names the path that failed and "--out".
std::optional<Error> writeExport(const ExportOutput& output, const std::string& out);

/// A name usable as a file, folder or HDL identifier: other characters become '_'.
std::string exportIdentifier(std::string name);

}  // namespace cdx
