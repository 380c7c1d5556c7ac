#include "estimators/engine/nestanalysis.h"

#include "estimators/engine/sparsity.h"

#include <algorithm>
#include <cmath>

namespace cdx {

const char* mappingFailureText(MappingFailure failure)
{
    switch (failure) {
    case MappingFailure::None: return "valid";
    case MappingFailure::TooManyLevels: return "more levels, dimensions, data spaces or projection terms than the engine handles";
    case MappingFailure::FactorsDoNotMultiply: return "the factors of a dimension do not multiply to its bound";
    case MappingFailure::FanoutExceeded: return "a level spreads over more instances than it has";
    case MappingFailure::CapacityExceeded: return "the tiles do not fit in a level";
    case MappingFailure::BypassedEverywhere: return "a data space is kept by no level";
    }
    return "?";
}

namespace {

constexpr int kMaxLoops = kMaxLevels * kMaxDims;
__extension__ typedef __int128 Wide;  // counts times trips can pass 64 bits before they are checked

Dim ceilDiv(Dim a, Dim b) { return b <= 1 ? a : (a + b - 1) / b; }

Dim narrow(Wide v)
{
    constexpr Wide limit = static_cast<Wide>(INT64_MAX);
    return static_cast<Dim>(v > limit ? limit : v);
}

/// Everything about the mapping that does not depend on the data space. buildNest writes
/// every entry an evaluation reads (levels and loops in use); the arrays are left
/// uninitialised, since clearing them would cost more than the analysis of a small nest.
struct Nest {
    int levels = 0;
    int dims = 0;
    std::array<DimArray, kMaxLevels> boundary;    ///< op-space extents of loops 0 .. level boundary
    std::array<DimArray, kMaxLevels> children;    ///< extents below the level plus its own spatial loops
    std::array<Dim, kMaxLevels> spatial;          ///< product of the level's spatial factors
    // The dimensions a level spreads over its fan-out (X and Y together) and their factors.
    std::array<int, kMaxLevels> spatialDimCount;
    std::array<std::array<int, kMaxDims>, kMaxLevels> spatialDim;
    std::array<std::array<Dim, kMaxDims>, kMaxLevels> spatialFactor;
    std::array<Dim, kMaxLevels> replication;      ///< product of spatial factors above the level
    // Non-trivial temporal loops, innermost first.
    int loops = 0;
    std::array<int, kMaxLoops> loopDim;
    std::array<Dim, kMaxLoops> loopTrip;
    std::array<int, kMaxLoops> loopLevel;
    std::array<Dim, kMaxLoops> tripsAbove;         ///< product of the trips of the loops after each (at most computeCycles)
    std::array<int, kMaxLevels> firstLoopAbove;    ///< index of the first loop of a level above
    Dim computeCycles = 1;
    Dim utilizedMacs = 1;
};

void buildNest(const Problem& problem, const Architecture& arch, const Mapping& mapping, Nest& n)
{
    n.levels = arch.levels();
    n.dims = problem.dims();
    DimArray running{};
    running.fill(1);
    for (int i = 0; i < n.levels; ++i) {
        const LevelMapping& lm = mapping.levels[static_cast<std::size_t>(i)];
        n.spatial[static_cast<std::size_t>(i)] = 1;
        int& count = n.spatialDimCount[static_cast<std::size_t>(i)];
        count = 0;
        for (int d = 0; d < n.dims; ++d) {
            const auto k = static_cast<std::size_t>(d);
            const Dim s = lm.spatialX[k] * lm.spatialY[k];
            n.spatial[static_cast<std::size_t>(i)] *= s;
            running[k] *= s;
            if (s != 1) {
                n.spatialDim[static_cast<std::size_t>(i)][static_cast<std::size_t>(count)] = d;
                n.spatialFactor[static_cast<std::size_t>(i)][static_cast<std::size_t>(count)] = s;
                ++count;
            }
        }
        n.children[static_cast<std::size_t>(i)] = running;
        for (int d = 0; d < n.dims; ++d)
            running[static_cast<std::size_t>(d)] *= lm.temporal[static_cast<std::size_t>(d)];
        n.boundary[static_cast<std::size_t>(i)] = running;
        for (int o = 0; o < lm.orderSize; ++o) {
            const int d = lm.order[static_cast<std::size_t>(o)];
            const Dim trip = lm.temporal[static_cast<std::size_t>(d)];
            if (trip <= 1)
                continue;
            n.loopDim[static_cast<std::size_t>(n.loops)] = d;
            n.loopTrip[static_cast<std::size_t>(n.loops)] = trip;
            n.loopLevel[static_cast<std::size_t>(n.loops)] = i;
            ++n.loops;
            n.computeCycles *= trip;
        }
        n.utilizedMacs *= n.spatial[static_cast<std::size_t>(i)];
    }
    Dim above = 1;
    for (int l = n.loops - 1; l >= 0; --l) {
        n.tripsAbove[static_cast<std::size_t>(l)] = above;
        above *= n.loopTrip[static_cast<std::size_t>(l)];
    }
    for (int i = 0; i < n.levels; ++i) {
        int first = n.loops;
        for (int l = 0; l < n.loops; ++l)
            if (n.loopLevel[static_cast<std::size_t>(l)] > i) {
                first = l;
                break;
            }
        n.firstLoopAbove[static_cast<std::size_t>(i)] = first;
    }
    Dim replication = 1;
    for (int i = n.levels - 1; i >= 0; --i) {
        n.replication[static_cast<std::size_t>(i)] = replication;
        replication *= n.spatial[static_cast<std::size_t>(i)];
    }
}

bool relevant(unsigned mask, int dim) { return (mask >> dim) & 1u; }

/// DataSpaceStats{} as stores the compiler keeps as vector moves: assigning value-initialised
/// structs, even one at a time, compiles to `rep stos`, an eighth of an evaluation.
void resetDataSpaceStats(DataSpaceStats& s)
{
    static_assert(sizeof(DataSpaceStats) == 17 * sizeof(Dim), "a field was added to DataSpaceStats: reset it here");
    s.kept = false;
    s.capacity = s.partition = s.instances = 0;
    s.reads = s.fills = s.updates = s.temporalReductions = s.addressGenerations = 0;
    s.multicast = s.scatter = 1;
    s.energyPj = 0;
    s.gatedReads = s.metadataCapacity = s.metadataReads = s.metadataFills = 0;
    s.metadataEnergyPj = 0;
}

Dim saturatingMul(Dim a, Dim b)
{
    Dim r = 0;
    return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

/// a x b / c without a 128-bit division when a x b fits in 64 bits (nearly always).
Dim mulDiv(Dim a, Dim b, Dim c)
{
    Dim product = 0;
    if (!__builtin_mul_overflow(a, b, &product))
        return product / c;
    return narrow(static_cast<Wide>(a) * b / c);
}

constexpr int kMaxAxes = 8;
constexpr int kMaxTerms = 16;

/// A data space's projection in flat arrays (the Problem's nested vectors, read once per
/// evaluation instead of once per tile).
struct FlatSpace {
    int axes = 0;
    std::array<int, kMaxAxes + 1> axisEnd;  ///< one past each axis's last term
    std::array<int, kMaxTerms> dim;
    std::array<Dim, kMaxTerms> coefficient;
    unsigned mask = 0;  ///< the dimensions that index the data space
    bool readWrite = false;
};

bool flatten(const DataSpace& space, FlatSpace& f)
{
    if (space.projection.size() > static_cast<std::size_t>(kMaxAxes))
        return false;
    f.axes = 0;
    f.mask = 0;
    f.readWrite = space.readWrite;
    int t = 0;
    for (const auto& axis : space.projection) {
        for (const auto& term : axis) {
            if (t == kMaxTerms || term.dim < 0 || term.dim >= kMaxDims)
                return false;
            f.dim[static_cast<std::size_t>(t)] = term.dim;
            f.coefficient[static_cast<std::size_t>(t)] = term.coefficient;
            f.mask |= 1u << term.dim;
            ++t;
        }
        f.axisEnd[static_cast<std::size_t>(f.axes++)] = t;
    }
    return true;
}

/// Elements of the data space a tile with these extents touches (Problem::tileSize).
Dim tileSize(const FlatSpace& f, const DimArray& extents)
{
    Dim size = 1;
    int t = 0;
    for (int a = 0; a < f.axes; ++a) {
        Dim span = 1;
        for (; t < f.axisEnd[static_cast<std::size_t>(a)]; ++t)
            span += f.coefficient[static_cast<std::size_t>(t)] * (extents[static_cast<std::size_t>(f.dim[static_cast<std::size_t>(t)])] - 1);
        size = saturatingMul(size, span);
    }
    return size;
}

/// Elements along the last axis of the data space a tile with these extents touches (the
/// fibers of a compressed format).
Dim lastAxisSpan(const FlatSpace& f, const DimArray& extents)
{
    if (f.axes == 0)
        return 1;
    Dim span = 1;
    const int first = f.axes > 1 ? f.axisEnd[static_cast<std::size_t>(f.axes - 2)] : 0;
    for (int t = first; t < f.axisEnd[static_cast<std::size_t>(f.axes - 1)]; ++t)
        span += f.coefficient[static_cast<std::size_t>(t)] * (extents[static_cast<std::size_t>(f.dim[static_cast<std::size_t>(t)])] - 1);
    return span;
}

/// What the sparse pass needs of data space `pv`: its tiles' fibers and the computes an
/// access of its innermost keeper serves.
void recordSparseNest(const FlatSpace& f, const Nest& n, int pv, const std::array<bool, kMaxLevels>& keep,
                      const std::array<Dim, kMaxLevels>& multicast, SparseNestInfo& info)
{
    const auto kp = static_cast<std::size_t>(pv);
    Dim fanIn = 1;
    bool below = true;
    for (int i = 0; i < n.levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        info.fiber[ki][kp] = lastAxisSpan(f, n.boundary[ki]);
        if (below)
            fanIn = saturatingMul(fanIn, multicast[ki]);
        below = below && !keep[ki];
    }
    info.fanIn[kp] = fanIn;
}

/// Elements of a tile that a shift of `shift` along `dim` keeps: the overlap of the tile with
/// its translated copy, axis by axis of the data space's projection.
Dim overlapAfterShift(const FlatSpace& f, const DimArray& extents, int dim, Dim shift)
{
    Dim overlap = 1;
    int t = 0;
    for (int a = 0; a < f.axes; ++a) {
        Dim span = 1;
        Dim moved = 0;
        for (; t < f.axisEnd[static_cast<std::size_t>(a)]; ++t) {
            const int d = f.dim[static_cast<std::size_t>(t)];
            span += f.coefficient[static_cast<std::size_t>(t)] * (extents[static_cast<std::size_t>(d)] - 1);
            if (d == dim)
                moved += f.coefficient[static_cast<std::size_t>(t)] * shift;
        }
        const Dim kept = span - std::abs(moved);
        if (kept <= 0)
            return 0;
        overlap = saturatingMul(overlap, kept);
    }
    return overlap;
}

/// Elements the tile of level `c` receives over the whole run (its fills, before bypass): new
/// data each time an enclosing loop relevant to the data space steps.
Wide newDataOverRun(const FlatSpace& f, const Nest& n, int c, Dim tile, bool masterHalo)
{
    const unsigned mask = f.mask;
    const int start = n.firstLoopAbove[static_cast<std::size_t>(c)];
    int first = -1;
    for (int l = start; l < n.loops; ++l)
        if (relevant(mask, n.loopDim[static_cast<std::size_t>(l)])) {
            first = l;
            break;
        }
    if (first < 0)
        return tile;
    const Dim outer = n.tripsAbove[static_cast<std::size_t>(first)];
    const Dim trip = n.loopTrip[static_cast<std::size_t>(first)];
    if (first == start || masterHalo) {
        // A sliding window: successive steps overlap; only the new part is fetched within a
        // run of the loop, the whole tile when it wraps.
        const int dim = n.loopDim[static_cast<std::size_t>(first)];
        Dim stride = n.boundary[static_cast<std::size_t>(c)][static_cast<std::size_t>(dim)];
        for (int j = c + 1; j <= n.loopLevel[static_cast<std::size_t>(first)]; ++j)
            stride *= n.children[static_cast<std::size_t>(j)][static_cast<std::size_t>(dim)] /
                      n.boundary[static_cast<std::size_t>(j - 1)][static_cast<std::size_t>(dim)];
        const Dim overlap = overlapAfterShift(f, n.boundary[static_cast<std::size_t>(c)], dim, stride);
        if (overlap > 0)
            return (static_cast<Wide>(tile) + static_cast<Wide>(trip - 1) * (tile - overlap)) * outer;
    }
    return static_cast<Wide>(tile) * trip * outer;
}

/// Distinct data groups among the children of level `o`: the product of its spatial factors
/// over dimensions relevant to the data space (the rest is multicast or spatial reduction).
Dim distinctGroups(const Nest& n, unsigned mask, int o)
{
    const auto ko = static_cast<std::size_t>(o);
    Dim k = 1;
    for (int j = 0; j < n.spatialDimCount[ko]; ++j)
        if (relevant(mask, n.spatialDim[ko][static_cast<std::size_t>(j)]))
            k *= n.spatialFactor[ko][static_cast<std::size_t>(j)];
    return k;
}

/// At a fan-out straight onto the compute units, an operand that does not change over the
/// next temporal loop reaches a unit from a neighbour holding the same value (Timeloop's link
/// transfers): that needs a neighbour in the same data group along the innermost X or Y loop.
bool linkTransfers(const Mapping& mapping, const Nest& n, unsigned mask)
{
    if (n.loops == 0 || relevant(mask, n.loopDim[0]))
        return false;
    const LevelMapping& lm = mapping.levels[0];
    bool innermostX = true, innermostY = true;
    for (int o = 0; o < lm.spatialOrderSize; ++o) {
        const auto d = static_cast<std::size_t>(lm.spatialOrder[static_cast<std::size_t>(o)]);
        const bool isX = lm.spatialX[d] > 1;
        bool& seen = isX ? innermostX : innermostY;
        if (!seen)
            continue;
        seen = false;
        if (!relevant(mask, static_cast<int>(d)))
            return true;
    }
    return false;
}

MappingFailure checkMapping(const Problem& problem, const Architecture& arch, const Mapping& mapping, EngineStats& out)
{
    if (arch.levels() > kMaxLevels || problem.dims() > kMaxDims || problem.dataSpaceCount() > kMaxDataSpaces ||
        static_cast<int>(mapping.levels.size()) != arch.levels())
        return MappingFailure::TooManyLevels;
    for (int d = 0; d < problem.dims(); ++d) {
        Dim product = 1;
        for (const auto& lm : mapping.levels)
            product *= lm.temporal[static_cast<std::size_t>(d)] * lm.spatialX[static_cast<std::size_t>(d)] *
                       lm.spatialY[static_cast<std::size_t>(d)];
        if (product != problem.bounds[static_cast<std::size_t>(d)]) {
            out.failureLevel = d;
            return MappingFailure::FactorsDoNotMultiply;
        }
    }
    for (int i = 0; i < arch.levels(); ++i) {
        const StorageLevel& s = arch.storage[static_cast<std::size_t>(i)];
        const int childX = i == 0 ? arch.arithmetic.meshX : arch.storage[static_cast<std::size_t>(i - 1)].meshX;
        const int childY = i == 0 ? arch.arithmetic.meshY : arch.storage[static_cast<std::size_t>(i - 1)].meshY;
        Dim x = 1, y = 1;
        for (int d = 0; d < problem.dims(); ++d) {
            x *= mapping.levels[static_cast<std::size_t>(i)].spatialX[static_cast<std::size_t>(d)];
            y *= mapping.levels[static_cast<std::size_t>(i)].spatialY[static_cast<std::size_t>(d)];
        }
        if (x > childX / std::max(s.meshX, 1) || y > childY / std::max(s.meshY, 1)) {
            out.failureLevel = i;
            return MappingFailure::FanoutExceeded;
        }
    }
    return MappingFailure::None;
}

}  // namespace

// GCC cannot see that the per-level arrays of a data space are written up to `levels` before
// they are read; clearing them instead costs a tenth of an evaluation.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
void evaluateMapping(const Problem& problem, const Architecture& arch, const Mapping& mapping,
                     const EngineOptions& options, EngineStats& out)
{
    // Reset what this evaluation fills in: the scalars and the levels it uses (the level
    // array is most of the struct; clearing all of it would cost a fifth of the evaluation).
    {
        const auto used = static_cast<std::size_t>(std::clamp(arch.levels(), 0, kMaxLevels));
        const auto spacesUsed = static_cast<std::size_t>(std::clamp(problem.dataSpaceCount(), 0, kMaxDataSpaces));
        // Field by field (see resetDataSpaceStats), the data spaces in use only: readers stop
        // at out.dataSpaces.
        for (std::size_t i = 0; i < used; ++i) {
            LevelStats& ls = out.level[i];
            for (std::size_t pv = 0; pv < spacesUsed; ++pv)
                resetDataSpaceStats(ls.dataSpaces[pv]);
            ls.utilizedInstances = ls.cycles = 0;
            ls.leakagePj = ls.energyPj = ls.metadataEnergyPj = 0;
            ls.throttling = 1;
        }
        out.failure = MappingFailure::None;
        out.failureLevel = out.failureDataSpace = -1;
        out.levels = out.dataSpaces = 0;
        out.computes = out.gatedComputes = out.skippedComputes = out.computeCycles = out.utilizedMacs = out.cycles = 0;
        out.computeEnergyPj = out.utilization = out.energyPj = out.areaUm2 = 0;
    }
    out.failure = checkMapping(problem, arch, mapping, out);
    if (!out.ok())
        return;
    const int spaces = problem.dataSpaceCount();
    std::array<FlatSpace, kMaxDataSpaces> flat;
    for (int pv = 0; pv < spaces; ++pv)
        if (!flatten(problem.dataSpaces[static_cast<std::size_t>(pv)], flat[static_cast<std::size_t>(pv)])) {
            out.failure = MappingFailure::TooManyLevels;
            out.failureDataSpace = pv;
            return;
        }
    Nest n;
    buildNest(problem, arch, mapping, n);
    const int levels = n.levels;
    out.levels = levels;
    out.dataSpaces = spaces;
    out.computeCycles = n.computeCycles;
    out.utilizedMacs = n.utilizedMacs;
    out.computes = n.computeCycles * n.utilizedMacs;
    const bool sparse = arch.sparse.active;
    SparseNestInfo sparseInfo;

    for (int pv = 0; pv < spaces; ++pv) {
        const FlatSpace& f = flat[static_cast<std::size_t>(pv)];
        const unsigned mask = f.mask;
        const bool readWrite = f.readWrite;
        // Every entry below `levels` is written before it is read (share[top] is never read).
        std::array<Dim, kMaxLevels> size, part, share, multicast, groups;
        std::array<Wide, kMaxLevels> content;
        std::array<bool, kMaxLevels> keep;
        for (int i = 0; i < levels; ++i) {
            size[static_cast<std::size_t>(i)] = tileSize(f, n.boundary[static_cast<std::size_t>(i)]);
            keep[static_cast<std::size_t>(i)] = !arch.storage[static_cast<std::size_t>(i)].dummy &&
                                                mapping.levels[static_cast<std::size_t>(i)].keep.test(static_cast<std::size_t>(pv));
        }
        keep[static_cast<std::size_t>(levels - 1)] = true;  // the backing store holds everything
        // What each level serves to the level below, before bypass.
        for (int o = 0; o < levels; ++o) {
            const auto ko = static_cast<std::size_t>(o);
            groups[ko] = distinctGroups(n, mask, o);
            multicast[ko] = n.spatial[ko] / groups[ko];
            if (o == 0) {
                Wide pulls = static_cast<Wide>(n.computeCycles) * groups[0];
                if (n.spatial[0] > 1 && linkTransfers(mapping, n, mask))
                    pulls /= n.loopTrip[0];
                content[0] = pulls;
            } else {
                const Wide fills = newDataOverRun(f, n, o - 1, size[ko - 1], options.masterHaloReuse);
                share[ko - 1] = narrow(fills);
                content[ko] = fills * groups[ko];
            }
        }
        // Partition: the part of the data space one instance holds over time.
        part[static_cast<std::size_t>(levels - 1)] = size[static_cast<std::size_t>(levels - 1)];
        for (int c = levels - 2; c >= 0; --c) {
            const auto kc = static_cast<std::size_t>(c);
            const Dim union_ = n.spatial[kc + 1] > 1 ? tileSize(f, n.children[kc + 1]) : size[kc];
            part[kc] = mulDiv(part[kc + 1], size[kc], std::max<Dim>(union_, 1));
        }
        // Bypass, innermost first: the next level up serves a bypassed level's requests.
        for (int c = 0; c < levels - 1; ++c) {
            const auto kc = static_cast<std::size_t>(c);
            if (keep[kc])
                continue;
            content[kc + 1] = content[kc] * groups[kc + 1];
            content[kc] = 0;
        }
        if (sparse)
            recordSparseNest(f, n, pv, keep, multicast, sparseInfo);
        const int top = levels - 1;  // the outermost level keeps every data space
        for (int i = 0; i < levels; ++i) {
            const auto ki = static_cast<std::size_t>(i);
            DataSpaceStats& s = out.level[ki].dataSpaces[static_cast<std::size_t>(pv)];
            s.instances = n.replication[ki];
            s.multicast = multicast[ki];
            s.scatter = groups[ki];
            if (!keep[ki])
                continue;
            s.kept = true;
            s.capacity = size[ki];
            s.partition = part[ki];
            const Dim accesses = narrow(content[ki]);
            const Dim delivered = i == top ? 0 : share[ki];
            if (readWrite) {
                s.updates = accesses;
                s.reads = std::max<Dim>(accesses - part[ki], 0);
                s.temporalReductions = s.reads;
                s.fills = i == top ? 0 : std::max<Dim>(delivered - part[ki], 0);
                s.addressGenerations = s.updates + s.fills;
            } else {
                s.reads = accesses;
                s.fills = delivered;
                s.addressGenerations = s.reads + s.fills;
            }
        }
    }

    if (sparse) {
        sparseInfo.denseComputes = out.computes;
        sparseInfo.denseComputeCycles = n.computeCycles;
        applySparsity(problem, arch, sparseInfo, out);
    }

    // Capacity, energy, bandwidth.
    for (int i = 0; i < levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = arch.storage[ki];
        LevelStats& ls = out.level[ki];
        ls.utilizedInstances = n.replication[ki];
        Dim used = 0;
        double readWords = 0, writeWords = 0;
        for (int pv = 0; pv < spaces; ++pv) {
            DataSpaceStats& s = ls.dataSpaces[static_cast<std::size_t>(pv)];
            if (!s.kept)
                continue;
            used += level.words(pv, s.capacity);
            const Dim b = level.blockSize;
            const Dim reads = level.words(pv, s.reads), fills = level.words(pv, s.fills), updates = level.words(pv, s.updates);
            const double perInstance = static_cast<double>(ceilDiv(reads, b)) * level.actions.readPj +
                                       static_cast<double>(ceilDiv(fills, b)) * level.actions.writePj +
                                       static_cast<double>(ceilDiv(updates, b)) * level.actions.updatePj;
            s.energyPj = perInstance * static_cast<double>(s.instances);
            readWords += static_cast<double>(reads);
            writeWords += static_cast<double>(fills + updates);
            if (sparse) {
                // Metadata moves through the level's ports like data; gated accesses cost no
                // energy (an assumption: clock-gated) but keep their slot.
                used += s.metadataCapacity;
                s.metadataEnergyPj = (static_cast<double>(ceilDiv(s.metadataReads, b)) * level.actions.readPj +
                                      static_cast<double>(ceilDiv(s.metadataFills, b)) * level.actions.writePj) *
                                     static_cast<double>(s.instances);
                s.energyPj += s.metadataEnergyPj;
                ls.metadataEnergyPj += s.metadataEnergyPj;
                const bool results = problem.dataSpaces[static_cast<std::size_t>(pv)].readWrite;
                readWords += static_cast<double>(s.metadataReads + (results ? 0 : level.words(pv, s.gatedReads)));
                writeWords += static_cast<double>(s.metadataFills + (results ? s.gatedReads : 0));
            }
            ls.energyPj += s.energyPj;
        }
        if (options.checkCapacity && level.depth > 0 &&
            static_cast<double>(used) > static_cast<double>(level.depth) / std::max(level.multipleBuffering, 1.0)) {
            out.failure = MappingFailure::CapacityExceeded;
            out.failureLevel = i;
            return;
        }
        const double cc = static_cast<double>(out.computeCycles);
        const double slowdown = bandwidthSlowdown(level, readWords, writeWords, cc);
        ls.throttling = slowdown;
        ls.cycles = static_cast<Dim>(std::ceil(cc / slowdown));
        out.cycles = std::max(out.cycles, ls.cycles);
    }
    out.cycles = std::max(out.cycles, out.computeCycles);

    out.computeEnergyPj = static_cast<double>(out.computes) * arch.arithmetic.computePj;
    out.energyPj = out.computeEnergyPj;
    out.areaUm2 = arch.arithmetic.areaUm2 * static_cast<double>(arch.arithmetic.instances());
    for (int i = 0; i < levels; ++i) {
        const auto ki = static_cast<std::size_t>(i);
        const StorageLevel& level = arch.storage[ki];
        LevelStats& ls = out.level[ki];
        if (options.leakage && !level.dummy)
            ls.leakagePj = level.actions.leakPj * static_cast<double>(out.cycles) * static_cast<double>(n.replication[ki]);
        ls.energyPj += ls.leakagePj;
        out.energyPj += ls.energyPj;
        out.areaUm2 += level.areaUm2 * static_cast<double>(level.instances());
    }
    out.utilization = static_cast<double>(n.utilizedMacs) / static_cast<double>(arch.arithmetic.instances()) *
                      static_cast<double>(out.computeCycles) / static_cast<double>(out.cycles);
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

double bandwidthSlowdown(const StorageLevel& level, double readWords, double writeWords, double computeCycles)
{
    double slowdown = 1;
    if (level.readBandwidth > 0 && readWords > 0)
        slowdown = std::min(slowdown, level.readBandwidth / (readWords / computeCycles));
    if (level.writeBandwidth > 0 && writeWords > 0)
        slowdown = std::min(slowdown, level.writeBandwidth / (writeWords / computeCycles));
    if (level.sharedBandwidth > 0 && readWords + writeWords > 0)
        slowdown = std::min(slowdown, level.sharedBandwidth / ((readWords + writeWords) / computeCycles));
    return slowdown;
}

}  // namespace cdx
