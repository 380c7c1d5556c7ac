#include "core/network/networkfusion.h"

#include "core/util/checkedmath.h"

#include <algorithm>
#include <limits>

namespace cdx {

std::string OutputStage::describe() const
{
    std::string out;
    const auto add = [&out](bool on, const char* name) {
        if (on)
            out += (out.empty() ? "" : ", ") + std::string(name);
    };
    add(scale, "scale");
    add(clamp, "clamp");
    add(piecewise, "piecewise");
    add(lookup, "lookup");
    add(residual, "residual");
    add(pool, "pool");
    return out.empty() ? "none" : out;
}

std::string_view fusedOpKindName(FusedOpKind kind)
{
    switch (kind) {
    case FusedOpKind::Fold: return "fold";
    case FusedOpKind::Scale: return "scale";
    case FusedOpKind::Clamp: return "clamp";
    case FusedOpKind::Piecewise: return "piecewise";
    case FusedOpKind::Lookup: return "lookup";
    case FusedOpKind::Residual: return "residual";
    case FusedOpKind::Pool: return "pool";
    }
    return "scale";
}

std::size_t NetworkFusion::fusedCount() const
{
    std::size_t n = 0;
    for (std::size_t i = 0; i < anchorOf.size(); ++i)
        n += fused(i) ? 1 : 0;
    return n;
}

std::string operatorName(const Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::Activation: return std::string(activationName(std::get<ActivationParams>(layer.params).fn));
    case LayerKind::Eltwise: return std::string(eltwiseOpName(std::get<EltwiseParams>(layer.params).op));
    case LayerKind::Pool: return std::string(poolModeName(std::get<PoolParams>(layer.params).mode)) + "_pool";
    default: return std::string(layerKindName(layer.kind));
    }
}

std::optional<FusedOpKind> fusedOpKind(const Layer& layer)
{
    switch (layer.kind) {
    case LayerKind::BatchNorm: return layer.foldsInto.empty() ? FusedOpKind::Scale : FusedOpKind::Fold;
    case LayerKind::Pool: return FusedOpKind::Pool;
    case LayerKind::Activation:
        switch (std::get<ActivationParams>(layer.params).fn) {
        case ActivationFn::Relu:
        case ActivationFn::Relu6:
        case ActivationFn::LeakyRelu:
        case ActivationFn::PRelu:
        case ActivationFn::Clip:
        case ActivationFn::Abs:
        case ActivationFn::Neg: return FusedOpKind::Clamp;
        case ActivationFn::HardSigmoid:
        case ActivationFn::HardSwish: return FusedOpKind::Piecewise;
        default: return FusedOpKind::Lookup;
        }
    case LayerKind::Eltwise: {
        const auto& p = std::get<EltwiseParams>(layer.params);
        if (layer.inputs.size() == 1) {
            switch (p.op) {
            case EltwiseOp::Max:
            case EltwiseOp::Min: return FusedOpKind::Clamp;
            case EltwiseOp::Pow: return FusedOpKind::Lookup;
            default: return FusedOpKind::Scale;
            }
        }
        if (layer.inputs.size() == 2 && layer.inputs[0] != layer.inputs[1] && p.op != EltwiseOp::Div && p.op != EltwiseOp::Pow)
            return FusedOpKind::Residual;
        return std::nullopt;
    }
    default: return std::nullopt;
    }
}

