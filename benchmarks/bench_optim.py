"""Optimizer benchmark (issue 5). Run by hand: ``python benchmarks/bench_optim.py``.

``optim.Adam.step()`` over the parameters of the 784-512-256-10 MLP (weights
(512, 784), (512,), (256, 512), (256,), (10, 256), (10,) as float32 Tensors
with random gradients) against the same update hand-written in numpy with
in-place operations and a preallocated scratch array, in this process:
interleaved runs, median time per step, the ratio (target: within 1.2x) and the
median of back-to-back paired ratios (steadier on a loaded machine),
and the peak memory allocated during one step by each.
"""
import argparse
import math
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
import optim  # noqa: E402
from common import interleaved_times, paired_ratio, peak_memory  # noqa: E402

SHAPES = [(512, 784), (512,), (256, 512), (256,), (10, 256), (10,)]
LR, BETA1, BETA2, EPS = 1e-3, 0.9, 0.999, 1e-8


def make_arrays(seed=0):
    rng = np.random.default_rng(seed)
    params = [rng.standard_normal(s).astype(np.float32) * 0.05 for s in SHAPES]
    grads = [rng.standard_normal(s).astype(np.float32) * 0.01 for s in SHAPES]
    return params, grads


class NumpyAdam:
    """The hand-written baseline: Adam with in-place numpy operations and one scratch array per shape."""

    def __init__(self, params, grads):
        self.params, self.grads = params, grads
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]
        self.tmp = [np.empty_like(p) for p in params]
        self.t = 0

    def step(self):
        self.t += 1
        step_size = LR / (1 - BETA1**self.t)
        bias_correction2_sqrt = math.sqrt(1 - BETA2**self.t)
        for p, g, m, v, tmp in zip(self.params, self.grads, self.m, self.v, self.tmp):
            m *= BETA1
            np.multiply(g, 1 - BETA1, out=tmp)
            m += tmp
            v *= BETA2
            np.multiply(g, g, out=tmp)
            tmp *= 1 - BETA2
            v += tmp
            np.sqrt(v, out=tmp)
            tmp /= bias_correction2_sqrt
            tmp += EPS
            np.divide(m, tmp, out=tmp)
            tmp *= step_size
            p -= tmp


def make_optim_adam(seed=0):
    params, grads = make_arrays(seed)
    tensors = [autograd.tensor(p, requires_grad=True) for p in params]
    for t, g in zip(tensors, grads):
        t.grad = autograd.tensor(g)
    return tensors, optim.Adam(tensors, lr=LR, betas=(BETA1, BETA2), eps=EPS)


def check_same_trajectory(steps=5):
    """Both implementations compute the same update (to float32 rounding)."""
    tensors, opt = make_optim_adam()
    baseline = NumpyAdam(*make_arrays())
    for _ in range(steps):
        opt.step()
        baseline.step()
    for t, p in zip(tensors, baseline.params):
        np.testing.assert_allclose(t.detach().numpy(), p, rtol=1e-5, atol=1e-7)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()

    check_same_trajectory()
    tensors, opt = make_optim_adam()
    baseline = NumpyAdam(*make_arrays())
    n = sum(int(np.prod(s)) for s in SHAPES)
    rounds = interleaved_times({"optim.Adam": opt.step, "numpy Adam": baseline.step}, repeats=args.repeats)
    medians = {name: statistics.median(ts) for name, ts in rounds.items()}
    ratio = medians["optim.Adam"] / medians["numpy Adam"]
    _, paired, _ = paired_ratio(rounds, "optim.Adam", "numpy Adam")
    peak_ours = peak_memory(opt.step)
    peak_numpy = peak_memory(baseline.step)
    print(f"Adam step over the 784-512-256-10 MLP's parameters ({n:,} float32 values), "
          f"median of {args.repeats} interleaved runs:")
    print(f"  optim.Adam.step()     {medians['optim.Adam'] * 1e3:8.3f} ms   peak alloc {peak_ours / 1024:8.1f} KiB")
    print(f"  hand-written numpy    {medians['numpy Adam'] * 1e3:8.3f} ms   peak alloc {peak_numpy / 1024:8.1f} KiB")
    print(f"  ratio optim / numpy   {ratio:8.3f}x   (target <= 1.2x); median of paired ratios {paired:.3f}x")


if __name__ == "__main__":
    main()
