#pragma once

#include "core/explore/designspace.h"
#include "core/explore/explorer.h"
#include "core/network/network.h"
#include "core/project/project.h"
#include "views/util/backgroundjob.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>
#include <vector>

namespace cdx {

/// The studio's design-space search: runs a project's space on every core off the GUI thread
/// and hands the explorer panel, on its thread, each batch of new points with the front so far,
/// then the outcome. One search at a time; starting one drops what the previous still had queued.
class ExploreRunner : public QObject {
    Q_OBJECT

public:
    /// Points estimated since the last batch, the ids (order of estimation) of the front so far.
    struct Batch {
        std::vector<Evaluation> points;
        std::vector<int> front;
        ExploreProgress progress;
    };
    struct Outcome {
        ExploreOutcome outcome;
        bool failed = false;
        QString error;
        QString strategy;
        QString evaluation;  ///< how points were estimated (composed or in full)
    };

    explicit ExploreRunner(QObject* parent = nullptr);

    /// Searches `space` of `project` on `network`, a batch every `intervalMs` at most.
    void start(const Project& project, std::shared_ptr<const Network> network, std::shared_ptr<const DesignSpace> space, int intervalMs,
               std::function<void(const Batch&)> onBatch, std::function<void(Outcome&)> onFinished);
    /// Asks the search to stop after its current batch.
    void cancel() { job_.cancel(); }
    bool cancelled() const { return job_.cancelled(); }
    /// Whether the search's work is still running (its outcome may be queued after it returns).
    bool isRunning() const { return job_.isRunning(); }
    /// Drops whatever the last search still has queued.
    void abandon() { job_.abandon(); }

private:
    BackgroundJob job_{this};
};

}  // namespace cdx
