#include "app/studio/mainwindow.h"

#include "core/util/datapaths.h"
#include "core/util/fileio.h"
#include "core/util/jsonwriter.h"
#include "core/util/version.h"
#include "core/zoo/zoo.h"
#include "estimators/export/designexport.h"
#include "estimators/results/networkresult.h"
#include "views/accuracy/accuracymeasurement.h"
#include "views/accuracy/accuracypanel.h"
#include "views/charts/chartexport.h"
#include "views/report/htmlreport.h"
#include "views/charts/chartview.h"
#include "views/charts/paretochart.h"
#include "views/document/document.h"
#include "views/explore/explorepanel.h"
#include "views/hardware/hardwarepanel.h"
#include "views/log/logpanel.h"
#include "views/network/layertableview.h"
#include "views/results/resultspanel.h"
#include "views/results/totalswidget.h"
#include "views/validate/validationpanel.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStatusBar>
#include <QStyle>
#include <QStyleFactory>

namespace cdx {

namespace {

constexpr int kMaxRecentFiles = 8;

QPalette darkPalette()
{
    QPalette p;
    const QColor window(37, 37, 40), base(30, 30, 32), text(225, 225, 228), disabled(127, 127, 127), highlight(66, 133, 244);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 155));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, highlight.lighter(130));
    p.setColor(QPalette::Highlight, highlight);
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Disabled, QPalette::Text, disabled);
    p.setColor(QPalette::Disabled, QPalette::WindowText, disabled);
    p.setColor(QPalette::Disabled, QPalette::ButtonText, disabled);
    return p;
}

}  // namespace

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      document_(new Document(this)),
      layerTable_(new LayerTableView(document_)),
      hardware_(new HardwarePanel),
      results_(new ResultsPanel(document_)),
      explore_(new ExplorePanel),
      log_(new LogPanel(document_)),
      validation_(new ValidationPanel),
      accuracy_(new AccuracyMeasurement(document_, this)),
      accuracyPanel_(new AccuracyPanel(accuracy_))
{
    setObjectName(QStringLiteral("mainWindow"));
    setAcceptDrops(true);
    setCentralWidget(results_);
    createDocks();
    createActions();

    // Panels bind to the document themselves: they edit through it, and its typed change
    // signals tell them what changed. The window wires what crosses panels.
    hardware_->bind(document_);
    explore_->bind(document_);
    connect(document_, &Document::networkChanged, this, &MainWindow::updateTitle);
    connect(document_, &Document::filePathChanged, this, &MainWindow::updateTitle);
    connect(document_, &Document::modifiedChanged, this, &MainWindow::setWindowModified);
    connect(document_, &Document::resultChanged, this, [this] {
        const auto r = document_->result();
        statusBar()->showMessage(r ? tr("Estimated in %1 ms").arg(document_->lastEstimateMs(), 0, 'f', 1) : document_->estimateError());
    });
    connect(document_, &Document::estimateStarted, this, [this] { statusBar()->showMessage(tr("Estimating…")); });
    connect(results_, &ResultsPanel::layerClicked, layerTable_, &LayerTableView::selectLayer);
    connect(layerTable_, &LayerTableView::layerSelected, results_, &ResultsPanel::setSelectedLayer);
    connect(explore_, &ExplorePanel::message, log_, &LogPanel::appendLog);
    connect(explore_, &ExplorePanel::runFinished, log_, &LogPanel::appendLog);
    connect(layerTable_, &LayerTableView::layerSelected, this, [this](const QString& name) { selectedLayer_ = name; });
    connect(validation_, &ValidationPanel::finished, this, [this](bool, const QString& summary) { log_->appendLog(summary); });
    results_->totals()->setAccuracyMeasurement(accuracy_);
    connect(accuracy_, &AccuracyMeasurement::availabilityChanged, this, &MainWindow::refreshAccuracyActions);
    connect(accuracy_, &AccuracyMeasurement::finished, this, &MainWindow::accuracyFinished);
    connect(accuracy_, &AccuracyMeasurement::progressChanged, this,
            [this](double share) { statusBar()->showMessage(tr("Measuring accuracy… %1 %").arg(share * 100, 0, 'f', 0)); });
    refreshAccuracyActions();

    resize(1600, 1000);
    updateTitle();
    updateRecentMenu();
}

