"""Predicates: tests of values that give bool tensors or Python bools, never recorded in the graph."""
import numpy as np

from ..tensor import Tensor
from .common import array_of, normalize_dims, reduction_aliases


def _bool_reduction(ufunc, name, meaning):
    def reduce(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
        if axis is not None or keepdims is not None:
            dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, name)
        axes = normalize_dims(dim, input.ndim, name) if input.ndim else None
        values = input._array.astype(bool, copy=False)
        return Tensor._make(np.asarray(ufunc.reduce(values, axis=axes, keepdims=keepdim)))

    reduce.__name__ = name
    reduce.__doc__ = (
        f"True where {meaning} element over ``dim`` (all elements when None) is nonzero; a bool tensor. "
        "``axis``/``keepdims``: numpy's names for ``dim``/``keepdim``."
    )
    return reduce


all = _bool_reduction(np.logical_and, "all", "every")
any = _bool_reduction(np.logical_or, "any", "some")


def equal(input, other):
    """True if both tensors have the same shape and the same values (a Python bool)."""
    return input.shape == other.shape and bool(np.array_equal(input._array, other._array))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """|input - other| <= atol + rtol * |other|, elementwise (a bool tensor)."""
    return Tensor._make(np.asarray(np.isclose(array_of(input), array_of(other), rtol, atol, equal_nan)))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """``isclose`` holds for every element (a Python bool)."""
    return bool(np.allclose(array_of(input), array_of(other), rtol, atol, equal_nan))


def isnan(input):
    """True where the value is NaN."""
    return Tensor._make(np.asarray(np.isnan(input._array)))


def isinf(input):
    """True where the value is +inf or -inf."""
    return Tensor._make(np.asarray(np.isinf(input._array)))


def isfinite(input):
    """True where the value is neither NaN nor infinite."""
    return Tensor._make(np.asarray(np.isfinite(input._array)))
