"""Draw the README's pictures into docs/: a neuron's graph, and the stepper midway through backprop.

Run: python examples/draw_pictures.py   (needs Graphviz's dot)
"""
import os

import autograd
from autograd import Value

HERE = os.path.dirname(os.path.abspath(__file__))
DOCS = os.path.join(os.path.dirname(HERE), "docs")


def neuron():
    """y = tanh(x1*w1 + x2*w2 + b), micrograd's example neuron."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    z = x1 * w1 + x2 * w2 + b
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    return y


if __name__ == "__main__":
    os.makedirs(DOCS, exist_ok=True)
    y = neuron()
    y.backward()
    autograd.draw_graph(y).render(os.path.join(DOCS, "graph"), format="svg", cleanup=True)
    stepper = autograd.BackwardStepper(neuron())
    for _ in range(4):
        stepper.step()
    stepper.draw().render(os.path.join(DOCS, "stepper"), format="svg", cleanup=True)
    print("wrote", os.path.join(DOCS, "graph.svg"), "and", os.path.join(DOCS, "stepper.svg"))
