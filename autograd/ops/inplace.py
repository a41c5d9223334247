"""In-place forms of the elementwise ops, as Tensor methods: ``x.exp_()``, ``x.clamp_min_(0)``, ...

Each writes the value of its out-of-place op into the tensor's own memory through ``Tensor._inplace``,
which refuses a leaf that requires grad (under grad mode) and a tensor that is part of a graph, and
bumps the version counter (so that a saved tensor changed in place is caught at backward). The value
is cast to the tensor's dtype as PyTorch casts it: float64 into float32 is allowed, a floating result
into an integer tensor is an error (``x.exp_()`` of an int64 tensor, as in PyTorch); its shape must
broadcast to the tensor's. Nothing is recorded: these are for tensors outside any graph (under
``no_grad``, or not requiring grad), and an operand that requires grad is refused under grad mode.
"""
import numpy as np

from ..grad_mode import is_grad_enabled, no_grad
from ..tensor import Tensor
from . import elementwise, rounding, special
from .common import as_operand, checked_scalar


def _store(target, value, out):
    """The kernel of the in-place ops, in ``Tensor._inplace``'s ufunc form: ``out[...] = value``, cast
    as PyTorch casts an in-place result ("same_kind": a float into an integer tensor is refused)."""
    np.copyto(out, value, casting="same_kind")


def _result(self, name, fn, *args, **kwargs):
    """``fn(self, *args, **kwargs)``'s array, computed without recording (after the check for a leaf
    that requires grad, whose error PyTorch gives first).

    An operand that requires grad is refused under grad mode: PyTorch would record the op (and make self
    require grad); here nothing is recorded, and its gradient would be lost without a word.
    """
    if self._requires_grad:
        self._check_inplace(name)
    if is_grad_enabled():
        for value in (*args, *kwargs.values()):
            if isinstance(value, Tensor) and value._requires_grad:
                raise RuntimeError(
                    f"{name}: an operand requires grad, and in-place ops are not recorded here; use the "
                    f"out-of-place {fn.__name__}(...), or run under `with autograd.no_grad():`"
                )
    with no_grad():
        return fn(Tensor._make(self._array), *args, **kwargs)._array


def _write(self, name, value):
    """Write the array ``value`` into ``self`` as the in-place op ``name``; ``self``."""
    shape = self._array.shape
    if value.shape != shape:
        try:
            full = np.broadcast_shapes(value.shape, shape)
        except ValueError:
            full = value.shape
        if full != shape:
            raise RuntimeError(f"{name}: output with shape {list(shape)} doesn't match the broadcast shape {list(full)}")
    return self._inplace(name, _store, value)


def _apply(fn, name):
    """The in-place method ``name`` of the out-of-place op ``fn`` (whose further arguments it takes)."""
    def method(self, *args, **kwargs):
        return _write(self, name, _result(self, name, fn, *args, **kwargs))

    return method


def _unary(fn, ufunc=None, precise=False):
    """The in-place method of the one-argument op ``fn``; for floating tensors, ``ufunc`` (when given)
    writes the same values straight into the tensor's memory (computed in float64 for narrower dtypes
    when ``precise``, as ``fn`` computes them: see ``common.in_float64``)."""
    name = fn.__name__ + "_"
    generic = _apply(fn, name)
    if ufunc is None:
        method = generic
    else:
        def kernel(target, operand, out):
            if precise and target.dtype.itemsize < 8:
                np.copyto(out, ufunc(target.astype(np.float64)), casting="same_kind")
            else:
                ufunc(target, out=out)

        def method(self):
            if self._array.dtype.kind == "f":
                return self._inplace(name, kernel, None)
            return generic(self)

    method.__name__ = method.__qualname__ = name
    summary = (fn.__doc__ or "").strip().split("\n")[0]
    method.__doc__ = f"In place: ``self = {fn.__name__}(self)``, written into self's memory. {summary}"
    return method


