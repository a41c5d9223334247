"""Ways to make a Tensor: from data, constant fills, ranges and random draws."""
import numpy as np

from .device import check_device
from .dtypes import DEFAULT_FLOAT, as_array, to_dtype
from . import random
from .function import Op
from .ops import common as _common
from .ops import formula
from .random import generator
from .tensor import Tensor, contiguous_format, preserve_format  # noqa: F401 (exported by autograd)


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
_FLOAT_KERNELS = {"rand": "check_uniform_bounds", "randn": "normal_kernel_cpu", "normal": "normal_kernel_cpu"}
_TORCH_TYPE_NAMES = random.TORCH_TYPE_NAMES


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
empty_like = _like(empty, "empty_like")
ones_like = _like(ones, "ones_like")
rand_like = _like(rand, "rand_like")
randn_like = _like(randn, "randn_like")


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    """``full`` with ``input``'s shape and dtype."""
    check_device(device, "full_like")
    return full(input.shape, fill_value, dtype=input.dtype if dtype is None else dtype, requires_grad=requires_grad)


# ----------------------------------------------------------- draws given tensors of parameters
class Bernoulli(Op):
    """Draws: 1 with probability p, else 0, elementwise, in p's dtype.   d/dp = 0: the draw is not a
    differentiable function of p, and PyTorch's gradient is zeros (recorded, so ``backward`` runs)."""

    @staticmethod
    def forward(ctx, p):
        return random.bernoulli(p._array, p.shape).astype(p.dtype)

    @staticmethod
    def backward(ctx, grad):
        return grad * 0.0


class Normal(Op):
    """Draws from N(mean, std^2), elementwise over the broadcast shape of ``mean`` and ``std`` (tensors or
    numbers), in ``dtype``.   d/dmean = d/dstd = 0, as in PyTorch (no reparameterization: for that, write
    ``mean + std * randn_like(mean)``)."""

    @staticmethod
    def forward(ctx, mean, std, dtype):
        m = mean._array if isinstance(mean, Tensor) else mean
        s = std._array if isinstance(std, Tensor) else std
        ctx.layouts = [(x.shape, x.dtype) if isinstance(x, Tensor) else None for x in (mean, std)]
        shape = np.broadcast_shapes(np.shape(m), np.shape(s))
        return np.asarray(random.normal(m, s, shape)).astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        zero = grad * 0.0
        grads = []
        for layout, needed in zip(ctx.layouts, ctx.needs_input_grad):
            if layout is None or not needed:
                grads.append(None)
                continue
            shape, dtype = layout
            g = formula.sum_to(zero, shape)
            grads.append(g if g.dtype == dtype else formula.cast(g, dtype))
        return grads[0], grads[1], None


def _tensor_argument(value, op, name="input"):
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position 1) must be Tensor, not {type(value).__name__}")


def bernoulli(input, p=None):
    """Draws of 0 and 1 (1 with probability ``input[i]``, each in [0, 1]), in ``input``'s floating dtype;
    with ``p`` (a number), of probability ``p`` everywhere, in ``input``'s shape and dtype.

    Recorded when ``input`` requires grad, of gradient zero (as in PyTorch: a draw is not differentiable).
    """
    _tensor_argument(input, "bernoulli")
    if p is not None:
        return Tensor._make(np.zeros(input.shape, input.dtype)).bernoulli_(p)
    if input.dtype.kind != "f":
        raise NotImplementedError(
            f'bernoulli(): "bernoulli_tensor_cpu_p_" not implemented for {_TORCH_TYPE_NAMES[input.dtype.name]!r}: '
            f"the probabilities must be floating point, not {input.dtype}"
        )
    a = input._array
    if a.size and not ((a >= 0) & (a <= 1)).all():
        raise RuntimeError(
            "bernoulli(): Expected p_in >= 0 && p_in <= 1 to be true, but got false (every probability in "
            f"input must lie in [0, 1]; got values from {np.nanmin(a) if not np.isnan(a).all() else a.min()} "
            f"to {np.nanmax(a) if not np.isnan(a).all() else a.max()}{', and NaN' if np.isnan(a).any() else ''})"
        )
    return Bernoulli.apply(input)


