#include "core/network/layerparams.h"

namespace cdx {

LayerParams defaultParamsFor(LayerKind kind)
{
    switch (kind) {
    case LayerKind::Conv:
    case LayerKind::ConvTranspose: return ConvParams{};
    case LayerKind::FullyConnected: return FullyConnectedParams{};
    case LayerKind::MatMul: return MatMulParams{};
    case LayerKind::Lstm:
    case LayerKind::Gru:
    case LayerKind::Rnn: return RecurrentParams{};
    case LayerKind::Pool: return PoolParams{};
    case LayerKind::Eltwise: return EltwiseParams{};
    case LayerKind::Activation: return ActivationParams{};
    case LayerKind::BatchNorm: return BatchNormParams{};
    case LayerKind::LayerNorm: return LayerNormParams{};
    case LayerKind::Softmax: return SoftmaxParams{};
    case LayerKind::Reduce: return ReduceParams{};
    case LayerKind::Embedding: return EmbeddingParams{};
    case LayerKind::Reshape: return ReshapeParams{};
    case LayerKind::Transpose: return TransposeParams{};
    case LayerKind::Concat: return ConcatParams{};
    case LayerKind::Split: return SplitParams{};
    case LayerKind::Slice: return SliceParams{};
    case LayerKind::Flatten: return FlattenParams{};
    case LayerKind::Pad: return PadParams{};
    case LayerKind::Resize: return ResizeParams{};
    case LayerKind::Other: return OtherParams{};
    }
    return OtherParams{};
}

bool paramsMatchKind(LayerKind kind, const LayerParams& params)
{
    return defaultParamsFor(kind).index() == params.index();
}

}  // namespace cdx
