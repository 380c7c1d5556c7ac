#pragma once

#include <cstddef>
#include <memory_resource>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

namespace cdx {

/// Which point each design-point key names: explore()'s record of what it has evaluated.
/// Looked up by the key's hash (computed beside the key, in parallel) and confirmed on the key
/// itself, so that the serial part of a batch is a few probes of integers rather than hashing
/// and comparing strings in a map of string nodes. Keys whose hashes collide with another
/// key's go to a map of strings. The hash map's nodes come from a monotonic buffer (one
/// allocation per many points, none freed before the index): glibc's malloc, called once per
/// point on this serial path, was a tenth of a two-thread exploration.
class KeyIndex {
public:
    void reserve(std::size_t points) { byHash_.reserve(points); }

    /// The point `key` names, or none. `keyOf(index)` is the key of a known point.
    template <class KeyOf>
    std::optional<std::size_t> find(const std::string& key, std::size_t hash, const KeyOf& keyOf) const
    {
        const auto it = byHash_.find(hash);
        if (it == byHash_.end())
            return std::nullopt;
        if (keyOf(it->second) == key)
            return it->second;
        const auto other = collided_.find(key);
        return other == collided_.end() ? std::nullopt : std::optional<std::size_t>(other->second);
    }

    /// The point `key` names, adding it as `index` when unknown; the second member says whether
    /// it was added.
    template <class KeyOf>
    std::pair<std::size_t, bool> tryEmplace(const std::string& key, std::size_t hash, std::size_t index, const KeyOf& keyOf)
    {
        const auto [it, added] = byHash_.try_emplace(hash, index);
        if (added || keyOf(it->second) == key)
            return {it->second, added};
        const auto [other, addedOther] = collided_.try_emplace(key, index);
        return {other->second, addedOther};
    }

private:
    std::pmr::monotonic_buffer_resource nodes_;
    std::pmr::unordered_map<std::size_t, std::size_t> byHash_{&nodes_};
    std::unordered_map<std::string, std::size_t> collided_;
};

}  // namespace cdx
