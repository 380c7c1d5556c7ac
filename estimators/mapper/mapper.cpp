#include "estimators/mapper/mapper.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <tuple>

namespace cdx {

MappingConstraints MappingConstraints::none(const Architecture& arch)
{
    MappingConstraints c;
    c.levels.resize(arch.storage.size());
    return c;
}

std::string_view mapperObjectiveName(MapperObjective objective)
{
    switch (objective) {
    case MapperObjective::Energy: return "energy";
    case MapperObjective::Latency: return "latency";
    case MapperObjective::EnergyDelay: return "edp";
    }
    return "energy";
}

std::optional<MapperObjective> mapperObjectiveFromName(std::string_view name)
{
    for (auto o : {MapperObjective::Energy, MapperObjective::Latency, MapperObjective::EnergyDelay})
        if (mapperObjectiveName(o) == name)
            return o;
    return std::nullopt;
}

namespace {

enum Kind : int { kTemporal = 0, kSpatialX = 1, kSpatialY = 2 };

int slotOf(int level, int kind) { return level * 3 + kind; }
int levelOf(int slot) { return slot / 3; }
int kindOf(int slot) { return slot % 3; }

/// One prime factor of a dimension's bound and where the mapping puts it.
struct Factor {
    int dim = 0;
    Dim prime = 1;
    bool pinned = false;
    int slot = -1;
};

/// A point of the search: where every factor sits, each level's loop order and what it keeps.
struct State {
    std::vector<int> slot;
    std::vector<std::array<int, kMaxDims>> order;
    std::vector<std::bitset<kMaxDataSpaces>> keep;
};

std::vector<Dim> primeFactors(Dim n)
{
    std::vector<Dim> out;
    for (Dim p = 2; p * p <= n; ++p)
        while (n % p == 0) {
            out.push_back(p);
            n /= p;
        }
    if (n > 1)
        out.push_back(n);
    return out;
}

class Search {
public:
    Search(const Problem& problem, const Architecture& arch, const MappingConstraints& constraints, const MapperOptions& options)
        : p_(problem), a_(arch), c_(constraints), o_(options), rng_(options.seed)
    {
    }

    Result<MapperResult> run();

private:
    std::optional<Error> prepare();
    bool construct(State& s);
    bool evaluate(const State& s, EngineStats& stats);
    double cost(const EngineStats& stats) const;
    bool better(const EngineStats& x, const EngineStats& y) const;
    void localSearch(State& s, EngineStats& stats);
    void toMapping(const State& s, Mapping& m) const;
    bool fanoutOk(const State& s) const;
    bool fits(const State& s, const DimArray& extents, int fromLevel) const;
    int budgetLeft() const { return o_.maxEvaluations - evaluations_; }

    const Problem& p_;
    const Architecture& a_;
    const MappingConstraints& c_;
    MapperOptions o_;
    std::mt19937_64 rng_;

    int levels_ = 0;
    int dims_ = 0;
    int spaces_ = 0;
    std::vector<Factor> factors_;
    std::array<std::uint64_t, kMaxDims> allowed_{};  ///< slots each dimension's free factors may take
    std::vector<Dim> fanoutX_, fanoutY_;
    std::vector<std::vector<int>> prefix_;           ///< forced innermost loops per level
    std::vector<std::bitset<kMaxDataSpaces>> mustKeep_, mustBypass_;
    std::vector<Dim> capacity_;  ///< words per instance a level's tiles may use; 0 = unbounded
    std::vector<std::size_t> pending_;

