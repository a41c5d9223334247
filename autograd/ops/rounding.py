"""Division that rounds: floor division (``//``), the remainder (``%``), and ``div(rounding_mode=)``.

Their results are piecewise constant in the operands (a rounded quotient) or piecewise linear (the
remainder), so the gradients are PyTorch's: the remainder's, and none for a floor division.
"""
import numpy as np

from ..function import Op
from .common import array_of, binary_operands
from .formula import floor, sum_to

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
        grad_b = sum_to(-grad * floor(a / b), b.shape) if need_b else None
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
