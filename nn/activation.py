"""Activation modules, and ``gelu`` with the error function it needs (numpy has no erf).

Each module is a thin wrapper over the stateless function in ``nn.functional``
(itself an autograd op), so each derivative is written once, in the op.
"""
import math

import numpy as np

import autograd
from autograd.function import Op
from autograd.ops import formula
from autograd.tensor import Tensor

from .module import Module

# W. J. Cody, "Rational Chebyshev approximations for the error function" (Math. Comp. 1969),
# as in his CALERF routine: relative error below 1e-15 in float64.
_A = (3.16112374387056560e00, 1.13864154151050156e02, 3.77485237685302021e02, 3.20937758913846947e03,
      1.85777706184603153e-1)
_B = (2.36012909523441209e01, 2.44024637934444173e02, 1.28261652607737228e03, 2.84423683343917062e03)
_C = (5.64188496988670089e-1, 8.88314979438837594e00, 6.61191906371416295e01, 2.98635138197400131e02,
      8.81952221241769090e02, 1.71204761263407058e03, 2.05107837782607147e03, 1.23033935479799725e03,
      2.15311535474403846e-8)
_D = (1.57449261107098347e01, 1.17693950891312499e02, 5.37181101862009858e02, 1.62138957456669019e03,
      3.29079923573345963e03, 4.36261909014324716e03, 3.43936767414372164e03, 1.23033935480374942e03)
_P = (3.05326634961232344e-1, 3.60344899949804439e-1, 1.25781726111229246e-1, 1.60837851487422766e-2,
      6.58749161529837803e-4, 1.63153871373020978e-2)
_Q = (2.56852019228982242e00, 1.87295284992346725e00, 5.27905102951428412e-1, 6.05183413124413191e-2,
      2.33520497626869185e-3)
_INV_SQRT_PI = 5.6418958354775628695e-1
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _erf_small(x):
    """Cody's rational approximation for |x| <= 0.46875 (finite garbage elsewhere)."""
    z = x * x
    num, den = _A[4] * z, z
    for i in range(3):
        num = (num + _A[i]) * z
        den = (den + _B[i]) * z
    return x * (num + _A[3]) / (den + _B[3])


def _erfc_middle(y):
    """erfc(y) for 0.46875 < y <= 4."""
    num, den = _C[8] * y, y
    for i in range(7):
        num = (num + _C[i]) * y
        den = (den + _D[i]) * y
    return (num + _C[7]) / (den + _D[7]) * np.exp(-y * y)


def _erfc_tail(y):
    """erfc(y) for y > 4 (0 beyond ~26.6, where it underflows)."""
    z = 1.0 / (y * y)
    num, den = _P[5] * z, z
    for i in range(4):
        num = (num + _P[i]) * z
        den = (den + _Q[i]) * z
    return (_INV_SQRT_PI - z * (num + _P[4]) / (den + _Q[4])) / y * np.exp(-y * y)


def erf_array(x):
    """erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt of an ndarray, computed in float64
    (relative error about 1e-15)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.abs(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        erfc = _erfc_middle(np.minimum(y, 4.0))
        far = y > 4.0
        if far.any():
            erfc[far] = _erfc_tail(np.minimum(y[far], 27.0))
        out = np.where(y <= 0.46875, _erf_small(np.minimum(y, 0.5)) * np.sign(x), np.copysign(1.0 - erfc, x))
    out[np.isnan(x)] = np.nan
    return out


class Erf(Op):
    """erf(x).   d/dx = 2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf_array(x._array).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (formula.exp(-(x * x)) * _TWO_OVER_SQRT_PI)


def erf(input):
    """The error function, elementwise (differentiable)."""
    return Erf.apply(input)


def _erf_formula(x):
    """erf in backward formulas (see autograd.ops.formula): recorded for a Tensor, computed for an array."""
    return Erf.apply(x) if isinstance(x, Tensor) else erf_array(x).astype(x.dtype, copy=False)


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
        cdf = (_erf_formula(x * (1 / math.sqrt(2.0))) + 1.0) * 0.5
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
