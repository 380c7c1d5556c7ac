#include "core/compression/pruningspec.h"

#include "core/util/nametable.h"

#include <array>
#include <cstdio>
#include <utility>

namespace cdx {

namespace {

constexpr NameTable<PruningKind, 10> kNames{{
    {PruningKind::None, "none"},
    {PruningKind::Unstructured, "unstructured"},
    {PruningKind::LoadBalanced, "load_balanced"},
    {PruningKind::TopK, "topk"},
    {PruningKind::BlockDiagonal, "block_diagonal"},
    {PruningKind::Channel, "channel"},
    {PruningKind::NM, "nm"},
    {PruningKind::Block, "block"},
    {PruningKind::Circulant, "circulant"},
    {PruningKind::Group, "group"},
}};

std::string number(double v)
{
    char text[32];
    std::snprintf(text, sizeof text, "%g", v);
    return text;
}

}  // namespace

std::string_view pruningKindName(PruningKind kind)
{
    return nameIn(kNames, kind);
}

std::optional<PruningKind> pruningKindFromName(std::string_view name)
{
    return valueIn(kNames, name);
}

std::vector<std::string_view> pruningKindNames()
{
    return namesIn(kNames);
}

double PruningSpec::nominalDensity() const
{
    switch (kind) {
    case PruningKind::Unstructured:
    case PruningKind::LoadBalanced:
    case PruningKind::Block: return density;
    case PruningKind::TopK: return group > 0 ? static_cast<double>(k) / static_cast<double>(group) : 1.0;
    case PruningKind::NM: return m > 0 ? static_cast<double>(n) / static_cast<double>(m) : 1.0;
    case PruningKind::BlockDiagonal: return blocks > 0 ? 1.0 / static_cast<double>(blocks) : 1.0;
    case PruningKind::Group: return groups > 0 ? 1.0 / static_cast<double>(groups) : 1.0;
    case PruningKind::Channel: return keep;
    case PruningKind::Circulant: return blockSize > 0 ? 1.0 / static_cast<double>(blockSize) : 1.0;
    case PruningKind::None: return 1.0;
    }
    return 1.0;
}

std::string PruningSpec::describe() const
{
    const std::string name(pruningKindName(kind));
    switch (kind) {
    case PruningKind::None: return "dense";
    case PruningKind::Unstructured: return name + " " + number(density);
    case PruningKind::LoadBalanced: return name + " " + number(density) + " over " + std::to_string(pes) + " PEs";
    case PruningKind::TopK: return name + " (" + std::to_string(group) + "," + std::to_string(k) + ")";
    case PruningKind::BlockDiagonal: return name + " " + std::to_string(blocks) + " blocks";
    case PruningKind::Channel: return name + " keep " + number(keep);
    case PruningKind::NM: return std::to_string(n) + ":" + std::to_string(m);
    case PruningKind::Block: return name + " " + std::to_string(size) + "x" + std::to_string(size) + " " + number(density);
    case PruningKind::Circulant: return name + " b=" + std::to_string(blockSize);
    case PruningKind::Group: return name + " " + std::to_string(groups) + " groups";
    }
    return name;
}

}  // namespace cdx
