#include "core/compression/pruner.h"

#include <Eigen/Core>

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <limits>
#include <random>

namespace cdx {

namespace {

using Mask = std::vector<std::uint8_t>;

std::size_t at(Dim i)
{
    return static_cast<std::size_t>(i);
}

/// Keeps the `count` largest scores among `candidates` (ties: the earlier candidate).
template <class Score>
void keepLargest(std::vector<Dim>& candidates, Dim count, Score score, Mask& keep, Dim unit = 1)
{
    count = std::clamp<Dim>(count, 0, static_cast<Dim>(candidates.size()));
    auto better = [&](Dim a, Dim b) {
        const double sa = score(a), sb = score(b);
        return sa > sb || (sa == sb && a < b);
    };
    std::nth_element(candidates.begin(), candidates.begin() + count, candidates.end(), better);
    for (Dim i = 0; i < count; ++i)
        for (Dim u = 0; u < unit; ++u)
            keep[at(candidates[at(i)] * unit + u)] = 1;
}

void unstructured(const WeightMatrix& m, double density, Mask& keep)
{
    std::vector<Dim> all(at(m.size()));
    std::iota(all.begin(), all.end(), Dim{0});
    keepLargest(all, std::llround(density * static_cast<double>(m.size())), [&](Dim i) { return std::fabs(m.values[at(i)]); }, keep);
}

void loadBalanced(const WeightMatrix& m, double density, Dim pes, Mask& keep)
{
    // The same count on every PE: the share of an average PE, as the ESE pruning does.
    const Dim perPe = std::llround(density * static_cast<double>(m.size()) / static_cast<double>(pes));
    for (Dim pe = 0; pe < pes; ++pe) {
        std::vector<Dim> mine;
        for (Dim r = pe; r < m.rows; r += pes)
            for (Dim c = 0; c < m.cols; ++c)
                mine.push_back(r * m.cols + c);
        keepLargest(mine, perPe, [&](Dim i) { return std::fabs(m.values[at(i)]); }, keep);
    }
}

void groupwise(const WeightMatrix& m, Dim group, Dim k, Mask& keep)
{
    std::vector<Dim> members;
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim start = 0; start < m.cols; start += group) {
            members.clear();
            for (Dim c = start; c < std::min(m.cols, start + group); ++c)
                members.push_back(r * m.cols + c);
            keepLargest(members, k, [&](Dim i) { return std::fabs(m.values[at(i)]); }, keep);
        }
}

void blocks(const WeightMatrix& m, Dim size, double density, Mask& keep)
{
    const Dim blockRows = (m.rows + size - 1) / size, blockCols = (m.cols + size - 1) / size;
    std::vector<double> energy(at(blockRows * blockCols), 0.0);
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim c = 0; c < m.cols; ++c)
            energy[at((r / size) * blockCols + c / size)] += static_cast<double>(m.values[at(r * m.cols + c)]) * m.values[at(r * m.cols + c)];
    std::vector<Dim> ids(energy.size());
    std::iota(ids.begin(), ids.end(), Dim{0});
    Mask chosen(ids.size(), 0);
    keepLargest(ids, std::llround(density * static_cast<double>(ids.size())), [&](Dim b) { return energy[at(b)]; }, chosen);
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim c = 0; c < m.cols; ++c)
            keep[at(r * m.cols + c)] = chosen[at((r / size) * blockCols + c / size)];
}

void channels(const WeightMatrix& m, double share, Mask& keep)
{
    std::vector<double> norm(at(m.rows), 0.0);
    for (Dim r = 0; r < m.rows; ++r)
        for (float v : m.row(r))
            norm[at(r)] += std::fabs(v);
    std::vector<Dim> rows(at(m.rows));
    std::iota(rows.begin(), rows.end(), Dim{0});
    const Dim kept = std::max<Dim>(1, std::llround(share * static_cast<double>(m.rows)));
    keepLargest(rows, kept, [&](Dim r) { return norm[at(r)]; }, keep, m.cols);
}

