// The one place that speaks protobuf: ONNX ModelProto in, OnnxModel (plain structs) out.
#include "core/onnx/onnxreader.h"

#include "core/util/checkedmath.h"
#include "core/util/fileio.h"

#include <onnx/defs/schema.h>
#include <onnx/onnx_pb.h>
#include <onnx/shape_inference/implementation.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cerrno>

namespace cdx {

namespace {

namespace fs = std::filesystem;

/// Protobuf cannot parse messages of 2 GiB or more; larger models keep their weights in
/// external data files.
constexpr std::uintmax_t kMaxModelBytes = (std::uintmax_t{1} << 31) - 1;

[[noreturn]] void fail(const std::string& location, const std::string& message)
{
    throw InputError(location, message);
}

std::string tensorWhere(const std::string& name) { return "tensor \"" + name + "\""; }

float halfToFloat(std::uint16_t h)
{
    const std::uint32_t sign = (h & 0x8000u) << 16;
    std::uint32_t exponent = (h >> 10) & 0x1fu;
    std::uint32_t mantissa = h & 0x3ffu;
    std::uint32_t bits = 0;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            exponent = 127 - 15 + 1;
            while ((mantissa & 0x400u) == 0) {
                mantissa <<= 1;
                --exponent;
            }
            bits = sign | (exponent << 23) | ((mantissa & 0x3ffu) << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7f800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent + 127 - 15) << 23) | (mantissa << 13);
    }
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

float bfloat16ToFloat(std::uint16_t b)
{
    const std::uint32_t bits = static_cast<std::uint32_t>(b) << 16;
    float f = 0;
    std::memcpy(&f, &bits, sizeof f);
    return f;
}

std::size_t elementBytes(OnnxElementType type)
{
    switch (type) {
    case OnnxElementType::Float:
    case OnnxElementType::Int32:
    case OnnxElementType::Uint32: return 4;
    case OnnxElementType::Double:
    case OnnxElementType::Int64:
    case OnnxElementType::Uint64: return 8;
    case OnnxElementType::Float16:
    case OnnxElementType::BFloat16:
    case OnnxElementType::Int16:
    case OnnxElementType::Uint16: return 2;
    case OnnxElementType::Int8:
    case OnnxElementType::Uint8:
    case OnnxElementType::Bool: return 1;
    default: return 0;
    }
}

template <class T>
T readLittleEndian(const char* p)
{
    T v{};
    std::memcpy(&v, p, sizeof v);  // x86-64 and aarch64 are little-endian, as ONNX raw data is
    return v;
}

/// Decodes raw little-endian bytes of `count` elements.
void decodeRaw(const std::string& raw, OnnxElementType type, std::size_t count, std::vector<float>& floats,
               std::vector<std::int64_t>& ints)
{
    const std::size_t size = elementBytes(type);
    const bool isFloat = isFloatElementType(type);
    (isFloat ? static_cast<void>(floats.reserve(count)) : static_cast<void>(ints.reserve(count)));
    for (std::size_t i = 0; i < count; ++i) {
        const char* p = raw.data() + i * size;
        switch (type) {
        case OnnxElementType::Float: floats.push_back(readLittleEndian<float>(p)); break;
        case OnnxElementType::Double: floats.push_back(static_cast<float>(readLittleEndian<double>(p))); break;
        case OnnxElementType::Float16: floats.push_back(halfToFloat(readLittleEndian<std::uint16_t>(p))); break;
        case OnnxElementType::BFloat16: floats.push_back(bfloat16ToFloat(readLittleEndian<std::uint16_t>(p))); break;
        case OnnxElementType::Int8: ints.push_back(readLittleEndian<std::int8_t>(p)); break;
        case OnnxElementType::Uint8:
        case OnnxElementType::Bool: ints.push_back(readLittleEndian<std::uint8_t>(p)); break;
        case OnnxElementType::Int16: ints.push_back(readLittleEndian<std::int16_t>(p)); break;
        case OnnxElementType::Uint16: ints.push_back(readLittleEndian<std::uint16_t>(p)); break;
        case OnnxElementType::Int32: ints.push_back(readLittleEndian<std::int32_t>(p)); break;
        case OnnxElementType::Uint32: ints.push_back(readLittleEndian<std::uint32_t>(p)); break;
        case OnnxElementType::Int64: ints.push_back(readLittleEndian<std::int64_t>(p)); break;
        case OnnxElementType::Uint64: ints.push_back(static_cast<std::int64_t>(readLittleEndian<std::uint64_t>(p))); break;
        default: break;
        }
    }
}

class Reader {
public:
    Reader(const std::string& path, const DimBindings& bindings) : path_(path), bindings_(bindings) {}

