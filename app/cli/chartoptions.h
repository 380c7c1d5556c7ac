#pragma once

// The options of `cdx chart` and `cdx report`. Both are drawn by cdx-render, the one tool that
// links Qt Widgets (Qt Charts needs them): cdx parses the same options, so help and usage errors
// come from cdx, and then runs cdx-render with the same arguments.

#include "app/cli/command.h"

#include <CLI/CLI.hpp>

#include <functional>
#include <string>

namespace cdx::cli {

struct ChartCliOptions {
    std::string input;
    std::string kind;
    std::string out;
    std::string run;
    std::string x, y, axis;
    std::string sensitivity;
    int width = 1000;
    int height = 600;
    bool dark = false;
};

struct ReportCliOptions {
    std::string project;
    std::string out;
    std::string run;
    bool explore = false;
};

CLI::App* addChartParser(CLI::App& app, ChartCliOptions& options);
CLI::App* addReportParser(CLI::App& app, ReportCliOptions& options);

/// Runs cdx-render (beside the running cdx) with this process's arguments, in place of it: its
/// exit code is cdx's. Returns only when it cannot be run (the error's code).
int runRenderer();

/// What cli::run was given, for runRenderer.
void setInvocation(int argc, char** argv);

/// Parses `argv` for one of `commands` and runs it: the exit code (usage errors 2, uncaught
/// exceptions 1; help and version 0).
int parseAndRun(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv);

}  // namespace cdx::cli
