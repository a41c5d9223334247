"""Scalar neural networks built on :class:`autograd.Value`, with micrograd's API.

A neuron computes ``act = b + sum_i w_i * x_i`` and returns ``relu(act)``
(or ``act`` itself when ``nonlin=False``); a layer is a list of neurons fed
the same inputs; an MLP is a chain of layers, ReLU on all but the last.
Weights start uniform in [-1, 1) drawn from :func:`autograd.random.generator`
(so :func:`autograd.manual_seed` makes them reproducible), biases at 0.

These classes are independent of the Tensor module system (``nn.Module``):
like micrograd they share a tiny base with ``parameters()`` and
``zero_grad()``. Their parameters are Values, whose ``.grad`` and ``.data``
the optimizers in ``optim`` read and update.
"""
from autograd import random as _random
from autograd.value import Value


class ScalarModule:
    """Base of the scalar models: ``parameters()`` lists the Values to train."""

    def zero_grad(self):
        """Set the ``.grad`` of every parameter to 0 (gradients accumulate otherwise)."""
        for p in self.parameters():
            p.grad = 0.0

    def parameters(self):
        """The trainable Values of this model (none for the base)."""
        return []


class Neuron(ScalarModule):
    """``Neuron(nin, nonlin=True)``: ``relu(b + sum_i w_i x_i)``, or without the ReLU when ``nonlin=False``."""

    def __init__(self, nin, nonlin=True):
        _check_size("Neuron", "nin", nin)
        weights = _random.generator().uniform(-1.0, 1.0, size=nin).tolist()
        self.w = [Value(w) for w in weights]
        self.b = Value(0.0)
        self.nonlin = nonlin

    def __call__(self, x):
        """Apply the neuron to a list of ``nin`` numbers or Values; return one Value."""
        x = _as_inputs(x)
        if len(x) != len(self.w):
            raise ValueError(f"Neuron: expected {len(self.w)} inputs, got {len(x)}")
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self):
        """The weights, then the bias."""
        return self.w + [self.b]

    def __repr__(self):
        return f"{'ReLU' if self.nonlin else 'Linear'}Neuron({len(self.w)})"


class Layer(ScalarModule):
    """``Layer(nin, nout, **kwargs)``: ``nout`` neurons of ``nin`` inputs each (kwargs go to :class:`Neuron`)."""

    def __init__(self, nin, nout, **kwargs):
        _check_size("Layer", "nout", nout)
        self.neurons = [Neuron(nin, **kwargs) for _ in range(nout)]

    def __call__(self, x):
        """One Value per neuron; a single Value (not a list) when ``nout == 1``, as in micrograd."""
        x = _as_inputs(x)
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def parameters(self):
        """The parameters of each neuron in turn."""
        return [p for n in self.neurons for p in n.parameters()]

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(ScalarModule):
    """``MLP(nin, nouts)``: layers of sizes ``nouts``; ReLU after every layer but the last."""

    def __init__(self, nin, nouts):
        nouts = list(nouts)
        if not nouts:
            raise ValueError("MLP: nouts must list at least one layer size, got []")
        sizes = [nin] + nouts
        self.layers = [Layer(sizes[i], sizes[i + 1], nonlin=i != len(nouts) - 1) for i in range(len(nouts))]

    def __call__(self, x):
        """Run the layers in turn on a list of ``nin`` numbers or Values."""
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        """The parameters of each layer in turn."""
        return [p for layer in self.layers for p in layer.parameters()]

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"


def _as_inputs(x):
    # a single Value is what a 1-neuron layer returns: accept it as a list of one
    return [x] if isinstance(x, (Value, int, float)) else list(x)


def _check_size(cls, name, n):
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError(f"{cls}: {name} must be a positive int, got {n!r}")
