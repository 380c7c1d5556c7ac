// `cdx chart` and `cdx report`: the GUI's charts (views/charts), rendered headless on Qt's
// offscreen platform, to image files or into a self-contained HTML report.
#include "app/cli/command.h"

#include "core/explore/designspace.h"
#include "core/explore/explorefiles.h"
#include "core/explore/explorer.h"
#include "core/explore/metric.h"
#include "core/explore/pareto.h"
#include "core/project/project.h"
#include "core/util/fileio.h"
#include "core/util/version.h"
#include "estimators/estimate/estimator.h"
#include "estimators/explore/projectevaluator.h"
#include "estimators/results/networkresult.h"
#include "views/charts/areachart.h"
#include "views/charts/chartexport.h"
#include "views/charts/energybreakdownchart.h"
#include "views/charts/latencychart.h"
#include "views/charts/metricaxes.h"
#include "views/charts/paretochart.h"
#include "views/charts/rooflinechart.h"
#include "views/charts/sweepchart.h"
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
struct Explored {
    std::shared_ptr<const DesignSpace> space;
    std::vector<Evaluation> points;
    std::vector<std::size_t> front;
    std::string origin;
};

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

/// The Pareto chart of two metrics over the explored points, drawn as the explorer panel does.
std::unique_ptr<ParetoChart> paretoChart(const Explored& e, Metric x, Metric y, const std::optional<MetricValues>& current)
{
    auto chart = std::make_unique<ParetoChart>();
    const ParetoPlot plot = paretoPlot(e.points, x, y, current, wantsLogAxes(e.points, current, x, y));
    const auto direction = [&](Metric m) {
        for (const Objective& o : e.space->objectives())
            if (o.metric == m)
                return o.maximise;
        return metricPrefersLarger(m);
    };
    // The front of the plotted two metrics: the feasible points no other beats in both.
    std::vector<ObjectiveVector> objectives;
    std::vector<int> ids;
    for (std::size_t i = 0; i < e.points.size(); ++i)
        if (e.points[i].feasible && e.points[i].estimated) {
            const double vx = plot.points[i].x(), vy = plot.points[i].y();
            objectives.push_back({direction(x) ? -vx : vx, direction(y) ? -vy : vy});
            ids.push_back(static_cast<int>(i));
        }
    std::vector<int> front;
    for (std::size_t k : paretoFront(objectives))
        front.push_back(ids[k]);
    chart->setAxisTitles(plot.xTitle, plot.yTitle);
    chart->setLogAxes(plot.logX, plot.logY);
    chart->setPoints(plot.points, plot.feasible);
    chart->setDirections(direction(x), direction(y));
    chart->setFront(front);
    chart->setCurrent(plot.current);
    chart->resetView();
    return chart;
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

MetricValues metricsOf(const NetworkResult& r)
{
    MetricValues m{};
    auto set = [&](Metric k, double v) { m[static_cast<std::size_t>(k)] = v; };
    set(Metric::EnergyPj, r.energyPj);
    set(Metric::LatencyS, r.latencyS);
    set(Metric::PowerW, r.powerW);
    set(Metric::EdpJs, r.energyPj * 1e-12 * r.latencyS);
    set(Metric::AreaMm2, r.fpga ? 0 : r.areaMm2);
    set(Metric::Lut, r.fpgaUsage.used.lut);
    set(Metric::Ff, r.fpgaUsage.used.ff);
    set(Metric::Dsp, r.fpgaUsage.used.dsp);
    set(Metric::Bram36, r.fpgaUsage.used.bram36);
    set(Metric::Uram, r.fpgaUsage.used.uram);
    set(Metric::AccuracyDropPp, r.accuracyDropPp);
    set(Metric::OpsPerS, r.opsPerS);
    set(Metric::TopsPerW, r.topsPerW);
    set(Metric::Utilization, r.utilization);
    return m;
}

std::unique_ptr<ChartView> resultChart(const std::string& kind)
{
    if (kind == "breakdown")
        return std::make_unique<EnergyBreakdownChart>();
    if (kind == "latency")
        return std::make_unique<LatencyChart>();
    if (kind == "area")
        return std::make_unique<AreaChart>();
    if (kind == "roofline")
        return std::make_unique<RooflineChart>();
    return nullptr;
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

struct ChartCliOptions {
    std::string input;
    std::string kind;
    std::string out;
    std::string run;
    std::string x, y, axis;
    int width = 1000;
    int height = 600;
    bool dark = false;
};

int runChart(const ChartCliOptions& o)
{
    const std::string suffix = QFileInfo(fromStd(o.out)).suffix().toLower().toStdString();
    if (suffix != "png" && suffix != "svg" && suffix != "pdf")
        return reportError(Error{ExitCode::BadInput, o.out, "--out", "the chart's file must end in .png, .svg or .pdf"});
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
            auto chart = paretoChart(explored.value(), x.value(), y.value(), metricsOf(source->result));
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

// ---- cdx report ----

std::string html(const QString& s)
{
    return s.toHtmlEscaped().toStdString();
}

std::string html(const std::string& s)
{
    return html(fromStd(s));
}

/// The chart as an <img> holding its SVG (the page stays one file), or the reason it has none.
std::string embeddedChart(QChartView* view, const QString& title, QSize size, const QTemporaryDir& scratch)
{
    const QString path = scratch.filePath(QStringLiteral("chart.svg"));
    const QString error = render(view, path, size);
    std::string out = "<figure><figcaption>" + html(title) + "</figcaption>";
    QFile file(path);
    if (!error.isEmpty() || !file.open(QIODevice::ReadOnly)) {
        out.append("<p class=\"none\">" + html(error.isEmpty() ? QStringLiteral("no chart") : error) + "</p></figure>\n");
        return out;
    }
    out.append("<img alt=\"" + html(title) + "\" src=\"data:image/svg+xml;base64,");
    out.append(file.readAll().toBase64().toStdString());
    out.append("\"></figure>\n");
    return out;
}

std::string row(std::initializer_list<std::string> cells, const char* tag = "td")
{
    std::string r = "<tr>";
    for (const auto& c : cells)
        r.append(std::string("<") + tag + ">" + c + "</" + tag + ">");
    return r + "</tr>\n";
}

std::string number(double v, int digits = 3)
{
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    return buffer;
}

std::string grouped(long long v)
{
    std::string s = std::to_string(v);
    for (int i = static_cast<int>(s.size()) - 3; i > (v < 0 ? 1 : 0); i -= 3)
        s.insert(static_cast<std::size_t>(i), ",");
    return s;
}

constexpr const char* kReportStyle = R"(
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.layers td:nth-child(n+5) { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figcaption { font-weight: bold; margin-bottom: 0.3em; } img { max-width: 100%; border: 1px solid #eee; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.none { color: #888; font-style: italic; } ul.warnings li { color: #8a5a00; }
)";

struct ReportCliOptions {
    std::string project;
    std::string out;
    std::string run;
    bool explore = false;
};

int runReport(const ReportCliOptions& o)
{
    auto source = loadSource(o.project);
    if (!source)
        return reportError(source.error());
    std::optional<Explored> explored;
    std::vector<std::string> warnings = source->result.warnings;
    const bool hasSpace = source->project && !source->project->explore.empty();
    if (!o.run.empty() || o.explore) {
        auto e = explorePoints(source.value(), o.run, o.project);
        if (!e)
            return reportError(e.error());
        explored = std::move(e.value());
    }
    HeadlessGui gui;
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return reportError(Error{ExitCode::Internal, o.out, {}, "cannot make a temporary folder for the charts"});
    const NetworkResult& r = source->result;
    const std::string title = r.project.empty() ? (source->project ? source->project->filePath : o.project) : r.project;

    std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title) + " — Codesign Explorer report</title>\n";
    page.append("<style>").append(kReportStyle).append("</style></head><body>\n");
    page.append("<h1>" + html(title) + "</h1>\n<p class=\"meta\">" + html(r.network) + " on " + html(r.templateName) +
                (r.preset.empty() ? std::string() : " (" + html(r.preset) + ")") + " · " + html(r.platform) + "<br>" + html(r.design) +
                "<br>cdx " + kVersion + " · " + html(QDateTime::currentDateTime().toString(Qt::ISODate)) + " · " + html(o.project) + "</p>\n");

    page.append("<h2>Totals</h2>\n<table>\n");
    auto total = [&](const std::string& name, const QString& value) { page.append(row({html(name), html(value)})); };
    total("latency", units::seconds(r.latencyS));
    if (r.pipelined)
        total("interval (pipelined)", units::seconds(r.intervalS));
    total("energy per inference", units::joules(r.energyPj * 1e-12));
    total("power", units::watts(r.powerW));
    total("throughput", units::ops(r.opsPerS));
    total("efficiency", fromStd(number(r.topsPerW) + " TOPS/W"));
    total("utilisation", fromStd(number(r.utilization * 100) + " %"));
    total("MACs (dense / performed)", fromStd(grouped(r.macs) + " / " + grouped(r.effectiveMacs)));
    if (r.fpga) {
        const auto& u = r.fpgaUsage.used;
        const auto& a = r.fpgaUsage.available;
        auto pct = [](double used, double available) { return available > 0 ? number(100 * used / available) + " %" : std::string("-"); };
        total("FPGA " + r.fpgaUsage.device, fromStd("LUT " + pct(u.lut, a.lut) + ", FF " + pct(u.ff, a.ff) + ", DSP " + pct(u.dsp, a.dsp) +
                                                    ", BRAM36 " + pct(u.bram36, a.bram36)));
    } else {
        total("area", fromStd(number(r.areaMm2) + " mm²"));
    }
    total("accuracy drop", fromStd(number(r.accuracyDropPp) + " pp (" + r.accuracySource + ")"));
    total("weight compression", fromStd(number(r.weightCompressionRatio) + "×"));
    page.append("</table>\n");

    page.append("<h2>Breakdowns</h2>\n<div class=\"grid\">\n");
    const QSize half(760, 460);
    for (const auto& [kind, caption] : std::vector<std::pair<std::string, QString>>{
             {"breakdown", QStringLiteral("Energy per layer, by component")},
             {"latency", QStringLiteral("Latency per layer, by bound")},
             {"area", r.fpga ? QStringLiteral("FPGA resources") : QStringLiteral("Area by component")},
             {"roofline", QStringLiteral("Roofline")}}) {
        auto chart = resultChart(kind);
        chart->setResult(r);
        page.append(embeddedChart(chart.get(), caption, half, scratch));
    }
    page.append("</div>\n");

    page.append("<h2>Layers</h2>\n<table class=\"layers\">\n");
    page.append(row({"layer", "kind", "unit", "precision", "MACs", "cycles", "latency", "energy", "utilisation", "bound"}, "th"));
    for (const LayerResult& l : r.layers)
        page.append(row({html(l.name), html(std::string(layerKindName(l.kind))), html(l.unit), html(l.precision), grouped(l.macs), grouped(l.cycles),
                         html(units::seconds(l.latencyS)), html(units::joules(l.energyPj * 1e-12)), number(l.utilization * 100) + " %",
                         html(l.bound)}));
    page.append("</table>\n");

    page.append("<h2>Design space</h2>\n");
    if (explored) {
        const auto& objectives = explored->space->objectives();
        const Metric x = objectives.empty() ? Metric::LatencyS : objectives[0].metric;
        const Metric y = objectives.size() < 2 ? Metric::EnergyPj : objectives[1].metric;
        auto chart = paretoChart(*explored, x, y, metricsOf(r));
        page.append("<p>" + grouped(static_cast<long long>(explored->points.size())) + " points, " +
                    grouped(static_cast<long long>(explored->front.size())) + " on the feasible front; " + html(explored->origin) + ".</p>\n");
        page.append(embeddedChart(chart.get(), metricLabel(y) + QStringLiteral(" against ") + metricLabel(x), QSize(1000, 560), scratch));
        std::string header = "<tr>";
        for (const Axis& a : explored->space->axes())
            header.append("<th>" + html(a.name) + "</th>");
        for (const Objective& ob : objectives)
            header.append("<th class=\"n\">" + html(metricLabel(ob.metric)) + "</th>");
        page.append("<table>\n" + header + "</tr>\n");
        for (std::size_t i : explored->front) {
            const Evaluation& p = explored->points[i];
            std::string line = "<tr>";
            for (std::size_t a = 0; a < explored->space->axes().size(); ++a)
                line.append("<td>" + html(explored->space->axes()[a].values[static_cast<std::size_t>(p.genome[a])].dump()) + "</td>");
            for (const Objective& ob : objectives)
                line.append("<td class=\"n\">" + html(formatMetric(ob.metric, p.metrics[static_cast<std::size_t>(ob.metric)])) + "</td>");
            page.append(line + "</tr>\n");
        }
        page.append("</table>\n");
    } else {
        page.append(std::string("<p class=\"none\">") +
                    (hasSpace ? "Not explored for this report: run cdx report with --explore, or --run DIR of a cdx explore run."
                              : "The project has no explore block.") +
                    "</p>\n");
    }

    page.append("<h2>Warnings</h2>\n");
    if (warnings.empty()) {
        page.append("<p class=\"none\">None.</p>\n");
    } else {
        page.append("<ul class=\"warnings\">\n");
        for (const auto& w : warnings)
            page.append("<li>" + html(w) + "</li>\n");
        page.append("</ul>\n");
    }
    page.append("</body></html>\n");
    if (auto error = writeFileAtomically(o.out, page)) {
        error->code = ExitCode::BadInput;
        error->location = "--out";
        return reportError(*error);
    }
    std::fprintf(stderr, "cdx: wrote %s (%zu bytes)\n", o.out.c_str(), page.size());
    return 0;
}

}  // namespace

Command addChartCommand(CLI::App& app)
{
    auto o = std::make_shared<ChartCliOptions>();
    auto* parser = app.add_subcommand("chart", "Draw one of the GUI's charts to a PNG, SVG or PDF file, headless");
    parser->add_option("INPUT", o->input, "A project .json (estimated now) or a result file of cdx estimate --json")->required();
    parser->add_option("--kind", o->kind,
                       "breakdown (energy per layer by component), latency (per layer, by bound), area (or FPGA resources), roofline, "
                       "pareto (two metrics over the explored points), sweep (a metric along one axis of the design space)")
        ->required()
        ->check(CLI::IsMember({"breakdown", "latency", "area", "roofline", "pareto", "sweep"}));
    parser->add_option("--out", o->out, "The file to write: .png (at twice the pixel density), .svg or .pdf")->required();
    parser->add_option("--run", o->run, "pareto, sweep: the folder of a cdx explore run (default: explore the project's explore block now)");
    parser->add_option("--x", o->x, "pareto: the metric along x (default: the first objective)");
    parser->add_option("--y", o->y, "pareto, sweep: the metric along y (default: the second, for a sweep the first objective)");
    parser->add_option("--axis", o->axis, "sweep: the design-space axis along x (default: the first)");
    parser->add_option("--width", o->width, "Width in pixels (default 1000)")->check(CLI::Range(200, 8000));
    parser->add_option("--height", o->height, "Height in pixels (default 600)")->check(CLI::Range(150, 8000));
    parser->add_flag("--dark", o->dark, "The dark theme");
    return {parser, [o] { return runChart(*o); }};
}

Command addReportCommand(CLI::App& app)
{
    auto o = std::make_shared<ReportCliOptions>();
    auto* parser = app.add_subcommand("report", "Write a self-contained HTML report of a design point: totals, breakdown charts, "
                                                "the per-layer table, the Pareto front if explored, and every warning");
    parser->add_option("INPUT", o->project, "A project .json (estimated now) or a result file of cdx estimate --json")->required();
    parser->add_option("--out", o->out, "The .html file to write (atomically)")->required();
    parser->add_option("--run", o->run, "Include the front of this cdx explore run folder");
    parser->add_flag("--explore", o->explore, "Explore the project's explore block now and include its front");
    return {parser, [o] { return runReport(*o); }};
}

}  // namespace cdx::cli
