#pragma once

#include "estimators/engine/enginestats.h"
#include "estimators/engine/problem.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace cdx {

/// What the hardware does with the zeros of an operand (Sparseloop's sparse acceleration
/// features, SAFs). The densities are expected values of a uniform random distribution.
enum class SparseAction : std::uint8_t {
    None,  ///< zeros are computed on like any value
    Gate,  ///< a compute with a zero operand, and the accesses feeding it, are gated: energy saved, cycles not
    Skip,  ///< they are skipped: energy and cycles saved
};

/// How a storage level represents an operand's tile (Sparseloop's representation formats).
enum class SparseFormat : std::uint8_t {
    Uncompressed,       ///< every element stored, no metadata
    Bitmask,            ///< nonzeros plus one bit per element (Sparseloop's B)
    CoordinatePayload,  ///< CSR: nonzeros with their coordinate in the fiber, an offset per fiber (UOP + CP)
    RunLength,          ///< nonzeros with the run of zeros before each, padded zeros for longer runs (RLE)
};

const char* sparseActionName(SparseAction action);
const char* sparseFormatName(SparseFormat format);
/// "none", "gate", "skip".
std::optional<SparseAction> sparseActionFromName(std::string_view name);
/// "none", "bitmask", "csr", "rle".
std::optional<SparseFormat> sparseFormatFromName(std::string_view name);

/// Bits of a run-length entry (an assumption: EIE's 4-bit relative index); runs of more zeros
/// than it can count store a padding zero.
inline constexpr int kRunLengthBits = 4;

/// The expected footprint of a tile of `elements` elements, in fibers of `fiberLength`
/// elements (its innermost axis), at `density` nonzeros.
struct TileFootprint {
    double dataWords = 0;     ///< values stored (nonzeros, plus RLE's padding zeros)
    double metadataBits = 0;  ///< bitmask, coordinates, offsets or run lengths
};

TileFootprint tileFootprint(SparseFormat format, Dim elements, Dim fiberLength, double density);

/// The sparse acceleration of a design: per operand what the compute units (and the accesses
/// at the levels next to them) do with its zeros. The formats are per level, in StorageLevel.
struct SparseFeatures {
    std::array<SparseAction, kMaxDataSpaces> compute{};
    /// Set when any feature or format is on; off, the engine runs its dense path untouched.
    bool active = false;
};

struct Architecture;

/// What the sparse pass needs of an evaluation beyond its dense statistics.
struct SparseNestInfo {
    /// Elements along the innermost axis of each level's tile of each data space (its fibers).
    std::array<std::array<Dim, kMaxDataSpaces>, kMaxLevels> fiber{};
    /// Computes one compute-side access of the data space's innermost keeper serves (the
    /// multicast or spatial reduction of the fan-outs below it).
    std::array<Dim, kMaxDataSpaces> fanIn{};
    Dim denseComputes = 0;
    Dim denseComputeCycles = 0;
};

/// Sparseloop's analytical model over the dense counts of `out` (expected values of uniformly
/// random zeros at Problem::densities): compressed tiles hold and move the nonzeros plus
/// their metadata (capacity, reads, fills); at the level next to the compute units the
/// operands and results of gated or skipped computes are gated or skipped too (an access
/// serving k computes is needed when any of them is effectual); computes with a zero operand
/// are gated or skipped, and skipping shrinks the compute cycles. Energy and bandwidth are
/// left to the caller, which charges metadata and gated accesses (the latter in bandwidth only).
void applySparsity(const Problem& problem, const Architecture& arch, const SparseNestInfo& info, EngineStats& out);

}  // namespace cdx
