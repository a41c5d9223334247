"""Indexing: ``x[index]``, ``gather`` and their adjoints (scatter-add), each the other's gradient; and
PyTorch's selecting (index_select, take, select, ...), scattering (scatter, index_add, ...) and searching
(nonzero, unique) ops."""
import collections
import numbers
import operator

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


# =============================================================== selecting, scattering, searching
_INT32_OR_64 = (np.dtype(np.int32), np.dtype(np.int64))
_INT64_ONLY = (np.dtype(np.int64),)


def _index_array(index, op, allowed, name="index", error=RuntimeError):
    """The int ndarray behind an index argument (a Tensor, an ndarray, a list or an int), of a dtype in
    ``allowed`` (PyTorch's rule for ``op``), else PyTorch's ``error`` naming ``op`` and the dtype."""
    if isinstance(index, Tensor):
        array = index._array
    elif isinstance(index, (np.ndarray, list, tuple)) or (
        isinstance(index, numbers.Integral) and not isinstance(index, bool)
    ):
        array = np.asarray(index)
        if array.size == 0 and array.dtype.kind == "f":  # [] means no indices
            array = array.astype(np.int64)
        elif array.dtype.kind in "iu" and array.dtype not in allowed:  # a list of ints: int64, as PyTorch reads it
            array = array.astype(np.int64)
    else:
        raise TypeError(f"{op}(): argument '{name}' must be Tensor, not {type(index).__name__}")
    if array.dtype not in allowed:
        kinds = " or ".join(str(d) for d in allowed)
        raise error(f"{op}(): Expected dtype {kinds} for {name}, but got {array.dtype}")
    return array


def _in_bounds(index, size, op, dim, error=RuntimeError, negative=False):
    """``index`` with every entry checked to lie in [0, size) (in [-size, size) if ``negative``, then
    wrapped into [0, size)); else ``error`` naming ``op``, the entry, the dim and its size."""
    if not negative:
        if all_below(index, size):
            return index
        bad = index[(index < 0) | (index >= size)].flat[0]
    else:
        outside = (index < -size) | (index >= size)
        if not outside.any():
            return np.where(index < 0, index + size, index) if (index < 0).any() else index
        bad = index[outside].flat[0]
    raise error(f"{op}(): index {bad} is out of bounds for dimension {dim} with size {size}")


def _vector_index(index, op, allowed, error=IndexError):
    """A 0-d or 1-d index, as a 1-d array."""
    array = _index_array(index, op, allowed)
    if array.ndim > 1:
        raise error(f"{op}(): Index is supposed to be a vector, but got dim: {array.ndim} (shape {list(array.shape)})")
    return array.reshape(-1)


def _along_dim(dim, index):
    """The numpy index that picks ``index`` (a 1-d array) along ``dim`` and everything along the other dims."""
    return (slice(None),) * dim + (index,)


def _other_tensor(x, op, name, position):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, np.ndarray):
        return Tensor._make(x)
    raise TypeError(f"{op}(): argument '{name}' (position {position}) must be Tensor, not {type(x).__name__}")


def index_select(input, dim, index, *, axis=None):
    """The entries of ``input`` at positions ``index`` (a 1-d int32/int64 tensor) along ``dim``, in that
    order (repeats allowed): ``input[:, index]`` for dim 1.   d/dinput: the gradient is added back at those
    positions, repeated indices accumulating."""
    if axis is not None:
        dim = dim_alias(dim, axis, "index_select")
    dim = normalize_dim(dim, input.ndim, "index_select")
    index = _vector_index(index, "index_select", _INT32_OR_64)
    if input.ndim == 0:
        if index.size != 1:
            raise RuntimeError(f"index_select(): Index to scalar can have only 1 value, got {index.size} value(s)")
        _in_bounds(index, 1, "index_select", 0, IndexError)
        return input.clone()
    index = _in_bounds(index, input.shape[dim], "index_select", dim, IndexError)
    return GetItem.apply(input, _along_dim(dim, index))


def masked_select(input, mask):
    """The entries of ``input`` where the bool ``mask`` is True (the two broadcast), as a 1-d tensor in
    row-major order.   d/dinput: the gradient goes back to the selected entries (summed over broadcast dims)."""
    from .common import check_broadcast

    mask = _other_tensor(mask, "masked_select", "mask", 2)
    if mask.dtype != np.bool_:
        raise RuntimeError(f"masked_select: expected BoolTensor for mask, got dtype {mask.dtype}")
    check_broadcast(input.shape, mask.shape, "masked_select")
    shape = np.broadcast_shapes(input.shape, mask.shape)
    x = input if input.shape == shape else input.expand(shape)
    chosen = mask._array if mask.shape == shape else np.broadcast_to(mask._array, shape)
    return GetItem.apply(x, chosen)


