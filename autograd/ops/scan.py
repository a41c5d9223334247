"""Running sums and products: ``cumsum``, ``cumprod``, ``logcumsumexp``.   Each output combines a prefix,
so each input's gradient gathers over a suffix."""
import numpy as np

from .. import grad_mode
from ..dtypes import to_dtype
from ..function import OUTPUT, Op
from ..tensor import Tensor
from . import formula
from .common import normalize_dim, required_dim


def check_differentiable_dtype(input, dtype, op):
    """PyTorch's refusal of ``dtype=`` an integer or bool type for an input that requires grad (with grad
    mode on): the result could carry no gradient back to it."""
    if input.requires_grad and grad_mode.is_grad_enabled():
        target = to_dtype(dtype, op)
        if target.kind != "f":
            from ..random import TORCH_TYPE_NAMES

            raise RuntimeError(
                f"{op}(): Autograd not support dtype: {TORCH_TYPE_NAMES[target.name]} (the input requires grad; a "
                f"{target} result could not pass a gradient back to it)"
            )


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
        check_differentiable_dtype(input, dtype, "cumsum")
        input = input.to(dtype)
    if input.ndim == 0:
        return Cumsum.apply(input.reshape(1), 0).reshape(())
    return Cumsum.apply(input, normalize_dim(dim, input.ndim, "cumsum"))


def _values(x):
    """The ndarray behind ``x`` (an ndarray or a Tensor): for masks, which are constants in either mode."""
    return x._array if isinstance(x, Tensor) else x


def _reverse_cumsum(x, dim):
    """y_i = x_i + ... + x_(n-1) along ``dim``."""
    return formula.flip(formula.cumsum(formula.flip(x, (dim,)), dim), (dim,))


class Cumprod(Op):
    """y_i = x_0 * ... * x_i along ``dim``.

    dL/dx_k = sum_(i >= k) g_i prod_(j <= i, j != k) x_j. Without zeros that is (sum_(i >= k) g_i y_i) / x_k.
    With zeros (PyTorch's case analysis, per slice, z the first zero): before z, the same formula (every
    y_i from z on is 0); at z, prod_(j < z) x_j * sum_(i >= z) g_i prod_(z < j <= i) x_j; after z, 0 (each
    product keeps x_z). The zero masks are constants; the formula is differentiable again in x and g.
    A slice of one element passes g through as it is (PyTorch: an inf or NaN x_0 too, where y_0 / x_0 is NaN).
    """

    @staticmethod
    def forward(ctx, x, dim):
        ctx.dim = dim
        a = x._array
        if a.dtype.kind == "f":
            ctx.save_for_backward(x, OUTPUT)
        # PyTorch: integer and bool inputs multiply in int64
        return np.cumprod(a, axis=dim, dtype=np.int64 if a.dtype.kind in "biu" else None)

    @staticmethod
    def backward(ctx, grad):
        x, y = ctx.saved_tensors
        dim = ctx.dim
        if x.shape[dim] == 1:  # (PyTorch's cumprod_backward: one element, or a dim of size 1)
            return grad, None
        zero = _values(x) == 0
        if not zero.any():
            return _reverse_cumsum(grad * y, dim) / x, None
        if isinstance(grad, Tensor):  # create_graph: a formula whose own derivative is right at zeros too
            return _cumprod_backward_with_zeros(grad, x, dim), None
        seen = np.cumsum(zero, axis=dim)  # zeros at or before each position
        before = seen == 0
        first = zero & (seen == 1)
        later = (seen >= 1) & ~first
        part_before = formula.where(before, _reverse_cumsum(grad * y, dim) / formula.where(before, x, 1.0), 0.0)
        tail = formula.cumprod(formula.where(later, x, 1.0), dim)  # prod_(z < j <= i) x_j, for i >= z
        total = formula.sum(formula.where(before, 0.0, grad * tail), dim, keepdims=True)
        last = (slice(None),) * dim + (slice(-1, None),)
        head = formula.cumprod(formula.where(before, x, 1.0), dim)[last]  # prod_(j < z) x_j
        return part_before + formula.where(first, head * total, 0.0), None


def _cumprod_backward_with_zeros(grad, x, dim):
    """dL/dx_k = (x_0 * ... * x_(k-1)) * sum_(i >= k) g_i (x_(k+1) * ... * x_i), with no case analysis: a
    product over a new axis for k (O(n^2) per slice), so that differentiating it again is right at zeros.
    PyTorch takes the same O(n^2) path for a gradient that is itself to be differentiated."""
    n = x.shape[dim]
    lead, rest = x.shape[:dim], (1,) * (x.ndim - dim - 1)
    k, j = np.arange(n).reshape((n, 1) + rest), np.arange(n).reshape((1, n) + rest)
    spread = lead + (1, n) + x.shape[dim + 1:]  # axis dim is k, axis dim + 1 runs over j (or i)
    # after[k, i] = x_(k+1) * ... * x_i for i >= k (1 for i = k)
    after = formula.cumprod(formula.where(j > k, x.reshape(spread), 1.0), dim + 1)
    total = formula.sum(formula.where(j >= k, grad.reshape(spread) * after, 0.0), dim + 1)
    return exclusive_cumprod(x, dim) * total