/// Marks the diagonal blocks of a matrix whose rows and column units are assigned to blocks.
void markBlocks(const WeightMatrix& m, const std::vector<Dim>& rowBlock, const std::vector<Dim>& unitBlock, Mask& keep)
{
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim c = 0; c < m.cols; ++c)
            keep[at(r * m.cols + c)] = rowBlock[at(r)] == unitBlock[at(c / m.kernelTaps)];
}

/// Assigns items to `count` blocks of equal capacity, most energy first: score(item, block).
std::vector<Dim> assignBalanced(Dim items, Dim count, const std::vector<double>& score)
{
    std::vector<Dim> pairs(at(items * count));
    std::iota(pairs.begin(), pairs.end(), Dim{0});
    std::stable_sort(pairs.begin(), pairs.end(), [&](Dim a, Dim b) { return score[at(a)] > score[at(b)]; });
    std::vector<Dim> block(at(items), -1);
    std::vector<Dim> room(at(count), items / count);
    for (Dim p : pairs) {
        const Dim item = p / count, b = p % count;
        if (block[at(item)] < 0 && room[at(b)] > 0) {
            block[at(item)] = b;
            --room[at(b)];
        }
    }
    return block;
}

/// The energy of each row in each column unit (input channel), row-major.
std::vector<double> unitEnergy(const WeightMatrix& m)
{
    const Dim units = m.cols / m.kernelTaps;
    std::vector<double> e(at(m.rows * units), 0.0);
    for (Dim r = 0; r < m.rows; ++r)
        for (Dim c = 0; c < m.cols; ++c) {
            const double v = m.values[at(r * m.cols + c)];
            e[at(r * units + c / m.kernelTaps)] += v * v;
        }
    return e;
}

/// Swaps items between pairs of blocks while a swap keeps more energy (score(item, block) fixed):
/// for blocks a and b, the items of a that gain most by moving to b are paired with the items of
/// b that gain most by moving to a, while the pair's total gain is positive. O(blocks x items log items).
void refineBySwaps(Dim items, Dim count, const std::vector<double>& score, std::vector<Dim>& block)
{
    std::vector<std::vector<Dim>> members(at(count));
    for (Dim i = 0; i < items; ++i)
        members[at(block[at(i)])].push_back(i);
    for (int pass = 0; pass < 4; ++pass) {
        bool improved = false;
        for (Dim a = 0; a < count; ++a)
            for (Dim b = a + 1; b < count; ++b) {
                auto gain = [&](Dim item, Dim from, Dim to) { return score[at(item * count + to)] - score[at(item * count + from)]; };
                auto& inA = members[at(a)];
                auto& inB = members[at(b)];
                std::sort(inA.begin(), inA.end(), [&](Dim x, Dim y) { return gain(x, a, b) > gain(y, a, b); });
                std::sort(inB.begin(), inB.end(), [&](Dim x, Dim y) { return gain(x, b, a) > gain(y, b, a); });
                for (std::size_t k = 0; k < std::min(inA.size(), inB.size()); ++k) {
                    if (gain(inA[k], a, b) + gain(inB[k], b, a) <= 1e-12)
                        break;
                    std::swap(inA[k], inB[k]);
                    block[at(inA[k])] = a;
                    block[at(inB[k])] = b;
                    improved = true;
                }
            }
        if (!improved)
            break;
    }
}