class Scatter(Op):
    """x with ``src`` written at ``index`` along ``dim`` (out[i][index[i][j]] = src[i][j] for dim 1), or
    with the number ``src`` there.

    d/dx = grad where nothing was written, 0 where something was;  d/dsrc = grad gathered at ``index``
    (PyTorch's rule, repeated positions included).
    """

    @staticmethod
    def forward(ctx, x, dim, index, src):
        ctx.shape, ctx.dim, ctx.index = x.shape, dim, index
        out = x._array.copy()
        out[_along(index, dim)] = src._array if isinstance(src, Tensor) else src
        return out

    @staticmethod
    def backward(ctx, grad):
        need_x, need_src = ctx.needs_input_grad[0], ctx.needs_input_grad[3]
        grad_x = grad_src = None
        if need_x:
            written = np.zeros(ctx.shape, np.bool_)
            written[_along(ctx.index, ctx.dim)] = True
            grad_x = formula.where(written, 0.0, grad)
        if need_src:
            grad_src = formula.gather(grad, ctx.dim, ctx.index)
        return grad_x, None, None, grad_src


def _scatter_operands(op, input, dim, index, src):
    """scatter's checks (PyTorch's): ``(dim, index array, src cut to index's shape)``, ``src`` a Tensor or
    None. A 0-d input (with a 0-d index and src) counts as one element: index and src come back 1-d."""
    dim = normalize_dim(dim, input.ndim, op)
    index = _index_array(index, op, _INT32_OR_64)
    if index.ndim != input.ndim:
        raise RuntimeError(
            f"{op}(): Index tensor must have the same number of dimensions as self tensor "
            f"({index.ndim} vs {input.ndim}; index {list(index.shape)}, self {list(input.shape)})"
        )
    if src is not None:
        if src.ndim != index.ndim:
            raise RuntimeError(
                f"{op}(): Index tensor must have the same number of dimensions as src tensor "
                f"({index.ndim} vs {src.ndim}; index {list(index.shape)}, src {list(src.shape)})"
            )
        if src.dtype != input.dtype:
            raise RuntimeError(f"{op}(): Expected self.dtype to be equal to src.dtype (got {input.dtype} and {src.dtype})")
    shape = input.shape
    if input.ndim == 0:
        shape, index = (1,), index.reshape(1)
        src = None if src is None else src.reshape((1,))
    for d, size in enumerate(index.shape):
        if (d != dim and size > shape[d]) or (src is not None and size > src.shape[d]):
            raise RuntimeError(
                f"{op}(): Expected index {list(index.shape)} to be no larger than self {list(input.shape)} apart from "
                f"dimension {dim}" + (f" and to be no larger size than src {list(src.shape)}" if src is not None else "")
            )
    index = _in_bounds(index, shape[dim], op, dim)
    if src is not None and src.shape != index.shape:
        src = src[tuple(slice(0, n) for n in index.shape)]  # (a view: the gradient is padded back)
    return dim, index, src


def _check_reduce(reduce, op):
    if reduce not in (None, "add", "multiply"):
        raise RuntimeError(f"{op}(): reduce argument must be either add or multiply, got {reduce!r}")


def _src_or_value(src, value, op):
    """scatter's fourth argument: a Tensor ``src`` or a number ``value`` (positional or by name)."""
    if src is not None and value is not None:
        raise TypeError(f"{op}() takes either src or value, not both")
    if src is None and value is None:
        raise TypeError(f"{op}() missing 1 required argument: 'src' (a Tensor) or 'value' (a number)")
    if src is not None and not isinstance(src, (Tensor, np.ndarray)):
        src, value = None, src
    if src is not None:
        return _other_tensor(src, op, "src", 4), None
    if isinstance(value, Tensor):
        value = value.item()
    if not isinstance(value, numbers.Number):
        raise TypeError(f"{op}(): argument 'value' must be a number, not {type(value).__name__}")
    return None, value


def _on_zero_d(input, compute):
    """``compute(x)`` for ``x`` = input, or for input as one element when it is 0-d, with the result as input's shape."""
    if input.ndim:
        return compute(input)
    return compute(input.reshape((1,))).reshape(())


