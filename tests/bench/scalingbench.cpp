// How the estimate and the exploration grow: with the network's size (layers), the design
// space's size (points) and the array's size (PEs). Prints one table per sweep, writes them to
// scaling.csv and plots them (log-log, Qt Charts) to scaling.png in the given directory.
//   QT_QPA_PLATFORM=offscreen build/bin/cdx_scaling_bench [output directory]
#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"
#include "estimators/explore/projectevaluator.h"
#include "tests/bench/benchspaces.h"

#include <QApplication>
#include <QChart>
#include <QChartView>
#include <QElapsedTimer>
#include <QGridLayout>
#include <QLegend>
#include <QLineSeries>
#include <QLogValueAxis>
#include <QWidget>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace cdx;

namespace {

struct Row {
    std::string sweep;   ///< "layers", "points", "pes"
    std::string label;   ///< the network, space or array
    double size = 0;     ///< layers, points or PEs
    double coldMs = 0;   ///< points: the whole run
    double warmMs = 0;   ///< points: per point, in microseconds
};

Project project(const std::string& zoo, const std::string& hardware, const std::string& explore = {})
{
    std::string text = R"({"format": "cdx-project", "version": 1, "name": "scaling", "network": {"zoo": ")" + zoo + R"("},
        "compression": {"default": {"weights": {"bits": 8, "format": "int"}, "activations": {"bits": 8, "format": "int"}}},
        "hardware": )" + hardware;
    if (!explore.empty())
        text += R"(, "explore": )" + explore;
    text += "}";
    auto p = readProjectJson(text, "scaling.json");
    if (!p)
        throw std::runtime_error(p.error().describe());
    return std::move(p).value();
}

Network network(const Project& p)
{
    auto n = loadProjectNetwork(p);
    if (!n)
        throw std::runtime_error(n.error().describe());
    return std::move(n).value();
}

/// The median of `runs` timings of `f`, in ms.
template <typename F>
double medianMs(int runs, F&& f)
{
    std::vector<double> ms;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        f();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}

/// Cold (a fresh cache: every workload mapped) and warm (all cached) estimates of `p`.
Row estimateRow(const std::string& sweep, const std::string& label, double size, const Project& p, const Network& n)
{
    Estimator estimator;
    Row r{sweep, label, size, 0, 0};
    r.coldMs = medianMs(3, [&] {
        estimator.clearCache();
        if (!estimator.estimate(p, n).ok())
            throw std::runtime_error(label + ": the estimate failed");
    });
    r.warmMs = medianMs(21, [&] { (void)estimator.estimate(p, n); });
    return r;
}

constexpr const char* kGemmini = R"({"template": "systolic", "preset": "gemmini_default"})";

std::vector<Row> layerSweep()
{
    std::vector<Row> rows;
    for (const char* zoo : {"lenet5", "alexnet", "vgg16", "resnet18", "mobilenet_v2", "resnet50", "bert_base"}) {
        const Project p = project(zoo, kGemmini);
        const Network n = network(p);
        rows.push_back(estimateRow("layers", zoo, static_cast<double>(n.layers().size()), p, n));
    }
    return rows;
}

std::vector<Row> arraySweep()
{
    std::vector<Row> rows;
    for (int side : {4, 8, 16, 32, 64, 128}) {
        const std::string hw = R"({"template": "systolic", "preset": "gemmini_default", "params": {"rows": )" + std::to_string(side) +
                               R"(, "cols": )" + std::to_string(side) + "}}";
        const Project p = project("resnet50", hw);
        const Network n = network(p);
        rows.push_back(estimateRow("pes", std::to_string(side) + "x" + std::to_string(side), side * side, p, n));
    }
    return rows;
}

std::vector<Row> spaceSweep()
{
    std::vector<Row> rows;
    for (int points : {1000, 10000, 100000, 400000}) {
        const std::string space = bench::resnet50PrecisionSpace(points);
        const Project p = project("resnet50", kGemmini, space);
        const Network n = network(p);
        auto designSpace = DesignSpace::fromProject(p, n);
        if (!designSpace)
            throw std::runtime_error(designSpace.error().describe());
        ProjectEvaluator evaluator(p, n, designSpace.value());
        {
            auto warmup = makeSearchStrategy(designSpace.value(), Shard{});
            explore(designSpace.value(), *warmup, evaluator, {});  // every layer's variants estimated once
        }
        const double ms = medianMs(3, [&] {
            auto search = makeSearchStrategy(designSpace.value(), Shard{});
            ExploreOptions options;
            options.threads = 0;
            explore(designSpace.value(), *search, evaluator, std::move(options));
        });
        rows.push_back(Row{"points", std::to_string(points) + " points", static_cast<double>(points), ms, 1000.0 * ms / points});
    }
    return rows;
}

