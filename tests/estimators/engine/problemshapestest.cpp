// The problems built from layer shapes: the convolution (grouped or not), GEMM and
// matrix-vector, against a Timeloop case and against counts worked out by hand.
#include "estimators/engine/nestanalysis.h"
#include "estimators/engine/problemshapes.h"
#include "estimators/timeloop/timeloopcase.h"

#include <catch2/catch.hpp>

using namespace cdx;

namespace {

const std::string kCases = std::string(CDX_TEST_DATA_DIR) + "/timeloop/";

const DataSpaceStats& at(const EngineStats& s, int level, int space)
{
    return s.level[static_cast<std::size_t>(level)].dataSpaces[static_cast<std::size_t>(space)];
}

}  // namespace

TEST_CASE("the convolution problem is Timeloop's CNN layer", "[engine][problem]")
{
    auto c = loadTimeloopCase(kCases + "eyeriss_like");
    REQUIRE(c.ok());
    ConvolutionShape shape;
    shape.c = 3;
    shape.m = 32;
    shape.r = shape.s = 3;
    shape.p = shape.q = 112;
    shape.strideW = shape.strideH = 2;
    const Problem ours = convolutionProblem(shape);
    for (int pv = 0; pv < 3; ++pv)
        CHECK(ours.dataSpaceSize(pv) == c->problem.dataSpaceSize(pv));
    EngineStats expected, got;
    evaluateMapping(c->problem, c->architecture, c->mapping, EngineOptions{}, expected);
    evaluateMapping(ours, c->architecture, c->mapping, EngineOptions{}, got);
    REQUIRE(expected.ok());
    REQUIRE(got.ok());
    CHECK(got.cycles == expected.cycles);
    CHECK(got.energyPj == Approx(expected.energyPj));
    for (int i = 0; i < expected.levels; ++i)
        for (int pv = 0; pv < 3; ++pv) {
            CHECK(at(got, i, pv).reads == at(expected, i, pv).reads);
            CHECK(at(got, i, pv).fills == at(expected, i, pv).fills);
            CHECK(at(got, i, pv).updates == at(expected, i, pv).updates);
        }
}

TEST_CASE("grouped and depthwise convolutions, GEMM and matrix-vector sizes", "[engine][problem]")
{
    ConvolutionShape depthwise;  // MobileNet's 3x3 depthwise over 32 channels at 112x112
    depthwise.g = 32;
    depthwise.p = depthwise.q = 112;
    depthwise.r = depthwise.s = 3;
    const Problem dw = convolutionProblem(depthwise);
    CHECK(dw.operations() == 32 * 9 * 112 * 112);
    CHECK(dw.dataSpaceSize(kWeights) == 32 * 9);
    CHECK(dw.dataSpaceSize(kInputs) == 32 * 114 * 114);
    CHECK(dw.dataSpaceSize(kOutputs) == 32 * 112 * 112);

    ConvolutionShape grouped;  // AlexNet's conv2: 2 groups of 48 -> 128 channels, 5x5, 27x27
    grouped.g = 2;
    grouped.c = 48;
    grouped.m = 128;
    grouped.r = grouped.s = 5;
    grouped.p = grouped.q = 27;
    const Problem g2 = convolutionProblem(grouped);
    CHECK(g2.dataSpaceSize(kWeights) == 307200);  // 256 x 48 x 5 x 5
    CHECK(g2.operations() == 223948800);

    const Problem gemm = gemmProblem(128, 768, 3072);
    CHECK(gemm.operations() == 128LL * 768 * 3072);
    CHECK(gemm.dataSpaceSize(kWeights) == 3072 * 768);
    CHECK(gemm.dataSpaceSize(kInputs) == 128 * 3072);
    CHECK(gemm.dataSpaceSize(kOutputs) == 128 * 768);
    const Problem mv = matrixVectorProblem(1000, 4096);
    CHECK(mv.dataSpaceSize(kInputs) == 4096);
    CHECK(mv.dataSpaceSize(kOutputs) == 1000);
}

TEST_CASE("a matrix-vector product streaming its weights past a buffer", "[engine][problem]")
{
    // DRAM above a buffer that keeps the input vector and the outputs; the weights bypass it.
    const Dim outputs = 64, inputs = 256;
    const Problem mv = matrixVectorProblem(outputs, inputs);
    Architecture arch;
    arch.arithmetic.name = "mac";
    StorageLevel buffer;
    buffer.name = "buffer";
    buffer.depth = 1024;
    StorageLevel dram;
    dram.name = "DRAM";
    arch.storage = {buffer, dram};
    Mapping mapping;
    mapping.levels.resize(2);
    mapping.levels[0].temporal[kDimC] = inputs;
    mapping.levels[0].temporal[kDimM] = outputs;
    mapping.levels[0].order[0] = kDimC;  // inputs innermost: each output accumulates in turn
    mapping.levels[0].order[1] = kDimM;
    mapping.levels[0].orderSize = 2;
    mapping.levels[0].keep.set(kInputs);
    mapping.levels[0].keep.set(kOutputs);
    mapping.levels[1].keep.set();
    EngineStats s;
    evaluateMapping(mv, arch, mapping, EngineOptions{}, s);
    REQUIRE(s.ok());
    CHECK(s.computes == outputs * inputs);
    CHECK(s.cycles == outputs * inputs);
    CHECK(at(s, 1, kWeights).reads == outputs * inputs);  // every weight once, straight to the MAC
    CHECK(at(s, 1, kInputs).reads == inputs);              // the vector fetched once
    CHECK(at(s, 0, kInputs).fills == inputs);
    CHECK(at(s, 0, kInputs).reads == outputs * inputs);
    CHECK(at(s, 0, kOutputs).updates == outputs * inputs);
    CHECK(at(s, 0, kOutputs).reads == outputs * inputs - outputs);  // read-modify-write after the first
    CHECK(at(s, 1, kOutputs).updates == outputs);                   // each result written back once
    CHECK_FALSE(at(s, 0, kWeights).kept);
}