def scatter(input, dim, index, src=None, value=None, *, reduce=None):
    """``input`` with ``src``'s entries written at ``index`` along ``dim`` (for dim 1: out[i][index[i][j]] =
    src[i][j]); a number (``value=``, or in src's place) is written everywhere ``index`` points.
    ``index`` has input's number of dims and is no larger than src (and than input, apart from ``dim``);
    a position written twice keeps one of the values. ``reduce='add'`` or ``'multiply'`` combines with the
    value there instead.

    d/dinput = grad where nothing was written, 0 where something was; d/dsrc = grad gathered at index.
    With reduce='add', as ``scatter_add``; with 'multiply', d/dinput = grad times the factors (src cannot
    require grad then: PyTorch has no derivative for it either).
    """
    src, value = _src_or_value(src, value, "scatter")
    _check_reduce(reduce, "scatter")
    dim, index, src = _scatter_operands("scatter", input, dim, index, src)
    x = input.reshape((1,)) if input.ndim == 0 else input
    if reduce is None:
        out = Scatter.apply(x, dim, index, src if src is not None else value)
    else:
        if src is None:
            src = Tensor._make(np.full(index.shape, value, dtype=x.dtype))
        if reduce == "add":
            out = _scatter_add(x, dim, index, src)
        else:
            if src._requires_grad and grad_mode.is_grad_enabled():
                raise RuntimeError(
                    "scatter(): reduce='multiply' is not differentiable with respect to src (PyTorch: the derivative "
                    "for scatter with reduce is not implemented); detach src"
                )
            factor = np.ones(x.shape, x.dtype)
            np.multiply.at(factor, _along(index, dim), src._array)
            out = x * Tensor._make(factor)
    return out.reshape(()) if input.ndim == 0 else out


def _scatter_add(x, dim, index, src):
    from .elementwise import add

    return add(x, ScatterAdd.apply(src, dim, index, x.shape))


def scatter_add(input, dim, index, src):
    """``input`` plus ``src``'s entries added at ``index`` along ``dim`` (for dim 1: out[i][index[i][j]] +=
    src[i][j]; repeated positions accumulate).   d/dinput = grad;  d/dsrc = grad gathered at index."""
    src = _other_tensor(src, "scatter_add", "src", 4)
    dim, index, src = _scatter_operands("scatter_add", input, dim, index, src)
    if input.ndim == 0:
        return _scatter_add(input.reshape((1,)), dim, index, src).reshape(())
    return _scatter_add(input, dim, index, src)


def _index_add_operands(op, input, dim, index, source):
    """index_add's checks (PyTorch's): ``(dim, 1-d index, source)`` with input and source at least 1-d."""
    dim = normalize_dim(dim, input.ndim, op)
    index = _vector_index(index, op, _INT32_OR_64)
    source = _other_tensor(source, op, "source", 4)
    shape = input.shape if input.ndim else (1,)
    source_shape = source.shape if source.ndim else (1,)
    mismatched = len(source_shape) != len(shape) or any(
        s != t for d, (s, t) in enumerate(zip(source_shape, shape)) if d != dim
    )
    if mismatched or (input.ndim == 0 and source.ndim):
        raise RuntimeError(
            f"{op}(): source tensor shape must match self tensor shape, excluding the specified dimension. "
            f"Got self.shape = {list(input.shape)} source.shape = {list(source.shape)}"
        )
    if source_shape[dim] != index.size:
        raise RuntimeError(
            f"{op}(): Number of indices ({index.size}) should be equal to source.size(dim): ({source_shape[dim]}), "
            f"for dim: {dim}"
        )
    if source.dtype != input.dtype:
        raise RuntimeError(f"{op}(): self ({input.dtype}) and source ({source.dtype}) must have the same scalar type")
    index = _in_bounds(index, shape[dim], op, dim, IndexError)
    return dim, index, source if source.ndim == len(shape) else source.reshape(source_shape)


def _scale(value, dtype):
    """alpha for an integer tensor: PyTorch truncates it to an integer."""
    return int(value) if dtype.kind in "biu" and not isinstance(value, bool) else value