    OnnxModel read(onnx::ModelProto& proto)
    {
        model_.path = path_;
        checkVersions(proto);
        if (!proto.has_graph())
            fail({}, "the file holds no graph; is it an ONNX model?");
        bindInputs(*proto.mutable_graph());
        checkArity(proto.graph());
        if (const std::string why = unorderedInput(proto.graph(), {}); !why.empty())
            model_.warnings.push_back("ONNX shape inference skipped: " + why + "; shapes are inferred by the importer");
        else
            inferShapes(proto);
        countStoredFloats(proto.graph());
        model_.graph = convertGraph(proto.graph());
        return std::move(model_);
    }

private:
    void checkVersions(const onnx::ModelProto& proto)
    {
        model_.irVersion = proto.ir_version();
        model_.producer = proto.producer_name();
        if (!proto.producer_version().empty())
            model_.producer += " " + proto.producer_version();
        if (model_.irVersion < 3)
            fail("ir_version", "IR version " + std::to_string(model_.irVersion) +
                                   " is not an ONNX model this tool reads (3 to " + std::to_string(kMaxOnnxIrVersion) + ")");
        if (model_.irVersion > kMaxOnnxIrVersion)
            model_.warnings.push_back("IR version " + std::to_string(model_.irVersion) + " is newer than " +
                                      std::to_string(kMaxOnnxIrVersion) + "; reading it anyway");
        bool found = false;
        for (const auto& set : proto.opset_import()) {
            if (set.domain().empty() || set.domain() == "ai.onnx") {
                model_.opset = set.version();
                found = true;
            }
        }
        if (!found)
            fail("opset_import", "no opset for the default ONNX domain");
        if (model_.opset > kMaxOnnxOpset)
            fail("opset_import", "opset " + std::to_string(model_.opset) +
                                     " of the default domain is newer than this build supports (" +
                                     std::to_string(kMinOnnxOpset) + " to " + std::to_string(kMaxOnnxOpset) + ")");
        if (model_.opset < kMinOnnxOpset)
            model_.warnings.push_back("opset " + std::to_string(model_.opset) + " is older than " +
                                      std::to_string(kMinOnnxOpset) + "; reading it with the rules of opset " +
                                      std::to_string(kMinOnnxOpset));
    }

    /// A value for a symbolic dimension: the binding of its name; a "batch" or "seq_len"
    /// binding where the name or place says so; otherwise 1, with a warning.
    Dim valueFor(const std::string& symbol, std::size_t index, const std::string& input)
    {
        if (auto it = model_.dims.find(symbol); it != model_.dims.end())
            return it->second;
        Dim value = 1;
        std::string lower = symbol;
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
        auto bound = [&](const char* key) { return bindings_.count(key) > 0; };
        if (auto it = bindings_.find(symbol); it != bindings_.end()) {
            value = it->second;
            used_.insert(symbol);
        } else if (bound("batch") && (lower == "batch" || lower == "batch_size" || lower == "n" || lower == "bs" ||
                                      (index == 0 && lower.find("seq") == std::string::npos))) {
            value = bindings_.at("batch");
            used_.insert("batch");
            if (lower != "batch")
                model_.warnings.push_back("dimension " + symbol + " of input \"" + input + "\" takes batch = " +
                                          std::to_string(value));
        } else if (bound("seq_len") && (lower.find("seq") != std::string::npos || lower.find("len") != std::string::npos ||
                                        lower.find("time") != std::string::npos)) {
            value = bindings_.at("seq_len");
            used_.insert("seq_len");
            model_.warnings.push_back("dimension " + symbol + " of input \"" + input + "\" takes seq_len = " +
                                      std::to_string(value));
        } else {
            model_.defaultedDims.push_back(symbol);
            model_.warnings.push_back("dimension " + symbol + " of input \"" + input +
                                      "\" is not set; using 1 (set it with --dim " + symbol + "=N or in the project)");
        }
        model_.dims[symbol] = value;
        return value;
    }

