// Element-wise operators, activation functions, softmax and reductions, and two patterns
// exporters write out op by op: layer normalisation and hard-swish.
#include "core/onnx/onnxmappers.h"

#include "core/util/error.h"

#include <cfloat>
#include <cmath>

namespace cdx {

namespace {

bool isOp(const OnnxNode* node, const char* op) { return node && node->domain.empty() && node->opType == op; }

/// The single node reading `name`, if exactly one does and it is not a graph output.
const OnnxNode* soleReader(const OnnxImportContext& ctx, const std::string& name)
{
    const auto& readers = ctx.consumers(name);
    if (readers.size() != 1 || ctx.isGraphOutput(name) || ctx.isConsumed(*readers[0]))
        return nullptr;
    return readers[0];
}

/// The other input of a two-input node, given one of them.
std::string otherInput(const OnnxNode& node, const std::string& one)
{
    if (node.inputs.size() != 2)
        return {};
    return node.inputs[0] == one ? node.inputs[1] : node.inputs[1] == one ? node.inputs[0] : std::string();
}

/// A constant of one element with value `v` (within rounding).
bool isScalar(const OnnxImportContext& ctx, const std::string& name, double v)
{
    const OnnxTensor* t = ctx.constant(name);
    return t && t->hasData() && t->size() == 1 && std::abs(t->value(0) - v) < 1e-6 * std::max(1.0, std::abs(v));
}

std::vector<std::int64_t> reduceAxes(const OnnxNode& node, const OnnxImportContext& ctx)
{
    const std::int64_t since = node.opType == "ReduceSum" ? 13 : 18;
    if (ctx.opset() >= since && node.hasInput(1))
        return ctx.requireConstant(node, 1, "axes").asInts();
    return node.intsAttr("axes");
}

void addConstantWeight(const OnnxImportContext& ctx, Layer& layer, const std::string& name, const char* role)
{
    if (const OnnxTensor* t = ctx.constant(name))
        layer.weightData.push_back(OnnxImportContext::weightOf(*t, role));
}

/// x -> ReduceMean -> Sub -> Pow 2 -> ReduceMean -> Add eps -> Sqrt -> Div [-> Mul gamma -> Add beta]
bool tryLayerNormPattern(const OnnxNode& mean, OnnxImportContext& ctx)
{
    if (!mean.hasInput(0) || !ctx.isActivation(mean.inputs[0]) || mean.intAttr("keepdims", 1) == 0)
        return false;
    const std::string x = mean.inputs[0];
    const auto axes = reduceAxes(mean, ctx);
    const std::int64_t rank = static_cast<std::int64_t>(ctx.shape(x).size());
    if (axes.size() != 1 || (axes[0] != -1 && axes[0] != rank - 1))
        return false;
    const OnnxNode* sub = soleReader(ctx, mean.outputs[0]);
    if (!isOp(sub, "Sub") || sub->inputs.size() != 2 || sub->inputs[0] != x || sub->inputs[1] != mean.outputs[0])
        return false;
    const auto& centred = ctx.consumers(sub->outputs[0]);
    if (centred.size() != 2 || ctx.isGraphOutput(sub->outputs[0]))
        return false;
    const OnnxNode* square = isOp(centred[0], "Pow") || isOp(centred[0], "Mul") ? centred[0] : centred[1];
    const OnnxNode* divide = square == centred[0] ? centred[1] : centred[0];
    const bool isSquare = (isOp(square, "Pow") && isScalar(ctx, otherInput(*square, sub->outputs[0]), 2.0)) ||
                          (isOp(square, "Mul") && square->inputs.size() == 2 && square->inputs[0] == sub->outputs[0] &&
                           square->inputs[1] == sub->outputs[0]);
    if (!isSquare || !isOp(divide, "Div") || divide->inputs[0] != sub->outputs[0])
        return false;
    const OnnxNode* variance = soleReader(ctx, square->outputs[0]);
    if (!isOp(variance, "ReduceMean") || reduceAxes(*variance, ctx) != axes)
        return false;
    const OnnxNode* addEps = soleReader(ctx, variance->outputs[0]);
    if (!isOp(addEps, "Add") || !ctx.isConstant(otherInput(*addEps, variance->outputs[0])))
        return false;
    const OnnxNode* root = soleReader(ctx, addEps->outputs[0]);
    if (!isOp(root, "Sqrt") || soleReader(ctx, root->outputs[0]) != divide || divide->inputs[1] != root->outputs[0])
        return false;

    const std::string epsName = otherInput(*addEps, variance->outputs[0]);
    const OnnxTensor* eps = ctx.constant(epsName);
    Layer layer;
    layer.name = ctx.layerName(mean, "/layer_norm");
    layer.kind = LayerKind::LayerNorm;
    layer.inputs = {ctx.resolve(x)};
    layer.params = LayerNormParams{-1, eps && eps->hasData() && eps->size() == 1 ? eps->value(0) : 1e-5};
    addConstantWeight(ctx, layer, epsName, "epsilon");
    if (isOp(square, "Pow"))
        addConstantWeight(ctx, layer, otherInput(*square, sub->outputs[0]), "exponent");
    std::vector<const OnnxNode*> used{sub, square, divide, variance, addEps, root};
    std::string output = divide->outputs[0];
    // The affine part: a constant scale, then a constant shift.
    if (const OnnxNode* scale = soleReader(ctx, output); isOp(scale, "Mul") && ctx.isConstant(otherInput(*scale, output))) {
        addConstantWeight(ctx, layer, otherInput(*scale, output), "scale");
        used.push_back(scale);
        output = scale->outputs[0];
        if (const OnnxNode* shift = soleReader(ctx, output); isOp(shift, "Add") && ctx.isConstant(otherInput(*shift, output))) {
            addConstantWeight(ctx, layer, otherInput(*shift, output), "bias");
            used.push_back(shift);
            output = shift->outputs[0];
        }
    }
    layer.outputs = {output};
    ctx.emit(mean, std::move(layer));
    for (const OnnxNode* n : used)
        ctx.markConsumed(*n);
    return true;
}

/// x -> Add 3 -> Clip [0, 6] -> Mul x -> Div 6 (or Mul 1/6): hard-swish, as paddle2onnx writes it.
bool tryHardSwishPattern(const OnnxNode& add, OnnxImportContext& ctx)
{
    if (add.inputs.size() != 2)
        return false;
    const std::string x = ctx.isActivation(add.inputs[0]) ? add.inputs[0] : add.inputs[1];
    const std::string three = otherInput(add, x);
    if (!ctx.isActivation(x) || !isScalar(ctx, three, 3.0))
        return false;
    const OnnxNode* clip = soleReader(ctx, add.outputs[0]);
    if (!isOp(clip, "Clip"))
        return false;
    const bool bounds = ctx.opset() >= 11
                            ? clip->inputs.size() == 3 && isScalar(ctx, clip->inputs[1], 0.0) && isScalar(ctx, clip->inputs[2], 6.0)
                            : clip->floatAttr("min", -1) == 0.0 && clip->floatAttr("max", -1) == 6.0;
    if (!bounds)
        return false;
    const OnnxNode* mul = soleReader(ctx, clip->outputs[0]);
    if (!isOp(mul, "Mul") || otherInput(*mul, clip->outputs[0]) != x)
        return false;
    const OnnxNode* scale = soleReader(ctx, mul->outputs[0]);
    const std::string sixName = scale ? otherInput(*scale, mul->outputs[0]) : std::string();
    if (!(isOp(scale, "Div") && scale->inputs[0] == mul->outputs[0] && isScalar(ctx, sixName, 6.0)) &&
        !(isOp(scale, "Mul") && isScalar(ctx, sixName, 1.0 / 6.0)))
        return false;
    Layer layer;
    layer.name = ctx.layerName(add, "/hard_swish");
    layer.kind = LayerKind::Activation;
    layer.inputs = {ctx.resolve(x)};
    layer.outputs = {scale->outputs[0]};
    layer.params = ActivationParams{ActivationFn::HardSwish};
    addConstantWeight(ctx, layer, three, "constant");
    if (ctx.opset() >= 11) {
        addConstantWeight(ctx, layer, clip->inputs[1], "min");
        addConstantWeight(ctx, layer, clip->inputs[2], "max");
    }
    addConstantWeight(ctx, layer, sixName, "constant");
    ctx.emit(add, std::move(layer));
    for (const OnnxNode* n : {clip, mul, scale})
        ctx.markConsumed(*n);
    return true;
}

void mapBinary(const OnnxNode& node, OnnxImportContext& ctx)
{
    if (node.opType == "Add" && tryHardSwishPattern(node, ctx))
        return;
    static const std::map<std::string, EltwiseOp> ops{{"Add", EltwiseOp::Add}, {"Sub", EltwiseOp::Sub},
                                                      {"Mul", EltwiseOp::Mul}, {"Div", EltwiseOp::Div},
                                                      {"Pow", EltwiseOp::Pow}, {"Max", EltwiseOp::Max},
                                                      {"Min", EltwiseOp::Min}, {"Sum", EltwiseOp::Add},
                                                      {"Mean", EltwiseOp::Add}};
    std::vector<std::string> activations;
    std::vector<const OnnxTensor*> constants;
    for (std::size_t i = 0; i < node.inputs.size(); ++i) {
        if (!node.hasInput(i))
            continue;
        if (const OnnxTensor* c = ctx.constantInput(node, i))
            constants.push_back(c);
        else
            activations.push_back(ctx.requireActivation(node, i, "operand"));
    }
    if (activations.size() == 1 && constants.empty()) {
        ctx.alias(node.outputs[0], activations[0]);
        return;
    }
    EltwiseParams p{.op = ops.at(node.opType)};
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Eltwise, activations, {});
    for (const OnnxTensor* c : constants) {
        // Integer operands are index arithmetic, not parameters.
        if (c->isFloat())
            layer.weightData.push_back(OnnxImportContext::weightOf(*c, "constant"));
        p.constant = p.constant ? broadcastShapes(*p.constant, c->dims).value_or(c->dims) : c->dims;
    }
    if (constants.size() == 1 && constants[0]->hasData() && constants[0]->size() == 1) {
        p.scalar = constants[0]->value(0);
        p.constant.reset();
    }
    layer.params = p;
    ctx.emit(node, std::move(layer));
}

void mapActivation(const OnnxNode& node, OnnxImportContext& ctx)
{
    static const std::map<std::string, ActivationFn> fns{
        {"Relu", ActivationFn::Relu},         {"LeakyRelu", ActivationFn::LeakyRelu}, {"PRelu", ActivationFn::PRelu},
        {"Sigmoid", ActivationFn::Sigmoid},   {"Tanh", ActivationFn::Tanh},           {"HardSigmoid", ActivationFn::HardSigmoid},
        {"HardSwish", ActivationFn::HardSwish}, {"Elu", ActivationFn::Elu},           {"Softplus", ActivationFn::Softplus},
        {"Gelu", ActivationFn::Gelu},         {"Erf", ActivationFn::Erf},             {"Exp", ActivationFn::Exp},
        {"Log", ActivationFn::Log},           {"Sqrt", ActivationFn::Sqrt},           {"Abs", ActivationFn::Abs},
        {"Neg", ActivationFn::Neg},           {"Reciprocal", ActivationFn::Reciprocal}, {"Clip", ActivationFn::Clip}};
    const std::string x = ctx.requireActivation(node, 0, "X");
    ActivationParams p{fns.at(node.opType)};
    Layer layer = onnxmap::makeLayer(ctx, node, LayerKind::Activation, {x}, {});
    switch (p.fn) {
    case ActivationFn::LeakyRelu: p.alpha = node.floatAttr("alpha", 0.01); break;
    case ActivationFn::Elu: p.alpha = node.floatAttr("alpha", 1.0); break;
    case ActivationFn::HardSigmoid:
        p.alpha = node.floatAttr("alpha", 0.2);
        p.beta = node.floatAttr("beta", 0.5);
        break;
    case ActivationFn::PRelu:
        layer.weightData.push_back(OnnxImportContext::weightOf(ctx.requireConstant(node, 1, "slope"), "slope"));
        break;
    case ActivationFn::Clip:
        p.alpha = -FLT_MAX;
        p.beta = FLT_MAX;
        if (ctx.opset() < 11) {
            p.alpha = node.floatAttr("min", p.alpha);
            p.beta = node.floatAttr("max", p.beta);
        } else {
            if (node.hasInput(1))
                p.alpha = ctx.requireConstant(node, 1, "min").value(0);
            if (node.hasInput(2))
                p.beta = ctx.requireConstant(node, 2, "max").value(0);
            for (std::size_t i : {std::size_t{1}, std::size_t{2}})
                if (const auto w = ctx.weight(node, i, i == 1 ? "min" : "max"))
                    layer.weightData.push_back(*w);
        }
        if (p.alpha == 0.0 && p.beta == 6.0)
            p = ActivationParams{ActivationFn::Relu6};
        break;
    default: break;
    }
    layer.params = p;
    ctx.emit(node, std::move(layer));
}

void mapSoftmax(const OnnxNode& node, OnnxImportContext& ctx)
{
    const std::string x = ctx.requireActivation(node, 0, "input");
    const Dim axis = node.intAttr("axis", ctx.opset() < 13 ? 1 : -1);
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Softmax, {x}, SoftmaxParams{axis}));
}

