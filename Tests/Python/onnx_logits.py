"""Runs an ONNX model in ONNX Runtime on raw pixels and writes its outputs the way `netc predict --logits` does.

usage: onnx_logits.py MODEL.onnx IMAGES.csv OUT.csv

IMAGES.csv has a header line, then one image per row: C*H*W pixel values 0-255, channel-major (Kaggle's test.csv
layout for MNIST). The model is checked with onnx.checker first (full check: shape inference included), and run
once on all images and once per image, so the dynamic batch dimension is exercised; the two must agree. Prints the
model's opset, input and output as one JSON line. Used by netc's ONNX tests through tools/python-env's environment.
"""
import json
import sys

import numpy as np
import onnx
import onnxruntime

model_path, images_path, output_path = sys.argv[1:4]
model = onnx.load(model_path)
onnx.checker.check_model(model, full_check=True)

session = onnxruntime.InferenceSession(model_path, providers=["CPUExecutionProvider"])
(model_input,) = session.get_inputs()
(model_output,) = session.get_outputs()
_, channels, height, width = model_input.shape
pixels = np.loadtxt(images_path, delimiter=",", skiprows=1, dtype=np.float32, ndmin=2)
pixels = pixels.reshape(-1, channels, height, width)

(scores,) = session.run(None, {model_input.name: pixels})
one_by_one = np.concatenate([session.run(None, {model_input.name: image[None]})[0] for image in pixels])
if not np.allclose(scores, one_by_one, rtol=0, atol=1e-5):
    sys.exit(f"{model_path}: batch of {len(pixels)} and single images disagree by "
             f"{np.abs(scores - one_by_one).max()}")

with open(output_path, "w") as file:
    file.write("ImageId," + ",".join(f"logit{index}" for index in range(scores.shape[1])) + "\n")
    for row, values in enumerate(scores, start=1):
        file.write(f"{row}," + ",".join(f"{value:.9g}" for value in values) + "\n")

print(json.dumps({
    "opset": [entry.version for entry in model.opset_import if entry.domain in ("", "ai.onnx")][0],
    "ir_version": model.ir_version,
    "input": [model_input.name, [str(dimension) for dimension in model_input.shape]],
    "output": [model_output.name, [str(dimension) for dimension in model_output.shape]],
    "operators": sorted({node.op_type for node in model.graph.node}),
}))
