#include "core/explore/keyindex.h"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace cdx;

TEST_CASE("KeyIndex: keys found by hash, and told apart when their hashes collide", "[explore]")
{
    std::vector<std::string> keys;
    const auto keyOf = [&keys](std::size_t i) -> const std::string& { return keys.at(i); };
    KeyIndex index;
    auto add = [&](const std::string& key, std::size_t hash) {
        const auto [at, added] = index.tryEmplace(key, hash, keys.size(), keyOf);
        if (added)
            keys.push_back(key);
        return std::pair{at, added};
    };
    CHECK(add("0.1.2", 7) == std::pair<std::size_t, bool>{0, true});
    CHECK(add("3.4.5", 9) == std::pair<std::size_t, bool>{1, true});
    CHECK(add("0.1.2", 7) == std::pair<std::size_t, bool>{0, false});
    // Another key with the same hash is a new point, and found again as itself.
    CHECK(add("6.7.8", 7) == std::pair<std::size_t, bool>{2, true});
    CHECK(add("6.7.8", 7) == std::pair<std::size_t, bool>{2, false});
    CHECK(add("0.1.2", 7) == std::pair<std::size_t, bool>{0, false});
    CHECK(index.find("6.7.8", 7, keyOf) == std::optional<std::size_t>{2});
    CHECK(index.find("0.1.2", 7, keyOf) == std::optional<std::size_t>{0});
    CHECK(index.find("3.4.5", 9, keyOf) == std::optional<std::size_t>{1});
    CHECK_FALSE(index.find("9.9.9", 7, keyOf).has_value());  // a hash known, the key not
    CHECK_FALSE(index.find("9.9.9", 1, keyOf).has_value());
}
