"""Ways to make a Tensor: from data, constant fills, ranges and random draws."""
import numpy as np

from .device import check_device
from .dtypes import DEFAULT_FLOAT, as_array, to_dtype
from .random import generator
from .tensor import Tensor


def tensor(data, dtype=None, device=None, requires_grad=False):
    """A new leaf tensor holding a copy of ``data`` (numbers, nested lists, an ndarray or a Tensor).

    Python floats become float32; an ndarray keeps its dtype (float64 stays float64).
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
    """A tensor of shape ``size`` filled with ``fill_value`` (dtype inferred from it like PyTorch)."""
    check_device(device, "full")
    if dtype is None:
        dtype = as_array(fill_value, op="full").dtype
    return _finish(np.full(_size((size,), "full"), fill_value, to_dtype(dtype, "full")), requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    """Values start, start + step, ... below ``end`` (int64 for int arguments, else float32)."""
    check_device(device, "arange")
    if end is None:
        start, end = 0, start
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
    return _finish(np.eye(n, m, dtype=_float_dtype(dtype, "eye")), requires_grad)


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
