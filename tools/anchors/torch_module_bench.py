"""Training speed of a PyTorch module netc emitted (`netc compile MODEL --emit pytorch`), in eager mode: the
counterpart of `netc bench`'s compiled step.

Usage: python torch_module_bench.py MODULE.py [--batch 100] [--steps 30] [--threads 2]

Times `steps` Adam steps (lr 1e-3, cross-entropy, the module in training mode) on random images of the module's
INPUT_SHAPE held in memory, after two warm-up steps, with `threads` intra-op threads, and prints one JSON object.
"""
import argparse
import importlib.util
import json
import time

import torch


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('module')
    parser.add_argument('--batch', type=int, default=100)
    parser.add_argument('--steps', type=int, default=30)
    parser.add_argument('--threads', type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)

    spec = importlib.util.spec_from_file_location('netc_module', args.module)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    model = module.build()
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.CrossEntropyLoss()
    images = torch.randn(args.batch, *module.INPUT_SHAPE)
    labels = torch.randint(0, module.CLASSES, (args.batch,))

    def step():
        optimizer.zero_grad()
        loss(model(images), labels).backward()
        optimizer.step()

    for _ in range(2):
        step()
    started = time.perf_counter()
    for _ in range(args.steps):
        step()
    seconds = time.perf_counter() - started
    print(json.dumps({
        'training_images_per_second': args.batch * args.steps / seconds, 'batch': args.batch, 'steps': args.steps,
        'threads': torch.get_num_threads(), 'torch': torch.__version__,
    }))


if __name__ == '__main__':
    main()