MainWindow::~MainWindow()
{
    explore_->cancel();
    explore_->waitForFinished();
    validation_->cancel();
    validation_->waitForFinished();
    accuracy_->cancel();
    accuracy_->waitForFinished();
    // The document outlives the docks it feeds in the child list; it must not signal them.
    document_->disconnect(this);
}

void MainWindow::createDocks()
{
    auto dock = [this](QWidget* widget, const QString& title, const char* name, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(QString::fromLatin1(name));
        d->setWidget(widget);
        addDockWidget(area, d);
        return d;
    };
    QDockWidget* network = dock(layerTable_, tr("Network"), "networkDock", Qt::LeftDockWidgetArea);
    QDockWidget* hardware = dock(hardware_, tr("Hardware"), "hardwareDock", Qt::RightDockWidgetArea);
    paretoDock_ = dock(explore_, tr("Pareto explorer"), "paretoDock", Qt::BottomDockWidgetArea);
    logDock_ = dock(log_, tr("Warnings and log"), "logDock", Qt::BottomDockWidgetArea);
    validationDock_ = dock(validation_, tr("RTL validation"), "validationDock", Qt::BottomDockWidgetArea);
    accuracyDock_ = dock(accuracyPanel_, tr("Accuracy"), "accuracyDock", Qt::BottomDockWidgetArea);
    tabifyDockWidget(paretoDock_, logDock_);
    tabifyDockWidget(logDock_, validationDock_);
    tabifyDockWidget(validationDock_, accuracyDock_);
    paretoDock_->raise();
    resizeDocks({network, hardware}, {660, 400}, Qt::Horizontal);
    resizeDocks({paretoDock_, logDock_}, {340, 340}, Qt::Vertical);
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New from zoo network..."), QKeySequence::New, this, &MainWindow::newFromZoo);
    file->addAction(tr("&Open..."), QKeySequence::Open, this, &MainWindow::openWithDialog);
    recentMenu_ = file->addMenu(tr("Open &recent"));
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::saveDocument);
    file->addAction(tr("Save &as..."), QKeySequence::SaveAs, this, &MainWindow::saveDocumentAs);
    file->addSeparator();
    QMenu* exports = file->addMenu(tr("&Export"));
    exports->addAction(tr("Current &chart (PNG, SVG, PDF)..."), QKeySequence(tr("Ctrl+E")), this, &MainWindow::exportCurrentChart);
    exports->addAction(tr("&Pareto chart (PNG, SVG, PDF)..."), this, &MainWindow::exportParetoChart);
    exports->addAction(tr("Results as &JSON..."), this, &MainWindow::exportResultsJson);
    exports->addAction(tr("&Report (HTML)..."), this, &MainWindow::exportReport);
    // The design point for other tools: the formats of cdx export, written by the same code.
    exports->addSection(tr("Design for other tools"));
    for (const ExportFormatInfo& f : exportFormats())
        exports->addAction(QString::fromUtf8(f.title) + QStringLiteral("..."), this, [this, format = f.format] { exportDesignWithDialog(format); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = document_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = document_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    edit->addAction(tr("&Find layer"), QKeySequence::Find, this, [this] { layerTable_->setFocus(); layerTable_->setFilter({}); });

    viewMenu_ = menuBar()->addMenu(tr("&View"));
    for (QDockWidget* d : findChildren<QDockWidget*>())
        viewMenu_->addAction(d->toggleViewAction());
    viewMenu_->addSeparator();
    QAction* dark = viewMenu_->addAction(tr("&Dark theme"));
    dark->setCheckable(true);
    dark->setChecked(QSettings().value(QStringLiteral("darkTheme"), false).toBool());
    connect(dark, &QAction::toggled, this, [this](bool on) {
        setDarkTheme(on);
        QSettings().setValue(QStringLiteral("darkTheme"), on);
    });

    QMenu* explore = menuBar()->addMenu(tr("E&xplore"));
    explore->addAction(tr("&Run search"), QKeySequence(tr("F5")), explore_, &ExplorePanel::run);
    explore->addAction(tr("&Cancel search"), QKeySequence(tr("Esc")), explore_, &ExplorePanel::cancel);
    explore->addSeparator();
    explore->addAction(tr("&Validate design point on the RTL PE"), QKeySequence(tr("Ctrl+Shift+V")), this, [this] { validateDesign(false); });
    explore->addAction(tr("Validate the selected &layer on the RTL PE"), this, [this] { validateDesign(true); });
    explore->addAction(tr("Cancel &validation"), validation_, &ValidationPanel::cancel);
    explore->addSeparator();
    explore->addAction(tr("&Load a cdx explore run..."), this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Run directory of cdx explore --out"));
        if (dir.isEmpty())
            return;
        QString error;
        if (!explore_->loadPoints(dir, &error))
            showError(tr("Cannot load the run"), error);
    });

    QMenu* accuracy = menuBar()->addMenu(tr("&Accuracy"));
    accuracy->setToolTipsVisible(true);  // a disabled Measure says why
    measureAccuracy_ = accuracy->addAction(tr("&Measure accuracy"), QKeySequence(tr("Ctrl+Shift+A")), this, &MainWindow::measureAccuracy);
    cancelAccuracy_ = accuracy->addAction(tr("&Cancel measurement"), accuracy_, &AccuracyMeasurement::cancel);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Codesign Explorer"), this, [this] {
        QMessageBox::about(this, tr("About Codesign Explorer"),
                           tr("<b>Codesign Explorer %1</b><p>Hardware/software co-design of neural-network "
                              "accelerators.</p>")
                               .arg(QString::fromLatin1(kVersion)));
    });
}

