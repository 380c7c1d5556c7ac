#include "views/accuracy/accuracymeasurement.h"

#include "core/accuracy/projectaccuracy.h"
#include "views/document/document.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QLocale>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>

#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

namespace cdx {

namespace {

/// Lowers this thread's scheduling priority, and with it that of the threads it starts (on
/// Linux a new thread inherits its creator's nice value): a measurement takes every core, and
/// the window's edits and estimates must still come first. The pool's one thread only ever
/// runs measurements, so it stays low.
void runInBackground()
{
#ifdef __linux__
    const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
    if (::getpriority(PRIO_PROCESS, tid) < 10)
        ::setpriority(PRIO_PROCESS, tid, 10);
#endif
}

}  // namespace

AccuracyMeasurement::AccuracyMeasurement(Document* document, QObject* parent) : QObject(parent), document_(document)
{
    pool_.setMaxThreadCount(1);
    connect(document_, &Document::projectChanged, this, &AccuracyMeasurement::onProjectChanged);
    connect(document_, &Document::networkChanged, this, &AccuracyMeasurement::onProjectChanged);
}

// The run holds its own copies and reports through queued calls that die with this object;
// the job cancels it and waits.
AccuracyMeasurement::~AccuracyMeasurement() = default;

QString AccuracyMeasurement::unavailableReason() const
{
    if (!document_->network())
        return tr("Open a project first.");
    const Project& project = document_->project();
    if (project.accuracy.empty())
        return tr("The project has no \"accuracy\" block naming the data to measure on.");
    if (!projectModelPath(project))
        return tr("Measuring accuracy needs a trained network: an ONNX model with its weights, not a zoo or JSON network.");
    return {};
}

std::string AccuracyMeasurement::keyOf(const Document& document)
{
    const Project& project = document.project();
    // The model by its resolved path, so that Save As to another folder keeps the measurement.
    auto model = projectModelPath(project);
    const std::string modelPath = model ? std::filesystem::path(model.value()).lexically_normal().string() : project.network.value;
    return modelPath + '\n' + project.compression.dump() + '\n' + project.accuracy.dump();
}

std::shared_ptr<const AccuracyReport> AccuracyMeasurement::currentReport() const
{
    return reportApplies_ ? report_ : nullptr;
}

bool AccuracyMeasurement::start()
{
    if (running_ || !unavailableReason().isEmpty())
        return false;
    running_ = true;
    progress_ = 0;
    emit started();
    emit availabilityChanged();
    emit progressChanged(0);
    auto project = std::make_shared<const Project>(document_->project());
    job_.start([this, project, key = keyOf(*document_)](BackgroundJob::Run& run) {
        runInBackground();
        AccuracyOptions options;
        // One core stays with the window: its edits and estimates must not wait for a share of
        // a core the measurement holds, even at a lower priority.
        options.threads = std::max(1, QThread::idealThreadCount() - 1);
        // The last share sent to the GUI thread, so that a chatty callback does not flood it.
        auto posted = std::make_shared<std::atomic<int>>(-1);
        options.progress = [this, &run, posted](double share) {
            const int permille = static_cast<int>(std::lround(std::clamp(share, 0.0, 1.0) * 1000));
            if (posted->exchange(permille) != permille)
                run.post([this, permille] {
                    if (!running_)
                        return;
                    progress_ = permille / 1000.0;
                    emit progressChanged(progress_);
                });
            return !run.cancelled();
        };
        auto outcome = std::make_shared<Result<AccuracyReport>>(measureProjectAccuracy(*project, options));
        // Core reports a cancelled run as an error; the flag tells it from a failure.
        run.post([this, outcome, key, cancelled = run.cancelled()] { finish(outcome, key, cancelled); });
    });
    return true;
}

void AccuracyMeasurement::cancel()
{
    job_.cancel();
}

void AccuracyMeasurement::finish(const std::shared_ptr<Result<AccuracyReport>>& outcome, const std::string& key, bool cancelled)
{
    running_ = false;
    if (outcome->ok()) {
        report_ = std::make_shared<const AccuracyReport>(std::move(outcome->value()));
        reportKey_ = key;
        reportApplies_ = reportKey_ == keyOf(*document_);
        syncAccumulators();
        emit availabilityChanged();
        emit reportChanged();
        emit finished(true, false, describe(*report_));
        return;
    }
    emit availabilityChanged();
    emit finished(false, cancelled, cancelled ? tr("The measurement was cancelled.") : QString::fromStdString(outcome->error().describe()));
}

bool AccuracyMeasurement::waitForFinished(int timeoutMs)
{
    QElapsedTimer timer;
    timer.start();
    while (running_) {
        if (timer.elapsed() > timeoutMs)
            return false;
        QEventLoop loop;
        QTimer::singleShot(10, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return true;
}

void AccuracyMeasurement::syncAccumulators()
{
    std::map<std::string, int> profile;
    if (reportApplies_ && report_)
        for (const auto& a : report_->accumulators)
            profile[a.layer] = a.bits;
    document_->setAccumulatorProfile(std::move(profile));
}

void AccuracyMeasurement::onProjectChanged()
{
    const bool applies = report_ && reportKey_ == keyOf(*document_);
    if (applies != reportApplies_) {
        reportApplies_ = applies;
        syncAccumulators();
        emit reportChanged();
    }
    emit availabilityChanged();
}

QString AccuracyMeasurement::describe(const AccuracyReport& r)
{
    const QString samples = tr("%1 samples").arg(QLocale().toString(static_cast<qlonglong>(r.samples)));
    if (r.metric == AccuracyMetric::Sqnr)
        return tr("measured: output SQNR %1 dB (%2)").arg(r.compressedMetric, 0, 'f', 1).arg(samples);
    const QString metric = r.metric == AccuracyMetric::Top1   ? tr("top-1")
                           : r.metric == AccuracyMetric::Top5 ? tr("top-5")
                                                              : tr("agreement");
    return tr("measured: %1 pp (%2 %3 → %4 %, %5)")
        .arg(r.dropPp, 0, 'f', 2)
        .arg(metric)
        .arg(r.floatMetric, 0, 'f', 2)
        .arg(r.compressedMetric, 0, 'f', 2)
        .arg(samples);
}

}  // namespace cdx
