// Tiny YOLOv2 (VOC), the detection workload of DeePhi's Aristotle CNN accelerator.
#include "core/zoo/zoonetworks.h"

#include "core/network/networkbuilder.h"

namespace cdx::zoo {

NetworkSpec tinyYoloV2()
{
    NetworkBuilder b("tiny_yolo_v2");
    b.describe("Tiny YOLOv2 for VOC at 416x416: nine 3x3/1x1 convolutions with batch norm and leaky ReLU",
               "Darknet cfg/yolov2-tiny-voc.cfg; Redmon and Farhadi, CVPR 2017")
        .dimDefault("batch", 1);
    std::string x = b.input("input", {DimValue::named("batch"), DimValue::fixed(3), DimValue::fixed(416),
                                      DimValue::fixed(416)});
    const Dim widths[] = {16, 32, 64, 128, 256, 512, 1024, 1024};
    for (int i = 0; i < 8; ++i) {
        const std::string n = std::to_string(i + 1);
        x = b.conv2d("conv" + n, x, {.out = widths[i], .kernel = 3, .pad = 1, .bias = false});
        x = b.activation("leaky" + n, b.batchNorm("bn" + n, x), ActivationFn::LeakyRelu, 0.1);
        if (i < 5) {
            x = b.maxPool("pool" + n, x, 2, 2);
        } else if (i == 5) {
            // Darknet's size-2 stride-1 max pool pads one row and column at the end: 13x13 stays 13x13.
            PoolParams p;
            p.kernel = {2, 2};
            p.stride = {1, 1};
            p.padBegin = {0, 0};
            p.padEnd = {1, 1};
            x = b.layer("pool6", LayerKind::Pool, {x}, p);
        }
    }
    b.conv2d("conv9", x, {.out = 125, .kernel = 1});
    return std::move(b).build();
}

}  // namespace cdx::zoo
