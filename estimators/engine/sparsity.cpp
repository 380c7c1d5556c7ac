#include "estimators/engine/sparsity.h"

#include "estimators/engine/architecture.h"

#include <algorithm>
#include <cmath>

namespace cdx {

const char* sparseActionName(SparseAction action)
{
    switch (action) {
    case SparseAction::None: return "none";
    case SparseAction::Gate: return "gate";
    case SparseAction::Skip: return "skip";
    }
    return "?";
}

const char* sparseFormatName(SparseFormat format)
{
    switch (format) {
    case SparseFormat::Uncompressed: return "none";
    case SparseFormat::Bitmask: return "bitmask";
    case SparseFormat::CoordinatePayload: return "csr";
    case SparseFormat::RunLength: return "rle";
    }
    return "?";
}

std::optional<SparseAction> sparseActionFromName(std::string_view name)
{
    for (SparseAction a : {SparseAction::None, SparseAction::Gate, SparseAction::Skip})
        if (name == sparseActionName(a))
            return a;
    return std::nullopt;
}

std::optional<SparseFormat> sparseFormatFromName(std::string_view name)
{
    for (SparseFormat f : {SparseFormat::Uncompressed, SparseFormat::Bitmask, SparseFormat::CoordinatePayload, SparseFormat::RunLength})
        if (name == sparseFormatName(f))
            return f;
    return std::nullopt;
}

namespace {

/// Bits to count 0 .. n - 1 (at least one).
double indexBits(double n) { return std::max(1.0, std::ceil(std::log2(std::max(n, 2.0)))); }

}  // namespace

TileFootprint tileFootprint(SparseFormat format, Dim elements, Dim fiberLength, double density)
{
    const auto t = static_cast<double>(std::max<Dim>(elements, 0));
    const double nonzeros = t * std::clamp(density, 0.0, 1.0);
    TileFootprint f;
    switch (format) {
    case SparseFormat::Uncompressed: f.dataWords = t; break;
    case SparseFormat::Bitmask:
        f.dataWords = nonzeros;
        f.metadataBits = t;
        break;
    case SparseFormat::CoordinatePayload: {
        // A coordinate per nonzero within its fiber, an offset into the payload per fiber (and one more).
        const double fiber = static_cast<double>(std::clamp<Dim>(fiberLength, 1, std::max<Dim>(elements, 1)));
        const double fibers = std::ceil(t / fiber);
        f.dataWords = nonzeros;
        f.metadataBits = nonzeros * indexBits(fiber) + (fibers + 1) * indexBits(nonzeros + 1);
        break;
    }
    case SparseFormat::RunLength: {
        // Each zero run longer than the longest a run length counts stores a padding zero:
        // about one per 2^bits zeros (the expected count for long runs; an approximation).
        const double entries = nonzeros + (t - nonzeros) / static_cast<double>(1 << kRunLengthBits);
        f.dataWords = entries;
        f.metadataBits = entries * kRunLengthBits;
        break;
    }
    }
    return f;
}

namespace {

Dim scaled(Dim count, double factor) { return static_cast<Dim>(std::llround(static_cast<double>(count) * factor)); }

/// The probabilities, per data space, that a compute the data space takes part in is not
/// skipped (`skipKeep`) and is effectual (`keep`), judged on the *other* operands' zeros.
struct OperandKeep {
    double skipKeep = 1;
    double keep = 1;
};

OperandKeep keepByOthers(const Problem& problem, const Architecture& arch, int pv, const std::array<double, kMaxDataSpaces>& density)
{
    OperandKeep k;
    for (int q = 0; q < problem.dataSpaceCount(); ++q) {
        if (q == pv || problem.dataSpaces[static_cast<std::size_t>(q)].readWrite)
            continue;
        const SparseAction a = arch.sparse.compute[static_cast<std::size_t>(q)];
        if (a == SparseAction::Skip)
            k.skipKeep *= density[static_cast<std::size_t>(q)];
        if (a != SparseAction::None)
            k.keep *= density[static_cast<std::size_t>(q)];
    }
    return k;
}

/// The computes: effectual ones performed, the rest gated or skipped on the operands' zeros.
void sparseComputes(const Problem& problem, const Architecture& arch, const SparseNestInfo& info,
                    const std::array<double, kMaxDataSpaces>& density, EngineStats& out)
{
    const OperandKeep k = keepByOthers(problem, arch, -1, density);
    const auto dense = static_cast<double>(info.denseComputes);
    out.computes = static_cast<Dim>(std::llround(dense * k.keep));
    out.gatedComputes = std::max<Dim>(static_cast<Dim>(std::llround(dense * k.skipKeep)) - out.computes, 0);
    out.skippedComputes = std::max<Dim>(info.denseComputes - out.computes - out.gatedComputes, 0);
    // Sparseloop's expected-value model: skipped work shortens every unit's run alike (the
    // nonzeros are spread evenly over the units; no load imbalance).
    out.computeCycles = std::max<Dim>(1, static_cast<Dim>(std::ceil(static_cast<double>(info.denseComputeCycles) * k.skipKeep)));
}

/// One data space over the levels, outermost first (a level knows whether one above it is compressed).
void sparseDataSpace(const Problem& problem, const Architecture& arch, const SparseNestInfo& info,
                     const std::array<double, kMaxDataSpaces>& density, int pv, EngineStats& out)
{
    const auto kp = static_cast<std::size_t>(pv);
    const bool readWrite = problem.dataSpaces[kp].readWrite;
    const double d = density[kp];
    int innermost = -1;
    for (int i = 0; i < out.levels && innermost < 0; ++i)
        if (out.level[static_cast<std::size_t>(i)].dataSpaces[kp].kept)
            innermost = i;
    // An access at the innermost keeper serves `fanIn` computes: needed when any is effectual.
    const OperandKeep others = keepByOthers(problem, arch, pv, density);
    const auto fanIn = static_cast<double>(std::max<Dim>(info.fanIn[kp], 1));
    const double accessSkipKeep = 1 - std::pow(1 - others.skipKeep, fanIn);
    const double accessKeep = 1 - std::pow(1 - others.keep, fanIn);
    const bool skips = arch.sparse.compute[kp] == SparseAction::Skip;
    bool compressedAbove = false;
    for (int i = out.levels - 1; i >= 0; --i) {
        const auto ki = static_cast<std::size_t>(i);
        DataSpaceStats& s = out.level[ki].dataSpaces[kp];
        if (!s.kept)
            continue;
        const StorageLevel& level = arch.storage[ki];
        const SparseFormat format = readWrite ? SparseFormat::Uncompressed : level.formats[kp];
        const bool compressed = format != SparseFormat::Uncompressed;
        // Values moved per dense element: the stored ones of a compressed tile; below a
        // compressed level, a skipped operand's zeros never arrive either.
        double own = 1;
        if (compressed) {
            const TileFootprint fp = tileFootprint(format, s.capacity, info.fiber[ki][kp], d);
            const double elements = static_cast<double>(std::max<Dim>(s.capacity, 1));
            own = fp.dataWords / elements;
            const double metadataPerElement = fp.metadataBits / elements / std::max(level.wordBits, 1);
            s.metadataCapacity = static_cast<Dim>(std::ceil(fp.metadataBits / std::max(level.wordBits, 1)));
            s.metadataReads = scaled(s.reads, metadataPerElement);
            s.metadataFills = scaled(s.fills, metadataPerElement);
            s.capacity = static_cast<Dim>(std::ceil(fp.dataWords));
        } else if (!readWrite && skips && compressedAbove) {
            own = d;
        }
        s.fills = scaled(s.fills, own);
        if (i == innermost && readWrite) {
            const Dim updates = s.updates;
            s.updates = scaled(updates, accessKeep);
            s.gatedReads = std::max<Dim>(scaled(updates, accessSkipKeep) - s.updates, 0);
            s.reads = scaled(s.reads, accessKeep);
            s.temporalReductions = s.reads;
        } else if (i == innermost) {
            const Dim reads = s.reads;
            s.reads = scaled(reads, own * accessKeep);
            s.gatedReads = std::max<Dim>(scaled(reads, own * accessSkipKeep) - s.reads, 0);
        } else {
            s.reads = scaled(s.reads, own);
        }
        s.addressGenerations = (readWrite ? s.updates : s.reads) + s.fills;
        compressedAbove = compressedAbove || compressed;
    }
}

}  // namespace

void applySparsity(const Problem& problem, const Architecture& arch, const SparseNestInfo& info, EngineStats& out)
{
    std::array<double, kMaxDataSpaces> density{};
    for (int pv = 0; pv < kMaxDataSpaces; ++pv) {
        const double d = problem.densities[static_cast<std::size_t>(pv)];
        density[static_cast<std::size_t>(pv)] = std::isfinite(d) ? std::clamp(d, 0.0, 1.0) : 1.0;
    }
    sparseComputes(problem, arch, info, density, out);
    for (int pv = 0; pv < problem.dataSpaceCount(); ++pv)
        sparseDataSpace(problem, arch, info, density, pv, out);
}

}  // namespace cdx
