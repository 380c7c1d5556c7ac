#pragma once

#include "core/network/networkspec.h"
#include "core/util/error.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <variant>
#include <string>
#include <vector>

namespace cdx::cli {

/// A subcommand: its CLI11 parser and what runs when it was chosen; `run` returns the exit code.
struct Command {
    CLI::App* parser = nullptr;
    std::function<int()> run;
};

Command addNetworksCommand(CLI::App& app);
Command addInspectCommand(CLI::App& app);
Command addTimeloopCommand(CLI::App& app);
Command addEstimateCommand(CLI::App& app);
Command addTemplatesCommand(CLI::App& app);
Command addCompressCommand(CLI::App& app);
Command addAccuracyCommand(CLI::App& app);
Command addExploreCommand(CLI::App& app);
Command addMergeCommand(CLI::App& app);
Command addValidateCommand(CLI::App& app);
Command addExportCommand(CLI::App& app);
Command addChartCommand(CLI::App& app);
Command addReportCommand(CLI::App& app);
Command addCalibrateCommand(CLI::App& app);

/// Prints "cdx: error: <description>" on stderr and returns the error's exit code.
int reportError(const Error& error);

/// Prints each warning as "cdx: warning: ..." on stderr.
void reportWarnings(const std::vector<std::string>& warnings);

/// Options that set symbolic dimensions: --batch, --seq-len and repeated --dim name=value.
struct DimensionOptions {
    std::int64_t batch = 0;
    std::int64_t seqLen = 0;
    std::vector<std::string> dims;

    void addTo(CLI::App& command);
    /// The bindings given; an error names the malformed --dim.
    std::variant<DimBindings, Error> bindings() const;
};

}  // namespace cdx::cli
