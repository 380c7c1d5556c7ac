#pragma once

#include "core/network/shape.h"
#include "estimators/engine/sparsity.h"

#include <string>
#include <vector>

namespace cdx {

/// Energy per action of a storage level (pJ per access of one block of words) and its leakage
/// per instance and cycle, with where each number came from.
struct StorageActions {
    double readPj = 0;
    double writePj = 0;   ///< a fill from the level above
    double updatePj = 0;  ///< a write of a partial result from below
    double leakPj = 0;    ///< per instance per cycle
    std::string source;   ///< "ERT", "technology model", ...
};

/// A storage level of the hierarchy. Levels are listed innermost (next to compute) first.
struct StorageLevel {
    std::string name;
    int meshX = 1;
    int meshY = 1;
    Dim depth = 0;          ///< words per instance; 0 means unbounded (DRAM)
    int wordBits = 8;       ///< bits per word (datawidth)
    int blockSize = 1;      ///< words per access (width / datawidth)
    double readBandwidth = 0;    ///< words per cycle per instance; 0 means unlimited
    double writeBandwidth = 0;
    double sharedBandwidth = 0;
    double multipleBuffering = 1;
    bool dummy = false;     ///< only a point of spatial fan-out (Timeloop's dummy_storage): holds nothing
    std::string technology; ///< "SRAM", "DRAM", "regfile", ...
    StorageActions actions;
    double areaUm2 = 0;     ///< per instance
    /// How the level represents each data space (Sparseloop's per-level formats); only read-only
    /// data spaces are compressed, and only while Architecture::sparse is active.
    std::array<SparseFormat, kMaxDataSpaces> formats{};
    /// Elements of each data space one word holds: 1 (or 0) stores one per word; n > 1 stores
    /// narrow values packed n to a word (4-bit weights in an 8-bit word: 2), which divides the
    /// words that data space occupies and moves. Timeloop has no such notion: its cases keep 1.
    std::array<int, kMaxDataSpaces> elementsPerWord{};

    Dim instances() const { return static_cast<Dim>(meshX) * meshY; }
    /// The words `elements` of data space `pv` take at this level.
    Dim words(int pv, Dim elements) const
    {
        const Dim n = elementsPerWord[static_cast<std::size_t>(pv)];
        return n > 1 ? (elements + n - 1) / n : elements;
    }
};

/// The compute units at the bottom of the hierarchy.
struct ArithmeticLevel {
    std::string name;
    int meshX = 1;
    int meshY = 1;
    int wordBits = 8;
    double computePj = 0;  ///< per operation
    double leakPj = 0;     ///< per instance per cycle
    double areaUm2 = 0;    ///< per instance
    std::string source;

    Dim instances() const { return static_cast<Dim>(meshX) * meshY; }
};

struct Architecture {
    std::string name;
    std::vector<StorageLevel> storage;  ///< innermost first
    ArithmeticLevel arithmetic;
    double cycleSeconds = 1e-9;
    SparseFeatures sparse;  ///< gating and skipping of zeros; inactive: a dense design

    int levels() const { return static_cast<int>(storage.size()); }
};

}  // namespace cdx
