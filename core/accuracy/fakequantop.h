#pragma once

// For the .cpp files of core/accuracy only: it speaks ONNX Runtime's API.
#include "core/accuracy/ortapi.h"
#include "core/compression/quantizer.h"

#include <memory>
#include <vector>

#ifdef CDX_HAVE_ONNXRUNTIME

namespace cdx {

/// The custom operator FakeQuant (domain "ai.cdx"), which ModelRewrite inserts after each
/// activation the plan quantises: y = Quantizer::quantize(x) elementwise, with the quantiser
/// number "id" of the list it is given. Activations thus go through the very quantiser the
/// compression analysis describes, at any width and in any format, in every opset.
class FakeQuantKernel {
public:
    FakeQuantKernel(const OrtKernelInfo* info, std::shared_ptr<const std::vector<Quantizer>> quantizers);
    void Compute(OrtKernelContext* context);

private:
    std::shared_ptr<const std::vector<Quantizer>> quantizers_;
    std::size_t id_ = 0;
};

struct FakeQuantOp : Ort::CustomOpBase<FakeQuantOp, FakeQuantKernel> {
    explicit FakeQuantOp(std::shared_ptr<const std::vector<Quantizer>> quantizers) : quantizers_(std::move(quantizers)) {}
    void* CreateKernel(const OrtApi& api, const OrtKernelInfo* info) const;
    const char* GetName() const { return "FakeQuant"; }
    const char* GetExecutionProviderType() const { return "CPUExecutionProvider"; }
    std::size_t GetInputTypeCount() const { return 1; }
    ONNXTensorElementDataType GetInputType(std::size_t) const { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }
    std::size_t GetOutputTypeCount() const { return 1; }
    ONNXTensorElementDataType GetOutputType(std::size_t) const { return ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT; }

private:
    std::shared_ptr<const std::vector<Quantizer>> quantizers_;
};

/// The operator's domain, to add to the session options; it must outlive the sessions.
class FakeQuantDomain {
public:
    explicit FakeQuantDomain(std::shared_ptr<const std::vector<Quantizer>> quantizers);
    const Ort::CustomOpDomain& domain() const { return domain_; }

private:
    FakeQuantOp op_;
    Ort::CustomOpDomain domain_;
};

}  // namespace cdx

#endif
