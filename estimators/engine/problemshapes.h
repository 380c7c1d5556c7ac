#pragma once

#include "estimators/engine/problem.h"

#include <string>

namespace cdx {

/// A (grouped) 2-D convolution in Timeloop's names: N batch, G groups, C input and M output
/// channels per group, P x Q output width x height, R x S filter width x height.
struct ConvolutionShape {
    Dim n = 1;
    Dim g = 1;
    Dim c = 1;
    Dim m = 1;
    Dim p = 1;
    Dim q = 1;
    Dim r = 1;
    Dim s = 1;
    Dim strideW = 1;
    Dim strideH = 1;
    Dim dilationW = 1;
    Dim dilationH = 1;
};

/// Dimension indices of the problems built here: Timeloop's C M R S N P Q, then G.
enum ConvDim : int { kDimC = 0, kDimM, kDimR, kDimS, kDimN, kDimP, kDimQ, kDimG, kConvDims };
/// Data space indices of the problems built here.
enum ConvSpace : int { kWeights = 0, kInputs, kOutputs };

/// The 8-D loop nest of a convolution: Weights[G][M][C][R][S], Inputs[N][G][C][W][H] with
/// W = strideW x P + dilationW x R (and H likewise), Outputs[N][G][M][P][Q]. With G = 1 it is
/// Timeloop's 7-D CNN layer (the G loop has one trip). Depthwise is G = channels, C = M = 1.
Problem convolutionProblem(const ConvolutionShape& shape, std::string name = "conv");

/// A matrix product Outputs[rows][cols] = Inputs[rows][inner] x Weights[inner][cols], as the
/// convolution with N = rows, C = inner, M = cols and 1 x 1 everything else.
Problem gemmProblem(Dim rows, Dim cols, Dim inner, std::string name = "gemm");

/// A matrix-vector product (a batch-1 fully connected layer): GEMM with one row.
Problem matrixVectorProblem(Dim outputs, Dim inputs, std::string name = "matvec");

}  // namespace cdx
