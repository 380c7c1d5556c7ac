#include "core/network/attentionblocks.h"

namespace cdx {

namespace {

const Layer* producerOf(const Network& net, const std::string& tensor)
{
    const Network::Tensor* t = net.findTensor(tensor);
    if (!t || t->producer < 0)
        return nullptr;
    return &net.layers()[static_cast<std::size_t>(t->producer)];
}

}  // namespace

std::vector<AttentionBlock> findAttentionBlocks(const Network& net)
{
    std::vector<AttentionBlock> blocks;
    for (const Layer& softmax : net.layers()) {
        if (softmax.kind != LayerKind::Softmax)
            continue;
        // Back from the softmax over scaling and masking to the scores.
        const Layer* scores = producerOf(net, softmax.inputs[0]);
        while (scores && scores->kind == LayerKind::Eltwise)
            scores = producerOf(net, scores->inputs[0]);
        if (!scores || scores->kind != LayerKind::MatMul)
            continue;
        // Forward to the one matmul that weighs the values.
        const Network::Tensor* probabilities = net.findTensor(softmax.outputs[0]);
        const Layer* context = nullptr;
        for (int c : probabilities->consumers) {
            const Layer& reader = net.layers()[static_cast<std::size_t>(c)];
            if (reader.kind == LayerKind::MatMul && reader.inputs[0] == softmax.outputs[0])
                context = &reader;
        }
        if (!context)
            continue;
        AttentionBlock block;
        block.scores = scores->name;
        block.softmax = softmax.name;
        block.context = context->name;
        const Shape& q = scores->inputShapes[0];
        const bool transposed = std::get<MatMulParams>(scores->params).transposeA;
        block.headDim = transposed ? q[q.size() - 2] : q.back();
        block.sequence = transposed ? q.back() : q[q.size() - 2];
        block.heads = q.size() >= 4 ? q[q.size() - 3] : 1;
        block.width = block.heads * block.headDim;
        blocks.push_back(block);
    }
    return blocks;
}

}  // namespace cdx
