#pragma once

#include "core/network/network.h"
#include "core/project/project.h"
#include "rtlsim/validator.h"
#include "views/util/backgroundjob.h"

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableWidget;

namespace cdx {

/// "Validate selected design point": runs rtlsim's validation of the current design (every
/// MAC layer, or one) in the background, with progress and cancel, and shows the report: RTL
/// cycles beside the PE-level prediction and the estimator's, output mismatches, activity.
class ValidationPanel : public QWidget {
    Q_OBJECT

public:
    explicit ValidationPanel(QWidget* parent = nullptr);
    ~ValidationPanel() override;

    /// Starts validating `project` on `network` (a snapshot; the document may change meanwhile);
    /// `layer` empty: every MAC layer. A run in progress is cancelled first.
    void validate(const Project& project, std::shared_ptr<const Network> network, const QString& layer = {});
    void cancel();
    bool isRunning() const;
    /// Blocks until the run ends and its report is shown (tests, --screenshot).
    void waitForFinished();

    /// The last report (empty layers before the first run).
    const ValidationReport& report() const { return report_; }
    QTableWidget* table() const { return table_; }

signals:
    /// One line for the log at the end of a run.
    void finished(bool passed, const QString& summary);

private:
    void showReport(const ValidationReport& report);
    void showError(const QString& message);

    QLabel* status_;
    QProgressBar* progress_;
    QPushButton* cancel_;
    QTableWidget* table_;
    ValidationReport report_;
    BackgroundJob job_{this};  ///< last: destroyed (cancelled and waited for) first
};

}  // namespace cdx
