"""Tensor's random in-place fills (``uniform_``, ``normal_``, ``bernoulli_``, ``random_``, ``exponential_``,
``geometric_``, ``log_normal_``, ``cauchy_``), ``fill_diagonal_``, and the draws given a tensor
(``t.bernoulli()``, ``t.multinomial(n)``, whose module functions are in :mod:`autograd.factories`), attached
to Tensor as methods only (``torch.uniform_`` and the like do not exist).

Each fill checks its arguments as PyTorch does and writes into the tensor's memory under the in-place rules
(``Tensor._check_inplace``), bumping its version. All but ``fill_diagonal_`` draw from :mod:`autograd.random`;
it is here because it reads its number as they do (``_bind_numbers``).
"""
import numbers
import warnings

import numpy as np

from . import factories as _factories
from . import ops as _ops
from . import random as _random
from .tensor import Tensor

_MANTISSA_DIGITS = {"float16": 11, "float32": 24, "float64": 53}  # every integer up to 2**digits is exact


def _fill_with(self, op, values):
    """Write ``values`` (converted to self's dtype) into self's memory as the in-place op ``op``."""
    target = self._array
    if not target.flags.writeable:
        raise RuntimeError(f"{op}: this tensor is a read-only view (e.g. from expand); clone() it first")
    np.copyto(target, values, casting="unsafe")
    self._bump_version()
    return self


def _floating_only(self, op, kernel=None):
    """self's dtype, if floating; else PyTorch's error for ``op`` (NotImplementedError naming its
    ``kernel``, or, without one, the RuntimeError of a continuous distribution)."""
    dtype = self._array.dtype
    if dtype.kind != "f":
        name = _random.TORCH_TYPE_NAMES[dtype.name]
        if kernel is not None:
            raise NotImplementedError(
                f'{op}: "{kernel}" not implemented for {name!r}: {op} draws floating point values, not {dtype}'
            )
        raise RuntimeError(
            f"{op}: {op.rstrip('_').capitalize()} distribution is a continuous probability distribution. dtype "
            f"must be a floating point but you specified {name} ({dtype})"
        )
    return dtype


def uniform_(self, *args, **kwargs):
    """In place: fill with draws from U[from, to), ``uniform_(from=0, to=1)`` (``from`` is a Python
    keyword: give it positionally or as ``**{'from': a}``). Floating dtypes only. The draws are the
    ones ``nn.init.uniform_`` makes from the same generator state."""
    self._check_inplace("uniform_")
    low, high = _bind_numbers(args, kwargs, ("from", "to"), (0.0, 1.0), "uniform_")
    dtype = _floating_only(self, "uniform_", "check_uniform_bounds")
    with np.errstate(over="ignore", invalid="ignore"):
        for name, value in (("from", low), ("to", high)):
            if not np.isfinite(dtype.type(value)):
                raise RuntimeError(f"uniform_: {name} is out of bounds for {dtype} (got {name}={value})")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={low} > to={high}")
    return _fill_with(self, "uniform_", _random.uniform(low, high, self.shape, dtype))


def normal_(self, mean=0.0, std=1.0):
    """In place: fill with draws from N(mean, std^2). Floating dtypes only. The draws are the ones
    ``nn.init.normal_`` makes from the same generator state."""
    self._check_inplace("normal_")
    mean, std = _bind_numbers((mean, std), {}, ("mean", "std"), (), "normal_")
    _floating_only(self, "normal_", "normal_kernel_cpu")
    if not std >= 0:
        raise RuntimeError(f"normal_ expects std >= 0.0, but found std {std}")
    return _fill_with(self, "normal_", _random.normal(mean, std, self.shape))


def bernoulli_(self, p=0.5):
    """In place: fill with 1 with probability ``p`` and 0 otherwise (any dtype). ``p`` is a number in
    [0, 1] or a floating tensor of probabilities that expands to self's shape."""
    self._check_inplace("bernoulli_")
    if isinstance(p, Tensor):
        if p.dtype.kind != "f":
            raise NotImplementedError(
                f'bernoulli_: "bernoulli_tensor_cpu_p_" not implemented for '
                f"{_random.TORCH_TYPE_NAMES[p.dtype.name]!r}: p must be a floating point tensor, not {p.dtype}"
            )
        try:
            probs = np.broadcast_to(p._array, self.shape)
        except ValueError:
            raise RuntimeError(
                f"bernoulli_: p of shape {tuple(p.shape)} cannot be expanded to the tensor's shape {tuple(self.shape)}"
            ) from None
        if probs.size and not ((probs >= 0) & (probs <= 1)).all():
            raise RuntimeError(
                "bernoulli_: Expected p_in >= 0 && p_in <= 1 to be true, but got false (p has values outside [0, 1])"
            )
    else:
        (probs,) = _bind_numbers((p,), {}, ("p",), (), "bernoulli_")
        if not 0 <= probs <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={probs}")
    return _fill_with(self, "bernoulli_", _random.bernoulli(probs, self.shape))