void MainWindow::setDarkTheme(bool dark)
{
    dark_ = dark;
    if (dark) {
        QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
        QApplication::setPalette(darkPalette());
    } else {
        QApplication::setPalette(QApplication::style()->standardPalette());
    }
    results_->setDark(dark);
    explore_->chart()->setDark(dark);
}

QString MainWindow::openFile(const QString& path)
{
    const QString error = document_->open(path);
    if (error.isEmpty()) {
        if (QFileInfo::exists(path))
            addRecentFile(QFileInfo(path).absoluteFilePath());
        // The explorer when there is a space to explore, else the warnings.
        (document_->project().explore.empty() ? logDock_ : paretoDock_)->raise();
    }
    return error;
}

bool MainWindow::openInteractively(const QString& path)
{
    if (!maybeSave())
        return false;
    if (const QString error = openFile(path); !error.isEmpty()) {
        showError(tr("Cannot open %1").arg(QFileInfo(path).fileName()), error);
        return false;
    }
    const QString autosave = Document::recoverableAutosave(document_->filePath());
    if (interactive_ && !autosave.isEmpty() && !document_->filePath().isEmpty()) {
        const auto answer = QMessageBox::question(this, tr("Recover unsaved changes?"),
                                                  tr("%1 has unsaved changes from an earlier session (autosaved %2). Recover them?")
                                                      .arg(QFileInfo(path).fileName(), QFileInfo(autosave).lastModified().toString()),
                                                  QMessageBox::Yes | QMessageBox::Discard);
        if (answer == QMessageBox::Yes) {
            if (const QString error = document_->recover(autosave, document_->filePath()); !error.isEmpty())
                showError(tr("Cannot recover"), error);
        } else {
            QFile::remove(autosave);
        }
    }
    return true;
}

