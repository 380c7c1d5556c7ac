// GUI benchmarks, offscreen: edit-to-redraw latency of the studio on ResNet-50, and the frame
// time of panning a Pareto plot of 100,000 points. Prints one table; not part of ctest.
//   QT_QPA_PLATFORM=offscreen build/bin/cdx_studio_bench [edits [explored points]]
#include "app/studio/mainwindow.h"
#include "core/util/datapaths.h"
#include "views/accuracy/accuracymeasurement.h"
#include "estimators/results/networkresult.h"
#include "views/charts/chartview.h"
#include "views/charts/paretochart.h"
#include "views/document/document.h"
#include "views/explore/explorepanel.h"
#include "views/network/layertablemodel.h"
#include "views/network/layertableview.h"
#include "views/results/resultspanel.h"
#include "tests/bench/benchspaces.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QEventLoop>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

using namespace cdx;

namespace {

struct Summary {
    double p50 = 0, p95 = 0, max = 0, mean = 0;
};

Summary summarise(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    Summary s;
    if (v.empty())
        return s;
    auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size() - 1) + 0.5))]; };
    s.p50 = at(0.5);
    s.p95 = at(0.95);
    s.max = v.back();
    for (double x : v)
        s.mean += x;
    s.mean /= static_cast<double>(v.size());
    return s;
}

/// Edits the weight bits of one layer after another and times each edit until the window shows
/// its estimate: the table, the totals and the visible chart repainted.
Summary editToRedraw(MainWindow& window, int edits, ResultsPanel::Chart chart, Summary* estimate = nullptr)
{
    Document* doc = window.document();
    doc->setDebounceMs(0);
    window.resultsPanel()->showChart(chart);
    LayerTableModel* model = window.layerTable()->model();
    std::vector<int> rows;
    for (int r = 0; r < model->rowCount(); ++r)
        if (model->flags(model->index(r, LayerTableModel::WeightBits)) & Qt::ItemIsEditable)
            rows.push_back(r);
    std::vector<double> ms, estimates;
    bool changed = false;
    const QMetaObject::Connection connection = QObject::connect(doc, &Document::resultChanged, [&changed] { changed = true; });
    for (int i = 0; i < edits; ++i) {
        const int row = rows[static_cast<std::size_t>(i) % rows.size()];
        const int bits = model->index(row, LayerTableModel::WeightBits).data().toInt() == 8 ? 6 : 8;
        QElapsedTimer timer;
        timer.start();
        changed = false;
        model->editLayers({row}, LayerTableModel::WeightBits, bits);
        // Wait in an event loop, as the studio does: a loop of processEvents() would spin
        // and take a core from the estimate on this 2-core machine.
        while (!changed || doc->estimating()) {
            QEventLoop loop;
            const auto quit = QObject::connect(doc, &Document::resultChanged, &loop, &QEventLoop::quit);
            QTimer::singleShot(5, &loop, &QEventLoop::quit);
            if (!changed || doc->estimating())
                loop.exec();
            QObject::disconnect(quit);
        }
        // The frame: the layout and scene work Qt queued for the result, then the results
        // panel (totals and chart) and the table painted in full, whether or not Qt would
        // repaint all of them (it repaints only what changed, at its next frame).
        QApplication::processEvents();
        window.resultsPanel()->repaint();
        window.layerTable()->table()->viewport()->repaint();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        estimates.push_back(doc->lastEstimateMs());
    }
    QObject::disconnect(connection);  // `changed` lives on this frame only
    if (estimate)
        *estimate = summarise(estimates);
    return summarise(ms);
}

/// The parts of a redraw of one chart, alternating between two results that differ in one
/// layer's estimate (as after an edit): setting the result (an update in place, or a new chart
/// when the layers or series changed), the layout and scene work Qt then does from its event
/// queue, and the repaint.
struct ChartCost {
    Summary set, deferred, paint;
};

