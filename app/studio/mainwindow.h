#pragma once

#include <QMainWindow>
#include <QStringList>

class QAction;
class QDockWidget;
class QMenu;

namespace cdx {

enum class ExportFormat;  // estimators/export/designexport.h
class AccuracyMeasurement;
class AccuracyPanel;
class Document;
class ExplorePanel;
class HardwarePanel;
class LayerTableView;
class LogPanel;
class ResultsPanel;
class ValidationPanel;

/// Assembles the docks, menus and actions around the Document; the logic lives in the
/// document, its commands and the panels.
class MainWindow : public QMainWindow {
    Q_OBJECT

public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    Document* document() const { return document_; }
    LayerTableView* layerTable() const { return layerTable_; }
    HardwarePanel* hardwarePanel() const { return hardware_; }
    ResultsPanel* resultsPanel() const { return results_; }
    ExplorePanel* explorePanel() const { return explore_; }
    LogPanel* logPanel() const { return log_; }
    ValidationPanel* validationPanel() const { return validation_; }
    /// Explore > Validate: checks the current design point on the RTL PE in the background
    /// (`selectedLayerOnly`: only the layer selected in the table).
    void validateDesign(bool selectedLayerOnly);
    AccuracyMeasurement* accuracyMeasurement() const { return accuracy_; }
    AccuracyPanel* accuracyPanel() const { return accuracyPanel_; }
    /// Accuracy > Measure: runs the compressed network on the project's data in the background
    /// and shows the progress, then the report, in the accuracy dock. False when the project
    /// cannot be measured (the action is disabled then) or a measurement runs.
    bool measureAccuracy();
    QAction* measureAccuracyAction() const { return measureAccuracy_; }

    /// Opens a project, network file or zoo name; on failure returns the message and keeps the
    /// current project (shows nothing).
    QString openFile(const QString& path);
    /// Opens with the interface around it: asks to save unsaved changes, offers to recover an
    /// autosave newer than the file, and shows an error dialog on failure. True when opened.
    bool openInteractively(const QString& path);
    /// At start-up: offers to recover an untitled project that was not saved; true when recovered.
    bool offerUntitledRecovery();
    /// Whether dialogs may be shown (false for --screenshot runs).
    void setInteractive(bool interactive) { interactive_ = interactive; }

    /// The widget of a panel by name: "network", "hardware", "results", "energy", "latency",
    /// "area", "roofline", "pareto", "log"; null for an unknown name.
    QWidget* panel(const QString& name);
    static QStringList panelNames();

    void setDarkTheme(bool dark);

    /// File > Export > Report: writes the HTML report of the current estimate, with the points
    /// the Pareto explorer holds, to `path`; an error message, or empty.
    QString exportReportTo(const QString& path);
    /// File > Export > (a format of cdx export): writes the open project's design to `path` (a
    /// file or a folder, as the format writes), with exactly the bytes `cdx export` writes for the
    /// same project; an error message, or empty. `notes` gets what the format cannot say.
    QString exportDesignTo(ExportFormat format, const QString& path, QStringList* notes = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createDocks();
    void createActions();
    void openWithDialog();
    void newFromZoo();
    bool saveDocument();
    bool saveDocumentAs();
    /// Asks whether to save unsaved changes; false when the user cancels.
    bool maybeSave();
    void exportCurrentChart();
    void exportParetoChart();
    /// File > Export > Results as JSON: the latest estimate as cdx estimate --json writes it.
    void exportResultsJson();
    void exportReport();
    void exportDesignWithDialog(ExportFormat format);
    void addRecentFile(const QString& path);
    void updateRecentMenu();
    void updateTitle();
    void showError(const QString& title, const QString& message);
    void refreshAccuracyActions();
    void accuracyFinished(bool ok, bool cancelled, const QString& message);

    Document* document_;
    LayerTableView* layerTable_;
    HardwarePanel* hardware_;
    ResultsPanel* results_;
    ExplorePanel* explore_;
    LogPanel* log_;
    ValidationPanel* validation_;
    QDockWidget* validationDock_ = nullptr;
    AccuracyMeasurement* accuracy_;
    AccuracyPanel* accuracyPanel_;
    QDockWidget* accuracyDock_ = nullptr;
    QAction* measureAccuracy_ = nullptr;
    QAction* cancelAccuracy_ = nullptr;
    QString selectedLayer_;
    QDockWidget* paretoDock_ = nullptr;
    QDockWidget* logDock_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QMenu* viewMenu_ = nullptr;
    bool interactive_ = true;
    bool dark_ = false;
};

}  // namespace cdx
