"""Reductions over ``dim`` (None for all, an int, or a tuple) with ``keepdim``, PyTorch's names."""
import builtins
import collections

import numpy as np

from ..function import OUTPUT, Op
from ..tensor import Tensor
from . import formula
from .common import (
    dim_alias, floating, kept_shape, normalize_dim, normalize_dims, reduction_aliases, require_floating,
    required_dim,
)
from .elementwise import abs
from .index import Gather
from .scan import check_differentiable_dtype, exclusive_cumprod

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
        check_differentiable_dtype(input, dtype, "sum")
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


# ------------------------------------------------------- products, NaN-skipping reductions, medians
def _values(x):
    """The ndarray behind ``x`` (an ndarray or a Tensor): for masks, which are constants in either mode."""
    return x._array if isinstance(x, Tensor) else x


def _product_of_others(x, dim):
    """For each element, the product of the other elements of its slice along ``dim``, without division:
    (the product of those before it) * (the product of those after it)."""
    after = formula.flip(exclusive_cumprod(formula.flip(x, (dim,)), dim), (dim,))
    return exclusive_cumprod(x, dim) * after


class Prod(Op):
    """The product of x over ``axis`` (an int, or None for all elements).

    d/dx_k = the product of the other elements of x_k's slice: out / x_k when x has no zero. With zeros it
    is (product of the elements before x_k) * (product of those after), from running products, so it is
    right with one zero (only that element gets a gradient) and with several (none does), and it is
    differentiable again (PyTorch's prod_safe_zeros_backward). A 0-d x passes the gradient through as it is
    (PyTorch: at inf and NaN too, where out / x is NaN).
    """

    @staticmethod
    def forward(ctx, x, axis, keepdim):
        ctx.save_for_backward(x, OUTPUT)
        ctx.axis = axis
        return np.asarray(np.prod(x._array, axis=axis, keepdims=keepdim))

    @staticmethod
    def backward(ctx, grad):
        x, out = ctx.saved_tensors
        if x.ndim == 0:
            return grad, None, None
        axes = None if ctx.axis is None else (ctx.axis,)
        grad = _with_kept_dims(grad, x.shape, axes)
        if not (_values(x) == 0).any():
            return grad * _with_kept_dims(out, x.shape, axes) / x, None, None
        if ctx.axis is None:
            others = _product_of_others(x.reshape((-1,)), 0).reshape(x.shape)
        else:
            others = _product_of_others(x, ctx.axis)
        return grad * others, None, None