/// Alternates: units to the blocks of the rows, then rows to the blocks of the units, each a
/// balanced greedy assignment refined by swaps, until the kept energy stops growing.
double alternate(const std::vector<double>& e, Dim rows, Dim units, Dim count, std::vector<Dim>& rowBlock, std::vector<Dim>& unitBlock)
{
    double best = -1;
    for (int pass = 0; pass < 8; ++pass) {
        std::vector<double> unitScore(at(units * count), 0.0);
        for (Dim r = 0; r < rows; ++r)
            for (Dim u = 0; u < units; ++u)
                unitScore[at(u * count + rowBlock[at(r)])] += e[at(r * units + u)];
        unitBlock = assignBalanced(units, count, unitScore);
        refineBySwaps(units, count, unitScore, unitBlock);
        std::vector<double> rowScore(at(rows * count), 0.0);
        for (Dim r = 0; r < rows; ++r)
            for (Dim u = 0; u < units; ++u)
                rowScore[at(r * count + unitBlock[at(u)])] += e[at(r * units + u)];
        rowBlock = assignBalanced(rows, count, rowScore);
        refineBySwaps(rows, count, rowScore, rowBlock);
        double kept = 0;
        for (Dim r = 0; r < rows; ++r)
            kept += rowScore[at(r * count + rowBlock[at(r)])];
        if (kept <= best * (1 + 1e-12))
            break;
        best = kept;
    }
    return best;
}

/// A start that puts rows of different energy profiles in different blocks: `count` seed rows
/// chosen farthest apart (L1 distance of their normalised profiles over the units), every other
/// row with its nearest seed, balanced.
std::vector<Dim> farthestPointStart(const std::vector<double>& e, Dim rows, Dim units, Dim count)
{
    std::vector<double> profile(e.size());
    for (Dim r = 0; r < rows; ++r) {
        double total = 0;
        for (Dim u = 0; u < units; ++u)
            total += e[at(r * units + u)];
        for (Dim u = 0; u < units; ++u)
            profile[at(r * units + u)] = total > 0 ? e[at(r * units + u)] / total : 0.0;
    }
    auto distance = [&](Dim a, Dim b) {
        double d = 0;
        for (Dim u = 0; u < units; ++u)
            d += std::fabs(profile[at(a * units + u)] - profile[at(b * units + u)]);
        return d;
    };
    std::vector<Dim> seeds{0};
    std::vector<double> nearest(at(rows), std::numeric_limits<double>::infinity());
    while (static_cast<Dim>(seeds.size()) < count) {
        Dim far = 0;
        for (Dim r = 0; r < rows; ++r) {
            nearest[at(r)] = std::min(nearest[at(r)], distance(r, seeds.back()));
            if (nearest[at(r)] > nearest[at(far)])
                far = r;
        }
        seeds.push_back(far);
    }
    std::vector<double> score(at(rows * count));
    for (Dim r = 0; r < rows; ++r)
        for (Dim b = 0; b < count; ++b)
            score[at(r * count + b)] = 2.0 - distance(r, seeds[at(b)]);
    return assignBalanced(rows, count, score);
}

void blockDiagonal(const WeightMatrix& m, Dim count, std::uint64_t seed, PruningMask& out)
{
    const Dim units = m.cols / m.kernelTaps;
    const std::vector<double> e = unitEnergy(m);
    // Two starts, side by side, the better kept: rows far apart in their profiles, and a seeded random one.
    std::vector<Dim> rowBlock, unitBlock, randomRows(at(m.rows)), randomUnits;
    double best = 0, other = 0;
    tbb::parallel_invoke(
        [&] {
            rowBlock = farthestPointStart(e, m.rows, units, count);
            best = alternate(e, m.rows, units, count, rowBlock, unitBlock);
        },
        [&] {
            for (Dim r = 0; r < m.rows; ++r)
                randomRows[at(r)] = r * count / m.rows;
            std::mt19937_64 random(seed);
            std::shuffle(randomRows.begin(), randomRows.end(), random);
            other = alternate(e, m.rows, units, count, randomRows, randomUnits);
        });
    if (other > best) {
        rowBlock = std::move(randomRows);
        unitBlock = std::move(randomUnits);
    }
    markBlocks(m, rowBlock, unitBlock, out.keep);
    // Orders that gather each block: by block, then by original index.
    out.rowOrder.resize(at(m.rows));
    std::iota(out.rowOrder.begin(), out.rowOrder.end(), Dim{0});
    std::stable_sort(out.rowOrder.begin(), out.rowOrder.end(), [&](Dim a, Dim b) { return rowBlock[at(a)] < rowBlock[at(b)]; });
    std::vector<Dim> unitOrder(at(units));
    std::iota(unitOrder.begin(), unitOrder.end(), Dim{0});
    std::stable_sort(unitOrder.begin(), unitOrder.end(), [&](Dim a, Dim b) { return unitBlock[at(a)] < unitBlock[at(b)]; });
    for (Dim u : unitOrder)
        for (Dim t = 0; t < m.kernelTaps; ++t)
            out.colOrder.push_back(u * m.kernelTaps + t);
}

