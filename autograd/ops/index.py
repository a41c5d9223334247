"""Indexing: ``x[index]``, ``gather`` and their adjoints (scatter-add), each the other's gradient."""
import collections
import numbers

import numpy as np

from .. import grad_mode
from ..function import Op
from ..tensor import Tensor
from . import formula
from .common import dim_alias, normalize_dim, positions, required_dim


class GetItem(Op):
    """x[index] (numpy's basic and advanced indexing).

    d/dx: the output's gradient is added back at the indexed positions;
    repeated indices accumulate.
    """

    returns_view = True

    @staticmethod
    def forward(ctx, x, index):
        ctx.shape, ctx.index = x.shape, index
        return x._array[index]

    @staticmethod
    def backward(ctx, grad):
        return formula.index_add(grad, ctx.index, ctx.shape), None


class IndexAdd(Op):
    """zeros(shape) with ``grad`` added at ``index`` (GetItem's adjoint).   d/dgrad = grad_out[index]."""

    @staticmethod
    def forward(ctx, grad, index, shape):
        ctx.index = index
        return index_add_array(grad._array, index, shape)

    @staticmethod
    def backward(ctx, grad):
        return grad[ctx.index], None, None


class Gather(Op):
    """out[i][j] = x[i][index[i][j]] (for dim=1; likewise for any dim).

    d/dx: the output's gradient is scattered back, adding where indices repeat.
    """

    @staticmethod
    def forward(ctx, x, dim, index):
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        return gather_array(x._array, dim, index)

    @staticmethod
    def backward(ctx, grad):
        return formula.scatter_add(grad, ctx.dim, ctx.index, ctx.shape), None, None


class ScatterAdd(Op):
    """zeros(shape) with ``grad`` added at ``index`` along ``dim`` (Gather's adjoint).   d/dgrad = gather."""

    @staticmethod
    def forward(ctx, grad, dim, index, shape):
        ctx.dim, ctx.index = dim, index
        return scatter_add_array(grad._array, dim, index, shape)

    @staticmethod
    def backward(ctx, grad):
        return formula.gather(grad, ctx.dim, ctx.index), None, None, None


def index_add_array(a, index, shape):
    """zeros(shape) with ndarray ``a`` added at ``index`` (repeated positions accumulate)."""
    out = np.zeros(shape, dtype=a.dtype)
    if _is_basic(index):
        out[index] = a
    else:
        np.add.at(out, index, a)
    return out


def gather_array(a, dim, index):
    """``gather`` of an ndarray: out[i][j] = a[i][index[i][j]] for dim=1, and so on."""
    return a[_along(index, dim)]


def scatter_add_array(a, dim, index, shape):
    """zeros(shape) with ndarray ``a`` added at ``index`` along ``dim`` (``gather``'s adjoint)."""
    out = np.zeros(shape, dtype=a.dtype)
    at = _along(index, dim)
    if index.shape[dim] == 1:  # one pick per row (classification targets): no position repeats
        out[at] = a
    else:
        np.add.at(out, at, a)
    return out


def _along(index, dim):
    """The numpy index that pairs each entry of ``index`` (a position along ``dim``) with the entry's
    own position in the other dims. Those stay within ``index``'s shape, which gather allows to be
    smaller than the input's."""
    if index.ndim == 2 and dim == 1:
        return positions(index.shape[0])[:, None], index
    grid = list(np.indices(index.shape, sparse=True))
    grid[dim] = index
    return tuple(grid)


def _is_basic(index):
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (slice, numbers.Integral)) for p in parts)


def _normalize_index(index):
    """Tensors and lists inside an index become ndarrays; bool/int arrays are checked."""
    parts = index if isinstance(index, tuple) else (index,)
    converted = []
    for part in parts:
        if isinstance(part, Tensor):
            part = part._array
        elif isinstance(part, (list, np.ndarray)):
            part = np.asarray(part)
            if part.size == 0 and part.dtype.kind == "f":  # numpy's dtype for [], which PyTorch reads as no indices
                part = part.astype(np.int64)
        if isinstance(part, np.ndarray):
            if part.dtype.kind not in "biu":
                raise IndexError(f"tensors used as indices must be long, int, byte or bool tensors, got dtype {part.dtype}")
        elif not (part is None or part is Ellipsis or isinstance(part, (slice, numbers.Integral, np.integer))):
            raise IndexError(f"index: unsupported index element {part!r} of type {type(part).__name__}")
        converted.append(part)
    return tuple(converted) if isinstance(index, tuple) or len(converted) != 1 else converted[0]


