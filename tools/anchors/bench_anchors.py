"""netc against its anchors (PyTorch eager, ONNX Runtime), side by side on this machine.

Usage: python bench_anchors.py NETC DATA_DIR [--rounds 3] [--steps 200] [--compile] [--json FILE]

Runs ROUNDS interleaved rounds of: `netc bench` (native target, 2 threads and 1 thread; `--target haswell`
when this netc knows targets), the PyTorch seed pipeline and in-memory training (`torch_seed.py throughput`),
and ONNX Runtime inference (`ort_infer.py`). Keeps the best figure of each over the rounds, since other load
on the machine only ever slows a run down, and prints the table with ratios and targets.
"""
import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = 'Examples/mnist-cnn.swift-dsl'


def cpu_model():
    """The CPU as lscpu describes it: model name, family and model numbers, widest vector extension, cores."""
    fields = {}
    for line in subprocess.run(['lscpu'], capture_output=True, text=True).stdout.splitlines():
        key, _, value = line.partition(':')
        fields[key.strip()] = value.strip()
    flags = fields.get('Flags', '').split()
    vectors = 'AVX-512' if 'avx512f' in flags else 'AVX2' if 'avx2' in flags else 'no AVX2'
    return (f"{fields.get('Model name', 'unknown CPU')} (family {fields.get('CPU family', '?')} model "
            f"{fields.get('Model', '?')}, {vectors}, {fields.get('CPU(s)', '?')} CPUs)")


def run_json(command, what):
    """Runs `command` and returns the JSON object it prints (the whole output, or its last line)."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f'bench-anchors: {what} failed (exit {done.returncode}):\n{done.stderr[-2000:]}')
    text = done.stdout.strip()
    try:
        result = json.loads(text)
    except json.JSONDecodeError:
        result = json.loads(text.splitlines()[-1])
    print(f'  {what}: {time.perf_counter() - started:.0f} s', file=sys.stderr, flush=True)
    return result


def netc_knows_targets(netc):
    """Whether this netc's `bench` takes `--target` (the portable-speed work)."""
    help_text = subprocess.run([netc, 'bench', '--help'], capture_output=True, text=True).stdout
    return '--target' in help_text


def measure_round(args, with_haswell):
    """One round of every measurement: {figure name: value}."""
    netc = [args.netc, 'bench', MODEL, '--steps', str(args.steps)]
    figures = {}
    native = run_json(netc + ['--threads', '2'], 'netc bench (2 threads)')
    figures['netc_step'] = native['training_images_per_second']['step']
    figures['netc_pipeline'] = native['training_images_per_second']['pipeline']
    figures['netc_inference'] = native['inference_images_per_second']
    single = run_json(netc + ['--threads', '1'], 'netc bench (1 thread)')
    figures['netc_step_1'] = single['training_images_per_second']['step']
    figures['netc_inference_1'] = single['inference_images_per_second']
    if with_haswell:
        haswell = run_json(netc + ['--threads', '2', '--target', 'haswell'], 'netc bench --target haswell')
        figures['haswell_step'] = haswell['training_images_per_second']['step']
        figures['haswell_inference'] = haswell['inference_images_per_second']
    torch = run_json(
        [sys.executable, os.path.join(HERE, 'torch_seed.py'), args.data, 'throughput', '--threads', '2',
         '--compile', '1' if args.compile else '0'], 'PyTorch (torch_seed.py throughput)')
    figures['torch_pipeline'] = torch['train_seed_pipeline_img_s']
    figures['torch_step'] = torch['train_compute_img_s']
    figures['torch_inference'] = torch['infer_img_s']
    if 'train_compiled_img_s' in torch:
        figures['torch_compiled_step'] = torch['train_compiled_img_s']
    ort = run_json([sys.executable, os.path.join(HERE, 'ort_infer.py')], 'ONNX Runtime (ort_infer.py)')
    figures['ort_inference'] = ort['ort_infer_img_s']
    versions = f"PyTorch {torch['torch']}, ONNX Runtime {ort['ort']}"
    return figures, versions


def table(best, cpu, versions, rounds):
    """The comparison as a Markdown table: figure, netc, anchor, ratio, target."""
    rows = [
        ('training step, batch 100, 2 threads', 'netc_step', 'PyTorch eager in memory', 'torch_step', 3.3),
        ('training with augmentation', 'netc_pipeline', 'PyTorch seed pipeline', 'torch_pipeline', 6.0),
        ('inference, batch 1000', 'netc_inference', 'ONNX Runtime', 'ort_inference', 1.3),
        ('`--target haswell`: training step', 'haswell_step', 'PyTorch eager in memory', 'torch_step', 2.5),
        ('`--target haswell`: inference', 'haswell_inference', 'ONNX Runtime', 'ort_inference', 1.0),
        ('training step, 2 threads vs 1', 'netc_step', 'netc, 1 thread', 'netc_step_1', 1.8),
        ('inference, 2 threads vs 1', 'netc_inference', 'netc, 1 thread', 'netc_inference_1', None),
    ]
    lines = [
        f'{cpu}; {versions}; best of {rounds} interleaved rounds',
        '',
        '| figure | netc (img/s) | anchor (img/s) | ratio | target |',
        '|---|---|---|---|---|',
    ]
    for title, ours, anchor_name, anchor, target in rows:
        if ours not in best or anchor not in best:
            continue
        ratio = best[ours] / best[anchor]
        verdict = '' if target is None else (f'≥ {target}× ' + ('met' if ratio >= target else '**missed**'))
        lines.append(
            f'| {title} | {best[ours]:,.0f} | {anchor_name} {best[anchor]:,.0f} | {ratio:.2f}× | {verdict} |')
    if 'torch_compiled_step' in best:
        lines.append(f'| (for reference) `torch.compile` training step | | {best["torch_compiled_step"]:,.0f} | | |')
    if 'torch_inference' in best:
        lines.append(f'| (for reference) PyTorch eager inference | | {best["torch_inference"]:,.0f} | | |')
    return '\n'.join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('netc')
    parser.add_argument('data')
    parser.add_argument('--rounds', type=int, default=3)
    parser.add_argument('--steps', type=int, default=200)
    parser.add_argument('--compile', action='store_true', help='also time torch.compile (about a minute more)')
    parser.add_argument('--json', help='also write the best figures to this file')
    args = parser.parse_args()
    with_haswell = netc_knows_targets(args.netc)
    best = {}
    for number in range(1, args.rounds + 1):
        print(f'round {number} of {args.rounds}', file=sys.stderr, flush=True)
        figures, versions = measure_round(args, with_haswell)
        for name, value in figures.items():
            best[name] = max(best.get(name, 0), value)
    cpu = cpu_model()
    print(table(best, cpu, versions, args.rounds))
    if args.json:
        with open(args.json, 'w') as file:
            json.dump({'cpu': cpu, 'versions': versions, 'rounds': args.rounds, 'best': best}, file, indent=1)


if __name__ == '__main__':
    main()
