"""The vocabulary of backward formulas: functions that take ndarrays or Tensors and give the same kind.

A built-in op (:class:`autograd.function.Op`) writes its backward once, with Python's operators,
``.shape``/``.ndim``/``.dtype``/``.reshape``/``.T``/indexing (which ndarrays and Tensors both have)
and the functions below. The engine runs that one formula on ndarrays for a plain ``backward()``
(nothing to record, so no Tensor is made) and on Tensors under ``create_graph=True``, where each
function below records the Function it stands for, so the gradient is itself differentiable.

Each function looks at its first array-like argument: a Tensor selects the recorded form.
"""
import numpy as np

from .. import ops
from ..tensor import Tensor
from .common import constant, select_array


def sum_to(x, shape):
    """Undo broadcasting: sum ``x`` over the axes that broadcasting to its shape added or stretched.

    Every op that broadcasts its inputs passes their gradients through here (no-op when shapes agree).
    """
    if x.shape == shape:
        return x
    if isinstance(x, Tensor):
        return ops.shape.SumTo.apply(x, shape)
    return sum_to_array(x, shape)


def sum_to_array(a, shape):
    """``sum_to`` of an ndarray (the computation ``SumTo`` records)."""
    lead = a.ndim - len(shape)
    if lead == 1 and a.shape[1:] == shape:  # a bias's gradient: sum over the batch
        return sum_array(a, 0)
    axes = list(range(lead))
    for i, size in enumerate(shape):
        if size == 1 and a.shape[lead + i] != 1:
            axes.append(lead + i)
    out = np.add.reduce(a, axis=tuple(axes))
    return out if out.shape == shape else np.reshape(out, shape)


def broadcast_to(x, shape):
    """``x`` broadcast to ``shape`` (a read-only view for arrays).   Adjoint of ``sum_to``."""
    if isinstance(x, Tensor):
        return x if x.shape == shape else ops.shape.Expand.apply(x, shape)
    if x.size == 1 and x.ndim <= len(shape):
        # One value (the gradient of a full reduction): every stride 0, over a read-only copy of its
        # bytes. np.broadcast_to costs 4 us in Python for this.
        return np.ndarray(shape, x.dtype, x.tobytes(), 0, (0,) * len(shape))
    return np.broadcast_to(x, shape)


def sum(x, axes, keepdims=False):
    """Sum over ``axes`` (an int, a tuple, or None for all)."""
    if isinstance(x, Tensor):
        return ops.reduce.Sum.apply(x, (axes,) if isinstance(axes, int) else axes, keepdims)
    return sum_array(x, axes, keepdims)


def sum_array(a, axes, keepdims=False):
    """``sum`` of an ndarray. Over the rows or the columns of a float32/float64 matrix it is a product
    with a vector of ones: BLAS does it 2-3x faster than numpy's reduction (a bias's gradient, the
    row sums of softmax), summing in another order."""
    if a.ndim == 2 and a.dtype.char in "fd":
        if axes == 0 or axes == (0,):
            total = _ones(a.shape[0], a.dtype) @ a
            return total.reshape((1, -1)) if keepdims else total
        if axes == 1 or axes == (1,):
            total = a @ _ones(a.shape[1], a.dtype)
            return total.reshape((-1, 1)) if keepdims else total
    return np.add.reduce(a, axis=axes, keepdims=keepdims)


def _ones(n, dtype):
    """A read-only vector of ``n`` ones."""
    return constant(("ones", n, dtype.char), lambda: np.ones(n, dtype))


def permute(x, dims):
    """``x`` with its dims reordered: output dim i is input dim ``dims[i]``."""
    if isinstance(x, Tensor):
        return ops.shape.Permute.apply(x, dims)
    return np.transpose(x, dims)


