"""Ways to make a Tensor: from data, constant fills, ranges and random draws."""
import numpy as np

from .device import check_device
from .dtypes import DEFAULT_FLOAT, as_array, to_dtype
from .random import generator
from .tensor import Tensor


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (numbers, nested lists, an ndarray or a Tensor).

    Python floats become float32; an ndarray or a numpy scalar keeps its dtype (float64 stays float64,
    also inside a list, as in PyTorch).
    """
    check_device(device, "tensor")
    return Tensor(data, dtype=dtype, requires_grad=requires_grad, device=device)


def from_numpy(array):
    """A tensor sharing memory with the ndarray ``array`` (its dtype kept)."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"from_numpy: expected np.ndarray (got {type(array).__name__})")
    return Tensor._make(as_array(array, op="from_numpy", copy=False))


def _size(size, op, keyword=None):
    """The shape from ``zeros(2, 3)``, ``zeros((2, 3))`` or the keyword form ``zeros(size=(2, 3))``
    (``keyword``: a tuple or a list, not also sizes given positionally), checked as PyTorch does."""
    if keyword is not None:
        if size:
            raise TypeError(f"{op}() got multiple values for argument 'size'")
        if not isinstance(keyword, (tuple, list)):
            raise TypeError(f"{op}(): argument 'size' must be tuple of ints, not {type(keyword).__name__}")
        size = tuple(keyword)
    elif len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    for s in size:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{op}: size must be ints, got {size!r}")
        if s < 0:
            raise RuntimeError(f"{op}: Trying to create tensor with negative dimension {s}: {list(size)}")
    return tuple(int(s) for s in size)


def _finish(array, requires_grad):
    t = Tensor._make(array)
    if requires_grad:
        t.requires_grad = True
    return t


def _float_dtype(dtype, op):
    return DEFAULT_FLOAT if dtype is None else to_dtype(dtype, op)


def zeros(*sizes, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros of shape ``sizes`` (ints or a tuple; or the keyword ``size=``), float32 unless
    ``dtype``."""
    check_device(device, "zeros")
    return _finish(np.zeros(_size(sizes, "zeros", size), _float_dtype(dtype, "zeros")), requires_grad)


def ones(*sizes, size=None, dtype=None, device=None, requires_grad=False):
    """A tensor of ones of shape ``sizes`` (ints or a tuple; or the keyword ``size=``)."""
    check_device(device, "ones")
    return _finish(np.ones(_size(sizes, "ones", size), _float_dtype(dtype, "ones")), requires_grad)


def empty(*sizes, size=None, dtype=None, device=None, requires_grad=False):
    """An uninitialized tensor of shape ``sizes`` (ints or a tuple; or the keyword ``size=``); here: zeros."""
    check_device(device, "empty")
    return _finish(np.zeros(_size(sizes, "empty", size), _float_dtype(dtype, "empty")), requires_grad)


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    """A tensor of shape ``size`` filled with ``fill_value`` (a number or a 0-d tensor).

    Its dtype, unless ``dtype`` is given, is PyTorch's: bool for a bool, int64 for any integer, and
    float32 for any float (a numpy float64 too).
    """
    check_device(device, "full")
    fill_value = _number(fill_value, "full", "fill_value")
    if dtype is None:
        if isinstance(fill_value, (bool, np.bool_)):
            dtype = np.bool_
        elif isinstance(fill_value, (int, np.integer)):
            dtype = np.int64
        elif isinstance(fill_value, (float, np.floating)):
            dtype = DEFAULT_FLOAT
        else:
            dtype = as_array(fill_value, op="full").dtype  # (raises for what is not a number)
    return _finish(np.full(_size((size,), "full"), fill_value, to_dtype(dtype, "full")), requires_grad)


def arange(start=None, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values start, start + step, ... below ``end`` (int64 for int arguments, else float32).

    ``arange(end)``, ``arange(start, end, step)``, or by PyTorch's keywords (``arange(end=3)``: start 0).
    Each argument is a number or a 0-d tensor (read as the number it holds, as in PyTorch).
    """
    check_device(device, "arange")
    if end is None:
        if start is None:
            raise TypeError("arange() missing 1 required argument: 'end'")
        start, end = 0, start
    elif start is None:
        start = 0
    start, end, step = _number(start, "arange", "start"), _number(end, "arange", "end"), _number(step, "arange", "step")
    if step == 0:
        raise RuntimeError("arange: step must be nonzero")
    if dtype is None:
        ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if ints else DEFAULT_FLOAT
    return _finish(np.arange(start, end, step).astype(to_dtype(dtype, "arange")), requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """``steps`` evenly spaced values from start to end inclusive."""
    check_device(device, "linspace")
    return _finish(np.linspace(start, end, steps).astype(_float_dtype(dtype, "linspace")), requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    """The n x m identity matrix (m = n by default)."""
    check_device(device, "eye")
    n = _count(n, "n", "eye")
    m = None if m is None else _count(m, "m", "eye")
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype, "eye")), requires_grad)