    void bindInputs(onnx::GraphProto& graph)
    {
        std::set<std::string> initializers;
        for (const auto& init : graph.initializer())
            initializers.insert(init.name());
        for (auto& input : *graph.mutable_input()) {
            if (initializers.count(input.name()) || !input.type().has_tensor_type())
                continue;
            auto* shape = input.mutable_type()->mutable_tensor_type()->mutable_shape();
            for (int d = 0; d < shape->dim_size(); ++d) {
                auto* dim = shape->mutable_dim(d);
                if (dim->has_dim_value() && dim->dim_value() > 0)
                    continue;
                if (dim->has_dim_value() && dim->dim_value() < 0)
                    fail("input \"" + input.name() + "\"", "dimension " + std::to_string(d) + " is negative");
                std::string symbol = dim->has_dim_param() && !dim->dim_param().empty()
                                         ? dim->dim_param()
                                         : input.name() + ":" + std::to_string(d);
                symbols_[input.name()].emplace(d, symbol);
                dim->set_dim_value(valueFor(symbol, static_cast<std::size_t>(d), input.name()));
            }
        }
        for (const auto& [symbol, value] : bindings_)
            if (!used_.count(symbol))
                model_.warnings.push_back("dimension " + symbol + " = " + std::to_string(value) +
                                          " is not used by this model");
    }

    /// Every node of the default domain has as many inputs as its schema allows, and names its
    /// required ones. ONNX's shape inference (libonnx 1.12) reads a missing required input's
    /// type without checking and crashes, so this runs before it; subgraphs are checked too.
    static std::string range(int low, int high)
    {
        if (high == low)
            return std::to_string(low);
        if (high == std::numeric_limits<int>::max())
            return std::to_string(low) + " or more";
        return std::to_string(low) + " to " + std::to_string(high);
    }

    void checkArity(const onnx::GraphProto& graph)
    {
        for (const auto& node : graph.node()) {
            if (node.domain().empty() || node.domain() == "ai.onnx") {
                const auto* schema = onnx::OpSchemaRegistry::Schema(node.op_type(), static_cast<int>(model_.opset));
                if (schema != nullptr) {
                    const std::string where = "node \"" + (node.name().empty() ? node.op_type() : node.name()) + "\" (" + node.op_type() + ")";
                    const int n = node.input_size();
                    if (n < schema->min_input() || n > schema->max_input())
                        fail(where, "has " + std::to_string(n) + " inputs; " + node.op_type() + " takes " +
                                        range(schema->min_input(), schema->max_input()));
                    const auto& formal = schema->inputs();
                    for (int i = 0; i < n && i < static_cast<int>(formal.size()); ++i)
                        if (node.input(i).empty() && formal[static_cast<std::size_t>(i)].GetOption() == onnx::OpSchema::Single)
                            fail(where, "leaves its required input " + formal[static_cast<std::size_t>(i)].GetName() + " empty");
                    const int outputs = node.output_size();
                    if (outputs < schema->min_output() || outputs > schema->max_output())
                        fail(where, "has " + std::to_string(outputs) + " outputs; " + node.op_type() + " makes " +
                                        range(schema->min_output(), schema->max_output()));
                    const auto& made = schema->outputs();
                    for (int i = 0; i < outputs && i < static_cast<int>(made.size()); ++i)
                        if (node.output(i).empty() && made[static_cast<std::size_t>(i)].GetOption() == onnx::OpSchema::Single)
                            fail(where, "leaves its required output " + made[static_cast<std::size_t>(i)].GetName() + " unnamed");
                }
            }
            for (const auto& attribute : node.attribute()) {
                if (attribute.has_g())
                    checkArity(attribute.g());
                for (const auto& g : attribute.graphs())
                    checkArity(g);
            }
        }
    }