def index_add(input, dim, index, source, *, alpha=1):
    """``input`` plus ``alpha * source`` added at positions ``index`` (1-d, int32/int64) along ``dim``:
    out[:, index[j]] += alpha * source[:, j] for dim 1; repeated indices accumulate.
    d/dinput = grad;  d/dsource = alpha * grad[:, index] (for dim 1)."""
    from .elementwise import add

    dim, index, source = _index_add_operands("index_add", input, dim, index, source)
    alpha = _scale(alpha, input.dtype)
    if alpha != 1:
        source = source * alpha

    def compute(x):
        return add(x, IndexAdd.apply(source, _along_dim(dim, index), x.shape))

    return _on_zero_d(input, compute)


def _index_fill_operands(op, input, dim, index, allowed, error, negative, dtype_error=RuntimeError):
    dim = normalize_dim(dim, input.ndim, op)
    index = _index_array(index, op, allowed, error=dtype_error)
    if index.ndim > 1:
        raise error(f"{op}(): Index has to be a vector/scalar (got shape {list(index.shape)})")
    index = index.reshape(-1)
    shape = input.shape if input.ndim else (1,)
    return dim, _in_bounds(index, shape[dim], op, dim, IndexError, negative)


def _spread(index, dim, shape):
    """A 1-d ``index`` along ``dim`` repeated along the other dims of ``shape`` (scatter's form of it)."""
    along = [1] * len(shape)
    along[dim] = index.size
    full = list(shape)
    full[dim] = index.size
    return np.broadcast_to(index.reshape(along), full)


def _index_copy_operands(op, input, dim, index, source):
    """index_copy's checks: ``(dim, 1-d index, source shaped as the slices it replaces)``."""
    dim, index = _index_fill_operands(op, input, dim, index, _INT64_ONLY, IndexError, False)
    source = _other_tensor(source, op, "source", 4)
    expected = list(input.shape if input.ndim else (1,))
    expected[dim] = index.size
    if list(source.shape if source.ndim else (1,)) != expected:
        raise RuntimeError(
            f"{op}(): Source/destination tensor must have same slice shapes: source of shape {list(source.shape)} "
            f"for self of shape {list(input.shape)} and {index.size} indices along dim {dim} (expected {expected})"
        )
    if source.dtype != input.dtype:
        raise RuntimeError(f"{op}(): self ({input.dtype}) and source ({source.dtype}) must have the same dtype")
    return dim, index, source.reshape(tuple(expected))


def index_copy(input, dim, index, source):
    """``input`` with the slices at ``index`` (1-d int64) along ``dim`` replaced by ``source``'s:
    out[:, index[j]] = source[:, j] for dim 1.   d/dinput = grad except at those slices (0);
    d/dsource = grad[:, index]."""
    dim, index, source = _index_copy_operands("index_copy", input, dim, index, source)
    return _on_zero_d(input, lambda x: Scatter.apply(x, dim, _spread(index, dim, x.shape), source))


def _fill_value(value, op):
    if isinstance(value, Tensor):
        if value.ndim:
            raise RuntimeError(
                f"{op} only supports a 0-dimensional value tensor, but got tensor with {value.ndim} dimension(s)."
            )
        return value.item()
    if not isinstance(value, numbers.Number):
        raise TypeError(f"{op}(): argument 'value' must be a number, not {type(value).__name__}")
    return value


def index_fill(input, dim, index, value):
    """``input`` with ``value`` written in the slices at ``index`` (1-d; negative counts from the end) along
    ``dim``.   d/dinput = grad except in those slices (0);  d/dvalue (a 0-d tensor) = the sum of grad over them."""
    dim, index = _index_fill_operands("index_fill", input, dim, index, _INT64_ONLY, RuntimeError, True, IndexError)
    if isinstance(value, Tensor) and value.requires_grad and grad_mode.is_grad_enabled():
        from ..random import TORCH_TYPE_NAMES
        from .elementwise import where

        _fill_value(value, "index_fill")  # (the check for a 0-d value)
        if input.dtype.kind != "f":
            raise RuntimeError(
                f"index_fill(): Autograd not support dtype: {TORCH_TYPE_NAMES[input.dtype.name]} (the value requires "
                f"grad, but the result has input's dtype, {input.dtype}, which has no gradient)"
            )
        if value.dtype != input.dtype:  # the result keeps input's dtype (the cast is recorded)
            value = value.to(input.dtype)
        filled = np.zeros(input.shape if input.ndim else (1,), np.bool_)
        filled[_along_dim(dim, index)] = True
        return where(Tensor._make(filled.reshape(input.shape)), value, input)
    value = _fill_value(value, "index_fill")
    return _on_zero_d(input, lambda x: Scatter.apply(x, dim, _spread(index, dim, x.shape), value))


