"""Scalar engine benchmark (issue 3): micrograd's own demo training step, ours against micrograd 0.1.0.

The step is micrograd's demo.ipynb: an MLP 2-16-16-1 on 100 two-moons points,
max-margin loss ``mean(relu(1 - y * score))`` plus ``1e-4 * sum(p*p)``, full
batch; forward, ``zero_grad``, ``backward``, SGD update. The same step code
runs once with micrograd's ``Value``/``MLP`` and once with ``autograd.Value``
and ``nn.MLP`` (the imports are the only difference), from the same starting
weights, in this process, interleaved; it checks the two give the same losses,
then prints the median time per step of each and the ratio (see
:func:`interleaved_step_times` for the two ways garbage collection is counted).

Run: ``python benchmarks/bench_value.py`` in an environment with micrograd
(``pip install micrograd==0.1.0``; chainrule itself never depends on it).
"""
import argparse
import gc
import os
import random
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
import nn  # noqa: E402


def import_micrograd():
    try:
        from micrograd.engine import Value
        from micrograd.nn import MLP
    except ImportError:
        sys.exit("bench_value.py compares against micrograd, which is not installed here: "
                 "pip install micrograd==0.1.0")
    return Value, MLP


def make_moons(n_samples=100, noise=0.1, seed=1):
    """Two interleaving half circles (as sklearn.datasets.make_moons); labels -1 / +1."""
    rng = np.random.default_rng(seed)
    n_outer = n_samples // 2
    n_inner = n_samples - n_outer
    t_outer = np.linspace(0, np.pi, n_outer)
    t_inner = np.linspace(0, np.pi, n_inner)
    X = np.concatenate([
        np.stack([np.cos(t_outer), np.sin(t_outer)], axis=1),
        np.stack([1 - np.cos(t_inner), 1 - np.sin(t_inner) - 0.5], axis=1),
    ])
    y = np.concatenate([np.zeros(n_outer, dtype=int), np.ones(n_inner, dtype=int)])
    X += rng.normal(scale=noise, size=X.shape)
    order = rng.permutation(n_samples)
    return X[order], y[order] * 2 - 1


def demo_trainer(Value, model, X, y):
    """micrograd's demo training step for one engine (its ``Value`` class and an ``MLP`` of it)."""
    state = {"k": 0}

    def loss():
        inputs = [list(map(Value, xrow)) for xrow in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        alpha = 1e-4
        reg_loss = alpha * sum((p * p for p in model.parameters()))
        total_loss = data_loss + reg_loss
        accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
        return total_loss, sum(accuracy) / len(accuracy)

    def step():
        total_loss, acc = loss()
        model.zero_grad()
        total_loss.backward()
        learning_rate = 1.0 - 0.9 * state["k"] / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        state["k"] += 1
        return total_loss.data, acc

    return step


def interleaved_step_times(steps, repeats):
    """Median seconds per step of each engine, run in turn; two timings per engine.

    ``step``: the step alone, after a ``gc.collect()`` outside the timing, so
    neither engine pays for the other's garbage (micrograd's per-node closures
    form reference cycles that only the cyclic collector frees).
    ``step + its garbage``: the step followed by ``gc.collect()``, both timed:
    each engine pays for collecting what its own step left behind.
    """
    times = {name: {"step": [], "step + its garbage": []} for name in steps}
    for _ in range(repeats):
        for name, step in steps.items():
            gc.collect()
            start = time.perf_counter()
            step()
            middle = time.perf_counter()
            gc.collect()
            end = time.perf_counter()
            times[name]["step"].append(middle - start)
            times[name]["step + its garbage"].append(end - start)
    return {name: {kind: statistics.median(ts) for kind, ts in kinds.items()} for name, kinds in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=10, help="timed steps per engine (default 10)")
    args = parser.parse_args()

    MicroValue, MicroMLP = import_micrograd()
    X, y = make_moons()
    random.seed(1337)  # micrograd draws its weights from the random module
    micro_model = MicroMLP(2, [16, 16, 1])
    autograd.manual_seed(1337)
    our_model = nn.MLP(2, [16, 16, 1])
    for ours, theirs in zip(our_model.parameters(), micro_model.parameters()):
        ours.data = float(theirs.data)  # the same starting weights

    micro_step = demo_trainer(MicroValue, micro_model, X, y)
    our_step = demo_trainer(autograd.Value, our_model, X, y)
    # the same computation: the first steps must agree
    for k in range(3):
        (micro_loss, micro_acc), (our_loss, our_acc) = micro_step(), our_step()
        print(f"step {k}: loss micrograd {micro_loss:.12f}  chainrule {our_loss:.12f}  accuracy {our_acc:.0%}")
        if not np.isclose(micro_loss, our_loss, rtol=1e-9) or micro_acc != our_acc:
            sys.exit("the two engines disagree: the benchmark is not comparing the same computation")

    medians = interleaved_step_times({"micrograd": micro_step, "chainrule": our_step}, args.repeats)
    print(f"training step (MLP 2-16-16-1, 100 two-moons points, max-margin + 1e-4 L2), median of {args.repeats}:")
    for kind in ("step", "step + its garbage"):
        micro, ours = medians["micrograd"][kind], medians["chainrule"][kind]
        print(f"  {kind:<19} micrograd 0.1.0 {micro * 1e3:7.1f} ms   chainrule {ours * 1e3:7.1f} ms   "
              f"chainrule {micro / ours:.2f}x faster")

if __name__ == "__main__":
    main()