    /// Why ONNX's shape inference cannot be run safely: a node reads a tensor that nothing
    /// before it (in the graph's order, or in an enclosing graph) makes. libonnx 1.12 then reads
    /// a missing type and crashes; the importer orders the graph itself and names the tensor.
    std::string unorderedInput(const onnx::GraphProto& graph, std::set<std::string> known)
    {
        for (const auto& input : graph.input())
            known.insert(input.name());
        for (const auto& initializer : graph.initializer())
            known.insert(initializer.name());
        for (const auto& node : graph.node()) {
            for (const auto& name : node.input())
                if (!name.empty() && !known.count(name))
                    return "node \"" + (node.name().empty() ? node.op_type() : node.name()) + "\" (" + node.op_type() + ") reads \"" +
                           name + "\" before anything makes it";
            for (const auto& attribute : node.attribute()) {
                if (attribute.has_g())
                    if (std::string why = unorderedInput(attribute.g(), known); !why.empty())
                        return why;
                for (const auto& g : attribute.graphs())
                    if (std::string why = unorderedInput(g, known); !why.empty())
                        return why;
            }
            for (const auto& name : node.output())
                known.insert(name);
        }
        return {};
    }

    /// Whether ONNX's shape inference gets through `proto` without a crash. libonnx 1.12 reads
    /// past checks it does not make on some malformed models (a fuzzed ConvInteger takes the
    /// process down), so it runs first in a child process, silenced, that only reports whether
    /// it finished. fork() keeps the parent's memory copy-on-write; the child calls _exit.
    static bool shapeInferenceSurvives(onnx::ModelProto& proto)
    {
        const pid_t child = ::fork();
        if (child < 0)
            return true;  // no child to try it in: run it as before
        if (child == 0) {
            if (const int null = ::open("/dev/null", O_WRONLY); null >= 0)
                ::dup2(null, STDERR_FILENO);
            try {
                onnx::ShapeInferenceOptions options(false, 0, true);
                onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
            } catch (...) {
            }
            ::_exit(0);
        }
        int status = 0;
        while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
        }
        return WIFEXITED(status);
    }

    void inferShapes(onnx::ModelProto& proto)
    {
        if (!shapeInferenceSurvives(proto)) {
            model_.warnings.push_back("ONNX shape inference crashes on this model (a malformed node?); shapes are inferred by the importer");
            return;
        }
        try {
            onnx::ShapeInferenceOptions options(false, 0, true);
            onnx::shape_inference::InferShapes(proto, onnx::OpSchemaRegistry::Instance(), options);
        } catch (const std::exception& e) {
            model_.warnings.push_back(std::string("ONNX shape inference stopped early (") + e.what() +
                                      "); shapes are inferred by the importer");
        }
    }

    void countStoredFloats(const onnx::GraphProto& root)
    {
        std::map<std::string, Dim> floats;
        std::set<std::string> used;
        collectFloats(root, floats, used);
        for (const auto& [name, elements] : floats)
            if (used.count(name))
                model_.storedFloatElements = checkedAdd(model_.storedFloatElements, elements);
    }

    static Dim elementsOf(const onnx::TensorProto& t)
    {
        Dim n = 1;
        for (auto d : t.dims())
            n = checkedMul(n, std::max<Dim>(d, 0));
        return n;
    }