    Mapping scratch_;
    int evaluations_ = 0;
    int valid_ = 0;
};

std::optional<Error> Search::prepare()
{
    levels_ = a_.levels();
    dims_ = p_.dims();
    spaces_ = p_.dataSpaceCount();
    if (levels_ < 1 || levels_ > kMaxLevels || dims_ > kMaxDims || spaces_ > kMaxDataSpaces)
        return Error{ExitCode::BadInput, {}, "mapper", "more levels, dimensions or data spaces than the engine handles"};
    if (static_cast<int>(c_.levels.size()) != levels_)
        return Error{ExitCode::Internal, {}, "mapper", "constraints for " + std::to_string(c_.levels.size()) + " levels, architecture has " + std::to_string(levels_)};
    fanoutX_.assign(static_cast<std::size_t>(levels_), 1);
    fanoutY_.assign(static_cast<std::size_t>(levels_), 1);
    for (int i = 0; i < levels_; ++i) {
        const StorageLevel& s = a_.storage[static_cast<std::size_t>(i)];
        const int childX = i == 0 ? a_.arithmetic.meshX : a_.storage[static_cast<std::size_t>(i - 1)].meshX;
        const int childY = i == 0 ? a_.arithmetic.meshY : a_.storage[static_cast<std::size_t>(i - 1)].meshY;
        fanoutX_[static_cast<std::size_t>(i)] = std::max(1, childX / std::max(1, s.meshX));
        fanoutY_[static_cast<std::size_t>(i)] = std::max(1, childY / std::max(1, s.meshY));
    }
    // Which slots each dimension may use, and the factors the constraints pin.
    std::vector<std::vector<Dim>> remaining(static_cast<std::size_t>(dims_));
    for (int d = 0; d < dims_; ++d)
        remaining[static_cast<std::size_t>(d)] = primeFactors(p_.bounds[static_cast<std::size_t>(d)]);
    auto pin = [&](int d, Dim value, int slot, const std::string& what) -> std::optional<Error> {
        auto& pool = remaining[static_cast<std::size_t>(d)];
        for (Dim prime : primeFactors(value)) {
            auto it = std::find(pool.begin(), pool.end(), prime);
            if (it == pool.end())
                return Error{ExitCode::BadInput, {}, "mapper",
                             what + " fixes the factor of " + p_.dimNames[static_cast<std::size_t>(d)] + " at " +
                                 std::to_string(value) + ", which does not divide what is left of its bound " +
                                 std::to_string(p_.bounds[static_cast<std::size_t>(d)])};
            pool.erase(it);
            factors_.push_back(Factor{d, prime, true, slot});
        }
        return std::nullopt;
    };
    for (int d = 0; d < dims_; ++d) {
        std::uint64_t mask = 0;
        for (int i = 0; i < levels_; ++i) {
            const LevelConstraints& lc = c_.levels[static_cast<std::size_t>(i)];
            const StorageLevel& s = a_.storage[static_cast<std::size_t>(i)];
            const auto k = static_cast<std::size_t>(d);
            if (lc.temporalFactor[k] == 0 && !s.dummy)
                mask |= 1ull << slotOf(i, kTemporal);
            if (lc.spatialFactor[k] == 0) {
                if (fanoutX_[static_cast<std::size_t>(i)] > 1 && (lc.spatialXDims >> d & 1u))
                    mask |= 1ull << slotOf(i, kSpatialX);
                if (fanoutY_[static_cast<std::size_t>(i)] > 1 && (lc.spatialYDims >> d & 1u))
                    mask |= 1ull << slotOf(i, kSpatialY);
            }
        }
        // The outermost level takes whatever is left unless a constraint fixes its factor.
        if (c_.levels.back().temporalFactor[static_cast<std::size_t>(d)] == 0)
            mask |= 1ull << slotOf(levels_ - 1, kTemporal);
        allowed_[static_cast<std::size_t>(d)] = mask;
    }
    for (int i = 0; i < levels_; ++i) {
        const LevelConstraints& lc = c_.levels[static_cast<std::size_t>(i)];
        const std::string where = "level " + a_.storage[static_cast<std::size_t>(i)].name;
        for (int d = 0; d < dims_; ++d) {
            const auto k = static_cast<std::size_t>(d);
            if (lc.temporalFactor[k] > 1)
                if (auto e = pin(d, lc.temporalFactor[k], slotOf(i, kTemporal), where))
                    return e;
            if (lc.spatialFactor[k] > 1) {
                const bool x = (lc.spatialXDims >> d & 1u) && fanoutX_[static_cast<std::size_t>(i)] > 1;
                if (auto e = pin(d, lc.spatialFactor[k], slotOf(i, x ? kSpatialX : kSpatialY), where))
                    return e;
            }
        }
    }
    for (int d = 0; d < dims_; ++d)
        for (Dim prime : remaining[static_cast<std::size_t>(d)]) {
            if (allowed_[static_cast<std::size_t>(d)] == 0)
                return Error{ExitCode::BadInput, {}, "mapper",
                             "dimension " + p_.dimNames[static_cast<std::size_t>(d)] + " (" +
                                 std::to_string(p_.bounds[static_cast<std::size_t>(d)]) +
                                 ") may not be mapped to any level: every level fixes its factor"};
            factors_.push_back(Factor{d, prime, false, -1});
        }
    // Large primes first: they are the hardest to place.
    std::stable_sort(factors_.begin(), factors_.end(), [](const Factor& x, const Factor& y) {
        return x.pinned != y.pinned ? x.pinned : x.prime > y.prime;
    });
    prefix_.assign(static_cast<std::size_t>(levels_), {});
    mustKeep_.assign(static_cast<std::size_t>(levels_), {});
    mustBypass_.assign(static_cast<std::size_t>(levels_), {});
    for (int i = 0; i < levels_; ++i) {
        const LevelConstraints& lc = c_.levels[static_cast<std::size_t>(i)];
        for (int d : lc.permutationPrefix)
            if (d >= 0 && d < dims_)
                prefix_[static_cast<std::size_t>(i)].push_back(d);
        mustKeep_[static_cast<std::size_t>(i)] = lc.keep;
        mustBypass_[static_cast<std::size_t>(i)] = lc.bypass & ~lc.keep;
        if ((lc.keep & lc.bypass).any())
            return Error{ExitCode::BadInput, {}, "mapper", "level " + a_.storage[static_cast<std::size_t>(i)].name + " must both keep and bypass an operand"};
    }
    capacity_.assign(static_cast<std::size_t>(levels_), 0);
    for (int i = 0; i < levels_; ++i) {
        const StorageLevel& level = a_.storage[static_cast<std::size_t>(i)];
        if (!level.dummy && level.depth > 0)
            capacity_[static_cast<std::size_t>(i)] =
                static_cast<Dim>(static_cast<double>(level.depth) / std::max(level.multipleBuffering, 1.0));
    }
    scratch_.levels.resize(static_cast<std::size_t>(levels_));
    return std::nullopt;
}

void Search::toMapping(const State& s, Mapping& m) const
{
    for (int i = 0; i < levels_; ++i) {
        LevelMapping& lm = m.levels[static_cast<std::size_t>(i)];
        lm.temporal.fill(1);
        lm.spatialX.fill(1);
        lm.spatialY.fill(1);
        lm.orderSize = dims_;
        lm.order = s.order[static_cast<std::size_t>(i)];
        lm.keep = s.keep[static_cast<std::size_t>(i)];
    }
    for (std::size_t f = 0; f < factors_.size(); ++f) {
        const int slot = s.slot[f];
        LevelMapping& lm = m.levels[static_cast<std::size_t>(levelOf(slot))];
        const auto d = static_cast<std::size_t>(factors_[f].dim);
        DimArray& target = kindOf(slot) == kTemporal ? lm.temporal : kindOf(slot) == kSpatialX ? lm.spatialX : lm.spatialY;
        target[d] *= factors_[f].prime;
    }
    for (int i = 0; i < levels_; ++i) {
        LevelMapping& lm = m.levels[static_cast<std::size_t>(i)];
        lm.spatialOrderSize = 0;
        for (int d = 0; d < dims_; ++d)
            if (lm.spatialX[static_cast<std::size_t>(d)] > 1)
                lm.spatialOrder[static_cast<std::size_t>(lm.spatialOrderSize++)] = d;
        for (int d = 0; d < dims_; ++d)
            if (lm.spatialY[static_cast<std::size_t>(d)] > 1)
                lm.spatialOrder[static_cast<std::size_t>(lm.spatialOrderSize++)] = d;
    }
}

bool Search::fanoutOk(const State& s) const
{
    std::array<Dim, kMaxLevels * 3> product{};
    product.fill(1);
    for (std::size_t f = 0; f < factors_.size(); ++f)
        product[static_cast<std::size_t>(s.slot[f])] *= factors_[f].prime;
    for (int i = 0; i < levels_; ++i)
        if (product[static_cast<std::size_t>(slotOf(i, kSpatialX))] > fanoutX_[static_cast<std::size_t>(i)] ||
            product[static_cast<std::size_t>(slotOf(i, kSpatialY))] > fanoutY_[static_cast<std::size_t>(i)])
            return false;
    return true;
}

/// Whether tiles with these extents fit every level from `fromLevel` outward (the outer
/// levels' tiles can only grow as more factors are placed).
bool Search::fits(const State& s, const DimArray& extents, int fromLevel) const
{
    for (int j = fromLevel; j < levels_; ++j) {
        const Dim capacity = capacity_[static_cast<std::size_t>(j)];
        if (capacity <= 0)
            continue;
        Dim used = 0;
        for (int pv = 0; pv < spaces_; ++pv)
            if (s.keep[static_cast<std::size_t>(j)].test(static_cast<std::size_t>(pv)))
                used += a_.storage[static_cast<std::size_t>(j)].words(pv, p_.tileSize(pv, extents));
        if (used > capacity)
            return false;
    }
    return true;
}

bool Search::construct(State& s)
{
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    s.slot.assign(factors_.size(), -1);
    s.order.resize(static_cast<std::size_t>(levels_));
    s.keep.resize(static_cast<std::size_t>(levels_));
    const bool randomKeep = unit(rng_) < 0.5;
    for (int i = 0; i < levels_; ++i) {
        auto& keep = s.keep[static_cast<std::size_t>(i)];
        keep.reset();
        for (int pv = 0; pv < spaces_; ++pv) {
            const auto k = static_cast<std::size_t>(pv);
            keep[k] = mustKeep_[static_cast<std::size_t>(i)][k] ||
                      (!mustBypass_[static_cast<std::size_t>(i)][k] && (!randomKeep || unit(rng_) < 0.6));
        }
        if (a_.storage[static_cast<std::size_t>(i)].dummy)
            keep.reset();
        if (i == levels_ - 1)
            keep.set();
        // Order: the forced innermost loops, then the others shuffled.
        auto& order = s.order[static_cast<std::size_t>(i)];
        const auto& pre = prefix_[static_cast<std::size_t>(i)];
        int k = 0;
        for (int d : pre)
            order[static_cast<std::size_t>(k++)] = d;
        const int fixed = k;
        for (int d = 0; d < dims_; ++d)
            if (std::find(pre.begin(), pre.end(), d) == pre.end())
                order[static_cast<std::size_t>(k++)] = d;
        std::shuffle(order.begin() + fixed, order.begin() + dims_, rng_);
    }
    std::array<Dim, kMaxLevels * 3> product{};
    product.fill(1);
    for (std::size_t f = 0; f < factors_.size(); ++f)
        if (factors_[f].pinned) {
            s.slot[f] = factors_[f].slot;
            product[static_cast<std::size_t>(s.slot[f])] *= factors_[f].prime;
        }
    const double temporalChance = 0.25 + 0.75 * unit(rng_);
    pending_.clear();
    for (std::size_t f = 0; f < factors_.size(); ++f)
        if (!factors_[f].pinned)
            pending_.push_back(f);
    DimArray extents{};
    extents.fill(1);
    for (int i = 0; i < levels_; ++i) {
        // The pinned factors of this level join the tile first.
        for (std::size_t f = 0; f < factors_.size(); ++f)
            if (factors_[f].pinned && levelOf(factors_[f].slot) == i)
                extents[static_cast<std::size_t>(factors_[f].dim)] *= factors_[f].prime;
        std::shuffle(pending_.begin(), pending_.end(), rng_);
        const bool top = i == levels_ - 1;
        for (int kind : {kSpatialX, kSpatialY, kTemporal}) {
            const int slot = slotOf(i, kind);
            const Dim limit = kind == kSpatialX ? fanoutX_[static_cast<std::size_t>(i)]
                              : kind == kSpatialY ? fanoutY_[static_cast<std::size_t>(i)]
                                                  : INT64_MAX;
            const double chance = kind == kTemporal ? (top ? 1.0 : temporalChance) : 0.9;
            for (std::size_t& f : pending_) {
                if (f == SIZE_MAX)
                    continue;
                const Factor& factor = factors_[f];
                if (!(allowed_[static_cast<std::size_t>(factor.dim)] >> slot & 1u) ||
                    product[static_cast<std::size_t>(slot)] > limit / factor.prime || unit(rng_) > chance)
                    continue;
                extents[static_cast<std::size_t>(factor.dim)] *= factor.prime;
                if (!top && !fits(s, extents, i)) {
                    extents[static_cast<std::size_t>(factor.dim)] /= factor.prime;
                    continue;
                }
                s.slot[f] = slot;
                product[static_cast<std::size_t>(slot)] *= factor.prime;
                f = SIZE_MAX;
            }
        }
        pending_.erase(std::remove(pending_.begin(), pending_.end(), SIZE_MAX), pending_.end());
    }
    // Factors the outermost level may not take go wherever else they are allowed.
    for (std::size_t f : pending_) {
        const std::uint64_t mask = allowed_[static_cast<std::size_t>(factors_[f].dim)];
        for (int slot = 3 * levels_ - 1; slot >= 0 && s.slot[f] < 0; --slot)
            if (mask >> slot & 1u) {
                const int kind = kindOf(slot);
                const Dim limit = kind == kSpatialX ? fanoutX_[static_cast<std::size_t>(levelOf(slot))]
                                  : kind == kSpatialY ? fanoutY_[static_cast<std::size_t>(levelOf(slot))]
                                                      : INT64_MAX;
                if (product[static_cast<std::size_t>(slot)] <= limit / factors_[f].prime) {
                    s.slot[f] = slot;
                    product[static_cast<std::size_t>(slot)] *= factors_[f].prime;
                }
            }
        if (s.slot[f] < 0)
            return false;
    }
    return true;
}

bool Search::evaluate(const State& s, EngineStats& stats)
{
    ++evaluations_;
    toMapping(s, scratch_);
    evaluateMapping(p_, a_, scratch_, o_.engine, stats);
    if (stats.ok())
        ++valid_;
    return stats.ok();
}

double Search::cost(const EngineStats& stats) const
{
    switch (o_.objective) {
    case MapperObjective::Energy: return stats.energyPj;
    case MapperObjective::Latency: return static_cast<double>(stats.cycles);
    case MapperObjective::EnergyDelay: return stats.energyPj * static_cast<double>(stats.cycles);
    }
    return stats.energyPj;
}

bool Search::better(const EngineStats& x, const EngineStats& y) const
{
    if (!x.ok())
        return false;
    if (!y.ok())
        return true;
    const double cx = cost(x), cy = cost(y);
    if (cx < cy * (1 - 1e-12))
        return true;
    if (cx > cy * (1 + 1e-12))
        return false;
    // Ties: the other metric.
    if (o_.objective == MapperObjective::Latency)
        return x.energyPj < y.energyPj * (1 - 1e-12);
    return x.cycles < y.cycles;
}

void Search::localSearch(State& s, EngineStats& stats)
{
    EngineStats trial;
    bool improved = true;
    while (improved && budgetLeft() > 0) {
        improved = false;
        // Moves of one factor: one representative per (dimension, prime, slot).
        struct Move {
            int kind;  ///< 0 factor, 1 swap loops, 2 toggle keep
            std::size_t factor;
            int to;
            int level;
            int a, b;
        };
        std::vector<Move> moves;
        std::vector<std::tuple<int, Dim, int>> seen;
        for (std::size_t f = 0; f < factors_.size(); ++f) {
            if (factors_[f].pinned)
                continue;
            const auto key = std::make_tuple(factors_[f].dim, factors_[f].prime, s.slot[f]);
            if (std::find(seen.begin(), seen.end(), key) != seen.end())
                continue;
            seen.push_back(key);
            const std::uint64_t mask = allowed_[static_cast<std::size_t>(factors_[f].dim)];
            for (int to = 0; to < 3 * levels_; ++to)
                if ((mask >> to & 1u) && to != s.slot[f])
                    moves.push_back(Move{0, f, to, 0, 0, 0});
        }
        // Swaps of two loops of a level that both have a factor above 1.
        for (int i = 0; i < levels_; ++i) {
            DimArray t{};
            t.fill(1);
            for (std::size_t f = 0; f < factors_.size(); ++f)
                if (s.slot[f] == slotOf(i, kTemporal))
                    t[static_cast<std::size_t>(factors_[f].dim)] *= factors_[f].prime;
            const auto& order = s.order[static_cast<std::size_t>(i)];
            const int fixed = static_cast<int>(prefix_[static_cast<std::size_t>(i)].size());
            for (int x = fixed; x < dims_; ++x)
                for (int y = x + 1; y < dims_; ++y)
                    if (t[static_cast<std::size_t>(order[static_cast<std::size_t>(x)])] > 1 &&
                        t[static_cast<std::size_t>(order[static_cast<std::size_t>(y)])] > 1)
                        moves.push_back(Move{1, 0, 0, i, x, y});
        }
        // Keep or bypass the operands no constraint decides.
        for (int i = 0; i + 1 < levels_; ++i) {
            if (a_.storage[static_cast<std::size_t>(i)].dummy)
                continue;
            for (int pv = 0; pv < spaces_; ++pv) {
                const auto k = static_cast<std::size_t>(pv);
                if (!mustKeep_[static_cast<std::size_t>(i)][k] && !mustBypass_[static_cast<std::size_t>(i)][k])
                    moves.push_back(Move{2, 0, 0, i, pv, 0});
            }
        }
        std::shuffle(moves.begin(), moves.end(), rng_);
        for (const Move& m : moves) {
            if (budgetLeft() <= 0)
                break;
            int oldSlot = -1;
            if (m.kind == 0) {
                oldSlot = s.slot[m.factor];
                s.slot[m.factor] = m.to;
                if (!fanoutOk(s)) {
                    s.slot[m.factor] = oldSlot;
                    continue;
                }
            } else if (m.kind == 1) {
                auto& order = s.order[static_cast<std::size_t>(m.level)];
                std::swap(order[static_cast<std::size_t>(m.a)], order[static_cast<std::size_t>(m.b)]);
            } else {
                s.keep[static_cast<std::size_t>(m.level)].flip(static_cast<std::size_t>(m.a));
            }
            evaluate(s, trial);
            if (better(trial, stats)) {
                stats = trial;
                improved = true;
                break;  // regenerate the moves around the new point
            }
            if (m.kind == 0)
                s.slot[m.factor] = oldSlot;
            else if (m.kind == 1)
                std::swap(s.order[static_cast<std::size_t>(m.level)][static_cast<std::size_t>(m.a)],
                          s.order[static_cast<std::size_t>(m.level)][static_cast<std::size_t>(m.b)]);
            else
                s.keep[static_cast<std::size_t>(m.level)].flip(static_cast<std::size_t>(m.a));
        }
    }
}

Result<MapperResult> Search::run()
{
    if (auto e = prepare())
        return *e;
    State best;
    EngineStats bestStats;
    bestStats.failure = MappingFailure::CapacityExceeded;
    // Random valid starting points; the best few are improved by local search, and the search
    // repeats while the budget lasts.
    const int samples = std::clamp(o_.maxEvaluations / 20, 20, 400);
    const int starts = 4;
    int constructFailures = 0;
    while (budgetLeft() > 0) {
        // The best few of a round of random samples, kept in place (no copies of states).
        std::vector<std::pair<State, EngineStats>> pool(static_cast<std::size_t>(starts));
        int pooled = 0;
        State s;
        EngineStats stats;
        for (int n = 0; n < samples && budgetLeft() > 0; ++n) {
            if (!construct(s)) {
                if (++constructFailures > 1000 && valid_ == 0)
                    break;
                continue;
            }
            if (!evaluate(s, stats))
                continue;
            // Insert into the sorted pool if it is among the best.
            int at = pooled;
            while (at > 0 && better(stats, pool[static_cast<std::size_t>(at - 1)].second))
                --at;
            if (at >= starts)
                continue;
            const int last = std::min(pooled, starts - 1);
            for (int k = last; k > at; --k)
                std::swap(pool[static_cast<std::size_t>(k)], pool[static_cast<std::size_t>(k - 1)]);
            pool[static_cast<std::size_t>(at)].first = s;
            pool[static_cast<std::size_t>(at)].second = stats;
            pooled = std::min(pooled + 1, starts);
        }
        if (pooled == 0)
            break;
        for (int k = 0; k < pooled && budgetLeft() > 0; ++k) {
            auto& [start, startStats] = pool[static_cast<std::size_t>(k)];
            localSearch(start, startStats);
            if (better(startStats, bestStats)) {
                best = start;
                bestStats = startStats;
            }
        }
        if (budgetLeft() > 0 && pooled < 2)
            break;  // so few valid mappings that more sampling will not find others
    }
    if (!bestStats.ok())
        return Error{ExitCode::BadInput, {}, "mapper",
                     "no valid mapping found in " + std::to_string(evaluations_) +
                         " tries: the tiles do not fit the levels or the fan-out under the constraints"};
    MapperResult result;
    result.mapping.levels.resize(static_cast<std::size_t>(levels_));
    toMapping(best, result.mapping);
    evaluateMapping(p_, a_, result.mapping, o_.engine, result.stats);
    result.evaluations = evaluations_;
    result.validMappings = valid_;
    return result;
}

}  // namespace

Result<MapperResult> findBestMapping(const Problem& problem, const Architecture& arch,
                                     const MappingConstraints& constraints, const MapperOptions& options)
{
    Search search(problem, arch, constraints, options);
    return search.run();
}

std::string describeMapping(const Problem& problem, const Architecture& arch, const Mapping& mapping)
{
    std::ostringstream out;
    int depth = 0;
    for (int i = arch.levels() - 1; i >= 0; --i) {
        const LevelMapping& lm = mapping.levels[static_cast<std::size_t>(i)];
        const StorageLevel& level = arch.storage[static_cast<std::size_t>(i)];
        out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << level.name;
        std::string kept;
        for (int pv = 0; pv < problem.dataSpaceCount(); ++pv)
            if (lm.keep.test(static_cast<std::size_t>(pv)) && !level.dummy)
                kept += (kept.empty() ? "" : " ") + problem.dataSpaces[static_cast<std::size_t>(pv)].name;
        if (!kept.empty())
            out << " [" << kept << "]";
        out << "\n";
        for (int o = lm.orderSize - 1; o >= 0; --o) {
            const int d = lm.order[static_cast<std::size_t>(o)];
            const Dim f = lm.temporal[static_cast<std::size_t>(d)];
            if (f > 1) {
                out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "| for " << problem.dimNames[static_cast<std::size_t>(d)]
                    << " in [0:" << f << ")\n";
                ++depth;
            }
        }
        for (int d = 0; d < problem.dims(); ++d) {
            for (int axis = 0; axis < 2; ++axis) {
                const Dim f = (axis == 0 ? lm.spatialX : lm.spatialY)[static_cast<std::size_t>(d)];
                if (f > 1)
                    out << std::string(static_cast<std::size_t>(depth) * 2, ' ') << "| for " << problem.dimNames[static_cast<std::size_t>(d)]
                        << " in [0:" << f << ") (spatial " << (axis == 0 ? "X" : "Y") << ")\n";
            }
        }
    }
    return out.str();
}

}  // namespace cdx
