#include "core/zoo/zoo.h"

#include "core/util/jsonreader.h"
#include "core/zoo/zoonetworks.h"

namespace cdx {

const std::vector<ZooEntry>& zooEntries()
{
    static const std::vector<ZooEntry> entries{
        {"lenet300100", "MLP 784-300-100-10 for MNIST", zoo::lenet300100},
        {"lenet5", "Caffe LeNet-5 for MNIST", zoo::lenet5},
        {"alexnet", "AlexNet (torchvision)", zoo::alexnet},
        {"vgg16", "VGG-16", zoo::vgg16},
        {"vgg19", "VGG-19", zoo::vgg19},
        {"resnet18", "ResNet-18 (torchvision)", zoo::resnet18},
        {"resnet50", "ResNet-50 v1.5 (torchvision)", zoo::resnet50},
        {"mobilenet_v1", "MobileNetV1 1.0-224", zoo::mobilenetV1},
        {"mobilenet_v2", "MobileNetV2 1.0-224 (torchvision)", zoo::mobilenetV2},
        {"tiny_yolo_v2", "Tiny YOLOv2 VOC 416x416 (Aristotle's detector)", zoo::tinyYoloV2},
        {"bert_base", "BERT-base encoder, seq_len 128 by default", zoo::bertBase},
        {"gpt2_small_block", "One GPT-2 small decoder block", zoo::gpt2SmallBlock},
        {"ese_lstm", "ESE/Descartes speech LSTM: 153 in, 1024 cells, projection 512", zoo::eseLstm},
        {"clstm_timit", "C-LSTM/ESE TIMIT model: two LSTMP layers (1024 cells, projection 512) and 61 outputs", zoo::clstmTimit},
        {"lstm1024", "LSTM, 1024 inputs and 1024 hidden units", zoo::lstm1024},
        {"elstm", "E-LSTM's vanilla LSTM: 192 in, 1024 hidden units, 4.98 M parameters", zoo::elstm},
    };
    return entries;
}

const ZooEntry* findZooEntry(std::string_view name)
{
    for (const auto& entry : zooEntries())
        if (entry.name == name)
            return &entry;
    return nullptr;
}

Result<Network> loadZooNetwork(std::string_view name, const DimBindings& bindings)
{
    const ZooEntry* entry = findZooEntry(name);
    if (!entry) {
        std::vector<std::string> names;
        for (const auto& e : zooEntries())
            names.emplace_back(e.name);
        std::string message = "no network named \"" + std::string(name) + "\" in the zoo";
        if (auto guess = closestMatch(name, names))
            message += " (did you mean \"" + *guess + "\"?)";
        message += "; `cdx networks` lists them";
        return Error{ExitCode::BadInput, {}, {}, message};
    }
    return Network::create(entry->build(), bindings);
}

}  // namespace cdx
