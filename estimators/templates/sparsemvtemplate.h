#pragma once

#include "estimators/templates/acceleratortemplate.h"

namespace cdx {

/// EIE, ESE / Descartes and E-LSTM: a sparse matrix-vector engine. The rows of every weight
/// matrix are interleaved over the PEs; each PE keeps its rows' nonzeros in compressed sparse
/// columns (pointer, relative index, value) and, for every nonzero input activation broadcast
/// through its activation queue, walks that column's entries: one entry per cycle, multiplied
/// with the activations of `channels` concurrent inputs (utterances) that share the fetch. The
/// PEs meet at the end of each matrix, so a matrix takes the busiest PE's time: the mean
/// entries per PE (padding zeros included) times the measured imbalance, the pointer read of
/// an empty column, and the stalls that per-column fluctuations cause behind queues of finite
/// depth. A recurrent layer's gates go through an element-wise unit (sigmoid and tanh tables,
/// point-wise multipliers) between its matrices. Compressed weights that do not fit the on-chip
/// weight memory stream from DRAM once per pass, overlapped with the arithmetic.
class SparseMvTemplate : public AcceleratorTemplate {
public:
    SparseMvTemplate();
    const TemplateInfo& info() const override { return info_; }
    Result<std::unique_ptr<HardwareDesign>> build(const DesignInputs& inputs) const override;
    bool designDependsOnNetwork() const override { return true; }

private:
    TemplateInfo info_;
};

}  // namespace cdx