E, S, R = elementwise, special, rounding
# (precise: computed in float64 for float32 and float16, as the out-of-place op computes them)
exp_ = _unary(E.exp, np.exp)
log_ = _unary(E.log, np.log)
neg_ = _unary(E.neg, np.negative)
negative_ = _unary(E.negative, np.negative)
abs_ = _unary(E.abs, np.abs)
sqrt_ = _unary(E.sqrt, np.sqrt)
sigmoid_ = _unary(E.sigmoid)
tanh_ = _unary(E.tanh, np.tanh)
relu_ = _unary(E.relu)
sin_ = _unary(E.sin, np.sin)
cos_ = _unary(E.cos, np.cos)
tan_ = _unary(E.tan, np.tan, precise=True)
asin_ = _unary(E.asin, np.arcsin, precise=True)
arcsin_ = _unary(E.arcsin, np.arcsin, precise=True)
acos_ = _unary(E.acos, np.arccos, precise=True)
arccos_ = _unary(E.arccos, np.arccos, precise=True)
atan_ = _unary(E.atan, np.arctan, precise=True)
arctan_ = _unary(E.arctan, np.arctan, precise=True)
sinh_ = _unary(E.sinh, np.sinh, precise=True)
cosh_ = _unary(E.cosh, np.cosh, precise=True)
asinh_ = _unary(E.asinh, np.arcsinh, precise=True)
arcsinh_ = _unary(E.arcsinh, np.arcsinh, precise=True)
acosh_ = _unary(E.acosh, np.arccosh, precise=True)
arccosh_ = _unary(E.arccosh, np.arccosh, precise=True)
atanh_ = _unary(E.atanh, np.arctanh, precise=True)
arctanh_ = _unary(E.arctanh, np.arctanh, precise=True)
reciprocal_ = _unary(E.reciprocal, np.reciprocal)
rsqrt_ = _unary(E.rsqrt)
sign_ = _unary(E.sign)
square_ = _unary(E.square, np.square)
log1p_ = _unary(S.log1p, np.log1p, precise=True)
expm1_ = _unary(S.expm1, np.expm1, precise=True)
exp2_ = _unary(S.exp2, np.exp2, precise=True)
log2_ = _unary(S.log2, np.log2, precise=True)
log10_ = _unary(S.log10, np.log10, precise=True)
erf_ = _unary(S.erf)
erfc_ = _unary(S.erfc)
erfinv_ = _unary(S.erfinv)
sinc_ = _unary(S.sinc)
floor_ = _unary(R.floor, np.floor)
ceil_ = _unary(R.ceil, np.ceil)
trunc_ = _unary(R.trunc, np.trunc)
fix_ = _unary(R.fix, np.trunc)
frac_ = _unary(R.frac)

_round_in_place = _apply(R.round, "round_")


def round_(self, *, decimals=0):
    """In place: ``self = round(self, decimals=decimals)`` (halves to even), written into self's memory."""
    return _round_in_place(self, decimals=decimals)


def logit_(self, eps=None):
    """In place: ``self = logit(self, eps)`` = log(p / (1 - p)), p = self (limited to [eps, 1 - eps] with eps)."""
    return _write(self, "logit_", _result(self, "logit_", S.logit, eps))


def pow_(self, exponent):
    """In place: ``self = self ** exponent`` (``exponent`` a number or a Tensor broadcast to self's shape)."""
    return _write(self, "pow_", _result(self, "pow_", E.pow, exponent))


def clamp_min_(self, min):
    """In place: ``self = max(self, min)`` (``min`` a number or a Tensor)."""
    return _write(self, "clamp_min_", _result(self, "clamp_min_", E.clamp_min, min))


def clamp_max_(self, max):
    """In place: ``self = min(self, max)`` (``max`` a number or a Tensor)."""
    return _write(self, "clamp_max_", _result(self, "clamp_max_", E.clamp_max, max))


def atan2_(self, other):
    """In place: ``self = atan2(self, other)``, the angle of the point (other, self)."""
    return _write(self, "atan2_", _result(self, "atan2_", E.atan2, other))


def arctan2_(self, other):
    """In place: ``self = arctan2(self, other)`` (an alias of ``atan2_``)."""
    return _write(self, "arctan2_", _result(self, "arctan2_", E.arctan2, other))