def prod(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """The product of all elements, or along ``dim`` (one dim, as in PyTorch; ``axis``/``keepdims`` also
    name ``dim``/``keepdim``). Integers and bools multiply in int64 (or in ``dtype``, converted to first).

    d/dx_k = the product of the other elements: right with zeros too (one zero gets the product of the
    rest; with two or more, every gradient is 0), computed without dividing by x_k there.
    """
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "prod")
    if dtype is not None:
        check_differentiable_dtype(input, dtype, "prod")
        input = input.to(dtype)
    if isinstance(dim, (tuple, list)):
        raise TypeError(f"prod(): dim must be an int (prod reduces one dim, or all of them when dim is None), got {dim!r}")
    axis = None if dim is None or input.ndim == 0 else normalize_dim(dim, input.ndim, "prod")
    if dim is not None and input.ndim == 0:
        normalize_dim(dim, 0, "prod")
    a = input._array
    if a.dtype.kind != "f":  # (no gradient to record)
        product = np.prod(a, axis=axis, keepdims=keepdim, dtype=np.int64 if dtype is None else a.dtype)
        return Tensor._make(np.asarray(product))
    return Prod.apply(input, axis, keepdim)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """``(var, mean)`` over ``dim`` in one pass over the mean: var = sum((x - mean)^2) / (n - correction),
    correction 1 by default (``var_mean(input, False)``: PyTorch's older form, unbiased as the second
    argument). Floating point input only. Gradients: var's, 2 (x - mean) / (n - correction); mean's, 1/n."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "var_mean")
    return _var_mean(input, dim, unbiased, keepdim, correction, "var_mean")


def _var_mean(input, dim, unbiased, keepdim, correction, op):
    if input.dtype.kind != "f":
        raise RuntimeError(f"{op} only support floating point and complex dtypes, got {input.dtype}")
    correction = _correction(unbiased, correction, op)
    axes = normalize_dims(dim, input.ndim, op) or None
    count = input.numel() if axes is None else int(np.prod([input.shape[a] for a in axes]))
    middle = mean(input, dim=axes, keepdim=True)
    centered = input - middle
    variance = (centered * centered).sum(dim=axes, keepdim=keepdim) / builtins.max(count - correction, 0)
    return variance, middle if keepdim else middle.reshape(variance.shape)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None, axis=None, keepdims=None):
    """``(std, mean)`` over ``dim``: std = sqrt(var), correction 1 by default (``std_mean(input, False)``:
    unbiased as the second argument). Floating point input only. d std/dx = (x - mean) / ((n - correction) std),
    taken as 0 where std is 0 (as ``std``)."""
    if isinstance(dim, bool):
        dim, unbiased = None, dim
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "std_mean")
    variance, middle = _var_mean(input, dim, unbiased, keepdim, correction, "std_mean")
    return SqrtOfSquares.apply(variance), middle


class NanToZero(Op):
    """x with its NaNs replaced by 0.   d/dx = 1 where x is a number, 0 where it is NaN, as a product with
    the gradient (PyTorch's nansum backward, grad * ~isnan(x): an inf or NaN gradient gives NaN there)."""

    @staticmethod
    def forward(ctx, x, nan):
        ctx.number = (~nan).astype(x.dtype)
        return np.where(nan, np.zeros((), x.dtype), x._array)

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.number, None


def nansum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Sum over ``dim`` (all when None) treating NaN as 0; integers sum in int64 (or ``dtype``).
    d/dx = 1 where x is a number, 0 where it is NaN (NaN there if the gradient is inf or NaN, as in PyTorch)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "nansum")
    if dtype is not None:
        check_differentiable_dtype(input, dtype, "nansum")
        input = input.to(dtype)
    if input.dtype.kind == "f":
        nan = np.isnan(input._array)
        if nan.any():
            input = NanToZero.apply(input, nan)
    return sum(input, dim, keepdim)


def nanmean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    """Mean over ``dim`` of the elements that are not NaN (NaN where all are). Floating point input only.
    d/dx = 1/k for the k numbers of the slice, 0 at NaN (NaN over a slice of NaNs only, as in PyTorch)."""
    if axis is not None or keepdims is not None:
        dim, keepdim = reduction_aliases(dim, keepdim, axis, keepdims, "nanmean")
    if dtype is not None:
        input = input.to(dtype)
    if input.dtype.kind != "f":
        raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got {input.dtype}")
    axes = normalize_dims(dim, input.ndim, "nanmean") or None
    count = np.sum(~np.isnan(input._array), axis=axes, keepdims=keepdim).astype(input.dtype)
    return nansum(input, axes, keepdim) / Tensor._make(np.asarray(count))


MedianResult = collections.namedtuple("median", ["values", "indices"])
NanmedianResult = collections.namedtuple("nanmedian", ["values", "indices"])


def _median_of_all(a, axis=None, keepdims=True, skip_nan=False):
    """The lower median of all of ``a`` (the ((n - 1) // 2)-th smallest), shaped as kept dims: NaN if
    ``a`` has a NaN (unless ``skip_nan``: then the median of the others) or no element."""
    flat = a.reshape(-1)
    if a.dtype.kind == "f":
        nan = np.isnan(flat)
        if nan.any():
            flat = flat[~nan] if skip_nan else flat[:0]
    if flat.size == 0:
        value = np.asarray(np.nan, dtype=a.dtype if a.dtype.kind == "f" else np.float32)
    else:
        k = (flat.size - 1) // 2
        value = np.partition(flat, k)[k]
    return np.asarray(value, dtype=a.dtype).reshape((1,) * a.ndim)


