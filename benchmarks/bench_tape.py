"""How much of the MLP step's overhead any Python autograd pays. Run by hand: ``python benchmarks/bench_tape.py``.

bench_tensor's step (784-512-256-10, batch 128, the same user-level ops: matmul, bias add, relu,
log_softmax, gather, mean, neg, SGD) three ways in one process, interleaved: hand-written numpy; a
minimal tape autograd (below: each op is a slotted object with a backward closure; no argument
checks, no version counters, no gradient checks, updates on raw arrays); and chainrule. The tape is
a floor for a Python engine that records these ops one by one. The distance from it to chainrule is
what chainrule's machinery (Function nodes, result Tensors, checks, PyTorch's semantics) costs.
"""
import argparse
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import autograd  # noqa: E402
import bench_tensor  # noqa: E402
from common import interleaved_times, print_ratios  # noqa: E402


class Node:
    """A value on the tape: its array, the nodes it came from, and a closure from its gradient to theirs."""

    __slots__ = ("value", "parents", "backward_fn", "grad", "is_param")

    def __init__(self, value, parents=(), backward_fn=None, is_param=False):
        self.value, self.parents, self.backward_fn = value, parents, backward_fn
        self.grad, self.is_param = None, is_param

    def needs_grad(self):
        return self.is_param or bool(self.parents)

    def __matmul__(self, other):
        a, b = self.value, other.value
        return Node(a @ b, (self, other), lambda g: (g @ b.T if self.needs_grad() else None, a.T @ g))

    def __add__(self, bias):
        return Node(self.value + bias.value, (self, bias), lambda g: (g, g.sum(axis=0)))

    def relu(self):
        x = self.value
        return Node(np.maximum(x, 0), (self,), lambda g: (g * (x > 0),))

    def log_softmax(self):
        x = self.value
        out = x - x.max(axis=1, keepdims=True)
        out -= np.log(np.exp(out).sum(axis=1, keepdims=True))
        return Node(out, (self,), lambda g: (g - np.exp(out) * g.sum(axis=1, keepdims=True),))

    def gather(self, index):
        x, rows = self.value, np.arange(self.value.shape[0])[:, None]

        def backward_fn(g):
            dx = np.zeros_like(x)
            dx[rows, index] = g
            return (dx,)

        return Node(x[rows, index], (self,), backward_fn)

    def mean(self):
        x = self.value
        return Node(np.asarray(x.mean()), (self,), lambda g: (np.broadcast_to(g / x.size, x.shape),))

    def __neg__(self):
        return Node(-self.value, (self,), lambda g: (-g,))

    def backward(self):
        order, seen, stack = [], {id(self)}, [(self, iter(self.parents))]
        while stack:
            node, pending = stack[-1]
            for parent in pending:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    stack.append((parent, iter(parent.parents)))
                    break
            else:
                stack.pop()
                order.append(node)
        grads = {id(self): np.ones((), self.value.dtype)}
        for node in reversed(order):
            g = grads.pop(id(node), None)
            if g is None:
                continue
            if node.backward_fn is None:
                node.grad = g
                continue
            for parent, parent_grad in zip(node.parents, node.backward_fn(g)):
                if parent_grad is not None and parent.needs_grad():
                    key = id(parent)
                    grads[key] = grads[key] + parent_grad if key in grads else parent_grad


def tape_step(params, x, y):
    """bench_tensor's step on the tape, with the SGD update on raw arrays."""
    w1, b1, w2, b2, w3, b3 = params
    h1 = (x @ w1 + b1).relu()
    h2 = (h1 @ w2 + b2).relu()
    loss = -(h2 @ w3 + b3).log_softmax().gather(y).mean()
    for p in params:
        p.grad = None
    loss.backward()
    for p in params:
        p.value -= bench_tensor.LR * p.grad
    return loss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=150)
    args = parser.parse_args()
    weights, x, y = bench_tensor.make_problem()
    first = float(tape_step([Node(w.copy(), is_param=True) for w in weights], Node(x), y.reshape(-1, 1)).value)
    assert abs(first - float(bench_tensor.numpy_step([w.copy() for w in weights], x, y))) < 1e-4  # (no tape kept alive)
    numpy_params = [w.copy() for w in weights]
    tape_params = [Node(w.copy(), is_param=True) for w in weights]
    tensor_params = [autograd.tensor(w, requires_grad=True) for w in weights]
    tx, ty = autograd.from_numpy(x), autograd.from_numpy(y.reshape(-1, 1))
    times = interleaved_times({
        "numpy": lambda: bench_tensor.numpy_step(numpy_params, x, y),
        "tape": lambda: tape_step(tape_params, Node(x), y.reshape(-1, 1)),
        "chainrule": lambda: bench_tensor.tensor_step(tensor_params, tx, ty),
    }, repeats=args.repeats)
    print(f"MLP step 784-512-256-10, batch {bench_tensor.BATCH}, {args.repeats} interleaved rounds: "
          + ", ".join(f"{name} {statistics.median(ts) * 1e3:.2f} ms" for name, ts in times.items()))
    print_ratios(times, (("tape", "numpy"), ("chainrule", "numpy"), ("chainrule", "tape")))


if __name__ == "__main__":
    main()
