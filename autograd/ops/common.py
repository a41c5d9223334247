"""Helpers shared by the ops: operand coercion, broadcast checks, dim normalization."""
import math
import numbers

import numpy as np

from ..tensor import Tensor, _normalize_dim

normalize_dim = _normalize_dim


def as_operand(x, op):
    """A Tensor, a Python number (kept as is: numpy treats it as a weak scalar), or an ndarray as a Tensor.

    A numpy scalar becomes the Python number it holds: like PyTorch, ``float32_tensor * np.float64(2)``
    stays float32 (numpy would make it float64).
    """
    if isinstance(x, (np.number, np.bool_)):
        return x.item()
    if isinstance(x, (Tensor, numbers.Number)):
        return x
    if isinstance(x, (np.ndarray, np.generic)):
        return Tensor._make(np.asarray(x))
    raise TypeError(f"{op}: expected a Tensor or a number, got {type(x).__name__}")


_PLAIN_NUMBERS = (int, float)


def binary_operands(a, b, op):
    """Coerce two operands and check they broadcast; raise naming ``op`` and both shapes if not."""
    if isinstance(a, Tensor) and isinstance(b, Tensor):  # the common case first
        x, y = a._array, b._array
        if x.shape != y.shape and x.shape[x.ndim - y.ndim:] != y.shape:  # (b's shape ending a's: a bias)
            check_broadcast(x.shape, y.shape, op)
        if x.dtype != y.dtype:
            return promote(a, b, op)
        return a, b
    if type(b) in _PLAIN_NUMBERS and isinstance(a, Tensor):
        if a._array.dtype.kind != "f":
            a, b = with_number(a, b, op)
        return a, b
    if type(a) in _PLAIN_NUMBERS and isinstance(b, Tensor):
        if b._array.dtype.kind != "f":
            b, a = with_number(b, a, op)
        return a, b
    a = as_operand(a, op)
    b = as_operand(b, op)
    if op == "sub":
        check_subtraction(a, b)
    if isinstance(a, Tensor) and isinstance(b, Tensor):
        if a.shape != b.shape:
            check_broadcast(a.shape, b.shape, op)
        a, b = promote(a, b, op)
    elif isinstance(a, Tensor):
        if a._array.dtype.kind != "f":
            a, b = with_number(a, b, op)
    elif isinstance(b, Tensor):
        if b._array.dtype.kind != "f":
            b, a = with_number(b, a, op)
    else:
        raise TypeError(f"{op}: expected at least one Tensor, got {type(a).__name__} and {type(b).__name__}")
    return a, b


def with_number(tensor, number, op):
    """A bool or integer tensor meeting a number in ``op``, as ``(tensor, number)`` ready for numpy.

    PyTorch: a float makes the tensor the default float dtype (float32); an int is cast to an integer
    tensor's dtype, wrapping around like any integer cast (uint8 + -3 is uint8 + 253).
    """
    dtype = tensor._array.dtype
    if op == "sub" and dtype == np.bool_:
        check_subtraction(tensor, number)
    if isinstance(number, float):
        return tensor.to(np.float32), number
    if isinstance(number, int):
        number = fit_integer(number, dtype if dtype.kind in "iu" else _INT64, op)
    return tensor, number


_INT64 = np.dtype(np.int64)


def fit_integer(number, dtype, op):
    """The Python int ``number`` cast to the integer ``dtype`` as PyTorch casts it: wrapped modulo
    2**bits (-3 as uint8 is 253, 300 is 44), as a Python int again. Beyond int64 it raises OverflowError."""
    bits = 8 * dtype.itemsize
    low = -(1 << (bits - 1)) if dtype.kind == "i" else 0
    if low <= number < low + (1 << bits):
        return number
    if not -(1 << 63) <= number < 1 << 63:
        raise OverflowError(f"{op}: Python int {number} is too big to convert to an integer tensor's value (int64 at most)")
    return (number - low) % (1 << bits) + low


_C_TYPE_NAMES = {
    "int8": "int8_t", "uint8": "uint8_t", "int16": "int16_t", "int32": "int", "int64": "int64_t",
    "float16": "c10::Half", "float32": "float", "float64": "double",
}


