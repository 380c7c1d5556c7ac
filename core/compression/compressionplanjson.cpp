// Reading a project's "compression" block into a CompressionPlan.
#include "core/compression/compressionplan.h"
#include "core/util/fileio.h"

#include "core/util/jsonreader.h"

namespace cdx {

namespace {

std::string joined(const std::vector<std::string_view>& names)
{
    std::string list;
    for (auto n : names)
        list += (list.empty() ? "" : ", ") + std::string(n);
    return list;
}

NumberFormat readFormat(const JsonValue& v)
{
    const auto f = numberFormatFromName(v.asString());
    if (!f)
        v.fail("unknown number format \"" + v.asString() + "\" (one of " + joined(numberFormatNames()) + ")");
    return *f;
}

double readDensity(JsonObject& o, const char* key)
{
    const JsonValue v = o.required(key);
    const double d = v.asNumber();
    if (!(d > 0 && d <= 1))
        v.fail("must be in (0, 1], got " + v.raw().dump());
    return d;
}

CompressionSetting::Operand readOperand(JsonObject& o, bool activations, CompressionSetting& s)
{
    CompressionSetting::Operand op;
    if (const auto bits = o.optional("bits"))
        op.bits = static_cast<int>(bits->asInt(1, 32));
    if (const auto fmt = o.optional("format"))
        op.format = readFormat(*fmt);
    if (op.bits && op.format && impliedBits(*op.format) > 0 && *op.bits != impliedBits(*op.format))
        o.fail(std::string(numberFormatName(*op.format)) + " is " + std::to_string(impliedBits(*op.format)) + " bits wide, not " +
               std::to_string(*op.bits));
    if (op.bits && op.format == NumberFormat::Codebook && *op.bits > 16)
        o.fail("a codebook has at most 2^16 entries (bits <= 16)");
    if (const auto sym = o.optional("symmetric"))
        op.symmetric = sym->asBool();
    if (const auto radix = o.optional("radix")) {
        if (radix->isString()) {
            if (radix->asString() != "auto")
                radix->fail("expected bits after the radix point or \"auto\"");
            op.fracBits = std::optional<int>();
        } else {
            op.fracBits = std::optional<int>(static_cast<int>(radix->asInt(-64, 64)));
        }
    }
    if (const auto bias = o.optional("bias")) {
        if (bias->isString()) {
            const std::string mode = bias->asString();
            if (mode == "standard")
                op.biasMode = FpBias::Standard;
            else if (mode == "adaptive")
                op.biasMode = FpBias::Adaptive;
            else
                bias->fail("expected an exponent bias, \"standard\" or \"adaptive\"");
        } else {
            op.biasMode = FpBias::Fixed;
            op.bias = static_cast<int>(bias->asInt(-300, 300));
        }
    }
    if (const auto granularity = o.optional("granularity")) {
        op.granularity = quantGranularityFromName(granularity->asString());
        if (!op.granularity)
            granularity->fail("unknown granularity \"" + granularity->asString() + "\" (\"channel\" or \"tensor\")");
        if (activations && *op.granularity != QuantGranularity::Tensor)
            granularity->fail("activations are quantised per tensor: only \"tensor\"");
    }
    if (activations)
        if (const auto density = o.optional("density")) {
            const double d = density->asNumber();
            if (!(d > 0 && d <= 1))
                density->fail("must be in (0, 1], got " + density->raw().dump());
            s.activationDensity = d;
        }
    o.rejectUnknownKeys();
    return op;
}

PruningSpec readPruning(const JsonValue& v)
{
    PruningSpec p;
    if (v.isString()) {
        if (v.asString() != "none")
            v.fail("a pruning setting is an object with \"kind\" and its parameters (only \"none\" may be a string)");
        return p;
    }
    JsonObject o = v.asObject();
    const JsonValue kindValue = o.required("kind");
    const auto kind = pruningKindFromName(kindValue.asString());
    if (!kind)
        kindValue.fail("unknown pruning kind \"" + kindValue.asString() + "\" (one of " + joined(pruningKindNames()) + ")");
    p.kind = *kind;
    switch (p.kind) {
    case PruningKind::None: break;
    case PruningKind::Unstructured: p.density = readDensity(o, "density"); break;
    case PruningKind::LoadBalanced:
        p.density = readDensity(o, "density");
        p.pes = o.optionalInt("pes", 1, 1, 1 << 20);
        break;
    case PruningKind::TopK: {
        p.group = o.requiredInt("group", 1, 1 << 20);
        const JsonValue k = o.required("k");
        p.k = k.asInt(1, p.group);
        break;
    }
    case PruningKind::BlockDiagonal:
        p.blocks = o.requiredInt("blocks", 1, 1 << 20);
        p.seed = static_cast<std::uint64_t>(o.optionalInt("seed", 1, 0));
        break;
    case PruningKind::Channel: p.keep = readDensity(o, "keep"); break;
    case PruningKind::NM:
        p.m = o.requiredInt("m", 1, 1 << 20);
        p.n = o.required("n").asInt(1, p.m);
        break;
    case PruningKind::Block:
        p.size = o.requiredInt("size", 1, 1 << 20);
        p.density = readDensity(o, "density");
        break;
    case PruningKind::Circulant:
        p.blockSize = o.requiredInt("block_size", 1, 1 << 20);
        p.pad = o.optionalBool("pad", false);
        break;
    case PruningKind::Group: p.groups = o.requiredInt("groups", 1, 1 << 20); break;
    }
    o.rejectUnknownKeys();
    return p;
}

StorageSpec readStorage(const JsonValue& v)
{
    JsonObject o = v.asObject();
    StorageSpec s;
    if (const auto f = o.optional("format")) {
        const auto format = storageFormatFromName(f->asString());
        if (!format)
            f->fail("unknown storage format \"" + f->asString() + "\" (one of " + joined(storageFormatNames()) + ")");
        s.format = *format;
    }
    s.indexBits = static_cast<int>(o.optionalInt("index_bits", 4, 1, 16));
    s.pes = o.optionalInt("pes", 0, 0, 1 << 20);
    o.rejectUnknownKeys();
    return s;
}

CompressionSetting readSetting(JsonObject& o)
{
    CompressionSetting s;
    if (const auto w = o.optional("weights")) {
        JsonObject wo = w->asObject();
        s.weights = readOperand(wo, false, s);
    }
    if (const auto a = o.optional("activations")) {
        JsonObject ao = a->asObject();
        s.activations = readOperand(ao, true, s);
    }
    if (const auto acc = o.optional("accumulator")) {
        JsonObject ac = acc->asObject();
        const JsonValue bits = ac.required("bits");
        if (bits.isString()) {
            if (bits.asString() != "auto")
                bits.fail("expected the accumulator's bits (1 to 64) or \"auto\" (the measured range plus a margin)");
            s.accumulatorAuto = true;
            if (const auto margin = ac.optional("margin_bits"))
                s.accumulatorMarginBits = static_cast<int>(margin->asInt(0, 16));
        } else {
            s.accumulatorBits = static_cast<int>(bits.asInt(1, 64));
            s.accumulatorAuto = false;
        }
        ac.rejectUnknownKeys();
    }
    if (const auto p = o.optional("pruning"))
        s.pruning = readPruning(*p);
    if (const auto st = o.optional("storage"))
        s.storage = readStorage(*st);
    if (const auto f = o.optional("fast_algorithm")) {
        const auto algorithm = fastAlgorithmFromName(f->asString());
        if (!algorithm)
            f->fail("unknown fast algorithm \"" + f->asString() + "\" (one of " + joined(fastAlgorithmNames()) + ")");
        s.fastAlgorithm = *algorithm;
    }
    return s;
}

CompressionRule readRule(JsonObject& o)
{
    CompressionRule rule;
    rule.path = o.path();
    if (const auto m = o.optional("match")) {
        if (m->isArray()) {
            rule.nameGlobs = m->asStringArray();
            if (rule.nameGlobs.empty())
                m->fail("an empty list matches no layer: give at least one name glob");
        } else {
            rule.nameGlobs = {m->asString()};
        }
    }
    if (const auto k = o.optional("kind")) {
        rule.kind = layerKindFromName(k->asString());
        if (!rule.kind)
            k->fail("unknown layer kind \"" + k->asString() + "\"");
    }
    if (const auto index = o.optional("index")) {
        if (index->isArray()) {
            const auto range = index->asIntArray(0);
            if (range.size() != 2 || range[0] > range[1])
                index->fail("expected [first, last] with first <= last");
            rule.indexRange = std::pair{range[0], range[1]};
        } else {
            const auto at = index->asInt(0);
            rule.indexRange = std::pair{at, at};
        }
    }
    if (rule.nameGlobs.empty() && !rule.kind && !rule.indexRange)
        o.fail("a rule needs \"match\", \"kind\" or \"index\" to say which layers it sets");
    rule.setting = readSetting(o);
    o.rejectUnknownKeys();
    return rule;
}

}  // namespace

Result<CompressionPlan> CompressionPlan::fromJson(const nlohmann::ordered_json& block, const std::string& file)
{
    try {
        const nlohmann::json plain = block;
        JsonObject root(plain, "/compression");
        CompressionPlan plan;
        plan.file = file;
        if (const auto d = root.optional("default")) {
            JsonObject o = d->asObject();
            plan.defaults = readSetting(o);
            o.rejectUnknownKeys();
        }
        if (const auto layers = root.optional("layers"))
            for (const auto& entry : layers->asArray()) {
                JsonObject o = entry.asObject();
                plan.rules.push_back(readRule(o));
            }
        if (const auto sensitivity = root.optional("sensitivity")) {
            plan.sensitivityPath = sensitivity->asString();
            if (leavesItsFolder(plan.sensitivityPath))
                sensitivity->fail("\"" + plan.sensitivityPath + "\" leaves the project's folder; keep the table in the project's folder or give its absolute path");
        }
        root.rejectUnknownKeys();
        return plan;
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = file;
        return error;
    }
}

}  // namespace cdx
