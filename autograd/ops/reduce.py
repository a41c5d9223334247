"""Reductions over ``dim`` (None for all, an int, or a tuple) with ``keepdim``, PyTorch's names."""
import builtins
import collections

import numpy as np

from ..function import OUTPUT, Op
from ..tensor import Tensor
from . import formula
from .common import (
    floating, kept_shape, normalize_dim, normalize_dims, reduction_aliases, require_floating, required_dim,
)
from .elementwise import abs
from .index import Gather

MaxResult = collections.namedtuple("max", ["values", "indices"])
MinResult = collections.namedtuple("min", ["values", "indices"])


class Sum(Op):
    """sum of x over ``axes``.   d/dx_i = 1: the gradient is broadcast back to x's shape."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes = x.shape, axes
        return np.asarray(x._array.sum(axis=axes, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        return formula.broadcast_to(_with_kept_dims(grad, ctx.shape, ctx.axes), ctx.shape), None, None


def _with_kept_dims(grad, shape, axes):
    """A reduction's gradient reshaped as if keepdim=True, ready to broadcast back over ``shape``."""
    kept = kept_shape(shape, axes)
    return grad if grad.shape == kept else grad.reshape(kept)


class Mean(Op):
    """mean of x over ``axes`` (n elements each).   d/dx_i = 1/n."""

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        ctx.shape, ctx.axes = x.shape, axes
        a = x._array
        total = np.asarray(np.add.reduce(a, axis=axes, keepdims=keepdim))
        ctx.count = a.size // builtins.max(total.size, 1) if a.size else 0
        # sum / count is np.mean (input is floating); over nothing, dividing by nan gives nan without
        # the warnings numpy's mean and 0 / 0 raise
        return np.true_divide(total, ctx.count or np.nan, out=total)

    @staticmethod
    def backward(ctx, grad):
        grad = _with_kept_dims(grad, ctx.shape, ctx.axes) / builtins.max(ctx.count, 1)
        return formula.broadcast_to(grad, ctx.shape), None, None


class Amax(Op):
    """max of x over ``axes``.   d/dx_i = 1/k for the k elements equal to the max, else 0 (PyTorch's amax).

    Where the max is NaN (a NaN among the elements) no element equals it: the gradient there is 0/0,
    NaN over the whole slice, as PyTorch's amax gives.
    """

    extreme = np.max  # Amin uses np.min
    nan_takes_gradient = False  # Max: a NaN max's gradient goes to the NaN elements

    @classmethod
    def forward(cls, ctx, x, axes, keepdim):
        out = np.asarray(cls.extreme(x._array, axis=axes, keepdims=True))
        ctx.save_for_backward(Tensor._make(_share_of_extreme(x._array, out, axes, cls.nan_takes_gradient)))
        ctx.shape, ctx.axes = x.shape, axes
        return out if keepdim else _drop_kept(out, axes)

    @staticmethod
    def backward(ctx, grad):
        (share,) = ctx.saved_tensors
        return _with_kept_dims(grad, ctx.shape, ctx.axes) * share, None, None


class Amin(Amax):
    """min of x over ``axes``.   d/dx_i = 1/k for the k elements equal to the min, else 0 (PyTorch's amin);
    NaN over a slice whose min is NaN."""

    extreme = np.min


class Max(Amax):
    """max of x over ``axes`` for ``x.max()`` (all elements) and ``norm(x, inf)``.   d/dx_i = 1/k for the
    k elements equal to the max, else 0; where the max is NaN, 1/k for the k NaN elements (PyTorch's
    evenly_distribute_backward: ``tensor([1., nan, 3.]).max()`` gives the gradient [0, 1, 0], where amax
    gives NaN)."""

    nan_takes_gradient = True


class Min(Amin):
    """min of x over ``axes`` for ``x.min()`` (all elements) and ``norm(x, -inf)``.   d/dx_i = 1/k for the
    k elements equal to the min, else 0; where the min is NaN, 1/k for the k NaN elements (PyTorch)."""

    nan_takes_gradient = True


def _drop_kept(out, axes):
    """Remove the size-1 axes a keepdims reduction left."""
    return out.reshape(()) if axes is None else np.squeeze(out, axis=axes)