def checked_scalar(value, dtype, op):
    """The number ``value`` converted for ``dtype`` as PyTorch converts a scalar it writes into a tensor of
    that dtype (``masked_fill``'s value, ``clamp``'s bounds): a RuntimeError where it overflows the dtype
    ("value cannot be converted to type int64_t without overflow": 1e20, NaN or inf into an integer
    tensor, 300 into int8, 1e5 into float16, 1e40 into float32), as a Python number otherwise.

    Integers into an unsigned dtype may be negative down to -max, wrapping around (-1 into uint8 is 255), as
    there; a float into an integer dtype is truncated later, by the cast (2.7 gives 2). A bool tensor takes
    any number. A Python int outside int64 and uint64 is an OverflowError, as in PyTorch.
    """
    dtype = np.dtype(dtype)
    name = _C_TYPE_NAMES.get(dtype.name, dtype.name)
    overflow = RuntimeError(f"{op}: value cannot be converted to type {name} without overflow")
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, complex):
        if value.imag != 0:  # (PyTorch's error too: the imaginary part fits no real dtype)
            raise overflow
        value = value.real
    elif not isinstance(value, (int, float)):
        value = int(value) if isinstance(value, numbers.Integral) else float(value)
    kind = dtype.kind
    if isinstance(value, int):  # (a bool too)
        if not -(1 << 63) <= value < 1 << 64:
            raise OverflowError(f"{op}: Python int {value} too big to convert")
        if kind == "b" or type(value) is bool:
            return value
        if kind in "iu":
            info = np.iinfo(dtype)
            if info.min <= value <= info.max:
                return value
            if kind == "u" and -int(info.max) <= value < 0:
                return value + int(info.max) + 1
        elif kind == "f" and -float(np.finfo(dtype).max) <= value <= float(np.finfo(dtype).max):
            return value
    else:
        if kind == "b":
            return value
        if kind in "iu":
            info = np.iinfo(dtype)
            if float(info.min) <= value <= float(info.max):  # (False for NaN)
                return value
        elif value != value or math.isinf(value) or abs(value) <= float(np.finfo(dtype).max):
            return value
    raise overflow


BOOL_SUBTRACTION = (
    "sub: Subtraction, the `-` operator, with two bool tensors is not supported. Use the `^` or "
    "`logical_xor()` operator instead."
)
BOOL_SUBTRACTION_MIXED = (
    "sub: Subtraction, the `-` operator, with a bool tensor is not supported. If you are trying to invert a "
    "mask, use the `~` or `logical_not()` operator instead."
)


def is_bool(x):
    """Whether the operand ``x`` is a bool tensor or a bool (Python's or numpy's)."""
    return x._array.dtype == np.bool_ if isinstance(x, Tensor) else isinstance(x, (bool, np.bool_))


_is_bool = is_bool


def check_subtraction(a, b):
    """PyTorch refuses ``-`` with a bool operand (a tensor or a Python bool): raise its message."""
    bool_a, bool_b = _is_bool(a), _is_bool(b)
    if bool_a and bool_b:
        raise RuntimeError(BOOL_SUBTRACTION)
    if bool_a or bool_b:
        raise RuntimeError(BOOL_SUBTRACTION_MIXED)


_CATEGORY = {"b": 0, "u": 1, "i": 1, "f": 2}  # PyTorch's order: bool < integer < floating


def promote(a, b, op="promote"):
    """PyTorch's promotion across categories: an integer tensor meeting a floating one takes the
    floating one's dtype (numpy would widen int64 with float32 to float64). Within a category, and for
    bool with float, numpy's rule is PyTorch's (float32 with float64 is float64).

    A 0-d tensor meeting a tensor with dimensions takes the latter's dtype unless its category is
    higher, as in PyTorch: float32 * 0-d float64 is float32, int32 + 0-d int64 is int32, but int32
    + 0-d float64 is float64.

    For tensors of different dtypes only; ``op`` "sub" refuses a bool operand, as PyTorch does.
    """
    x, y = a._array, b._array
    kind_a, kind_b = x.dtype.kind, y.dtype.kind
    if op == "sub" and (kind_a == "b" or kind_b == "b"):
        check_subtraction(a, b)
    if (x.ndim == 0) != (y.ndim == 0):  # one 0-d tensor, one with dimensions
        if x.ndim and _CATEGORY[kind_a] >= _CATEGORY[kind_b]:
            return a, b.to(x.dtype)  # (a 0-d cast: cheap; cast like any integer, int8 takes 300 as 44)
        if y.ndim and _CATEGORY[kind_b] >= _CATEGORY[kind_a]:
            return a.to(y.dtype), b
    # bool with float already keeps the float dtype in numpy (a mask times a gradient stays cheap)
    if kind_a == "f" and kind_b in "iu":
        return a, b.to(a._array.dtype)
    if kind_b == "f" and kind_a in "iu":
        return a.to(b._array.dtype), b
    return a, b


