"""Writes the NumPy files the NumPy reader's tests load, with NumPy itself (the reference writer).

Run from this folder with any Python that has NumPy:  python3 make-fixtures.py
The files are committed; NetcRuntimeTests/Data/NumPyTests.swift states what each must hold.
"""
import os
import numpy as np

# Four 3×2×3 colour images whose values count up, labels of a 7-class model.
rgb = (np.arange(4 * 3 * 2 * 3) % 256).astype(np.uint8).reshape(4, 3, 2, 3)
labels = np.array([0, 1, 2, 6], dtype=np.int64)
np.savez("rgb-stored.npz", x=rgb, y=labels)
np.savez_compressed("rgb-compressed.npz", x=rgb, y=labels)
np.savez("rgb-unlabelled.npz", x=rgb)

# Three 2×2 greyscale float images and int16 labels, both big-endian.
grey = (np.arange(12, dtype=np.float32) / 8 - 0.5).reshape(3, 2, 2)
np.savez("grey-big-endian.npz", x=grey.astype(">f4"), y=np.array([3, 0, 9], dtype=">i2"))

# An .npy pair in a folder: uint8 images [N, H, W] and uint8 labels.
os.makedirs("pair", exist_ok=True)
np.save("pair/x.npy", (np.arange(2 * 2 * 2) * 30).astype(np.uint8).reshape(2, 2, 2))
np.save("pair/y.npy", np.array([5, 1], dtype=np.uint8))

# Mistakes the reader must name.
np.savez("fortran.npz", x=np.asfortranarray(rgb), y=labels)
np.savez("float64.npz", x=rgb.astype(np.float64), y=labels)
np.savez("positional.npz", rgb, labels)
np.savez("flat.npz", x=rgb.reshape(4, 18), y=labels)
with_nan = grey.copy()
with_nan[1, 0, 1] = np.nan
np.savez("nan.npz", x=with_nan, y=np.array([3, 0, 9]))
np.savez("label-beyond.npz", x=rgb, y=np.array([0, 1, 7, 2], dtype=np.uint8))
np.savez("float-labels.npz", x=rgb, y=labels.astype(np.float32))
np.savez("labels-2d.npz", x=rgb, y=labels.reshape(4, 1))
np.savez("fewer-labels.npz", x=rgb, y=labels[:3])
