// `cdx chart` and `cdx report`: the GUI's charts (views/charts), rendered headless on Qt's
// offscreen platform, to image files or into a self-contained HTML report. This is cdx-render,
// which cdx runs for these two commands, so that cdx itself links no Qt.
#include "app/cli/chartcommand.h"
#include "app/cli/chartoptions.h"
#include "app/cli/command.h"

#include "core/compression/compressionplan.h"
#include "core/compression/sensitivitytable.h"
#include "core/explore/designspace.h"
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/explore/metric.h"
#include "core/explore/pareto.h"
#include "core/project/project.h"
#include "core/util/fileio.h"
#include "core/util/version.h"
#include "estimators/estimate/estimator.h"
#include "estimators/explore/networkmetrics.h"
#include "estimators/explore/projectevaluator.h"
#include "estimators/results/networkresult.h"
#include "views/charts/areachart.h"
#include "views/charts/chartexport.h"
#include "views/charts/energybreakdownchart.h"
#include "views/charts/latencychart.h"
#include "views/charts/metricaxes.h"
#include "views/charts/paretochart.h"
#include "views/charts/rooflinechart.h"
#include "views/charts/sensitivitychart.h"
#include "views/charts/sweepchart.h"
#include "views/report/htmlreport.h"
#include "views/results/units.h"

#include <QApplication>
#include <QByteArray>
#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <sstream>