ChartCost chartCost(MainWindow& window, ResultsPanel::Chart which, int times, std::shared_ptr<const NetworkResult> a,
                    std::shared_ptr<const NetworkResult> b)
{
    window.resultsPanel()->showChart(which);
    ChartView* chart = window.resultsPanel()->chart(which);
    QApplication::processEvents();
    std::vector<double> sets, deferred, paints;
    for (int i = 0; i < times && a && b; ++i) {
        QElapsedTimer timer;
        timer.start();
        chart->setResult(i % 2 == 0 ? b : a);
        sets.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        timer.restart();
        QApplication::processEvents();
        deferred.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
        timer.restart();
        chart->viewport()->repaint();
        paints.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    return {summarise(sets), summarise(deferred), summarise(paints)};
}

Summary paretoPanning(ParetoChart* chart, int points, int frames)
{
    std::mt19937 rng(7);
    std::lognormal_distribution<double> energy(0, 1), latency(0, 1);
    std::vector<QPointF> all;
    std::vector<bool> feasible;
    for (int i = 0; i < points; ++i) {
        all.emplace_back(latency(rng) * 1e-3, energy(rng) * 1e9);
        feasible.push_back(i % 7 != 0);
    }
    chart->setPoints(all, feasible);
    std::vector<int> front;
    for (int i = 0; i < 60; ++i)
        front.push_back(i);
    chart->setFront(front);
    chart->resize(1000, 700);
    chart->show();
    QApplication::processEvents();
    std::vector<double> ms;
    for (int f = 0; f < frames; ++f) {
        QElapsedTimer timer;
        timer.start();
        chart->panBy(QPointF(f % 20 < 10 ? 6 : -6, f % 10 < 5 ? 3 : -3));
        chart->viewport()->repaint();
        ms.push_back(static_cast<double>(timer.nsecsElapsed()) / 1e6);
    }
    return summarise(ms);
}

/// Explores 100,000 random points of a weight precision per layer of the open ResNet-50 in the
/// window's explore panel (as a user's run does) and returns the points it holds.
std::size_t exploreInWindow(MainWindow& window, int points)
{
    const auto space = nlohmann::ordered_json::parse(bench::resnet50PrecisionSpace(points));
    window.document()->setBlock(Document::Block::Explore, space, QStringLiteral("bench space"));
    QApplication::processEvents();
    window.explorePanel()->run();
    window.explorePanel()->waitForFinished();
    QApplication::processEvents();
    return window.explorePanel()->points().size();
}

/// Opens `path` in the window and waits for its estimate; false (and the reason on stderr) when
/// it cannot be opened.
bool open(MainWindow& window, const QString& path)
{
    if (const QString error = window.openFile(path); !error.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return false;
    }
    window.document()->waitForEstimate();
    return true;
}

/// The process's peak resident set (getrusage), in MB.
double peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_maxrss) / 1024.0;  // kB on Linux
}

