"""Rounding: floor, ceil, round, trunc (fix) and frac; and division that rounds: floor division (``//``),
the remainders (``%``, ``fmod``) and ``div(rounding_mode=)``.

Their results are piecewise constant (a rounded value or quotient) or piecewise linear (the remainders,
frac), so the gradients are PyTorch's: zeros for the rounding functions (recorded, so that ``backward``
runs through them), the remainders' and frac's, and none for a floor division.
"""
import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import formula
from .common import array_of, binary_operands, is_bool
from .formula import floor as floor_formula
from .formula import sum_to
from .formula import trunc as trunc_formula


class Rounded(Op):
    """A rounding function f of x (``kernel``), piecewise constant.   d/dx = 0 (PyTorch: zeros, even where
    the upstream gradient is inf or NaN)."""

    kernel = None  # the subclass's ufunc

    @classmethod
    def forward(cls, ctx, x):
        return cls.kernel(x._array)

    @staticmethod
    def backward(ctx, grad):
        return formula.zero_gradient(grad)


class Floor(Rounded):
    """floor(x), the largest integer <= x.   d/dx = 0."""

    kernel = staticmethod(np.floor)


class Ceil(Rounded):
    """ceil(x), the smallest integer >= x.   d/dx = 0."""

    kernel = staticmethod(np.ceil)


class Trunc(Rounded):
    """trunc(x), x rounded toward zero.   d/dx = 0."""

    kernel = staticmethod(np.trunc)


class Round(Op):
    """round(x, decimals): x rounded to ``decimals`` decimal places (to an integer for 0), halves to even;
    computed as PyTorch does, rint(x * 10^d) / 10^d (rint(x / 10^-d) * 10^-d for d < 0) in x's dtype.
    d/dx = 0."""

    @staticmethod
    def forward(ctx, x, decimals):
        return round_array(x._array, decimals)

    @staticmethod
    def backward(ctx, grad):
        return formula.zero_gradient(grad), None


def round_array(a, decimals=0):
    """``round``'s values for a floating ndarray (see :class:`Round`)."""
    if decimals == 0:
        return np.rint(a)
    with np.errstate(over="ignore", invalid="ignore"):
        scale = np.asarray(np.power(10.0, -decimals if decimals < 0 else decimals)).astype(a.dtype)
        if decimals > 0:
            return np.asarray(np.rint(a * scale) / scale)
        return np.asarray(np.rint(a / scale) * scale)


