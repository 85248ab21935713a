"""A netc checkpoint in the PyTorch module `netc compile --emit pytorch` writes: strict load, same logits.

Usage: python torch_equivalence.py MODULE.py CHECKPOINT.safetensors IMAGES LOGITS.csv [--images 256]
                                   [--tolerance 1e-4]

MODULE.py is the module netc emitted for the checkpoint's model; IMAGES an IDX images file (gzip or not) of
[N, H, W] or [N, C, H, W] bytes, read as netc reads it (scaled to [0, 1], then normalised with the mean and
standard deviation in the checkpoint's metadata); LOGITS.csv what `netc predict --weights CHECKPOINT --logits`
wrote for the same images. Loads the checkpoint with load_state_dict(strict=True), runs the first --images images
in eval mode in float32, and prints one JSON object with the largest absolute logit difference. Exits 1 when the
load is not strict or the difference exceeds the tolerance.
"""
import argparse
import csv
import gzip
import importlib.util
import json
import sys

import numpy as np
import torch
from safetensors import safe_open
from safetensors.torch import load_file


def read_idx_images(path):
    """The images of an IDX file as float32 in [0, 1], shaped [N, C, H, W]."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as file:
        data = file.read()
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08:
        sys.exit(f'{path}: not an IDX file of unsigned bytes')
    rank = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], 'big') for i in range(rank)]
    pixels = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(shape)
    if rank == 3:
        pixels = pixels[:, None, :, :]
    return pixels.astype(np.float32) / 255


def normalisation(checkpoint):
    """The per-channel mean and standard deviation netc stored in the checkpoint's metadata."""
    metadata = safe_open(checkpoint, 'pt').metadata() or {}
    values = [metadata.get(key) for key in ('normalization_mean', 'normalization_std')]
    if None in values:
        sys.exit(f'{checkpoint}: no normalisation in the metadata')
    mean, std = ([float(v) for v in text.split(',')] for text in values)
    return np.array(mean, dtype=np.float32), np.array(std, dtype=np.float32)


def main():
    parser = argparse.ArgumentParser()
    for name in ('module', 'checkpoint', 'images', 'logits'):
        parser.add_argument(name)
    parser.add_argument('--images', dest='count', type=int, default=256)
    parser.add_argument('--tolerance', type=float, default=1e-4)
    args = parser.parse_args()

    spec = importlib.util.spec_from_file_location('netc_module', args.module)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build()
    result = model.load_state_dict(load_file(args.checkpoint), strict=True)
    strict = not result.missing_keys and not result.unexpected_keys
    model.eval()

    mean, std = normalisation(args.checkpoint)
    images = read_idx_images(args.images)[:args.count]
    images = (images - mean[None, :, None, None]) / std[None, :, None, None]
    with torch.no_grad():
        torch_logits = model(torch.from_numpy(np.ascontiguousarray(images))).numpy().astype(np.float64)

    with open(args.logits) as file:
        rows = list(csv.reader(file))[1:1 + len(images)]
    netc_logits = np.array([[float(v) for v in row[1:]] for row in rows])
    if netc_logits.shape != torch_logits.shape:
        sys.exit(f'netc wrote logits of shape {netc_logits.shape}, PyTorch gives {torch_logits.shape}')
    difference = float(np.abs(netc_logits - torch_logits).max())
    report = {
        'strict_load': strict, 'images': len(images), 'max_abs_logit_difference': difference,
        'same_predictions': float((netc_logits.argmax(1) == torch_logits.argmax(1)).mean()),
        'tolerance': args.tolerance, 'torch': torch.__version__,
    }
    print(json.dumps(report))
    sys.exit(0 if strict and difference <= args.tolerance else 1)


if __name__ == '__main__':
    main()