namespace cdx::cli {

namespace {

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

/// A QApplication on the offscreen platform (unless the user chose another): charts need one,
/// a display they do not.
class HeadlessGui {
public:
    HeadlessGui()
    {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        app_ = std::make_unique<QApplication>(argc_, argv_);
    }

private:
    int argc_ = 1;
    char name_[4] = {'c', 'd', 'x', '\0'};
    char* argv_[2] = {name_, nullptr};
    std::unique_ptr<QApplication> app_;
};

/// What a chart or report draws: a result (estimated from a project, or read from a
/// `cdx estimate --json` file) and, for a project, the project and its network.
struct ChartSource {
    NetworkResult result;
    std::optional<Project> project;
    std::shared_ptr<const Network> network;
};

Result<ChartSource> loadSource(const std::string& path)
{
    auto text = readTextFile(path);
    if (!text)
        return text.error();
    nlohmann::json j = nlohmann::json::parse(text.value(), nullptr, false);
    if (!j.is_discarded() && j.is_object() && j.value("format", std::string()) == "cdx-result") {
        auto result = networkResultFromJson(j, path);
        if (!result)
            return result.error();
        return ChartSource{std::move(result.value()), std::nullopt, nullptr};
    }
    auto project = loadProjectFile(path);
    if (!project)
        return project.error();
    auto network = loadProjectNetwork(project.value());
    if (!network)
        return network.error();
    Estimator estimator;
    auto result = estimator.estimate(project.value(), network.value());
    if (!result)
        return result.error();
    return ChartSource{std::move(result.value()), std::move(project.value()), std::make_shared<const Network>(std::move(network.value()))};
}

/// The explored points of a project: read from a `cdx explore --out` folder, or explored now.
using Explored = ExploredPoints;

Result<Explored> explorePoints(const ChartSource& source, const std::string& runDir, const std::string& inputPath)
{
    if (!source.project)
        return Error{ExitCode::BadInput, inputPath, {}, "a result file has no design space: give the project (and --run DIR for its explored points)"};
    auto space = DesignSpace::fromProject(*source.project, *source.network);
    if (!space)
        return space.error();
    Explored out;
    out.space = std::make_shared<const DesignSpace>(std::move(space.value()));
    if (!runDir.empty()) {
        const std::string path = (std::filesystem::path(runDir) / explorefiles::kPoints).string();
        auto points = explorefiles::readPoints(*out.space, path);
        if (!points)
            return points.error();
        out.points = std::move(points.value());
        out.origin = "the run in " + runDir;
    } else {
        ProjectEvaluator evaluator(*source.project, *source.network, *out.space);
        auto search = makeSearchStrategy(*out.space, Shard{1, 1});
        ExploreOptions options;
        options.budgetSeconds = out.space->budgetSeconds();
        options.maxPoints = out.space->budgetPoints();
        std::fprintf(stderr, "cdx: exploring %s (%s)\n", source.project->filePath.c_str(), search->describe().c_str());
        ExploreOutcome outcome = explore(*out.space, *search, evaluator, std::move(options));
        out.points = std::move(outcome.points);
        out.origin = "explored now (" + search->describe() + ")";
    }
    if (out.points.empty())
        return Error{ExitCode::BadInput, inputPath, "/explore", "no explored points: the project's explore block gives none"};
    out.front = feasibleFront(out.points);
    return out;
}

Result<Metric> metricOption(const std::string& name, const char* option)
{
    auto metric = metricFromName(name);
    if (!metric)
        return Error{ExitCode::BadInput, {}, option, "unknown metric \"" + name + "\" (one of " + metricNames() + ")"};
    return *metric;
}

std::unique_ptr<SweepChart> sweepChart(const Explored& e, std::size_t axis, Metric y)
{
    auto chart = std::make_unique<SweepChart>();
    double maxAbs = 0;
    for (const Evaluation& p : e.points)
        if (p.estimated && std::isfinite(p.metrics[static_cast<std::size_t>(y)]))
            maxAbs = std::max(maxAbs, std::abs(p.metrics[static_cast<std::size_t>(y)]));
    const AxisUnit unit = axisUnit(y, maxAbs);
    std::vector<SweepChart::Point> points;
    const Axis& a = e.space->axes()[axis];
    for (const Evaluation& p : e.points) {
        if (!p.estimated)
            continue;
        const auto& value = a.values[static_cast<std::size_t>(p.genome[axis])];
        points.push_back({fromStd(value.is_string() ? value.get<std::string>() : value.dump()),
                          p.metrics[static_cast<std::size_t>(y)] * unit.scale, p.feasible});
    }
    bool maximise = metricPrefersLarger(y);
    for (const Objective& o : e.space->objectives())
        if (o.metric == y)
            maximise = o.maximise;
    chart->setSweep(fromStd(a.name), unit.title, points, maximise, decades(e.points, std::nullopt, y) >= 1);
    return chart;
}

/// Lays `view` out at `size` and writes it; empty on success.
QString render(QChartView* view, const QString& path, QSize size)
{
    view->resize(size);
    if (auto* chart = dynamic_cast<ChartView*>(view))
        return chart->exportTo(path, size);
    return exportChart(view, path, size);
}

Error renderError(const QString& message, const std::string& out)
{
    return Error{ExitCode::BadInput, out, "--out", message.toStdString()};
}

// ---- cdx chart ----

/// The table of --kind sensitivity: --sensitivity FILE, else the project's compression.sensitivity
/// (relative to the project file). The project is not read when --sensitivity names the table.
Result<SensitivityTable> sensitivityTable(const ChartCliOptions& o)
{
    if (!o.sensitivity.empty())
        return SensitivityTable::load(o.sensitivity);
    auto project = loadProjectFile(o.input);
    if (!project)
        return project.error();
    auto plan = CompressionPlan::fromJson(project->compression, project->filePath);
    if (!plan)
        return plan.error();
    const std::string hint = "run `cdx accuracy " + o.input + " --sensitivity --out FILE.csv` first, then pass --sensitivity FILE.csv "
                             "or name the file in compression.sensitivity";
    if (plan->sensitivityPath.empty())
        return Error{ExitCode::BadInput, o.input, "/compression/sensitivity", "the project has no sensitivity table: " + hint};
    std::filesystem::path path(plan->sensitivityPath);
    if (path.is_relative())
        path = std::filesystem::path(project->filePath).parent_path() / path;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return Error{ExitCode::BadInput, path.string(), {}, "the project's sensitivity table does not exist: " + hint};
    return SensitivityTable::load(path.string());
}

int runSensitivityChart(const ChartCliOptions& o)
{
    auto table = sensitivityTable(o);
    if (!table)
        return reportError(table.error());
    HeadlessGui gui;
    SensitivityChart chart;
    chart.setDark(o.dark);
    chart.setTable(table.value());
    if (const QString error = render(&chart, fromStd(o.out), QSize(o.width, o.height)); !error.isEmpty())
        return reportError(renderError(error, o.out));
    std::fprintf(stderr, "cdx: wrote %s\n", o.out.c_str());
    return 0;
}

int runChart(const ChartCliOptions& o)
{
    const std::string suffix = QFileInfo(fromStd(o.out)).suffix().toLower().toStdString();
    if (suffix != "png" && suffix != "svg" && suffix != "pdf")
        return reportError(Error{ExitCode::BadInput, o.out, "--out", "the chart's file must end in .png, .svg or .pdf"});
    if (o.kind == "sensitivity")
        return runSensitivityChart(o);
    auto source = loadSource(o.input);
    if (!source)
        return reportError(source.error());
    HeadlessGui gui;
    const QSize size(o.width, o.height);
    std::unique_ptr<QChartView> view;
    if (auto perLayer = resultChart(o.kind)) {
        perLayer->setDark(o.dark);
        perLayer->setResult(source->result);
        view = std::move(perLayer);
    } else {
        auto explored = explorePoints(source.value(), o.run, o.input);
        if (!explored)
            return reportError(explored.error());
        const auto& objectives = explored->space->objectives();
        if (o.kind == "pareto") {
            auto x = metricOption(o.x.empty() ? std::string(metricName(objectives.empty() ? Metric::LatencyS : objectives[0].metric)) : o.x, "--x");
            auto y = metricOption(o.y.empty() ? std::string(metricName(objectives.size() < 2 ? Metric::EnergyPj : objectives[1].metric)) : o.y, "--y");
            if (!x || !y)
                return reportError(!x ? x.error() : y.error());
            auto chart = std::make_unique<ParetoChart>();
            plotPareto(*chart, *explored->space, explored->points, explored->front, x.value(), y.value(), networkMetrics(source->result));
            chart->resetView();
            chart->setDark(o.dark);
            view = std::move(chart);
        } else {
            const auto& axes = explored->space->axes();
            std::size_t axis = 0;
            if (!o.axis.empty()) {
                axis = axes.size();
                for (std::size_t i = 0; i < axes.size(); ++i)
                    if (axes[i].name == o.axis)
                        axis = i;
                if (axis == axes.size()) {
                    std::string names;
                    for (const auto& a : axes)
                        names += (names.empty() ? "" : ", ") + a.name;
                    return reportError(Error{ExitCode::BadInput, o.input, "--axis", "no axis \"" + o.axis + "\" in the explore block (" + names + ")"});
                }
            }
            auto y = metricOption(o.y.empty() ? std::string(metricName(objectives.empty() ? Metric::EnergyPj : objectives[0].metric)) : o.y, "--y");
            if (!y)
                return reportError(y.error());
            auto chart = sweepChart(explored.value(), axis, y.value());
            chart->setDark(o.dark);
            view = std::move(chart);
        }
    }
    if (const QString error = render(view.get(), fromStd(o.out), size); !error.isEmpty())
        return reportError(renderError(error, o.out));
    std::fprintf(stderr, "cdx: wrote %s\n", o.out.c_str());
    return 0;
}

int runReport(const ReportCliOptions& o)
{
    auto source = loadSource(o.project);
    if (!source)
        return reportError(source.error());
    std::optional<Explored> explored;
    if (!o.run.empty() || o.explore) {
        auto e = explorePoints(source.value(), o.run, o.project);
        if (!e)
            return reportError(e.error());
        explored = std::move(e.value());
    }
    HeadlessGui gui;
    const ReportInput input{source->result, o.project, explored ? &*explored : nullptr, source->project && !source->project->explore.empty()};
    if (auto error = writeHtmlReport(input, o.out)) {
        error->location = "--out";
        return reportError(*error);
    }
    std::fprintf(stderr, "cdx: wrote %s\n", o.out.c_str());
    return 0;
}

}  // namespace

int runRender(int argc, char** argv)
{
    CLI::App app{"cdx-render: draws cdx chart and cdx report (the one Codesign Explorer tool that needs Qt Widgets); cdx runs it", "cdx"};
    app.require_subcommand(1);
    ChartCliOptions chart;
    ReportCliOptions report;
    const std::vector<Command> commands{
        {addChartParser(app, chart), [&] { return runChart(chart); }},
        {addReportParser(app, report), [&] { return runReport(report); }},
    };
    return parseAndRun(app, commands, argc, argv);
}

}  // namespace cdx::cli
