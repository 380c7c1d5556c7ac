#include "core/explore/explorer.h"

#include "core/explore/keyindex.h"

#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <functional>
#include <limits>
#include <unordered_map>

namespace cdx {

namespace {

std::string formatNumber(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

/// The feasible non-dominated points so far, kept as points arrive (a new point is compared
/// with the front only). Equal objective vectors are all kept, as paretoFront() keeps them.
class FrontArchive {
public:
    void add(const std::vector<Evaluation>& points, std::size_t index)
    {
        const ObjectiveVector& p = points[index].objectives;
        for (std::size_t i : members_)
            if (dominates(points[i].objectives, p))
                return;
        std::erase_if(members_, [&](std::size_t i) { return dominates(p, points[i].objectives); });
        members_.push_back(index);
    }
    const std::vector<std::size_t>& members() const { return members_; }

private:
    std::vector<std::size_t> members_;
};

}  // namespace

Evaluation judge(const DesignSpace& space, const Genome& genome, const PointEstimate& estimate)
{
    return judge(space, genome, DesignSpace::key(genome), estimate);
}

Evaluation judge(const DesignSpace& space, Genome genome, std::string key, const PointEstimate& estimate)
{
    Evaluation e;
    e.genome = std::move(genome);
    e.key = std::move(key);
    e.estimated = estimate.ok;
    if (!estimate.ok) {
        e.reason = estimate.reason.empty() ? "no estimate" : estimate.reason;
        e.violation = std::numeric_limits<double>::infinity();
        e.objectives.assign(space.objectives().size(), std::numeric_limits<double>::infinity());
        return e;
    }
    e.metrics = estimate.metrics;
    for (const Objective& o : space.objectives()) {
        const double v = e.metrics[static_cast<std::size_t>(o.metric)];
        e.objectives.push_back(o.maximise ? -v : v);
    }
    for (const Constraint& c : space.constraints()) {
        const double v = e.metrics[static_cast<std::size_t>(c.metric)];
        auto broken = [&](double bound, const char* side) {
            e.violation += std::abs(v - bound) / std::max(std::abs(bound), 1e-300);
            e.reason += (e.reason.empty() ? "" : "; ") + std::string(metricName(c.metric)) + " = " + formatNumber(v) + " " + side + " " +
                        formatNumber(bound);
        };
        if (c.max && v > *c.max)
            broken(*c.max, "above its maximum");
        if (c.min && v < *c.min)
            broken(*c.min, "below its minimum");
    }
    e.feasible = e.reason.empty();
    return e;
}

const char* stopReasonName(StopReason reason)
{
    switch (reason) {
    case StopReason::None: return "";
    case StopReason::Cancelled: return "cancelled";
    case StopReason::TimeBudget: return "time budget";
    case StopReason::PointBudget: return "point budget";
    }
    return "";
}

std::vector<std::size_t> feasibleFront(const std::vector<Evaluation>& points)
{
    std::vector<std::size_t> feasible;
    std::vector<ObjectiveVector> objectives;
    for (std::size_t i = 0; i < points.size(); ++i)
        if (points[i].feasible) {
            feasible.push_back(i);
            objectives.push_back(points[i].objectives);
        }
    std::vector<std::size_t> front;
    for (std::size_t i : paretoFront(objectives))
        front.push_back(feasible[i]);
    std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) { return points[a].genome < points[b].genome; });
    return front;
}

