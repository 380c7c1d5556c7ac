// EstimateScheduler: the debounce timer, the background estimate and its coalescing loop.
#include "views/document/estimatescheduler.h"

#include "estimators/estimate/estimator.h"

#include <QEventLoop>
#include <QTimer>
#include <QtConcurrent/QtConcurrentRun>

namespace cdx {

EstimateScheduler::EstimateScheduler(std::function<Inputs()> inputs, QObject* parent)
    : QObject(parent), inputs_(std::move(inputs)), estimator_(std::make_shared<Estimator>()), debounce_(new QTimer(this))
{
    clock_.start();
    debounce_->setSingleShot(true);
    debounce_->setInterval(10);
    connect(debounce_, &QTimer::timeout, this, &EstimateScheduler::start);
}

EstimateScheduler::~EstimateScheduler()
{
    shutdown();
}

void EstimateScheduler::shutdown()
{
    // The running estimate holds its own copies; wait so it does not outlive the application.
    // Waiting for the pool, not for the future: a future reports finished before its worker
    // dispatches the continuation, which asserts that this context is still alive (Qt 6.4).
    // A continuation already queued here is dropped with this object; one run during the
    // wait must neither touch the result nor signal receivers destroyed with their window.
    closing_ = true;
    blockSignals(true);
    pool_.waitForDone();
}

void EstimateScheduler::clear()
{
    result_.reset();
    error_.clear();
}

void EstimateScheduler::setDebounceMs(int ms)
{
    debounce_->setInterval(ms);
}

void EstimateScheduler::schedule()
{
    ++generation_;
    if (!pending_ && !running_)
        editStartedNs_ = clock_.nsecsElapsed();
    pending_ = true;
    debounce_->start();
}

void EstimateScheduler::start()
{
    if (running_)
        return;  // restarted when the running estimate finishes
    Inputs inputs = inputs_();
    if (!inputs.network)
        return;
    pending_ = false;
    running_ = true;
    const quint64 generation = generation_;
    emit started();
    using Outcome = std::shared_ptr<Result<NetworkResult>>;
    EstimateOptions options;
    options.accumulatorProfile = std::move(inputs.accumulatorProfile);
    QFuture<Outcome> run = QtConcurrent::run(
        &pool_, [project = std::move(inputs.project), network = std::move(inputs.network), estimator = estimator_, options]() -> Outcome {
            return std::make_shared<Result<NetworkResult>>(estimator->estimate(project, *network, options));
        });
    run.then(this, [this, generation](const Outcome& outcome) { finish(generation, *outcome); });
}

void EstimateScheduler::finish(quint64 generation, Result<NetworkResult>& outcome)
{
    running_ = false;
    if (closing_)
        return;
    if (generation != generation_) {
        if (!debounce_->isActive())
            start();  // the project changed meanwhile
        return;
    }
    lastEstimateMs_ = static_cast<double>(clock_.nsecsElapsed() - editStartedNs_) / 1e6;
    if (outcome.ok()) {
        result_ = std::make_shared<const NetworkResult>(std::move(outcome.value()));
        error_.clear();
    } else {
        result_.reset();
        error_ = QString::fromStdString(outcome.error().describe());
        emit failed(error_);
    }
    emit resultChanged();
}

bool EstimateScheduler::waitForEstimate(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (estimating()) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(5, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

}  // namespace cdx
