#pragma once

#include "core/compression/compressionplan.h"
#include "core/compression/fastalgorithm.h"
#include "core/compression/quantizer.h"
#include "core/compression/storagecost.h"

#include <string>
#include <vector>

namespace cdx {

/// What a layer's compression does to its work, in the terms the engine and the templates
/// consume through the lowered workload: operand bits, densities, metadata.
struct WorkloadEffect {
    Dim macs = 0;               ///< dense, algorithmic
    Dim effectiveMacs = 0;      ///< performed by an engine that exploits the compression (skips pruned weights,
                                ///< runs the fast algorithm or the FFT); equal to macs when nothing applies
    double weightDensity = 1;   ///< stored weight values (padding excluded) over dense weights
    double activationDensity = 1;
    Dim weightBits = 0;         ///< all stored weight bits: values, indices, pointers
    Dim weightMetadataBits = 0; ///< of which indices, pointers and permutations
    Dim pes = 1;                ///< the PEs the imbalance is measured over (rows interleaved)
    double imbalance = 1;       ///< max over mean kept weights per PE
    Dim structuralGroups = 1;   ///< group and block-diagonal: independent dense blocks
    double outputChannelKeep = 1;  ///< channel pruning of this layer: share of output channels kept
    double inputChannelKeep = 1;   ///< share of its input channels left by the channel pruning of layers before it
    int weightValueBits = 8;
    int activationBits = 8;
    int accumulatorBits = 0;
    double essentialTermsPerWeight = 0;  ///< bit-pair encoding: mean nonzero add terms per dense weight (pruned count 0);
                                         ///< from the quantised real weights when measured, else the Gaussian model; 0 when not int/fixed
    double essentialTermsVariance = 0;   ///< of the terms per weight
};

/// The compression analysis of one layer: its resolved setting and what it does to storage,
/// work and accuracy, from the layer's real weights where the network has them.
struct LayerCompressionReport {
    std::string layer;
    LayerKind kind = LayerKind::Other;
    Dim index = 0;
    LayerCompression setting;
    bool hasWeights = false;     ///< a weight operand compression acts on
    bool measured = false;       ///< figures counted on the layer's stored weights (else expected values)
    Dim nonFiniteWeights = 0;    ///< NaN or infinite weights in the file, counted as 0
    Dim denseWeights = 0;
    Dim keptWeights = 0;         ///< nonzeros kept (circulant: the stored vector values)
    double requestedDensity = 1;
    double density = 1;          ///< achieved: kept over dense
    Dim otherParams = 0;         ///< biases, peepholes, normalisation parameters (stored dense)
    Dim storedParams = 0;        ///< kept weights + other parameters: the parameters the compressed model has
    StorageCost storage;         ///< the weight matrices
    double compressionRatio = 1;         ///< 32-bit dense weights over all stored weight bits (padding, indices, pointers)
    double nominalCompressionRatio = 1;  ///< as the papers count it: over kept weights x (value + index bits)
    double prunedEnergy = 0;     ///< share of weight energy removed by pruning (measured or the Gaussian model)
    double circulantError = 0;   ///< circulant: ||W - C|| / ||W|| of the projection
    QuantParams weightQuant;     ///< per channel: the widest row's fit (compressLayerWeights has them all)
    QuantStats weightStats;      ///< of the kept weights
    QuantParams activationQuant;
    QuantStats activationStats;  ///< always the analytical model (activations are not in the file)
    FastConvCounts fast;         ///< when a fast algorithm applies
    int accumulatorBitsNeeded = 0;  ///< integer formats: bits for an exact sum of the layer's longest dot product
    WorkloadEffect effect;
    double noiseToSignal = 0;    ///< the proxy's eta: pruned energy + weight and activation quantisation noise
    double accuracyDrop = 0;     ///< percentage points
    std::string accuracySource;  ///< "table" (the sensitivity CSV, its line) or "proxy"
    std::vector<std::string> notes;
};

struct NetworkCompressionReport {
    std::string network;
    std::vector<LayerCompressionReport> layers;
    Dim denseParams = 0;
    Dim storedParams = 0;
    Dim denseBits = 0;           ///< all parameters at 32 bits
    Dim storedBits = 0;          ///< weight matrices as stored + other parameters at their width
    double compressionRatio = 1;
    Dim denseWeights = 0;
    Dim storedWeightBits = 0;
    Dim nominalWeightBits = 0;
    double weightCompressionRatio = 1;
    double nominalWeightCompressionRatio = 1;
    Dim macs = 0;
    Dim effectiveMacs = 0;
    double accuracyDrop = 0;     ///< percentage points: 100 (1 - prod (1 - layer drop / 100)), accuracy retained layer after layer
    std::string accuracySource;  ///< "proxy", "table" or "table+proxy"
    std::vector<std::string> warnings;
};

}  // namespace cdx