bool MainWindow::offerUntitledRecovery()
{
    const QString autosave = Document::recoverableAutosave({});
    if (!interactive_ || autosave.isEmpty())
        return false;
    const auto answer = QMessageBox::question(this, tr("Recover unsaved project?"),
                                              tr("An untitled project was not saved when the studio last closed (autosaved %1). "
                                                 "Recover it?")
                                                  .arg(QFileInfo(autosave).lastModified().toString()),
                                              QMessageBox::Yes | QMessageBox::Discard);
    if (answer != QMessageBox::Yes) {
        QFile::remove(autosave);
        return false;
    }
    if (const QString error = document_->recover(autosave, {}); !error.isEmpty()) {
        showError(tr("Cannot recover"), error);
        return false;
    }
    return true;
}

void MainWindow::showError(const QString& title, const QString& message)
{
    log_->appendLog(tr("%1: %2").arg(title, message));
    if (interactive_)
        QMessageBox::warning(this, title, message);
}

void MainWindow::openWithDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open project or network"),
                                                      QString::fromStdString(dataDirectory() + "/projects"),
                                                      tr("Projects and networks (*.json *.onnx);;All files (*)"));
    if (!path.isEmpty())
        openInteractively(path);
}

void MainWindow::newFromZoo()
{
    QStringList names;
    for (const ZooEntry& e : zooEntries())
        names << QString::fromUtf8(e.name.data(), static_cast<qsizetype>(e.name.size()));
    bool ok = false;
    const QString name = QInputDialog::getItem(this, tr("New project"), tr("Network from the zoo:"), names, 0, false, &ok);
    if (ok && !name.isEmpty())
        openInteractively(name);
}

bool MainWindow::saveDocument()
{
    if (document_->filePath().isEmpty())
        return saveDocumentAs();
    if (const QString error = document_->save(); !error.isEmpty()) {
        showError(tr("Cannot save"), error);
        return false;
    }
    return true;
}

bool MainWindow::saveDocumentAs()
{
    const QString suggested = document_->filePath().isEmpty() ? document_->displayName() + QStringLiteral(".json") : document_->filePath();
    const QString path = QFileDialog::getSaveFileName(this, tr("Save project"), suggested, tr("Projects (*.json)"));
    if (path.isEmpty())
        return false;
    if (const QString error = document_->saveAs(path); !error.isEmpty()) {
        showError(tr("Cannot save"), error);
        return false;
    }
    addRecentFile(document_->filePath());
    return true;
}

bool MainWindow::maybeSave()
{
    if (!document_->isModified() || !interactive_)
        return true;
    const auto answer = QMessageBox::warning(this, tr("Unsaved changes"),
                                             tr("%1 has unsaved changes. Save them?").arg(document_->displayName()),
                                             QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
    if (answer == QMessageBox::Save)
        return saveDocument();
    if (answer != QMessageBox::Discard)
        return false;
    document_->discardAutosave();
    return true;
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    if (maybeSave()) {
        explore_->cancel();
        event->accept();
    } else {
        event->ignore();
    }
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    for (const QUrl& url : event->mimeData()->urls()) {
        const QString path = url.toLocalFile();
        if (path.endsWith(QStringLiteral(".json")) || path.endsWith(QStringLiteral(".onnx"))) {
            event->acceptProposedAction();
            return;
        }
    }
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const auto urls = event->mimeData()->urls();
    if (!urls.isEmpty())
        openInteractively(urls.first().toLocalFile());
}

void MainWindow::exportCurrentChart()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export chart"), QString(), chartExportFilters().join(QStringLiteral(";;")));
    if (path.isEmpty())
        return;
    if (const QString error = results_->currentChart()->exportTo(path); !error.isEmpty())
        showError(tr("Cannot export the chart"), error);
}

void MainWindow::exportParetoChart()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Export Pareto chart"), QString(), chartExportFilters().join(QStringLiteral(";;")));
    if (path.isEmpty())
        return;
    if (const QString error = exportChart(explore_->chart(), path); !error.isEmpty())
        showError(tr("Cannot export the chart"), error);
}

