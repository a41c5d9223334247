"""Running sums: ``cumsum``.   Each output sums a prefix, so each input's gradient sums a suffix."""
import numpy as np

from ..function import Op
from . import formula
from .common import normalize_dim, required_dim


class Cumsum(Op):
    """y_i = x_0 + ... + x_i along ``dim``.   dL/dx_i = g_i + ... + g_(n-1): the gradient's running sum
    from the end (flip, cumsum, flip)."""

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a = x._array
        # PyTorch: integer and bool inputs sum in int64
        return np.cumsum(a, axis=dim, dtype=np.int64 if a.dtype.kind in "biu" else None)

    @staticmethod
    def backward(ctx, grad):
        dim = ctx.dim
        return formula.flip(formula.cumsum(formula.flip(grad, (dim,)), dim), (dim,)), None


def cumsum(input, dim=None, *, dtype=None, axis=None):
    """Running sum along ``dim`` (required; ``axis`` also names it). Integers and bools sum in int64, as in
    PyTorch; ``dtype`` converts first."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "cumsum")
    if dtype is not None:
        input = input.to(dtype)
    if input.ndim == 0:
        return Cumsum.apply(input.reshape(1), 0).reshape(())
    return Cumsum.apply(input, normalize_dim(dim, input.ndim, "cumsum"))
