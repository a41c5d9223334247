"""Tensor engine benchmarks (issue 2). Run by hand: ``python benchmarks/bench_tensor.py``.

1. An MLP training step (784-512-256-10, ReLU, log-softmax cross-entropy, batch 128,
   float32, plain SGD) written with Tensor ops, against the same step hand-written
   in numpy, in this process: time ratio and peak-memory ratio.
2. A chain of 100 ops on shape-(8,) tensors, forward and backward: microseconds per
   op (and PyTorch's, measured the same way, when torch is importable).
3. A chain of 100,000 ops: forward and backward seconds.
"""
import argparse
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
from common import interleaved_medians, interleaved_times, page_faults, paired_ratio, peak_memory  # noqa: E402

SIZES = (784, 512, 256, 10)
BATCH = 128
LR = 0.01


def make_problem(seed=0):
    rng = np.random.default_rng(seed)
    weights = []
    for fan_in, fan_out in zip(SIZES[:-1], SIZES[1:]):
        bound = 1 / np.sqrt(fan_in)
        weights.append(rng.uniform(-bound, bound, (fan_in, fan_out)).astype(np.float32))
        weights.append(rng.uniform(-bound, bound, fan_out).astype(np.float32))
    x = rng.standard_normal((BATCH, SIZES[0])).astype(np.float32)
    y = rng.integers(0, SIZES[-1], BATCH)
    return weights, x, y


def numpy_step(params, x, y):
    """The hand-written baseline: forward, backward and SGD update in numpy."""
    w1, b1, w2, b2, w3, b3 = params
    z1 = x @ w1 + b1
    h1 = np.maximum(z1, 0)
    z2 = h1 @ w2 + b2
    h2 = np.maximum(z2, 0)
    z3 = h2 @ w3 + b3
    shifted = z3 - z3.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(len(y))
    loss = -logp[rows, y].mean()
    d3 = np.exp(logp)
    d3[rows, y] -= 1
    d3 /= len(y)
    grads = [None] * 6
    grads[4], grads[5] = h2.T @ d3, d3.sum(axis=0)
    d2 = (d3 @ w3.T) * (z2 > 0)
    grads[2], grads[3] = h1.T @ d2, d2.sum(axis=0)
    d1 = (d2 @ w2.T) * (z1 > 0)
    grads[0], grads[1] = x.T @ d1, d1.sum(axis=0)
    for p, g in zip(params, grads):
        p -= LR * g
    return loss


def tensor_step(params, x, y):
    """The same step with Tensor ops, backward() and an in-place SGD update."""
    w1, b1, w2, b2, w3, b3 = params
    h1 = (x @ w1 + b1).relu()
    h2 = (h1 @ w2 + b2).relu()
    logp = (h2 @ w3 + b3).log_softmax(dim=1)
    loss = -logp.gather(1, y).mean()
    for p in params:
        p.grad = None
    loss.backward()
    with autograd.no_grad():
        for p in params:
            p -= LR * p.grad
    return loss


def check_losses_agree(weights, x, y, tx, ty):
    """Same start, same data: the two steps' losses agree. (A function, so that nothing of the check
    stays alive while the steps are timed: the loss would keep its graph's arrays, megabytes of them, and
    extra live arrays moved bench_nn's ratio by up to 5%.)"""
    first_np = numpy_step([w.copy() for w in weights], x, y)
    first_t = tensor_step([autograd.tensor(w, requires_grad=True) for w in weights], tx, ty).item()
    assert abs(float(first_np) - first_t) < 1e-4, (first_np, first_t)


def bench_mlp(repeats):
    weights, x, y = make_problem()
    np_params = [w.copy() for w in weights]
    t_params = [autograd.tensor(w, requires_grad=True) for w in weights]
    tx, ty = autograd.from_numpy(x), autograd.from_numpy(y.reshape(-1, 1))
    check_losses_agree(weights, x, y, tx, ty)
    rounds = interleaved_times(
        {"numpy": lambda: numpy_step(np_params, x, y), "tensor": lambda: tensor_step(t_params, tx, ty)},
        repeats=repeats,
    )
    times = {name: statistics.median(ts) for name, ts in rounds.items()}
    q1, ratio, q3 = paired_ratio(rounds, "tensor", "numpy")
    faults = page_faults({"numpy": lambda: numpy_step(np_params, x, y), "tensor": lambda: tensor_step(t_params, tx, ty)})
    mem_np = peak_memory(lambda: numpy_step(np_params, x, y))
    mem_t = peak_memory(lambda: tensor_step(t_params, tx, ty))
    print(f"MLP step 784-512-256-10, batch {BATCH}, float32:")
    print(f"  numpy {times['numpy'] * 1e3:.2f} ms, Tensor {times['tensor'] * 1e3:.2f} ms (medians); "
          f"ratio {ratio:.3f}x, quartiles {q1:.3f}-{q3:.3f} (target <= 1.10x)")
    print(f"  minor page faults per step: numpy {faults['numpy']:.0f}, Tensor {faults['tensor']:.0f}")
    print(f"  peak memory: numpy {mem_np / 2**20:.2f} MiB, Tensor {mem_t / 2**20:.2f} MiB, "
          f"ratio {mem_t / mem_np:.3f}x (target <= 1.3x)")


def chain(lib, x, w, b, n):
    y = x
    for i in range(n // 4):
        y = y * w
        y = y + b
        y = y.tanh()
        y = y.sigmoid()
    return y.sum()


def bench_tiny_chain(repeats, n=100):
    rng = np.random.default_rng(0)
    data = [rng.standard_normal(8).astype(np.float32) for _ in range(3)]

    def ours():
        x, w, b = (autograd.tensor(d, requires_grad=True) for d in data)
        chain(autograd, x, w, b, n).backward()

    candidates = {"chainrule": ours}
    try:
        import torch

        torch.set_num_threads(1)

        def theirs():
            x, w, b = (torch.tensor(d, requires_grad=True) for d in data)
            chain(torch, x, w, b, n).backward()

        candidates["torch"] = theirs
    except ImportError:
        pass
    times = interleaved_medians(candidates, repeats=repeats)
    print(f"Chain of {n} ops (mul, add, tanh, sigmoid) on shape (8,), forward + backward:")
    for name, seconds in times.items():
        print(f"  {name}: {seconds / n * 1e6:.2f} us/op")
    if "torch" in times:
        print(f"  ratio chainrule/torch: {times['chainrule'] / times['torch']:.2f}x")
    else:
        print("  (torch not importable here: install torch in a scratch environment to compare)")


def bench_deep_chain(n=100_000):
    x = autograd.tensor([0.5], requires_grad=True)
    start = time.perf_counter()
    y = x
    for _ in range(n):
        y = y * 1.00001
    forward = time.perf_counter() - start
    start = time.perf_counter()
    y.sum().backward()
    backward = time.perf_counter() - start
    print(f"Chain of {n:,} ops: forward {forward:.2f} s, backward {backward:.2f} s "
          f"(grad {x.grad.item():.6f}, exact {1.00001 ** n:.6f})")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    bench_mlp(args.repeats)
    bench_tiny_chain(args.repeats * 3)
    bench_deep_chain()


if __name__ == "__main__":
    main()
