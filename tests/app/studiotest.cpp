// The studio's main window, offscreen: opening, live estimates, undo, the Pareto explorer,
// save and open, and what a malformed file does.
#include "app/studio/mainwindow.h"
#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/util/datapaths.h"
#include "estimators/export/designexport.h"
#include "estimators/results/networkresult.h"
#include "views/charts/chartview.h"
#include "views/charts/paretochart.h"
#include "views/document/document.h"
#include "views/explore/explorepanel.h"
#include "views/hardware/hardwarepanel.h"
#include "views/hardware/paramform.h"
#include "views/network/layertablemodel.h"
#include "views/network/layertableview.h"
#include "views/results/resultspanel.h"
#include "views/results/totalswidget.h"
#include "views/validate/validationpanel.h"

#include <QAction>
#include <QApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QMap>
#include <QProcess>
#include <QImage>
#include <QMessageBox>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSvgRenderer>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QValueAxis>

#include <algorithm>
#include <cmath>
#include <set>

using namespace cdx;

namespace {

QString projectPath(const char* name)
{
    return QString::fromStdString(dataDirectory() + "/projects/") + QLatin1String(name);
}

/// Every file below `path` (or `path` itself when it is a file), by relative path, with its bytes.
QMap<QString, QByteArray> fileTree(const QString& path)
{
    QMap<QString, QByteArray> files;
    auto read = [](const QString& file) {
        QFile f(file);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<unreadable>");
    };
    if (QFileInfo(path).isFile()) {
        files.insert(QString(), read(path));
        return files;
    }
    QDirIterator it(path, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString file = it.next();
        files.insert(QDir(path).relativeFilePath(file), read(file));
    }
    return files;
}

/// The first layer with weights in the table.
int firstWeightRow(const LayerTableModel& model)
{
    for (int row = 0; row < model.rowCount(); ++row)
        if (model.flags(model.index(row, LayerTableModel::WeightBits)) & Qt::ItemIsEditable)
            return row;
    return -1;
}

}  // namespace

class StudioTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);  // settings and autosaves in a test folder
    }

    void opensTheDefaultProject()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.windowTitle().contains(QStringLiteral("Codesign Explorer")));
        const int rows = window.layerTable()->table()->model()->rowCount();
        QCOMPARE(rows, static_cast<int>(window.document()->network()->layers().size()));
        QVERIFY(window.document()->waitForEstimate());
        QVERIFY(window.document()->result() != nullptr);
        QVERIFY(window.resultsPanel()->totals()->valueText(QStringLiteral("latency")).endsWith(QStringLiteral("s")));
    }

    void editingBitsChangesTotalsAndUndoRestoresThem()
    {
        // FPAP is bit-serial: a layer's weight bits set its cycles and energy.
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("fpap_vgg16.json")), QString());
        window.show();
        Document* doc = window.document();
        QVERIFY(doc->waitForEstimate());
        QVERIFY(doc->result());
        const double energy = doc->result()->energyPj;
        const double latency = doc->result()->latencyS;
        const double accuracy = doc->result()->accuracyDropPp;
        const QString latencyText = window.resultsPanel()->totals()->valueText(QStringLiteral("latency"));
        const QString accuracyText = window.resultsPanel()->totals()->valueText(QStringLiteral("accuracy"));
        const std::string compression = doc->project().compression.dump();

        LayerTableModel* model = window.layerTable()->model();
        const int row = firstWeightRow(*model);
        QVERIFY(row >= 0);
        const int bits = model->index(row, LayerTableModel::WeightBits).data().toInt();
        QVERIFY(bits > 4);
        QVERIFY(model->setData(model->index(row, LayerTableModel::WeightBits), 2));
        QCOMPARE(model->index(row, LayerTableModel::WeightBits).data().toInt(), 2);
        QVERIFY(doc->isModified());
        QVERIFY(doc->waitForEstimate());
        QVERIFY(doc->result());
        QVERIFY(doc->result()->latencyS < latency);         // fewer bit-serial steps in that layer
        QVERIFY(doc->result()->energyPj < energy);          // and fewer shift-and-add steps
        QVERIFY(window.resultsPanel()->totals()->valueText(QStringLiteral("latency")) != latencyText);

        doc->undoStack()->undo();
        QCOMPARE(model->index(row, LayerTableModel::WeightBits).data().toInt(), bits);
        QCOMPARE(doc->project().compression.dump(), compression);
        QVERIFY(!doc->isModified());
        QVERIFY(doc->waitForEstimate());
        QCOMPARE(doc->result()->energyPj, energy);
        QCOMPARE(doc->result()->latencyS, latency);
        QCOMPARE(doc->result()->accuracyDropPp, accuracy);
        QCOMPARE(window.resultsPanel()->totals()->valueText(QStringLiteral("latency")), latencyText);
        QCOMPARE(window.resultsPanel()->totals()->valueText(QStringLiteral("accuracy")), accuracyText);

        doc->undoStack()->redo();
        QVERIFY(doc->waitForEstimate());
        QVERIFY(doc->result()->latencyS < latency);
    }

    void bulkEditAppliesToEverySelectedLayer()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        LayerTableModel* model = window.layerTable()->model();
        std::vector<int> rows;
        for (int row = 0; row < model->rowCount() && rows.size() < 3; ++row)
            if (model->flags(model->index(row, LayerTableModel::Pruning)) & Qt::ItemIsEditable)
                rows.push_back(row);
        QCOMPARE(rows.size(), std::size_t{3});
        QVERIFY(model->editLayers(rows, LayerTableModel::Pruning, QStringLiteral("unstructured")));
        QVERIFY(model->editLayers(rows, LayerTableModel::Density, 0.25));
        for (int row : rows) {
            QCOMPARE(model->index(row, LayerTableModel::Pruning).data().toString(), QStringLiteral("unstructured"));
            QCOMPARE(model->index(row, LayerTableModel::Density).data(Qt::EditRole).toDouble(), 0.25);
        }
        QCOMPARE(window.document()->undoStack()->count(), 2);  // one command per bulk edit
        window.document()->undoStack()->undo();
        window.document()->undoStack()->undo();
        for (int row : rows)
            QCOMPARE(model->index(row, LayerTableModel::Pruning).data().toString(), QStringLiteral("none"));
    }

    void clickingAParetoPointLoadsItsSettings()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("explore_systolic_lenet.json")), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ExplorePanel* panel = window.explorePanel();
        panel->run();
        panel->waitForFinished();
        QVERIFY(!panel->points().empty());
        const std::vector<int> front = panel->frontIds();
        QVERIFY(!front.empty());
        // One front everywhere: the chart marks the search's front (every objective), as
        // feasibleFront, front.json and cdx chart give it.
        const std::vector<std::size_t> searchFront = feasibleFront(panel->points());
        QCOMPARE(std::vector<int>(searchFront.begin(), searchFront.end()), front);
        std::vector<int> marked = panel->chart()->front();
        std::sort(marked.begin(), marked.end());
        QCOMPARE(marked, front);
        const int id = front[front.size() / 2];
        const Evaluation& point = panel->points()[static_cast<std::size_t>(id)];

        auto space = DesignSpace::fromProject(window.document()->project(), *window.document()->network());
        QVERIFY(space.ok());
        const Project expected = space->apply(window.document()->project(), point.genome);
        emit panel->chart()->pointClicked(id);
        QCOMPARE(window.document()->project().hardware.dump(), expected.hardware.dump());
        QCOMPARE(window.document()->project().compression.dump(), expected.compression.dump());
        QCOMPARE(window.document()->project().platform.dump(), expected.platform.dump());
        QVERIFY(window.document()->isModified());
        QVERIFY(window.document()->waitForEstimate());
        QVERIFY(window.document()->result());
        // The loaded design's estimate is the point's: the explorer composes what a full estimate gives.
        const double energy = point.metrics[static_cast<std::size_t>(Metric::EnergyPj)];
        QVERIFY(std::abs(window.document()->result()->energyPj - energy) <= 1e-9 * energy);
    }

    void aMisspeltAxisIsRefusedBeforeASearch()
    {
        QFile shipped(projectPath("explore_systolic_lenet.json"));
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        QByteArray text = shipped.readAll();
        QVERIFY(text.contains("\"param\": \"rows\""));
        text.replace("\"param\": \"rows\"", "\"param\": \"pe_rows\"");
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("misspelt.json"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(text);
        out.close();
        MainWindow window;
        QCOMPARE(window.openFile(path), QString());
        ExplorePanel* panel = window.explorePanel();
        panel->run();
        QVERIFY(!panel->running());
        QVERIFY(panel->points().empty());
        QCOMPARE(panel->statusText(), QStringLiteral("The design space is not valid"));
        QVERIFY2(panel->spaceProblem().contains(QStringLiteral("/explore/axes/0/param")), qPrintable(panel->spaceProblem()));
        QVERIFY2(panel->spaceProblem().contains(QStringLiteral("did you mean \"rows\"")), qPrintable(panel->spaceProblem()));
    }

    void aParetoOfValuesEqualButForRoundingHasFewTicks()
    {
        // Two designs whose energy differs in its last bit (summation order): the axis must not
        // lay out ticks a rounding error apart (Qt then labels without end and runs out of memory).
        ParetoChart chart;
        const double energy = 1.234e10;
        chart.setPoints({QPointF(0.01, energy), QPointF(0.02, std::nextafter(energy, 2 * energy))}, {true, true});
        auto* y = qobject_cast<QValueAxis*>(chart.chart()->axes(Qt::Vertical).value(0));
        QVERIFY(y != nullptr);
        QVERIFY(y->max() - y->min() >= energy * 1e-9 * 0.99);
        QVERIFY((y->max() - y->min()) / y->tickInterval() < 20);
        QVERIFY(y->min() <= energy && y->max() >= energy);
        chart.resize(500, 360);
        chart.show();
        QVERIFY(!chart.grab().isNull());
    }

    void editingAHardwareParameterReestimatesAndUndoes()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("gemmini_resnet50.json")), QString());
        window.show();
        Document* doc = window.document();
        QVERIFY(doc->waitForEstimate());
        const double latency = doc->result()->latencyS;
        auto* rows = qobject_cast<QSpinBox*>(window.hardwarePanel()->paramForm()->editor(QStringLiteral("rows")));
        QVERIFY(rows);
        QCOMPARE(rows->value(), 16);
        rows->setValue(8);
        emit rows->editingFinished();  // what the spin box sends when the user leaves it
        QCOMPARE(doc->project().hardware["params"].value("rows", 0), 8);
        QVERIFY(doc->waitForEstimate());
        QVERIFY(doc->result()->latencyS > latency);  // half the array
        doc->undoStack()->undo();
        QVERIFY(!doc->project().hardware["params"].contains("rows"));
        QCOMPARE(rows->value(), 16);  // the form follows the document
        QVERIFY(doc->waitForEstimate());
        QCOMPARE(doc->result()->latencyS, latency);
    }

    void clickingALayerInAChartSelectsItInTheTable()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("gemmini_resnet50.json")), QString());
        window.show();
        QVERIFY(window.document()->waitForEstimate());
        ChartView* energy = window.resultsPanel()->chart(ResultsPanel::Energy);
        QApplication::processEvents();
        QVERIFY(energy->layerNames().contains(QStringLiteral("layer2.0.conv2")));
        window.layerTable()->setFilter(QStringLiteral("fc"));  // hides the layer: selecting it clears the filter
        emit energy->layerClicked(QStringLiteral("layer2.0.conv2"));
        const QModelIndex current = window.layerTable()->table()->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.sibling(current.row(), LayerTableModel::Name).data().toString(), QStringLiteral("layer2.0.conv2"));
        QCOMPARE(energy->selectedLayer(), QStringLiteral("layer2.0.conv2"));  // and the chart highlights it back
    }

    void chartsExportToPngSvgAndPdf()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        window.show();
        QVERIFY(window.document()->waitForEstimate());
        QApplication::processEvents();
        QTemporaryDir dir;
        ChartView* chart = window.resultsPanel()->chart(ResultsPanel::Energy);
        const QString png = dir.filePath(QStringLiteral("energy.png"));
        QCOMPARE(chart->exportTo(png, QSize(800, 500)), QString());
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1600, 1000));  // twice the pixel density
        const QString svg = dir.filePath(QStringLiteral("energy.svg"));
        QCOMPARE(chart->exportTo(svg), QString());
        QSvgRenderer renderer(svg);
        QVERIFY(renderer.isValid());
        const QString pdf = dir.filePath(QStringLiteral("energy.pdf"));
        QCOMPARE(chart->exportTo(pdf), QString());
        QFile file(pdf);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(file.read(5) == QByteArrayLiteral("%PDF-"));
        QVERIFY(file.size() > 2000);
        QVERIFY(chart->exportTo(dir.filePath(QStringLiteral("energy.bmp"))).contains(QStringLiteral(".bmp")));
        QVERIFY(!chart->exportTo(QStringLiteral("/nonexistent/folder/x.png")).isEmpty());
    }

    void exportingTheReportIncludesTheExploredFront()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("explore_systolic_lenet.json")), QString());
        QVERIFY(window.document()->waitForEstimate());
        QTemporaryDir dir;
        const QString before = dir.filePath(QStringLiteral("before.html"));
        QCOMPARE(window.exportReportTo(before), QString());
        QFile first(before);
        QVERIFY(first.open(QIODevice::ReadOnly));
        const QByteArray page = first.readAll();
        QVERIFY(page.contains("<table class=\"layers\">"));
        QVERIFY(page.contains("Not explored for this report"));
        QCOMPARE(page.count("data:image/svg+xml;base64,"), 4);

        window.explorePanel()->run();
        window.explorePanel()->waitForFinished();
        QVERIFY(!window.explorePanel()->frontIds().empty());
        const QString after = dir.filePath(QStringLiteral("after.html"));
        QCOMPARE(window.exportReportTo(after), QString());
        QFile second(after);
        QVERIFY(second.open(QIODevice::ReadOnly));
        const QByteArray explored = second.readAll();
        QCOMPARE(explored.count("data:image/svg+xml;base64,"), 5);  // and the front
        QVERIFY(explored.contains(QStringLiteral("%1 on the feasible front").arg(window.explorePanel()->frontIds().size()).toUtf8()));
        QVERIFY(window.exportReportTo(QStringLiteral("/nonexistent/folder/r.html")).contains(QStringLiteral("/nonexistent/folder/r.html")));
    }

    /// File > Export and cdx export are one implementation: for every format, the studio and the
    /// CLI write byte-identical files for the same project.
    void everyExportFormatWritesWhatTheCliWrites()
    {
        const struct {
            const char* project;
            ExportFormat format;
        } cases[] = {
            {"default.json", ExportFormat::Json},       {"default.json", ExportFormat::Csv},
            {"default.json", ExportFormat::Verilog},    {"default.json", ExportFormat::Timeloop},
            {"gemmini_resnet50.json", ExportFormat::ScaleSim}, {"mnist_pruned.json", ExportFormat::Hls},
        };
        std::set<ExportFormat> covered;
        for (const auto& c : cases) {
            const QString name = QString::fromUtf8(exportFormatInfo(c.format).name);
            QTemporaryDir dir;
            QVERIFY(dir.isValid());
            const bool folder = exportFormatInfo(c.format).folder;
            const QString studioOut = dir.filePath(QStringLiteral("studio") + (folder ? QString() : QStringLiteral(".out")));
            const QString cliOut = dir.filePath(QStringLiteral("cli") + (folder ? QString() : QStringLiteral(".out")));
            MainWindow window;
            QCOMPARE(window.openFile(projectPath(c.project)), QString());
            QStringList notes;
            QCOMPARE(window.exportDesignTo(c.format, studioOut, &notes), QString());

            QProcess cdx;
            cdx.start(QStringLiteral(CDX_EXECUTABLE), {QStringLiteral("export"), projectPath(c.project), QStringLiteral("--to"), name,
                                                       QStringLiteral("--out"), cliOut});
            QVERIFY(cdx.waitForFinished(120000));
            QCOMPARE(cdx.exitCode(), 0);
            const QString cliErr = QString::fromUtf8(cdx.readAllStandardError());
            for (const QString& note : notes)
                QVERIFY2(cliErr.contains(note), qPrintable(name + QStringLiteral(": the CLI does not say: ") + note));

            const auto studioFiles = fileTree(studioOut), cliFiles = fileTree(cliOut);
            QVERIFY2(!studioFiles.empty(), qPrintable(name));
            QCOMPARE(studioFiles.keys(), cliFiles.keys());
            for (auto it = studioFiles.cbegin(); it != studioFiles.cend(); ++it)
                QVERIFY2(it.value() == cliFiles.value(it.key()), qPrintable(name + QStringLiteral(": ") + it.key() + QStringLiteral(" differs")));
            covered.insert(c.format);
        }
        QCOMPARE(covered.size(), exportFormats().size());
        // A design the format cannot describe is refused with the key that decides it.
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("default.json")), QString());
        QTemporaryDir dir;
        QVERIFY(window.exportDesignTo(ExportFormat::ScaleSim, dir.filePath(QStringLiteral("s"))).contains(QStringLiteral("/hardware/template")));
    }

    void saveThenOpenGivesTheSameProject()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("gemmini_resnet50.json")), QString());
        LayerTableModel* model = window.layerTable()->model();
        QVERIFY(model->setData(model->index(firstWeightRow(*model), LayerTableModel::ActivationBits), 6));
        const QString path = dir.filePath(QStringLiteral("saved.json"));
        QCOMPARE(window.document()->saveAs(path), QString());
        QVERIFY(!window.document()->isModified());

        Document reopened;
        QCOMPARE(reopened.open(path), QString());
        Project a = window.document()->project();
        Project b = reopened.project();
        QCOMPARE(QString::fromStdString(writeProjectJson(b)), QString::fromStdString(writeProjectJson(a)));
        QCOMPARE(reopened.network()->layers().size(), window.document()->network()->layers().size());
    }

    void aMalformedFileShowsAnErrorAndKeepsTheProject()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        window.show();
        const std::string before = writeProjectJson(window.document()->project());
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("broken.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"format": "cdx-project", "version": 1, "network": {"zoo": "resnet18"}, "hardware": )");
        file.close();

        QString shown;
        QTimer::singleShot(50, [&shown] {
            if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
                shown = box->text();
                box->accept();
            }
        });
        QVERIFY(!window.openInteractively(bad));
        QVERIFY2(shown.contains(QStringLiteral("broken.json")), qPrintable(shown));
        QCOMPARE(writeProjectJson(window.document()->project()), before);
        QCOMPARE(window.layerTable()->table()->model()->rowCount(), static_cast<int>(window.document()->network()->layers().size()));
    }

    void autosaveIsRecovered()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("project.json"));
        QVERIFY(QFile::copy(QString::fromStdString(defaultProjectPath()), path));
        {
            Document doc;
            QCOMPARE(doc.open(path), QString());
            doc.setBlock(Document::Block::Platform, nlohmann::ordered_json::parse(R"({"kind": "asic", "node_nm": 28, "clock_mhz": 500})"),
                         QStringLiteral("28 nm"));
            QTest::qWait(1100);  // file times have a resolution of a second on some file systems
            doc.autosave();
            QVERIFY(QFile::exists(doc.autosavePath()));
            // The "crash": the document goes away without saving.
        }
        const QString autosave = Document::recoverableAutosave(path);
        QVERIFY(!autosave.isEmpty());
        Document doc;
        QCOMPARE(doc.recover(autosave, path), QString());
        QCOMPARE(doc.project().platform.value("node_nm", 0), 28);
        QCOMPARE(doc.filePath(), QFileInfo(path).absoluteFilePath());
        QVERIFY(doc.isModified());
        QCOMPARE(doc.save(), QString());
        QVERIFY(Document::recoverableAutosave(path).isEmpty());  // saving removes the autosave
    }

    void validatingTheSelectedLayerRunsTheRtlInTheBackground()
    {
        MainWindow window;
        QCOMPARE(window.openFile(QString::fromStdString(defaultProjectPath())), QString());
        window.show();
        QVERIFY(window.document()->waitForEstimate());
        window.layerTable()->selectLayer(QStringLiteral("layer1.0.conv1"));
        window.validateDesign(true);
        window.validationPanel()->waitForFinished();
        const ValidationReport& report = window.validationPanel()->report();
        QCOMPARE(static_cast<int>(report.layers.size()), 1);
        QCOMPARE(QString::fromStdString(report.layers.front().workload), QStringLiteral("layer1.0.conv1"));
        QVERIFY(report.passed());
        QCOMPARE(report.layers.front().mismatches, Dim{0});
        QCOMPARE(report.layers.front().rtlCycles, report.layers.front().predictedCycles);
        QCOMPARE(window.validationPanel()->table()->rowCount(), 1);
        QCOMPARE(window.validationPanel()->table()->item(0, 3)->text(),
                 QLocale().toString(static_cast<qlonglong>(report.layers.front().rtlCycles)));
        // The whole design point: every MAC layer of ResNet-18.
        window.validateDesign(false);
        window.validationPanel()->waitForFinished();
        QCOMPARE(window.validationPanel()->report().validated, Dim{21});
        QVERIFY(window.validationPanel()->report().passed());
    }

    void measureAccuracyIsDisabledAndSaysWhyWithoutAnAccuracyBlock()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("models/mnist.onnx")), QString());  // a network alone: no block
        QAction* measure = window.measureAccuracyAction();
        QVERIFY(!measure->isEnabled());
        QVERIFY2(measure->toolTip().contains(QStringLiteral("\"accuracy\" block")), qPrintable(measure->toolTip()));
        QVERIFY(!window.measureAccuracy());
        QCOMPARE(window.openFile(projectPath("default.json")), QString());
        QVERIFY(!measure->isEnabled());
    }

    void everyPanelRenders()
    {
        MainWindow window;
        QCOMPARE(window.openFile(projectPath("gemmini_resnet50.json")), QString());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.document()->waitForEstimate());
        for (const QString& name : MainWindow::panelNames()) {
            QWidget* panel = window.panel(name);
            QVERIFY2(panel, qPrintable(name));
            QApplication::processEvents();
            const QImage image = panel->grab().toImage();
            QVERIFY2(image.width() > 100 && image.height() > 100, qPrintable(name));
            const QRgb corner = image.pixel(image.width() / 2, image.height() - 3);
            int differing = 0;
            for (int y = 0; y < image.height(); y += 3)
                for (int x = 0; x < image.width(); x += 3)
                    differing += image.pixel(x, y) != corner;
            QVERIFY2(differing > 200, qPrintable(name));
        }
        QVERIFY(window.panel(QStringLiteral("nonsense")) == nullptr);
    }
};

QTEST_MAIN(StudioTest)
#include "studiotest.moc"
