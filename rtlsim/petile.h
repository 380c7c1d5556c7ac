#pragma once

#include "estimators/pe/pespec.h"
#include "rtlsim/pestream.h"

#include <cstdint>
#include <vector>

namespace cdx {

/// The work of one PE in integer codes: `weights[i]` and `activations[i]` are the operands of
/// output i's reduction (dense, in order). Sparse tiles keep only the non-zero weights of each
/// output with the activation-buffer index of each, and one shared activation vector.
struct PeTile {
    std::vector<std::vector<std::int32_t>> weights;
    std::vector<std::vector<std::int32_t>> activations;    ///< dense only
    std::vector<std::vector<std::uint16_t>> indices;       ///< sparse only
    std::vector<std::int32_t> activationVector;            ///< sparse only
    Dim reduction = 0;                                     ///< products of a dense output (sparse: the vector's length)

    Dim outputs() const { return static_cast<Dim>(weights.size()); }
    /// The shape the PE-level cycle model takes.
    PeWork work() const;
    /// Products of the tile (sparse: the non-zeros).
    Dim products() const;
};

/// Packs a tile into the PE's stream for `pe`'s mode: spatial, sparse and bit-serial modes
/// send ceil(products / lanes) beats per output (an empty sparse row one beat with no lane
/// kept), temporal mode gives each lane an output and sends one beat per product of a group.
PeStream packTile(const PeSpec& pe, const PeTile& tile);

/// The range of an operand's codes: [-(2^(b-1)), 2^(b-1) - 1] signed, [0, 2^b - 1] unsigned.
std::int32_t codeMin(int bits, bool isSigned);
std::int32_t codeMax(int bits, bool isSigned);

}  // namespace cdx
