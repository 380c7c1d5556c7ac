#include "core/compression/compressionplan.h"

#include "core/compression/weightmatrix.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace cdx {

bool globMatch(std::string_view pattern, std::string_view text)
{
    // Iterative matching with backtracking to the last star.
    std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

bool CompressionRule::matches(const Layer& layer, Dim index) const
{
    if (!nameGlobs.empty() &&
        std::none_of(nameGlobs.begin(), nameGlobs.end(), [&](const std::string& glob) { return globMatch(glob, layer.name); }))
        return false;
    if (kind && layer.kind != *kind)
        return false;
    if (indexRange && (index < indexRange->first || index > indexRange->second))
        return false;
    return true;
}

namespace {

void applyOperand(const CompressionSetting::Operand& s, QuantSpec& q)
{
    if (s.bits)
        q.bits = *s.bits;
    if (s.format) {
        q.format = *s.format;
        if (!s.bits && impliedBits(*s.format) > 0)
            q.bits = impliedBits(*s.format);
    }
    if (s.symmetric)
        q.symmetric = *s.symmetric;
    if (s.fracBits)
        q.fracBits = *s.fracBits;
    if (s.biasMode)
        q.biasMode = *s.biasMode;
    if (s.bias)
        q.bias = *s.bias;
    if (s.granularity)
        q.granularity = *s.granularity;
}

void apply(const CompressionSetting& s, const std::string& rule, LayerCompression& c)
{
    applyOperand(s.weights, c.weights);
    applyOperand(s.activations, c.activations);
    if (s.activationDensity)
        c.activationDensity = *s.activationDensity;
    if (s.accumulatorBits)
        c.accumulatorBits = *s.accumulatorBits;
    if (s.accumulatorAuto) {
        c.accumulatorAuto = *s.accumulatorAuto;
        if (c.accumulatorAuto)
            c.accumulatorBits = 0;
    }
    if (s.accumulatorMarginBits)
        c.accumulatorMarginBits = *s.accumulatorMarginBits;
    if (s.pruning) {
        c.pruning = *s.pruning;
        c.pruningRule = rule;
    }
    if (s.storage) {
        c.storage = *s.storage;
        c.storageRule = rule;
    }
    if (s.fastAlgorithm) {
        c.fastAlgorithm = *s.fastAlgorithm;
        c.fastAlgorithmRule = rule;
    }
}

/// FP8 formats choose their bias from the data unless told otherwise (the SustainML framework (sustainml.eu)).
QuantSpec defaultSpec()
{
    QuantSpec q;
    q.biasMode = FpBias::Adaptive;
    return q;
}

nlohmann::ordered_json operandJson(const QuantSpec& q)
{
    nlohmann::ordered_json j;
    j["bits"] = q.bits;
    j["format"] = std::string(numberFormatName(q.format));
    if (q.format == NumberFormat::Int)
        j["symmetric"] = q.symmetric;
    if (q.format == NumberFormat::Fixed)
        j["radix"] = q.fracBits ? nlohmann::ordered_json(*q.fracBits) : nlohmann::ordered_json("auto");
    if (isFloatingPoint(q.format))
        j["bias"] = q.biasMode == FpBias::Fixed      ? nlohmann::ordered_json(q.bias)
                    : q.biasMode == FpBias::Adaptive ? nlohmann::ordered_json("adaptive")
                                                     : nlohmann::ordered_json("standard");
    j["granularity"] = std::string(quantGranularityName(q.granularity));
    return j;
}

nlohmann::ordered_json pruningJson(const PruningSpec& p)
{
    nlohmann::ordered_json j;
    j["kind"] = std::string(pruningKindName(p.kind));
    switch (p.kind) {
    case PruningKind::None: break;
    case PruningKind::Unstructured: j["density"] = p.density; break;
    case PruningKind::LoadBalanced:
        j["density"] = p.density;
        j["pes"] = p.pes;
        break;
    case PruningKind::TopK:
        j["group"] = p.group;
        j["k"] = p.k;
        break;
    case PruningKind::BlockDiagonal:
        j["blocks"] = p.blocks;
        j["seed"] = p.seed;
        break;
    case PruningKind::Channel: j["keep"] = p.keep; break;
    case PruningKind::NM:
        j["n"] = p.n;
        j["m"] = p.m;
        break;
    case PruningKind::Block:
        j["size"] = p.size;
        j["density"] = p.density;
        break;
    case PruningKind::Circulant:
        j["block_size"] = p.blockSize;
        j["pad"] = p.pad;
        break;
    case PruningKind::Group: j["groups"] = p.groups; break;
    }
    return j;
}

std::string operandText(const QuantSpec& q)
{
    return std::to_string(q.bits) + " " + std::string(numberFormatName(q.format)) + (q.perChannel() ? "/ch" : "");
}

/// Per-channel int weights are what quantisation toolchains produce by default (a scale per
/// output channel costs a few bits per row and removes most of the error of rows with small
/// weights); other formats keep one fit per tensor unless told. A format without per-channel
/// fits resolves to per tensor, so the setting says what is actually done.
void resolveGranularity(bool explicitWeights, LayerCompression& c)
{
    if (!explicitWeights)
        c.weights.granularity = c.weights.format == NumberFormat::Int ? QuantGranularity::Channel : QuantGranularity::Tensor;
    if (!supportsChannelGranularity(c.weights.format))
        c.weights.granularity = QuantGranularity::Tensor;
    c.activations.granularity = QuantGranularity::Tensor;
}

}  // namespace

nlohmann::ordered_json LayerCompression::toJson() const
{
    nlohmann::ordered_json j;
    j["weights"] = operandJson(weights);
    j["activations"] = operandJson(activations);
    j["activations"]["density"] = activationDensity;
    if (accumulatorAuto)
        j["accumulator"] = {{"bits", "auto"}, {"margin_bits", accumulatorMarginBits}};  // the width: operand_bits
    else if (accumulatorBits > 0)
        j["accumulator"] = {{"bits", accumulatorBits}};
    j["pruning"] = pruningJson(pruning);
    j["storage"] = {{"format", std::string(storageFormatName(storage.format))}, {"index_bits", storage.indexBits}, {"pes", storage.pes}};
    j["fast_algorithm"] = std::string(fastAlgorithmName(fastAlgorithm));
    j["rules"] = rules;
    return j;
}

std::string LayerCompression::describe() const
{
    std::string text = "w" + operandText(weights) + ", a" + operandText(activations);
    if (pruning.kind != PruningKind::None)
        text += ", " + pruning.describe();
    if (storage.format != StorageFormat::Auto)
        text += ", " + std::string(storageFormatName(storage.format)) +
                (storage.format == StorageFormat::Csc ? " i" + std::to_string(storage.indexBits) : "");
    if (fastAlgorithm != FastAlgorithm::None)
        text += ", " + std::string(fastAlgorithmName(fastAlgorithm));
    return text;
}

std::string LayerCompression::key() const
{
    std::string k;
    k.reserve(128);
    auto add = [&k](double v) {
        char text[32];
        std::snprintf(text, sizeof text, "%.17g,", v);
        k += text;
    };
    for (const QuantSpec* q : {&weights, &activations}) {
        add(q->bits);
        add(static_cast<int>(q->format));
        add(q->symmetric);
        add(q->fracBits ? *q->fracBits : 1000);
        add(static_cast<int>(q->biasMode));
        add(q->bias);
        add(static_cast<int>(q->granularity));
    }
    const PruningSpec& p = pruning;
    for (double v : {static_cast<double>(accumulatorBits), static_cast<double>(accumulatorAuto), static_cast<double>(accumulatorMarginBits), activationDensity, static_cast<double>(p.kind), p.density, static_cast<double>(p.pes),
                     static_cast<double>(p.group), static_cast<double>(p.k), static_cast<double>(p.blocks), static_cast<double>(p.seed), p.keep,
                     static_cast<double>(p.n), static_cast<double>(p.m), static_cast<double>(p.size), static_cast<double>(p.blockSize),
                     static_cast<double>(p.pad), static_cast<double>(p.groups), static_cast<double>(storage.format),
                     static_cast<double>(storage.indexBits), static_cast<double>(storage.pes), static_cast<double>(storage.blockSize),
                     static_cast<double>(fastAlgorithm)})
        add(v);
    return k;
}

LayerCompression CompressionPlan::forLayer(const Layer& layer, Dim index) const
{
    LayerCompression c;
    c.weights = defaultSpec();
    c.activations = defaultSpec();
    apply(defaults, "/compression/default", c);
    c.rules.push_back("default");
    bool explicitGranularity = defaults.weights.granularity.has_value();
    for (const auto& rule : rules)
        if (rule.matches(layer, index)) {
            apply(rule.setting, rule.path, c);
            c.rules.push_back(rule.path);
            explicitGranularity = explicitGranularity || rule.setting.weights.granularity.has_value();
        }
    resolveGranularity(explicitGranularity, c);
    if (c.accumulatorAuto && !accumulatorProfile.empty()) {
        int needed = 0;
        if (index < 0) {
            for (const auto& [name, bits] : accumulatorProfile)
                needed = std::max(needed, bits);
        } else if (const auto it = accumulatorProfile.find(layer.name); it != accumulatorProfile.end()) {
            needed = it->second;
        }
        if (needed > 0)
            c.accumulatorBits = std::min(64, needed + c.accumulatorMarginBits);
    }
    return c;
}

std::vector<std::string> CompressionPlan::unmatchedRules(const Network& net) const
{
    std::vector<std::string> out;
    for (const auto& rule : rules) {
        bool any = false;
        for (std::size_t i = 0; i < net.layers().size() && !any; ++i)
            any = rule.matches(net.layers()[i], static_cast<Dim>(i));
        if (!any)
            out.push_back(rule.path);
    }
    return out;
}

}  // namespace cdx