    void collectFloats(const onnx::GraphProto& graph, std::map<std::string, Dim>& floats, std::set<std::string>& used)
    {
        for (const auto& t : graph.initializer())
            if (isFloatElementType(static_cast<OnnxElementType>(t.data_type())))
                floats[t.name()] = elementsOf(t);
        for (const auto& node : graph.node()) {
            for (const auto& in : node.input())
                used.insert(in);
            for (const auto& a : node.attribute()) {
                if (a.type() == onnx::AttributeProto::GRAPH)
                    collectFloats(a.g(), floats, used);
                if (node.op_type() != "Constant" || node.output_size() < 1)
                    continue;
                if (a.name() == "value" && a.has_t() && isFloatElementType(static_cast<OnnxElementType>(a.t().data_type())))
                    floats[node.output(0)] = elementsOf(a.t());
                else if (a.name() == "value_float")
                    floats[node.output(0)] = 1;
                else if (a.name() == "value_floats")
                    floats[node.output(0)] = a.floats_size();
            }
        }
    }

public:
    OnnxTensor convertTensor(const onnx::TensorProto& t, const std::string& name)
    {
        OnnxTensor out;
        out.type = static_cast<OnnxElementType>(t.data_type());
        for (auto d : t.dims()) {
            if (d < 0)
                fail(tensorWhere(name), "has a negative dimension " + std::to_string(d));
            out.dims.push_back(d);
        }
        Dim count = 0;
        try {
            count = out.size();
        } catch (const CountOverflow&) {
            fail(tensorWhere(name), "has more elements than 64 bits count");
        }
        if (count > kMaxOnnxConstantElements)
            fail(tensorWhere(name), "has " + std::to_string(count) + " elements; the limit for a constant is " +
                                        std::to_string(kMaxOnnxConstantElements));
        const std::size_t n = static_cast<std::size_t>(count);
        const std::size_t size = elementBytes(out.type);
        if (size == 0) {
            model_.warnings.push_back(tensorWhere(name) + " has element type " + onnxElementTypeName(out.type) +
                                      ", which the tool does not read");
            return out;
        }
        std::vector<float> floats;
        std::vector<std::int64_t> ints;
        if (t.data_location() == onnx::TensorProto::EXTERNAL) {
            const std::string raw = readExternal(t, name, n * size);
            decodeRaw(raw, out.type, n, floats, ints);
        } else if (t.has_raw_data()) {
            if (t.raw_data().size() != n * size)
                fail(tensorWhere(name), "holds " + std::to_string(t.raw_data().size()) + " bytes of raw data; its shape needs " +
                                            std::to_string(n * size));
            decodeRaw(t.raw_data(), out.type, n, floats, ints);
        } else {
            decodeTyped(t, out.type, name, n, floats, ints);
        }
        if (isFloatElementType(out.type))
            out.floats = std::make_shared<const std::vector<float>>(std::move(floats));
        else
            out.ints = std::make_shared<const std::vector<std::int64_t>>(std::move(ints));
        return out;
    }

    void decodeTyped(const onnx::TensorProto& t, OnnxElementType type, const std::string& name, std::size_t n,
                     std::vector<float>& floats, std::vector<std::int64_t>& ints)
    {
        std::size_t available = 0;
        switch (type) {
        case OnnxElementType::Float:
            available = static_cast<std::size_t>(t.float_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i)
                floats.push_back(t.float_data(static_cast<int>(i)));
            break;
        case OnnxElementType::Double:
            available = static_cast<std::size_t>(t.double_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i)
                floats.push_back(static_cast<float>(t.double_data(static_cast<int>(i))));
            break;
        case OnnxElementType::Float16:
        case OnnxElementType::BFloat16:
            available = static_cast<std::size_t>(t.int32_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i) {
                const auto bits = static_cast<std::uint16_t>(t.int32_data(static_cast<int>(i)));
                floats.push_back(type == OnnxElementType::Float16 ? halfToFloat(bits) : bfloat16ToFloat(bits));
            }
            break;
        case OnnxElementType::Int64:
            available = static_cast<std::size_t>(t.int64_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i)
                ints.push_back(t.int64_data(static_cast<int>(i)));
            break;
        case OnnxElementType::Uint32:
        case OnnxElementType::Uint64:
            available = static_cast<std::size_t>(t.uint64_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i)
                ints.push_back(static_cast<std::int64_t>(t.uint64_data(static_cast<int>(i))));
            break;
        default:  // int8, uint8, int16, uint16, int32, bool live in int32_data
            available = static_cast<std::size_t>(t.int32_data_size());
            for (std::size_t i = 0; i < std::min(available, n); ++i)
                ints.push_back(t.int32_data(static_cast<int>(i)));
            break;
        }
        if (available != n)
            fail(tensorWhere(name), "holds " + std::to_string(available) + " values; its shape needs " + std::to_string(n));
    }

