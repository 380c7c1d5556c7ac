// Transformer encoder (BERT-base) and decoder block (GPT-2 small) with Hugging Face's names.
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

namespace {

constexpr Dim kHidden = 768;
constexpr Dim kHeads = 12;
constexpr Dim kHeadDim = kHidden / kHeads;
constexpr Dim kFeedForward = 3072;

/// [N, S, 768] -> [N, 12, S, 64]
std::string splitHeads(NetworkBuilder& b, const std::string& name, const std::string& x)
{
    return b.transpose(name + ".heads_t", b.reshape(name + ".heads", x, {0, 0, kHeads, kHeadDim}), {0, 2, 1, 3});
}

/// Scaled dot-product attention over heads; returns the merged context [N, S, 768].
std::string attention(NetworkBuilder& b, const std::string& p, const std::string& q, const std::string& k,
                      const std::string& v)
{
    // One statement per layer: the order of function arguments' evaluation is unspecified, and
    // it would decide the order of the layers.
    const std::string queries = splitHeads(b, p + "query", q);
    const std::string keys = splitHeads(b, p + "key", k);
    const std::string values = splitHeads(b, p + "value", v);
    std::string scores = b.matmul(p + "scores", queries, keys, true);
    scores = b.scale(p + "scale", scores, 1.0 / 8.0);  // 1 / sqrt(64)
    const std::string probs = b.softmax(p + "softmax", scores);
    const std::string context = b.matmul(p + "context", probs, values);
    return b.reshape(p + "merge", b.transpose(p + "context_t", context, {0, 2, 1, 3}), {0, 0, kHidden});
}

std::string feedForward(NetworkBuilder& b, const std::string& in, const std::string& up, const std::string& act,
                        const std::string& down)
{
    return b.fc(down, b.activation(act, b.fc(up, in, kFeedForward), ActivationFn::Gelu), kHidden);
}

std::vector<DimValue> tokens()
{
    return {DimValue::named("batch"), DimValue::named("seq_len")};
}

}  // namespace

NetworkSpec bertBase()
{
    NetworkBuilder b("bert_base");
    b.describe("BERT-base: embeddings, 12 encoder layers (hidden 768, 12 heads, feed-forward 3072) and pooler; "
               "seq_len sets the sequence length",
               "Devlin et al., NAACL 2019; Hugging Face bert-base-uncased")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 128);
    const std::string ids = b.input("input_ids", tokens(), DataType::Int64);
    const std::string types = b.input("token_type_ids", tokens(), DataType::Int64);
    const std::string positions = b.input("position_ids", {DimValue::fixed(1), DimValue::named("seq_len")}, DataType::Int64);
    const std::string words = b.layer("embeddings.word_embeddings", LayerKind::Embedding, {ids}, EmbeddingParams{30522, kHidden});
    const std::string pos = b.layer("embeddings.position_embeddings", LayerKind::Embedding, {positions},
                                    EmbeddingParams{512, kHidden});
    const std::string typ = b.layer("embeddings.token_type_embeddings", LayerKind::Embedding, {types},
                                    EmbeddingParams{2, kHidden});
    std::string x = b.layerNorm("embeddings.LayerNorm", b.eltwise("embeddings.add", EltwiseOp::Add, {words, pos, typ}));
    for (int l = 0; l < 12; ++l) {
        const std::string p = "encoder.layer." + std::to_string(l) + ".";
        const std::string q = b.fc(p + "attention.self.query", x, kHidden);
        const std::string k = b.fc(p + "attention.self.key", x, kHidden);
        const std::string v = b.fc(p + "attention.self.value", x, kHidden);
        std::string y = b.fc(p + "attention.output.dense", attention(b, p + "attention.self.", q, k, v), kHidden);
        x = b.layerNorm(p + "attention.output.LayerNorm", b.eltwise(p + "attention.output.add", EltwiseOp::Add, {y, x}));
        y = feedForward(b, x, p + "intermediate.dense", p + "intermediate.gelu", p + "output.dense");
        x = b.layerNorm(p + "output.LayerNorm", b.eltwise(p + "output.add", EltwiseOp::Add, {y, x}));
    }
    const std::string first = b.layer("pooler.first_token", LayerKind::Slice, {x}, SliceParams{{1}, {0}, {1}, {}});
    b.activation("pooler.tanh", b.fc("pooler.dense", b.reshape("pooler.squeeze", first, {0, kHidden}), kHidden),
                 ActivationFn::Tanh);
    return std::move(b).build();
}

NetworkSpec gpt2SmallBlock()
{
    NetworkBuilder b("gpt2_small_block");
    b.describe("One GPT-2 small decoder block (hidden 768, 12 heads, MLP 3072), pre-norm; the causal mask is "
               "not a separate layer; seq_len sets the context length",
               "Radford et al. 2019; Hugging Face gpt2 (transformer.h.0)")
        .dimDefault("batch", 1)
        .dimDefault("seq_len", 128);
    const std::string in = b.input("hidden_states", {DimValue::named("batch"), DimValue::named("seq_len"),
                                                     DimValue::fixed(kHidden)});
    const std::string qkv = b.fc("attn.c_attn", b.layerNorm("ln_1", in), 3 * kHidden);
    b.layer("attn.split", LayerKind::Split, {qkv}, SplitParams{2, {kHidden, kHidden, kHidden}},
            {"attn.q", "attn.k", "attn.v"});
    const std::string context = attention(b, "attn.", "attn.q", "attn.k", "attn.v");
    const std::string x = b.eltwise("attn.residual", EltwiseOp::Add, {b.fc("attn.c_proj", context, kHidden), in});
    const std::string y = feedForward(b, b.layerNorm("ln_2", x), "mlp.c_fc", "mlp.gelu", "mlp.c_proj");
    b.eltwise("mlp.residual", EltwiseOp::Add, {y, x});
    return std::move(b).build();
}

}  // namespace cdx::zoo