void MainWindow::exportResultsJson()
{
    const auto r = document_->result();
    if (!r) {
        showError(tr("No results"), tr("The project has no estimate to export yet."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export results"), QString(), tr("JSON (*.json)"));
    if (path.isEmpty())
        return;
    // The layout of cdx estimate --json.
    if (auto error = writeFileAtomically(path.toStdString(), formatJson(networkResultJson(*r, false), 3)))
        showError(tr("Cannot export the results"), QString::fromStdString(error->describe()));
}

void MainWindow::exportDesignWithDialog(ExportFormat format)
{
    if (!document_->network()) {
        showError(tr("No project"), tr("Open a project before exporting its design."));
        return;
    }
    const ExportFormatInfo& info = exportFormatInfo(format);
    const QString title = tr("Export: %1").arg(QString::fromUtf8(info.title));
    const QString path = info.folder ? QFileDialog::getExistingDirectory(this, title)
                                     : QFileDialog::getSaveFileName(this, title, QString(), QString::fromUtf8(info.fileFilter));
    if (path.isEmpty())
        return;
    QStringList notes;
    QApplication::setOverrideCursor(Qt::WaitCursor);
    const QString error = exportDesignTo(format, path, &notes);
    QApplication::restoreOverrideCursor();
    if (!error.isEmpty()) {
        showError(tr("Cannot export the design"), error);
        return;
    }
    for (const QString& note : notes)
        log_->appendLog(tr("Export note: %1").arg(note));
    log_->appendLog(tr("%1 written to %2").arg(QString::fromUtf8(info.title), path));
}

QString MainWindow::exportDesignTo(ExportFormat format, const QString& path, QStringList* notes)
{
    const auto network = document_->network();
    if (!network)
        return tr("No project is open.");
    auto output = exportDesign(format, document_->project(), *network);
    if (!output)
        return QString::fromStdString(output.error().describe());
    if (auto error = writeExport(output.value(), path.toStdString()))
        return QString::fromStdString(error->describe());
    if (notes)
        for (const auto& note : output->notes)
            notes->push_back(QString::fromStdString(note));
    return {};
}

void MainWindow::exportReport()
{
    if (!document_->result()) {
        showError(tr("No results"), tr("The project has no estimate to report yet."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, tr("Export report"), QString(), tr("HTML page (*.html)"));
    if (path.isEmpty())
        return;
    if (const QString error = exportReportTo(path); !error.isEmpty())
        showError(tr("Cannot export the report"), error);
    else
        log_->appendLog(tr("Report written to %1").arg(path));
}

QString MainWindow::exportReportTo(const QString& path)
{
    const auto r = document_->result();
    if (!r)
        return tr("The project has no estimate to report yet.");
    ExploredPoints explored;
    const bool haveFront = explore_->pointsSpace() && !explore_->points().empty();
    if (haveFront) {
        explored.space = explore_->pointsSpace();
        explored.points = explore_->points();
        for (int id : explore_->frontIds())
            explored.front.push_back(static_cast<std::size_t>(id));
        explored.origin = "the studio's Pareto explorer";
    }
    const std::string source = document_->filePath().isEmpty() ? document_->project().name : document_->filePath().toStdString();
    const ReportInput input{*r, source, haveFront ? &explored : nullptr, !document_->project().explore.empty()};
    if (auto error = writeHtmlReport(input, path.toStdString()))
        return QString::fromStdString(error->describe());
    return {};
}

void MainWindow::addRecentFile(const QString& path)
{
    if (!path.endsWith(QStringLiteral(".json")) && !path.endsWith(QStringLiteral(".onnx")))
        return;
    QSettings settings;
    QStringList files = settings.value(QStringLiteral("recentFiles")).toStringList();
    files.removeAll(path);
    files.prepend(path);
    while (files.size() > kMaxRecentFiles)
        files.removeLast();
    settings.setValue(QStringLiteral("recentFiles"), files);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    recentMenu_->clear();
    const QStringList files = QSettings().value(QStringLiteral("recentFiles")).toStringList();
    for (const QString& f : files)
        recentMenu_->addAction(QFileInfo(f).fileName(), this, [this, f] { openInteractively(f); })->setToolTip(f);
    recentMenu_->setEnabled(!files.isEmpty());
}

void MainWindow::updateTitle()
{
    setWindowTitle(tr("%1[*] - Codesign Explorer").arg(document_->displayName()));
    setWindowModified(document_->isModified());
}

void MainWindow::validateDesign(bool selectedLayerOnly)
{
    if (selectedLayerOnly && selectedLayer_.isEmpty()) {
        showError(tr("Validate the selected layer"), tr("Select a layer in the network table first."));
        return;
    }
    validationDock_->show();
    validationDock_->raise();
    validation_->validate(document_->project(), document_->network(), selectedLayerOnly ? selectedLayer_ : QString());
}

bool MainWindow::measureAccuracy()
{
    if (!accuracy_->start())
        return false;
    accuracyDock_->show();
    accuracyDock_->raise();
    log_->appendLog(tr("Measuring the accuracy of %1…").arg(document_->displayName()));
    return true;
}

void MainWindow::refreshAccuracyActions()
{
    const bool running = accuracy_->isRunning();
    const QString reason = accuracy_->unavailableReason();
    measureAccuracy_->setEnabled(!running && reason.isEmpty());
    const QString tip = running ? tr("A measurement is running")
                      : reason.isEmpty() ? tr("Run the compressed network on the project's data with ONNX Runtime and compare it with the float network")
                                         : reason;
    measureAccuracy_->setToolTip(tip);
    measureAccuracy_->setStatusTip(tip);
    cancelAccuracy_->setEnabled(running);
}

void MainWindow::accuracyFinished(bool ok, bool cancelled, const QString& message)
{
    if (ok) {
        log_->appendLog(tr("Accuracy of %1: %2").arg(document_->displayName(), message));
        statusBar()->showMessage(message);
    } else if (cancelled) {
        log_->appendLog(message);
        statusBar()->showMessage(message);
    } else {
        log_->appendLog(tr("Accuracy measurement failed: %1").arg(message));
        statusBar()->showMessage(tr("Accuracy measurement failed (see the Accuracy panel)"));
        accuracyDock_->raise();
    }
}

QStringList MainWindow::panelNames()
{
    return {QStringLiteral("window"), QStringLiteral("network"), QStringLiteral("hardware"), QStringLiteral("results"),
            QStringLiteral("energy"), QStringLiteral("latency"), QStringLiteral("area"), QStringLiteral("area-kinds"),
            QStringLiteral("roofline"), QStringLiteral("pareto"), QStringLiteral("log"), QStringLiteral("validation"), QStringLiteral("accuracy")};
}

QWidget* MainWindow::panel(const QString& name)
{
    if (name == QStringLiteral("window"))
        return this;
    if (name == QStringLiteral("network"))
        return layerTable_;
    if (name == QStringLiteral("hardware"))
        return hardware_;
    if (name == QStringLiteral("results"))
        return results_;
    if (name == QStringLiteral("pareto"))
        return explore_;
    if (name == QStringLiteral("log"))
        return log_;
    if (name == QStringLiteral("validation")) {
        validationDock_->raise();
        return validation_;
    }
    if (name == QStringLiteral("accuracy")) {
        accuracyDock_->raise();
        return accuracyPanel_;
    }
    if (name == QStringLiteral("area-kinds")) {
        results_->setAreaGroupedByKind(true);
        results_->showChart(ResultsPanel::Area);
        return results_->chart(ResultsPanel::Area);
    }
    for (int c = 0; c < ResultsPanel::ChartCount; ++c) {
        const auto chart = static_cast<ResultsPanel::Chart>(c);
        if (name == QLatin1String(ResultsPanel::chartName(chart))) {
            results_->showChart(chart);
            return results_->chart(chart);
        }
    }
    return nullptr;
}

}  // namespace cdx
