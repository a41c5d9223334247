"""Python bytecodes executed per training step: a deterministic measure of the engine's overhead.
Run by hand: ``python benchmarks/count_bytecodes.py [--top N]``.

Timings on our shared 2-core machines drift 2x within minutes, so a change worth 1% cannot be seen
in them without thousands of interleaved rounds. The number of bytecodes the interpreter runs for one
step does not drift: it counts the Python work per op exactly (not numpy's C work, which the sizes
here keep small). Fewer is not always faster (a C call can cost more than ten bytecodes), so confirm
a change with ``ab_autograd.py``, but more bytecodes for the same step is a regression to explain.

Steps counted (at tiny sizes, after warm-up): bench_nn's nn step and bench_tensor's Tensor step on
an 8-8-8-4 MLP with batch 4, and bench_tensor's 100-op chain on shape (8,). For each: the total, the
Python calls, and the functions that ran the most bytecodes.
"""
import argparse
import collections
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
import bench_tensor  # noqa: E402
import nn  # noqa: E402
from bench_nn import make_model, nn_mlp_step  # noqa: E402

SIZES, BATCH = (8, 8, 8, 4), 4


def count(step, warmup=5):
    """Run ``step`` once under a tracer; return (bytecodes per function, calls per function)."""
    for _ in range(warmup):
        step()
    bytecodes, calls = collections.Counter(), collections.Counter()

    def tracer(frame, event, arg):
        frame.f_trace_opcodes = True
        code = frame.f_code
        key = f"{os.path.relpath(code.co_filename, ROOT)}:{code.co_firstlineno} {code.co_name}"
        if event == "call":
            calls[key] += 1
        elif event == "opcode":
            bytecodes[key] += 1
        return tracer

    sys.settrace(tracer)
    try:
        step()
    finally:
        sys.settrace(None)
    return bytecodes, calls


def steps():
    """The three steps, by name, as zero-argument callables."""
    autograd.manual_seed(0)
    model, criterion = make_model(SIZES), nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], BATCH)
    tx, ty = autograd.from_numpy(x), autograd.from_numpy(y)
    # the Tensor step's weights in its (in, out) layout, copied from the model's
    params = [autograd.tensor(p.detach().numpy().T.copy(), requires_grad=True) for p in model.parameters()]
    column = autograd.from_numpy(y.reshape(-1, 1))
    data = [rng.standard_normal(8).astype(np.float32) for _ in range(3)]

    def chain():
        a, w, b = (autograd.tensor(d, requires_grad=True) for d in data)
        bench_tensor.chain(autograd, a, w, b, 100).backward()

    return {
        f"nn step {'-'.join(map(str, SIZES))}, batch {BATCH}": lambda: nn_mlp_step(model, criterion, tx, ty),
        f"Tensor step {'-'.join(map(str, SIZES))}, batch {BATCH}": lambda: bench_tensor.tensor_step(params, tx, column),
        "chain of 100 ops on shape (8,)": chain,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=12, help="functions to list per step (default 12)")
    args = parser.parse_args()
    for name, step in steps().items():
        bytecodes, calls = count(step)
        print(f"{name}: {sum(bytecodes.values())} bytecodes, {sum(calls.values())} Python calls")
        for key, n in bytecodes.most_common(args.top):
            print(f"  {n:7d} in {calls[key]:4d} calls  {key}")


if __name__ == "__main__":
    main()