def _count(value, name, op):
    """``value`` as a non-negative int (an int, a numpy int or a one-element int tensor), or raise as PyTorch."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer, Tensor)):
        raise TypeError(f"{op}(): argument '{name}' must be int, not {type(value).__name__}")
    value = value.__index__()
    if value < 0:
        raise RuntimeError(f"{op}: {name} must be greater or equal to 0, got {value}")
    return value


def _number(value, op, name):
    """A 0-d tensor argument as the number it holds; a tensor with dimensions is refused as in PyTorch."""
    if not isinstance(value, Tensor):
        return value
    if value.ndim:
        raise TypeError(
            f"{op}(): argument '{name}' must be a number or a 0-d tensor, not a tensor of shape {tuple(value.shape)}"
        )
    return value.item()


# PyTorch's kernels for random floats, and its names for the dtypes they refuse (torch.int64 is 'Long').
_FLOAT_KERNELS = {"rand": "check_uniform_bounds", "randn": "normal_kernel_cpu"}
_TORCH_TYPE_NAMES = {
    "int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
}


def _random_float_dtype(dtype, op):
    """The dtype ``op`` (rand, randn or their ``_like``) draws in: float32 by default; an integer or bool
    dtype raises NotImplementedError, as PyTorch's kernels do."""
    dtype = _float_dtype(dtype, op)
    if dtype.kind != "f":
        kernel = _FLOAT_KERNELS[op.removesuffix("_like")]
        raise NotImplementedError(
            f'{op}(): "{kernel}" not implemented for {_TORCH_TYPE_NAMES[dtype.name]!r}: {op} draws floating point '
            f"samples, not {dtype.name}; pass a floating dtype (or use randint for integers)"
        )
    return dtype


def rand(*sizes, size=None, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1) of shape ``sizes`` (or ``size=``), from the generator ``manual_seed`` seeds.
    Floating dtypes only (NotImplementedError for others, as in PyTorch)."""
    check_device(device, "rand")
    dtype = _random_float_dtype(dtype, "rand")
    return _finish(generator().random(_size(sizes, "rand", size)).astype(dtype), requires_grad)


def randn(*sizes, size=None, dtype=None, device=None, requires_grad=False):
    """Standard normal samples of shape ``sizes`` (or ``size=``), from the generator ``manual_seed`` seeds.
    Floating dtypes only (NotImplementedError for others, as in PyTorch)."""
    check_device(device, "randn")
    dtype = _random_float_dtype(dtype, "randn")
    return _finish(generator().standard_normal(_size(sizes, "randn", size)).astype(dtype), requires_grad)


def randint(low=0, high=None, size=(), dtype=None, device=None):
    """Integers in [low, high) of shape ``size`` (int64 unless ``dtype``): ``randint(high, size)`` or
    ``randint(low, high, size)``, as in PyTorch."""
    check_device(device, "randint")
    if isinstance(high, (tuple, list)):  # randint(high, size)
        high, size = None, high
    if high is None:
        low, high = 0, low
    dtype = to_dtype(np.int64 if dtype is None else dtype, "randint")
    return Tensor._make(generator().integers(low, high, size=_size((size,), "randint")).astype(dtype))


def randperm(n, device=None, *, dtype=None, requires_grad=False):
    """A random permutation of 0..n-1 (int64 unless ``dtype``)."""
    check_device(device, "randperm")
    dtype = to_dtype(np.int64 if dtype is None else dtype, "randperm")
    return _finish(generator().permutation(n).astype(dtype), requires_grad)


def _like(fn, name):
    def like(input, dtype=None, device=None, requires_grad=False):
        check_device(device, name)
        dtype = input.dtype if dtype is None else dtype
        if fn.__name__ in _FLOAT_KERNELS:  # refused here, naming the function called
            _random_float_dtype(dtype, name)
        return fn(*input.shape, dtype=dtype, requires_grad=requires_grad)

    like.__name__ = name
    like.__doc__ = f"``{fn.__name__}`` with ``input``'s shape and dtype."
    return like


zeros_like = _like(zeros, "zeros_like")
ones_like = _like(ones, "ones_like")
rand_like = _like(rand, "rand_like")
randn_like = _like(randn, "randn_like")


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    """``full`` with ``input``'s shape and dtype."""
    check_device(device, "full_like")
    return full(input.shape, fill_value, dtype=input.dtype if dtype is None else dtype, requires_grad=requires_grad)