void print(const char* what, const Summary& s)
{
    std::printf("| %-52s | %8.2f | %8.2f | %8.2f |\n", what, s.p50, s.p95, s.max);
}

}  // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("cdx-studio-bench"));
    const int edits = argc > 1 ? std::atoi(argv[1]) : 60;
    const int explorePoints = argc > 2 ? std::atoi(argv[2]) : 100000;

    MainWindow window;
    window.setInteractive(false);
    const QString gemmini = QString::fromStdString(dataDirectory() + "/projects/gemmini_resnet50.json");
    if (!open(window, gemmini))
        return 2;
    window.show();
    std::printf("| %-52s | %8s | %8s | %8s |\n|---|---|---|---|\n", "ms", "p50", "p95", "max");
    // Gemmini's datapath is 8 bits wide whatever the weights' bits: an edit maps the layer
    // again (its workload is new) and the values stay.
    editToRedraw(window, 8, ResultsPanel::Energy);  // warm the estimator's cache of unchanged layers
    Summary estimate;
    print("ResNet-50 on Gemmini: edit to redraw, energy chart", editToRedraw(window, edits, ResultsPanel::Energy, &estimate));
    print("  of which the estimate (edit to result)", estimate);
    print("ResNet-50 on Gemmini: edit to redraw, latency chart", editToRedraw(window, edits, ResultsPanel::Latency));
    print("ResNet-50 on Gemmini: edit to redraw, roofline", editToRedraw(window, edits, ResultsPanel::Roofline));

    // FPAP is bit-serial: an edit changes the layer's energy and time, and every chart's values.
    QTemporaryDir folder;
    const QString fpap = folder.filePath(QStringLiteral("fpap_resnet50.json"));
    {
        QFile vgg(QString::fromStdString(dataDirectory() + "/projects/fpap_vgg16.json"));
        QFile resnet(fpap);
        if (!vgg.open(QIODevice::ReadOnly) || !resnet.open(QIODevice::WriteOnly))
            return 2;
        auto project = nlohmann::ordered_json::parse(vgg.readAll().toStdString());
        project["network"]["zoo"] = "resnet50";
        project["name"] = "FPAP on ResNet-50";
        resnet.write(QByteArray::fromStdString(project.dump(2)));
    }
    if (!open(window, fpap))
        return 2;
    editToRedraw(window, 8, ResultsPanel::Energy);
    print("ResNet-50 on FPAP: edit to redraw, energy chart", editToRedraw(window, edits, ResultsPanel::Energy, &estimate));
    print("  of which the estimate (edit to result)", estimate);
    print("ResNet-50 on FPAP: edit to redraw, latency chart", editToRedraw(window, edits, ResultsPanel::Latency));
    print("ResNet-50 on FPAP: edit to redraw, roofline", editToRedraw(window, edits, ResultsPanel::Roofline));

    // Two FPAP results a layer's precision apart, for the parts of a chart's redraw.
    const auto before = window.document()->result();
    window.layerTable()->model()->editLayers({0}, LayerTableModel::WeightBits, 5);
    window.document()->waitForEstimate();
    const auto after = window.document()->result();
    for (auto [which, name] : {std::pair{ResultsPanel::Energy, "energy"}, std::pair{ResultsPanel::Latency, "latency"},
                               std::pair{ResultsPanel::Roofline, "roofline"}}) {
        const ChartCost cost = chartCost(window, which, 20, before, after);
        print(("  " + std::string(name) + " chart: set the result").c_str(), cost.set);
        print(("  " + std::string(name) + " chart: Qt's layout and scene events").c_str(), cost.deferred);
        print(("  " + std::string(name) + " chart: repaint").c_str(), cost.paint);
    }

    ParetoChart raster;
    print("Pareto pan frame, 100,000 points", paretoPanning(&raster, 100000, 120));

    // Measure accuracy runs in the background: edits of MNIST while it runs (started again as
    // soon as it ends), against the same edits with nothing running.
    if (open(window, QString::fromStdString(dataDirectory() + "/projects/mnist_pruned.json"))) {
        AccuracyMeasurement* measurement = window.accuracyMeasurement();
        if (const QString why = measurement->unavailableReason(); !why.isEmpty()) {
            std::printf("(MNIST while measuring: not run, %s)\n", qPrintable(why));
        } else {
            editToRedraw(window, 8, ResultsPanel::Energy);
            print("MNIST: edit to redraw, idle", editToRedraw(window, edits, ResultsPanel::Energy));
            int measurements = 0;
            QTimer keepMeasuring;
            keepMeasuring.setInterval(1);
            QObject::connect(&keepMeasuring, &QTimer::timeout, [&] {
                if (!measurement->isRunning() && measurement->start())
                    ++measurements;
            });
            keepMeasuring.start();
            const Summary busy = editToRedraw(window, edits, ResultsPanel::Energy);
            keepMeasuring.stop();
            measurement->waitForFinished();
            print("MNIST: edit to redraw, while it measures accuracy", busy);
            std::printf("(%d measurements of the 10,000 test digits ran during those edits)\n", measurements);
        }
    }

    if (!open(window, gemmini))  // the memory figure is for Gemmini's exploration
        return 2;
    QElapsedTimer timer;
    timer.start();
    const std::size_t explored = exploreInWindow(window, explorePoints);
    const double exploreS = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    std::printf("\n| %-52s | %8s |\n|---|---|\n", "memory", "MB");
    std::printf("| peak resident set, ResNet-50 and %7zu explored points | %8.1f |\n", explored, peakRssMb());
    std::printf("(the panel's run of %zu points took %.2f s)\n", explored, exploreS);
    return explored > 0 ? 0 : 1;
}
