// Views without a main window: the document and the layer table, offscreen.
#include "core/zoo/zoo.h"
#include "estimators/results/networkresult.h"
#include "views/accuracy/accuracymeasurement.h"
#include "views/charts/areachart.h"
#include "views/charts/energybreakdownchart.h"
#include "views/charts/latencychart.h"
#include "views/charts/rooflinechart.h"
#include "views/document/document.h"
#include "views/hardware/hardwarepanel.h"
#include "views/network/layertablemodel.h"
#include "views/network/layertableview.h"
#include "views/results/totalswidget.h"
#include "views/util/backgroundjob.h"

#include <QAbstractBarSeries>
#include <QBarCategoryAxis>
#include <QChart>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTableView>
#include <QTest>
#include <QThread>

#include <atomic>

using namespace cdx;

class ViewsTest : public QObject {
    Q_OBJECT

private slots:
    void chartsUpdatedInPlaceDrawWhatNewChartsDraw()
    {
        // Two estimates of FPAP (bit-serial: a layer's weight bits change its energy and time)
        // a layer's precision apart, and one of another network: the charts update the first
        // into the second in place, and build anew for the third.
        Document document;
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/fpap_vgg16.json")), QString());
        QVERIFY(document.waitForEstimate());
        const auto first = document.result();
        // fc6, the largest bar, at 8 bits: its energy halves (the energy axis's range changes)
        // and every layer keeps its bound (the latency chart's series stay).
        int fc6 = -1;
        for (std::size_t i = 0; i < document.network()->layers().size(); ++i)
            if (document.network()->layers()[i].name == "fc6")
                fc6 = static_cast<int>(i);
        QVERIFY(fc6 >= 0);
        document.setLayerField({fc6}, Document::LayerField::WeightBits, 8, QStringLiteral("w8"));
        QVERIFY(document.waitForEstimate());
        const auto second = document.result();
        QVERIFY(first && second && first->energyPj != second->energyPj);
        QCOMPARE(document.open(QStringLiteral("lenet5")), QString());
        QVERIFY(document.waitForEstimate());
        const auto other = document.result();
        QVERIFY(other);

        // Shown and laid out (Qt lays a chart's axes, titles and legend out from its event
        // queue), then drawn.
        auto draw = [](ChartView& chart) {
            QCoreApplication::processEvents();
            QCoreApplication::processEvents();
            return chart.grab().toImage();
        };
        auto check = [&](ChartView& updated, ChartView& fresh) {
            updated.resize(900, 600);
            fresh.resize(900, 600);
            updated.show();
            fresh.show();
            updated.setResult(first);
            updated.setSelectedLayer(QStringLiteral("conv1_1"));
            draw(updated);  // laid out and painted once with the first result
            updated.setResult(second);
            QCOMPARE(updated.updatesInPlace(), 1);
            fresh.setResult(second);
            fresh.setSelectedLayer(QStringLiteral("conv1_1"));
            QCOMPARE(fresh.updatesInPlace(), 0);
            const QImage image = draw(updated);
            if (qEnvironmentVariableIsSet("CDX_SAVE_CHARTS"))
                image.save(QDir::temp().filePath(QStringLiteral("%1.png").arg(updated.metaObject()->className()).replace(QStringLiteral("::"), QStringLiteral("_"))));
            QCOMPARE(image, draw(fresh));
            updated.setResult(other);  // other layers: a new chart
            QCOMPARE(updated.updatesInPlace(), 1);
            QCOMPARE(updated.layerNames().isEmpty(), fresh.layerNames().isEmpty());
            if (!updated.layerNames().isEmpty())
                QCOMPARE(updated.layerNames().front(), QString::fromStdString(other->layers.front().layer.empty() ? other->layers.front().name
                                                                                                               : other->layers.front().layer));
        };
        {
            EnergyBreakdownChart updated, fresh;
            check(updated, fresh);
        }
        {
            LatencyChart updated, fresh;
            check(updated, fresh);
        }
        {
            RooflineChart updated, fresh;
            check(updated, fresh);
            QVERIFY(updated.points().size() > 0);
        }
    }