def swap_last_two(x):
    """``x`` with its last two dims swapped (the batched transpose)."""
    return permute(x, tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def cast(x, dtype):
    """``x`` converted to the floating ``dtype``."""
    if isinstance(x, Tensor):
        return ops.shape.Cast.apply(x, dtype)
    return np.asarray(x).astype(dtype)


def exp(x):
    """e ** x."""
    return ops.elementwise.Exp.apply(x) if isinstance(x, Tensor) else np.exp(x)


def log(x):
    """Natural logarithm."""
    return ops.elementwise.Log.apply(x) if isinstance(x, Tensor) else np.log(x)


def sin(x):
    """Sine."""
    return ops.elementwise.Sin.apply(x) if isinstance(x, Tensor) else np.sin(x)


def cos(x):
    """Cosine."""
    return ops.elementwise.Cos.apply(x) if isinstance(x, Tensor) else np.cos(x)


def sqrt(x):
    """Square root."""
    return ops.elementwise.Sqrt.apply(x) if isinstance(x, Tensor) else np.sqrt(x)


def sinh(x):
    """Hyperbolic sine."""
    return ops.elementwise.Sinh.apply(x) if isinstance(x, Tensor) else np.sinh(x)


def cosh(x):
    """Hyperbolic cosine."""
    return ops.elementwise.Cosh.apply(x) if isinstance(x, Tensor) else np.cosh(x)


def erf(x):
    """The error function, 2/sqrt(pi) * integral_0^x exp(-t^2) dt."""
    if isinstance(x, Tensor):
        return ops.special.Erf.apply(x)
    return ops.special.erf_array(x).astype(x.dtype, copy=False)


def xlogy(x, y):
    """x * log(y), 0 where x = 0 unless y is NaN (``x`` the Tensor or array, ``y`` too or a number)."""
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        return ops.special.Xlogy.apply(*ops.common.floating_operands(x, y, "xlogy"))
    return ops.special.xlogy_array(x, y)


def sigmoid(x):
    """1 / (1 + exp(-x))."""
    return ops.elementwise.Sigmoid.apply(x) if isinstance(x, Tensor) else ops.elementwise.sigmoid_array(x)


def sign(x):
    """-1, 0 or 1, and 0 at NaN as in PyTorch (not differentiable: a constant wherever it is defined)."""
    return ops.elementwise.Sign.apply(x) if isinstance(x, Tensor) else ops.elementwise.sign_array(x)


def threshold_backward(grad, x):
    """relu's gradient: ``grad`` where ``x > 0`` or ``x`` is NaN, 0 where ``x <= 0`` (PyTorch's
    ``threshold_backward(grad, x, 0)``).

    On Tensors it is recorded as a function of ``x`` too, of derivative 0 (``ThresholdBackward``): the
    gradient of a gradient through relu reaches ``x`` (as zeros), as in PyTorch.
    """
    if isinstance(grad, Tensor) or isinstance(x, Tensor):
        return ops.elementwise.ThresholdBackward.apply(grad, x)
    return grad * ops.elementwise.relu_mask(x)


def leaky_relu_backward(grad, x, negative_slope):
    """leaky_relu's gradient: ``grad`` where ``x > 0``, else ``negative_slope * grad`` (NaN included, as
    PyTorch's ``leaky_relu_backward``). Recorded on Tensors as a function of ``x`` too (derivative 0)."""
    if isinstance(grad, Tensor) or isinstance(x, Tensor):
        return ops.elementwise.LeakyReLUBackward.apply(grad, x, negative_slope)
    return select_array(x > 0, grad, grad * negative_slope)


def zeros_like(x):
    """Zeros of ``x``'s shape and dtype: a constant (a Tensor that records nothing, for a Tensor)."""
    if isinstance(x, Tensor):
        return Tensor._make(np.zeros(x._array.shape, x._array.dtype))
    return np.zeros(x.shape, x.dtype)


def flip(x, dims):
    """``x`` with the order of its elements reversed along each of ``dims``."""
    return ops.shape.Flip.apply(x, dims) if isinstance(x, Tensor) else np.flip(x, dims)


def cumsum(x, dim):
    """Running sum along ``dim``."""
    return ops.scan.Cumsum.apply(x, dim) if isinstance(x, Tensor) else np.cumsum(x, axis=dim)


def floor(x):
    """floor(x), as a constant: its derivative is 0 wherever it is defined, so nothing is recorded."""
    return Tensor._make(np.floor(x._array)) if isinstance(x, Tensor) else np.floor(x)


def trunc(x):
    """trunc(x) (rounded toward zero), as a constant: its derivative is 0 wherever it is defined."""
    return Tensor._make(np.trunc(x._array)) if isinstance(x, Tensor) else np.trunc(x)


def zero_gradient(grad):
    """The gradient of a step function (floor, round, ...): zeros of ``grad``'s shape and dtype, exactly 0
    even where ``grad`` is inf or NaN (PyTorch's ``zeros_like(grad)``).

    On a Tensor it is recorded as an op of ``grad`` (``ZeroGradient``, of derivative 0), so that a
    gradient taken with create_graph stays connected to the upstream gradient.
    """
    if isinstance(grad, Tensor):
        return ops.elementwise.ZeroGradient.apply(grad)
    return np.zeros(grad.shape, grad.dtype)


def clamp(x, low=None, high=None):
    """``x`` limited to [low, high] (either bound may be None)."""
    if isinstance(x, Tensor):
        return ops.elementwise.Clamp.apply(x, low, high)
    return np.clip(x, low, high)


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b``; ``a`` or ``b`` may be a number."""
    if isinstance(a, Tensor) or isinstance(b, Tensor):
        if not isinstance(condition, Tensor):
            condition = Tensor._make(np.asarray(condition))
        return ops.elementwise.Where.apply(condition, a, b)
    return select_array(np.asarray(_array(condition)), a, b)


def index_add(x, index, shape):
    """zeros(shape) with ``x`` added at ``index`` (repeated positions accumulate).   Adjoint of ``x[index]``."""
    if isinstance(x, Tensor):
        return ops.index.IndexAdd.apply(x, index, shape)
    return ops.index.index_add_array(x, index, shape)


def gather(x, dim, index):
    """out[i][j] = x[i][index[i][j]] for dim=1 (likewise for any dim); ``index`` an int ndarray."""
    if isinstance(x, Tensor):
        return ops.index.Gather.apply(x, dim, index)
    return ops.index.gather_array(x, dim, index)


def scatter_add(x, dim, index, shape):
    """zeros(shape) with ``x`` added at ``index`` along ``dim``.   Adjoint of ``gather``."""
    if isinstance(x, Tensor):
        return ops.index.ScatterAdd.apply(x, dim, index, shape)
    return ops.index.scatter_add_array(x, dim, index, shape)


def column_major(x):
    """True if the matrix ``x`` (an ndarray or a Tensor) is stored column by column (a transpose's layout)."""
    flags = _array(x).flags
    return flags.f_contiguous and not flags.c_contiguous


def _array(x):
    return x._array if isinstance(x, Tensor) else x


# ------------------------------------------------ products, diagonals and scans (ops/linalg.py, reduce.py, scan.py)
def einsum(equation, *operands):
    """``np.einsum`` of an explicit ``equation`` over letters only (``"ij,jk->ik"``: the form
    ``ops.linalg.einsum`` writes every equation in); recorded (``Einsum``) when an operand is a Tensor,
    the ndarrays among them then being constants."""
    if any(isinstance(x, Tensor) for x in operands):
        tensors = [x if isinstance(x, Tensor) else Tensor._make(np.asarray(x)) for x in operands]
        return ops.linalg.Einsum.apply(equation, *tensors)
    return ops.linalg.einsum_array(equation, operands)


def diagonal(x, offset, dim1, dim2):
    """The diagonal ``offset`` of ``x`` in the plane of dims ``dim1``/``dim2`` (non-negative), as its last dim."""
    if isinstance(x, Tensor):
        return ops.linalg.Diagonal.apply(x, offset, dim1, dim2)
    return np.diagonal(x, offset, dim1, dim2)


def diagonal_scatter(x, shape, offset, dim1, dim2):
    """zeros(shape) with ``x`` on its diagonal ``offset`` of dims ``dim1``/``dim2``.   Adjoint of ``diagonal``."""
    if isinstance(x, Tensor):
        return ops.linalg.DiagonalScatter.apply(x, shape, offset, dim1, dim2)
    return ops.linalg.diagonal_scatter_array(x, shape, offset, dim1, dim2)


def cumprod(x, dim):
    """Running product along ``dim``."""
    return ops.scan.Cumprod.apply(x, dim) if isinstance(x, Tensor) else np.cumprod(x, axis=dim)


def logcumsumexp(x, dim):
    """log(cumsum(exp(x))) along ``dim``, without overflow."""
    return ops.scan.LogCumSumExp.apply(x, dim) if isinstance(x, Tensor) else np.logaddexp.accumulate(x, axis=dim)
