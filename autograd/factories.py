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


def _size(size, op):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
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


def zeros(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of zeros of shape ``size`` (float32 unless ``dtype``)."""
    check_device(device, "zeros")
    return _finish(np.zeros(_size(size, "zeros"), _float_dtype(dtype, "zeros")), requires_grad)


def ones(*size, dtype=None, device=None, requires_grad=False):
    """A tensor of ones of shape ``size``."""
    check_device(device, "ones")
    return _finish(np.ones(_size(size, "ones"), _float_dtype(dtype, "ones")), requires_grad)


def empty(*size, dtype=None, device=None, requires_grad=False):
    """An uninitialized tensor of shape ``size`` (here: zeros)."""
    check_device(device, "empty")
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


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


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values start, start + step, ... below ``end`` (int64 for int arguments, else float32).

    Each argument is a number or a 0-d tensor (read as the number it holds, as in PyTorch).
    """
    check_device(device, "arange")
    if end is None:
        start, end = 0, start
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


def rand(*size, dtype=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1), from the generator ``manual_seed`` seeds."""
    check_device(device, "rand")
    array = generator().random(_size(size, "rand")).astype(_float_dtype(dtype, "rand"))
    return _finish(array, requires_grad)


def randn(*size, dtype=None, device=None, requires_grad=False):
    """Standard normal samples, from the generator ``manual_seed`` seeds."""
    check_device(device, "randn")
    array = generator().standard_normal(_size(size, "randn")).astype(_float_dtype(dtype, "randn"))
    return _finish(array, requires_grad)


def randint(low, high=None, size=(), dtype=None, device=None):
    """Integers in [low, high) of shape ``size`` (int64)."""
    check_device(device, "randint")
    if high is None:
        low, high = 0, low
    return Tensor._make(generator().integers(low, high, size=_size((size,), "randint")).astype(to_dtype(dtype or np.int64, "randint")))


def randperm(n, device=None):
    """A random permutation of 0..n-1 (int64)."""
    check_device(device, "randperm")
    return Tensor._make(generator().permutation(n).astype(np.int64))


def _like(fn, name):
    def like(input, dtype=None, device=None, requires_grad=False):
        check_device(device, name)
        return fn(*input.shape, dtype=input.dtype if dtype is None else dtype, requires_grad=requires_grad)

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
