#pragma once

#include "core/network/layer.h"

namespace cdx {

/// Checks the layer's parameters, fills their defaults (strides of 1, symmetric padding, ...)
/// and computes layer.outputShapes from layer.inputShapes. Throws InputError, without a
/// location, saying what does not fit; the caller adds which layer it is.
void inferLayerShapes(Layer& layer);

}  // namespace cdx
