// The options of cdx chart and cdx report, shared by cdx and cdx-render, and the hand-over
// from one to the other.
#include "app/cli/chartoptions.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <memory>
#include <new>
#include <vector>

namespace cdx::cli {

namespace {

std::vector<std::string>& invocation()
{
    static std::vector<std::string> args;
    return args;
}

}  // namespace

void setInvocation(int argc, char** argv)
{
    invocation().assign(argv, argv + argc);
}

CLI::App* addChartParser(CLI::App& app, ChartCliOptions& o)
{
    auto* parser = app.add_subcommand("chart", "Draw one of the GUI's charts to a PNG, SVG or PDF file, headless");
    parser->add_option("INPUT", o.input, "A project .json (estimated now) or a result file of cdx estimate --json")->required();
    parser->add_option("--kind", o.kind,
                       "breakdown (energy per layer by component), latency (per layer, by bound), area (or FPGA resources), roofline, "
                       "pareto (two metrics over the explored points), sweep (a metric along one axis of the design space), "
                       "sensitivity (a heat map of the accuracy drop per layer and setting of a sensitivity table)")
        ->required()
        ->check(CLI::IsMember({"breakdown", "latency", "area", "roofline", "pareto", "sweep", "sensitivity"}));
    parser->add_option("--out", o.out, "The file to write: .png (at twice the pixel density), .svg or .pdf")->required();
    parser->add_option("--run", o.run, "pareto, sweep: the folder of a cdx explore run (default: explore the project's explore block now)");
    parser->add_option("--x", o.x, "pareto: the metric along x (default: the first objective)");
    parser->add_option("--y", o.y, "pareto, sweep: the metric along y (default: the second, for a sweep the first objective)");
    parser->add_option("--axis", o.axis, "sweep: the design-space axis along x (default: the first)");
    parser->add_option("--sensitivity", o.sensitivity,
                       "sensitivity: the table to draw, a CSV of cdx accuracy --sensitivity (default: the project's compression.sensitivity)");
    parser->add_option("--width", o.width, "Width in pixels (default 1000)")->check(CLI::Range(200, 8000));
    parser->add_option("--height", o.height, "Height in pixels (default 600)")->check(CLI::Range(150, 8000));
    parser->add_flag("--dark", o.dark, "The dark theme");
    return parser;
}

CLI::App* addReportParser(CLI::App& app, ReportCliOptions& o)
{
    auto* parser = app.add_subcommand("report", "Write a self-contained HTML report of a design point: totals, breakdown charts, "
                                                "the per-layer table, the Pareto front if explored, and every warning");
    parser->add_option("INPUT", o.project, "A project .json (estimated now) or a result file of cdx estimate --json")->required();
    parser->add_option("--out", o.out, "The .html file to write (atomically)")->required();
    parser->add_option("--run", o.run, "Include the front of this cdx explore run folder");
    parser->add_flag("--explore", o.explore, "Explore the project's explore block now and include its front");
    return parser;
}

Command addChartCommand(CLI::App& app)
{
    auto o = std::make_shared<ChartCliOptions>();
    return {addChartParser(app, *o), [o] { return runRenderer(); }};  // o lives as long as the parser
}

Command addReportCommand(CLI::App& app)
{
    auto o = std::make_shared<ReportCliOptions>();
    return {addReportParser(app, *o), [o] { return runRenderer(); }};
}

int runRenderer()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path self = fs::read_symlink("/proc/self/exe", ec);
    const fs::path renderer = (ec ? fs::path(invocation().empty() ? "cdx" : invocation().front()) : self).parent_path() / "cdx-render";
    std::vector<std::string> args = invocation();
    if (args.empty())
        args.emplace_back("cdx");
    args.front() = renderer.string();
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    std::cout.flush();
    std::cerr.flush();
    ::execv(renderer.c_str(), argv.data());
    return reportError(Error{ExitCode::Internal, renderer.string(), "",
                             std::string("charts and reports are drawn by cdx-render, installed beside cdx; it cannot be run: ") +
                                 std::strerror(errno)});
}

int parseAndRun(CLI::App& app, const std::vector<Command>& commands, int argc, char** argv)
{
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);  // prints help, version or the usage error
        return code == 0 ? 0 : static_cast<int>(ExitCode::BadInput);
    }
    try {
        for (const auto& command : commands)
            if (command.parser->parsed())
                return command.run();
    } catch (const std::bad_alloc&) {
        std::cerr << "cdx: error: out of memory\n";
        return static_cast<int>(ExitCode::Internal);
    } catch (const std::exception& e) {
        std::cerr << "cdx: internal error: " << e.what() << "\n";
        return static_cast<int>(ExitCode::Internal);
    }
    return static_cast<int>(ExitCode::Internal);
}

}  // namespace cdx::cli
