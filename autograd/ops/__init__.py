"""Every differentiable op, one ``Function`` each, grouped by family; and their Tensor method names."""
import warnings

from ..tensor import Tensor
from . import elementwise, index, inplace, linalg, logic, reduce, rounding, scan, shape, special
from .common import array_of, as_operand
from .elementwise import (
    abs, add, clamp, clip, cos, div, eq, exp, ge, gt, le, leaky_relu, log, logical_and, logical_not,
    logical_or, lt, masked_fill, maximum, minimum, mul, ne, neg, pow, relu, sigmoid, sign, sin, softplus, sqrt,
    square, sub, tanh, where,
)
from .index import argsort, gather, sort, topk
from .linalg import dot, linear, matmul
from .logic import all, allclose, any, equal, isclose, isfinite, isinf, isnan
from .reduce import (
    amax, amin, argmax, argmin, log_softmax, logsumexp, max, mean, min, norm, softmax, std, sum, var,
)
from .rounding import floor_divide, remainder
from .scan import cumsum
from .shape import (
    broadcast_to, cat, chunk, concat, concatenate, expand, expand_as, flatten, flip, permute, repeat, reshape,
    roll, split, squeeze, stack, t, transpose, unbind, unsqueeze, view,
)

# Like PyTorch, log(0) = -inf and 0/0 = nan are results, not warnings (in autograd, nn and optim).
warnings.filterwarnings(
    "ignore", message="(divide by zero|invalid value|overflow) encountered", category=RuntimeWarning,
    module=r"(autograd|nn|optim)\.",
)


def operand_array(x):
    """The ndarray or number behind an in-place op's operand."""
    return x._array if isinstance(x, Tensor) else array_of(as_operand(x, "in-place op"))


def _numpy_names(fn):
    """``fn`` (a reduction taking ``dim``, then ``keepdim``) also taking numpy's ``axis`` and ``keepdims``
    for them, as PyTorch's reductions do.

    A wrapper for max, min, amax and amin only; the other ops take the aliases as keyword-only parameters.
    """
    def op(input, *args, axis=None, keepdims=None, **kwargs):
        if axis is not None:
            if args or "dim" in kwargs:
                raise TypeError(f"{fn.__name__}() got both 'dim' and its alias 'axis'")
            kwargs["dim"] = axis
        if keepdims is not None:
            if len(args) > 1 or "keepdim" in kwargs:
                raise TypeError(f"{fn.__name__}() got both 'keepdim' and its alias 'keepdims'")
            kwargs["keepdim"] = keepdims
        return fn(input, *args, **kwargs)

    op.__name__, op.__qualname__ = fn.__name__, fn.__qualname__
    op.__doc__ = f"{fn.__doc__ or ''}\n\n    ``axis``/``keepdims``: numpy's names for ``dim``/``keepdim``."
    op.__wrapped__ = fn
    return op


max, min, amax, amin = _numpy_names(max), _numpy_names(min), _numpy_names(amax), _numpy_names(amin)


# A module-level op taking the tensor first is also its method: ``x.exp()`` is ``exp(x)``.
for _fn in (
    abs, add, clamp, clip, cos, div, exp, leaky_relu, log, maximum, minimum, mul, neg, pow, relu, sigmoid,
    sign, sin, softplus, sqrt, sub, tanh, gather, matmul, amax, amin, argmax, argmin, log_softmax,
    logsumexp, max, mean, min, softmax, std, sum, var, broadcast_to, chunk, expand, expand_as, flatten,
    permute, reshape, squeeze, t, transpose, unsqueeze, view, eq, ne, lt, le, gt, ge,
    logical_and, logical_or, logical_not, all, any, isclose, allclose, isnan, isinf, isfinite, equal,
    norm, square, masked_fill, dot, sort, topk, argsort, cumsum, flip, roll, repeat, unbind, remainder,
    floor_divide,
):
    setattr(Tensor, _fn.__name__, _fn)
# Aliases share their target's __name__, so the loop above would register them under it.
Tensor.clip = clip
# PyTorch names the method's size ``split_size`` and the function's ``split_size_or_sections``.
Tensor.split = shape.split_method


def _type_name(value):
    """``numpy.ndarray``, ``list``: a type's name as PyTorch's errors print it."""
    kind = type(value)
    module = kind.__module__.split(".")[0]
    return kind.__name__ if module == "builtins" else f"{module}.{kind.__name__}"


