#pragma once
// Helpers of the estimator tests: a shipped project with its network, its estimate (with
// template parameters overridden), a layer of the result, a relative tolerance.
#include "core/project/project.h"
#include "estimators/estimate/estimator.h"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <string>

namespace cdx::testing {

/// A project from `projects/` and the network it names.
struct Loaded {
    Project project;
    Network network;
};

inline Loaded load(const std::string& file)
{
    auto project = loadProjectFile(std::string(CDX_PROJECTS_DIR) + "/" + file);
    INFO((project.ok() ? std::string() : project.error().describe()));
    REQUIRE(project.ok());
    auto network = loadProjectNetwork(project.value());
    INFO((network.ok() ? std::string() : network.error().describe()));
    REQUIRE(network.ok());
    return {std::move(project).value(), std::move(network).value()};
}

inline NetworkResult estimate(const Project& project, const Network& network)
{
    auto r = Estimator().estimate(project, network);
    INFO((r.ok() ? std::string() : r.error().describe()));
    REQUIRE(r.ok());
    return std::move(r).value();
}

/// The project's estimate with `params` over its hardware parameters.
inline NetworkResult estimate(const Loaded& l, const nlohmann::ordered_json& params = nlohmann::ordered_json::object())
{
    Project p = l.project;
    for (auto it = params.begin(); it != params.end(); ++it)
        p.hardware["params"][it.key()] = it.value();
    return estimate(p, l.network);
}

inline const LayerResult& layer(const NetworkResult& r, const std::string& name)
{
    const auto it = std::find_if(r.layers.begin(), r.layers.end(), [&](const LayerResult& l) { return l.name == name; });
    INFO("layer " << name);
    REQUIRE(it != r.layers.end());
    return *it;
}

/// |value - expected| within `tolerance` (relative) of expected.
inline bool within(double value, double expected, double tolerance)
{
    return std::abs(value - expected) <= tolerance * expected;
}

}  // namespace cdx::testing