def take_along_dim(input, indices, dim=None):
    """Values of ``input`` at ``indices`` along ``dim`` (int64; negative counts from the end), the other dims
    broadcast between the two; with ``dim`` None, of the flattened input at the flattened indices.
    d/dinput: the gradient is added back at those positions (repeats accumulate)."""
    indices = _index_array(indices, "take_along_dim", _INT64_ONLY, "indices")
    if dim is None:
        return take_along_dim(input.reshape((-1,)), indices.reshape(-1), 0)
    if input.ndim != indices.ndim:
        raise RuntimeError(
            f"take_along_dim(): input and indices should have the same number of dimensions, but got {input.ndim} "
            f"dimensions for input, and {indices.ndim} dimensions for indices"
        )
    if input.ndim == 0:
        normalize_dim(dim, 0, "take_along_dim")
        return take_along_dim(input.reshape((1,)), indices.reshape(1), 0).reshape(())
    dim = normalize_dim(dim, input.ndim, "take_along_dim")
    from .common import check_broadcast

    others_input = tuple(1 if d == dim else n for d, n in enumerate(input.shape))
    others_index = tuple(1 if d == dim else n for d, n in enumerate(indices.shape))
    check_broadcast(others_input, others_index, "take_along_dim")
    common = list(np.broadcast_shapes(others_input, others_index))
    size = input.shape[dim]
    indices = _in_bounds(indices, size, "take_along_dim", dim, negative=True)
    common[dim] = size
    x = input if input.shape == tuple(common) else input.expand(tuple(common))
    common[dim] = indices.shape[dim]
    indices = indices if indices.shape == tuple(common) else np.broadcast_to(indices, common)
    return Gather.apply(x, dim, indices)


def take(input, index):
    """The entries of the flattened ``input`` at ``index`` (int64, any shape; negative counts from the end):
    a tensor of index's shape.   d/dinput: the gradient is added back at those entries (repeats accumulate)."""
    index = _index_array(index, "take", _INT64_ONLY)
    n = input.numel()
    outside = (index < -n) | (index >= n)
    if outside.any():
        raise IndexError(f"take(): out of range: tried to access index {index[outside].flat[0]} on a tensor of {n} elements.")
    if (index < 0).any():
        index = np.where(index < 0, index + n, index)
    return GetItem.apply(input.reshape((-1,)), index)


def nonzero(input, *, as_tuple=False):
    """The indices of the nonzero entries (NaN counts), in row-major order: an int64 tensor of shape
    (count, ndim), or with ``as_tuple`` one 1-d tensor per dim (a 0-d input counts as 1-d). No gradient."""
    a = input._array
    if as_tuple:
        return tuple(Tensor._make(i.astype(np.int64, copy=False)) for i in np.nonzero(a.reshape(-1) if a.ndim == 0 else a))
    return Tensor._make(np.argwhere(a).astype(np.int64, copy=False))


def argwhere(input):
    """``nonzero(input)``: the (count, ndim) int64 indices of the nonzero entries."""
    return nonzero(input)


