#pragma once

#include "core/compression/pruningspec.h"

namespace cdx {

/// The share of weight energy a pruning removes from i.i.d. zero-mean Gaussian weights (the
/// model for a layer without stored weights):
///  - unstructured and load-balanced magnitude pruning to density d: one threshold t with
///    P(|w| > t) = d keeps 2 (t phi(t) + Q(t)) of the energy;
///  - topk (g, k) and n:m: the k largest of every g, from the order statistics of |N(0,1)|:
///    kept = integral of y^2 f(y) P(Binomial(g - 1, F(y)) >= g - k) dy (groups above 512: one threshold);
///  - block pruning by L2 norm: block energies are chi-squared with s^2 degrees of freedom, and
///    keeping those above the (1 - d) quantile t keeps P(chi2_{s^2+2} > t) of the energy;
///  - channel, group, block-diagonal (chosen without regard to i.i.d. magnitudes): 1 - d;
///  - circulant: the projection keeps 1/b of i.i.d. weights' energy.
double expectedPrunedEnergy(const PruningSpec& spec);

}  // namespace cdx