def random_(self, *args, **kwargs):
    """In place: fill with integers drawn uniformly from [from, to - 1]: ``random_()``, ``random_(to)`` or
    ``random_(from, to)`` (``to=None``: up to the dtype's largest). Without ``to``, a floating tensor
    gets [from, 2**mantissa] (2**24 for float32), where every integer is exact; an integer tensor up
    to its dtype's maximum. Bounds outside the dtype raise (float32 and float64: warn, as in PyTorch)."""
    self._check_inplace("random_")
    low, high = _random_range(args, kwargs)
    dtype = self._array.dtype
    if dtype.kind == "f":
        digits = _MANTISSA_DIGITS[dtype.name]
        bottom, top = -(2 ** digits), 2 ** digits
    elif dtype.kind == "b":
        bottom, top = 0, 1
    else:
        bottom, top = int(np.iinfo(dtype).min), int(np.iinfo(dtype).max)
    last = top if high is None else high - 1
    for name, value in (("from", low), ("to - 1", last if high is not None else None)):
        if value is not None and not bottom <= value <= top:
            if dtype.kind == "f" and dtype.name != "float16":
                warnings.warn(
                    f"random_: {name} is out of bounds [-(2^{digits}), 2^{digits}]: {dtype} holds every integer "
                    "only within this range, so the draws are not uniform over the integers beyond it",
                    UserWarning, stacklevel=2,
                )
            else:
                raise RuntimeError(
                    f"random_: {name} is out of bounds for {dtype} (its range is [{bottom}, {top}]; got {value})"
                )
    if high is not None and low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    if not -(2 ** 63) <= low <= last < 2 ** 63:
        raise RuntimeError(f"random_: from and to - 1 must fit in int64, got from={low}, to={high}")
    return _fill_with(self, "random_", _random.integers(low, last, self.shape))


def exponential_(self, lambd=1.0):
    """In place: fill with draws from the exponential distribution of rate ``lambd`` > 0 (mean 1/lambd).
    Floating dtypes only."""
    self._check_inplace("exponential_")
    (lambd,) = _bind_numbers((lambd,), {}, ("lambd",), (), "exponential_")
    _floating_only(self, "exponential_")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd}")
    return _fill_with(self, "exponential_", _random.exponential(lambd, self.shape))


def geometric_(self, p):
    """In place: fill with draws from the geometric distribution: the number k >= 1 of Bernoulli(p)
    trials up to the first success, P(k) = (1 - p)^(k - 1) p, for p in (0, 1). Not for bool tensors."""
    self._check_inplace("geometric_")
    (p,) = _bind_numbers((p,), {}, ("p",), (), "geometric_")
    if self._array.dtype.kind == "b":
        raise NotImplementedError('geometric_: "geometric_cpu" not implemented for \'Bool\'')
    if not 0 < p < 1:
        raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p}")
    return _fill_with(self, "geometric_", _random.geometric(p, self.shape))


def log_normal_(self, mean=1.0, std=2.0):
    """In place: fill with exp(N(mean, std^2)) draws (their logarithm is normal), std > 0. Floating
    dtypes only."""
    self._check_inplace("log_normal_")
    mean, std = _bind_numbers((mean, std), {}, ("mean", "std"), (), "log_normal_")
    _floating_only(self, "log_normal_", "log_normal_cpu")
    if not std > 0:
        raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std}")
    return _fill_with(self, "log_normal_", _random.log_normal(mean, std, self.shape))


def cauchy_(self, median=0.0, sigma=1.0):
    """In place: fill with draws from the Cauchy distribution of location ``median`` and scale
    ``sigma`` > 0. Floating dtypes only."""
    self._check_inplace("cauchy_")
    median, sigma = _bind_numbers((median, sigma), {}, ("median", "sigma"), (), "cauchy_")
    _floating_only(self, "cauchy_")
    if not sigma > 0:
        raise RuntimeError(f"cauchy_ expects sigma > 0.0, but found sigma={sigma}")
    return _fill_with(self, "cauchy_", _random.cauchy(median, sigma, self.shape))


