// Checking a compression plan against the network it is applied to.
#include "core/compression/compressionplan.h"

#include "core/compression/weightmatrix.h"

#include <map>
#include <set>

namespace cdx {

namespace {

std::string dims(const WeightMatrix& m)
{
    return std::to_string(m.rows) + " x " + std::to_string(m.cols);
}

/// Why the layer's pruning cannot be applied to one of its matrices, or "".
std::string pruningProblem(const Layer& layer, const PruningSpec& p, const WeightMatrix& m)
{
    const bool recurrent = layer.kind == LayerKind::Lstm || layer.kind == LayerKind::Gru || layer.kind == LayerKind::Rnn;
    const std::string what = "its " + m.name + " matrix is " + dims(m);
    switch (p.kind) {
    case PruningKind::BlockDiagonal:
        if (m.rows % p.blocks != 0 || (m.cols / m.kernelTaps) % p.blocks != 0)
            return std::to_string(p.blocks) + " diagonal blocks do not divide the layer: " + what +
                   (m.kernelTaps > 1 ? " (" + std::to_string(m.cols / m.kernelTaps) + " input channels)" : "");
        break;
    case PruningKind::Circulant:
        if (!p.pad && (m.rows % p.blockSize != 0 || m.cols % p.blockSize != 0))
            return "block size " + std::to_string(p.blockSize) + " does not divide the layer: " + what +
                   " (set \"pad\": true to zero-pad it to a multiple, as CirCNN does)";
        break;
    case PruningKind::Group: {
        if (recurrent)
            return "group pruning applies to convolutions and fully connected layers";
        const Dim inputs = m.cols / m.kernelTaps;
        if (m.rows % p.groups != 0 || inputs % p.groups != 0)
            return std::to_string(p.groups) + " groups do not divide the layer's " + std::to_string(m.rows) + " outputs and " +
                   std::to_string(inputs) + " inputs";
        break;
    }
    case PruningKind::Channel:
        if (recurrent)
            return "channel pruning applies to convolutions and fully connected layers";
        break;
    case PruningKind::LoadBalanced:
        if (p.pes > m.rows)
            return "load balancing over " + std::to_string(p.pes) + " PEs needs at least as many rows: " + what;
        break;
    default: break;
    }
    return {};
}

}  // namespace

std::vector<LayerCompression> CompressionPlan::resolve(const Network& net) const
{
    std::vector<LayerCompression> settings;
    settings.reserve(net.layers().size());
    for (std::size_t i = 0; i < net.layers().size(); ++i)
        settings.push_back(forLayer(net.layers()[i], static_cast<Dim>(i)));
    return settings;
}

Result<std::vector<std::string>> CompressionPlan::check(const Network& net) const
{
    return check(net, resolve(net));
}

Result<std::vector<std::string>> CompressionPlan::check(const Network& net, const std::vector<LayerCompression>& settings) const
{
    std::vector<std::string> warnings;
    for (const auto& rule : unmatchedRules(net))
        warnings.push_back("compression: the rule at " + rule + " matches no layer");
    std::set<std::string> pruningRulesUsed, pruningRulesSet;
    std::map<std::string, std::vector<std::string>> notFast;  // rule -> "layer: reason"
    for (const auto& rule : rules)
        if (rule.setting.pruning && rule.setting.pruning->kind != PruningKind::None)
            pruningRulesSet.insert(rule.path);
    for (std::size_t i = 0; i < net.layers().size(); ++i) {
        const Layer& layer = net.layers()[i];
        const LayerCompression& c = settings[i];
        if (!hasWeightOperand(layer))
            continue;
        pruningRulesUsed.insert(c.pruningRule);
        if (c.pruning.kind != PruningKind::None)
            for (const auto& m : weightMatrices(layer, false))
                if (const std::string problem = pruningProblem(layer, c.pruning, m); !problem.empty())
                    return Error{ExitCode::BadInput, file, c.pruningRule + "/pruning", "layer " + layer.name + ": " + problem};
        if (c.fastAlgorithm != FastAlgorithm::None) {
            const auto shape = fastConvShape(layer);
            const FastConvCounts counts = shape ? countFastConvolution(c.fastAlgorithm, *shape) : FastConvCounts{};
            if (!counts.applicable)
                notFast[c.fastAlgorithmRule].push_back(layer.name + ": " + (shape ? counts.reason : "not a 1-D or 2-D convolution"));
        }
    }
    for (const auto& rule : pruningRulesSet)
        if (!pruningRulesUsed.count(rule))
            warnings.push_back("compression: the rule at " + rule + " sets pruning but no layer with weights keeps it");
    for (const auto& [rule, layers] : notFast)
        warnings.push_back("compression: the fast algorithm set at " + rule + " does not apply to " + std::to_string(layers.size()) +
                           (layers.size() == 1 ? " layer (" : " layers (e.g. ") + layers.front() + "); computed directly");
    return warnings;
}

}  // namespace cdx
