// Measure accuracy from the studio's side, offscreen: the real MNIST network on the real MNIST
// test set with ONNX Runtime (both fetched by scripts/fetch-deps.sh into ~/.cache/cdx-deps), run
// in the background while the event loop turns. Like the [models] tests, this fails (never
// skips) when the fetched files are missing.
#include "views/accuracy/accuracymeasurement.h"
#include "views/accuracy/accuracypanel.h"
#include "views/accuracy/layeraccuracymodel.h"
#include "views/document/document.h"
#include "views/results/totalswidget.h"

#include <nlohmann/json.hpp>

#include <QElapsedTimer>
#include <QFile>
#include <QLocale>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace cdx;

namespace {

constexpr int kTimeoutMs = 300000;  // two shared cores, a sanitiser build: generous

/// projects/mnist_pruned.json with an accuracy block on the MNIST test set, written to `dir`.
QString writeMnistProject(const QTemporaryDir& dir, int samples, int calibration)
{
    QFile in(QStringLiteral(CDX_PROJECTS_DIR "/mnist_pruned.json"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    auto project = nlohmann::ordered_json::parse(in.readAll().toStdString());
    project["network"]["onnx"] = CDX_PROJECTS_DIR "/models/mnist.onnx";
    project["accuracy"] = {{"dataset",
                            {{"format", "idx"},
                             {"data", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"},
                             {"labels", "${CDX_DATA}/mnist/t10k-labels-idx1-ubyte"}}},
                           {"metric", "top1"},
                           {"samples", samples},
                           {"calibration", calibration}};
    const QString path = dir.filePath(QStringLiteral("mnist_accuracy.json"));
    QFile out(path);
    if (!out.open(QIODevice::WriteOnly))
        return {};
    out.write(QByteArray::fromStdString(project.dump(2)));
    return path;
}

QString estimateText(const Document& document)
{
    return QStringLiteral("%1 pp").arg(document.result()->accuracyDropPp, 0, 'f', 2);
}

}  // namespace

class MeasuredAccuracyTest : public QObject {
    Q_OBJECT

private slots:
    void aMeasurementShowsInTheTileWhileItsPlanIsCurrent()
    {
        QTemporaryDir dir;
        const QString path = writeMnistProject(dir, 2000, 200);
        QVERIFY(!path.isEmpty());
        Document document;
        AccuracyMeasurement measurement(&document);
        TotalsWidget totals(&document);
        totals.setAccuracyMeasurement(&measurement);
        AccuracyPanel panel(&measurement);
        QCOMPARE(document.open(path), QString());
        QVERIFY(document.waitForEstimate());
        QVERIFY2(totals.accuracySourceText().startsWith(QStringLiteral("estimated: ")), qPrintable(totals.accuracySourceText()));
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), estimateText(document));
        QCOMPARE(measurement.unavailableReason(), QString());

        QSignalSpy finished(&measurement, &AccuracyMeasurement::finished);
        QSignalSpy progress(&measurement, &AccuracyMeasurement::progressChanged);
        QVERIFY(measurement.start());
        QVERIFY(measurement.isRunning());
        QVERIFY(!measurement.start());  // one at a time
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kTimeoutMs);
        const QList<QVariant> outcome = finished.takeFirst();
        QVERIFY2(outcome[0].toBool(), qPrintable(outcome[2].toString()));
        QVERIFY(progress.count() > 1);  // shares reached the GUI thread while the measurement ran

        const auto report = measurement.currentReport();
        QVERIFY(report);
        QCOMPARE(report->samples, std::int64_t{2000});  // after the 200 digits that calibrate
        QVERIFY(report->floatMetric > 95);
        QCOMPARE(report->dropPp, report->floatMetric - report->compressedMetric);
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), QStringLiteral("%1 pp").arg(report->dropPp, 0, 'f', 2));
        const QString source = totals.accuracySourceText();
        QVERIFY2(source.startsWith(QStringLiteral("measured: ")), qPrintable(source));
        QVERIFY2(source.contains(QStringLiteral("top-1 %1 → %2 %").arg(report->floatMetric, 0, 'f', 2).arg(report->compressedMetric, 0, 'f', 2)),
                 qPrintable(source));
        QVERIFY2(source.contains(QLocale().toString(2000) + QStringLiteral(" samples")), qPrintable(source));

        // Where the loss comes from: one row per quantised layer output.
        QVERIFY(!report->layers.empty());
        QCOMPARE(panel.model()->rowCount(), static_cast<int>(report->layers.size()));
        QCOMPARE(panel.table()->model()->rowCount(), static_cast<int>(report->layers.size()));
        QCOMPARE(panel.model()->index(0, LayerAccuracyModel::Layer).data().toString(), QString::fromStdString(report->layers[0].layer));
        QCOMPARE(panel.model()->index(0, LayerAccuracyModel::SqnrDb).data(LayerAccuracyModel::SortRole).toDouble(), report->layers[0].sqnrDb);
        QVERIFY(panel.statusText().startsWith(QStringLiteral("measured: ")));

        // Another compression plan: the measurement no longer applies; undoing brings it back.
        document.setLayerField({0}, Document::LayerField::WeightBits, 4, QStringLiteral("w4"));
        QVERIFY(document.waitForEstimate());
        QVERIFY(!measurement.currentReport());
        QCOMPARE(measurement.lastReport(), report);
        QVERIFY2(totals.accuracySourceText().startsWith(QStringLiteral("estimated: ")), qPrintable(totals.accuracySourceText()));
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), estimateText(document));
        QVERIFY(panel.statusText().contains(QStringLiteral("another compression plan")));
        document.undoStack()->undo();
        QVERIFY(document.waitForEstimate());
        QCOMPARE(measurement.currentReport(), report);
        QCOMPARE(totals.accuracySourceText(), source);
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), QStringLiteral("%1 pp").arg(report->dropPp, 0, 'f', 2));
    }

    void cancellingEndsTheRunAndLeavesTheTileAsItWas()
    {
        QTemporaryDir dir;
        const QString path = writeMnistProject(dir, 10000, 500);
        QVERIFY(!path.isEmpty());
        Document document;
        AccuracyMeasurement measurement(&document);
        TotalsWidget totals(&document);
        totals.setAccuracyMeasurement(&measurement);
        QCOMPARE(document.open(path), QString());
        QVERIFY(document.waitForEstimate());
        const QString value = totals.valueText(QStringLiteral("accuracy"));
        const QString source = totals.accuracySourceText();

        QSignalSpy finished(&measurement, &AccuracyMeasurement::finished);
        QVERIFY(measurement.start());
        // Cancel in the middle: once a share beyond zero has arrived.
        QTRY_VERIFY_WITH_TIMEOUT(measurement.progress() > 0 || finished.count() > 0, kTimeoutMs);
        QCOMPARE(finished.count(), 0);
        measurement.cancel();
        QElapsedTimer latency;
        latency.start();
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kTimeoutMs);
        qInfo("cancelled at %.1f %%, ended %lld ms later", measurement.progress() * 100, static_cast<long long>(latency.elapsed()));
        const QList<QVariant> outcome = finished.takeFirst();
        QCOMPARE(outcome[0].toBool(), false);
        QCOMPARE(outcome[1].toBool(), true);
        QVERIFY(!measurement.isRunning());
        QVERIFY(!measurement.lastReport());
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), value);
        QCOMPARE(totals.accuracySourceText(), source);
        QCOMPARE(measurement.unavailableReason(), QString());  // it can run again
    }

    void anAutoAccumulatorTakesTheMeasuredWidthWhileTheReportApplies()
    {
        QTemporaryDir dir;
        const QString path = writeMnistProject(dir, 500, 100);
        QVERIFY(!path.isEmpty());
        {
            // The same project with "accumulator": {"bits": "auto"} on the plan's default.
            QFile file(path);
            QVERIFY(file.open(QIODevice::ReadOnly));
            auto project = nlohmann::ordered_json::parse(file.readAll().toStdString());
            file.close();
            project["compression"]["default"]["accumulator"] = {{"bits", "auto"}};
            QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
            file.write(QByteArray::fromStdString(project.dump(2)));
        }
        Document document;
        AccuracyMeasurement measurement(&document);
        QCOMPARE(document.open(path), QString());
        QVERIFY(document.waitForEstimate());
        // Unmeasured: the preset's 16-bit accumulators.
        QVERIFY2(document.result()->design.find("16-bit accumulators") != std::string::npos, document.result()->design.c_str());

        QSignalSpy finished(&measurement, &AccuracyMeasurement::finished);
        QVERIFY(measurement.start());
        QTRY_VERIFY_WITH_TIMEOUT(finished.count() == 1, kTimeoutMs);
        QVERIFY(finished.first()[0].toBool());
        const auto report = measurement.currentReport();
        QVERIFY(report);
        QVERIFY(!report->accumulators.empty());
        int widest = 0;
        for (const auto& a : report->accumulators)
            widest = std::max(widest, a.bits + a.marginBits);
        QVERIFY(document.waitForEstimate());
        const std::string expected = std::to_string(widest) + "-bit accumulators";
        QVERIFY2(document.result()->design.find(expected) != std::string::npos, (document.result()->design + " lacks " + expected).c_str());
    }
};

QTEST_MAIN(MeasuredAccuracyTest)
#include "measuredaccuracytest.moc"