namespace {

bool applies(const OutputStage& stage, FusedOpKind kind)
{
    switch (kind) {
    case FusedOpKind::Fold: return true;
    case FusedOpKind::Scale: return stage.scale;
    case FusedOpKind::Clamp: return stage.clamp;
    case FusedOpKind::Piecewise: return stage.piecewise;
    case FusedOpKind::Lookup: return stage.lookup;
    case FusedOpKind::Residual: return stage.residual;
    case FusedOpKind::Pool: return stage.pool;
    }
    return false;
}

bool isAnchorKind(LayerKind kind)
{
    return kind == LayerKind::Conv || kind == LayerKind::ConvTranspose || kind == LayerKind::FullyConnected || kind == LayerKind::MatMul;
}

/// Whether `layer` starts a chain of one-input layers that computes a gate of its input x, which
/// one product then applies to x, and x has no other reader: x * sigmoid(x) (SiLU), x *
/// sigmoid(beta * x) (swish), x * hard_sigmoid(x). The stage holds x while it computes the gate,
/// so the whole chain fuses.
bool gatesItsInput(const Network& net, const OutputStage& stage, const Layer& layer, const std::string& x)
{
    const Network::Tensor* in = net.findTensor(x);
    if (in == nullptr || in->consumers.size() != 2 || layer.inputs.size() != 1)
        return false;
    const Layer* step = &layer;
    for (int depth = 0; depth < 4; ++depth) {
        const auto kind = fusedOpKind(*step);
        if (step->outputs.size() != 1 || !kind || *kind == FusedOpKind::Pool || !applies(stage, *kind))
            return false;
        const auto& outputs = net.outputs();
        if (std::find(outputs.begin(), outputs.end(), step->outputs[0]) != outputs.end())
            return false;
        const std::string& t = step->outputs[0];
        const Network::Tensor* out = net.findTensor(t);
        if (out == nullptr || out->consumers.size() != 1)
            return false;
        const Layer& next = net.layers()[static_cast<std::size_t>(out->consumers[0])];
        if (next.kind == LayerKind::Eltwise && std::get<EltwiseParams>(next.params).op == EltwiseOp::Mul && next.inputs.size() == 2)
            return stage.residual && ((next.inputs[0] == x && next.inputs[1] == t) || (next.inputs[1] == x && next.inputs[0] == t));
        if (next.inputs.size() != 1)
            return false;
        step = &next;
    }
    return false;
}

}  // namespace

NetworkFusion fuseNetwork(const Network& net, const OutputStage& stage)
{
    const auto& layers = net.layers();
    NetworkFusion f;
    f.anchorOf.resize(layers.size());
    f.members.resize(layers.size());
    std::vector<std::string> tail(layers.size());  ///< per anchor: the tensor its group last wrote
    const auto& outputs = net.outputs();
    const auto isOutput = [&outputs](const std::string& t) { return std::find(outputs.begin(), outputs.end(), t) != outputs.end(); };
    const auto anchorOfTensor = [&](const std::string& t) {
        const Network::Tensor* tensor = net.findTensor(t);
        return tensor == nullptr || tensor->producer < 0 ? -1 : f.anchorOf[static_cast<std::size_t>(tensor->producer)];
    };
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const Layer& layer = layers[i];
        f.anchorOf[i] = static_cast<int>(i);
        if (isAnchorKind(layer.kind)) {
            if (layer.outputs.size() == 1)
                tail[i] = layer.outputs[0];
            continue;
        }
        const auto kind = fusedOpKind(layer);
        if (!kind || !applies(stage, *kind) || layer.outputs.size() != 1 || layer.inputs.empty())
            continue;
        int chosen = -1;
        for (std::size_t k = 0; k < layer.inputs.size(); ++k) {
            const std::string& x = layer.inputs[k];
            const int a = anchorOfTensor(x);
            if (a < 0 || tail[static_cast<std::size_t>(a)] != x || isOutput(x))
                continue;
            const Network::Tensor* tensor = net.findTensor(x);
            if (tensor->consumers.size() != 1 && !gatesItsInput(net, stage, layer, x))
                continue;
            // The element-wise kinds keep the shape: a constant that broadcasts the result wider
            // cannot be applied to it on the way out.
            if (*kind != FusedOpKind::Pool && layer.outputShapes[0] != tensor->shape)
                continue;
            // Every other operand must exist before the group's MAC layer runs, or be a result
            // the stage computed itself (the x of x * sigmoid(x)).
            bool ready = true;
            for (std::size_t o = 0; o < layer.inputs.size(); ++o)
                if (o != k && anchorOfTensor(layer.inputs[o]) > a)
                    ready = false;
            if (ready && a > chosen)
                chosen = a;
        }
        if (chosen < 0)
            continue;
        const auto a = static_cast<std::size_t>(chosen);
        f.anchorOf[i] = chosen;
        f.members[a].push_back({static_cast<int>(i), *kind});
        // Pooling ends the stage: what follows it reads a smaller tensor the stage no longer holds.
        tail[a] = *kind == FusedOpKind::Pool ? std::string() : layer.outputs[0];
    }
    return f;
}

std::vector<std::string> fusedOperands(const Network& net, const NetworkFusion& fusion, std::size_t anchor)
{
    const auto& layers = net.layers();
    std::vector<std::string> inside{layers[anchor].outputs.begin(), layers[anchor].outputs.end()}, operands;
    for (const auto& m : fusion.members[anchor]) {
        const Layer& f = layers[static_cast<std::size_t>(m.layer)];
        for (const auto& x : f.inputs)
            if (std::find(inside.begin(), inside.end(), x) == inside.end())
                operands.push_back(x);
        inside.insert(inside.end(), f.outputs.begin(), f.outputs.end());
    }
    return operands;
}

