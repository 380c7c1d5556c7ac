#pragma once

#include "core/network/layer.h"

#include <nlohmann/json_fwd.hpp>

namespace cdx {

class JsonObject;

/// Reads one layer object of the network JSON; throws InputError at the offending path.
Layer readLayerJson(JsonObject& object);

/// Writes the layer's name, kind, tensors and the parameters that differ from their defaults.
nlohmann::ordered_json layerToJson(const Layer& layer);

}  // namespace cdx