class Median(Max):
    """The lower median of all elements.   d/dx_i = 1/k for the k elements equal to it, else 0; where it
    is NaN, 1/k for the k NaN elements (PyTorch's evenly_distribute_backward, as for ``max()``)."""

    extreme = staticmethod(_median_of_all)


class Nanmedian(Max):
    """The lower median of the elements that are not NaN (NaN if all are).   Gradient as ``Median``'s."""

    extreme = staticmethod(lambda a, axis=None, keepdims=True: _median_of_all(a, skip_nan=True))


def _median(input, dim, keepdim, axis, name, Whole, Result):
    if axis is not None:
        dim = dim_alias(dim, axis, name)
    if dim is None:
        if input.dtype.kind != "f":  # (no gradient to record)
            if input.dtype.kind == "b" and input._array.size:
                raise NotImplementedError(f"{name}(): not implemented for 'Bool' tensors (as in PyTorch); convert with .int()")
            return Tensor._make(_median_of_all(input._array, skip_nan=Whole is Nanmedian).reshape(()))
        return Whole.apply(input, None, False)
    dim = normalize_dim(dim, input.ndim, name)
    _check_nonempty(input, (dim,), name)
    if input.dtype.kind == "b":
        raise NotImplementedError(f"{name}(): not implemented for 'Bool' tensors (as in PyTorch); convert with .int()")
    if input.ndim == 0:
        return Result(input.clone(), Tensor._make(np.zeros((), np.int64)))
    a = input._array
    order = np.argsort(a, axis=dim, kind="stable")  # (NaN sorts last)
    n = a.shape[dim]
    nan = np.isnan(a) if a.dtype.kind == "f" else None
    if Whole is Nanmedian and nan is not None:
        position = np.maximum(np.sum(~nan, axis=dim, keepdims=True) - 1, 0) // 2
    else:
        position = np.full(kept_shape(a.shape, (dim,)), (n - 1) // 2)
    picked = np.take_along_axis(order, position, axis=dim)
    if Whole is Median and nan is not None:
        has_nan = nan.any(axis=dim, keepdims=True)
        if has_nan.any():  # the median of a slice with a NaN is NaN: PyTorch answers its first NaN
            picked = np.where(has_nan, np.argmax(nan, axis=dim, keepdims=True), picked)
    values = Gather.apply(input, dim, picked)
    if not keepdim:
        values, picked = values.squeeze(dim), np.squeeze(picked, axis=dim)
    return Result(values, Tensor._make(picked.astype(np.int64, copy=False)))


def median(input, dim=None, keepdim=False, *, axis=None):
    """The lower median (the ((n - 1) // 2)-th smallest element; NaN if there is a NaN), of all elements or,
    with ``dim`` (``axis`` also names it), ``(values, indices)`` along it (a namedtuple). Ties pick the
    first in a stable sort.

    Gradient: of all elements, shared evenly by the elements equal to the median; with ``dim``, to the
    chosen element (as ``max(dim)``).
    """
    return _median(input, dim, keepdim, axis, "median", Median, MedianResult)


def nanmedian(input, dim=None, keepdim=False, *, axis=None):
    """``median`` ignoring NaN: the lower median of the numbers (NaN where all are NaN); with ``dim``,
    ``(values, indices)``. Gradient as ``median``'s."""
    return _median(input, dim, keepdim, axis, "nanmedian", Nanmedian, NanmedianResult)


def count_nonzero(input, dim=None, *, axis=None):
    """The number of elements that are not zero (NaN counts), over ``dim`` (an int, a tuple, or None
    for all; ``axis`` also names it): int64, no gradient."""
    if axis is not None:
        dim = dim_alias(dim, axis, "count_nonzero")
    axes = normalize_dims(dim, input.ndim, "count_nonzero") or None
    return Tensor._make(np.asarray(np.count_nonzero(input._array, axis=axes), dtype=np.int64))


# Registered by autograd/ops/__init__.py: METHODS are Tensor methods and module functions, FUNCTIONS
# module functions only.
METHODS = (prod, nansum, nanmean, median, nanmedian, count_nonzero)
FUNCTIONS = (std_mean, var_mean)