def _share_of_extreme(a, extreme, axes, nan_takes_gradient=False):
    """1/k at the k elements of ``a`` equal to their slice's ``extreme`` (kept dims), else 0; with
    ``nan_takes_gradient``, at the NaN elements of a slice whose extreme is NaN."""
    hit = a == extreme
    if nan_takes_gradient and a.dtype.kind == "f" and np.isnan(extreme).any():
        hit |= np.isnan(a) & np.isnan(extreme)
    return (hit / np.sum(hit, axis=axes, keepdims=True)).astype(a.dtype, copy=False)


class LogSumExp(Op):
    """log(sum(exp(x))) over ``axes``, computed as m + log(sum(exp(x - m))) with m the max.

    d/dx_i = exp(x_i - logsumexp(x)) = softmax(x)_i.
    """

    @staticmethod
    def forward(ctx, x, axes, keepdim):
        a = x._array
        m = max_or_neg_inf(a, axes)
        m = np.where(np.isfinite(m), m, 0)
        out = np.log(np.add.reduce(np.exp(a - m), axis=axes, keepdims=True)) + m
        ctx.save_for_backward(x, OUTPUT)
        ctx.axes = axes
        return out if keepdim else _drop_kept(out, axes)

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        kshape = kept_shape(x.shape, ctx.axes)
        return grad.reshape(kshape) * formula.exp(x - out.reshape(kshape)), None, None


def max_or_neg_inf(a, axis):
    """The max of ndarray ``a`` over ``axis`` keeping dims, -inf over an empty axis (numpy refuses it):
    then softmax of nothing is empty and logsumexp of nothing is -inf, as in PyTorch."""
    if a.size == 0:
        return np.maximum.reduce(a, axis=axis, keepdims=True, initial=-np.inf)
    if axis == 1 and a.ndim == 2 and a.shape[1] <= 32:
        # Short rows (logits over a few classes): numpy reduces each row in an inner loop of its own;
        # over a transposed copy it takes the max of whole columns at once, 2-5x faster.
        return np.maximum.reduce(a.T.copy(), axis=0).reshape((-1, 1))
    return np.maximum.reduce(a, axis=axis, keepdims=True)


class Softmax(Op):
    """y = exp(x - max) / sum(exp(x - max)) along ``dim``.   dL/dx = y * (g - sum(g * y))."""

    @staticmethod
    def forward(ctx, x, dim):
        a = x._array
        e = np.exp(a - max_or_neg_inf(a, dim))
        e /= formula.sum_array(e, dim, keepdims=True)
        ctx.save_for_backward(OUTPUT)
        ctx.dim = dim
        return e

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return y * (grad - formula.sum(grad * y, ctx.dim, keepdims=True)), None


class LogSoftmax(Op):
    """y = x - logsumexp(x) along ``dim`` (stable at logits of +/-1e4).   dL/dx = g - exp(y) * sum(g)."""

    @staticmethod
    def forward(ctx, x, dim):
        a = x._array
        shifted = a - max_or_neg_inf(a, dim)
        shifted -= np.log(formula.sum_array(np.exp(shifted), dim, keepdims=True))
        ctx.save_for_backward(OUTPUT)
        ctx.dim = dim
        return shifted

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad - formula.exp(y) * formula.sum(grad, ctx.dim, keepdims=True), None


# ------------------------------------------------------------------- functions
def sum(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
    """Sum over ``dim`` (all dims when None). Integer and bool tensors sum in int64 (or in ``dtype``),
    as in PyTorch. ``axis``/``keepdims``: numpy's names for ``dim``/``keepdim`` (PyTorch takes them too)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "sum")
    if dtype is not None:
        input = input.to(dtype)
    axes = normalize_dims(dim, input.ndim, "sum") or None  # dim=(): all, like PyTorch
    if input._array.dtype.kind != "f":  # (no gradient to record; numpy would sum uint8 in uint64)
        total = input._array.sum(axis=axes, keepdims=keepdim, dtype=np.int64 if dtype is None else input.dtype)
        return Tensor._make(np.asarray(total))
    return Sum.apply(input, axes, keepdim)


def mean(input, dim=None, keepdim=False, dtype=None, *, axis=None, keepdims=None):
    """Mean over ``dim`` (all dims when None). Floating point input only, like PyTorch. ``axis``/``keepdims``:
    numpy's names for ``dim``/``keepdim``."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "mean")
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point or "
            f"complex dtype. Got: {input.dtype}"
        )
    return Mean.apply(input, normalize_dims(dim, input.ndim, "mean") or None, keepdim)