ExploreOutcome explore(const DesignSpace& space, SearchStrategy& search, PointEvaluator& evaluator, ExploreOptions options)
{
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
    const int threads = options.threads > 0 ? options.threads : tbb::this_task_arena::max_concurrency();
    tbb::task_arena arena(threads);

    ExploreOutcome out;
    KeyIndex known;
    FrontArchive front;
    // The points a search plans (a grid or a random run; an adaptive one says 0), to allocate
    // once; more than a few million are let grow.
    const std::size_t expected = options.recovered.size() + static_cast<std::size_t>(std::min<std::uint64_t>(search.plannedPoints(), 1u << 22));
    out.points.reserve(expected);
    known.reserve(expected);
    const std::hash<std::string> hashKey;
    const auto recoveredKey = [&out](std::size_t i) -> const std::string& { return out.points[i].key; };
    for (Evaluation& e : options.recovered) {
        if (!known.tryEmplace(e.key, hashKey(e.key), out.points.size(), recoveredKey).second)
            continue;
        out.points.push_back(std::move(e));
        if (out.points.back().feasible) {
            ++out.progress.feasible;
            front.add(out.points, out.points.size() - 1);
        }
    }
    options.recovered.clear();
    out.progress.recovered = out.points.size();
    out.progress.planned = search.plannedPoints();

    double lastReport = -1;
    auto report = [&](bool finished) {
        out.progress.elapsedS = elapsed();
        out.progress.pointsPerS = out.progress.elapsedS > 0 ? static_cast<double>(out.progress.evaluated) / out.progress.elapsedS : 0;
        out.progress.finished = finished;
        if (!options.onProgress)
            return;
        std::vector<const Evaluation*> current;
        for (std::size_t i : front.members())
            current.push_back(&out.points[i]);
        options.onProgress(out.progress, current);
        lastReport = out.progress.elapsedS;
    };

    while (true) {
        if (options.cancel && options.cancel->load()) {
            out.stoppedBy = StopReason::Cancelled;
            break;
        }
        if (options.budgetSeconds > 0 && elapsed() >= options.budgetSeconds) {
            out.stoppedBy = StopReason::TimeBudget;
            break;
        }
        if (options.maxPoints > 0 && out.progress.evaluated >= options.maxPoints) {
            out.stoppedBy = StopReason::PointBudget;
            break;
        }
        std::vector<Genome> asked;
        arena.execute([&] { asked = search.ask(); });  // a strategy may make its batch in parallel
        if (asked.empty()) {
            out.complete = true;
            break;
        }
        // The new points of the batch, each once; the others are answered from what is known.
        std::vector<std::size_t> slot(asked.size());
        std::vector<std::size_t> fresh;
        std::vector<std::string> keys(asked.size());
        std::vector<std::size_t> hashes(asked.size());
        arena.execute([&] {
            tbb::parallel_for(std::size_t{0}, asked.size(), [&](std::size_t i) {
                keys[i] = DesignSpace::key(asked[i]);
                hashes[i] = hashKey(keys[i]);
            });
        });
        // A point's key: evaluated before this batch, or new in it.
        const auto keyOf = [&](std::size_t index) -> const std::string& {
            return index < out.points.size() ? out.points[index].key : keys[fresh[index - out.points.size()]];
        };
        const bool capped = options.maxPoints > 0;
        for (std::size_t i = 0; i < asked.size(); ++i) {
            if (capped && out.progress.evaluated + fresh.size() >= options.maxPoints) {
                slot[i] = known.find(keys[i], hashes[i], keyOf).value_or(std::numeric_limits<std::size_t>::max());
                continue;
            }
            const auto [index, added] = known.tryEmplace(keys[i], hashes[i], out.points.size() + fresh.size(), keyOf);
            slot[i] = index;
            if (added)
                fresh.push_back(i);
        }
        std::vector<Evaluation> results(fresh.size());
        arena.execute([&] {
            // The genomes and keys of the new points move into their evaluations (the batch's
            // vectors are not read again): fewer allocations, which glibc serialises.
            tbb::parallel_for(std::size_t{0}, fresh.size(), [&](std::size_t j) {
                const std::size_t i = fresh[j];
                const PointEstimate estimate = evaluator.evaluate(asked[i]);
                results[j] = judge(space, std::move(asked[i]), std::move(keys[i]), estimate);
            });
        });
        std::vector<const Evaluation*> written;
        for (Evaluation& e : results)
            out.points.push_back(std::move(e));
        const std::size_t firstNew = out.points.size() - results.size();
        for (std::size_t i = firstNew; i < out.points.size(); ++i) {
            written.push_back(&out.points[i]);
            if (out.points[i].feasible) {
                ++out.progress.feasible;
                front.add(out.points, i);
            }
        }
        out.progress.evaluated += results.size();
        if (options.onEvaluated && !written.empty())
            options.onEvaluated(written);
        const bool truncated = std::any_of(slot.begin(), slot.end(), [](std::size_t s) { return s == std::numeric_limits<std::size_t>::max(); });
        if (truncated) {
            out.stoppedBy = StopReason::PointBudget;
            break;
        }
        std::vector<const Evaluation*> told(asked.size());
        for (std::size_t i = 0; i < asked.size(); ++i)
            told[i] = &out.points[slot[i]];
        search.tell(told);
        if (elapsed() - lastReport >= options.progressIntervalS)
            report(false);
    }
    // The archive holds exactly the feasible non-dominated points (paretoFront's set).
    out.front = front.members();
    std::sort(out.front.begin(), out.front.end(), [&](std::size_t a, std::size_t b) { return out.points[a].genome < out.points[b].genome; });
    report(true);
    return out;
}

}  // namespace cdx