def hypot_(self, other):
    """In place: ``self = hypot(self, other)`` = sqrt(self^2 + other^2)."""
    return _write(self, "hypot_", _result(self, "hypot_", E.hypot, other))


def copysign_(self, other):
    """In place: ``self = copysign(self, other)``, |self| with other's sign."""
    return _write(self, "copysign_", _result(self, "copysign_", E.copysign, other))


def xlogy_(self, other):
    """In place: ``self = xlogy(self, other)`` = self * log(other), 0 where self is 0."""
    return _write(self, "xlogy_", _result(self, "xlogy_", S.xlogy, other))


def fmod_(self, other):
    """In place: ``self = fmod(self, other)``, the remainder with self's sign."""
    return _write(self, "fmod_", _result(self, "fmod_", R.fmod, other))


def remainder_(self, other):
    """In place: ``self = remainder(self, other)`` = self % other, the remainder with other's sign."""
    return _write(self, "remainder_", _result(self, "remainder_", R.remainder, other))


def lerp_(self, end, weight):
    """In place: ``self = lerp(self, end, weight)`` = self + weight * (end - self)."""
    return _write(self, "lerp_", _result(self, "lerp_", E.lerp, end, weight))


def heaviside_(self, values):
    """In place: ``self = heaviside(self, values)``: 0 below 0, ``values`` at 0, 1 above."""
    return _write(self, "heaviside_", _result(self, "heaviside_", E.heaviside, values))


def _fill_where(target, operand, out):
    """``masked_fill_``'s kernel in ufunc form: ``value`` where ``mask``, cast like any value written into
    a tensor (2.7 into an integer tensor is 2, as in PyTorch)."""
    mask, value = operand
    np.copyto(out, value, casting="unsafe", where=mask)


def masked_fill_(self, mask, value):
    """In place: ``value`` (a number or a 0-d tensor) where the bool ``mask`` (broadcast to self's shape)
    is True. A value that overflows self's dtype is a RuntimeError, as in PyTorch (1e20 or NaN into an
    integer tensor, 300 into int8); -1 into uint8 is 255."""
    dtype = self._array.dtype
    E.masked_fill_value_check(mask, value, dtype, "masked_fill_")
    if isinstance(value, Tensor):
        if value._requires_grad and is_grad_enabled():
            raise RuntimeError(
                "masked_fill_: an operand requires grad, and in-place ops are not recorded here; use the "
                "out-of-place masked_fill(...), or run under `with autograd.no_grad():`"
            )
        value = value._array.item()
    else:
        value = as_operand(value, "masked_fill_")
        if isinstance(value, Tensor):  # (an ndarray)
            return masked_fill_(self, mask, value)
    shape = self._array.shape
    try:
        full = np.broadcast_shapes(mask.shape, shape)
    except ValueError:
        full = mask.shape
    if full != shape:
        raise RuntimeError(f"masked_fill_: output with shape {list(shape)} doesn't match the broadcast shape {list(full)}")
    value = np.asarray(checked_scalar(value, dtype, "masked_fill_")).astype(dtype)  # (-1 into uint8 as 255)
    return self._inplace("masked_fill_", _fill_where, (mask._array, value))


METHODS = (
    exp_, log_, neg_, negative_, abs_, sqrt_, sigmoid_, tanh_, relu_, sin_, cos_, tan_, asin_, arcsin_, acos_,
    arccos_, atan_, arctan_, sinh_, cosh_, asinh_, arcsinh_, acosh_, arccosh_, atanh_, arctanh_, reciprocal_,
    rsqrt_, sign_, square_, log1p_, expm1_, exp2_, log2_, log10_, erf_, erfc_, erfinv_, sinc_, floor_, ceil_,
    trunc_, fix_, frac_, round_, logit_, pow_, clamp_min_, clamp_max_, atan2_, arctan2_, hypot_, copysign_,
    xlogy_, fmod_, remainder_, lerp_, heaviside_, masked_fill_,
)
