// An ONNX Runtime session, the input tensors of an example (ortsession.h).
#include "core/accuracy/ortsession.h"

#ifdef CDX_HAVE_ONNXRUNTIME

namespace cdx::ort {

Ort::Env& ortEnv()
{
    static Ort::Env env(ORT_LOGGING_LEVEL_ERROR, "cdx");
    return env;
}

Runner::Runner(const std::string& bytes, const FakeQuantDomain* domain)
{
    Ort::SessionOptions options;
    options.SetIntraOpNumThreads(1);
    options.SetInterOpNumThreads(1);
    options.SetGraphOptimizationLevel(GraphOptimizationLevel::ORT_ENABLE_ALL);
    if (domain)
        options.Add(domain->domain());
    session_ = std::make_unique<Ort::Session>(ortEnv(), bytes.data(), bytes.size(), options);
    Ort::AllocatorWithDefaultOptions allocator;
    for (std::size_t i = 0; i < session_->GetInputCount(); ++i)
        inputNames_.push_back(session_->GetInputNameAllocated(i, allocator).get());
    for (std::size_t i = 0; i < session_->GetOutputCount(); ++i)
        outputNames_.push_back(session_->GetOutputNameAllocated(i, allocator).get());
    for (const auto& n : inputNames_)
        inputPointers_.push_back(n.c_str());
}

InputMaker::InputMaker(Ort::Session& session, const std::vector<std::string>& names, const AccuracySpec& spec, const Dataset& data)
{
    for (std::size_t i = 0; i < names.size(); ++i) {
        // The shape info is a view into the type info, which must outlive it.
        const Ort::TypeInfo typeInfo = session.GetInputTypeInfo(i);
        const auto info = typeInfo.GetTensorTypeAndShapeInfo();
        std::vector<std::int64_t> shape = info.GetShape();
        if (i == 0) {
            const std::int64_t per = static_cast<std::int64_t>(data.values.size() / std::max<std::int64_t>(data.count, 1));
            std::int64_t fixed = 1;
            int open = 0;
            for (auto& d : shape) {
                if (d <= 0)
                    ++open;
                else
                    fixed *= d;
            }
            // The batch axis takes 1; one other open axis takes what the example leaves.
            for (std::size_t a = 0; a < shape.size(); ++a)
                if (shape[a] <= 0)
                    shape[a] = (a == 0 && open > 1) || (a == 0 && fixed == per) ? 1 : std::max<std::int64_t>(1, per / std::max<std::int64_t>(fixed, 1));
            dataShape_ = shape;
            dataType_ = info.GetElementType();
            continue;
        }
        Constant c;
        for (auto& d : shape)
            d = d <= 0 ? 1 : d;
        c.shape = shape;
        c.type = info.GetElementType();
        const auto given = std::find_if(spec.constantInputs.begin(), spec.constantInputs.end(),
                                        [&](const auto& p) { return p.first == names[i]; });
        if (given == spec.constantInputs.end())
            throw InputError(Error{ExitCode::BadInput, spec.file, "/accuracy/inputs",
                                   "the model's input \"" + names[i] + "\" needs a value: give it as \"inputs\": {\"" + names[i] +
                                       "\": VALUE} (every element takes it)"});
        c.value = given->second;
        constants_.push_back(std::move(c));
    }
}

InputMaker::Bound InputMaker::bind(std::size_t exampleSize) const
{
    const auto memory = Ort::MemoryInfo::CreateCpu(OrtArenaAllocator, OrtMemTypeDefault);
    Bound b;
    b.data_.resize(exampleSize);
    b.values_.push_back(Ort::Value::CreateTensor<float>(memory, b.data_.data(), b.data_.size(), dataShape_.data(), dataShape_.size()));
    b.constants_.resize(constants_.size());
    for (std::size_t i = 0; i < constants_.size(); ++i) {
        const Constant& c = constants_[i];
        std::int64_t n = 1;
        for (auto d : c.shape)
            n *= d;
        auto& buffer = b.constants_[i];
        switch (c.type) {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: {
            buffer.resize(static_cast<std::size_t>(n) * sizeof(std::int64_t));
            auto* p = reinterpret_cast<std::int64_t*>(buffer.data());
            std::fill(p, p + n, static_cast<std::int64_t>(c.value));
            b.values_.push_back(Ort::Value::CreateTensor<std::int64_t>(memory, p, static_cast<std::size_t>(n), c.shape.data(), c.shape.size()));
            break;
        }
        default: {
            buffer.resize(static_cast<std::size_t>(n) * sizeof(float));
            auto* p = reinterpret_cast<float*>(buffer.data());
            std::fill(p, p + n, static_cast<float>(c.value));
            b.values_.push_back(Ort::Value::CreateTensor<float>(memory, p, static_cast<std::size_t>(n), c.shape.data(), c.shape.size()));
            break;
        }
        }
    }
    return b;
}

}  // namespace cdx::ort

#endif