    void rooflineCountsDramBytesAtTheOperandsPrecision()
    {
        LayerResult workload;
        workload.precision = "w16 a16, weights serial";  // display text: not read
        workload.weightBits = 4;
        workload.activationBits = 16;
        workload.accesses = {{"DRAM", "Weights", 100, 20, 0},   // 120 words of 4 bits
                             {"MainDram", "Inputs", 10, 0, 0},  // 10 of 16
                             {"dram", "Outputs", 0, 0, 5},      // 5 of 16
                             {"GlobalBuffer", "Weights", 1000, 1000, 1000}};
        QCOMPARE(RooflineChart::dramBytes(workload), 120 * 4 / 8.0 + 10 * 2 + 5 * 2);
        workload.weightBits = 12;
        workload.activationBits = 2;
        QCOMPARE(RooflineChart::dramBytes(workload), 120 * 12 / 8.0 + 15 * 2 / 8.0);
        // A result read from a file without the widths: 8 bits.
        workload.weightBits = workload.activationBits = 0;
        QCOMPARE(RooflineChart::dramBytes(workload), 135.0);
        // The widths travel through the result JSON.
        NetworkResult result;
        result.layers.push_back(workload);
        result.layers[0].name = "conv1";
        result.layers[0].weightBits = 3;
        result.layers[0].activationBits = 5;
        auto back = networkResultFromJson(networkResultJson(result, false), "result.json");
        QVERIFY(back.ok());
        QCOMPARE(back->layers.at(0).weightBits, 3);
        QCOMPARE(back->layers.at(0).activationBits, 5);
    }

    void areaChartGroupsByWhatItIsBuiltOf()
    {
        NetworkResult result;
        result.areaMm2 = 10;
        result.areaBreakdown = {{"mac", 1.0, AreaKind::Logic},
                                {"glb", 3.0, AreaKind::Sram, 1, 8192},
                                {"spad", 2.0, AreaKind::Sram, 4, 8192},
                                {"pe_reg", 0.5, AreaKind::Registers, 0, 100},
                                {"glb periphery", 1.5, AreaKind::Overhead},
                                {"spad periphery", 1.0, AreaKind::Overhead},
                                {"control and NoC", 1.0, AreaKind::Overhead}};
        const auto rows = [](AreaChart& chart) {
            QStringList labels;
            for (QAbstractAxis* axis : chart.chart()->axes(Qt::Vertical))
                if (auto* categories = qobject_cast<QBarCategoryAxis*>(axis))
                    labels = categories->categories();
            return labels;
        };
        AreaChart chart;
        chart.setResult(result);
        QCOMPARE(rows(chart).size(), 7);  // one per component
        chart.setGroupedByKind(true);
        // Largest last (a horizontal axis draws its first category at the bottom).
        const QStringList kinds = rows(chart);
        QCOMPARE(kinds.size(), 5);
        QVERIFY(kinds.last().startsWith(QStringLiteral("SRAM arrays: 5 ")));
        QVERIFY(kinds.at(3).startsWith(QStringLiteral("SRAM periphery: 2.5 ")));
        QVERIFY(kinds.first().startsWith(QStringLiteral("registers: 0.5 ")));
        // Every component is still a part of its row: 7 sets.
        auto* series = qobject_cast<QAbstractBarSeries*>(chart.chart()->series().first());
        QVERIFY(series);
        QCOMPARE(series->count(), 7);
        QCOMPARE(QString::fromStdString(physicalAreaGroup(result.areaBreakdown[4])), QStringLiteral("SRAM periphery"));
        QCOMPARE(QString::fromStdString(physicalAreaGroup(result.areaBreakdown[6])), QStringLiteral("control and NoC"));
    }

