#include "core/onnx/onnxmodel.h"

#include "core/util/checkedmath.h"

namespace cdx {

std::string onnxElementTypeName(OnnxElementType type)
{
    switch (type) {
    case OnnxElementType::Float: return "float32";
    case OnnxElementType::Uint8: return "uint8";
    case OnnxElementType::Int8: return "int8";
    case OnnxElementType::Uint16: return "uint16";
    case OnnxElementType::Int16: return "int16";
    case OnnxElementType::Int32: return "int32";
    case OnnxElementType::Int64: return "int64";
    case OnnxElementType::String: return "string";
    case OnnxElementType::Bool: return "bool";
    case OnnxElementType::Float16: return "float16";
    case OnnxElementType::Double: return "float64";
    case OnnxElementType::Uint32: return "uint32";
    case OnnxElementType::Uint64: return "uint64";
    case OnnxElementType::BFloat16: return "bfloat16";
    case OnnxElementType::Undefined: break;
    }
    return "type " + std::to_string(static_cast<int>(type));
}

bool isFloatElementType(OnnxElementType type)
{
    return type == OnnxElementType::Float || type == OnnxElementType::Float16 || type == OnnxElementType::Double ||
           type == OnnxElementType::BFloat16;
}

Dim OnnxTensor::size() const
{
    Dim n = 1;
    for (Dim d : dims)
        n = checkedMul(n, d);
    return n;
}

double OnnxTensor::value(std::size_t i) const
{
    if (floats)
        return static_cast<double>((*floats)[i]);
    return static_cast<double>((*ints)[i]);
}

std::vector<std::int64_t> OnnxTensor::asInts() const
{
    if (ints)
        return *ints;
    std::vector<std::int64_t> values;
    if (floats)
        for (float f : *floats)
            values.push_back(static_cast<std::int64_t>(f));
    return values;
}

OnnxTensor OnnxTensor::fromFloats(Shape dims, std::vector<float> values, OnnxElementType type)
{
    OnnxTensor t;
    t.dims = std::move(dims);
    t.type = type;
    t.floats = std::make_shared<const std::vector<float>>(std::move(values));
    return t;
}

OnnxTensor OnnxTensor::fromInts(Shape dims, std::vector<std::int64_t> values, OnnxElementType type)
{
    OnnxTensor t;
    t.dims = std::move(dims);
    t.type = type;
    t.ints = std::make_shared<const std::vector<std::int64_t>>(std::move(values));
    return t;
}

const OnnxAttribute* OnnxNode::attribute(const std::string& key) const
{
    auto it = attributes.find(key);
    return it == attributes.end() ? nullptr : &it->second;
}

std::int64_t OnnxNode::intAttr(const std::string& key, std::int64_t fallback) const
{
    const auto* a = attribute(key);
    return a && a->type == OnnxAttribute::Type::Int ? a->i : fallback;
}

double OnnxNode::floatAttr(const std::string& key, double fallback) const
{
    const auto* a = attribute(key);
    if (!a)
        return fallback;
    if (a->type == OnnxAttribute::Type::Float)
        return a->f;
    if (a->type == OnnxAttribute::Type::Int)
        return static_cast<double>(a->i);
    return fallback;
}

std::string OnnxNode::stringAttr(const std::string& key, const std::string& fallback) const
{
    const auto* a = attribute(key);
    return a && a->type == OnnxAttribute::Type::String ? a->s : fallback;
}

std::vector<std::int64_t> OnnxNode::intsAttr(const std::string& key) const
{
    const auto* a = attribute(key);
    if (!a)
        return {};
    if (a->type == OnnxAttribute::Type::Ints)
        return a->ints;
    if (a->type == OnnxAttribute::Type::Int)
        return {a->i};
    return {};
}

std::string OnnxNode::describe() const
{
    const std::string op = domain.empty() ? opType : domain + "." + opType;
    if (!name.empty())
        return "node \"" + name + "\" (" + op + ")";
    if (!outputs.empty() && !outputs[0].empty())
        return op + " node producing \"" + outputs[0] + "\"";
    return op + " node";
}

}  // namespace cdx
