"""Special functions: the error function and its kin (erf, erfc, erfinv), the forms that stay accurate
near 0 (log1p, expm1), bases 2 and 10 (exp2, log2, log10), logit, sinc, xlogy, logaddexp and logaddexp2.

PyTorch has each at its top level (``torch.X``; most also in ``torch.special``). Integer and bool inputs
give float32, as there. numpy has no error function: ``erf_array``, ``erfc_array`` and ``erfinv_array``
compute it in float64 (Cody's rational approximations, and Halley's method for the inverse), to about
1e-15 relative.
"""
import math

import numpy as np

from ..function import OUTPUT, Op
from . import formula
from .common import floating, floating_only_operands, floating_operands, in_float64
from .formula import sum_to

# ------------------------------------------------------------------ numerics of erf
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
_SQRT_PI_OVER_TWO = math.sqrt(math.pi) / 2.0
_LN2, _LN10 = math.log(2.0), math.log(10.0)
_SMALL, _MIDDLE_END, _UNDERFLOW = 0.46875, 4.0, 28.0  # erfc(27.3) is below the smallest float64


def _erf_small(x):
    """Cody's rational approximation for |x| <= 0.46875 (finite garbage elsewhere)."""
    z = x * x
    num, den = _A[4] * z, z
    for i in range(3):
        num = (num + _A[i]) * z
        den = (den + _B[i]) * z
    return x * (num + _A[3]) / (den + _B[3])


def _erfc_middle(y, exp_minus_square):
    """erfc(y) for 0.46875 < y <= 4, given exp(-y^2)."""
    num, den = _C[8] * y, y
    for i in range(7):
        num = (num + _C[i]) * y
        den = (den + _D[i]) * y
    return (num + _C[7]) / (den + _D[7]) * exp_minus_square


def _erfc_tail(y, exp_minus_square):
    """erfc(y) for y > 4, given exp(-y^2) (0 beyond ~26.6, where it underflows)."""
    z = 1.0 / (y * y)
    num, den = _P[5] * z, z
    for i in range(4):
        num = (num + _P[i]) * z
        den = (den + _Q[i]) * z
    return (_INV_SQRT_PI - z * (num + _P[4]) / (den + _Q[4])) / y * exp_minus_square


def _exp_minus_square(y):
    """exp(-y^2) for y >= 0, without the rounding error of y*y (relative 1e-13 at y = 26 otherwise): with
    s = floor(16 y) / 16, s*s is exact and y^2 = s^2 + (y - s)(y + s) (Cody's split)."""
    s = np.floor(y * 16.0) / 16.0
    return np.exp(-s * s) * np.exp(-(y - s) * (y + s))