def _not_a_tensor(op, value, name="input"):
    """The TypeError for a module-level op given ``value``, not a Tensor, as its first argument ``name``."""
    return TypeError(
        f"{op}(): argument '{name}' (position 1) must be Tensor, not {_type_name(value)} "
        "(convert it with autograd.tensor(...))"
    )


def _tensor_first(fn):
    """The module-level form of an op whose first argument must be a Tensor: check it there.

    (As a method, ``self`` is always a Tensor, so methods skip the check.)
    """
    def op(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise _not_a_tensor(fn.__name__, input)
        return fn(input, *args, **kwargs)

    op.__name__, op.__qualname__, op.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    op.__wrapped__ = fn
    return op


for _fn in (
    abs, amax, amin, argmax, argmin, broadcast_to, chunk, clamp, clip, cos, exp, expand, expand_as, flatten,
    gather, leaky_relu, linear, log, log_softmax, logsumexp, logical_not, max, mean, min, neg, permute,
    relu, reshape, sigmoid, sign, sin, softmax, softplus, sqrt, squeeze, std, sum, t, tanh,
    transpose, unsqueeze, var, view, all, any, isnan, isinf, isfinite, norm, square, masked_fill, sort,
    topk, argsort, cumsum, flip, roll, repeat, unbind,
):
    globals()[_fn.__name__] = _tensor_first(_fn)

# A family module may also list its ops: ``METHODS``, ops taking the tensor first (each a Tensor method
# and a checked module function, like those above), and ``FUNCTIONS``, module functions only. Their names
# are ``LISTED``, which ``autograd`` exports. ``TENSOR_METHODS`` are Tensor methods only.
LISTED = []
for _family in (elementwise, index, linalg, logic, reduce, rounding, scan, shape, special, inplace):
    for _fn in getattr(_family, "METHODS", ()):
        setattr(Tensor, _fn.__name__, _fn)
        globals()[_fn.__name__] = _tensor_first(_fn)
        LISTED.append(_fn.__name__)
    for _fn in getattr(_family, "TENSOR_METHODS", ()):
        setattr(Tensor, _fn.__name__, _fn)
    for _fn in getattr(_family, "FUNCTIONS", ()):
        globals()[_fn.__name__] = _fn
        LISTED.append(_fn.__name__)


def split(tensor, split_size_or_sections, dim=0):
    """Split ``tensor`` along ``dim`` into pieces of size ``split_size_or_sections``, or of the listed
    sizes: a tuple of views (PyTorch's ``torch.split``, its argument names included)."""
    if not isinstance(tensor, Tensor):
        raise _not_a_tensor("split", tensor, "tensor")
    return shape.split(tensor, split_size_or_sections, dim)


def _reflected(fn):
    def reflected(self, other):
        return fn(other, self)

    reflected.__name__ = f"__r{fn.__name__}__"
    reflected.__doc__ = f"``other {fn.__name__} self``."
    return reflected


# Python's operators, each the op function itself (``a * b`` is ``mul(a, b)``; ``-a`` is the unwrapped
# ``neg``, since ``a`` is a Tensor).
for _name, _fn in {
    "add": add, "sub": sub, "mul": mul, "truediv": div, "pow": pow, "matmul": matmul,
    "lt": lt, "le": le, "gt": gt, "ge": ge, "eq": eq, "ne": ne, "neg": neg.__wrapped__, "abs": abs.__wrapped__,
    "floordiv": floor_divide, "mod": remainder,
}.items():
    setattr(Tensor, f"__{_name}__", _fn)
for _name, _fn in {
    "sub": sub, "truediv": div, "pow": pow, "matmul": matmul, "floordiv": floor_divide, "mod": remainder,
}.items():
    setattr(Tensor, f"__r{_name}__", _reflected(_fn))
Tensor.__radd__, Tensor.__rmul__ = add, mul  # these commute: ``2 * t`` is ``mul(t, 2)``
Tensor.__hash__ = object.__hash__  # __eq__ is elementwise; tensors hash by identity


def _where_method(self, condition, other):
    """self where condition holds, else other."""
    return where(condition, self, other)


Tensor.where = _where_method
Tensor.__and__ = Tensor.__rand__ = logical_and
Tensor.__or__ = Tensor.__ror__ = logical_or
Tensor.__invert__ = logical_not
Tensor.T = property(shape.reverse_dims, doc="All dims reversed.")
Tensor.mT = property(lambda self: transpose(self, -2, -1), doc="The last two dims swapped (batched transpose).")