def _select_first(index, ndim):
    """Split an index that mixes integers with index arrays into (the integers, the rest), or None.

    numpy counts an integer as an advanced index, so ``x[0, :, [2, 3]]`` of a (2, 3, 4) array has
    shape (2, 3); PyTorch selects with the integers first and gives (3, 2). Indexing with the first
    part (integers and full slices: a view) and then with the second reproduces PyTorch.
    """
    parts = index if isinstance(index, tuple) else (index,)
    is_int = [isinstance(p, (numbers.Integral, np.integer)) and not isinstance(p, (bool, np.bool_)) for p in parts]
    if not any(is_int) or not any(isinstance(p, np.ndarray) for p in parts):
        return None
    width = [p.ndim if isinstance(p, np.ndarray) and p.dtype == np.bool_ else 0 if p is None or p is Ellipsis else 1
             for p in parts]
    first, rest = [], []
    for part, integer, dims in zip(parts, is_int, width):
        if part is Ellipsis:
            first.extend([slice(None)] * (ndim - sum(width)))
            rest.extend([slice(None)] * (ndim - sum(width)))
        elif integer:
            first.append(part)
        elif part is None:
            rest.append(part)
        else:
            first.extend([slice(None)] * dims)
            rest.append(part)
    return tuple(first), tuple(rest)


def getitem(input, index):
    """``input[index]``: slices, ints, None, ..., int arrays and bool masks, like PyTorch."""
    if not _ints_and_slices(index):  # (those need no conversion, and numpy reads them as PyTorch does)
        index = _normalize_index(index)
        split = _select_first(index, input.ndim)
        if split is not None:
            return getitem(getitem(input, split[0]), split[1])
    try:
        return GetItem.apply(input, index)
    except IndexError as error:  # raised by numpy in the op's forward, before anything is recorded
        raise IndexError(f"getitem: {error} (indexing a tensor of shape {tuple(input.shape)})") from None


def _ints_and_slices(index):
    """True for an int, a slice, or a tuple of them (not bools): the commonest indices."""
    kind = type(index)
    if kind is int or kind is slice:
        return True
    if kind is not tuple:
        return False
    for part in index:
        if type(part) is not int and type(part) is not slice:
            return False
    return True


def setitem(input, index, value):
    """``input[index] = value``, in place. Not recorded in the graph: allowed on tensors that do not
    require grad, or under ``no_grad``."""
    if grad_mode.is_grad_enabled() and (input.requires_grad or (isinstance(value, Tensor) and value.requires_grad)):
        raise RuntimeError(
            "setitem: index assignment into or from a tensor that requires grad is not recorded in the graph; "
            "build the result with autograd.where or autograd.cat, or assign inside `with autograd.no_grad():`"
        )
    index = _normalize_index(index)
    source = value._array if isinstance(value, Tensor) else value
    target = input._array
    split = _select_first(index, input.ndim)
    try:
        if split is not None:
            target, index = target[split[0]], split[1]  # a view: writing into it writes into input
        target[index] = source
    except IndexError as error:
        raise IndexError(f"setitem: {error} (indexing a tensor of shape {tuple(input.shape)})") from None
    except ValueError as error:
        raise RuntimeError(f"setitem: cannot assign a value of shape {np.shape(source)} to the selection: {error}") from None
    input._bump_version()


# Each integer dtype (either byte order) -> the unsigned dtype of its size and byte order, and the least
# value a negative number shows as in it (2**(bits - 1); none for an unsigned dtype, so 2**bits).
_UNSIGNED_VIEW = {
    np.dtype(order + kind + str(size)): (np.dtype(order + "u" + str(size)), 2 ** (8 * size - (kind == "i")))
    for order in "<>" for kind in "iu" for size in (1, 2, 4, 8)
}


