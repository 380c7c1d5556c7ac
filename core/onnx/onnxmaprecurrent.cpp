// LSTM, GRU and RNN. The network model's recurrent layer writes [T, N, D*H]; ONNX's outputs
// Y [T, D, N, H], Y_h and Y_c [D, N, H] (or batch-first with layout = 1) are shape-only views
// of it, built with slice, reshape and transpose layers.
#include "core/onnx/onnxmappers.h"

#include "core/util/error.h"

namespace cdx {

namespace {

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

std::string emitShapeLayer(OnnxImportContext& ctx, const OnnxNode& node, const std::string& suffix, LayerKind kind,
                           const std::string& input, LayerParams params, const std::string& output = {})
{
    Layer layer;
    layer.name = ctx.layerName(node, suffix);
    layer.kind = kind;
    layer.inputs = {input};
    layer.outputs = {output.empty() ? layer.name : output};
    layer.params = std::move(params);
    const std::string out = layer.outputs[0];
    ctx.emit(node, std::move(layer));
    return out;
}

void mapRecurrent(const OnnxNode& node, OnnxImportContext& ctx)
{
    const LayerKind kind = node.opType == "LSTM" ? LayerKind::Lstm : node.opType == "GRU" ? LayerKind::Gru : LayerKind::Rnn;
    const Dim gates = kind == LayerKind::Lstm ? 4 : kind == LayerKind::Gru ? 3 : 1;
    std::string x = ctx.requireActivation(node, 0, "X");
    const OnnxTensor& w = ctx.requireConstant(node, 1, "W");
    const OnnxTensor& r = ctx.requireConstant(node, 2, "R");
    if (w.dims.size() != 3 || r.dims.size() != 3)
        fail("W and R must have rank 3, got " + formatShape(w.dims) + " and " + formatShape(r.dims));
    const std::string direction = node.stringAttr("direction", "forward");
    const Dim directions = direction == "bidirectional" ? 2 : 1;
    if (direction != "forward" && direction != "reverse" && direction != "bidirectional")
        fail("unknown direction \"" + direction + "\"");
    const Dim hidden = node.intAttr("hidden_size", r.dims[2]);
    if (w.dims[0] != directions || w.dims[1] != gates * hidden || r.dims[1] != gates * hidden || r.dims[2] != hidden)
        fail("W " + formatShape(w.dims) + " and R " + formatShape(r.dims) + " do not fit hidden_size " +
             std::to_string(hidden) + " with " + std::to_string(directions) + " direction(s)");
    const bool batchFirst = node.intAttr("layout", 0) != 0;
    if (batchFirst)
        x = emitShapeLayer(ctx, node, "/to_sequence_first", LayerKind::Transpose, x, TransposeParams{{1, 0, 2}});
    if (ctx.shape(x).size() != 3 || ctx.shape(x)[2] != w.dims[2])
        fail("input " + formatShape(ctx.shape(x)) + " does not meet W " + formatShape(w.dims));

    RecurrentParams p;
    p.hidden = hidden;
    p.directions = directions;
    p.biasVectors = node.hasInput(3) ? 2 : 0;
    p.peepholes = kind == LayerKind::Lstm && node.hasInput(7);
    Layer layer;
    layer.name = ctx.layerName(node);
    layer.kind = kind;
    layer.inputs = {x};
    // Initial states are read too; they do not change the shapes.
    for (std::size_t i : {std::size_t{5}, std::size_t{6}})
        if (node.hasInput(i) && ctx.isActivation(node.inputs[i]))
            layer.inputs.push_back(ctx.resolve(node.inputs[i]));
    layer.outputs = {layer.name + ":sequence"};
    layer.params = p;
    layer.weightData.push_back(OnnxImportContext::weightOf(w, "weight", node, 1));
    layer.weightData.push_back(OnnxImportContext::weightOf(r, "recurrence", node, 2));
    if (node.hasInput(3))
        layer.weightData.push_back(OnnxImportContext::weightOf(ctx.requireConstant(node, 3, "B"), "bias"));
    if (p.peepholes)
        layer.weightData.push_back(OnnxImportContext::weightOf(ctx.requireConstant(node, 7, "P"), "peephole"));
    const std::string sequence = layer.outputs[0];
    ctx.emit(node, std::move(layer));

    const Shape& seq = ctx.shape(sequence);  // [T, N, D*H]
    const Dim steps = seq[0], batch = seq[1];
    if (node.outputs.size() > 0 && !node.outputs[0].empty()) {
        const std::string split = emitShapeLayer(ctx, node, "/Y/heads", LayerKind::Reshape, sequence,
                                                 ReshapeParams{{steps, batch, directions, hidden}});
        emitShapeLayer(ctx, node, "/Y", LayerKind::Transpose, split,
                       TransposeParams{batchFirst ? std::vector<Dim>{1, 0, 2, 3} : std::vector<Dim>{0, 2, 1, 3}},
                       node.outputs[0]);
    }
    // The last hidden (and cell) state: the final step of the sequence, as [D, N, H].
    for (std::size_t k = 1; k < std::min<std::size_t>(node.outputs.size(), kind == LayerKind::Lstm ? 3 : 2); ++k) {
        if (node.outputs[k].empty())
            continue;
        const std::string tag = k == 1 ? "/Y_h" : "/Y_c";
        const std::string last = emitShapeLayer(ctx, node, tag + "/last", LayerKind::Slice, sequence,
                                                SliceParams{{0}, {steps - 1}, {steps}, {}});
        if (batchFirst) {
            emitShapeLayer(ctx, node, tag, LayerKind::Reshape, last, ReshapeParams{{batch, directions, hidden}},
                           node.outputs[k]);
        } else {
            const std::string split = emitShapeLayer(ctx, node, tag + "/heads", LayerKind::Reshape, last,
                                                     ReshapeParams{{batch, directions, hidden}});
            emitShapeLayer(ctx, node, tag, LayerKind::Transpose, split, TransposeParams{{1, 0, 2}}, node.outputs[k]);
        }
    }
}

}  // namespace

void addRecurrentMappers(std::map<std::string, OnnxMapper>& table)
{
    table["LSTM"] = mapRecurrent;
    table["GRU"] = mapRecurrent;
    table["RNN"] = mapRecurrent;
}

}  // namespace cdx