QChart* plot(const std::vector<Row>& rows, const std::string& sweep, const QString& title, const QString& xTitle,
             const QString& coldName, const QString& warmName, const QString& yTitle)
{
    auto* chart = new QChart();
    chart->setTitle(title);
    auto* cold = new QLineSeries();
    auto* warm = new QLineSeries();
    cold->setName(coldName);
    warm->setName(warmName);
    cold->setPointsVisible(true);
    warm->setPointsVisible(true);
    double x0 = 1e300, x1 = 0, y0 = 1e300, y1 = 0;
    for (const Row& r : rows)
        if (r.sweep == sweep) {
            cold->append(r.size, std::max(r.coldMs, 1e-3));
            warm->append(r.size, std::max(r.warmMs, 1e-3));
            x0 = std::min(x0, r.size);
            x1 = std::max(x1, r.size);
            y0 = std::min({y0, std::max(r.coldMs, 1e-3), std::max(r.warmMs, 1e-3)});
            y1 = std::max({y1, r.coldMs, r.warmMs});
        }
    chart->addSeries(cold);
    chart->addSeries(warm);
    auto* x = new QLogValueAxis();
    x->setTitleText(xTitle);
    x->setLabelFormat(QStringLiteral("%g"));
    auto* y = new QLogValueAxis();
    y->setTitleText(yTitle);
    y->setLabelFormat(QStringLiteral("%g"));
    if (x1 > 0) {  // Qt's log axes do not follow their series: the sweep's range, with a margin
        x->setRange(x0 / 1.5, x1 * 1.5);
        y->setRange(y0 / 2, y1 * 2);
    }
    chart->addAxis(x, Qt::AlignBottom);
    chart->addAxis(y, Qt::AlignLeft);
    for (auto* s : {cold, warm}) {
        s->attachAxis(x);
        s->attachAxis(y);
    }
    chart->legend()->setAlignment(Qt::AlignBottom);
    return chart;
}

void printTable(const std::vector<Row>& rows, const std::string& sweep, const char* sizeName, const char* coldName, const char* warmName)
{
    std::printf("\n| %-14s | %10s | %12s | %12s |\n|---|---|---|---|\n", sweep.c_str(), sizeName, coldName, warmName);
    for (const Row& r : rows)
        if (r.sweep == sweep)
            std::printf("| %-14s | %10.0f | %12.3f | %12.3f |\n", r.label.c_str(), r.size, r.coldMs, r.warmMs);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    const std::string dir = argc > 1 ? argv[1] : ".";
    std::vector<Row> rows;
    try {
        for (auto&& part : {layerSweep(), arraySweep(), spaceSweep()})
            rows.insert(rows.end(), part.begin(), part.end());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cdx_scaling_bench: %s\n", e.what());
        return 1;
    }
    printTable(rows, "layers", "layers", "cold ms", "warm ms");
    printTable(rows, "pes", "PEs", "cold ms", "warm ms");
    printTable(rows, "points", "points", "run ms", "us/point");

    std::ofstream csv(dir + "/scaling.csv");
    csv << "sweep,label,size,cold_ms,warm_ms\n";
    for (const Row& r : rows)
        csv << r.sweep << "," << r.label << "," << r.size << "," << r.coldMs << "," << r.warmMs << "\n";

    QWidget window;
    auto* grid = new QGridLayout(&window);
    const std::vector<QChart*> charts = {
        plot(rows, "layers", QStringLiteral("Estimate vs network size (Gemmini)"), QStringLiteral("layers"), QStringLiteral("cold"),
             QStringLiteral("warm"), QStringLiteral("ms")),
        plot(rows, "pes", QStringLiteral("Estimate vs array size (ResNet-50)"), QStringLiteral("PEs"), QStringLiteral("cold"),
             QStringLiteral("warm"), QStringLiteral("ms")),
        plot(rows, "points", QStringLiteral("Exploration vs design-space size (ResNet-50)"), QStringLiteral("points"),
             QStringLiteral("run, ms"), QStringLiteral("per point, µs"), QStringLiteral("ms or µs")),
    };
    for (std::size_t i = 0; i < charts.size(); ++i) {
        auto* view = new QChartView(charts[i]);
        view->setRenderHint(QPainter::Antialiasing);
        grid->addWidget(view, 0, static_cast<int>(i));
    }
    window.resize(1500, 520);
    window.show();
    QApplication::processEvents();
    const QString png = QString::fromStdString(dir + "/scaling.png");
    if (!window.grab().save(png)) {
        std::fprintf(stderr, "cdx_scaling_bench: cannot write %s\n", qPrintable(png));
        return 1;
    }
    std::printf("\nwrote %s/scaling.csv and %s\n", dir.c_str(), qPrintable(png));
    return 0;
}
