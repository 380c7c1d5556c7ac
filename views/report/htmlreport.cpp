#include "views/report/htmlreport.h"

#include "core/explore/designspace.h"
#include "core/util/fileio.h"
#include "core/util/version.h"
#include "estimators/explore/networkmetrics.h"
#include "views/charts/areachart.h"
#include "views/charts/chartexport.h"
#include "views/charts/energybreakdownchart.h"
#include "views/charts/latencychart.h"
#include "views/charts/metricaxes.h"
#include "views/charts/paretochart.h"
#include "views/charts/rooflinechart.h"
#include "views/results/units.h"

#include <QDateTime>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

namespace cdx {

namespace {

QString fromStd(const std::string& s)
{
    return QString::fromStdString(s);
}

/// Lays `view` out at `size` and writes it; empty on success.
QString renderChart(QChartView* view, const QString& path, QSize size)
{
    view->resize(size);
    if (auto* chart = dynamic_cast<ChartView*>(view))
        return chart->exportTo(path, size);
    return exportChart(view, path, size);
}

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
    const QString error = renderChart(view, path, size);
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
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; padding: 0 2em; max-width: 1200px; color: #222; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; } h2 { font-size: 1.25em; margin-top: 1.6em; border-bottom: 1px solid #ccc; }
.meta { color: #666; font-size: 0.9em; }
table { border-collapse: collapse; font-size: 0.85em; } td, th { padding: 0.25em 0.7em; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
table.layers td:nth-child(n+5) { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 1em 0; } figcaption { font-weight: bold; margin-bottom: 0.3em; } img { max-width: 100%; border: 1px solid #eee; }
.grid { display: grid; grid-template-columns: 1fr 1fr; gap: 1em; }
.none { color: #888; font-style: italic; } ul.warnings li { color: #8a5a00; }
)";

}  // namespace

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

Result<std::string> htmlReport(const ReportInput& in)
{
    QTemporaryDir scratch;
    if (!scratch.isValid())
        return Error{ExitCode::Internal, in.source, {}, "cannot make a temporary folder for the charts"};
    const NetworkResult& r = in.result;
    const std::string title = r.project.empty() ? in.source : r.project;

    std::string page = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title) + " — Codesign Explorer report</title>\n";
    page.append("<style>").append(kReportStyle).append("</style></head><body>\n");
    page.append("<h1>" + html(title) + "</h1>\n<p class=\"meta\">" + html(r.network) + " on " + html(r.templateName) +
                (r.preset.empty() ? std::string() : " (" + html(r.preset) + ")") + " · " + html(r.platform) + "<br>" + html(r.design) +
                "<br>cdx " + kVersion + " · " + html(QDateTime::currentDateTime().toString(Qt::ISODate)) + " · " + html(in.source) + "</p>\n");

    page.append("<h2>Totals</h2>\n<table>\n");
    auto total = [&](const std::string& name, const QString& value) { page.append(row({html(name), html(value)})); };
    total("latency", units::seconds(r.latencyS));
    if (r.pipelined)
        total("interval (pipelined)", units::seconds(r.intervalS));
    total("energy per inference", units::joules(r.energyPj * 1e-12));
    total("power", units::watts(r.powerW) + " (core " + units::watts(r.corePowerW) + ")");
    total("throughput (executed / peak)", units::ops(r.effectiveOpsPerS) + QStringLiteral(" / ") + units::ops(r.peakOpsPerS));
    total("throughput (dense-equivalent)", units::ops(r.opsPerS));
    total("efficiency (dense-equivalent)", fromStd(number(r.topsPerW) + " TOPS/W"));
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
    if (in.explored != nullptr) {
        const ExploredPoints* explored = in.explored;
        const auto& objectives = explored->space->objectives();
        const Metric x = objectives.empty() ? Metric::LatencyS : objectives[0].metric;
        const Metric y = objectives.size() < 2 ? Metric::EnergyPj : objectives[1].metric;
        ParetoChart chart;
        plotPareto(chart, *explored->space, explored->points, explored->front, x, y, networkMetrics(r));
        chart.resetView();
        page.append("<p>" + grouped(static_cast<long long>(explored->points.size())) + " points, " +
                    grouped(static_cast<long long>(explored->front.size())) + " on the feasible front; " + html(explored->origin) + ".</p>\n");
        page.append(embeddedChart(&chart, metricLabel(y) + QStringLiteral(" against ") + metricLabel(x), QSize(1000, 560), scratch));
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
                    (in.hasExploreBlock ? "Not explored for this report: explore the design space first (cdx report --explore or --run DIR; in the studio, run the Pareto explorer)."
                              : "The project has no explore block.") +
                    "</p>\n");
    }

    page.append("<h2>Warnings</h2>\n");
    if (r.warnings.empty()) {
        page.append("<p class=\"none\">None.</p>\n");
    } else {
        page.append("<ul class=\"warnings\">\n");
        for (const auto& w : r.warnings)
            page.append("<li>" + html(w) + "</li>\n");
        page.append("</ul>\n");
    }
    page.append("</body></html>\n");
    return page;
}

std::optional<Error> writeHtmlReport(const ReportInput& in, const std::string& path)
{
    auto page = htmlReport(in);
    if (!page)
        return page.error();
    if (auto error = writeFileAtomically(path, page.value())) {
        error->code = ExitCode::BadInput;  // the path the user chose cannot be written
        return error;
    }
    return std::nullopt;
}

}  // namespace cdx