ActivationResidency activationResidency(const Network& net, const NetworkFusion& fusion, Dim capacity)
{
    const auto& layers = net.layers();
    // The groups in the order they run, each with the tensors it reads from and writes to others.
    struct Group {
        std::vector<std::string> reads, writes;
        bool view = true;  ///< only reshapes, splits, concatenations: its results are its inputs, laid out anew
    };
    std::vector<Group> groups;
    std::vector<int> groupOfAnchor(layers.size(), -1);
    for (std::size_t i = 0; i < layers.size(); ++i)
        if (!fusion.fused(i)) {
            groupOfAnchor[i] = static_cast<int>(groups.size());
            groups.emplace_back();
        }
    const auto groupOfLayer = [&](int layer) { return groupOfAnchor[static_cast<std::size_t>(fusion.anchorOf[static_cast<std::size_t>(layer)])]; };
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const int g = groupOfLayer(static_cast<int>(i));
        Group& group = groups[static_cast<std::size_t>(g)];
        group.view = group.view && isShapeKind(layers[i].kind) && layers[i].kind != LayerKind::Resize;
        for (const auto& x : layers[i].inputs) {
            const Network::Tensor* t = net.findTensor(x);
            if (t == nullptr || (t->producer >= 0 && groupOfLayer(t->producer) == g))
                continue;
            if (std::find(group.reads.begin(), group.reads.end(), x) == group.reads.end())
                group.reads.push_back(x);
        }
        for (const auto& y : layers[i].outputs) {
            const Network::Tensor* t = net.findTensor(y);
            if (t == nullptr)
                continue;
            bool external = t->consumers.empty();
            for (int c : t->consumers)
                external = external || groupOfLayer(c) != g;
            if (external)
                group.writes.push_back(y);
        }
    }
    std::unordered_map<std::string, std::size_t> lastRead;
    for (std::size_t g = 0; g < groups.size(); ++g)
        for (const auto& x : groups[g].reads)
            lastRead[x] = g;
    // A view's inputs stay as long as its results are read.
    for (std::size_t g = groups.size(); g-- > 0;) {
        if (!groups[g].view)
            continue;
        std::size_t last = g;
        for (const auto& y : groups[g].writes)
            if (const auto it = lastRead.find(y); it != lastRead.end())
                last = std::max(last, it->second);
        for (const auto& x : groups[g].reads)
            lastRead[x] = std::max(lastRead[x], last);
    }
    const auto& outputs = net.outputs();
    ActivationResidency r;
    std::vector<std::pair<std::string, Dim>> held;
    Dim heldElements = 0;
    for (const auto& in : net.inputSpecs())
        r.onChip[in.name] = false;
    for (std::size_t g = 0; g < groups.size(); ++g) {
        // Tensors no later group reads leave the buffer.
        for (auto it = held.begin(); it != held.end();) {
            if (lastRead[it->first] < g) {
                heldElements -= it->second;
                it = held.erase(it);
            } else {
                ++it;
            }
        }
        bool inputsOnChip = !groups[g].reads.empty();
        for (const auto& x : groups[g].reads)
            inputsOnChip = r.onChip.try_emplace(x, false).first->second && inputsOnChip;
        for (const auto& y : groups[g].writes) {
            if (groups[g].view) {
                // No room of its own: it is on chip where its inputs are.
                const Network::Tensor* t = net.findTensor(y);
                const bool leaves = t->consumers.empty() || std::find(outputs.begin(), outputs.end(), y) != outputs.end();
                r.onChip[y] = inputsOnChip && !leaves;
                continue;
            }
            const Network::Tensor* t = net.findTensor(y);
            const Dim size = elementCount(t->shape);
            const bool leaves = t->consumers.empty() || std::find(outputs.begin(), outputs.end(), y) != outputs.end();
            const bool fits = !leaves && capacity > 0 && size <= capacity - heldElements;
            r.onChip[y] = fits;
            if (fits) {
                held.emplace_back(y, size);
                heldElements += size;
                r.peakElements = std::max(r.peakElements, heldElements);
            }
        }
    }
    return r;
}

}  // namespace cdx
