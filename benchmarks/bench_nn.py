"""nn benchmarks (issue 4). Run by hand: ``python benchmarks/bench_nn.py``.

1. The MLP training step (784-512-256-10, ReLU, cross-entropy, batch 128, float32,
   plain SGD lr=0.01) built from ``nn.Linear``, ``nn.ReLU`` and ``nn.CrossEntropyLoss``,
   against the same step hand-written in numpy (``bench_tensor.numpy_step``).
   Target: ratio <= 1.10x.
2. ``BatchNorm1d`` (batch 256, 512 features, float32, training mode) forward + backward
   against a hand-written numpy forward + backward. Target: ratio <= 1.5x.

Both run in this process, interleaved, and report medians.
"""
import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
import nn  # noqa: E402
from bench_tensor import LR, numpy_step  # noqa: E402
from common import interleaved_medians, interleaved_times, page_faults, paired_ratio  # noqa: E402

SIZES = (784, 512, 256, 10)
BATCH = 128


# ------------------------------------------------------------------ MLP step
def make_model(sizes=SIZES):
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


def nn_mlp_step(model, criterion, x, y):
    """The same step with nn modules, backward() and an in-place SGD update."""
    loss = criterion(model(x), y)
    model.zero_grad()
    loss.backward()
    with autograd.no_grad():
        for p in model.parameters():
            p -= LR * p.grad
    return loss


def time_mlp_steps(sizes, batch, repeats):
    """Seconds of the numpy step and of the nn step, interleaved, from the same weights and data.

    Nothing else stays alive while they run: the two steps train separate copies of the weights (a
    view shared by both would make each step train the other's weights), and the model that checks
    the losses agree is gone before timing. Extra live arrays and a third candidate in the rotation
    moved this ratio by up to 5% on our 2-core machine, though neither is part of either step.
    """
    autograd.manual_seed(0)
    model = make_model(sizes)
    criterion = nn.CrossEntropyLoss()
    rng = np.random.default_rng(0)
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    y = rng.integers(0, sizes[-1], batch)
    # the same starting weights, copied into the baseline's (in, out) layout
    np_params = [p.detach().numpy().T.copy() for p in model.parameters()]
    tx, ty = autograd.from_numpy(x), autograd.from_numpy(y)
    # Same start, same data: the losses agree.
    check_model = make_model(sizes)
    check_model.load_state_dict(model.state_dict())
    first_nn = nn_mlp_step(check_model, criterion, tx, ty).item()
    first_np = numpy_step([p.copy() for p in np_params], x, y)
    assert abs(float(first_np) - first_nn) < 1e-4, (first_np, first_nn)
    del check_model
    candidates = {"numpy": lambda: numpy_step(np_params, x, y), "nn": lambda: nn_mlp_step(model, criterion, tx, ty)}
    return interleaved_times(candidates, repeats=repeats), page_faults(candidates)


def bench_mlp(repeats):
    rounds, faults = time_mlp_steps(SIZES, BATCH, repeats)
    times = {name: statistics.median(ts) for name, ts in rounds.items()}
    q1, ratio, q3 = paired_ratio(rounds, "nn", "numpy")
    print(f"MLP step 784-512-256-10 (nn.Linear, nn.ReLU, nn.CrossEntropyLoss), batch {BATCH}, float32:")
    print(f"  numpy {times['numpy'] * 1e3:.2f} ms, nn {times['nn'] * 1e3:.2f} ms (medians); "
          f"ratio {ratio:.3f}x, quartiles {q1:.3f}-{q3:.3f} (target <= 1.10x)")
    print(f"  minor page faults per step: numpy {faults['numpy']:.0f}, nn {faults['nn']:.0f}")
    tiny = {name: statistics.median(ts) for name, ts in time_mlp_steps((8, 8, 8, 4), 4, repeats * 10)[0].items()}
    print(f"  the same step at sizes 8-8-8-4, batch 4 (Python overhead): numpy {tiny['numpy'] * 1e6:.0f} us, "
          f"nn {tiny['nn'] * 1e6:.0f} us, overhead {(tiny['nn'] - tiny['numpy']) * 1e6:.0f} us per step")
    return ratio


# ---------------------------------------------------------------- batch norm
def numpy_batchnorm(x, gamma, beta, grad_out, eps=1e-5):
    """Training-mode batch norm forward and backward over (N, C), hand-written."""
    n = x.shape[0]
    mean = x.mean(axis=0)
    centered = x - mean
    var = (centered * centered).mean(axis=0)
    invstd = 1.0 / np.sqrt(var + eps)
    xhat = centered * invstd
    out = xhat * gamma + beta
    grad_beta = grad_out.sum(axis=0)
    grad_gamma = (grad_out * xhat).sum(axis=0)
    grad_x = (gamma * invstd / n) * (n * grad_out - grad_beta - xhat * grad_gamma)
    return out, grad_x, grad_gamma, grad_beta


def bench_batchnorm(repeats, batch=256, features=512):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((batch, features)).astype(np.float32) * 3 + 1
    g = rng.standard_normal((batch, features)).astype(np.float32)
    layer = nn.BatchNorm1d(features)
    with autograd.no_grad():
        layer.weight.copy_(rng.uniform(0.5, 1.5, features).astype(np.float32))
        layer.bias.copy_(rng.standard_normal(features).astype(np.float32))
    gamma, beta = layer.weight.detach().numpy().copy(), layer.bias.detach().numpy().copy()
    tx = autograd.tensor(x, requires_grad=True)
    tg = autograd.from_numpy(g)

    def ours():
        tx.grad = None
        layer.zero_grad()
        layer(tx).backward(tg)

    ours()
    expected = numpy_batchnorm(x, gamma, beta, g)
    assert np.allclose(tx.grad.numpy(), expected[1], atol=1e-4), "batch norm gradients disagree with numpy"
    times = interleaved_medians({"numpy": lambda: numpy_batchnorm(x, gamma, beta, g), "nn": ours}, repeats=repeats)
    ratio = times["nn"] / times["numpy"]
    print(f"BatchNorm1d({features}) training forward + backward, batch {batch}, float32:")
    print(f"  numpy {times['numpy'] * 1e3:.3f} ms, nn {times['nn'] * 1e3:.3f} ms, ratio {ratio:.3f}x (target <= 1.5x)")
    return ratio


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=100)
    args = parser.parse_args()
    bench_mlp(args.repeats)
    bench_batchnorm(args.repeats * 4)


if __name__ == "__main__":
    main()