void mapReduce(const OnnxNode& node, OnnxImportContext& ctx)
{
    if (node.opType == "ReduceMean" && tryLayerNormPattern(node, ctx))
        return;
    const std::string x = ctx.requireActivation(node, 0, "data");
    ReduceParams p;
    const std::string& op = node.opType;
    p.op = op == "ReduceMean" ? ReduceOp::Mean
           : op == "ReduceMax" || op == "ArgMax" ? ReduceOp::Max
           : op == "ReduceMin" || op == "ArgMin" ? ReduceOp::Min
           : op == "ReduceProd" ? ReduceOp::Prod
           : op == "ReduceL2" ? ReduceOp::L2
                              : ReduceOp::Sum;
    p.keepDims = node.intAttr("keepdims", 1) != 0;
    if (op == "ArgMax" || op == "ArgMin") {
        p.axes = {node.intAttr("axis", 0)};
    } else {
        p.axes = reduceAxes(node, ctx);
        if (p.axes.empty() && node.intAttr("noop_with_empty_axes", 0) != 0) {
            ctx.alias(node.outputs[0], x);
            return;
        }
    }
    ctx.emit(node, onnxmap::makeLayer(ctx, node, LayerKind::Reduce, {x}, p));
}

}  // namespace

void addElementwiseMappers(std::map<std::string, OnnxMapper>& table)
{
    for (const char* op : {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean"})
        table[op] = mapBinary;
    for (const char* op : {"Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "HardSigmoid", "HardSwish", "Elu", "Softplus",
                           "Gelu", "Erf", "Exp", "Log", "Sqrt", "Abs", "Neg", "Reciprocal", "Clip"})
        table[op] = mapActivation;
    table["Softmax"] = mapSoftmax;
    table["LogSoftmax"] = mapSoftmax;
    for (const char* op : {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL2", "ReduceL1",
                           "ReduceSumSquare", "ReduceLogSumExp", "ReduceLogSum", "ArgMax", "ArgMin"})
        table[op] = mapReduce;
}

}  // namespace cdx
