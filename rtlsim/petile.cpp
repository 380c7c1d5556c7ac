#include "rtlsim/petile.h"

#include <algorithm>

namespace cdx {

PeWork PeTile::work() const
{
    PeWork w;
    w.outputs = outputs();
    w.reduction = reduction;
    if (!indices.empty())
        for (const auto& row : weights)
            w.nonzeros.push_back(static_cast<Dim>(row.size()));
    return w;
}

Dim PeTile::products() const
{
    Dim n = 0;
    for (const auto& row : weights)
        n += static_cast<Dim>(row.size());
    return n;
}

std::int32_t codeMin(int bits, bool isSigned)
{
    return isSigned ? -(std::int32_t{1} << (bits - 1)) : 0;
}

std::int32_t codeMax(int bits, bool isSigned)
{
    return isSigned ? (std::int32_t{1} << (bits - 1)) - 1 : (std::int32_t{1} << bits) - 1;
}

PeStream packTile(const PeSpec& pe, const PeTile& tile)
{
    PeStream s;
    const std::size_t lanes = static_cast<std::size_t>(std::clamp(pe.lanes, 1, kPeMaxLanes));
    s.expectedOutputs = tile.outputs();
    if (pe.mode == PeMode::DenseTemporal) {
        for (std::size_t first = 0; first < tile.weights.size(); first += lanes) {
            const std::size_t group = std::min(lanes, tile.weights.size() - first);
            std::size_t length = 1;
            for (std::size_t l = 0; l < group; ++l)
                length = std::max(length, tile.weights[first + l].size());
            for (std::size_t k = 0; k < length; ++k) {
                PeBeat b;
                for (std::size_t l = 0; l < group; ++l) {
                    const auto& w = tile.weights[first + l];
                    if (k < w.size()) {
                        b.weight[l] = w[k];
                        b.activation[l] = tile.activations[first + l][k];
                        b.keep |= 1u << l;
                    }
                }
                // A lane with nothing to add still ends its group's reduction.
                if (k + 1 == length)
                    for (std::size_t l = 0; l < group; ++l)
                        b.keep |= 1u << l;
                b.last = k + 1 == length;
                s.beats.push_back(b);
            }
        }
        return s;
    }
    const bool sparse = pe.mode == PeMode::Sparse;
    if (sparse)
        s.activationBuffer = tile.activationVector;
    for (std::size_t o = 0; o < tile.weights.size(); ++o) {
        const auto& w = tile.weights[o];
        const std::size_t beats = std::max<std::size_t>(1, (w.size() + lanes - 1) / lanes);
        for (std::size_t b = 0; b < beats; ++b) {
            PeBeat beat;
            for (std::size_t l = 0; l < lanes; ++l) {
                const std::size_t k = b * lanes + l;
                if (k >= w.size())
                    break;
                beat.weight[l] = w[k];
                if (sparse)
                    beat.index[l] = tile.indices[o][k];
                else
                    beat.activation[l] = tile.activations[o][k];
                beat.keep |= 1u << l;
            }
            beat.last = b + 1 == beats;
            s.beats.push_back(beat);
        }
    }
    return s;
}

}  // namespace cdx