void groups(const WeightMatrix& m, Dim count, Mask& keep)
{
    const Dim units = m.cols / m.kernelTaps;
    std::vector<Dim> rowBlock(at(m.rows)), unitBlock(at(units));
    for (Dim r = 0; r < m.rows; ++r)
        rowBlock[at(r)] = r / (m.rows / count);
    for (Dim u = 0; u < units; ++u)
        unitBlock[at(u)] = u / (units / count);
    markBlocks(m, rowBlock, unitBlock, keep);
}

}  // namespace

PruningMask pruneMatrix(const WeightMatrix& m, const PruningSpec& spec)
{
    PruningMask out;
    out.keep.assign(at(m.size()), 0);
    switch (spec.kind) {
    case PruningKind::None:
    case PruningKind::Circulant: std::fill(out.keep.begin(), out.keep.end(), 1); break;
    case PruningKind::Unstructured: unstructured(m, spec.density, out.keep); break;
    case PruningKind::LoadBalanced: loadBalanced(m, spec.density, spec.pes, out.keep); break;
    case PruningKind::TopK: groupwise(m, spec.group, spec.k, out.keep); break;
    case PruningKind::NM: groupwise(m, spec.m, spec.n, out.keep); break;
    case PruningKind::Block: blocks(m, spec.size, spec.density, out.keep); break;
    case PruningKind::Channel: channels(m, spec.keep, out.keep); break;
    case PruningKind::Group: groups(m, spec.groups, out.keep); break;
    case PruningKind::BlockDiagonal: blockDiagonal(m, spec.blocks, spec.seed, out); break;
    }
    double total = 0, removed = 0;
    for (Dim i = 0; i < m.size(); ++i) {
        const double e = static_cast<double>(m.values[at(i)]) * m.values[at(i)];
        total += e;
        if (out.keep[at(i)])
            ++out.kept;
        else
            removed += e;
    }
    out.prunedEnergy = total > 0 ? removed / total : 0.0;
    return out;
}

Dim expectedKept(const WeightMatrix& m, const PruningSpec& spec)
{
    auto groupwiseKept = [&](Dim group, Dim k) {
        const Dim full = m.cols / group, rest = m.cols % group;
        return m.rows * (full * k + std::min(k, rest));
    };
    switch (spec.kind) {
    case PruningKind::None:
    case PruningKind::Circulant: return m.size();
    case PruningKind::Unstructured: return std::llround(spec.density * static_cast<double>(m.size()));
    case PruningKind::Block: {
        const Dim blocks = ((m.rows + spec.size - 1) / spec.size) * ((m.cols + spec.size - 1) / spec.size);
        return std::llround(static_cast<double>(m.size()) * static_cast<double>(std::llround(spec.density * static_cast<double>(blocks))) /
                            static_cast<double>(blocks));
    }
    case PruningKind::LoadBalanced: {
        // The same count on every PE, as far as each PE's rows hold it.
        const Dim perPe = std::llround(spec.density * static_cast<double>(m.size()) / static_cast<double>(spec.pes));
        Dim kept = 0;
        for (Dim pe = 0; pe < spec.pes; ++pe)
            kept += std::min(perPe, (m.rows / spec.pes + (pe < m.rows % spec.pes ? 1 : 0)) * m.cols);
        return kept;
    }
    case PruningKind::TopK: return groupwiseKept(spec.group, spec.k);
    case PruningKind::NM: return groupwiseKept(spec.m, spec.n);
    case PruningKind::Channel: return std::max<Dim>(1, std::llround(spec.keep * static_cast<double>(m.rows))) * m.cols;
    case PruningKind::Group: return m.size() / spec.groups;
    case PruningKind::BlockDiagonal: return m.size() / spec.blocks;
    }
    return m.size();
}

