#include "core/compression/storagespec.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

constexpr std::array<std::pair<StorageFormat, std::string_view>, 7> kNames{{
    {StorageFormat::Auto, "auto"},
    {StorageFormat::Dense, "dense"},
    {StorageFormat::Csc, "csc"},
    {StorageFormat::Bitmap, "bitmap"},
    {StorageFormat::Block, "block"},
    {StorageFormat::Circulant, "circulant"},
    {StorageFormat::GroupIndex, "group_index"},
}};

}  // namespace

std::string_view storageFormatName(StorageFormat format)
{
    for (const auto& [f, name] : kNames)
        if (f == format)
            return name;
    return "?";
}

std::optional<StorageFormat> storageFormatFromName(std::string_view name)
{
    for (const auto& [f, n] : kNames)
        if (n == name)
            return f;
    return std::nullopt;
}

std::vector<std::string_view> storageFormatNames()
{
    std::vector<std::string_view> names;
    for (const auto& entry : kNames)
        names.push_back(entry.second);
    return names;
}

}  // namespace cdx