    /// External data lives in a file beside the model; the path may not leave the model's folder.
private:
    std::string readExternal(const onnx::TensorProto& t, const std::string& name, std::size_t bytes)
    {
        std::string location;
        std::uintmax_t offset = 0;
        std::uintmax_t length = bytes;
        for (const auto& entry : t.external_data()) {
            try {
                if (entry.key() == "location")
                    location = entry.value();
                else if (entry.key() == "offset")
                    offset = std::stoull(entry.value());
                else if (entry.key() == "length")
                    length = std::stoull(entry.value());
            } catch (const std::exception&) {
                fail(tensorWhere(name), "external data " + entry.key() + " \"" + entry.value() + "\" is not a number");
            }
        }
        const fs::path relative(location);
        if (location.empty() || relative.is_absolute())
            fail(tensorWhere(name), "external data location \"" + location + "\" must be a path relative to the model");
        for (const auto& part : relative)
            if (part == "..")
                fail(tensorWhere(name), "external data location \"" + location + "\" leaves the model's folder");
        if (length != bytes)
            fail(tensorWhere(name), "external data length " + std::to_string(length) + " does not match its shape (" +
                                        std::to_string(bytes) + " bytes)");
        const fs::path file = fs::path(path_).parent_path() / relative;
        std::ifstream in(file, std::ios::binary);
        if (!in)
            fail(tensorWhere(name), "cannot open its external data file " + file.string());
        in.seekg(static_cast<std::streamoff>(offset));
        std::string raw(bytes, '\0');
        in.read(raw.data(), static_cast<std::streamsize>(bytes));
        if (static_cast<std::size_t>(in.gcount()) != bytes)
            fail(tensorWhere(name), "external data file " + file.string() + " ends before its data");
        return raw;
    }

    OnnxAttribute convertAttribute(const onnx::AttributeProto& a, const std::string& nodeName)
    {
        OnnxAttribute out;
        switch (a.type()) {
        case onnx::AttributeProto::FLOAT: out.type = OnnxAttribute::Type::Float; out.f = a.f(); break;
        case onnx::AttributeProto::INT: out.type = OnnxAttribute::Type::Int; out.i = a.i(); break;
        case onnx::AttributeProto::STRING: out.type = OnnxAttribute::Type::String; out.s = a.s(); break;
        case onnx::AttributeProto::TENSOR:
            out.type = OnnxAttribute::Type::Tensor;
            out.tensor = std::make_shared<const OnnxTensor>(convertTensor(a.t(), nodeName + "." + a.name()));
            break;
        case onnx::AttributeProto::GRAPH:
            out.type = OnnxAttribute::Type::Graph;
            out.graph = std::make_shared<const OnnxGraph>(convertGraph(a.g()));
            break;
        case onnx::AttributeProto::FLOATS:
            out.type = OnnxAttribute::Type::Floats;
            out.floats.assign(a.floats().begin(), a.floats().end());
            break;
        case onnx::AttributeProto::INTS:
            out.type = OnnxAttribute::Type::Ints;
            out.ints.assign(a.ints().begin(), a.ints().end());
            break;
        case onnx::AttributeProto::STRINGS:
            out.type = OnnxAttribute::Type::Strings;
            out.strings.assign(a.strings().begin(), a.strings().end());
            break;
        default: out.type = OnnxAttribute::Type::Other; break;
        }
        return out;
    }