def _correction(unbiased, correction, op):
    if unbiased is not None and correction is not None:
        raise RuntimeError(f"{op}: pass either unbiased or correction, not both")
    if correction is not None:
        return correction
    return 1 if unbiased is None or unbiased else 0


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """Variance sum((x - mean)^2) / (n - correction) over ``dim``; correction=1 (Bessel) by default.
    ``axis``/``keepdims``: numpy's names for ``dim``/``keepdim``."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "var")
    correction = _correction(unbiased, correction, "var")
    axes = normalize_dims(dim, input.ndim, "var") or None
    count = input.numel() if axes is None else int(np.prod([input.shape[a] for a in axes]))
    centered = input - mean(input, dim=axes, keepdim=True)
    return (centered * centered).sum(dim=axes, keepdim=keepdim) / builtins.max(count - correction, 0)


class SqrtOfSquares(Op):
    """s = sqrt(v) for v a sum of squares (a variance, a squared norm).

    ds/dv = 1 / (2 s), taken as 0 where s = 0 (all values equal, or all zero), as PyTorch's std and
    norm do: there the derivative of the square root is infinite but the squares' is 0.
    """

    @staticmethod
    def forward(ctx, v):
        ctx.save_for_backward(OUTPUT)
        return np.sqrt(v._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * formula.where(out == 0, 0.0, 1 / (out * 2))  # masked before it meets grad: no inf * 0


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """Standard deviation sqrt(var(...)) over ``dim``; correction=1 by default. ``axis``/``keepdims``: numpy's
    names for ``dim``/``keepdim``."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "std")
    return SqrtOfSquares.apply(var(input, dim, unbiased, keepdim, correction=correction))


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """The p-norm over ``dim`` (all elements when None): ``(sum |x|^p)^(1/p)``.

    p = 'fro' or 2: sqrt(sum x^2) (gradient x / norm, and 0 at a zero vector, as in PyTorch);
    p = 1: sum |x|;  p = inf / -inf: max / min |x|;  any other number: the formula above.
    """
    if dtype is not None:
        input = input.to(dtype)
    require_floating(input, "norm")
    if p == "fro" or p == 2:
        return SqrtOfSquares.apply((input * input).sum(dim=dim, keepdim=keepdim))
    if p == 1:
        return abs(input).sum(dim=dim, keepdim=keepdim)
    if p == float("inf") or p == float("-inf"):
        # amax/amin of |x|, except that a NaN norm's gradient goes to the NaN elements, where sign(NaN) = 0
        # makes it 0 (PyTorch's vector norm backward), not amax's NaN
        name = "amax" if p > 0 else "amin"
        axes = normalize_dims(() if dim is None else dim, input.ndim, name) or None
        _check_nonempty(input, axes, name)
        return (Max if p > 0 else Min).apply(abs(input), axes, keepdim)
    if isinstance(p, (int, float)) and not isinstance(p, bool) and p > 0:
        return (abs(input) ** p).sum(dim=dim, keepdim=keepdim) ** (1.0 / p)
    raise ValueError(f"norm: p must be 'fro', inf, -inf or a positive number, got {p!r}")


def _extreme(input, dim, keepdim, other, reduce_all, arg, Result, name):
    if isinstance(dim, Tensor) or other is not None:
        from .elementwise import maximum, minimum

        return (maximum if name == "max" else minimum)(input, dim if other is None else other)
    if dim is None:
        if input.numel() == 0:
            raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
        return reduce_all.apply(input, None, False)
    dim = normalize_dim(dim, input.ndim, name)
    _check_nonempty(input, (dim,), name)
    if input.ndim == 0:  # a 0-d tensor is its own extreme along dim 0, at index 0 (PyTorch)
        return Result(input.clone(), arg(input, dim))
    picked = (np.argmax if name == "max" else np.argmin)(input._array, axis=dim, keepdims=True)
    values = Gather.apply(input, dim, picked)  # (gather's index checks: argmax's indices are in range)
    if not keepdim:
        values, picked = values.squeeze(dim), np.squeeze(picked, axis=dim)
    return Result(values, Tensor._make(picked.astype(np.int64, copy=False)))


