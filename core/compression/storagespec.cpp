#include "core/compression/storagespec.h"

#include "core/util/nametable.h"

#include <array>
#include <utility>

namespace cdx {

namespace {

constexpr NameTable<StorageFormat, 7> kNames{{
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
    return nameIn(kNames, format);
}

std::optional<StorageFormat> storageFormatFromName(std::string_view name)
{
    return valueIn(kNames, name);
}

std::vector<std::string_view> storageFormatNames()
{
    return namesIn(kNames);
}

}  // namespace cdx
