"""Cache misses per MLP training step, simulated by valgrind's cachegrind: deterministic, like
count_bytecodes.py, but for the costs bytecodes do not show. Run by hand (about 4 minutes on 2
cores; needs valgrind, e.g. ``apt-get install valgrind``):

    python benchmarks/cache_misses.py [--steps 10]

At 784-512-256-10 the step's big products stream megabytes through a 1 MiB L2 cache. The Python code
that runs between them then finds its own code and objects evicted: on these machines an op costs
2.5-3x as much right after a big product as in a loop of tiny steps. So the engine's overhead in the
real step is mostly misses, and a change can cut bytecodes without cutting time, or the other way.

For bench_tensor's Tensor step and its hand-written numpy step, single-threaded BLAS, this prints per
step: instructions (Ir), first-level instruction and data misses (I1, D1) and misses of a simulated
1 MiB, 16-way L2 (LL, instructions and data). Each is the difference between a run of N steps and a
run of none, so start-up cancels out.
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
EVENTS = ("Ir", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw")


def run_steps(kind, steps):
    """The child's job: ``steps`` steps of ``kind`` after five of warm-up."""
    sys.path.insert(0, os.path.dirname(HERE))
    sys.path.insert(0, HERE)
    import autograd
    import bench_tensor

    weights, x, y = bench_tensor.make_problem()
    if kind == "tensor":
        params = [autograd.tensor(w, requires_grad=True) for w in weights]
        tx, ty = autograd.from_numpy(x), autograd.from_numpy(y.reshape(-1, 1))
        step = lambda: bench_tensor.tensor_step(params, tx, ty)  # noqa: E731
    else:
        params = [w.copy() for w in weights]
        step = lambda: bench_tensor.numpy_step(params, x, y)  # noqa: E731
    for _ in range(5 + steps):
        step()


def start(kind, steps, scratch):
    """A child running ``steps`` steps of ``kind`` under cachegrind, and the file it will write."""
    out = os.path.join(scratch, f"{kind}-{steps}.out")
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    child = subprocess.Popen(
        ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--LL=1048576,16,64", f"--cachegrind-out-file={out}",
         sys.executable, os.path.abspath(__file__), "--child", kind, str(steps)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return child, out


def totals(child, out):
    """cachegrind's totals, once ``child`` has finished."""
    if child.wait() != 0:
        sys.exit(f"cachegrind failed (exit code {child.returncode}); run it by hand to see why")
    with open(out) as lines:
        names = values = None
        for line in lines:
            if line.startswith("events:"):
                names = line.split()[1:]
            elif line.startswith("summary:"):
                values = [int(v) for v in line.split()[1:]]
    return dict(zip(names, values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_steps(args.child[0], int(args.child[1]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed: apt-get install valgrind (or your system's package)")
    scratch = tempfile.mkdtemp(prefix="cache_misses_")
    try:
        print(f"Per MLP step 784-512-256-10, batch 128 (cachegrind, 1 MiB L2 simulated, {args.steps} steps):")
        print(f"  {'':8}" + "".join(f"{e:>12}" for e in ("Ir", "I1 misses", "D1 misses", "LL misses")))
        children = {(kind, n): start(kind, n, scratch) for kind in ("numpy", "tensor") for n in (0, args.steps)}
        for kind in ("numpy", "tensor"):
            base, run = totals(*children[kind, 0]), totals(*children[kind, args.steps])
            d = {e: (run[e] - base[e]) / args.steps for e in EVENTS}
            row = (d["Ir"], d["I1mr"], d["D1mr"] + d["D1mw"], d["ILmr"] + d["DLmr"] + d["DLmw"])
            print(f"  {kind:8}" + "".join(f"{v:12,.0f}" for v in row))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
