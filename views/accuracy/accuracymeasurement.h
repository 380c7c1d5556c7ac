#pragma once

#include "core/accuracy/accuracyrunner.h"
#include "views/util/backgroundjob.h"

#include <QObject>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <string>

namespace cdx {

class Document;

/// Measure accuracy for the GUI: runs core's measureProjectAccuracy on a snapshot of the
/// document's project in the background, with progress and cancel, and keeps the last report
/// keyed by what it was measured for: the model, the compression block and the accuracy block.
/// The report applies only while the document's are those (an edit makes the estimate's accuracy
/// the current one again; undoing the edit brings the measurement back). A measurement is not an edit: no undo command.
class AccuracyMeasurement : public QObject {
    Q_OBJECT

public:
    explicit AccuracyMeasurement(Document* document, QObject* parent = nullptr);
    /// Cancels a running measurement and waits for it.
    ~AccuracyMeasurement() override;

    /// Why the document's project cannot be measured (no accuracy block, not an ONNX network,
    /// nothing open); empty when it can.
    QString unavailableReason() const;
    /// Starts measuring the document's project; false (and nothing starts) when it cannot be
    /// measured or a measurement is already running.
    bool start();
    /// Asks the running measurement to stop; finished() follows with `cancelled` set.
    void cancel();
    bool isRunning() const { return running_; }
    /// The document whose project is measured.
    Document* document() const { return document_; }
    /// The share of the running measurement done, 0..1.
    double progress() const { return progress_; }
    /// Blocks, processing events, until no measurement runs (tests and --screenshot).
    bool waitForFinished(int timeoutMs = 600000);

    /// The last successful measurement, whatever the project is now; null before the first.
    std::shared_ptr<const AccuracyReport> lastReport() const { return report_; }
    /// The last measurement when it was made for the document's current compression and
    /// accuracy blocks, else null.
    std::shared_ptr<const AccuracyReport> currentReport() const;

    /// The tile's one-line description of a report: "measured: 0.06 pp (top-1 98.93 → 98.86 %,
    /// 9,500 samples)"; for the SQNR metric, the output SQNR instead of a drop.
    static QString describe(const AccuracyReport& report);

signals:
    void started();
    /// The share done, 0..1 (throttled to whole tenths of a percent).
    void progressChanged(double share);
    /// The run ended: `ok` with a new report, else `cancelled` by the user or failed with `message`.
    void finished(bool ok, bool cancelled, const QString& message);
    /// lastReport() or currentReport() changed (a new report, or an edit that makes it apply or not).
    void reportChanged();
    /// unavailableReason() or isRunning() may have changed.
    void availabilityChanged();

private:
    /// The blocks a report depends on, as one string.
    static std::string keyOf(const Document& document);
    void onProjectChanged();
    /// The document estimates with the accumulator widths of the report while it applies.
    void syncAccumulators();
    void finish(const std::shared_ptr<Result<AccuracyReport>>& outcome, const std::string& key, bool cancelled);

    Document* document_;
    std::shared_ptr<const AccuracyReport> report_;
    std::string reportKey_;
    bool reportApplies_ = false;
    bool running_ = false;
    double progress_ = 0;
    QThreadPool pool_;             ///< one thread, which only ever runs measurements
    BackgroundJob job_{this, &pool_};  ///< after the pool: destroyed (cancelled and waited for) first
};

}  // namespace cdx
