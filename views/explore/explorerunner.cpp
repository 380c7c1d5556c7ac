// ExploreRunner: the explorer panel's search, off the GUI thread.
// oneTBB (in the evaluator) declares functions named emit: it comes before Qt defines the macro.
#include "estimators/explore/projectevaluator.h"

#include "views/explore/explorerunner.h"

#include "core/explore/searchstrategy.h"

#include <exception>
#include <string>
#include <unordered_map>

namespace cdx {

ExploreRunner::ExploreRunner(QObject* parent) : QObject(parent) {}

void ExploreRunner::start(const Project& project, std::shared_ptr<const Network> network, std::shared_ptr<const DesignSpace> space,
                          int intervalMs, std::function<void(const Batch&)> onBatch, std::function<void(Outcome&)> onFinished)
{
    job_.start([project, network = std::move(network), space = std::move(space), intervalMs, onBatch = std::move(onBatch),
                onFinished = std::move(onFinished)](BackgroundJob::Run& run) {
        auto finish = std::make_shared<Outcome>();
        try {
            ProjectEvaluator evaluator(project, *network, *space);
            std::unique_ptr<SearchStrategy> search = makeSearchStrategy(*space, Shard{1, 1});
            finish->strategy = QString::fromStdString(search->describe());
            finish->evaluation = QString::fromStdString(evaluator.describe());  // as cdx explore says it
            std::unordered_map<std::string, int> ids;  // a point's id: the order it was estimated in
            std::vector<Evaluation> pending;
            ExploreOptions options;
            options.threads = 0;
            options.budgetSeconds = space->budgetSeconds();
            options.maxPoints = space->budgetPoints();
            options.cancel = run.cancelFlag();
            options.progressIntervalS = intervalMs / 1000.0;
            options.onEvaluated = [&](const std::vector<const Evaluation*>& batch) {
                for (const Evaluation* e : batch) {
                    ids.emplace(e->key, static_cast<int>(ids.size()));
                    pending.push_back(*e);
                }
            };
            options.onProgress = [&](const ExploreProgress& progress, const std::vector<const Evaluation*>& front) {
                if (progress.finished)
                    return;  // the outcome follows
                auto batch = std::make_shared<Batch>();
                batch->points = std::move(pending);
                pending.clear();
                batch->progress = progress;
                batch->front.reserve(front.size());
                for (const Evaluation* e : front)
                    if (const auto it = ids.find(e->key); it != ids.end())
                        batch->front.push_back(it->second);
                run.post([onBatch, batch] { onBatch(*batch); });
            };
            finish->outcome = explore(*space, *search, evaluator, std::move(options));
        } catch (const std::exception& e) {
            finish->failed = true;
            finish->error = QString::fromUtf8(e.what());
        } catch (...) {
            finish->failed = true;
            finish->error = tr("unknown error");
        }
        run.post([onFinished, finish] { onFinished(*finish); });
    });
}

}  // namespace cdx