    void backgroundJobDeliversOnlyTheCurrentRun()
    {
        QObject owner;
        std::vector<int> delivered;
        std::atomic<bool> release{false};
        {
            BackgroundJob job(&owner);
            // A first run that waits until released, then posts: superseded by the second, its
            // post must not arrive, and the second start cancels it (and waits for it to return).
            std::atomic<bool> firstStarted{false}, firstSawCancel{false};
            job.start([&](BackgroundJob::Run& run) {
                firstStarted = true;
                while (!release.load() && !run.cancelled())
                    QThread::msleep(1);
                firstSawCancel = run.cancelled();
                run.post([&] { delivered.push_back(1); });
            });
            QTRY_VERIFY(firstStarted.load());
            std::atomic<bool> secondCancelled{true};
            job.start([&](BackgroundJob::Run& run) {
                secondCancelled = run.cancelled();
                run.post([&] { delivered.push_back(2); });
            });
            QVERIFY(firstSawCancel.load());  // the first was asked to stop
            job.waitForFinished();
            QVERIFY(!secondCancelled.load());  // a fresh flag per run
            job.waitForFinished();
            QCoreApplication::processEvents();
            QCOMPARE(delivered, std::vector<int>{2});
            // Cancel keeps the run current: a cancelled run still reports that it stopped.
            job.start([&](BackgroundJob::Run& run) {
                while (!run.cancelled())
                    QThread::msleep(1);
                run.post([&] { delivered.push_back(3); });
            });
            job.cancel();
            job.waitForFinished();
            QCoreApplication::processEvents();
            QCOMPARE(delivered, (std::vector<int>{2, 3}));
            // abandon() drops it.
            job.start([&](BackgroundJob::Run& run) { run.post([&] { delivered.push_back(4); }); });
            job.waitForFinished();
            job.abandon();
            QCoreApplication::processEvents();
            QCOMPARE(delivered, (std::vector<int>{2, 3}));
            // The destructor cancels a run still going and waits for it.
            job.start([&](BackgroundJob::Run& run) {
                while (!run.cancelled())
                    QThread::msleep(1);
            });
        }
        release = true;
    }

    void layerTableModelShowsEveryLayer()
    {
        auto net = loadZooNetwork("resnet18");
        QVERIFY(net.ok());
        auto shared = std::make_shared<const Network>(std::move(net.value()));
        LayerTableModel model;
        model.setNetwork(shared);
        QCOMPARE(model.rowCount(), static_cast<int>(shared->layers().size()));
        QCOMPARE(model.columnCount(), static_cast<int>(LayerTableModel::ColumnCount));
        QCOMPARE(model.index(0, LayerTableModel::Name).data().toString(), QStringLiteral("conv1"));
        QCOMPARE(model.index(0, LayerTableModel::Kind).data().toString(), QStringLiteral("conv"));
        QCOMPARE(model.index(0, LayerTableModel::OutputShape).data().toString(), QStringLiteral("1x64x112x112"));
        QCOMPARE(model.index(0, LayerTableModel::Macs).data(LayerTableModel::SortRole).toLongLong(), 118013952LL);
        QCOMPARE(model.index(1, LayerTableModel::Name).data(Qt::ToolTipRole).toString(), QStringLiteral("bn1\nFolds into conv1"));
    }

    void documentOpensProjectsNetworksAndZooNames()
    {
        Document document;
        QSignalSpy changed(&document, &Document::networkChanged);
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        QCOMPARE(changed.count(), 1);
        QVERIFY(document.network() != nullptr);
        QVERIFY(!document.filePath().isEmpty());

        QCOMPARE(document.open(QStringLiteral("mobilenet_v2")), QString());
        QCOMPARE(document.network()->totals().params, 3504872LL);
        QCOMPARE(document.displayName(), QStringLiteral("mobilenet_v2"));

        QCOMPARE(document.open(QStringLiteral(CDX_TEST_DATA_DIR "/networks/tiny_cnn.json")), QString());
        QCOMPARE(QString::fromStdString(document.network()->name()), QStringLiteral("tiny_cnn"));

        QCOMPARE(document.open(QStringLiteral(CDX_TEST_DATA_DIR "/onnx/mnist.onnx")), QString());
        QCOMPARE(document.network()->totals().macs, 786560LL);
    }

