// Recurrent networks: the ESE/Descartes speech LSTM, E-LSTM's vanilla LSTM and a plain 1,024-unit LSTM.
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

namespace {

std::vector<DimValue> sequence(Dim features)
{
    return {DimValue::named("seq_len"), DimValue::named("batch"), DimValue::fixed(features)};
}

}  // namespace

NetworkSpec eseLstm()
{
    NetworkBuilder b("ese_lstm");
    b.describe("The speech LSTM of ESE/Descartes: 153 inputs, 1,024 cells with peepholes, recurrent projection "
               "to 512 (Google LSTMP); seq_len frames (default one step), batch utterances",
               "Han et al., ESE, FPGA 2017; Sak et al., Interspeech 2014")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 1);
    const std::string x = b.input("features", sequence(153));
    RecurrentParams p;
    p.hidden = 1024;
    p.projection = 512;
    p.peepholes = true;
    p.biasVectors = 1;
    b.layer("lstm", LayerKind::Lstm, {x}, p);
    return std::move(b).build();
}

NetworkSpec clstmTimit()
{
    NetworkBuilder b("clstm_timit");
    b.describe("C-LSTM's TIMIT model: two Google LSTMP layers (153 inputs, 1,024 cells with peepholes, projection to 512, "
               "one bias vector) and a 61-phoneme output layer; about 8.01 M parameters",
               "Wang et al., C-LSTM, FPGA 2018; Sak et al., Interspeech 2014")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 1);
    std::string x = b.input("features", sequence(153));
    RecurrentParams p;
    p.hidden = 1024;
    p.projection = 512;
    p.peepholes = true;
    p.biasVectors = 1;
    x = b.layer("lstm1", LayerKind::Lstm, {x}, p);
    x = b.layer("lstm2", LayerKind::Lstm, {x}, p);
    b.fc("output", x, 61);
    return std::move(b).build();
}

NetworkSpec lstm1024()
{
    NetworkBuilder b("lstm1024");
    b.describe("One LSTM layer with 1,024 inputs and 1,024 hidden units (two bias vectors, as in PyTorch and ONNX); "
               "seq_len steps (default one)",
               "Hochreiter and Schmidhuber 1997; standard LSTM equations")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 1);
    const std::string x = b.input("input", sequence(1024));
    RecurrentParams p;
    p.hidden = 1024;
    b.layer("lstm", LayerKind::Lstm, {x}, p);
    return std::move(b).build();
}

NetworkSpec elstm()
{
    NetworkBuilder b("elstm");
    // Z. Wang (Nanjing University) gives only "vanilla LSTM, 4.98 M parameters": 1,024 hidden units
    // with 192 inputs is the size that gives them (4 x 1,024 x (192 + 1,024) weights and one bias
    // vector); an assumption.
    b.describe("E-LSTM's vanilla LSTM: 192 inputs, 1,024 hidden units, no peepholes or projection, one bias vector; "
               "4.98 M parameters; seq_len steps (default one)",
               "the E-LSTM paper's vanilla LSTM (4.98 M parameters); the input width is an assumption that gives that count")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 1);
    const std::string x = b.input("input", sequence(192));
    RecurrentParams p;
    p.hidden = 1024;
    p.biasVectors = 1;
    b.layer("lstm", LayerKind::Lstm, {x}, p);
    return std::move(b).build();
}

}  // namespace cdx::zoo