def max(input, dim=None, keepdim=False, other=None):
    """Largest element; with ``dim``, ``(values, indices)`` along it (gradient to the chosen element);
    with a Tensor second argument, the elementwise ``maximum``."""
    return _extreme(input, dim, keepdim, other, Max, argmax, MaxResult, "max")


def min(input, dim=None, keepdim=False, other=None):
    """Smallest element; with ``dim``, ``(values, indices)`` along it; with a Tensor, ``minimum``."""
    return _extreme(input, dim, keepdim, other, Min, argmin, MinResult, "min")


def amax(input, dim=(), keepdim=False):
    """Max over ``dim`` (all when empty); ties share the gradient equally."""
    axes = normalize_dims(dim, input.ndim, "amax") or None
    _check_nonempty(input, axes, "amax")
    return Amax.apply(input, axes, keepdim)


def amin(input, dim=(), keepdim=False):
    """Min over ``dim`` (all when empty); ties share the gradient equally."""
    axes = normalize_dims(dim, input.ndim, "amin") or None
    _check_nonempty(input, axes, "amin")
    return Amin.apply(input, axes, keepdim)


def _check_nonempty(input, axes, name):
    """A max/min over an empty dim has no value (no identity element): refuse it as PyTorch does."""
    for axis in range(input.ndim) if axes is None else axes:
        if input.ndim and input.shape[axis] == 0:
            raise IndexError(f"{name}(): Expected reduction dim {axis} to have non-zero size (shape {tuple(input.shape)}).")


def logsumexp(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
    """log(sum(exp(input))) over ``dim`` (required; ``axis`` also names it, ``keepdims`` ``keepdim``), without
    overflow. Integer and bool tensors give float32 (PyTorch)."""
    if dim is None or axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "logsumexp")
        dim = required_dim(dim, None, "logsumexp")
    input = floating(input)
    return LogSumExp.apply(input, normalize_dims(dim, input.ndim, "logsumexp") or None, keepdim)


def softmax(input, dim=None, dtype=None, *, axis=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim`` (required; ``axis`` also names it); the entries along
    ``dim`` sum to 1."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "softmax")
    if dtype is not None:
        input = input.to(dtype)
    require_floating(input, "softmax")
    dim = normalize_dim(dim, input.ndim, "softmax")
    return Softmax.apply(input, dim if input.ndim else None)  # None: numpy's axis for a 0-d array


def log_softmax(input, dim=None, dtype=None, *, axis=None):
    """log(softmax(input, dim)), computed stably (``dim`` required; ``axis`` also names it)."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "log_softmax")
    if dtype is not None:
        input = input.to(dtype)
    require_floating(input, "log_softmax")
    dim = normalize_dim(dim, input.ndim, "log_softmax")
    return LogSoftmax.apply(input, dim if input.ndim else None)  # None: numpy's axis for a 0-d array


def _arg(np_fn, name):
    def arg(input, dim=None, keepdim=False, *, axis=None, keepdims=None):
        if axis is not None or keepdims is not None:
            dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, name)
        if dim is None:
            if input.numel() == 0:
                raise RuntimeError(f"{name}(): Expected reduction dim to be specified for input.numel() == 0.")
            out = np.asarray(np_fn(input._array))
            return Tensor._make(out.reshape((1,) * input.ndim) if keepdim else out)
        dim = normalize_dim(dim, input.ndim, name)
        _check_nonempty(input, (dim,), name)
        if input.ndim == 0:  # numpy has no axis 0 here; PyTorch answers index 0
            return Tensor._make(np.zeros((), dtype=np.int64))
        return Tensor._make(np.asarray(np_fn(input._array, axis=dim, keepdims=keepdim)))

    arg.__name__ = name
    arg.__doc__ = (
        f"Index of the {name[3:]} element (flattened when dim is None), an int64 tensor (no gradient). "
        "``axis``/``keepdims``: numpy's names for ``dim``/``keepdim``."
    )
    return arg


argmax = _arg(np.argmax, "argmax")
argmin = _arg(np.argmin, "argmin")