    void aFailedOpenKeepsTheCurrentProject()
    {
        Document document;
        QCOMPARE(document.open(QStringLiteral("resnet18")), QString());
        QSignalSpy changed(&document, &Document::networkChanged);
        const QString error = document.open(QStringLiteral(CDX_TEST_DATA_DIR "/bad/cycle.json"));
        QVERIFY(error.contains(QStringLiteral("cycle.json")));
        QVERIFY(error.contains(QStringLiteral("cycle")));
        QCOMPARE(changed.count(), 0);
        QCOMPARE(QString::fromStdString(document.network()->name()), QStringLiteral("resnet18"));
    }

    void layerEditsBecomeOnePerLayerRule()
    {
        Document document;
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        const std::string original = document.project().compression.dump();
        document.setLayerField({0}, Document::LayerField::WeightBits, 4, QStringLiteral("w4"));
        document.setLayerField({0}, Document::LayerField::ActivationBits, 6, QStringLiteral("a6"));
        const auto& rules = document.project().compression["layers"];
        QCOMPARE(rules.size(), std::size_t{1});
        QCOMPARE(QString::fromStdString(rules[0].dump()),
                 QStringLiteral(R"({"match":"conv1","weights":{"bits":4},"activations":{"bits":6}})"));
        QCOMPARE(document.layerSettings()[0].weights.bits, 4);
        QCOMPARE(document.layerSettings()[0].activations.bits, 6);
        QCOMPARE(document.layerSettings()[2].weights.bits, 16);  // other layers keep the default
        // Removing both fields removes the rule.
        document.setLayerField({0}, Document::LayerField::WeightBits, nullptr, QStringLiteral("w"));
        document.setLayerField({0}, Document::LayerField::ActivationBits, nullptr, QStringLiteral("a"));
        QCOMPARE(document.project().compression.dump(), original);
        QCOMPARE(document.undoStack()->count(), 4);
        for (int i = 0; i < 4; ++i)
            document.undoStack()->undo();
        QCOMPARE(document.project().compression.dump(), original);
        // A no-op edit pushes nothing.
        document.setBlock(Document::Block::Hardware, document.project().hardware, QStringLiteral("same"));
        QCOMPARE(document.undoStack()->index(), 0);
    }

    void aBoundHardwarePanelFollowsOnlyItsBlocksAndEditsThroughTheDocument()
    {
        Document document;
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        HardwarePanel panel;
        panel.bind(&document);
        QVERIFY(panel.hardwareBlock() == document.project().hardware);
        QSignalSpy blocks(&document, &Document::blockChanged);
        // A compression edit changes one block: the hardware panel is not told.
        document.setLayerField({0}, Document::LayerField::WeightBits, 4, QStringLiteral("w4"));
        QCOMPARE(blocks.count(), 1);
        QCOMPARE(blocks.takeFirst().at(0).value<Document::Block>(), Document::Block::Compression);
        // The panel's edit becomes the document's (undoable) edit, and undo shows in the panel.
        const nlohmann::ordered_json before = document.project().hardware;
        nlohmann::ordered_json changed = before;
        changed["params"]["pe_rows"] = 16;
        emit panel.hardwareEdited(changed, QStringLiteral("Set pe_rows to 16"));
        QVERIFY(document.project().hardware == changed);
        QVERIFY(panel.hardwareBlock() == changed);
        QCOMPARE(blocks.count(), 1);
        QCOMPARE(blocks.takeFirst().at(0).value<Document::Block>(), Document::Block::Hardware);
        document.undoStack()->undo();
        QVERIFY(panel.hardwareBlock() == before);
        QCOMPARE(blocks.count(), 1);
        QCOMPARE(blocks.takeFirst().at(0).value<Document::Block>(), Document::Block::Hardware);
    }