    OnnxValueInfo convertValueInfo(const onnx::ValueInfoProto& v)
    {
        OnnxValueInfo info;
        info.name = v.name();
        if (!v.type().has_tensor_type())
            return info;
        const auto& tensor = v.type().tensor_type();
        info.type = static_cast<OnnxElementType>(tensor.elem_type());
        if (!tensor.has_shape())
            return info;
        info.hasShape = true;
        const auto symbols = symbols_.find(v.name());
        for (int d = 0; d < tensor.shape().dim_size(); ++d) {
            const auto& dim = tensor.shape().dim(d);
            if (symbols != symbols_.end() && symbols->second.count(d))
                info.dims.push_back(DimValue::named(symbols->second.at(d)));
            else if (dim.has_dim_value() && dim.dim_value() > 0)
                info.dims.push_back(DimValue::fixed(dim.dim_value()));
            else
                info.hasShape = false;  // an unknown dimension inside the graph: the importer infers it
        }
        return info;
    }

    OnnxGraph convertGraph(const onnx::GraphProto& g)
    {
        OnnxGraph graph;
        graph.name = g.name();
        for (const auto& t : g.initializer())
            graph.initializers[t.name()] = convertTensor(t, t.name());
        for (const auto& v : g.input())
            if (!graph.initializers.count(v.name()))
                graph.inputs.push_back(convertValueInfo(v));
        for (const auto& v : g.output())
            graph.outputs.push_back(convertValueInfo(v));
        for (const auto& v : g.value_info())
            graph.valueInfo[v.name()] = convertValueInfo(v);
        graph.nodes.reserve(static_cast<std::size_t>(g.node_size()));
        for (const auto& n : g.node()) {
            OnnxNode node;
            node.name = n.name();
            node.opType = n.op_type();
            node.domain = n.domain() == "ai.onnx" ? std::string() : n.domain();
            node.inputs.assign(n.input().begin(), n.input().end());
            node.outputs.assign(n.output().begin(), n.output().end());
            for (const auto& a : n.attribute())
                node.attributes[a.name()] = convertAttribute(a, n.name().empty() ? n.op_type() : n.name());
            graph.nodes.push_back(std::move(node));
        }
        return graph;
    }

    std::string path_;
    DimBindings bindings_;
    std::set<std::string> used_;
    std::map<std::string, std::map<int, std::string>> symbols_;  ///< input -> dimension -> symbol
    OnnxModel model_;
};

}  // namespace

Result<OnnxModel> parseOnnxModel(const std::string& bytes, const std::string& path, const DimBindings& bindings)
{
    onnx::ModelProto proto;
    if (bytes.empty())
        return Error{ExitCode::BadInput, path, {}, "the file is empty; it is not an ONNX model"};
    if (!proto.ParseFromString(bytes))
        return Error{ExitCode::BadInput, path, {},
                     "not a valid ONNX model: the protobuf data is truncated, damaged or of another format"};
    try {
        return Reader(path, bindings).read(proto);
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = path;
        return error;
    } catch (const CountOverflow&) {
        return Error{ExitCode::BadInput, path, {}, "a tensor of the model has more elements than 64 bits count"};
    }
}

Result<OnnxTensor> readOnnxTensorFile(const std::string& path)
{
    auto bytes = readTextFile(path);
    if (!bytes)
        return bytes.error();
    onnx::TensorProto proto;
    if (!proto.ParseFromString(bytes.value()))
        return Error{ExitCode::BadInput, path, {}, "not a serialised ONNX tensor"};
    try {
        return Reader(path, {}).convertTensor(proto, proto.name());
    } catch (const InputError& e) {
        Error error = e.error();
        error.file = path;
        return error;
    }
}

Result<OnnxModel> readOnnxModel(const std::string& path, const DimBindings& bindings)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status))
        return Error{ExitCode::BadInput, path, {}, "no such file"};
    if (fs::is_directory(status))
        return Error{ExitCode::BadInput, path, {}, "is a folder, not a file"};
    const auto size = fs::file_size(path, ec);
    if (!ec && size > kMaxModelBytes)
        return Error{ExitCode::BadInput, path, {},
                     "the file is larger than 2 GiB, which protobuf cannot parse; store the weights as external data"};
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return Error{ExitCode::BadInput, path, {}, std::string("cannot open: ") + std::strerror(errno)};
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return parseOnnxModel(bytes, path, bindings);
}

}  // namespace cdx