def floating(x):
    """``x`` if it is a floating point tensor, else ``x`` as float32 (PyTorch: ``exp`` of an int tensor is float32)."""
    return x if x._array.dtype.kind == "f" else x.to(np.float32)


def require_floating(input, op, error=TypeError):
    """Raise ``error`` naming ``op`` unless ``input`` is a floating point tensor."""
    if input._array.dtype.kind != "f":
        raise error(f"{op}: expected a floating point tensor, got dtype {input.dtype} (pass dtype= or call .float())")


def require_tensor(value, op, name="other", position=2):
    """PyTorch's TypeError for an argument that must be a Tensor (``atan2(x, 2)`` is refused, as there)."""
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(value).__name__}")


def floating_dtype(a, b):
    """The floating dtype of an op of two promoted operands (``binary_operands``): that of the floating
    tensors among them (the wider of two), else float32 (PyTorch: ``atan2`` of integers or bools is float32)."""
    dtype = None
    for x in (a, b):
        if isinstance(x, Tensor) and x._array.dtype.kind == "f":
            dtype = x._array.dtype if dtype is None else np.promote_types(dtype, x._array.dtype)
    return np.dtype(np.float32) if dtype is None else dtype


def as_dtype(x, dtype):
    """A promoted operand as a Tensor of ``dtype`` (a number as a 0-d constant of it)."""
    if isinstance(x, Tensor):
        return x if x._array.dtype == dtype else x.to(dtype)
    return Tensor._make(np.asarray(x, dtype=dtype))


def floating_operands(input, other, op):
    """``binary_operands`` of two operands, both as Tensors of their floating dtype (``floating_dtype``)."""
    input, other = binary_operands(input, other, op)
    dtype = floating_dtype(input, other)
    return as_dtype(input, dtype), as_dtype(other, dtype)


def floating_only_operands(input, other, op):
    """Two Tensors (``other`` must be one, as in PyTorch) as their common floating dtype, for an op that
    PyTorch computes for floating types only: NotImplementedError when neither is floating."""
    require_tensor(other, op)
    input, other = binary_operands(input, other, op)
    if input._array.dtype.kind != "f" and other._array.dtype.kind != "f":
        raise NotImplementedError(f"{op}: not implemented for {input.dtype} tensors; convert with .float()")
    dtype = floating_dtype(input, other)
    return as_dtype(input, dtype), as_dtype(other, dtype)


def in_float64(ufunc, a):
    """``ufunc(a)`` for a floating ndarray, computed in float64 and rounded back for float32 and float16.

    numpy's float32 loops of the transcendental functions are up to 3 ulp off (log10 of 100 is 2.0000002
    there); rounded from float64 a result is within half an ulp, as accurate as PyTorch's and exact where
    the value is (log10(1000) = 3, as in PyTorch). For the ops added with this (log10, tan, asinh, ...), whose
    speed matters less than exp's or tanh's.
    """
    if a.dtype.itemsize >= 8:
        return ufunc(a)
    return np.asarray(ufunc(a.astype(np.float64))).astype(a.dtype)


def check_broadcast(shape_a, shape_b, op):
    """Raise PyTorch's message when two shapes do not broadcast."""
    for i in range(1, min(len(shape_a), len(shape_b)) + 1):
        x, y = shape_a[-i], shape_b[-i]
        if x != y and x != 1 and y != 1:
            dim = max(len(shape_a), len(shape_b)) - i
            raise RuntimeError(
                f"{op}: The size of tensor a ({x}) must match the size of tensor b ({y}) at "
                f"non-singleton dimension {dim} (shapes {tuple(shape_a)} and {tuple(shape_b)})"
            )


def array_of(x):
    """The ndarray (or number) behind an operand."""
    return x._array if isinstance(x, Tensor) else x


def shape_of(x):
    """The shape of an operand (() for a number)."""
    return x._array.shape if isinstance(x, Tensor) else ()


def normalize_dims(dim, ndim, op):
    """``dim`` (None, an int, or a tuple of ints) as a sorted tuple of non-negative axes, or None for all."""
    if dim is None:
        return None
    if isinstance(dim, (tuple, list)):
        axes = tuple(sorted({_normalize_dim(d, ndim, op) for d in dim}))
        if len(axes) != len(dim):
            raise RuntimeError(f"{op}: dim {tuple(dim)} appears multiple times in the list of dims")
    else:
        axes = (_normalize_dim(dim, ndim, op),)
    # A 0-d tensor has no axis to reduce: PyTorch lets dim 0 (or -1) name the tensor itself.
    return axes if ndim else ()