def all_below(index, bound):
    """True when every entry of the integer ndarray ``index`` is in [0, bound).

    One look at the largest entry seen as unsigned, instead of min() and max(): a negative entry shows
    as at least 2**(bits - 1). argmax and item() cost a fraction of a reduction's set-up.
    """
    if not index.size:
        return True
    unsigned_dtype, negative_from = _UNSIGNED_VIEW[index.dtype]
    unsigned = index.view(unsigned_dtype)
    return unsigned.item(unsigned.argmax()) < min(bound, negative_from)


def gather(input, dim=None, index=None, *, axis=None):
    """Pick values along ``dim`` (``axis`` also names it) by ``index`` (an integer tensor with input's number
    of dims); both are required."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "gather")
    if index is None:
        raise TypeError("gather() missing 1 required argument: 'index'")
    shape = input._array.shape
    ndim = len(shape)
    dim = normalize_dim(dim, ndim, "gather")
    index = index._array if isinstance(index, Tensor) else np.asarray(index)
    if index.dtype.kind not in "iu":
        raise RuntimeError(f"gather(): Expected dtype int64 for index, got {index.dtype}")
    if index.ndim != ndim:
        raise RuntimeError(f"gather: Index tensor must have the same number of dimensions as input tensor ({index.ndim} vs {ndim})")
    if ndim == 0:  # PyTorch treats a 0-d tensor as its one element along dim 0
        return gather(input.reshape(1), 0, index.reshape(1)).reshape(())
    for d, (size, bound) in enumerate(zip(index.shape, shape)):
        if d != dim and size > bound:
            raise RuntimeError(
                f"gather: Size does not match at dimension {d} expected index {list(index.shape)} to be smaller "
                f"than self {list(shape)} apart from dimension {dim}"
            )
    size = shape[dim]
    if not all_below(index, size):  # (PyTorch has no negative indices here)
        bad = index[(index < 0) | (index >= size)].flat[0]
        raise RuntimeError(f"gather: index {bad} is out of bounds for dimension {dim} with size {size}")
    return Gather.apply(input, dim, index)


SortResult = collections.namedtuple("sort", ["values", "indices"])
TopkResult = collections.namedtuple("topk", ["values", "indices"])


def argsort(input, dim=-1, descending=False, *, stable=False, axis=None):
    """Indices that sort ``input`` along ``dim`` (``axis`` also names it); int64. The sort is always stable
    (ties keep their order), so ``stable`` changes nothing."""
    if axis is not None:
        dim = dim_alias(dim, axis, "argsort", -1)
    dim = normalize_dim(dim, input.ndim, "argsort")
    a = input._array
    if a.ndim == 0:
        return Tensor._make(np.zeros((), dtype=np.int64))
    keys = -a if descending and a.dtype != np.bool_ else (~a if descending else a)
    if descending and a.dtype.kind == "f":
        nan = np.isnan(a)
        if nan.any():  # NaN counts as the largest value (PyTorch): first when descending (numpy puts it last)
            return Tensor._make(np.lexsort((keys, ~nan), axis=dim).astype(np.int64, copy=False))
    return Tensor._make(np.argsort(keys, axis=dim, kind="stable").astype(np.int64, copy=False))


def sort(input, dim=-1, descending=False, stable=False, *, axis=None):
    """``(values, indices)`` sorted along ``dim`` (``axis`` also names it; always stable); the values'
    gradient goes back to where each came from."""
    if axis is not None:
        dim = dim_alias(dim, axis, "sort", -1)
    indices = argsort(input, dim, descending)
    if input.ndim == 0:
        return SortResult(input, indices)
    return SortResult(gather(input, dim, indices), indices)


def topk(input, k, dim=-1, largest=True, sorted=True, *, axis=None):
    """The ``k`` largest (or smallest) values along ``dim`` (``axis`` also names it) and their indices;
    gradient to the chosen ones."""
    if axis is not None:
        dim = dim_alias(dim, axis, "topk", -1)
    dim = normalize_dim(dim, input.ndim, "topk")
    size = input.shape[dim] if input.ndim else 1
    if not 0 <= k <= size:
        raise RuntimeError(f"topk: selected index k={k} is out of range for dimension {dim} of size {size}")
    order = argsort(input, dim, descending=largest)
    if input.ndim == 0:
        return TopkResult(input, order)
    indices = Tensor._make(np.take(order._array, np.arange(k), axis=dim))
    return TopkResult(gather(input, dim, indices), indices)