class Frac(Op):
    """frac(x) = x - trunc(x), the fractional part with x's sign (NaN at +-inf).   d/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        a = x._array
        return np.subtract(a, np.trunc(a))

    @staticmethod
    def backward(ctx, grad):
        return grad


class Fmod(Op):
    """fmod(a, b) = a - b * trunc(a / b), the remainder with the dividend's sign (C's fmod).

    d/da = 1, d/db = -trunc(a / b).
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.fmod(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_b = sum_to(-grad * trunc_formula(a / b), b.shape) if need_b else None
        return (sum_to(grad, a.shape) if need_a else None), grad_b


class Remainder(Op):
    """a % b = a - b * floor(a / b) (the sign of b, like Python and PyTorch's ``remainder``).

    d/da = 1, d/db = -floor(a / b).
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.remainder(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_b = sum_to(-grad * floor_formula(a / b), b.shape) if need_b else None
        return (sum_to(grad, a.shape) if need_a else None), grad_b


class RoundedDiv(Op):
    """a / b rounded toward zero ('trunc') or down ('floor'), in the operands' dtype.

    d/da = d/db = 0 (PyTorch's: the result is a step function of the operands).
    """

    @staticmethod
    def forward(ctx, a, b, mode):
        x, y = array_of(a), array_of(b)
        ctx.shapes = (np.shape(x), np.shape(y))
        if mode == "floor":
            return np.floor_divide(x, y)
        quotient, dtype = np.trunc(np.true_divide(x, y)), np.result_type(x, y)
        return quotient if quotient.dtype == dtype else quotient.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        (need_a, need_b, _), (shape_a, shape_b) = ctx.needs_input_grad, ctx.shapes
        zeros = np.zeros(shape_a, grad.dtype) if need_a else None, np.zeros(shape_b, grad.dtype) if need_b else None
        return zeros + (None,)


class FloorDivide(Op):
    """a // b = floor(a / b).   Not differentiable in PyTorch: backward through it raises, as there."""

    @staticmethod
    def forward(ctx, a, b):
        return np.floor_divide(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(
            "the derivative for floor_divide is not implemented (as in PyTorch); "
            "use div(a, b, rounding_mode='floor'), whose gradient is 0, or detach() the operands"
        )


def _integer_divisor_check(a, b, op):
    """Refuse what PyTorch refuses for a division of promoted operands: two bools (NotImplementedError,
    before any division by zero), and an integer division by zero."""
    if is_bool(a) and is_bool(b):
        raise NotImplementedError(f"{op}: not implemented for bool tensors (as in PyTorch)")
    x, y = array_of(a), array_of(b)
    if np.asarray(x).dtype.kind in "biu" and np.asarray(y).dtype.kind in "biu" and not np.all(y):
        raise RuntimeError(f"{op}: ZeroDivisionError (an integer division by zero)")


def remainder(input, other):
    """``input % other``, the remainder with the divisor's sign (Python's and PyTorch's ``remainder``)."""
    input, other = binary_operands(input, other, "remainder")
    _integer_divisor_check(input, other, "remainder")
    return Remainder.apply(input, other)


def floor_divide(input, other):
    """``input // other``: floor(input / other), in the operands' dtype (integers stay integers)."""
    input, other = binary_operands(input, other, "floor_divide")
    _integer_divisor_check(input, other, "floor_divide")
    return FloorDivide.apply(input, other)


def rounded_div(input, other, rounding_mode):
    """``div(input, other, rounding_mode=...)`` for 'trunc' and 'floor' (see :class:`RoundedDiv`)."""
    if rounding_mode not in ("trunc", "floor"):
        raise RuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found {rounding_mode!r}")
    input, other = binary_operands(input, other, "div")
    _integer_divisor_check(input, other, "div")
    return RoundedDiv.apply(input, other, rounding_mode)


# ------------------------------------------------------------------- rounding
def _rounded(input, op, name):
    """``op`` applied to a floating tensor; an integer tensor's copy (already whole numbers, as in PyTorch);
    NotImplementedError for a bool tensor, as there."""
    dtype = input._array.dtype
    if dtype.kind == "f":
        return op.apply(input)
    if dtype == np.bool_:
        raise NotImplementedError(f"{name}: not implemented for bool tensors (as in PyTorch)")
    return Tensor._make(input._array.copy())


def floor(input):
    """The largest integer <= input, elementwise (in input's dtype; an integer tensor is returned as a copy).
    d/dx = 0."""
    return _rounded(input, Floor, "floor")


def ceil(input):
    """The smallest integer >= input, elementwise.   d/dx = 0."""
    return _rounded(input, Ceil, "ceil")


def trunc(input):
    """input rounded toward zero, elementwise.   d/dx = 0."""
    return _rounded(input, Trunc, "trunc")


def fix(input):
    """input rounded toward zero: an alias of ``trunc``.   d/dx = 0."""
    return trunc(input)


def round(input, *, decimals=0):
    """input rounded to the nearest integer, halves to even (2.5 to 2, 3.5 to 4); with ``decimals`` to that
    many decimal places (negative: to tens, hundreds, ...), as rint(x * 10^decimals) / 10^decimals in x's
    dtype, like PyTorch (so 10^decimals overflowing float32 gives NaN there too).   d/dx = 0."""
    dtype = input._array.dtype
    if dtype.kind == "f":
        return Round.apply(input, decimals)
    if dtype == np.bool_ or decimals != 0:
        raise NotImplementedError(f"round: not implemented for {input.dtype} tensors{' with decimals' if decimals else ''}")
    return Tensor._make(input._array.copy())


def frac(input):
    """input - trunc(input): the fractional part, with input's sign. Floating point tensors only (as in
    PyTorch).   d/dx = 1."""
    if input._array.dtype.kind != "f":
        raise NotImplementedError(f"frac: not implemented for {input.dtype} tensors (as in PyTorch); convert with .float()")
    return Frac.apply(input)


def fmod(input, other):
    """The remainder of input / other with the sign of input (C's fmod; ``remainder`` takes other's sign);
    ``other`` a Tensor or a number. Integers stay integers; an integer division by zero raises.
    d/dinput = 1, d/dother = -trunc(input / other)."""
    input, other = binary_operands(input, other, "fmod")
    _integer_divisor_check(input, other, "fmod")
    return Fmod.apply(input, other)


METHODS = (floor, ceil, round, trunc, fix, frac, fmod)