def dim_alias(dim, axis, op, default=None):
    """``dim``, or ``axis`` in its place: numpy's name, which PyTorch also accepts (``x.sum(axis=0)``).

    Giving both (``dim`` other than its ``default``) is a TypeError, as in PyTorch.
    """
    if axis is None:
        return dim
    if dim is not default and dim != default:
        raise TypeError(f"{op}() got both 'dim' and its alias 'axis'")
    return axis


def required_dim(dim, axis, op):
    """A required ``dim`` given as ``dim`` or as ``axis``: TypeError for neither or both."""
    if dim is None and axis is None:
        raise TypeError(f"{op}(): dim must be an int, got None (dim is a required argument)")
    return dim_alias(dim, axis, op)


def reduction_aliases(dim, keepdim, axis, keepdims, op):
    """``(dim, keepdim)`` of a reduction called with numpy's ``axis``/``keepdims`` (PyTorch takes those too)."""
    if keepdims is not None:
        if keepdim:
            raise TypeError(f"{op}() got both 'keepdim' and its alias 'keepdims'")
        keepdim = keepdims
    return dim_alias(dim, axis, op), keepdim


def kept_shape(shape, axes):
    """The shape of a reduction over ``axes`` with keepdim=True."""
    if axes is None:
        return (1,) * len(shape)
    return tuple(1 if i in axes else s for i, s in enumerate(shape))


_CONSTANTS = {}


def constant(key, make):
    """The array ``make()`` gives, read-only and kept for later calls with the same ``key``.

    For the small constants backward formulas need at every step (vectors of ones, row numbers):
    a training loop asks for the same few again and again.
    """
    array = _CONSTANTS.get(key)
    if array is None:
        if len(_CONSTANTS) >= 64:  # many shapes in turn: start over rather than grow
            _CONSTANTS.clear()
        array = make()
        array.flags.writeable = False
        _CONSTANTS[key] = array
    return array


def zeros_along_last_axis(a):
    """A zero for ``np.maximum(a, zero)`` and the like: a read-only row of zeros of ``a``'s float dtype
    along its last axis, or the number 0.

    numpy's SIMD loop for maximum runs only when both operands step through memory: against a
    number it takes a scalar loop, 2x slower for float32 (relu of 128x512: 33 us against 16), and a
    Python 0 costs nearly a microsecond to convert. Rows shorter than 16 of a big array are the one
    case where the number is faster.
    """
    if a.ndim and a.dtype.kind == "f" and (a.shape[-1] >= 16 or a.size <= 4096):
        n, dtype = a.shape[-1], a.dtype
        return constant(("zeros", n, dtype.char), lambda: np.zeros(n, dtype))
    return 0


_INTEGER_OF_SIZE = {2: np.int16, 4: np.int32, 8: np.int64}
_SELECT_FROM = 8192  # elements: below this, np.where's own set-up is the cheaper one


def select_array(condition, a, b):
    """``np.where(condition, a, b)`` for an ndarray ``condition``, without a branch per element when
    the result is a large float array.

    numpy's where branches on every element, so a mask without a pattern (about half true, as after
    comparing with 0) defeats the CPU's branch prediction: 5x slower than a uniform mask (128x512
    float32: 238 us against 45). Floats can be chosen by their bits instead, as b ^ ((a ^ b) & m)
    with m all ones where the condition holds (3-4x faster): every value, NaN payloads, infinities
    and signed zeros included, comes through bit for bit.
    """
    dtype = np.result_type(a, b)
    if dtype.kind != "f" or condition.dtype != np.bool_ or dtype.itemsize not in _INTEGER_OF_SIZE:
        return np.where(condition, a, b)
    shape = np.broadcast_shapes(condition.shape, np.shape(a), np.shape(b))
    if math.prod(shape) < _SELECT_FROM:
        return np.where(condition, a, b)
    bits = _INTEGER_OF_SIZE[dtype.itemsize]
    a_bits, b_bits = np.asarray(a, dtype).view(bits), np.asarray(b, dtype).view(bits)
    out = np.bitwise_and(np.bitwise_xor(a_bits, b_bits), np.negative(condition, dtype=bits))
    if out.shape != shape:  # (condition broadcast against a and b, not over them)
        out = np.broadcast_to(out, shape).copy()
    return np.bitwise_xor(out, b_bits, out=out).view(dtype)


def positions(n):
    """0, 1, ..., n - 1: the row numbers that pair with a column of indices in fancy indexing (read-only)."""
    return constant(("positions", n), lambda: np.arange(n))