CirculantProjection projectCirculant(const WeightMatrix& m, Dim b)
{
    CirculantProjection p;
    p.blockRows = (m.rows + b - 1) / b;
    p.blockCols = (m.cols + b - 1) / b;
    p.storedValues = p.blockRows * p.blockCols * b;
    if (!m.hasValues())
        return p;
    p.vectors.assign(at(p.storedValues), 0.0f);
    // The least-squares circulant block is the mean of each wrapped diagonal: element (i, j)
    // belongs to k = (i - j) mod b, the diagonals -k and b - k of the block. Blocks on the edge
    // are cut (their missing rows and columns are zero padding, which the projection ignores).
    using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const Matrix> w(m.values.data(), static_cast<Eigen::Index>(m.rows), static_cast<Eigen::Index>(m.cols));
    double total = 0, explained = 0;
    for (Dim br = 0; br < p.blockRows; ++br)
        for (Dim bc = 0; bc < p.blockCols; ++bc) {
            const auto block = w.block(static_cast<Eigen::Index>(br * b), static_cast<Eigen::Index>(bc * b),
                                       static_cast<Eigen::Index>(std::min(b, m.rows - br * b)), static_cast<Eigen::Index>(std::min(b, m.cols - bc * b)));
            float* vec = p.vectors.data() + (br * p.blockCols + bc) * b;
            total += block.cast<double>().squaredNorm();
            for (Eigen::Index k = 0; k < static_cast<Eigen::Index>(b); ++k) {
                double sum = 0;
                Eigen::Index count = 0;
                for (const Eigen::Index d : {-k, static_cast<Eigen::Index>(b) - k}) {
                    if (d == static_cast<Eigen::Index>(b) || d >= block.cols() || -d >= block.rows())
                        continue;
                    const auto diagonal = block.diagonal(d);
                    sum += diagonal.cast<double>().sum();
                    count += diagonal.size();
                }
                if (count == 0)
                    continue;
                const double mean = sum / static_cast<double>(count);
                vec[k] = static_cast<float>(mean);
                explained += mean * mean * static_cast<double>(count);  // sum (w - mean)^2 = sum w^2 - n mean^2
            }
        }
    p.relativeError = total > 0 ? std::sqrt(std::max(0.0, total - explained) / total) : 0.0;
    return p;
}

std::vector<Dim> nonzerosPerPe(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, Dim pes)
{
    std::vector<Dim> count(at(pes), 0);
    for (Dim r = 0; r < m.rows; ++r) {
        Dim n = 0;
        for (Dim c = 0; c < m.cols; ++c)
            n += keep[at(r * m.cols + c)];
        count[at(r % pes)] += n;
    }
    return count;
}

double imbalanceOf(const std::vector<Dim>& perPe)
{
    if (perPe.empty())
        return 1.0;
    const Dim total = std::accumulate(perPe.begin(), perPe.end(), Dim{0});
    if (total == 0)
        return 1.0;
    const double mean = static_cast<double>(total) / static_cast<double>(perPe.size());
    return static_cast<double>(*std::max_element(perPe.begin(), perPe.end())) / mean;
}

}  // namespace cdx
