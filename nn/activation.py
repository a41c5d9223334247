"""Activation modules, and ``gelu`` (its error function is ``autograd.erf``).

Each module is a thin wrapper over the stateless function in ``nn.functional``
(itself an autograd op), so each derivative is written once, in the op.
"""
import math

import autograd
from autograd.function import Op
from autograd.ops import formula, special

from .module import Module

# The error function lives in autograd (``autograd.erf``, numerics in autograd/ops/special.py); these
# names stay importable from here.
erf_array = special.erf_array
Erf = special.Erf
erf = special.erf


class Gelu(Op):
    """gelu(x) = x * Phi(x) with Phi(x) = (1 + erf(x / sqrt(2))) / 2, the normal CDF.

    d/dx = Phi(x) + x * phi(x), phi(x) = exp(-x^2 / 2) / sqrt(2 pi).
    """

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        a = x._array
        cdf = 0.5 * (1.0 + erf_array(a * (1 / math.sqrt(2.0))))
        return (a * cdf).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        cdf = (formula.erf(x * (1 / math.sqrt(2.0))) + 1.0) * 0.5
        pdf = formula.exp(x * x * -0.5) * (1 / math.sqrt(2 * math.pi))
        return grad * (cdf + x * pdf)


def gelu(input, approximate="none"):
    """x * Phi(x) (``approximate='none'``), or the tanh form
    0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) (``approximate='tanh'``)."""
    if approximate == "none":
        return Gelu.apply(input)
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * math.sqrt(2.0 / math.pi)
        return input * (autograd.tanh(inner) + 1.0) * 0.5
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _check_dim(dim, name):
    if dim is None:
        raise TypeError(f"{name}: pass dim explicitly (implicit dim choice is deprecated in PyTorch)")


class ReLU(Module):
    """max(0, x)."""

    def __init__(self, inplace=False):
        super().__init__()

    def forward(self, input):
        """relu(input)."""
        return autograd.relu(input)


class LeakyReLU(Module):
    """x if x > 0 else negative_slope * x."""

    def __init__(self, negative_slope=0.01, inplace=False):
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, input):
        """leaky_relu(input, negative_slope)."""
        return autograd.leaky_relu(input, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """1 / (1 + exp(-x))."""

    def forward(self, input):
        """sigmoid(input)."""
        return autograd.sigmoid(input)


class Tanh(Module):
    """tanh(x)."""

    def forward(self, input):
        """tanh(input)."""
        return autograd.tanh(input)


class GELU(Module):
    """x * Phi(x), Phi the standard normal CDF (or its tanh approximation with ``approximate='tanh'``)."""

    def __init__(self, approximate="none"):
        super().__init__()
        if approximate not in ("none", "tanh"):
            raise ValueError(f"GELU: approximate must be 'none' or 'tanh', got {approximate!r}")
        self.approximate = approximate

    def forward(self, input):
        """gelu(input, approximate)."""
        return gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + exp(beta x)) / beta, and x where beta x > threshold."""

    def __init__(self, beta=1.0, threshold=20.0):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        """softplus(input, beta, threshold)."""
        return autograd.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class _AlongDim(Module):
    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_AlongDim):
    """exp(x_i) / sum_j exp(x_j) along ``dim``."""

    def forward(self, input):
        """softmax(input, dim)."""
        _check_dim(self.dim, "Softmax")
        return autograd.softmax(input, self.dim)


class LogSoftmax(_AlongDim):
    """log(softmax(x)) along ``dim``, computed stably."""

    def forward(self, input):
        """log_softmax(input, dim)."""
        _check_dim(self.dim, "LogSoftmax")
        return autograd.log_softmax(input, self.dim)
