#include "core/explore/searchstrategy.h"

#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <limits>
#include <map>
#include <numeric>
#include <random>

namespace cdx {

namespace {

constexpr std::size_t kBatch = 1024;  ///< points per ask of the grid and random sampling

/// SplitMix64: a point's random values depend only on (seed, sample, axis), so every shard
/// draws the same sequence.
std::uint64_t mix(std::uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

/// The next batch of points of an index sequence (next, next + stride, ... below total): point
/// i is make(i) alone, so the batch is made in parallel (in the caller's task arena).
template <class Make>
std::vector<Genome> indexedBatch(std::uint64_t& next, std::uint64_t total, std::uint64_t stride, const Make& make)
{
    const std::uint64_t count = next < total ? std::min<std::uint64_t>(kBatch, (total - next + stride - 1) / stride) : 0;
    std::vector<Genome> batch(static_cast<std::size_t>(count));
    const std::uint64_t first = next;
    tbb::parallel_for(std::size_t{0}, batch.size(), [&](std::size_t k) { batch[k] = make(first + k * stride); });
    next += count * stride;
    return batch;
}

/// Every point of the space in grid order; shard k takes the indices i with i mod N = k - 1.
class GridSearch final : public SearchStrategy {
public:
    GridSearch(const DesignSpace& space, Shard shard) : space_(space), shard_(shard), total_(*space.countablePoints())
    {
        next_ = static_cast<std::uint64_t>(shard.index - 1);
    }
    std::vector<Genome> ask() override
    {
        return indexedBatch(next_, total_, static_cast<std::uint64_t>(shard_.count), [this](std::uint64_t i) { return space_.genomeAt(i); });
    }
    void tell(const std::vector<const Evaluation*>&) override {}
    std::uint64_t plannedPoints() const override
    {
        const auto n = static_cast<std::uint64_t>(shard_.count), k = static_cast<std::uint64_t>(shard_.index - 1);
        return total_ > k ? (total_ - k + n - 1) / n : 0;
    }
    std::string describe() const override { return "grid of " + std::to_string(total_) + " points"; }

private:
    const DesignSpace& space_;
    Shard shard_;
    std::uint64_t total_;
    std::uint64_t next_ = 0;
};

/// `points` samples, uniform over each axis's values; sample j goes to shard j mod N.
class RandomSearch final : public SearchStrategy {
public:
    RandomSearch(const DesignSpace& space, Shard shard) : space_(space), shard_(shard)
    {
        next_ = static_cast<std::uint64_t>(shard.index - 1);
    }
    std::vector<Genome> ask() override
    {
        return indexedBatch(next_, space_.search().points, static_cast<std::uint64_t>(shard_.count), [this](std::uint64_t j) { return sample(j); });
    }
    void tell(const std::vector<const Evaluation*>&) override {}
    std::uint64_t plannedPoints() const override
    {
        const std::uint64_t total = space_.search().points;
        const auto n = static_cast<std::uint64_t>(shard_.count), k = static_cast<std::uint64_t>(shard_.index - 1);
        return total > k ? (total - k + n - 1) / n : 0;
    }
    std::string describe() const override
    {
        return std::to_string(space_.search().points) + " random samples (seed " + std::to_string(space_.search().seed) + ")";
    }

private:
    Genome sample(std::uint64_t j) const
    {
        Genome g(space_.axes().size());
        const std::uint64_t base = mix(space_.search().seed ^ mix(j));
        for (std::size_t a = 0; a < g.size(); ++a)
            g[a] = static_cast<int>(mix(base + a) % space_.axes()[a].values.size());
        return g;
    }
    const DesignSpace& space_;
    Shard shard_;
    std::uint64_t next_ = 0;
};

/// NSGA-II (Deb et al. 2002) over value indices: binary tournaments on constrained rank and
/// crowding, uniform crossover, mutation to a neighbouring or a random value, and (mu + lambda)
/// survival by fronts and crowding distance.
class Nsga2Search final : public SearchStrategy {
public:
    Nsga2Search(const DesignSpace& space, Shard shard)
        : space_(space), spec_(space.search()), rng_(spec_.seed + 7919ull * static_cast<std::uint64_t>(shard.index - 1)), island_(shard.index)
    {
        mutation_ = spec_.mutation > 0 ? spec_.mutation : 1.0 / static_cast<double>(space.axes().size());
    }
    std::vector<Genome> ask() override
    {
        if (generation_ > spec_.generations)
            return {};
        const auto n = static_cast<std::size_t>(spec_.population);
        std::vector<Genome> children;
        if (generation_ == 0) {
            for (std::size_t i = 0; i < n; ++i) {
                Genome g(space_.axes().size());
                for (std::size_t a = 0; a < g.size(); ++a)
                    g[a] = uniform(space_.axes()[a].values.size());
                children.push_back(std::move(g));
            }
        } else {
            while (children.size() < n) {
                const Genome& p1 = tournament().genome;
                const Genome& p2 = tournament().genome;
                Genome c1 = p1, c2 = p2;
                if (chance(spec_.crossover))
                    for (std::size_t a = 0; a < c1.size(); ++a)
                        if (chance(0.5))
                            std::swap(c1[a], c2[a]);
                mutate(c1);
                mutate(c2);
                children.push_back(std::move(c1));
                if (children.size() < n)
                    children.push_back(std::move(c2));
            }
        }
        return children;
    }
    void tell(const std::vector<const Evaluation*>& evaluations) override
    {
        std::vector<Evaluation> pool = population_;
        for (const Evaluation* e : evaluations)
            pool.push_back(*e);
        // Duplicates survive once: the same genome twice only narrows the population.
        std::map<std::string, std::size_t> seen;
        std::vector<Evaluation> unique;
        for (auto& e : pool)
            if (seen.emplace(e.key, unique.size()).second)
                unique.push_back(std::move(e));
        std::vector<const Evaluation*> view;
        for (const auto& e : unique)
            view.push_back(&e);
        const auto fronts = constrainedFronts(view);
        const auto n = static_cast<std::size_t>(spec_.population);
        std::vector<Evaluation> next;
        rank_.clear();
        crowding_.clear();
        for (std::size_t f = 0; f < fronts.size() && next.size() < n; ++f) {
            std::vector<ObjectiveVector> objectives;
            for (std::size_t i : fronts[f])
                objectives.push_back(unique[i].objectives);
            std::vector<std::size_t> local(fronts[f].size());
            std::iota(local.begin(), local.end(), 0);
            const bool feasibleFront = unique[fronts[f].front()].feasible;
            std::vector<double> distance =
                feasibleFront ? crowdingDistance(objectives, local) : std::vector<double>(local.size(), 0.0);
            std::vector<std::size_t> order(local.size());
            std::iota(order.begin(), order.end(), 0);
            if (next.size() + order.size() > n)
                std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return distance[a] > distance[b]; });
            for (std::size_t o : order) {
                if (next.size() >= n)
                    break;
                next.push_back(unique[fronts[f][o]]);
                rank_.push_back(static_cast<int>(f));
                crowding_.push_back(distance[o]);
            }
        }
        population_ = std::move(next);
        ++generation_;
    }
    std::uint64_t plannedPoints() const override
    {
        return static_cast<std::uint64_t>(spec_.population) * static_cast<std::uint64_t>(spec_.generations + 1);
    }
    std::string describe() const override
    {
        return "NSGA-II island " + std::to_string(island_) + ": population " + std::to_string(spec_.population) + ", " +
               std::to_string(spec_.generations) + " generations (seed " + std::to_string(spec_.seed) + ")";
    }

private:
    int uniform(std::size_t n) { return static_cast<int>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_)); }
    bool chance(double p) { return std::uniform_real_distribution<double>(0, 1)(rng_) < p; }
    const Evaluation& tournament()
    {
        const std::size_t a = static_cast<std::size_t>(uniform(population_.size()));
        const std::size_t b = static_cast<std::size_t>(uniform(population_.size()));
        if (rank_[a] != rank_[b])
            return population_[rank_[a] < rank_[b] ? a : b];
        return population_[crowding_[a] >= crowding_[b] ? a : b];
    }
    void mutate(Genome& g)
    {
        for (std::size_t a = 0; a < g.size(); ++a) {
            const std::size_t n = space_.axes()[a].values.size();
            if (n < 2 || !chance(mutation_))
                continue;
            if (chance(0.5)) {
                const int step = chance(0.5) ? 1 : -1;
                g[a] = std::clamp(g[a] + step, 0, static_cast<int>(n) - 1);
            } else {
                g[a] = uniform(n);
            }
        }
    }

    const DesignSpace& space_;
    SearchSpec spec_;
    std::mt19937_64 rng_;
    int island_;
    double mutation_ = 0;
    int generation_ = 0;
    std::vector<Evaluation> population_;
    std::vector<int> rank_;
    std::vector<double> crowding_;
};

}  // namespace

