#pragma once

#include <QString>
#include <QWidget>

#include <optional>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QTabWidget;

namespace cdx {

class AccuracyMeasurement;
class LayerAccuracyModel;
class SensitivityChart;

/// The measured accuracy of the document's project: Measure and Cancel, the progress of a
/// running measurement, the last report's summary and, per quantised layer, its output SQNR
/// against the float network (where the loss comes from); on a second tab, the project's
/// sensitivity table (compression.sensitivity) as a heat map.
class AccuracyPanel : public QWidget {
    Q_OBJECT

public:
    explicit AccuracyPanel(AccuracyMeasurement* measurement, QWidget* parent = nullptr);

    QTableView* table() const { return table_; }
    LayerAccuracyModel* model() const { return model_; }
    QString statusText() const;
    SensitivityChart* sensitivityChart() const { return sensitivity_; }

protected:
    void changeEvent(QEvent* event) override;

private:
    void refreshButtons();
    void showReport();
    void showFinished(bool ok, bool cancelled, const QString& message);
    /// Reads the project's sensitivity table again when its path or the file changed.
    void showSensitivity();

    AccuracyMeasurement* measurement_;
    LayerAccuracyModel* model_;
    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* measure_;
    QPushButton* cancel_;
    QTableView* table_;
    SensitivityChart* sensitivity_;
    QTabWidget* tabs_;
    std::optional<QString> sensitivityKey_;  ///< the path, time and size of the table shown
};

}  // namespace cdx