def normal(mean, std=1.0, size=None, *, dtype=None, device=None, requires_grad=False):
    """Draws from N(mean, std^2), in PyTorch's forms: ``normal(mean_tensor, std_tensor)`` (shapes
    broadcast), ``normal(mean_tensor, std=1.0)``, ``normal(mean, std_tensor)``, and
    ``normal(mean, std, size)`` with numbers (float32 unless ``dtype``; ``requires_grad`` allowed there).

    With a tensor argument the result has the mean tensor's dtype (else the std tensor's), which must be
    floating; it is recorded when an argument requires grad, of gradient zero, as in PyTorch.
    """
    check_device(device, "normal")
    tensors = isinstance(mean, Tensor) or isinstance(std, Tensor)
    if not tensors:
        if size is None:
            raise TypeError(
                "normal(): with a number mean and std, size is required: normal(mean, std, size) "
                f"(got mean={mean!r}, std={std!r})"
            )
        if not std >= 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
        dtype = _random_float_dtype(dtype, "normal")
        return _finish(np.asarray(random.normal(mean, std, _size((size,), "normal"))).astype(dtype), requires_grad)
    if size is not None or dtype is not None or requires_grad:
        raise TypeError(
            "normal(): size, dtype and requires_grad go with a number mean and std only "
            "(with a tensor, the result takes its shape and dtype)"
        )
    first = mean if isinstance(mean, Tensor) else std
    if first.dtype.kind != "f":
        raise NotImplementedError(
            f'normal(): "normal_kernel_cpu" not implemented for {_TORCH_TYPE_NAMES[first.dtype.name]!r}: '
            f"the {'mean' if first is mean else 'std'} tensor must be floating point, not {first.dtype}"
        )
    if isinstance(std, Tensor):
        if std.numel() and not (std._array >= 0).all():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not std >= 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std}")
    if isinstance(mean, Tensor) and isinstance(std, Tensor):
        _common.check_broadcast(mean.shape, std.shape, "normal")
    return Normal.apply(mean, std, first.dtype)


def multinomial(input, num_samples, replacement=False):
    """``num_samples`` indices of categories drawn with probabilities proportional to the weights
    ``input`` (1-d, or 2-d: one draw per row), int64. Without ``replacement`` each category is drawn at
    most once (categories of weight 0 only after all the others)."""
    _tensor_argument(input, "multinomial")
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial(): argument 'num_samples' (position 2) must be int, not {type(num_samples).__name__}")
    if input.ndim not in (1, 2):
        raise RuntimeError(f"multinomial: prob_dist must be 1 or 2 dim, got shape {tuple(input.shape)}")
    if input.dtype.kind != "f":
        raise RuntimeError(
            f"multinomial only supports floating-point dtypes for input, got: {_TORCH_TYPE_NAMES[input.dtype.name]}"
        )
    if num_samples <= 0:
        raise RuntimeError(f"multinomial: cannot sample n_sample <= 0 samples (got num_samples={num_samples})")
    n = input.shape[-1]
    if not replacement and num_samples > n:
        raise RuntimeError(
            f"multinomial: cannot sample n_sample > prob_dist.size(-1) samples without replacement "
            f"({num_samples} > {n})"
        )
    rows = input.shape[0] if input.ndim == 2 else 1
    probs = input._array.reshape(rows, n).astype(np.float64)  # (not -1: n may be 0)
    if not (np.isfinite(probs) & (probs >= 0)).all():
        raise RuntimeError("multinomial: probability tensor contains either `inf`, `nan` or element < 0")
    if rows and n == 0:
        raise RuntimeError(
            f"multinomial: invalid multinomial distribution (sum of probabilities <= 0): prob_dist of shape "
            f"{tuple(input.shape)} has no categories to draw from"
        )
    if rows and not (probs.sum(axis=1) > 0).all():
        raise RuntimeError("multinomial: invalid multinomial distribution (sum of probabilities <= 0) in some row")
    if not rows:  # no rows, no draws (PyTorch gives shape (0, num_samples))
        return Tensor._make(np.empty((0, int(num_samples)), dtype=np.int64))
    out = random.multinomial(probs, int(num_samples), bool(replacement))
    return Tensor._make(out.reshape(num_samples) if input.ndim == 1 else out)