def fill_diagonal_(self, fill_value, wrap=False):
    """In place: set the main diagonal (entries whose indices are all equal) to ``fill_value``. For at
    least 2 dims, all of one size when more than 2. A tall matrix's diagonal ends at its last column
    unless ``wrap``, which starts it again every n + 1 rows (numpy's ``fill_diagonal``)."""
    self._check_inplace("fill_diagonal_")
    if isinstance(fill_value, Tensor) and fill_value.ndim:
        raise TypeError(
            f"fill_diagonal_(): argument 'fill_value' must be a number, not a tensor of shape {tuple(fill_value.shape)}"
        )
    (value,) = _bind_numbers((fill_value,), {}, ("fill_value",), (), "fill_diagonal_")
    target = self._array
    if target.ndim < 2:
        raise RuntimeError(f"fill_diagonal_: dimensions must larger than 1 (got shape {tuple(target.shape)})")
    if target.ndim > 2 and len(set(target.shape)) > 1:
        raise RuntimeError(
            f"fill_diagonal_: all dimensions of input must be of equal length (got shape {tuple(target.shape)})"
        )
    if not target.flags.writeable:
        raise RuntimeError("fill_diagonal_: this tensor is a read-only view (e.g. from expand); clone() it first")
    if target.dtype.kind in "iu" and isinstance(value, numbers.Integral):
        value = _ops.common.fit_integer(int(value), target.dtype, "fill_diagonal_")
    np.fill_diagonal(target, value, wrap=bool(wrap))
    self._bump_version()
    return self


# ---------------------------------------------------------- draws given self
def bernoulli(self, p=None):
    """Draws of 0 and 1 with probabilities self (or ``p`` everywhere): see :func:`autograd.bernoulli`."""
    return _factories.bernoulli(self, p)


def multinomial(self, num_samples, replacement=False):
    """Category indices drawn with probabilities proportional to self: see :func:`autograd.multinomial`."""
    return _factories.multinomial(self, num_samples, replacement)


def _bind_numbers(args, kwargs, names, defaults, op):
    """The numbers ``op`` was called with, by position or by name (``names``; ``defaults`` for the last
    ones): each a Python number or a one-element tensor, read as its number."""
    if len(args) > len(names):
        raise TypeError(f"{op}() takes at most {len(names)} arguments ({len(args)} given)")
    values = dict(zip(names[len(names) - len(defaults):], defaults))
    values.update(zip(names, args))
    for name, value in kwargs.items():
        if name not in names:
            raise TypeError(f"{op}() got an unexpected keyword argument '{name}'")
        if name in names[:len(args)]:
            raise TypeError(f"{op}() got multiple values for argument '{name}'")
        values[name] = value
    numbers_ = []
    for name in names:
        if name not in values:
            raise TypeError(f"{op}() missing required argument '{name}'")
        value = values[name]
        if isinstance(value, Tensor):
            if value.numel() != 1:
                raise TypeError(f"{op}(): argument '{name}' must be a number, not a tensor of shape {tuple(value.shape)}")
            value = value.item()
        elif isinstance(value, (np.number, np.bool_)):
            value = value.item()
        if not isinstance(value, numbers.Real):
            raise TypeError(f"{op}(): argument '{name}' must be a number, not {type(value).__name__}")
        numbers_.append(value)
    return numbers_


def _random_range(args, kwargs):
    """``random_``'s (from, to) from its three forms: (), (to,), (from, to); ``to`` None for no bound."""
    if len(args) > 2:
        raise TypeError(f"random_() takes at most 2 arguments ({len(args)} given)")
    given = dict(zip(("from", "to"), args)) if len(args) == 2 else ({"to": args[0]} if args else {})
    for name, value in kwargs.items():
        if name not in ("from", "to"):
            raise TypeError(f"random_() got an unexpected keyword argument '{name}'")
        if name in given:
            raise TypeError(f"random_() got multiple values for argument '{name}'")
        given[name] = value
    if "from" in given and "to" not in given:
        raise TypeError("random_() takes random_(), random_(to) or random_(from, to): 'from' needs 'to' (to=None: no bound)")
    low, high = given.get("from", 0), given.get("to")
    if len(args) == 1 and high is None:
        raise TypeError("random_(): argument 'to' must be int, not NoneType")
    for name, value in (("from", low), ("to", high)):
        if value is not None and (isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral)):
            raise TypeError(f"random_(): argument '{name}' must be int, not {type(value).__name__}")
    return int(low), None if high is None else int(high)


# Tensor methods only (``autograd.bernoulli`` and ``autograd.multinomial`` come from autograd.factories).
TENSOR_METHODS = (
    uniform_, normal_, bernoulli_, random_, exponential_, geometric_, log_normal_, cauchy_, fill_diagonal_,
    bernoulli, multinomial,
)
for _fn in TENSOR_METHODS:
    setattr(Tensor, _fn.__name__, _fn)
