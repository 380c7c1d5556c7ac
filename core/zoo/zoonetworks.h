#pragma once

#include "core/network/networkspec.h"

// The builders of the zoo's networks, one per entry of Zoo; each in the file of its family.
namespace cdx::zoo {

NetworkSpec lenet300100();
NetworkSpec lenet5();
NetworkSpec alexnet();
NetworkSpec vgg16();
NetworkSpec vgg19();
NetworkSpec resnet18();
NetworkSpec resnet50();
NetworkSpec mobilenetV1();
NetworkSpec mobilenetV2();
NetworkSpec tinyYoloV2();
NetworkSpec bertBase();
NetworkSpec gpt2SmallBlock();
NetworkSpec eseLstm();
NetworkSpec clstmTimit();
NetworkSpec lstm1024();
NetworkSpec elstm();

}  // namespace cdx::zoo
