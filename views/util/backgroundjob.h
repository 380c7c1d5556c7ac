#pragma once

#include <QFuture>
#include <QMetaObject>
#include <QObject>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <utility>

namespace cdx {

/// The studio's one way to run long work (an estimate, a search, an RTL validation, an accuracy
/// measurement) off the GUI thread: one run at a time per owner, a fresh cancel flag per run,
/// and results and progress delivered on the owner's thread only while their run is the
/// current one. Starting a run cancels the one before (its late posts are dropped); the
/// destructor cancels and waits, so a run never outlives the data its owner lent it.
class BackgroundJob {
public:
    /// What the work sees of its run.
    class Run {
    public:
        bool cancelled() const { return cancel_.load(); }
        /// The flag to hand to core's cancellable calls.
        const std::atomic<bool>* cancelFlag() const { return &cancel_; }
        std::atomic<bool>* cancelFlag() { return &cancel_; }
        /// Runs `onOwnerThread` on the owner's thread, unless by then another run has started
        /// or the owner is gone.
        void post(std::function<void()> onOwnerThread) const
        {
            QMetaObject::invokeMethod(
                owner_,
                [current = std::weak_ptr<const std::uint64_t>(current_), generation = generation_, f = std::move(onOwnerThread)] {
                    const auto now = current.lock();
                    if (now && *now == generation)
                        f();
                },
                Qt::QueuedConnection);
        }

    private:
        friend class BackgroundJob;
        Run(QObject* owner, std::shared_ptr<const std::uint64_t> current, std::uint64_t generation)
            : owner_(owner), current_(std::move(current)), generation_(generation)
        {
        }
        QObject* owner_;
        std::shared_ptr<const std::uint64_t> current_;
        std::uint64_t generation_;
        std::atomic<bool> cancel_{false};
    };

    /// `pool`: where the work runs (null: Qt's global pool).
    explicit BackgroundJob(QObject* owner, QThreadPool* pool = nullptr) : owner_(owner), pool_(pool) {}
    ~BackgroundJob()
    {
        cancel();
        future_.waitForFinished();
    }
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;

    /// Cancels the current run, waits for it to return (its posts are dropped), and starts
    /// `work(Run&)` on the pool. Call from the owner's thread.
    template <class Work>
    void start(Work work)
    {
        abandon();
        future_.waitForFinished();
        run_ = std::shared_ptr<Run>(new Run(owner_, current_, *current_));  // after abandon(): a generation of its own
        auto run = run_;
        auto task = [run, work = std::move(work)]() mutable { work(*run); };
        future_ = pool_ != nullptr ? QtConcurrent::run(pool_, std::move(task)) : QtConcurrent::run(std::move(task));
    }

    /// Asks the current run to stop; its posts still arrive (it is still current) until another starts.
    void cancel()
    {
        if (run_)
            run_->cancel_ = true;
    }
    /// Drops whatever the current run still posts, as if another had started.
    void abandon()
    {
        cancel();
        *current_ += 1;
    }
    bool isRunning() const { return future_.isRunning(); }
    bool cancelled() const { return run_ && run_->cancelled(); }
    /// Blocks until the work returns; what it posted is still queued on the owner's thread.
    void waitForFinished() { future_.waitForFinished(); }

private:
    QObject* owner_;
    QThreadPool* pool_;
    std::shared_ptr<std::uint64_t> current_ = std::make_shared<std::uint64_t>(0);
    std::shared_ptr<Run> run_;
    QFuture<void> future_;
};

}  // namespace cdx
