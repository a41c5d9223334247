"""Elementwise ops. Binary ones broadcast like numpy; their gradients are summed back with ``sum_to``."""
import numbers

import numpy as np

from ..anomaly import _mode as _anomaly
from ..function import OUTPUT, OWNS_GRAD, Op
from ..grad_mode import _mode as _grad
from ..tensor import Tensor
from . import formula
from .common import (
    BOOL_SUBTRACTION, array_of, as_operand, binary_operands, check_broadcast, checked_scalar, floating,
    floating_only_operands, floating_operands, in_float64, is_bool, require_floating, require_tensor, select_array,
    shape_of, zeros_along_last_axis,
)
from .formula import sum_to
from .rounding import rounded_div


class Add(Op):
    """a + b.   d/da = 1, d/db = 1."""

    @staticmethod
    def forward(ctx, a, b):
        # (array_of, inline: adding is the commonest op)
        return np.add(a._array if isinstance(a, Tensor) else a, b._array if isinstance(b, Tensor) else b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs  # a gradient is needed only for a Tensor, whose shape is at hand
        need_a, need_b = ctx.needs_input_grad
        shape = grad.shape  # (sum_to's own test, inline: an input of the result's shape takes grad as is)
        grad_a = (grad if a._array.shape == shape else sum_to(grad, a._array.shape)) if need_a else None
        grad_b = (grad if b._array.shape == shape else sum_to(grad, b._array.shape)) if need_b else None
        return grad_a, grad_b


class Sub(Op):
    """a - b.   d/da = 1, d/db = -1."""

    @staticmethod
    def forward(ctx, a, b):
        return np.subtract(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (sum_to(grad, a.shape) if need_a else None), (sum_to(-grad, b.shape) if need_b else None)


class Mul(Op):
    """a * b.   d/da = b, d/db = a."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.multiply(a._array if isinstance(a, Tensor) else a, b._array if isinstance(b, Tensor) else b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (sum_to(grad * b, a.shape) if need_a else None, sum_to(grad * a, b.shape) if need_b else None)


class Div(Op):
    """a / b.   d/da = 1/b, d/db = -a/b^2 = -(a/b)/b."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b, OUTPUT)
        return np.true_divide(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (sum_to(grad / b, a.shape) if need_a else None, sum_to(-grad * out / b, b.shape) if need_b else None)


class Pow(Op):
    """a ** b.   d/da = b * a^(b-1), d/db = a^b * log(a) (taken as 0 where a = 0 and b >= 0, like PyTorch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b, OUTPUT)
        return np.power(array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            # Mask the factor before it meets grad: inf * 0 would make the gradient's own
            # derivative (create_graph) NaN where the masked factor is infinite.
            if isinstance(b, (int, float)):
                grad_a = grad * 0.0 if b == 0 else grad * b * a ** (b - 1)
            else:
                grad_a = sum_to(grad * formula.where(b == 0, 0.0, b * a ** (b - 1)), a.shape)
        if need_b:
            base_is_zero = (a == 0) & (b >= 0)
            log_a = (float(np.log(a)) if a > 0 else float("nan")) if isinstance(a, (int, float)) else formula.log(a)
            grad_b = sum_to(grad * formula.where(base_is_zero, 0.0, out * log_a), b.shape)
        return grad_a, grad_b


class Neg(Op):
    """-a.   d/da = -1."""

    @staticmethod
    def forward(ctx, a):
        return np.negative(a._array)

    @staticmethod
    def backward(ctx, grad):
        return -grad


class Exp(Op):
    """exp(x).   d/dx = exp(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.exp(x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(Op):
    """log(x), natural.   d/dx = 1/x."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.log(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / x


class Sqrt(Op):
    """sqrt(x).   d/dx = 1 / (2 sqrt(x))."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.sqrt(x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (out * 2)


class Sin(Op):
    """sin(x).   d/dx = cos(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.sin(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.cos(x)


class Cos(Op):
    """cos(x).   d/dx = -sin(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.cos(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad * formula.sin(x)


class Tanh(Op):
    """tanh(x).   d/dx = 1 - tanh(x)^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.tanh(x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


def sigmoid_array(x):
    """1 / (1 + exp(-x)) of an ndarray: accurate everywhere; exp overflowing to inf for very
    negative x gives the correct limit 0 (the overflow warning is silenced in ops/__init__.py)."""
    out = np.exp(np.negative(x))
    if out.ndim == 0:  # ufuncs give numpy scalars for 0-d input: no in-place form
        return 1 / (1 + out)
    out += 1
    return np.reciprocal(out, out=out)


class Sigmoid(Op):
    """sigmoid(x) = 1 / (1 + exp(-x)).   d/dx = sigmoid(x) (1 - sigmoid(x))."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return sigmoid_array(x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


def relu_mask(a):
    """``not (a <= 0)`` of an ndarray: True where relu passes the gradient, NaN included (PyTorch's
    threshold_backward zeroes it where x <= 0 only). A pass over the bool array more than ``a > 0``."""
    mask = np.less_equal(a, 0)
    if mask.ndim == 0:  # (a numpy bool: no in-place form)
        return ~mask
    return np.logical_not(mask, out=mask)


class ReLU(Op):
    """relu(x) = max(0, x).   d/dx = 1 where x > 0, else 0 (at x = 0 too); at NaN the result is NaN
    and d/dx = 1, as in PyTorch (its gradient is 0 only where x <= 0).

    The gradient is PyTorch's ``threshold_backward(grad, relu(x), 0)``. On arrays it is ``grad`` where
    the result is not 0: relu's result is 0 exactly where x <= 0 and NaN where x is, so one comparison
    gives the mask, NaN included. Under create_graph it is ``ThresholdBackward(grad, result)``, a
    function of the result (so of x) as well.
    """

    may_overwrite_grad = True

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        a = x._array
        return np.maximum(a, zeros_along_last_axis(a))

    @staticmethod
    def backward(ctx, grad):
        (result,) = ctx.saved_tensors
        if isinstance(result, Tensor):
            return formula.threshold_backward(grad, result)
        if ctx._on_arrays is OWNS_GRAD:
            return np.multiply(grad, result != 0, out=grad)
        return grad * (result != 0)


class ThresholdBackward(Op):
    """relu's gradient as an op of both its arguments, PyTorch's ``threshold_backward(grad, x, 0)``:
    r(grad, x) = grad * m(x), with m(x) = 0 where x <= 0, else 1 (x > 0 or NaN).

    dr/dgrad = m(x) (this op again);  dr/dx = 0: m is constant wherever it is defined.
    Recording x as an input (not only m(x) as a constant) keeps a gradient taken through relu with
    create_graph connected to x, as in PyTorch: its own gradient is then zeros, not an error.
    """

    @staticmethod
    def forward(ctx, grad, x):
        ctx.save_for_backward(x)
        return np.multiply(grad._array, relu_mask(x._array))

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad
        return (formula.threshold_backward(g, x) if need_grad else None), (formula.zeros_like(x) if need_x else None)


class LeakyReLU(Op):
    """leaky_relu(x) = x if x > 0 else slope * x.   d/dx = 1 where x > 0, else slope (at NaN too, as in
    PyTorch). Under create_graph the gradient is ``LeakyReLUBackward(grad, x)``, a function of x too."""

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        a = x._array
        scaled = a * negative_slope
        # max(a, s a) is a where a > 0 and s a elsewhere, for 0 < s <= 1 (min for s > 1), bit for bit
        # and NaN to NaN, without np.where's branch per element (11x faster on 128x512 float32).
        if 0 < negative_slope <= 1:
            return np.maximum(a, scaled)
        if negative_slope > 1:
            return np.minimum(a, scaled)
        return select_array(a > 0, a, scaled)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return formula.leaky_relu_backward(grad, x, ctx.negative_slope), None


class LeakyReLUBackward(Op):
    """leaky_relu's gradient as an op of both its arguments, PyTorch's ``leaky_relu_backward``:
    r(grad, x) = grad * s(x), with s(x) = 1 where x > 0, else the slope (NaN included).

    dr/dgrad = s(x) (this op again);  dr/dx = 0: s is constant wherever it is defined. With x an input,
    a gradient taken through leaky_relu with create_graph stays connected to x, as in PyTorch.
    """

    @staticmethod
    def forward(ctx, grad, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        g = grad._array
        return select_array(x._array > 0, g, g * negative_slope)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        need_grad, need_x = ctx.needs_input_grad[:2]
        return (
            formula.leaky_relu_backward(g, x, ctx.negative_slope) if need_grad else None,
            formula.zeros_like(x) if need_x else None,
            None,
        )


class Softplus(Op):
    """softplus(x) = log(1 + exp(beta x)) / beta, and x where beta x > threshold.

    d/dx = sigmoid(beta x) (1 above the threshold).
    """

    @staticmethod
    def forward(ctx, x, beta, threshold):
        ctx.save_for_backward(x)
        ctx.beta, ctx.threshold = beta, threshold
        a = x._array
        scaled = a * beta
        return np.where(scaled > threshold, a, np.logaddexp(0, scaled) / beta).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        scaled = x * ctx.beta
        return formula.where(scaled > ctx.threshold, grad, grad * formula.sigmoid(scaled)), None, None


class Abs(Op):
    """|x|.   d/dx = sign(x) (0 at x = 0 and at NaN, like PyTorch)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return np.abs(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.sign(x)


def sign_array(a):
    """np.sign of an ndarray, with 0 in place of NaN (PyTorch's sign of NaN is 0)."""
    out = np.sign(a)
    if out.dtype.kind == "f":
        nan = np.isnan(out)
        if nan.any():
            out = np.asarray(out)
            out[nan] = 0
    return out


class Sign(Op):
    """sign(x) in {-1, 0, 1}, 0 at NaN (as PyTorch).   d/dx = 0 (it is piecewise constant), as in PyTorch."""

    @staticmethod
    def forward(ctx, x):
        return np.asarray(sign_array(x._array))

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Clamp(Op):
    """clamp(x, min, max).   d/dx = 1 where min <= x <= max, else 0."""

    @staticmethod
    def forward(ctx, x, low, high):
        a = x._array
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        ctx.save_for_backward(Tensor._make(inside))
        return np.clip(a, low, high).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (inside,) = ctx.saved_tensors
        return grad * inside, None, None


class ClampTensor(Op):
    """clamp(x, low, high) with Tensor bounds (either may be None; a number is taken as is):
    min(max(x, low), high), NaN wherever x or a bound is NaN (PyTorch's clamp.Tensor), broadcasting.

    PyTorch's clamp_backward and clamp_backward_min_max, each summed back over broadcasting:
    d/dx = 1 where low <= x <= high (bounds inclusive), d/dlow = 1 where x < low < high,
    d/dhigh = 1 where x > high or high < low; else 0 (so none at a NaN, nor for x < low == high).
    With one bound: d/dx = 1 where x >= low (x <= high), d/dlow = 1 where x < low (d/dhigh where x > high).
    """

    @staticmethod
    def forward(ctx, x, low, high):
        a, lo, hi = x._array, array_of(low), array_of(high)
        out = a
        if low is not None:
            out = np.maximum(out, lo)
        if high is not None:
            out = np.minimum(out, hi)
        if low is not None and high is not None:
            keep, to_low, to_high = (a >= lo) & (a <= hi), (a < lo) & (lo < hi), (a > hi) | (hi < lo)
        elif low is not None:
            keep, to_low, to_high = a >= lo, a < lo, None
        else:
            keep, to_low, to_high = a <= hi, None, a > hi
        ctx.save_for_backward(*(None if m is None else Tensor._make(m) for m in (keep, to_low, to_high)))
        ctx.shapes = (a.shape, shape_of(low), shape_of(high))
        return np.asarray(out)

    @staticmethod
    def backward(ctx, grad):
        masks = ctx.saved_tensors
        return tuple(
            sum_to(grad * mask, shape) if needed else None
            for mask, shape, needed in zip(masks, ctx.shapes, ctx.needs_input_grad)
        )


class Maximum(Op):
    """max(a, b) elementwise (NaN if either is NaN).   The gradient goes to the larger input; ties split
    it in half; at a NaN both inputs get all of it. PyTorch's formula: d/da = 0 where a < b, 1/2 where
    a == b, else 1 (a > b, or a NaN); d/db likewise with a > b."""

    pick, loses = np.maximum, np.less  # Minimum swaps these two

    @classmethod
    def forward(cls, ctx, a, b):
        x, y = array_of(a), array_of(b)
        out = cls.pick(x, y)
        untied = 1 - 0.5 * np.equal(x, y)  # (1/2 at a tie, else 1: NaN is not tied)
        share_a, share_b = untied - cls.loses(x, y), untied - cls.loses(y, x)
        ctx.save_for_backward(
            Tensor._make(share_a.astype(out.dtype, copy=False)), Tensor._make(share_b.astype(out.dtype, copy=False))
        )
        ctx.shapes = (shape_of(a), shape_of(b))
        return out

    @staticmethod
    def backward(ctx, grad):
        share_a, share_b = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        need_a, need_b = ctx.needs_input_grad
        grad_a = sum_to(grad * share_a, shape_a) if need_a else None
        return grad_a, (sum_to(grad * share_b, shape_b) if need_b else None)


class Minimum(Maximum):
    """min(a, b) elementwise (NaN if either is NaN).   The gradient goes to the smaller input; ties split
    it in half; at a NaN both inputs get all of it (PyTorch)."""

    pick, loses = np.minimum, np.greater


class Where(Op):
    """where(condition, a, b): a where condition holds, else b.   d/da = condition, d/db = not condition."""

    @staticmethod
    def forward(ctx, condition, a, b):
        ctx.save_for_backward(condition)
        ctx.shapes = (shape_of(a), shape_of(b))
        return select_array(condition._array, array_of(a), array_of(b))

    @staticmethod
    def backward(ctx, grad):
        (condition,) = ctx.saved_tensors
        shape_a, shape_b = ctx.shapes
        need_a, need_b = ctx.needs_input_grad[1:]
        return (
            None,
            sum_to(formula.where(condition, grad, 0.0), shape_a) if need_a else None,
            sum_to(formula.where(condition, 0.0, grad), shape_b) if need_b else None,
        )


class Tan(Op):
    """tan(x).   d/dx = 1 + tan(x)^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return in_float64(np.tan, x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (out * out + 1)


class Asin(Op):
    """asin(x), in [-pi/2, pi/2] (NaN outside [-1, 1]).   d/dx = 1 / sqrt(1 - x^2) (inf at +-1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arcsin, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / formula.sqrt(1 - x * x)


class Acos(Op):
    """acos(x), in [0, pi] (NaN outside [-1, 1]).   d/dx = -1 / sqrt(1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arccos, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return -grad / formula.sqrt(1 - x * x)


class Atan(Op):
    """atan(x), in (-pi/2, pi/2).   d/dx = 1 / (1 + x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arctan, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * x + 1)


class Sinh(Op):
    """sinh(x) = (e^x - e^-x) / 2.   d/dx = cosh(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.sinh, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.cosh(x)


class Cosh(Op):
    """cosh(x) = (e^x + e^-x) / 2.   d/dx = sinh(x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.cosh, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * formula.sinh(x)


class Asinh(Op):
    """asinh(x) = log(x + sqrt(x^2 + 1)).   d/dx = 1 / sqrt(x^2 + 1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arcsinh, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / formula.sqrt(x * x + 1)


class Acosh(Op):
    """acosh(x) = log(x + sqrt(x^2 - 1)) for x >= 1 (NaN below).   d/dx = 1 / sqrt(x^2 - 1): PyTorch's
    formula, so finite below -1 too, where the value is NaN."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arccosh, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / formula.sqrt(x * x - 1)


class Atanh(Op):
    """atanh(x) = log((1 + x) / (1 - x)) / 2 (+-inf at +-1, NaN beyond).   d/dx = 1 / (1 - x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.arctanh, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (1 - x * x)


class Reciprocal(Op):
    """1 / x.   d/dx = -1 / x^2 = -(1/x)^2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.reciprocal(x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return -grad * (out * out)


class Rsqrt(Op):
    """1 / sqrt(x).   d/dx = -x^(-3/2) / 2 = -rsqrt(x)^3 / 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return np.reciprocal(np.sqrt(x._array))

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * -0.5 * (out * out * out)


class ZeroGradient(Op):
    """z(g) = 0 for every g, inf and NaN included: the gradient of a step function (floor, round, ...) as
    recorded under create_graph, a function of the upstream gradient g.   dz/dg = 0 (this op again)."""

    @staticmethod
    def forward(ctx, grad):
        return np.zeros(grad._array.shape, grad._array.dtype)

    @staticmethod
    def backward(ctx, g):
        return formula.zero_gradient(g)


class Atan2(Op):
    """atan2(a, b), the angle of the point (b, a), in [-pi, pi].

    d/da = b / (a^2 + b^2), d/db = -a / (a^2 + b^2); both 0 where a^2 + b^2 is 0 (PyTorch).
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return np.arctan2(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        square = a * a + b * b
        reciprocal = formula.where(square == 0, 0.0, 1 / square)
        grad_a = sum_to(grad * b * reciprocal, a.shape) if need_a else None
        return grad_a, (sum_to(grad * -a * reciprocal, b.shape) if need_b else None)


class Hypot(Op):
    """hypot(a, b) = sqrt(a^2 + b^2), without overflow.   d/da = a / hypot(a, b), d/db = b / hypot(a, b)
    (NaN at (0, 0), as in PyTorch)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b, OUTPUT)
        return np.hypot(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = sum_to(grad * a / out, a.shape) if need_a else None
        return grad_a, (sum_to(grad * b / out, b.shape) if need_b else None)


class Copysign(Op):
    """copysign(a, b): |a| with the sign of b (-0.0 counts as negative).

    d/da = copysign(a, b) / a = +-1, 0 where a = 0 (PyTorch's formula: NaN where a is +-inf);  d/db = 0.
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, OUTPUT)
        ctx.shape_b = b._array.shape
        return np.copysign(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, out = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = sum_to(grad * formula.where(a == 0, 0.0, out / a), a.shape) if need_a else None
        return grad_a, (sum_to(formula.zero_gradient(grad), ctx.shape_b) if need_b else None)


class Lerp(Op):
    """lerp(start, end, w) = start + w (end - start), computed as PyTorch does: as end - (end - start)(1 - w)
    where |w| >= 1/2, so that w = 1 gives end exactly.

    d/dstart = 1 - w, d/dend = w, d/dw = end - start.

    For float32 and float16 (whose arithmetic PyTorch does in float32), end - start and 1 - w are rounded
    to float32 and the product and sum are taken in float64 and rounded once: the fused multiply-add of
    PyTorch's kernel (lerp(1e8, 1, 0.7) is 30000002 there, not 30000004).
    """

    @staticmethod
    def forward(ctx, start, end, weight):
        ctx.save_for_backward(start, end, weight)
        ctx.shapes = (start._array.shape, end._array.shape, shape_of(weight))
        return lerp_array(start._array, end._array, array_of(weight))

    @staticmethod
    def backward(ctx, grad):
        start, end, weight = ctx.saved_tensors
        shape_start, shape_end, shape_weight = ctx.shapes
        need_start, need_end, need_weight = ctx.needs_input_grad
        return (
            sum_to(grad * (1 - weight), shape_start) if need_start else None,
            sum_to(grad * weight, shape_end) if need_end else None,
            sum_to(grad * (end - start), shape_weight) if need_weight else None,
        )


def lerp_array(s, e, w):
    """``lerp``'s values for floating ndarrays ``s`` and ``e`` of one dtype and a weight ``w`` (an ndarray
    or a number); see :class:`Lerp`."""
    dtype = s.dtype
    if dtype.itemsize < 8:
        single = np.float32
        w = w.astype(single) if isinstance(w, np.ndarray) else single(w)
        diff = np.subtract(e, s, dtype=single).astype(np.float64)
        s, e = s.astype(np.float64), e.astype(np.float64)
        rest = np.subtract(single(1), w).astype(np.float64)  # 1 - w, rounded as PyTorch rounds it
        w = np.float64(w) if not isinstance(w, np.ndarray) else w.astype(np.float64)
    else:
        diff = e - s
        rest = 1 - w
    if isinstance(w, np.ndarray):
        out = np.where(np.abs(w) < 0.5, s + w * diff, e - diff * rest)
    else:
        out = s + w * diff if -0.5 < w < 0.5 else e - diff * rest
    return np.asarray(out).astype(dtype, copy=False)


class Heaviside(Op):
    """heaviside(x, values): 0 where x < 0, ``values`` where x == 0, 1 where x > 0 (0 at NaN, as PyTorch).

    Not differentiable in PyTorch: backward through it raises, as there.
    """

    @staticmethod
    def forward(ctx, x, values):
        a = x._array
        return np.asarray(np.where(a == 0, values._array, a > 0)).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        raise RuntimeError(
            "the derivative for 'heaviside' is not implemented (as in PyTorch): it is 0 away from 0 and "
            "undefined at 0; detach() its inputs, or use a smooth step such as sigmoid"
        )


# ------------------------------------------------------------------- functions
def add(input, other, alpha=1):
    """input + alpha * other, broadcasting."""
    input, other = binary_operands(input, other, "add")
    return Add.apply(input, other if alpha == 1 else other * alpha)


def sub(input, other, alpha=1):
    """input - alpha * other, broadcasting. Refused for bool tensors, like PyTorch (``^`` or ``~`` is meant)."""
    input, other = binary_operands(input, other, "sub")  # (refuses a bool operand when the dtypes differ)
    try:
        return Sub.apply(input, other if alpha == 1 else other * alpha)
    except TypeError:  # numpy refuses bool - bool: the one pair binary_operands lets through
        if array_of(input).dtype == np.bool_:
            raise RuntimeError(BOOL_SUBTRACTION) from None
        raise


def mul(input, other):
    """input * other, broadcasting."""
    # A number times a float tensor outside any graph (an SGD update's ``lr * p.grad``) needs no node: numpy's
    # product, wrapped. Through Mul.apply it cost 3x the Python, which after the update's cache-evicting
    # array operations came to 1-2% of an MLP training step.
    if type(other) is float and type(input) is Tensor and not (input._requires_grad and _grad.get()):
        a = input._array
        if a.dtype.kind == "f" and not (_anomaly.changed and _anomaly.local.value):  # (anomaly mode off, read cheaply)
            return Tensor._make(np.multiply(a, other))
    return Mul.apply(*binary_operands(input, other, "mul"))


def div(input, other, *, rounding_mode=None):
    """input / other (true division), broadcasting. Integers divide to float32, like PyTorch.

    ``rounding_mode`` 'trunc' or 'floor' rounds the quotient toward zero or down, in the operands' dtype
    (its gradient is 0, as in PyTorch).
    """
    if rounding_mode is not None:
        return rounded_div(input, other, rounding_mode)
    a, b = binary_operands(input, other, "div")
    if not _is_floating(a) and not _is_floating(b):  # each from its own value: uint8 / -3 is not uint8 / 253
        a, b = binary_operands(_floating_operand(input), _floating_operand(other), "div")
    return Div.apply(a, b)


def _floating_operand(x):
    """An integer or bool operand of ``div`` as float32 (a number stays as it is)."""
    x = as_operand(x, "div")
    return floating(x) if isinstance(x, Tensor) else x


def _is_floating(x):
    return x._array.dtype.kind == "f" if isinstance(x, Tensor) else isinstance(x, float)


def pow(input, exponent):
    """input ** exponent; either may be a Tensor.

    Integers to a negative number power are refused, as in PyTorch; an integer tensor exponent may be
    negative, giving PyTorch's integer results (1 for a base of 1, +-1 for -1, else 0).
    """
    if isinstance(input, Tensor) and input._array.dtype.kind in "biu" and not isinstance(exponent, Tensor):
        _check_integer_exponent(input._array.dtype, exponent)  # before the number is fitted to input's dtype
    input, exponent = binary_operands(input, exponent, "pow")
    if is_bool(input) and is_bool(exponent):
        return _bool_power(input, exponent)
    if isinstance(exponent, Tensor) and exponent._array.dtype.kind in "iu" and not _is_floating(input):
        return Tensor._make(_integer_power(array_of(input), exponent._array))  # (integers have no gradient)
    return Pow.apply(input, exponent)


def _bool_power(input, exponent):
    """PyTorch's pow of bools: a bool tensor to a Python bool power is a bool tensor (x ** True is x,
    x ** False all True); any other pair of bools is NotImplementedError (bool tensor ** bool tensor)."""
    if isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        return Tensor._make(input._array.copy() if exponent else np.ones(input._array.shape, np.bool_))
    raise NotImplementedError('pow: not implemented for bool tensors ("pow" not implemented for \'Bool\')')


def _check_integer_exponent(dtype, exponent):
    """Refuse what PyTorch refuses for an integer or bool tensor to the power of a number."""
    if isinstance(exponent, (bool, np.bool_)) or not isinstance(exponent, (int, np.integer)):
        return  # a float exponent makes the result float32; anything else fails in binary_operands
    if exponent < 0:
        raise RuntimeError(f"pow: Integers to negative integer powers are not allowed ({dtype} tensor ** {exponent}).")
    if dtype.kind in "iu" and exponent > np.iinfo(dtype).max:
        raise RuntimeError(f"pow: exponent {exponent} cannot be converted to type {dtype} without overflow")


def _integer_power(base, exponent):
    """``base ** exponent`` for integer ndarrays (or numbers) where numpy refuses negative exponents:
    PyTorch's values there are 1 for a base of 1, 1 or -1 by parity for -1, and 0 for any other base."""
    negative = exponent < 0
    if not negative.any():
        return np.power(base, exponent)
    out = np.power(base, np.where(negative, -exponent, exponent))  # |base| ** |exponent| keeps the sign rule
    return np.where(negative & (np.abs(base) != 1), 0, out).astype(out.dtype, copy=False)


BOOL_NEGATION = (
    "neg: Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, "
    "use the `~` or `logical_not()` operator instead."
)


def neg(input):
    """-input. Refused for a bool tensor, like PyTorch (``~`` inverts a mask)."""
    try:
        return Neg.apply(input)
    except TypeError:  # numpy's "boolean negative is not supported"
        if input._array.dtype == np.bool_:
            raise RuntimeError(BOOL_NEGATION) from None
        raise


def exp(input):
    """e ** input."""
    return Exp.apply(floating(input))


def log(input):
    """Natural logarithm (nan below 0, -inf at 0, like PyTorch)."""
    return Log.apply(floating(input))


def sqrt(input):
    """Square root."""
    return Sqrt.apply(floating(input))


def sin(input):
    """Sine."""
    return Sin.apply(floating(input))


def cos(input):
    """Cosine."""
    return Cos.apply(floating(input))


def tanh(input):
    """Hyperbolic tangent."""
    return Tanh.apply(floating(input))


def sigmoid(input):
    """Logistic sigmoid 1 / (1 + exp(-input))."""
    return Sigmoid.apply(floating(input))


def relu(input):
    """max(0, input)."""
    return ReLU.apply(input)


def leaky_relu(input, negative_slope=0.01):
    """input where positive, else negative_slope * input."""
    if input._array.dtype.kind != "f":  # PyTorch has no integer leaky_relu (the slope would truncate)
        raise RuntimeError(f"leaky_relu: not implemented for {input.dtype} tensors; convert with .float()")
    return LeakyReLU.apply(input, negative_slope)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta * input)) / beta, linear where beta * input > threshold. Floating point input only."""
    require_floating(input, "softplus", NotImplementedError)  # PyTorch's type; an int result would be truncated
    return Softplus.apply(input, beta, threshold)


def abs(input):
    """|input|. Not for bool tensors (NotImplementedError, as in PyTorch)."""
    if input._array.dtype == np.bool_:
        raise NotImplementedError("abs: not implemented for bool tensors (as in PyTorch)")
    return Abs.apply(input)


def clamp(input, min=None, max=None):
    """Limit values to [min, max] (either may be None, or a Tensor). Number bounds give PyTorch's dtypes: a
    float bound makes an integer or bool tensor float32, an integer bound a bool tensor int64; a bound that
    overflows the result's dtype is a RuntimeError (300 for an int8 tensor), -2 for a uint8 tensor is 254."""
    if min is None and max is None:
        raise RuntimeError("clamp: At least one of 'min' or 'max' must not be None")
    check_bounds(min, max, "clamp")
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        # The bounds are inclusive: at a tie the gradient goes to input, not half to the bound (PyTorch).
        if min is not None:
            input, min = binary_operands(input, min, "clamp")
        if max is not None:
            input, max = binary_operands(input, max, "clamp")
            if isinstance(min, Tensor) and min._array.dtype != input._array.dtype:
                input, min = binary_operands(input, min, "clamp")  # (max raised input's dtype)
            if isinstance(min, Tensor) and isinstance(max, Tensor):
                check_broadcast(min.shape, max.shape, "clamp")
        return ClampTensor.apply(input, min, max)
    input = _clamp_operand(input, min, max)
    dtype = input._array.dtype
    if min is not None:
        min = checked_scalar(min, dtype, "clamp")  # (-2 as uint8 is 254; 300 as int8 is an error)
    if max is not None:
        max = checked_scalar(max, dtype, "clamp")
    return Clamp.apply(input, min, max)


def _clamp_operand(input, min, max):
    """``input`` in the dtype of ``clamp``'s result for number bounds, as PyTorch promotes it: an integer
    or bool tensor with a float bound becomes float32, a bool tensor with an integer bound int64; a bool
    tensor with bool bounds only is NotImplementedError."""
    dtype = input._array.dtype
    if dtype.kind == "f":
        return input
    bounds = [b for b in (min, max) if b is not None]
    if any(isinstance(b, (float, np.floating)) for b in bounds):
        return input.to(np.float32)  # PyTorch: an int tensor clamped to float bounds becomes float32
    if dtype == np.bool_:
        if all(isinstance(b, (bool, np.bool_)) for b in bounds):
            raise NotImplementedError("clamp: not implemented for bool tensors with bool bounds (as in PyTorch)")
        return input.to(np.int64)
    return input


clip = clamp


def check_bounds(min, max, op):
    """Raise a TypeError naming ``op`` unless each bound is None, a real number or a Tensor (as PyTorch)."""
    for name, bound in (("min", min), ("max", max)):
        if type(bound) is not float and type(bound) is not int and bound is not None and not isinstance(bound, Tensor):
            if isinstance(bound, np.ndarray) or not isinstance(bound, numbers.Real):
                raise TypeError(f"{op}: expected {name} to be a number or a Tensor, got {type(bound).__name__}")


def maximum(input, other):
    """Elementwise maximum, broadcasting."""
    return Maximum.apply(*binary_operands(input, other, "maximum"))


def minimum(input, other):
    """Elementwise minimum, broadcasting."""
    return Minimum.apply(*binary_operands(input, other, "minimum"))


def where(condition, input, other):
    """``input`` where ``condition`` is True, else ``other``; all three broadcast."""
    if not isinstance(condition, Tensor):
        condition = Tensor._make(np.asarray(condition))
    if condition.dtype != np.bool_:
        raise TypeError(f"where: expected condition to be a bool tensor, got dtype {condition.dtype}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor) and not isinstance(input, np.ndarray):
        input = Tensor(input)  # two numbers: PyTorch's dtype for them (float32, or int64 for ints)
    input, other = binary_operands(input, other, "where")
    shape = np.shape(array_of(input)), np.shape(array_of(other))
    check_broadcast(condition.shape, np.broadcast_shapes(*shape), "where")
    return Where.apply(condition, input, other)


def square(input):
    """input * input (a bool tensor's square is int64, as in PyTorch: pow(x, 2))."""
    if input._array.dtype == np.bool_:
        input = input.to(np.int64)
    return Mul.apply(input, input)


def masked_fill(input, mask, value):
    """``input`` with ``value`` where the bool ``mask`` is True (broadcast); no gradient flows there.

    ``value`` (a number or a 0-d tensor, whose gradient is the sum of the gradient where ``mask`` holds) is
    cast to input's dtype, as in PyTorch: the result keeps it (2.7 into an int64 tensor is 2), and a value
    that overflows it is a RuntimeError (1e20 into int64, 300 into int8, NaN into an integer tensor).
    """
    dtype = masked_fill_value_check(mask, value, input._array.dtype, "masked_fill")
    if isinstance(value, Tensor):
        if value._array.dtype != dtype:
            value = value.to(dtype)
    else:
        value = as_operand(value, "masked_fill")
        if isinstance(value, Tensor):  # (an ndarray)
            return masked_fill(input, mask, value)
        value = Tensor._make(np.asarray(checked_scalar(value, dtype, "masked_fill")).astype(dtype))
    check_broadcast(mask.shape, input.shape, "masked_fill")
    return Where.apply(mask, value, input)


def masked_fill_value_check(mask, value, dtype, op):
    """PyTorch's checks of ``masked_fill``'s ``mask`` (a bool Tensor) and ``value`` (a number or a 0-d
    Tensor, whose value must fit ``dtype``, the filled tensor's): ``dtype``."""
    if not isinstance(mask, Tensor):
        raise TypeError(f"{op}(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}")
    if mask._array.dtype != np.bool_:
        raise RuntimeError(f"{op} only supports boolean masks, but got mask with dtype {mask.dtype}")
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"{op} only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
            )
        checked_scalar(value._array.item(), dtype, op)
    return dtype


def sign(input):
    """-1, 0 or 1 by the sign of each element (a bool tensor is its own sign, as in PyTorch)."""
    if input._array.dtype == np.bool_:
        return Tensor._make(input._array.copy())
    return Sign.apply(input)


def negative(input):
    """-input: an alias of ``neg`` (numpy's name). Refused for a bool tensor, like PyTorch.   d/dx = -1."""
    return neg(input)


def tan(input):
    """Tangent. Integer and bool tensors give float32.   d/dx = 1 + tan(x)^2."""
    return Tan.apply(floating(input))


def asin(input):
    """Arcsine, in [-pi/2, pi/2]; NaN outside [-1, 1].   d/dx = 1 / sqrt(1 - x^2)."""
    return Asin.apply(floating(input))


def arcsin(input):
    """Arcsine: an alias of ``asin`` (numpy's name).   d/dx = 1 / sqrt(1 - x^2)."""
    return asin(input)


def acos(input):
    """Arccosine, in [0, pi]; NaN outside [-1, 1].   d/dx = -1 / sqrt(1 - x^2)."""
    return Acos.apply(floating(input))


def arccos(input):
    """Arccosine: an alias of ``acos`` (numpy's name).   d/dx = -1 / sqrt(1 - x^2)."""
    return acos(input)


def atan(input):
    """Arctangent, in (-pi/2, pi/2).   d/dx = 1 / (1 + x^2)."""
    return Atan.apply(floating(input))


def arctan(input):
    """Arctangent: an alias of ``atan`` (numpy's name).   d/dx = 1 / (1 + x^2)."""
    return atan(input)


def sinh(input):
    """Hyperbolic sine (e^x - e^-x) / 2.   d/dx = cosh(x)."""
    return Sinh.apply(floating(input))


def cosh(input):
    """Hyperbolic cosine (e^x + e^-x) / 2.   d/dx = sinh(x)."""
    return Cosh.apply(floating(input))


def asinh(input):
    """Inverse hyperbolic sine log(x + sqrt(x^2 + 1)).   d/dx = 1 / sqrt(x^2 + 1)."""
    return Asinh.apply(floating(input))


def arcsinh(input):
    """Inverse hyperbolic sine: an alias of ``asinh`` (numpy's name).   d/dx = 1 / sqrt(x^2 + 1)."""
    return asinh(input)


def acosh(input):
    """Inverse hyperbolic cosine log(x + sqrt(x^2 - 1)); NaN below 1.   d/dx = 1 / sqrt(x^2 - 1)."""
    return Acosh.apply(floating(input))


def arccosh(input):
    """Inverse hyperbolic cosine: an alias of ``acosh`` (numpy's name).   d/dx = 1 / sqrt(x^2 - 1)."""
    return acosh(input)


def atanh(input):
    """Inverse hyperbolic tangent log((1 + x) / (1 - x)) / 2; +-inf at +-1, NaN beyond.   d/dx = 1 / (1 - x^2)."""
    return Atanh.apply(floating(input))


def arctanh(input):
    """Inverse hyperbolic tangent: an alias of ``atanh`` (numpy's name).   d/dx = 1 / (1 - x^2)."""
    return atanh(input)


def reciprocal(input):
    """1 / input (inf at 0, with 0's sign). Integer and bool tensors give float32.   d/dx = -1 / x^2."""
    return Reciprocal.apply(floating(input))


def rsqrt(input):
    """1 / sqrt(input) (inf at 0, NaN below 0).   d/dx = -x^(-3/2) / 2."""
    return Rsqrt.apply(floating(input))


def atan2(input, other):
    """atan2(input, other): the angle in [-pi, pi] of the point (other, input), i.e. atan(input / other)
    in the right quadrant. Both Tensors (broadcast); integers give float32.
    d/dinput = other / (input^2 + other^2), d/dother = -input / (input^2 + other^2) (both 0 at the origin)."""
    require_tensor(other, "atan2")
    return Atan2.apply(*floating_operands(input, other, "atan2"))


def arctan2(input, other):
    """atan2: an alias (numpy's name). d/dinput = other / (input^2 + other^2), d/dother = -input / (input^2 + other^2)."""
    require_tensor(other, "arctan2")
    return Atan2.apply(*floating_operands(input, other, "arctan2"))


def hypot(input, other):
    """sqrt(input^2 + other^2), without overflow; both Tensors, one at least floating (as PyTorch).
    d/dinput = input / hypot, d/dother = other / hypot."""
    return Hypot.apply(*floating_only_operands(input, other, "hypot"))


def copysign(input, other):
    """|input| with the sign of ``other`` (a Tensor or a number; -0.0 is negative). Integers give float32.
    d/dinput = +-1 (0 where input is 0), d/dother = 0."""
    return Copysign.apply(*floating_operands(input, other, "copysign"))


def lerp(input, end, weight):
    """Linear interpolation input + weight * (end - input) (``weight`` a number or a Tensor; all three
    broadcast). ``input`` and ``end`` must be floating tensors of one dtype, and a Tensor weight too, but for
    a 0-d weight of any dtype, which takes part in the promotion as in PyTorch (it is cast to input's dtype,
    unless all three are 0-d and it is a wider float: then the result has its dtype).
    d/dinput = 1 - weight, d/dend = weight, d/dweight = end - input."""
    require_tensor(end, "lerp", "end")
    dtype = input._array.dtype
    if end._array.dtype != dtype:
        raise RuntimeError(f"lerp: expected dtype {dtype} for `end` but got dtype {end.dtype}")
    if dtype.kind != "f":
        raise NotImplementedError(f"lerp: not implemented for {dtype} tensors; convert with .float()")
    if isinstance(weight, Tensor):
        weight_dtype = weight._array.dtype
        if weight_dtype != dtype:
            if weight.ndim:
                raise RuntimeError(f"lerp: expected dtype {dtype} for `weight` but got dtype {weight.dtype}")
            # A 0-d weight of any dtype takes part in PyTorch's promotion of the three: it decides the dtype
            # only when all three are 0-d and it is of a wider floating dtype (float32 0-d tensors with a
            # float64 0-d weight give float64); otherwise it is cast to input's dtype.
            if weight_dtype.kind == "f" and input.ndim == 0 and end.ndim == 0:
                common = np.promote_types(dtype, weight_dtype)
                if common != dtype:
                    input, end = input.to(common), end.to(common)
            weight = weight.to(input._array.dtype) if weight_dtype != input._array.dtype else weight
    else:
        weight = as_operand(weight, "lerp")
        if isinstance(weight, Tensor):  # (an ndarray)
            return lerp(input, end, weight)
        if not isinstance(weight, numbers.Real):
            raise TypeError(f"lerp: expected weight to be a number or a Tensor, got {type(weight).__name__}")
    shapes = (input.shape, end.shape, shape_of(weight))
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        raise RuntimeError(f"lerp: shapes {', '.join(str(tuple(s)) for s in shapes)} do not broadcast") from None
    return Lerp.apply(input, end, weight)


def clamp_min(input, min):
    """max(input, min) elementwise: ``clamp(input, min=min)`` (``min`` a number or a Tensor).
    d/dinput = 1 where input >= min, else 0; d/dmin = 1 where input < min."""
    if min is None:
        raise TypeError("clamp_min(): argument 'min' must be a number or a Tensor, not None")
    return clamp(input, min=min)


def clamp_max(input, max):
    """min(input, max) elementwise: ``clamp(input, max=max)`` (``max`` a number or a Tensor).
    d/dinput = 1 where input <= max, else 0; d/dmax = 1 where input > max."""
    if max is None:
        raise TypeError("clamp_max(): argument 'max' must be a number or a Tensor, not None")
    return clamp(input, max=max)


def heaviside(input, values):
    """The Heaviside step: 0 where input < 0, ``values`` where input == 0, 1 where input > 0 (0 at NaN).
    ``values`` is a Tensor of input's dtype (broadcast). Not differentiable, as in PyTorch: backward raises."""
    require_tensor(values, "heaviside", "values")
    if values._array.dtype != input._array.dtype:
        raise RuntimeError(
            f"heaviside is not yet implemented for tensors with different dtypes ({input.dtype} and {values.dtype})"
        )
    check_broadcast(input.shape, values.shape, "heaviside")
    return Heaviside.apply(input, values)


# --------------------------------------------------------- comparisons (no grad)
def _compare(ufunc, name):
    def compare(input, other):
        try:
            input, other = binary_operands(input, other, name)
        except TypeError:
            return NotImplemented
        return Tensor._make(np.asarray(ufunc(array_of(input), array_of(other))))

    compare.__name__ = name
    compare.__doc__ = f"Elementwise ``{name}`` comparison, a bool tensor (not differentiable)."
    return compare


lt = _compare(np.less, "lt")
le = _compare(np.less_equal, "le")
gt = _compare(np.greater, "gt")
ge = _compare(np.greater_equal, "ge")
eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")


def logical_and(input, other):
    """Elementwise AND of bool tensors."""
    return Tensor._make(np.logical_and(array_of(input), array_of(other)))


def logical_or(input, other):
    """Elementwise OR of bool tensors."""
    return Tensor._make(np.logical_or(array_of(input), array_of(other)))


def logical_not(input):
    """Elementwise NOT."""
    return Tensor._make(np.logical_not(input._array))


METHODS = (
    negative, tan, asin, arcsin, acos, arccos, atan, arctan, sinh, cosh, asinh, arcsinh, acosh, arccosh, atanh,
    arctanh, reciprocal, rsqrt, atan2, arctan2, hypot, copysign, lerp, clamp_min, clamp_max, heaviside,
)