def exclusive_cumprod(x, dim):
    """p_k = x_0 * ... * x_(k-1) along ``dim`` (1 for k = 0): the running product of x shifted by one
    (an ndarray or a Tensor, as in a backward formula)."""
    n = x.shape[dim]
    lead = (slice(None),) * dim
    shifted = formula.index_add(x[lead + (slice(0, n - 1),)], lead + (slice(1, None),), x.shape)
    first = np.zeros(n, dtype=x.dtype)
    first[0] = 1
    return formula.cumprod(shifted + first.reshape((n,) + (1,) * (x.ndim - dim - 1)), dim)


def cumprod(input, dim=None, *, dtype=None, axis=None):
    """Running product along ``dim`` (required; ``axis`` also names it). Integers and bools multiply in
    int64, as in PyTorch; ``dtype`` converts first.

    d/dx_k of y_i (i >= k) is the product of x_0..x_i without x_k: computed without dividing by x_k where
    x has zeros, so the gradient is right at zeros (one or several), as PyTorch's.
    """
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "cumprod")
    if dtype is not None:
        check_differentiable_dtype(input, dtype, "cumprod")
        input = input.to(dtype)
    if input.ndim == 0:
        normalize_dim(dim, 0, "cumprod")
        return Cumprod.apply(input.reshape(1), 0).reshape(())
    return Cumprod.apply(input, normalize_dim(dim, input.ndim, "cumprod"))


class LogCumSumExp(Op):
    """y_i = log(exp(x_0) + ... + exp(x_i)) along ``dim`` (numpy's ``logaddexp.accumulate``: no overflow).

    dL/dx_j = sum_(i >= j) g_i exp(x_j - y_i). Split by the sign of g, each half is the exp of a reversed
    logcumsumexp: exp(x_j + revlogcumsumexp(log(g+) - y)_j) - (the same for g-), PyTorch's formula, stable
    at any scale, with PyTorch's values at the edges: the log of a zero (or NaN) g is the dtype's lowest
    number, not -inf, so the gradient is NaN where y is -inf (x_0..x_j all -inf) and where x is +inf or NaN,
    whatever g is. A 0-d input is its own output, and its gradient is g itself (at -inf too), as in PyTorch.
    """

    @staticmethod
    def forward(ctx, x, dim):
        ctx.save_for_backward(x, OUTPUT)
        ctx.dim = dim
        a = x._array
        return a.copy() if a.ndim == 0 else np.logaddexp.accumulate(a, axis=dim)

    @staticmethod
    def backward(ctx, grad):
        if grad.ndim == 0 or 0 in grad.shape:  # PyTorch's logcumsumexp_backward returns grad as it is
            return grad, None
        x, y = ctx.saved_tensors
        dim = ctx.dim
        g = _values(grad)
        lowest = float(np.finfo(g.dtype).min)

        def reversed_scan(v):
            return formula.flip(formula.logcumsumexp(formula.flip(v, (dim,)), dim), (dim,))

        positive, negative = g > 0, g < 0
        result = None
        for mask, sign in ((positive, 1.0), (negative, -1.0)):
            # (a half with no entry of its sign adds 0, or NaN where the other half is NaN already: skipped,
            # except that the positive half always runs, for those NaNs when g has no nonzero entry)
            if sign < 0 and not mask.any():
                continue
            log_part = formula.where(mask, formula.log(formula.where(mask, grad * sign, 1.0)), lowest)
            part = formula.exp(reversed_scan(log_part - y) + x)
            result = part if sign > 0 else result - part
        if not (positive.any() or negative.any()):  # recorded as a function of grad too, under create_graph (its derivative there is 0)
            result = result + grad * 0.0
        return result, None


def logcumsumexp(input, dim=None, *, axis=None):
    """log(cumsum(exp(input))) along ``dim`` (required; ``axis`` also names it), computed without overflow
    or underflow. Floating point input only, as in PyTorch.   d/dx_j = sum_(i >= j) g_i exp(x_j - y_i)."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "logcumsumexp")
    if input.dtype.kind != "f":
        raise NotImplementedError(f"logcumsumexp: not implemented for dtype {input.dtype} (floating point input only)")
    if input.ndim == 0:
        normalize_dim(dim, 0, "logcumsumexp")
        return LogCumSumExp.apply(input, 0)
    return LogCumSumExp.apply(input, normalize_dim(dim, input.ndim, "logcumsumexp"))


# Registered by autograd/ops/__init__.py: METHODS are Tensor methods and module functions.
METHODS = (cumprod, logcumsumexp)
