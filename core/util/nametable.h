#pragma once

#include <array>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace cdx {

/// The names of an enumeration's values as the file formats spell them, in listing order.
template <class Enum, std::size_t N>
using NameTable = std::array<std::pair<Enum, std::string_view>, N>;

template <class Enum, std::size_t N>
std::string_view nameIn(const NameTable<Enum, N>& table, Enum value)
{
    for (const auto& [v, name] : table)
        if (v == value)
            return name;
    return "?";
}

template <class Enum, std::size_t N>
std::optional<Enum> valueIn(const NameTable<Enum, N>& table, std::string_view name)
{
    for (const auto& [v, n] : table)
        if (n == name)
            return v;
    return std::nullopt;
}

template <class Enum, std::size_t N>
std::vector<std::string_view> namesIn(const NameTable<Enum, N>& table)
{
    std::vector<std::string_view> names;
    for (const auto& entry : table)
        names.push_back(entry.second);
    return names;
}

}  // namespace cdx