    void estimatesRunInTheBackgroundAndReportFailures()
    {
        Document document;
        QSignalSpy results(&document, &Document::resultChanged);
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        QVERIFY(document.waitForEstimate());
        QVERIFY(document.result() != nullptr);
        QVERIFY(document.result()->latencyS > 0);
        document.setBlock(Document::Block::Platform, nlohmann::ordered_json::parse(R"({"kind": "asic", "node_nm": -3})"),
                          QStringLiteral("bad node"));
        QVERIFY(document.waitForEstimate());
        QVERIFY(document.result() == nullptr);
        QVERIFY2(document.estimateError().contains(QStringLiteral("/platform")), qPrintable(document.estimateError()));
        document.undoStack()->undo();
        QVERIFY(document.waitForEstimate());
        QVERIFY(document.result() != nullptr);
        QVERIFY(document.estimateError().isEmpty());
    }

    void fastEditsCoalesceIntoTheLastEstimate()
    {
        Document document;
        QCOMPARE(document.open(QStringLiteral(CDX_PROJECTS_DIR "/default.json")), QString());
        QVERIFY(document.waitForEstimate());
        for (int bits = 2; bits <= 12; ++bits)
            document.setLayerField({0}, Document::LayerField::WeightBits, bits, QStringLiteral("bits"));
        QVERIFY(document.waitForEstimate());
        QVERIFY(document.result() != nullptr);
        // The shown result is the last edit's: conv1 at 12 bits.
        bool found = false;
        for (const auto& c : document.result()->compression)
            if (c.layer == "conv1") {
                QCOMPARE(c.setting.weights.bits, 12);
                found = true;
            }
        QVERIFY(found);
    }

    void measuringAccuracyNeedsAnAccuracyBlockAndAnOnnxNetwork()
    {
        Document document;
        AccuracyMeasurement measurement(&document);
        TotalsWidget totals(&document);
        totals.setAccuracyMeasurement(&measurement);
        QVERIFY(!measurement.unavailableReason().isEmpty());  // nothing open
        QCOMPARE(document.open(QStringLiteral(CDX_TEST_DATA_DIR "/onnx/mnist.onnx")), QString());  // a network alone: no block
        QVERIFY2(measurement.unavailableReason().contains(QStringLiteral("\"accuracy\" block")), qPrintable(measurement.unavailableReason()));
        QVERIFY(!measurement.start());
        QVERIFY(!measurement.isRunning());
        QVERIFY(document.waitForEstimate());
        // No measurement: the tile says the estimate's source.
        QCOMPARE(totals.accuracySourceText(), QStringLiteral("estimated: ") + QString::fromStdString(document.result()->accuracySource));
        QCOMPARE(totals.valueText(QStringLiteral("accuracy")), QStringLiteral("%1 pp").arg(document.result()->accuracyDropPp, 0, 'f', 2));

        // An accuracy block on a zoo network: no weights to run.
        QFile in(QStringLiteral(CDX_PROJECTS_DIR "/default.json"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        auto project = nlohmann::ordered_json::parse(in.readAll().toStdString());
        project["accuracy"] = {{"dataset", {{"format", "idx"}, {"data", "${CDX_DATA}/mnist/t10k-images-idx3-ubyte"}}}, {"metric", "agreement"}};
        QTemporaryDir dir;
        QFile out(dir.filePath(QStringLiteral("zoo_accuracy.json")));
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(QByteArray::fromStdString(project.dump()));
        out.close();
        QCOMPARE(document.open(out.fileName()), QString());
        QVERIFY2(measurement.unavailableReason().contains(QStringLiteral("ONNX")), qPrintable(measurement.unavailableReason()));
        QVERIFY(!measurement.start());
    }

    void filterMatchesNamesAndKinds()
    {
        Document document;
        LayerTableView view(&document);
        QCOMPARE(document.open(QStringLiteral("resnet18")), QString());
        QTableView* table = view.table();
        const int all = table->model()->rowCount();
        QCOMPARE(all, 69);
        view.setFilter(QStringLiteral("conv"));  // the kind, and names containing "conv"
        QCOMPARE(table->model()->rowCount(), 20);
        view.setFilter(QStringLiteral("downsample"));
        QCOMPARE(table->model()->rowCount(), 6);
        view.setFilter(QString());
        QCOMPARE(table->model()->rowCount(), all);
    }
};

QTEST_MAIN(ViewsTest)
#include "viewstest.moc"
