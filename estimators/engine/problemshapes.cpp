#include "estimators/engine/problemshapes.h"

#include <utility>

namespace cdx {

Problem convolutionProblem(const ConvolutionShape& shape, std::string name)
{
    Problem p;
    p.name = std::move(name);
    p.dimNames = {"C", "M", "R", "S", "N", "P", "Q", "G"};
    p.bounds = {shape.c, shape.m, shape.r, shape.s, shape.n, shape.p, shape.q, shape.g};
    auto axis = [](int dim) { return std::vector<ProjectionTerm>{{dim, 1}}; };
    DataSpace weights{"Weights", {axis(kDimG), axis(kDimM), axis(kDimC), axis(kDimR), axis(kDimS)}, false};
    DataSpace inputs{"Inputs",
                     {axis(kDimN), axis(kDimG), axis(kDimC),
                      {{kDimR, shape.dilationW}, {kDimP, shape.strideW}},
                      {{kDimS, shape.dilationH}, {kDimQ, shape.strideH}}},
                     false};
    DataSpace outputs{"Outputs", {axis(kDimN), axis(kDimG), axis(kDimM), axis(kDimP), axis(kDimQ)}, true};
    p.dataSpaces.reserve(3);
    p.dataSpaces.push_back(std::move(weights));
    p.dataSpaces.push_back(std::move(inputs));
    p.dataSpaces.push_back(std::move(outputs));
    return p;
}

Problem gemmProblem(Dim rows, Dim cols, Dim inner, std::string name)
{
    ConvolutionShape shape;
    shape.n = rows;
    shape.m = cols;
    shape.c = inner;
    return convolutionProblem(shape, std::move(name));
}

Problem matrixVectorProblem(Dim outputs, Dim inputs, std::string name)
{
    return gemmProblem(1, outputs, inputs, std::move(name));
}

}  // namespace cdx
