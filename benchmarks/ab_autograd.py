"""A/B the engine: the committed ``autograd`` (a git ref, HEAD by default) against the working tree's,
both timed on bench_tensor's MLP step in one process, interleaved. Run by hand:

    python benchmarks/ab_autograd.py            # the 784-512-256-10 step, batch 128
    python benchmarks/ab_autograd.py --tiny     # sizes 8-8-8-4: Python overhead is all there is

Comparing two runs of bench_tensor.py tells little on a shared machine (its speed drifts 2x within
minutes); two engines in one process see the same machine. Calibrate before believing a small gain: run
it on a clean tree (the same engine twice), where ``--tiny`` read new/base 0.982-0.990 (0.972-0.976
before the rounds alternated their order), so a --tiny difference under 2% is not a measurement. ``autograd`` imports itself only
relatively, so a copy of it under another package name is a second, independent engine.
"""
import argparse
import atexit
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

import bench_tensor  # noqa: E402
from common import interleaved_times, print_ratios  # noqa: E402


def load_engines(ref):
    """(the engine at git ``ref``, the working tree's engine), as two separately imported packages."""
    scratch = tempfile.mkdtemp(prefix="ab_autograd_")
    atexit.register(shutil.rmtree, scratch, ignore_errors=True)
    archive = subprocess.run(["git", "-C", ROOT, "archive", ref, "autograd"], check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", scratch], input=archive, check=True)
    os.rename(os.path.join(scratch, "autograd"), os.path.join(scratch, "autograd_base"))
    os.symlink(os.path.join(ROOT, "autograd"), os.path.join(scratch, "autograd_new"))
    sys.path.insert(0, scratch)
    import autograd_base
    import autograd_new

    return autograd_base, autograd_new


def step_with(engine, weights, x, y):
    """bench_tensor's Tensor step, written against ``engine``."""
    params = [engine.tensor(w, requires_grad=True) for w in weights]
    tx, ty = engine.from_numpy(x), engine.from_numpy(y.reshape(-1, 1))

    def step():
        w1, b1, w2, b2, w3, b3 = params
        h1 = (tx @ w1 + b1).relu()
        h2 = (h1 @ w2 + b2).relu()
        loss = -(h2 @ w3 + b3).log_softmax(dim=1).gather(1, ty).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with engine.no_grad():
            for p in params:
                p -= bench_tensor.LR * p.grad

    return step


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ref", default="HEAD", help="git ref of the base engine (default HEAD)")
    parser.add_argument("--tiny", action="store_true", help="sizes 8-8-8-4 instead of 784-512-256-10")
    parser.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 2000 tiny, 200 full)")
    args = parser.parse_args()
    if args.tiny:
        bench_tensor.SIZES = (8, 8, 8, 4)
    rounds = args.rounds or (2000 if args.tiny else 200)
    base, new = load_engines(args.ref)
    weights, x, y = bench_tensor.make_problem()
    numpy_params = [w.copy() for w in weights]
    times = interleaved_times({
        "numpy": lambda: bench_tensor.numpy_step(numpy_params, x, y),
        "base": step_with(base, weights, x, y),
        "new": step_with(new, weights, x, y),
    }, repeats=rounds)
    medians = {name: statistics.median(ts) * 1e6 for name, ts in times.items()}
    print(f"MLP step {'-'.join(map(str, bench_tensor.SIZES))}, batch {bench_tensor.BATCH}, {rounds} rounds: "
          + ", ".join(f"{name} {us:.0f} us" for name, us in medians.items()))
    print_ratios(times, (("base", "numpy"), ("new", "numpy"), ("new", "base")))


if __name__ == "__main__":
    main()
