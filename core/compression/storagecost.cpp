#include "core/compression/storagecost.h"

#include <algorithm>
#include <cmath>

namespace cdx {

namespace {

std::size_t at(Dim i)
{
    return static_cast<std::size_t>(i);
}

StorageFormat resolve(const PruningSpec& pruning, const StorageSpec& storage)
{
    return storage.format == StorageFormat::Auto ? naturalFormat(pruning.kind) : storage.format;
}

bool structuredDense(PruningKind kind)
{
    return kind == PruningKind::None || kind == PruningKind::Channel || kind == PruningKind::Group || kind == PruningKind::BlockDiagonal;
}

/// Dense storage keeps every weight, or for a structure that shrinks the matrix its kept part.
StorageCost dense(const WeightMatrix& m, Dim kept, const PruningSpec& pruning, int valueBits)
{
    StorageCost s;
    s.format = StorageFormat::Dense;
    s.denseWeights = m.size();
    s.values = structuredDense(pruning.kind) ? kept : m.size();
    s.valueBits = s.values * valueBits;
    if (pruning.kind == PruningKind::BlockDiagonal) {
        const Dim units = m.cols / m.kernelTaps;
        s.pointerBits = m.rows * indexWidthFor(m.rows) + units * indexWidthFor(units);
    }
    return s;
}

Dim rowsOnPe(Dim rows, Dim pe, Dim pes)
{
    return rows / pes + (pe < rows % pes ? 1 : 0);
}

Dim blockEdge(const PruningSpec& pruning, const StorageSpec& storage)
{
    if (storage.blockSize > 0)
        return storage.blockSize;
    return pruning.kind == PruningKind::Block ? pruning.size : 4;
}

Dim groupLength(const WeightMatrix& m, const PruningSpec& pruning)
{
    if (pruning.kind == PruningKind::TopK)
        return pruning.group;
    if (pruning.kind == PruningKind::NM)
        return pruning.m;
    return m.cols;
}

/// Expected padding entries in a column of `length` positions with independent density d.
double expectedPadding(Dim length, double d, int indexBits)
{
    const Dim span = Dim{1} << indexBits;
    const double q = 1.0 - d, qSpan = std::pow(q, static_cast<double>(span));
    // A nonzero at position j carries floor(gap / span) pads; gap >= k span has probability q^(k span).
    double total = 0, tail = 0, power = 1;
    for (Dim j = 0; j < length; ++j) {
        if (j > 0 && j % span == 0) {
            power *= qSpan;
            tail += power;
        }
        total += d * tail;
    }
    return total;
}

}  // namespace

StorageCost& StorageCost::operator+=(const StorageCost& o)
{
    if (denseWeights == 0)
        format = o.format;  // a layer's matrices share their format
    denseWeights += o.denseWeights;
    values += o.values;
    paddingZeros += o.paddingZeros;
    valueBits += o.valueBits;
    indexBits += o.indexBits;
    pointerBits += o.pointerBits;
    scaleBits += o.scaleBits;
    indexWidth = std::max(indexWidth, o.indexWidth);
    exact = exact && o.exact;
    return *this;
}

StorageFormat naturalFormat(PruningKind kind)
{
    switch (kind) {
    case PruningKind::Unstructured:
    case PruningKind::LoadBalanced: return StorageFormat::Csc;
    case PruningKind::TopK:
    case PruningKind::NM: return StorageFormat::GroupIndex;
    case PruningKind::Block: return StorageFormat::Block;
    case PruningKind::Circulant: return StorageFormat::Circulant;
    default: return StorageFormat::Dense;
    }
}

int indexWidthFor(Dim count)
{
    int bits = 1;
    while ((Dim{1} << bits) < count && bits < 62)
        ++bits;
    return bits;
}

StorageCost storageCost(const WeightMatrix& m, const std::vector<std::uint8_t>& keep, const PruningSpec& pruning,
                        const StorageSpec& storage, int valueBits, Dim pes)
{
    Dim kept = 0;
    for (auto k : keep)
        kept += k;
    const StorageFormat format = resolve(pruning, storage);
    if (format != StorageFormat::Csc && format != StorageFormat::Block)
        return expectedStorageCost(m, kept, pruning, storage, valueBits, pes);  // these depend only on the count
    StorageCost s;
    s.format = format;
    s.denseWeights = m.size();
    if (format == StorageFormat::Csc) {
        s.indexWidth = storage.indexBits;
        const Dim span = Dim{1} << storage.indexBits;
        for (Dim pe = 0; pe < pes; ++pe) {
            Dim entries = 0;
            for (Dim c = 0; c < m.cols; ++c) {
                Dim gap = 0;
                for (Dim r = pe; r < m.rows; r += pes) {
                    if (!keep[at(r * m.cols + c)]) {
                        ++gap;
                        continue;
                    }
                    s.paddingZeros += gap / span;
                    entries += 1 + gap / span;
                    gap = 0;
                }
            }
            s.values += entries;
            s.pointerBits += (m.cols + 1) * indexWidthFor(entries + 1);
        }
        s.indexBits = s.values * storage.indexBits;
    } else {
        const Dim edge = blockEdge(pruning, storage);
        const Dim blockRows = (m.rows + edge - 1) / edge, blockCols = (m.cols + edge - 1) / edge;
        Dim keptBlocks = 0;
        for (Dim br = 0; br < blockRows; ++br)
            for (Dim bc = 0; bc < blockCols; ++bc) {
                bool any = false;
                Dim elements = 0;
                for (Dim r = br * edge; r < std::min(m.rows, (br + 1) * edge); ++r)
                    for (Dim c = bc * edge; c < std::min(m.cols, (bc + 1) * edge); ++c) {
                        any = any || keep[at(r * m.cols + c)];
                        ++elements;
                    }
                if (any) {
                    ++keptBlocks;
                    s.values += elements;
                }
            }
        s.indexWidth = indexWidthFor(blockCols);
        s.indexBits = keptBlocks * s.indexWidth;
        s.pointerBits = (blockRows + 1) * indexWidthFor(keptBlocks + 1);
    }
    s.paddingZeros = format == StorageFormat::Csc ? s.paddingZeros : 0;
    s.valueBits = s.values * valueBits;
    return s;
}

StorageCost expectedStorageCost(const WeightMatrix& m, Dim kept, const PruningSpec& pruning, const StorageSpec& storage,
                                int valueBits, Dim pes)
{
    const StorageFormat format = resolve(pruning, storage);
    StorageCost s;
    s.format = format;
    s.denseWeights = m.size();
    s.exact = format == StorageFormat::Dense || format == StorageFormat::GroupIndex || format == StorageFormat::Bitmap;
    switch (format) {
    case StorageFormat::Auto:
    case StorageFormat::Dense: return dense(m, kept, pruning, valueBits);
    case StorageFormat::Circulant: {
        const Dim b = pruning.kind == PruningKind::Circulant ? pruning.blockSize : 1;
        return circulantStorageCost(m, ((m.rows + b - 1) / b) * ((m.cols + b - 1) / b) * b, valueBits);
    }
    case StorageFormat::Bitmap:
        s.values = kept;
        s.indexBits = m.size();
        s.indexWidth = 1;
        break;
    case StorageFormat::GroupIndex:
        s.values = kept;
        s.indexWidth = indexWidthFor(groupLength(m, pruning));
        s.indexBits = kept * s.indexWidth;
        break;
    case StorageFormat::Csc: {
        const double d = m.size() > 0 ? static_cast<double>(kept) / static_cast<double>(m.size()) : 0.0;
        double padding = 0;
        for (Dim pe = 0; pe < pes; ++pe) {
            const Dim rows = rowsOnPe(m.rows, pe, pes);
            const double pePadding = static_cast<double>(m.cols) * expectedPadding(rows, d, storage.indexBits);
            const double entries = d * static_cast<double>(rows * m.cols) + pePadding;
            padding += pePadding;
            s.pointerBits += (m.cols + 1) * indexWidthFor(std::llround(entries) + 1);
        }
        s.paddingZeros = std::llround(padding);
        s.values = kept + s.paddingZeros;
        s.indexWidth = storage.indexBits;
        s.indexBits = s.values * storage.indexBits;
        break;
    }
    case StorageFormat::Block: {
        const Dim edge = blockEdge(pruning, storage);
        const Dim blockRows = (m.rows + edge - 1) / edge, blockCols = (m.cols + edge - 1) / edge;
        // Blocks of the average size (edge blocks are partial).
        const double blockElements = static_cast<double>(m.size()) / static_cast<double>(blockRows * blockCols);
        const Dim keptBlocks = std::min(blockRows * blockCols, static_cast<Dim>(std::ceil(static_cast<double>(kept) / blockElements - 1e-9)));
        s.values = std::llround(static_cast<double>(keptBlocks) * blockElements);
        s.indexWidth = indexWidthFor(blockCols);
        s.indexBits = keptBlocks * s.indexWidth;
        s.pointerBits = (blockRows + 1) * indexWidthFor(keptBlocks + 1);
        break;
    }
    }
    s.valueBits = s.values * valueBits;
    return s;
}

StorageCost circulantStorageCost(const WeightMatrix& m, Dim storedValues, int valueBits)
{
    StorageCost s;
    s.format = StorageFormat::Circulant;
    s.denseWeights = m.size();
    s.values = storedValues;
    s.valueBits = storedValues * valueBits;
    return s;
}

}  // namespace cdx
