#pragma once

#include "core/network/layer.h"

namespace cdx {

/// Counts MACs, parameters, weights, activation elements and non-MAC operations of a layer
/// whose shapes are known (after inferLayerShapes). Throws CountOverflow past 64 bits.
///
/// Conventions for non-MAC operations (ops), per output element unless said otherwise:
/// bias add 1; pooling one comparison or add per window element; element-wise op one per
/// operand beyond the first; activation function 1; batch norm 2 (scale and shift, after
/// folding the statistics); layer norm 7 (mean, subtract, square, variance, scale by the inverse
/// deviation, gamma, beta); softmax 3 (exp, sum, divide); linear resize 3 per resized axis,
/// cubic 7; nearest resize and shape ops 0. Recurrent cells per step and hidden unit: LSTM
/// 9 (three sigmoids, two tanh, f*c, i*g, their sum, o*tanh(c)), GRU 8, RNN 1, plus one add per
/// bias vector and gate. Peephole and projection weights count as MACs. Reductions: one op per
/// input element.
///
/// Parameters: the learnable parameters by structure (as torchvision counts them: batch-norm
/// running statistics are buffers, not parameters), or, when the layer carries the constants
/// of the file it came from (Layer::weightData), the elements of those constants.
LayerCounts countLayer(const Layer& layer);

}  // namespace cdx
