#!/usr/bin/python3
"""Writes the malformed ONNX files of this folder. Needs Debian's python3-onnx
(/usr/bin/python3); the tests only read the files this writes."""
import os
import onnx
from onnx import TensorProto, helper

here = os.path.dirname(os.path.abspath(__file__))
mnist = os.path.join(here, "..", "..", "onnx", "mnist.onnx")


def save(model, name, check=False):
    if check:
        onnx.checker.check_model(model)
    with open(os.path.join(here, name), "wb") as f:
        f.write(model.SerializeToString())


def tiny(nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "bad", inputs, outputs, list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="cdx tests")


x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])

# A truncated copy of a real model.
data = open(mnist, "rb").read()
with open(os.path.join(here, "truncated.onnx"), "wb") as f:
    f.write(data[: len(data) // 2])

# Not ONNX at all.
with open(os.path.join(here, "not_onnx.onnx"), "w") as f:
    f.write("This is a text file that someone renamed to .onnx.\n" * 20)

# Two nodes that read each other's outputs.
save(tiny([helper.make_node("Add", ["x", "b"], ["a"], name="first"),
           helper.make_node("Relu", ["a"], ["b"], name="second"),
           helper.make_node("Identity", ["b"], ["y"], name="out")], [x], [y]), "cycle.onnx")

# An input dimension of 10^12.
huge_in = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 10**12])
huge_out = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10**12])
save(tiny([helper.make_node("Relu", ["x"], ["y"], name="relu")], [huge_in], [huge_out]), "huge_dimension.onnx")

# A Conv whose weight initializer is missing.
image = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
conv_out = helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4, 6, 6])
save(tiny([helper.make_node("Conv", ["x", "conv.weight"], ["y"], name="conv")], [image], [conv_out]),
     "missing_initializer.onnx")

# An opset from the future.
save(tiny([helper.make_node("Relu", ["x"], ["y"], name="relu")], [x], [y], opset=99), "future_opset.onnx")

# A weight whose raw data is shorter than its shape says.
w = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], vals=b"\0" * 64, raw=True)
w.raw_data = b"\0" * 8
save(tiny([helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")], [x], [y], [w]), "short_raw_data.onnx")

# External data that tries to leave the model's folder.
ext = helper.make_tensor("w", TensorProto.FLOAT, [4, 4], vals=[0.0] * 16)
ext.ClearField("float_data")
ext.data_location = TensorProto.EXTERNAL
entry = ext.external_data.add()
entry.key, entry.value = "location", "../../../etc/passwd"
save(tiny([helper.make_node("MatMul", ["x", "w"], ["y"], name="matmul")], [x], [y], [ext]), "external_escape.onnx")

# Shapes that do not fit: a Conv with 3 input channels fed 5.
five = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 5, 8, 8])
wrong_w = helper.make_tensor("conv.weight", TensorProto.FLOAT, [4, 3, 3, 3], [0.0] * 108)
save(tiny([helper.make_node("Conv", ["x", "conv.weight"], ["y"], name="conv")], [five], [conv_out], [wrong_w]),
     "channel_mismatch.onnx")

# An operator the tool does not model, in an otherwise good graph: imports with a warning.
odd = helper.make_node("Celu", ["x"], ["c"], name="celu")
save(tiny([odd, helper.make_node("Relu", ["c"], ["y"], name="relu")], [x], [y]), "unknown_operator.onnx")
