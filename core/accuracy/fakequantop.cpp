#include "core/accuracy/fakequantop.h"

#ifdef CDX_HAVE_ONNXRUNTIME

#include "core/accuracy/modelrewriter.h"

namespace cdx {

FakeQuantKernel::FakeQuantKernel(const OrtKernelInfo* info, std::shared_ptr<const std::vector<Quantizer>> quantizers)
    : quantizers_(std::move(quantizers))
{
    const auto id = Ort::ConstKernelInfo(info).GetAttribute<std::int64_t>("id");
    if (id < 0 || static_cast<std::size_t>(id) >= quantizers_->size())
        throw Ort::Exception("FakeQuant: no quantiser " + std::to_string(id), ORT_INVALID_ARGUMENT);
    id_ = static_cast<std::size_t>(id);
}

void FakeQuantKernel::Compute(OrtKernelContext* context)
{
    Ort::KernelContext ctx(context);
    const auto input = ctx.GetInput(0);
    const auto info = input.GetTensorTypeAndShapeInfo();
    const std::vector<std::int64_t> shape = info.GetShape();
    const std::size_t n = info.GetElementCount();
    auto output = ctx.GetOutput(0, shape);
    const float* x = input.GetTensorData<float>();
    float* y = output.GetTensorMutableData<float>();
    (*quantizers_)[id_].quantize(std::span<const float>(x, n), std::span<float>(y, n));
}

void* FakeQuantOp::CreateKernel(const OrtApi&, const OrtKernelInfo* info) const
{
    // ONNX Runtime owns the kernel and deletes it through CustomOpBase's KernelDestroy.
    return new FakeQuantKernel(info, quantizers_);
}

FakeQuantDomain::FakeQuantDomain(std::shared_ptr<const std::vector<Quantizer>> quantizers)
    : op_(std::move(quantizers)), domain_(kFakeQuantDomain)
{
    domain_.Add(&op_);
}

}  // namespace cdx

#endif
