# The anchor script that measured the figures netc is compared with (shared/anchors/ of the project); run through tools/bench-anchors.
"""Inference anchor: the seed's Net exported to ONNX and run by onnxruntime on 2 threads."""
import os, sys, tempfile, time, json, numpy as np, torch, onnxruntime as ort
sys.path.insert(0, __file__.rsplit('/', 1)[0])
from torch_seed import Net
torch.manual_seed(0); m = Net().eval(); x = torch.randn(1000, 1, 28, 28)
path = os.path.join(tempfile.mkdtemp(), 'seednet.onnx')
torch.onnx.export(m, x, path, input_names=['x'], output_names=['y'], dynamic_axes={'x': {0: 'n'}}, dynamo=False)
so = ort.SessionOptions(); so.intra_op_num_threads = 2; so.inter_op_num_threads = 1
s = ort.InferenceSession(path, so, providers=['CPUExecutionProvider'])
X = np.random.randn(10000, 1, 28, 28).astype(np.float32)
s.run(None, {'x': X[:1000]}); t = time.perf_counter()
for i in range(0, 10000, 1000): s.run(None, {'x': X[i:i+1000]})
print(json.dumps({'ort_infer_img_s': 10000 / (time.perf_counter() - t), 'ort': ort.__version__}))
