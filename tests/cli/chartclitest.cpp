// Black-box tests of `cdx chart` and `cdx report`: every chart kind to PNG, SVG and PDF
// (decoded, parsed, rendered), from a project and from a result file, and the report opened
// in headless Chromium; bad requests give exit 2.
#include "clijson.h"
#include "processrunner.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using cdx::test::runCdx;
using cdx::test::runJson;
using cdx::test::runProcess;

namespace {

namespace fs = std::filesystem;
const std::string kProjects = std::string(CDX_PROJECTS_DIR) + "/";
const std::string kCompression = std::string(CDX_TEST_DATA_DIR) + "/compression/";

fs::path scratch(const std::string& name)
{
    const fs::path dir = fs::temp_directory_path() / "cdx-chart-test";
    fs::create_directories(dir);
    return dir / name;
}

std::string slurp(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

/// "WIDTHxHEIGHT" of a decoded image, or "" (with the checker's message in the log).
std::string decodedSize(const fs::path& image)
{
    const auto r = runProcess(CDX_IMAGECHECK, {image.string()});
    INFO(r.err);
    if (r.exitCode != 0)
        return {};
    const auto space = r.out.rfind(' ');
    return r.out.substr(space + 1, r.out.find('\n') - space - 1);
}

/// The number of distinct pixel values of a PNG (1 for a blank one), or 0 when it does not decode.
int distinctColors(const fs::path& png)
{
    const auto r = runProcess(CDX_IMAGECHECK, {"--colors", png.string()});
    INFO(r.err);
    const auto at = r.out.find(" colors=");
    return r.exitCode == 0 && at != std::string::npos ? std::stoi(r.out.substr(at + 8)) : 0;
}

/// A cdx explore run of the LeNet systolic design space (432 grid points) in its own folder
/// (CTest runs test cases in parallel processes).
fs::path exploreRun(const std::string& name)
{
    const fs::path d = scratch(name);
    fs::remove_all(d);
    const auto r = runCdx({"explore", kProjects + "explore_systolic_lenet.json", "--out", d.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    return d;
}

/// The <img> elements of a page, each required to hold its picture as a base64 SVG data URI.
int embeddedImages(const std::string& html)
{
    int count = 0;
    for (auto at = html.find("<img "); at != std::string::npos; at = html.find("<img ", at + 1)) {
        const auto src = html.find(" src=\"", at);
        const auto end = html.find('"', src + 6);
        REQUIRE(src != std::string::npos);
        REQUIRE(end != std::string::npos);
        const std::string uri = html.substr(src + 6, end - src - 6);
        const std::string prefix = "data:image/svg+xml;base64,";
        REQUIRE(uri.rfind(prefix, 0) == 0);
        REQUIRE(uri.size() > prefix.size() + 100);
        CHECK(uri.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", prefix.size()) == std::string::npos);
        ++count;
    }
    return count;
}

}  // namespace

TEST_CASE("cdx chart draws every per-layer kind to PNG, SVG and PDF", "[cli][chart]")
{
    for (const std::string kind : {"breakdown", "latency", "area", "roofline"}) {
        INFO(kind);
        const fs::path png = scratch(kind + ".png"), svg = scratch(kind + ".svg"), pdf = scratch(kind + ".pdf");
        for (const fs::path& out : {png, svg, pdf}) {
            fs::remove(out);
            const auto r = runCdx({"chart", kProjects + "default.json", "--kind", kind, "--out", out.string(), "--width", "900", "--height", "500"});
            INFO(r.err);
            REQUIRE(r.exitCode == 0);
        }
        CHECK(decodedSize(png) == "1800x1000");  // twice the pixel density
        CHECK_FALSE(decodedSize(svg).empty());
        CHECK(slurp(svg).find("viewBox=\"0 0 900 500\"") != std::string::npos);
        const fs::path page = scratch(kind + "-page");
        const auto rendered = runProcess(CDX_PDFTOPPM, {"-png", "-r", "40", "-singlefile", pdf.string(), page.string()});
        INFO(rendered.err);
        REQUIRE(rendered.exitCode == 0);
        CHECK_FALSE(decodedSize(page.string() + ".png").empty());
    }
}

TEST_CASE("cdx chart reads a result file of cdx estimate --json", "[cli][chart]")
{
    const fs::path result = scratch("fpap-result.json");
    {
        const auto r = runCdx({"estimate", kProjects + "fpap_vgg16.json", "--json"});
        REQUIRE(r.exitCode == 0);
        std::ofstream(result) << r.out;
    }
    const fs::path fromFile = scratch("fpap-from-result.svg"), fromProject = scratch("fpap-from-project.svg");
    REQUIRE(runCdx({"chart", result.string(), "--kind", "latency", "--out", fromFile.string()}).exitCode == 0);
    REQUIRE(runCdx({"chart", kProjects + "fpap_vgg16.json", "--kind", "latency", "--out", fromProject.string()}).exitCode == 0);
    // The same result draws the same chart, whichever way it came.
    CHECK(slurp(fromFile) == slurp(fromProject));
    CHECK(slurp(fromFile).find("conv1_1") != std::string::npos);
}

TEST_CASE("cdx chart --kind pareto and sweep draw an explore run's points", "[cli][chart]")
{
    const fs::path run = exploreRun("explore-run-chart");
    const fs::path pareto = scratch("pareto.png"), sweep = scratch("sweep.svg");
    const auto p = runCdx({"chart", kProjects + "explore_systolic_lenet.json", "--kind", "pareto", "--run", run.string(), "--x", "area_mm2",
                           "--y", "energy_pj", "--out", pareto.string()});
    INFO(p.err);
    REQUIRE(p.exitCode == 0);
    CHECK(decodedSize(pareto) == "2000x1200");
    // The front drawn is the run's front (front.json, over its four objectives), not the front
    // of the two metrics plotted: the legend says which, with front.json's count.
    const fs::path paretoSvg = scratch("pareto.svg");
    REQUIRE(runCdx({"chart", kProjects + "explore_systolic_lenet.json", "--kind", "pareto", "--run", run.string(), "--out", paretoSvg.string()})
                .exitCode == 0);
    const auto front = nlohmann::json::parse(slurp(run / "front.json"));
    const std::string legend = "Pareto front of energy, latency, area, accuracy drop (" + std::to_string(front["points"].size()) + ")";
    INFO(legend);
    CHECK(slurp(paretoSvg).find(legend) != std::string::npos);
    const auto s = runCdx({"chart", kProjects + "explore_systolic_lenet.json", "--kind", "sweep", "--run", run.string(), "--axis", "rows",
                           "--y", "latency_s", "--out", sweep.string()});
    INFO(s.err);
    REQUIRE(s.exitCode == 0);
    const std::string svg = slurp(sweep);
    CHECK_FALSE(decodedSize(sweep).empty());
    for (const char* tick : {">4<", ">8<", ">16<", ">32<"})  // the rows axis's values label the x axis
        CHECK(svg.find(tick) != std::string::npos);
    const auto noAxis = runCdx({"chart", kProjects + "explore_systolic_lenet.json", "--kind", "sweep", "--run", run.string(), "--axis", "depth",
                                "--out", scratch("x.svg").string()});
    CHECK(noAxis.exitCode == 2);
    CHECK(noAxis.err.find("rows, cols") != std::string::npos);
    const auto noMetric = runCdx({"chart", kProjects + "explore_systolic_lenet.json", "--kind", "pareto", "--run", run.string(), "--x", "speed",
                                  "--out", scratch("x.svg").string()});
    CHECK(noMetric.exitCode == 2);
    CHECK(noMetric.err.find("speed") != std::string::npos);
}

TEST_CASE("cdx chart and cdx report refuse bad requests with exit 2", "[cli][chart]")
{
    const auto kind = runCdx({"chart", kProjects + "default.json", "--kind", "pie", "--out", scratch("x.png").string()});
    CHECK(kind.exitCode == 2);
    const auto suffix = runCdx({"chart", kProjects + "default.json", "--kind", "latency", "--out", scratch("x.bmp").string()});
    CHECK(suffix.exitCode == 2);
    CHECK(suffix.err.find(".png, .svg or .pdf") != std::string::npos);
    const auto unwritable = runCdx({"chart", kProjects + "default.json", "--kind", "latency", "--out", "/nonexistent-dir/x.png"});
    CHECK(unwritable.exitCode == 2);
    CHECK(unwritable.err.find("/nonexistent-dir/x.png") != std::string::npos);

    // A result file another version of cdx wrote.
    auto result = runJson({"estimate", kProjects + "default.json", "--json"});
    const fs::path current = scratch("current-result.json");
    std::ofstream(current) << result.dump();
    result["version"] = 2;
    const fs::path future = scratch("future-result.json");
    std::ofstream(future) << result.dump();
    for (const std::string command : {"chart", "report"}) {
        std::vector<std::string> args{command, future.string(), "--out", scratch(command == "chart" ? "f.png" : "f.html").string()};
        if (command == "chart")
            args.insert(args.end(), {"--kind", "breakdown"});
        const auto r = runCdx(args);
        INFO(command << ": " << r.err);
        CHECK(r.exitCode == 2);
        CHECK(r.err.find(future.string()) != std::string::npos);
        CHECK(r.err.find("/version") != std::string::npos);
        CHECK(r.err.find("version 2") != std::string::npos);
    }
    const auto pareto = runCdx({"chart", current.string(), "--kind", "pareto", "--out", scratch("p.png").string()});
    CHECK(pareto.exitCode == 2);
    CHECK(pareto.err.find("no design space") != std::string::npos);
    const auto report = runCdx({"report", kProjects + "default.json", "--out", "/nonexistent-dir/r.html"});
    CHECK(report.exitCode == 2);
}

TEST_CASE("cdx report writes one self-contained page that headless Chromium opens", "[cli][report]")
{
    const fs::path run = exploreRun("explore-run-report");
    const fs::path page = scratch("report.html");
    fs::remove(page);
    const auto r = runCdx({"report", kProjects + "explore_systolic_lenet.json", "--run", run.string(), "--out", page.string()});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    const std::string html = slurp(page);
    // Nothing outside the file: the charts are data URIs, no script, no link, no remote image.
    CHECK(embeddedImages(html) == 5);  // energy, latency, area, roofline and the front
    CHECK(html.find("<script") == std::string::npos);
    CHECK(html.find("<link") == std::string::npos);
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    for (const char* layer : {">ip1<", ">ip2<", ">ip3<"})
        CHECK(html.find(layer) != std::string::npos);
    CHECK(html.find("on the feasible front") != std::string::npos);

    const fs::path dom = scratch("report-dom.html");
    const auto chromium = runProcess("/usr/bin/timeout", {"120", CDX_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + scratch("chromium").string(), "--dump-dom",
                                                 "file://" + page.string()});
    INFO(chromium.err);
    REQUIRE(chromium.exitCode == 0);
    CHECK(chromium.out.find("<table class=\"layers\">") != std::string::npos);
    CHECK(chromium.out.find("Warnings") != std::string::npos);
    const fs::path shot = scratch("report.png");
    fs::remove(shot);
    const auto screenshot = runProcess("/usr/bin/timeout", {"120", CDX_CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--user-data-dir=" + scratch("chromium").string(), "--hide-scrollbars",
                                                   "--window-size=1280,2400", "--screenshot=" + shot.string(), "file://" + page.string()});
    REQUIRE(screenshot.exitCode == 0);
    CHECK(decodedSize(shot) == "1280x2400");

    // Without an explored space the page says so; the charts are still there.
    const fs::path plain = scratch("report-default.html");
    REQUIRE(runCdx({"report", kProjects + "default.json", "--out", plain.string()}).exitCode == 0);
    const std::string other = slurp(plain);
    CHECK(other.find("The project has no explore block.") != std::string::npos);
    CHECK(embeddedImages(other) == 4);
}

TEST_CASE("cdx chart --kind sensitivity draws the project's sensitivity table as a heat map", "[cli][chart][sensitivity]")
{
    const fs::path png = scratch("sensitivity.png"), svg = scratch("sensitivity.svg"), pdf = scratch("sensitivity.pdf");
    for (const fs::path& out : {png, svg, pdf}) {
        fs::remove(out);
        const auto r = runCdx({"chart", std::string(CDX_TEST_DATA_DIR) + "/mnist_sensitivity.json", "--kind", "sensitivity", "--out", out.string(), "--width", "900",
                               "--height", "500"});
        INFO(r.err);
        REQUIRE(r.exitCode == 0);
    }
    CHECK(decodedSize(png) == "1800x1000");
    CHECK(distinctColors(png) > 50);  // not blank: cells of many colours, antialiased text
    CHECK(slurp(svg).find("viewBox=\"0 0 900 500\"") != std::string::npos);
    const std::string text = slurp(svg);
    // Every layer and setting labelled, in the table's order, and the drops written in their cells.
    for (const char* label : {">Convolution28<", ">Convolution110<", ">Times212<", ">w2<", ">density=0.1<", ">40<", ">33<", ">5.4<", ">-0.11<"})
        CHECK(text.find(label) != std::string::npos);
    CHECK(text.find("Accuracy sensitivity: mnist_sensitivity.csv") != std::string::npos);
    CHECK(text.find(">Convolution28<") < text.find(">Convolution110<"));
    CHECK(text.find(">Convolution110<") < text.find(">Times212<"));
    const fs::path page = scratch("sensitivity-page");
    const auto rendered = runProcess(CDX_PDFTOPPM, {"-png", "-r", "40", "-singlefile", pdf.string(), page.string()});
    INFO(rendered.err);
    REQUIRE(rendered.exitCode == 0);
    CHECK(distinctColors(page.string() + ".png") > 20);

    // --sensitivity names the table instead, whatever the project has.
    const fs::path other = scratch("sensitivity-clstm.svg");
    const auto r = runCdx({"chart", kProjects + "default.json", "--kind", "sensitivity", "--sensitivity", kCompression + "clstm_sensitivity.csv",
                           "--out", other.string(), "--dark"});
    INFO(r.err);
    REQUIRE(r.exitCode == 0);
    CHECK(slurp(other).find(">lstm*<") != std::string::npos);
}

TEST_CASE("cdx chart --kind sensitivity without a usable table exits 2 and says what to do", "[cli][chart][sensitivity]")
{
    const std::string out = scratch("no-table.png").string();
    fs::remove(out);
    // No table in the project: run cdx accuracy --sensitivity first.
    const auto none = runCdx({"chart", kProjects + "default.json", "--kind", "sensitivity", "--out", out});
    CHECK(none.exitCode == 2);
    CHECK(none.err.find("no sensitivity table") != std::string::npos);
    CHECK(none.err.find("cdx accuracy " + kProjects + "default.json --sensitivity --out FILE.csv") != std::string::npos);
    // The project names a table that is not there.
    const auto missing = runCdx({"chart", kCompression + "missing_sensitivity.json", "--kind", "sensitivity", "--out", out});
    CHECK(missing.exitCode == 2);
    CHECK(missing.err.find("never_measured.csv") != std::string::npos);
    CHECK(missing.err.find("--sensitivity --out FILE.csv") != std::string::npos);
    // A table with a typo, from the project or from --sensitivity: the file and the line.
    const auto badProject = runCdx({"chart", kCompression + "bad_sensitivity.json", "--kind", "sensitivity", "--out", out});
    CHECK(badProject.exitCode == 2);
    CHECK(badProject.err.find("bad_sensitivity.csv: line 3: unknown setting token \"densty=0.5\"") != std::string::npos);
    const auto badOption = runCdx({"chart", kProjects + "default.json", "--kind", "sensitivity", "--sensitivity", kCompression + "bad_sensitivity.csv",
                                   "--out", out});
    CHECK(badOption.exitCode == 2);
    CHECK(badOption.err.find("bad_sensitivity.csv: line 3") != std::string::npos);
    const auto noFile = runCdx({"chart", kProjects + "default.json", "--kind", "sensitivity", "--sensitivity", kCompression + "nope.csv", "--out", out});
    CHECK(noFile.exitCode == 2);
    CHECK(noFile.err.find("nope.csv") != std::string::npos);
    CHECK_FALSE(fs::exists(out));
}
