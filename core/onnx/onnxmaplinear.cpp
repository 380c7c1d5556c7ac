// Gemm and MatMul: a constant operand makes a fully connected layer; two activations a matmul.
#include "core/onnx/onnxmappers.h"

#include "core/util/error.h"

namespace cdx {

namespace {

[[noreturn]] void fail(const std::string& message) { throw InputError({}, message); }

/// Swaps the last two axes of an activation with a transpose layer; returns the new tensor.
std::string transposeLastTwo(OnnxImportContext& ctx, const OnnxNode& node, const std::string& x, const std::string& suffix)
{
    const std::size_t rank = ctx.shape(x).size();
    if (rank < 2)
        fail("cannot transpose an operand of rank " + std::to_string(rank));
    std::vector<Dim> perm(rank);
    for (std::size_t i = 0; i < rank; ++i)
        perm[i] = static_cast<Dim>(i);
    std::swap(perm[rank - 1], perm[rank - 2]);
    Layer t;
    t.name = ctx.layerName(node, suffix);
    t.kind = LayerKind::Transpose;
    t.inputs = {x};
    t.outputs = {t.name};
    t.params = TransposeParams{perm};
    ctx.emit(node, t);
    return t.name;
}

/// y = x W (+ b) with constant W of `outFeatures` columns; takes a trailing bias Add along.
void emitFullyConnected(OnnxImportContext& ctx, const OnnxNode& node, const std::string& x, const OnnxTensor& w,
                        Dim outFeatures, const OnnxTensor* bias, const std::string& output, bool inputMajor)
{
    Layer layer;
    layer.name = ctx.layerName(node);
    layer.kind = LayerKind::FullyConnected;
    layer.inputs = {x};
    layer.outputs = {output};
    layer.weightData.push_back(OnnxImportContext::weightOf(w, "weight", node, 1));
    layer.weightData.back().inputMajor = inputMajor;
    FullyConnectedParams p{outFeatures, true};
    if (bias) {
        layer.weightData.push_back(OnnxImportContext::weightOf(*bias, "bias"));
    } else if (const OnnxNode* add = onnxmap::trailingBiasAdd(ctx, node, outFeatures, 0)) {
        layer.weightData.push_back(OnnxImportContext::weightOf(onnxmap::biasOf(ctx, *add, node.outputs[0]), "bias"));
        layer.outputs = {add->outputs[0]};
        ctx.markConsumed(*add);
    } else {
        p.bias = false;
    }
    layer.params = p;
    ctx.emit(node, std::move(layer));
}

/// Y = A X with constant A [M, K] and activation X [..., K, N]: computed as (X^T A^T)^T.
void emitConstantLeft(OnnxImportContext& ctx, const OnnxNode& node, const OnnxTensor& a, const std::string& x)
{
    if (a.dims.size() != 2)
        fail("a constant left operand must be a matrix, got " + formatShape(a.dims));
    const std::string xt = transposeLastTwo(ctx, node, x, "/transpose_in");
    Layer fc;
    fc.name = ctx.layerName(node);
    fc.kind = LayerKind::FullyConnected;
    fc.inputs = {xt};
    fc.outputs = {fc.name + ":t"};
    fc.params = FullyConnectedParams{a.dims[0], false};
    fc.weightData.push_back(OnnxImportContext::weightOf(a, "weight", node, 0));
    ctx.emit(node, fc);
    Layer back;
    back.name = ctx.layerName(node, "/transpose_out");
    back.kind = LayerKind::Transpose;
    back.inputs = {fc.outputs[0]};
    back.outputs = {node.outputs[0]};
    const std::size_t rank = ctx.shape(fc.outputs[0]).size();
    std::vector<Dim> perm(rank);
    for (std::size_t i = 0; i < rank; ++i)
        perm[i] = static_cast<Dim>(i);
    std::swap(perm[rank - 1], perm[rank - 2]);
    back.params = TransposeParams{perm};
    ctx.emit(node, back);
}

void emitMatMul(OnnxImportContext& ctx, const OnnxNode& node, const std::string& a, const std::string& b, bool transA,
                bool transB, const std::string& output)
{
    Layer layer;
    layer.name = ctx.layerName(node);
    layer.kind = LayerKind::MatMul;
    layer.inputs = {a, b};
    layer.outputs = {output};
    layer.params = MatMulParams{transA, transB};
    ctx.emit(node, std::move(layer));
}

void mapMatMul(const OnnxNode& node, OnnxImportContext& ctx)
{
    const OnnxTensor* a = ctx.constantInput(node, 0);
    const OnnxTensor* b = ctx.constantInput(node, 1);
    if (!a && b) {
        const std::string x = ctx.requireActivation(node, 0, "A");
        Shape w = b->dims;
        if (w.empty() || ctx.shape(x).empty())
            fail("MatMul needs operands of rank 1 or more; got " + formatShape(ctx.shape(x)) + " and " + formatShape(w));
        if (w.size() > 2) {
            for (std::size_t d = 0; d + 2 < w.size(); ++d)
                if (w[d] != 1) {
                    ctx.warn(node.describe() + ": batched constant weights " + formatShape(w) +
                             " are kept as an \"other\" layer");
                    mapUnmodelled(node, ctx);
                    return;
                }
        }
        if (w.size() == 1) {  // x [..., K] . w [K] -> [...]
            emitFullyConnected(ctx, node, x, *b, 1, nullptr, node.outputs[0] + ":1", true);
            Layer squeeze;
            squeeze.name = ctx.layerName(node, "/squeeze");
            squeeze.kind = LayerKind::Reshape;
            squeeze.inputs = {node.outputs[0] + ":1"};
            squeeze.outputs = {node.outputs[0]};
            Shape target = ctx.shape(squeeze.inputs[0]);
            target.pop_back();
            squeeze.params = ReshapeParams{target};
            ctx.emit(node, squeeze);
            return;
        }
        if (ctx.shape(x).back() != w[w.size() - 2])
            fail("the activation " + formatShape(ctx.shape(x)) + " does not meet the weights " + formatShape(w));
        emitFullyConnected(ctx, node, x, *b, w.back(), nullptr, node.outputs[0], true);
        return;
    }
    if (a && !b) {
        emitConstantLeft(ctx, node, *a, ctx.requireActivation(node, 1, "B"));
        return;
    }
    const std::string x = ctx.requireActivation(node, 0, "A");
    const std::string y = ctx.requireActivation(node, 1, "B");
    if (ctx.shape(x).size() < 2 || ctx.shape(y).size() < 2) {
        mapUnmodelled(node, ctx);
        return;
    }
    emitMatMul(ctx, node, x, y, false, false, node.outputs[0]);
}

void mapGemm(const OnnxNode& node, OnnxImportContext& ctx)
{
    const bool transA = node.intAttr("transA", 0) != 0;
    const bool transB = node.intAttr("transB", 0) != 0;
    const double alpha = node.floatAttr("alpha", 1.0);
    const double beta = node.floatAttr("beta", 1.0);
    if (alpha != 1.0 || beta != 1.0)
        ctx.warn(node.describe() + ": alpha = " + std::to_string(alpha) + " and beta = " + std::to_string(beta) +
                 " scale the weights and bias; counted as part of them");
    const OnnxTensor* a = ctx.constantInput(node, 0);
    const OnnxTensor* b = ctx.constantInput(node, 1);
    const OnnxTensor* c = ctx.constantInput(node, 2);
    const bool activationBias = node.hasInput(2) && !c;
    // A matmul of two activations adds a constant C with its own layer.
    const bool separateBias = activationBias || (c && !b);
    const std::string output = separateBias ? node.outputs[0] + ":gemm" : node.outputs[0];
    if (!a && b) {
        std::string x = ctx.requireActivation(node, 0, "A");
        if (transA)
            x = transposeLastTwo(ctx, node, x, "/transpose_a");
        if (b->dims.size() != 2)
            fail("B must be a matrix, got " + formatShape(b->dims));
        const Dim out = transB ? b->dims[0] : b->dims[1];
        emitFullyConnected(ctx, node, x, *b, out, c, output, !transB);
    } else if (a && !b) {
        if (transA || transB)
            fail("a constant A with a transposed operand is not supported");
        emitConstantLeft(ctx, node, *a, ctx.requireActivation(node, 1, "B"));
        return;
    } else {
        emitMatMul(ctx, node, ctx.requireActivation(node, 0, "A"), ctx.requireActivation(node, 1, "B"), transA, transB, output);
    }
    if (separateBias) {
        Layer add;
        add.name = ctx.layerName(node, "/bias");
        add.kind = LayerKind::Eltwise;
        add.outputs = {node.outputs[0]};
        if (activationBias) {
            add.inputs = {output, ctx.requireActivation(node, 2, "C")};
            add.params = EltwiseParams{.op = EltwiseOp::Add};
        } else {
            add.inputs = {output};
            add.params = EltwiseParams{.op = EltwiseOp::Add, .constant = c->dims};
            add.weightData.push_back(OnnxImportContext::weightOf(*c, "bias"));
        }
        ctx.emit(node, add);
    }
}

}  // namespace

void addLinearMappers(std::map<std::string, OnnxMapper>& table)
{
    table["MatMul"] = mapMatMul;
    table["Gemm"] = mapGemm;
}

}  // namespace cdx
