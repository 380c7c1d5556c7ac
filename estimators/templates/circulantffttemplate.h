#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// CirCNN / C-LSTM (Z. Wang, Nanjing University; Y. Wang et al., AAAI 2018): block-circulant weight
/// matrices computed by FFT. For an n x m matrix of b x b circulant blocks, each input vector's m/b
/// blocks are transformed by b-point FFTs, every block's stored spectrum multiplies its input
/// block's spectrum element-wise (b/2 + 1 complex products for real data), the products of a block
/// row are summed in the frequency domain, and n/b inverse FFTs give the outputs. The FFT units are
/// streaming (pipelined: radix samples per cycle) or iterative (one butterfly per cycle); the
/// complex multipliers and the FFTs overlap, so a vector takes the longer of the two. Layers that
/// are not circulant run as plain MACs on the complex multipliers' real multipliers. Recurrent
/// cells' element-wise work (sigmoid, tanh, products) runs on a vector unit.
class CirculantFftTemplate : public AcceleratorTemplate {
public:
    CirculantFftTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;
    bool designDependsOnNetwork() const override { return true; }

    /// The work of one matrix-vector product of an n x m matrix in b x b circulant blocks (b = 1:
    /// dense): FFTs and inverse FFTs of b points, complex products, and the real multiplications
    /// and additions they take with radix-2 (or radix-4) butterflies.
    struct CirculantWork {
        double ffts = 0;             ///< forward transforms (input blocks)
        double iffts = 0;            ///< inverse transforms (output blocks)
        double complexProducts = 0;  ///< element-wise, (b/2 + 1) per block
        double butterflies = 0;      ///< per transform x transforms
        double realMultiplies = 0;   ///< 4 per complex product or butterfly multiplication
        double realAdds = 0;
    };
    static CirculantWork circulantWork(Dim rows, Dim cols, Dim b, int radix);

private:
    TemplateInfo info_;
};

}  // namespace cdx