def erf_array(x):
    """erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt of an ndarray, computed in float64
    (relative error about 1e-15)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:  # (a 0-d array's arithmetic gives numpy scalars, which take no item assignment)
        return erf_array(x.reshape(1)).reshape(())
    y = np.abs(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        middle = np.minimum(y, _MIDDLE_END)
        erfc = _erfc_middle(middle, np.exp(-middle * middle))  # (1 - erfc: its relative error hardly shows)
        far = y > _MIDDLE_END
        if far.any():
            tail = np.minimum(y[far], _UNDERFLOW)
            erfc[far] = _erfc_tail(tail, np.exp(-tail * tail))
        # (copysign: erf(-0.0) is -0.0, as in PyTorch)
        out = np.where(y <= _SMALL, np.copysign(_erf_small(np.minimum(y, 0.5)), x), np.copysign(1.0 - erfc, x))
    out[np.isnan(x)] = np.nan
    return out


def erfc_array(x):
    """erfc(x) = 1 - erf(x) of an ndarray, in float64, with a small relative error also where it is tiny
    (x up to 26.5, beyond which it underflows to 0): computed directly there, not as 1 - erf(x)."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return erfc_array(x.reshape(1)).reshape(())
    y = np.abs(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        middle = np.minimum(y, _MIDDLE_END)
        upper = np.asarray(_erfc_middle(middle, _exp_minus_square(middle)))  # erfc(|x|) for |x| > 0.46875
        far = y > _MIDDLE_END
        if far.any():
            tail = np.minimum(y[far], _UNDERFLOW)
            upper[far] = _erfc_tail(tail, _exp_minus_square(tail))
        small = y <= _SMALL
        near_zero = 1.0 - _erf_small(np.where(small, x, 0.0))
        return np.where(small, near_zero, np.where(x < 0, 2.0 - upper, upper))  # erfc(-y) = 2 - erfc(y)


# M. Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision: about
# 1e-7 relative, the start of Halley's iteration below.
_GILES_CENTRAL = (2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087,
                  -0.00125372503, -0.00417768164, 0.246640727, 1.50140941)
_GILES_TAIL = (-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773,
               -0.0076224613, 0.00943887047, 1.00167406, 2.83297682)


def _horner(coefficients, w):
    p = coefficients[0]
    for c in coefficients[1:]:
        p = p * w + c
    return p


def erfinv_array(x):
    """erfinv(x), the y with erf(y) = x, of an ndarray, in float64: +-inf at +-1, NaN outside [-1, 1].

    Giles' approximation, then Halley's method on erf(y) - x until a step is below 1e-13 relative: the
    convergence is cubic, so the error left after that step is far below float64's. Where |x| > 1/2 the residual
    is taken as (1 - |x|) - erfc(y), in which 1 - |x| is exact: the result keeps its relative accuracy as
    |x| approaches 1.
    """
    x = np.asarray(x, dtype=np.float64)
    if x.ndim == 0:
        return erfinv_array(x.reshape(1)).reshape(())
    a = np.abs(x)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        w = -np.log((1.0 - a) * (1.0 + a))
        y = np.where(w < 5.0, _horner(_GILES_CENTRAL, w - 2.5), _horner(_GILES_TAIL, np.sqrt(w) - 3.0)) * a
        near_one = a > 0.5
        for _ in range(8):  # two steps for |x| < 1 - 1e-7 (Giles' domain), up to five closer to 1
            residual = np.where(near_one, (1.0 - a) - erfc_array(y), erf_array(y) - a)
            step = residual / (_TWO_OVER_SQRT_PI * np.exp(-y * y))  # f / f'; Halley: f''/f' = -2y
            step = step / (1.0 + y * step)
            y = y - step
            if not np.any(np.abs(step) > 1e-13 * np.abs(y)):  # (NaN steps: their y is NaN already)
                break
        y = np.where(a == 1.0, np.inf, np.where(a > 1.0, np.nan, y))
    return np.copysign(y, x)


_PI_SINGLE = np.float32(np.pi)


def sinc_array(a):
    """sin(pi a) / (pi a) of a floating ndarray, 1 at a = 0 (np.sinc's 1e-20 in place of 0 is 0 in float16).

    As PyTorch computes it: float16 in float32 (``sinc(-2)`` is 0 there, not float16's -3e-4), and float32
    with pi a rounded to float32, then sin rounded from float64: nearer PyTorch's (libm's sinf) than numpy's
    float32 sin (an ulp apart from it for about 1 value in 80, against 1 in 8)."""
    if a.dtype.itemsize >= 8:
        y = a * np.pi
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.sin(y) / y
    else:
        y = a.astype(np.float32) * _PI_SINGLE
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.asarray(np.sin(y.astype(np.float64)).astype(np.float32) / y).astype(a.dtype)
    return np.where(a == 0, np.ones((), out.dtype), out)


# ------------------------------------------------------------------------ ops
class Erf(Op):
    """erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt.   d/dx = 2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erf_array(x._array).astype(x._array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (formula.exp(-(x * x)) * _TWO_OVER_SQRT_PI)


class Erfc(Op):
    """erfc(x) = 1 - erf(x).   d/dx = -2/sqrt(pi) * exp(-x^2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return erfc_array(x._array).astype(x._array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad * (formula.exp(-(x * x)) * -_TWO_OVER_SQRT_PI)


class Erfinv(Op):
    """erfinv(x), the inverse of erf on [-1, 1].   d/dx = sqrt(pi)/2 * exp(erfinv(x)^2) (inf at +-1)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return erfinv_array(x._array).astype(x._array.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (formula.exp(out * out) * _SQRT_PI_OVER_TWO)


class Log1p(Op):
    """log(1 + x), accurate for small x.   d/dx = 1 / (1 + x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.log1p, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x + 1)


class Expm1(Op):
    """exp(x) - 1, accurate for small x.   d/dx = exp(x) = expm1(x) + 1."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return in_float64(np.expm1, x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Exp2(Op):
    """2 ** x.   d/dx = 2^x * ln 2."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(OUTPUT)
        return in_float64(np.exp2, x._array)

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * _LN2


class Log2(Op):
    """log2(x).   d/dx = 1 / (x ln 2)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.log2, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * _LN2)


class Log10(Op):
    """log10(x).   d/dx = 1 / (x ln 10)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return in_float64(np.log10, x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        return grad / (x * _LN10)


class Logit(Op):
    """logit(x) = log(z / (1 - z)), z = x, or with ``eps`` z = x limited to [eps, 1 - eps] (PyTorch's
    order: z = eps where x < eps, else 1 - eps where x > 1 - eps).

    d/dx = 1 / (x (1 - x)), inf at 0 and 1 (+inf at -0.0 as well); without eps NaN outside [0, 1], with eps 0
    outside [eps, 1 - eps] (PyTorch's logit_backward: the bounds themselves get the gradient).
    """

    @staticmethod
    def forward(ctx, x, eps):
        a = x._array
        ctx.save_for_backward(x)
        if eps is None:
            ctx.bounds = None
            z = a
        else:
            low = a.dtype.type(eps)
            high = a.dtype.type(1) - low
            ctx.bounds = (low, high)
            z = np.where(a < low, low, np.where(a > high, high, a))
        return np.asarray(np.log(z / (1 - z))).astype(a.dtype, copy=False)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        # PyTorch's kernel: grad * inf at 0 and 1, so +inf also at x = -0.0, where x (1 - x) is -0.0: adding
        # +0.0 makes it +0.0 and changes nothing else (a where(..., grad * inf, ...) would make the gradient
        # of this gradient NaN: 0 * inf)
        derivative = grad / (x * (1 - x) + 0.0)
        if ctx.bounds is None:
            return formula.where((x < 0) | (x > 1), float("nan"), derivative), None
        low, high = ctx.bounds
        return formula.where((x < float(low)) | (x > float(high)), 0.0, derivative), None


class Sinc(Op):
    """sinc(x) = sin(pi x) / (pi x), 1 at x = 0.   d/dx = (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 at x = 0."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return sinc_array(x._array)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        scaled = x * math.pi
        derivative = (scaled * formula.cos(scaled) - formula.sin(scaled)) / (scaled * x)
        return grad * formula.where(x == 0, 0.0, derivative)


def xlogy_array(x, y):
    """x * log(y) of ndarrays (or an ndarray and a number), 0 where x = 0 unless y is NaN."""
    out = np.asarray(np.multiply(x, np.log(y)))
    return np.where((np.equal(x, 0)) & ~np.isnan(y), np.zeros((), out.dtype), out)


class Xlogy(Op):
    """xlogy(x, y) = x * log(y), 0 where x = 0 unless y is NaN (PyTorch).

    d/dx = log(y), but 0 where x = 0 and y <= 0 (where log(y) is -inf or NaN); d/dy = x / y. As PyTorch
    writes it, the gradient for x is ``xlogy(grad, y)`` so masked: 0 where grad = 0 (unless y is NaN).
    """

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return xlogy_array(a._array, b._array)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            grad_a = sum_to(formula.where((a == 0) & (b <= 0), 0.0, formula.xlogy(grad, b)), a.shape)
        if need_b:
            grad_b = sum_to(grad * a / b, b.shape)
        return grad_a, grad_b


class LogAddExp(Op):
    """log(exp(a) + exp(b)), without overflow.   d/da = 1 / (1 + exp(b - a)), d/db = 1 / (1 + exp(a - b))
    (NaN where a = b = +-inf, as in PyTorch)."""

    ufunc = staticmethod(np.logaddexp)

    @classmethod
    def forward(cls, ctx, a, b):
        ctx.save_for_backward(a, b)
        return cls.ufunc(a._array, b._array)

    @classmethod
    def backward(cls, ctx, grad):
        a, b = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        grad_a = sum_to(grad / (cls.power(b - a) + 1), a.shape) if need_a else None
        return grad_a, (sum_to(grad / (cls.power(a - b) + 1), b.shape) if need_b else None)

    @staticmethod
    def power(x):
        return formula.exp(x)


class LogAddExp2(LogAddExp):
    """log2(2^a + 2^b), without overflow.   d/da = 1 / (1 + 2^(b - a)), d/db = 1 / (1 + 2^(a - b))."""

    ufunc = staticmethod(np.logaddexp2)

    @staticmethod
    def power(x):
        return 2.0 ** x


# ------------------------------------------------------------------ functions
def erf(input):
    """The error function erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt, elementwise (-1 at -inf, 1 at inf).
    Integer and bool tensors give float32.   d/dx = 2/sqrt(pi) exp(-x^2)."""
    return Erf.apply(floating(input))


def erfc(input):
    """The complementary error function erfc(x) = 1 - erf(x), accurate where it is tiny (large x).
    d/dx = -2/sqrt(pi) exp(-x^2)."""
    return Erfc.apply(floating(input))


def erfinv(input):
    """The inverse error function: erf(erfinv(x)) = x on [-1, 1]; +-inf at +-1, NaN outside.
    d/dx = sqrt(pi)/2 exp(erfinv(x)^2)."""
    return Erfinv.apply(floating(input))


def log1p(input):
    """log(1 + input), accurate also where input is tiny (log(1 + 1e-20) would be 0).   d/dx = 1 / (1 + x)."""
    return Log1p.apply(floating(input))


def expm1(input):
    """exp(input) - 1, accurate also where input is tiny.   d/dx = exp(x)."""
    return Expm1.apply(floating(input))


def exp2(input):
    """2 ** input, elementwise (integer and bool tensors give float32).   d/dx = 2^x ln 2."""
    return Exp2.apply(floating(input))


def log2(input):
    """Base-2 logarithm (NaN below 0, -inf at 0).   d/dx = 1 / (x ln 2)."""
    return Log2.apply(floating(input))


def log10(input):
    """Base-10 logarithm (NaN below 0, -inf at 0).   d/dx = 1 / (x ln 10)."""
    return Log10.apply(floating(input))


def logit(input, eps=None):
    """log(p / (1 - p)), the inverse of sigmoid; with ``eps``, p = input limited to [eps, 1 - eps] first
    (a negative eps, like None, limits nothing).   d/dx = 1 / (x (1 - x)): NaN outside [0, 1] without eps,
    0 outside [eps, 1 - eps] with it."""
    if eps is not None and eps < 0:
        eps = None
    return Logit.apply(floating(input), eps)


def sinc(input):
    """The normalized sinc function sin(pi x) / (pi x), 1 at 0.   d/dx = (cos(pi x) pi x - sin(pi x)) / (pi x^2),
    0 at x = 0."""
    return Sinc.apply(floating(input))


def xlogy(input, other):
    """input * log(other), 0 where input is 0 (unless other is NaN): the term p log p of an entropy stays 0 at
    p = 0. Either argument may be a number; integers give float32.
    d/dinput = log(other) (0 where input = 0), d/dother = input / other."""
    return Xlogy.apply(*floating_operands(input, other, "xlogy"))


def logaddexp(input, other):
    """log(exp(input) + exp(other)), computed without overflow; both Tensors, one at least floating.
    d/dinput = 1 / (1 + exp(other - input)), and likewise for other."""
    return LogAddExp.apply(*floating_only_operands(input, other, "logaddexp"))


def logaddexp2(input, other):
    """log2(2^input + 2^other), computed without overflow; both Tensors, one at least floating.
    d/dinput = 1 / (1 + 2^(other - input)), and likewise for other."""
    return LogAddExp2.apply(*floating_only_operands(input, other, "logaddexp2"))


METHODS = (erf, erfc, erfinv, log1p, expm1, exp2, log2, log10, logit, sinc, logaddexp, logaddexp2, xlogy)
# xlogy's first argument may be a number (``xlogy(2, t)``, as in PyTorch): listed again, its module
# function is this one, unchecked (FUNCTIONS are registered after METHODS).
FUNCTIONS = (xlogy,)
