// EstimateScheduler: a Document's background estimate, debounced after each edit, fast edits
// coalesced into one estimate and stale results dropped.
#pragma once

#include "core/network/network.h"
#include "core/project/project.h"
#include "estimators/results/networkresult.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QThreadPool>

#include <functional>
#include <map>
#include <memory>
#include <string>

class QTimer;

namespace cdx {

class Estimator;

/// Estimates a project in the background, never blocking the interface: each change restarts
/// a debounce timer; the estimate it starts reads the latest inputs; a change made while an
/// estimate runs drops that estimate's result and starts another when it finishes.
class EstimateScheduler : public QObject {
    Q_OBJECT

public:
    /// What an estimate runs on, read when it starts (so that it reflects every edit before).
    struct Inputs {
        Project project;
        std::shared_ptr<const Network> network;  ///< null: nothing to estimate
        std::map<std::string, int> accumulatorProfile;
    };

    explicit EstimateScheduler(std::function<Inputs()> inputs, QObject* parent = nullptr);
    ~EstimateScheduler() override;

    /// The inputs changed: estimate them (again) after the debounce delay.
    void schedule();
    /// Forgets the latest result and error (a new project); the caller says so with its own signal.
    void clear();
    /// Waits for the running estimate and ignores its outcome and every later one (the owner is
    /// going away). The destructor calls it too.
    void shutdown();

    /// The latest estimate of the current inputs; null while none succeeded for them.
    std::shared_ptr<const NetworkResult> result() const { return result_; }
    /// Why the current inputs have no estimate (empty when they have one or one is running).
    QString error() const { return error_; }
    bool estimating() const { return running_ || pending_; }
    /// Milliseconds from the last edit to the result that reflects it.
    double lastEstimateMs() const { return lastEstimateMs_; }
    /// Delay between an edit and the estimate it starts (coalescing fast edits).
    void setDebounceMs(int ms);
    /// Blocks, processing events, until no estimate is pending.
    bool waitForEstimate(int timeoutMs);

signals:
    void started();
    /// An estimate of the current inputs failed: `error` says why (emitted before resultChanged).
    void failed(const QString& error);
    /// A new estimate (or a failure: result() null and error() says why).
    void resultChanged();

private:
    void start();
    /// Takes the outcome of the estimate started at `generation`, or drops it when stale.
    void finish(quint64 generation, Result<NetworkResult>& outcome);

    std::function<Inputs()> inputs_;
    std::shared_ptr<Estimator> estimator_;
    std::shared_ptr<const NetworkResult> result_;
    QString error_;
    QTimer* debounce_;
    QThreadPool pool_;  ///< runs this document's estimates, so that the destructor can wait for them whole
    QElapsedTimer clock_;
    bool running_ = false;
    bool closing_ = false;  ///< set by shutdown(): a continuation run inside it does nothing
    bool pending_ = false;
    quint64 generation_ = 0;      ///< bumped by every change of the project
    qint64 editStartedNs_ = 0;    ///< when the first edit not yet estimated was made
    double lastEstimateMs_ = 0;
};

}  // namespace cdx