std::vector<std::vector<std::size_t>> constrainedFronts(const std::vector<const Evaluation*>& evaluations)
{
    std::vector<std::size_t> feasible, infeasible;
    for (std::size_t i = 0; i < evaluations.size(); ++i)
        (evaluations[i]->feasible ? feasible : infeasible).push_back(i);
    std::vector<ObjectiveVector> objectives;
    for (std::size_t i : feasible)
        objectives.push_back(evaluations[i]->objectives);
    std::vector<std::vector<std::size_t>> fronts;
    for (const auto& front : nonDominatedSort(objectives)) {
        std::vector<std::size_t> mapped;
        for (std::size_t i : front)
            mapped.push_back(feasible[i]);
        fronts.push_back(std::move(mapped));
    }
    // Infeasible points: by violation, equal violations sharing a front.
    std::stable_sort(infeasible.begin(), infeasible.end(),
                     [&](std::size_t a, std::size_t b) { return evaluations[a]->violation < evaluations[b]->violation; });
    for (std::size_t i = 0; i < infeasible.size();) {
        std::vector<std::size_t> same;
        const double v = evaluations[infeasible[i]]->violation;
        for (; i < infeasible.size() && evaluations[infeasible[i]]->violation == v; ++i)
            same.push_back(infeasible[i]);
        fronts.push_back(std::move(same));
    }
    return fronts;
}

std::unique_ptr<SearchStrategy> makeSearchStrategy(const DesignSpace& space, Shard shard)
{
    switch (space.search().strategy) {
    case SearchSpec::Strategy::Grid:
        return std::make_unique<GridSearch>(space, shard);
    case SearchSpec::Strategy::Random:
        return std::make_unique<RandomSearch>(space, shard);
    case SearchSpec::Strategy::Nsga2:
        break;
    }
    return std::make_unique<Nsga2Search>(space, shard);
}

}  // namespace cdx