def select(input, dim, index):
    """The slice of ``input`` at position ``index`` (negative counts from the end) along ``dim``, that dim
    removed: a view (``input[:, index]`` for dim 1).   d/dinput: the gradient goes back into that slice."""
    if input.ndim == 0:
        raise IndexError("select() cannot be applied to a 0-dim tensor.")
    dim = normalize_dim(dim, input.ndim, "select")
    index = operator.index(index)
    size = input.shape[dim]
    if not -size <= index < size:
        raise IndexError(f"select(): index {index} out of range for tensor of size {list(input.shape)} at dimension {dim}")
    return GetItem.apply(input, (slice(None),) * dim + (index, Ellipsis))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values of ``input`` in ascending order (always sorted, as PyTorch's CPU unique; each
    NaN is distinct), or with ``dim`` the distinct slices along it. ``return_inverse``: also each entry's
    (slice's) position among them (int64, of input's shape, or (input.shape[dim],)); ``return_counts``: also
    how often each occurs. No gradient."""
    a = input._array
    if dim is None:
        values, inverse, counts = np.unique(a.reshape(-1), return_inverse=True, return_counts=True, equal_nan=False)
        inverse = inverse.reshape(a.shape)
    else:
        axis = normalize_dim(dim, a.ndim, "unique")
        if a.size == 0:  # PyTorch's checks
            if a.shape.count(0) > 1:
                raise RuntimeError("unique(): Number of zero sized dimensions is more than one, so unique cannot be applied")
            if a.shape[axis] != 0:
                raise RuntimeError(
                    f"unique(): There are 0 sized dimensions, and they aren't selected, so unique cannot be applied "
                    f"(shape {list(a.shape)}, dim {dim})"
                )
        values, inverse, counts = np.unique(a, return_inverse=True, return_counts=True, axis=axis, equal_nan=False)
        inverse = inverse.reshape(-1)
    out = [Tensor._make(values)]
    if return_inverse:
        out.append(Tensor._make(inverse.astype(np.int64, copy=False)))
    if return_counts:
        out.append(Tensor._make(counts.astype(np.int64, copy=False)))
    return out[0] if len(out) == 1 else tuple(out)


# ----------------------------------------------------------------------------- in place
def _write_in_place(self, op, others, write):
    """Run ``write(self's array)`` as the in-place op ``op`` under ``Tensor``'s in-place rules: refused on
    a tensor that requires grad while grad mode is on (and, since nothing in place is recorded, when an
    operand requires grad); a read-only view (from expand) is refused too. Returns self."""
    self._check_inplace(op)
    if grad_mode.is_grad_enabled():
        for other in others:
            if isinstance(other, Tensor) and other.requires_grad:
                raise RuntimeError(
                    f"{op}: an operand requires grad, but in-place ops are not recorded in the graph; use the "
                    f"out-of-place {op.rstrip('_')} instead"
                )
    target = self._array
    if not target.flags.writeable:
        raise RuntimeError(f"{op}: this tensor is a read-only view (e.g. from expand); clone() it first")
    write(target if target.ndim else target.reshape(1))
    self._bump_version()
    return self


def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
    """In place: ``self = scatter(self, dim, index, src or value, reduce=reduce)``."""
    src, value = _src_or_value(src, value, "scatter_")
    _check_reduce(reduce, "scatter_")
    dim, index, src = _scatter_operands("scatter_", self, dim, index, src)
    values = src._array if src is not None else np.asarray(value).astype(self.dtype)

    def write(target):
        at = _along(index, dim)
        if reduce is None:
            target[at] = values
        else:
            (np.add if reduce == "add" else np.multiply).at(target, at, values)

    return _write_in_place(self, "scatter_", (src,), write)


def scatter_add_(self, dim, index, src):
    """In place: ``self = scatter_add(self, dim, index, src)`` (repeated positions accumulate)."""
    src = _other_tensor(src, "scatter_add_", "src", 3)
    dim, index, src = _scatter_operands("scatter_add_", self, dim, index, src)
    return _write_in_place(self, "scatter_add_", (src,), lambda target: np.add.at(target, _along(index, dim), src._array))


def index_add_(self, dim, index, source, *, alpha=1):
    """In place: ``self = index_add(self, dim, index, source, alpha=alpha)``."""
    dim, index, source = _index_add_operands("index_add_", self, dim, index, source)
    values = source._array * _scale(alpha, self.dtype) if alpha != 1 else source._array
    return _write_in_place(self, "index_add_", (source,), lambda target: np.add.at(target, _along_dim(dim, index), values))


def index_copy_(self, dim, index, source):
    """In place: ``self = index_copy(self, dim, index, source)``."""
    dim, index, source = _index_copy_operands("index_copy_", self, dim, index, source)

    def write(target):
        target[_along_dim(dim, index)] = source._array

    return _write_in_place(self, "index_copy_", (source,), write)


def index_fill_(self, dim, index, value):
    """In place: ``self = index_fill(self, dim, index, value)``."""
    dim, index = _index_fill_operands("index_fill_", self, dim, index, _INT64_ONLY, RuntimeError, True, IndexError)
    value = _fill_value(value, "index_fill_")

    def write(target):
        target[_along_dim(dim, index)] = value

    return _write_in_place(self, "index_fill_", (), write)


# Registered by autograd/ops/__init__.py: METHODS are Tensor methods and module functions (the in-place
# ones too: PyTorch has them as methods only).
METHODS = (
    index_select, masked_select, scatter, scatter_add, index_add, index_copy, index_fill, take_along_dim, take,
    nonzero, argwhere, select, unique, scatter_, scatter_add_, index_add_, index_copy_, index_fill_,
)
