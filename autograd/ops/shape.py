"""Shape ops: they move or copy values without arithmetic, so each gradient moves them back."""
import math
import operator
import warnings

import numpy as np

from ..function import Op
from ..tensor import Tensor
from . import formula
from .common import dim_alias, normalize_dim, normalize_dims, required_dim


class Reshape(Op):
    """Same values in a new shape.   The gradient is reshaped back."""

    returns_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return x._array.reshape(shape)

    @staticmethod
    def backward(ctx, grad):
        return grad.reshape(ctx.shape), None


class Permute(Op):
    """Reorder the dimensions.   The gradient is permuted by the inverse order."""

    returns_view = True

    @staticmethod
    def forward(ctx, x, dims):
        ctx.inverse = tuple(sorted(range(len(dims)), key=dims.__getitem__))
        return x._array.transpose(dims)

    @staticmethod
    def backward(ctx, grad):
        return formula.permute(grad, ctx.inverse), None


class Expand(Op):
    """Broadcast to a larger shape without copying.   The gradient is summed back (``sum_to``)."""

    returns_view = True

    @staticmethod
    def forward(ctx, x, shape):
        ctx.shape = x.shape
        return np.broadcast_to(x._array, shape)

    @staticmethod
    def backward(ctx, grad):
        return formula.sum_to(grad, ctx.shape), None


class SumTo(Op):
    """Sum over the axes that broadcasting added or stretched, giving ``shape`` (Expand's adjoint).

    If y = broadcast(x), then dL/dx = sum of dL/dy over the broadcast axes.
    d/dgrad: the gradient is broadcast back (Expand).
    """

    @staticmethod
    def forward(ctx, grad, shape):
        ctx.shape = grad.shape
        return formula.sum_to_array(grad._array, shape)

    @staticmethod
    def backward(ctx, grad):
        return formula.broadcast_to(grad, ctx.shape), None


class Cast(Op):
    """Convert to another floating dtype.   The gradient is converted back."""

    @staticmethod
    def forward(ctx, x, dtype):
        ctx.dtype = x.dtype
        return x._array.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        return formula.cast(grad, ctx.dtype), None


class Clone(Op):
    """A copy in new memory.   d/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x._array.copy(order="K")  # in x's layout (PyTorch: memory_format=preserve_format)

    @staticmethod
    def backward(ctx, grad):
        return grad


class ContiguousClone(Clone):
    """A copy in new row-major (C-order) memory, whatever ``x``'s layout (``contiguous()``,
    ``clone(memory_format=contiguous_format)``).   d/dx = 1."""

    @staticmethod
    def forward(ctx, x):
        return x._array.copy(order="C")


class Cat(Op):
    """Join tensors along ``dim``.   Each input's gradient is its slice of the output's gradient."""

    @staticmethod
    def forward(ctx, dim, *tensors):
        ctx.dim = dim
        ctx.sizes = [t.shape[dim] for t in tensors]
        return np.concatenate([t._array for t in tensors], axis=dim)

    @staticmethod
    def backward(ctx, grad):
        grads, start = [None], 0
        index = [slice(None)] * grad.ndim
        for size, needed in zip(ctx.sizes, ctx.needs_input_grad[1:]):
            index[ctx.dim] = slice(start, start + size)
            grads.append(grad[tuple(index)] if needed else None)
            start += size
        return tuple(grads)


class Flip(Op):
    """Reverse the order of elements along ``dims`` (a copy, as in PyTorch).   The gradient is flipped back."""

    @staticmethod
    def forward(ctx, x, dims):
        ctx.dims = dims
        return np.flip(x._array, dims).copy()

    @staticmethod
    def backward(ctx, grad):
        return formula.flip(grad, ctx.dims), None


class Roll(Op):
    """Shift elements by ``shifts`` along ``dims``, wrapping around.   The gradient is rolled back."""

    @staticmethod
    def forward(ctx, x, shifts, dims):
        ctx.shifts, ctx.dims = shifts, dims
        return _roll_array(x._array, shifts, dims)

    @staticmethod
    def backward(ctx, grad):
        back = tuple(-s for s in ctx.shifts)
        if isinstance(grad, Tensor):
            return Roll.apply(grad, back, ctx.dims), None, None
        return _roll_array(grad, back, ctx.dims), None, None


def _roll_array(a, shifts, dims):
    """``np.roll``; ``dims`` None rolls the flattened array and keeps the shape."""
    return np.roll(a, shifts[0], None) if dims is None else np.roll(a, shifts, dims)


class Repeat(Op):
    """Tile ``x`` ``repeats[i]`` times along dim i (PyTorch's ``repeat``, numpy's ``tile``).

    Each input element appears once per tile, so its gradient sums the output gradient over the tiles.
    """

    @staticmethod
    def forward(ctx, x, repeats):
        ctx.shape, ctx.repeats = x.shape, repeats
        return np.tile(x._array, repeats)

    @staticmethod
    def backward(ctx, grad):
        repeats = ctx.repeats
        padded = (1,) * (len(repeats) - len(ctx.shape)) + tuple(ctx.shape)
        # axis 2i counts the tiles of dim i, axis 2i+1 runs within one tile
        tiled = grad.reshape(tuple(n for pair in zip(repeats, padded) for n in pair))
        summed = formula.sum(tiled, tuple(range(0, 2 * len(repeats), 2)))
        return summed.reshape(ctx.shape), None


# ------------------------------------------------------------------- functions
def _shape_arg(shape, op):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for s in shape:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)):
            raise TypeError(f"{op}: shape must be a sequence of ints, got {shape!r}")
    return tuple(int(s) for s in shape)


def _keyword_sizes(args, value, name, op):
    """Sizes given by PyTorch's keyword ``name`` (``reshape(shape=(2, 3))``): a tuple or a list, not
    also positionally. Returned as ``_shape_arg`` takes them."""
    if args:
        raise TypeError(f"{op}() got multiple values for argument '{name}'")
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}")
    return tuple(value)


def reshape(input, *args, shape=None):
    """The same values with shape ``shape`` (ints, a tuple, or the keyword ``shape=``; one entry may be
    -1, inferred). A view when possible."""
    if shape is not None:
        args = _keyword_sizes(args, shape, "shape", "reshape")
    shape = _shape_arg(args, "reshape")
    if shape == input.shape:
        return input
    known = math.prod(s for s in shape if s != -1)
    valid = shape.count(-1) <= 1 and all(s >= -1 for s in shape) and (
        known == input.numel() if -1 not in shape else known != 0 and input.numel() % known == 0
    )
    if not valid:
        raise RuntimeError(f"reshape: shape '{list(shape)}' is invalid for input of size {input.numel()} (shape {tuple(input.shape)})")
    return Reshape.apply(input, shape)


def view(input, *args, size=None):
    """``reshape`` (here without contiguity rules), whose keyword is ``size=`` as in PyTorch's ``view``."""
    if size is not None:
        args = _keyword_sizes(args, size, "size", "view")
    return reshape(input, *args)


def permute(input, *args, dims=None):
    """Reorder dimensions: output dim i is input dim ``dims[i]`` (ints, a tuple, or the keyword ``dims=``)."""
    if dims is not None:
        args = _keyword_sizes(args, dims, "dims", "permute")
    dims = _shape_arg(args, "permute")
    if len(dims) != input.ndim:
        raise RuntimeError(f"permute: number of dims {len(dims)} doesn't match the tensor's {input.ndim} dims (shape {tuple(input.shape)})")
    dims = tuple(normalize_dim(d, input.ndim, "permute") for d in dims)
    if len(set(dims)) != len(dims):
        raise RuntimeError(f"permute: repeated dim in {dims}")
    return Permute.apply(input, dims)


def transpose(input, dim0, dim1):
    """Swap dimensions ``dim0`` and ``dim1``."""
    order = list(range(input.ndim))
    dim0, dim1 = normalize_dim(dim0, input.ndim, "transpose"), normalize_dim(dim1, input.ndim, "transpose")
    if dim0 == dim1:
        return input
    order[dim0], order[dim1] = order[dim1], order[dim0]
    return Permute.apply(input, tuple(order))


def reverse_dims(input):
    """``input.T``: all dims reversed (a permutation valid by construction: nothing to check)."""
    return Permute.apply(input, tuple(range(input.ndim - 1, -1, -1)))


def t(input):
    """Transpose of a tensor of at most 2 dims."""
    if input.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input.ndim}D")
    return transpose(input, 0, 1) if input.ndim == 2 else input


def unsqueeze(input, dim=None, *, axis=None):
    """Insert a size-1 dimension at ``dim`` (required; ``axis`` also names it), in range [-ndim-1, ndim]."""
    if dim is None or axis is not None:
        dim = required_dim(dim, axis, "unsqueeze")
    dim = normalize_dim(dim, input.ndim + 1, "unsqueeze")
    shape = input.shape[:dim] + (1,) + input.shape[dim:]
    return Reshape.apply(input, shape)


def squeeze(input, dim=None, *dims, axis=None):
    """Remove size-1 dimensions: all of them, or only those among the dims given (an int, a tuple or a
    list, or several ints as in PyTorch's method ``x.squeeze(0, 2)``; ``axis`` also names them). A dim
    given whose size is not 1 is kept."""
    if dims:
        if dim is None or isinstance(dim, (tuple, list)) or axis is not None:
            raise TypeError(f"squeeze() takes the dims as one int, one tuple or several ints, got {(dim,) + dims}")
        dim = (dim,) + dims
    if axis is not None:
        dim = dim_alias(dim, axis, "squeeze")
    axes = normalize_dims(dim, input.ndim, "squeeze")
    axes = range(input.ndim) if axes is None else axes
    drop = {a for a in axes if input.shape[a] == 1}
    if not drop:
        return input
    return Reshape.apply(input, tuple(s for i, s in enumerate(input.shape) if i not in drop))


def flatten(input, start_dim=0, end_dim=-1):
    """Merge dimensions ``start_dim``..``end_dim`` into one."""
    if input.ndim == 0:
        return Reshape.apply(input, (1,))
    start = normalize_dim(start_dim, input.ndim, "flatten")
    end = normalize_dim(end_dim, input.ndim, "flatten")
    if start > end:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    shape = input.shape[:start] + (math.prod(input.shape[start:end + 1]),) + input.shape[end + 1:]
    return Reshape.apply(input, shape) if shape != input.shape else input


def expand(input, *args, size=None):
    """Broadcast to the sizes given (ints, a tuple, or the keyword ``size=``; -1 keeps a size; new dims may
    be added in front), without copying."""
    if size is not None:
        args = _keyword_sizes(args, size, "size", "expand")
    sizes = _shape_arg(args, "expand")
    if len(sizes) < input.ndim:
        raise RuntimeError(
            f"expand: the number of sizes provided ({len(sizes)}) must be greater or equal to the number "
            f"of dimensions in the tensor ({input.ndim})"
        )
    lead = len(sizes) - input.ndim
    target = list(sizes)
    for i, size in enumerate(input.shape):
        want = sizes[lead + i]
        if want == -1:
            target[lead + i] = size
        elif size != want and size != 1:
            raise RuntimeError(
                f"expand: The expanded size of the tensor ({want}) must match the existing size ({size}) at "
                f"non-singleton dimension {lead + i}. Target sizes: {list(sizes)}. Tensor sizes: {list(input.shape)}"
            )
    target = tuple(target)
    if any(s < 0 for s in target):
        raise RuntimeError(f"expand: -1 is not allowed in a leading, non-existing dimension (sizes {list(sizes)})")
    return input if target == input.shape else Expand.apply(input, target)


def broadcast_to(input, size):
    """Broadcast to the shape ``size`` (numpy's rules), without copying."""
    return expand(input, _keyword_sizes((), size, "size", "broadcast_to"))


def expand_as(input, other):
    """``expand(other.shape)``."""
    return expand(input, other.shape)


def flip(input, *args, dims=None):
    """Reverse the order of elements along each of the dims given (ints, a sequence, or the keyword
    ``dims=``); a copy."""
    if dims is not None:
        args = _keyword_sizes(args, dims if isinstance(dims, (tuple, list)) else (dims,), "dims", "flip")
    elif not args:
        raise TypeError("flip() missing 1 required argument: 'dims'")
    dims = _shape_arg(args, "flip")
    return Flip.apply(input, normalize_dims(dims, input.ndim, "flip") if input.ndim else ())


def roll(input, shifts, dims=None):
    """Shift elements by ``shifts`` along ``dims``, wrapping around; with ``dims`` None, over the
    flattened tensor (the shape is kept)."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"roll: with dims=None, shifts must be a single int, got {shifts}")
        return Roll.apply(input, shifts, None)
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"roll: shifts and dimensions must align. shifts: {len(shifts)}, dims: {len(dims)}")
    return Roll.apply(input, shifts, tuple(normalize_dim(d, input.ndim, "roll") for d in dims))


def repeat(input, *args, repeats=None):
    """Tile the tensor ``repeats[i]`` times along dim i (ints, a tuple, or the keyword ``repeats=``); extra
    leading repeats add new leading dims."""
    if repeats is not None:
        args = _keyword_sizes(args, repeats, "repeats", "repeat")
    repeats = _shape_arg(args, "repeat")
    if len(repeats) < input.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor "
            f"(repeat dims {list(repeats)}, tensor shape {tuple(input.shape)})"
        )
    if any(r < 0 for r in repeats):
        raise RuntimeError(f"repeat: repeats must be non-negative, got {list(repeats)}")
    return Repeat.apply(input, repeats)


def unbind(input, dim=0, *, axis=None):
    """The slices along ``dim`` (``axis`` also names it), as a tuple of tensors without that dim (gradients
    flow to each)."""
    if axis is not None:
        dim = dim_alias(dim, axis, "unbind", 0)
    if input.ndim == 0:
        raise IndexError("unbind: dimension specified as 0 but tensor has no dimensions")
    dim = normalize_dim(dim, input.ndim, "unbind")
    lead = (slice(None),) * dim
    return tuple(input[lead + (i,)] for i in range(input.shape[dim]))


def cat(tensors, dim=0, *, axis=None):
    """Concatenate tensors along an existing dimension ``dim`` (``axis`` also names it)."""
    if axis is not None:
        dim = dim_alias(dim, axis, "cat", 0)
    tensors = _tensor_list(tensors, "cat")
    first = tensors[0]
    for k, t in enumerate(tensors):
        if t.ndim == 0:
            raise RuntimeError(f"cat: zero-dimensional tensor (at position {k}) cannot be concatenated; use stack")
    dim = normalize_dim(dim, first.ndim, "cat")
    floats = [t.dtype for t in tensors if t.dtype.kind == "f"]
    if floats and len(floats) != len(tensors):  # PyTorch: int tensors join floats in the floats' dtype
        target = np.result_type(*floats)
        tensors = [t if t.dtype.kind == "f" else t.to(target) for t in tensors]
    for k, t in enumerate(tensors[1:], 1):
        if t.ndim != first.ndim:
            raise RuntimeError(f"cat: Tensors must have same number of dimensions: got {first.ndim} and {t.ndim} (tensor number {k})")
        for d in range(first.ndim):
            if d != dim and t.shape[d] != first.shape[d]:
                raise RuntimeError(
                    f"cat: Sizes of tensors must match except in dimension {dim}. Expected size "
                    f"{first.shape[d]} but got size {t.shape[d]} for tensor number {k} in the list."
                )
    return Cat.apply(dim, *tensors)


concat = concatenate = cat


def stack(tensors, dim=0, *, axis=None):
    """Join same-shaped tensors along a new dimension ``dim`` (``axis`` also names it)."""
    if axis is not None:
        dim = dim_alias(dim, axis, "stack", 0)
    tensors = _tensor_list(tensors, "stack")
    for k, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got {list(tensors[0].shape)} at entry 0 "
                f"and {list(t.shape)} at entry {k}"
            )
    dim = normalize_dim(dim, tensors[0].ndim + 1, "stack")
    return cat([unsqueeze(t, dim) for t in tensors], dim)


def _tensor_list(tensors, op):
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}: expected a list or tuple of Tensors, got {type(tensors).__name__}")
    if not tensors:
        raise RuntimeError(f"{op}: expected a non-empty list of Tensors")
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"{op}: expected Tensors, but element {k} is a {type(t).__name__}")
    return list(tensors)


def split(tensor, split_size_or_sections, dim=0):
    """Split along ``dim`` into pieces of size ``split_size_or_sections`` (the last may be smaller),
    or into pieces of the listed sizes (non-negative, summing to the dim's size). Returns a tuple of views.

    PyTorch's names: ``autograd.split(tensor, split_size_or_sections, dim)``, ``tensor.split(split_size, dim)``.
    """
    if tensor.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor (got a 0-d tensor)")
    dim = normalize_dim(dim, tensor.ndim, "split")
    length = tensor.shape[dim]
    if _is_int(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 0:
            raise RuntimeError(f"split: split_size must be non-negative, but got split_size={size}")
        if size == 0 and length:
            raise RuntimeError(f"split: split_size can only be 0 if dimension size is 0, but got dimension size of {length}")
        sizes = [min(size, length - s) for s in range(0, length, size)] if length else [0]
    elif isinstance(split_size_or_sections, (list, tuple)):
        sizes = list(split_size_or_sections)
        if not all(_is_int(s) for s in sizes):
            raise TypeError(f"split: split_sizes must be a list of ints, got {sizes}")
        sizes = [int(s) for s in sizes]
        if any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split: split_with_sizes expects split_sizes have only non-negative entries, but got "
                f"split_sizes={sizes} (input tensor's size at dimension {dim} is {length})"
            )
        if sum(sizes) != length:
            raise RuntimeError(
                f"split: split_with_sizes expects split_sizes to sum exactly to {length} (input tensor's size "
                f"at dimension {dim}), but got split_sizes={sizes}"
            )
    else:
        raise TypeError(f"split: expected an int or a list of ints, got {type(split_size_or_sections).__name__}")
    pieces, start = [], 0
    index = [slice(None)] * tensor.ndim
    for size in sizes:
        index[dim] = slice(start, start + size)
        pieces.append(tensor[tuple(index)])
        start += size
    return tuple(pieces)


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def split_method(self, split_size, dim=0):
    """Split along ``dim`` into pieces of size ``split_size``, or of the listed sizes (see :func:`split`)."""
    return split(self, split_size, dim)


split_method.__name__ = split_method.__qualname__ = "split"


def chunk(input, chunks, dim=0, *, axis=None):
    """Split into ``chunks`` pieces of size ceil(n / chunks) along ``dim`` (``axis`` also names it; fewer
    pieces if n is small, ``chunks`` empty pieces if n is 0, as in PyTorch)."""
    if axis is not None:
        dim = dim_alias(dim, axis, "chunk", 0)
    if not _is_int(chunks):
        raise TypeError(f"chunk: chunks must be an int, got {type(chunks).__name__}")
    if chunks <= 0:
        raise RuntimeError(f"chunk: chunks must be greater than 0, got {chunks}")
    if input.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor (got a 0-d tensor)")
    dim = normalize_dim(dim, input.ndim, "chunk")
    length = input.shape[dim]
    if length == 0:
        return split(input, [0] * int(chunks), dim)
    return split(input, -(-length // chunks), dim)


# ------------------------------------------------------------- more of PyTorch's shape ops
# Each is composed of the ops above (Permute, Reshape, Repeat, Expand, Cat, indexing), so each gradient
# is theirs: a permutation or a reshape moved back, tiles summed, slices scattered back.
def _dims_arg(value, op, name):
    """An int or a sequence of ints, as a tuple of ints (TypeError naming ``op``'s argument ``name`` else)."""
    if _is_int(value):
        return (int(value),)
    if isinstance(value, (tuple, list)) and all(_is_int(v) for v in value):
        return tuple(int(v) for v in value)
    raise TypeError(f"{op}(): argument '{name}' must be int or tuple of ints, not {type(value).__name__}")


def _index_arg(value, op, name):
    """An int argument that may also be a one-element integer tensor (PyTorch's ``narrow(dim, start, ...)``)."""
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{op}(): argument '{name}' must be int, not {type(value).__name__}") from None


def movedim(input, source, destination):
    """Move the dims ``source`` (an int or a sequence of ints) to the positions ``destination`` (as many);
    the other dims keep their order. A permutation (a view): its gradient is permuted back."""
    src = _dims_arg(source, "movedim", "source")
    dst = _dims_arg(destination, "movedim", "destination")
    if len(src) != len(dst):
        raise RuntimeError(
            f"movedim: Invalid source or destination dims: source ({list(src)} dims) should contain the same "
            f"number of dims as destination ({list(dst)} dims)"
        )
    ndim = input.ndim
    from_dims = tuple(normalize_dim(d, ndim, "movedim") for d in src)
    to_dims = tuple(normalize_dim(d, ndim, "movedim") for d in dst)
    if len(set(from_dims)) != len(from_dims):
        raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
    if len(set(to_dims)) != len(to_dims):
        raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
    if ndim == 0:
        return Permute.apply(input, ())
    order = [None] * ndim  # output dim -> the input dim it shows
    for s, d in zip(from_dims, to_dims):
        order[d] = s
    rest = iter(d for d in range(ndim) if d not in from_dims)
    return Permute.apply(input, tuple(next(rest) if o is None else o for o in order))


def moveaxis(input, source, destination):
    """numpy's name for :func:`movedim`: move dims ``source`` to positions ``destination``."""
    return movedim(input, source, destination)


def _swap(input, dim0, dim1, op):
    dim0, dim1 = normalize_dim(dim0, input.ndim, op), normalize_dim(dim1, input.ndim, op)
    if dim0 == dim1:
        return input
    order = list(range(input.ndim))
    order[dim0], order[dim1] = dim1, dim0
    return Permute.apply(input, tuple(order))


def swapaxes(input, axis0, axis1):
    """numpy's name for :func:`transpose`: swap dims ``axis0`` and ``axis1`` (gradient: swapped back)."""
    return _swap(input, axis0, axis1, "swapaxes")


def swapdims(input, dim0, dim1):
    """Another name for :func:`transpose`: swap dims ``dim0`` and ``dim1`` (gradient: swapped back)."""
    return _swap(input, dim0, dim1, "swapdims")


def tile(input, *args, dims=None):
    """Repeat the tensor ``dims[i]`` times along dim i (ints, a tuple, or the keyword ``dims=``). Unlike
    ``repeat``, fewer entries than dims are allowed: missing ones count as 1 (``x.tile(2)`` doubles the
    last dim). Each input element appears once per tile, so its gradient sums the tiles' gradients."""
    if dims is not None:
        args = _keyword_sizes(args, dims if isinstance(dims, (tuple, list)) else (dims,), "dims", "tile")
    reps = _shape_arg(args, "tile")
    if any(r < 0 for r in reps):
        raise RuntimeError(f"tile: dims must be non-negative (a negative dim would give a negative size), got {list(reps)}")
    return Repeat.apply(input, (1,) * (input.ndim - len(reps)) + reps)


def tile_function(input, dims):
    """``autograd.tile(input, dims)``: :meth:`Tensor.tile` with ``dims`` one tuple or list of ints, as in
    PyTorch (whose module function, unlike the method, takes no separate ints: ``tile(x, 2)`` and
    ``tile(x, 2, 3)`` are TypeErrors)."""
    if not isinstance(input, Tensor):
        raise TypeError(
            f"tile(): argument 'input' (position 1) must be Tensor, not {type(input).__name__} "
            "(convert it with autograd.tensor(...))"
        )
    if not isinstance(dims, (tuple, list)):
        raise TypeError(f"tile(): argument 'dims' (position 2) must be tuple of ints, not {type(dims).__name__}")
    return tile(input, tuple(dims))


tile_function.__name__ = tile_function.__qualname__ = "tile"


def unflatten(input, dim, sizes):
    """Split dim ``dim`` into dims of sizes ``sizes`` (a tuple or list whose product is that dim's size;
    one entry may be -1, inferred). A reshape: the gradient is reshaped back."""
    d = normalize_dim(dim, input.ndim, "unflatten")
    if input.ndim == 0:  # dim 0 or -1 (others are out of range above): PyTorch's RuntimeError
        raise RuntimeError("unflatten: Dimension specified as 0 but tensor has no dimensions")
    if not isinstance(sizes, (tuple, list)) or not all(_is_int(s) for s in sizes):
        raise TypeError(f"unflatten(): argument 'sizes' must be tuple of ints, not {type(sizes).__name__}")
    sizes = tuple(int(s) for s in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
        raise RuntimeError(
            f"unflatten: only one dimension can be inferred (-1) and sizes must be non-negative, got {list(sizes)}"
        )
    n = input.shape[d]
    known = math.prod(s for s in sizes if s != -1)
    if -1 in sizes:
        if known == 0 or n % known:
            raise RuntimeError(
                f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} ({n}) in the "
                "input tensor (the -1 cannot be inferred)"
            )
        sizes = tuple(n // known if s == -1 else s for s in sizes)
    elif known != n:
        raise RuntimeError(
            f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of dim {d} ({n}) in the input tensor"
        )
    return Reshape.apply(input, input.shape[:d] + sizes + input.shape[d + 1:])


def ravel(input):
    """The values as a 1-d tensor (a 0-d tensor gives one element): ``reshape(-1)``."""
    return flatten(input)


def _at_least(t, n):
    """``t`` with dims of size 1 added until it has ``n`` (numpy's placement: (k,) -> (1, k) -> (1, k, 1))."""
    if t.ndim >= n:
        return t
    if t.ndim == 0:
        shape = (1,) * n
    elif t.ndim == 1:
        shape = (1, t.shape[0]) + (1,) * (n - 2)
    else:
        shape = t.shape + (1,)
    return Reshape.apply(t, shape)


def _atleast(args, n, op):
    if len(args) == 1 and isinstance(args[0], Tensor):
        return _at_least(args[0], n)
    items = args[0] if len(args) == 1 and isinstance(args[0], (list, tuple)) else args
    for k, t in enumerate(items):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"{op}(): expected Tensors (or one list or tuple of them), but argument {k} is a {type(t).__name__}"
            )
    return tuple(_at_least(t, n) for t in items)


def atleast_1d(*tensors):
    """Each tensor with at least 1 dim (a 0-d tensor becomes shape (1,); others are returned as they are).
    One tensor gives a tensor; several, or a list, give a tuple."""
    return _atleast(tensors, 1, "atleast_1d")


def atleast_2d(*tensors):
    """Each tensor with at least 2 dims: () -> (1, 1), (k,) -> (1, k). One tensor gives a tensor; several,
    or a list, give a tuple."""
    return _atleast(tensors, 2, "atleast_2d")


def atleast_3d(*tensors):
    """Each tensor with at least 3 dims: () -> (1, 1, 1), (k,) -> (1, k, 1), (m, n) -> (m, n, 1). One tensor
    gives a tensor; several, or a list, give a tuple."""
    return _atleast(tensors, 3, "atleast_3d")


def _at_least_each(tensors, n, op):
    """The list ``tensors`` (checked), each with at least ``n`` dims: always a list, even of one tensor
    (``_atleast`` gives a bare tensor for one, which ``list()`` would split into its rows)."""
    return [_at_least(t, n) for t in _tensor_list(tensors, op)]


def hstack(tensors):
    """Join tensors column-wise: along dim 0 if they are 1-d (after ``atleast_1d``), else along dim 1."""
    tensors = _at_least_each(tensors, 1, "hstack")
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Join tensors row-wise: ``cat`` along dim 0 after ``atleast_2d`` ((k,) is a row (1, k))."""
    return cat(_at_least_each(tensors, 2, "vstack"), 0)


def row_stack(tensors):
    """Another name for :func:`vstack`."""
    return cat(_at_least_each(tensors, 2, "row_stack"), 0)


def dstack(tensors):
    """Join tensors depth-wise: ``cat`` along dim 2 after ``atleast_3d``."""
    return cat(_at_least_each(tensors, 3, "dstack"), 2)


def column_stack(tensors):
    """Join tensors as columns: 0-d and 1-d tensors become columns (k, 1), then ``cat`` along dim 1."""
    tensors = _tensor_list(tensors, "column_stack")
    return cat([Reshape.apply(t, (t.numel(), 1)) if t.ndim <= 1 else t for t in tensors], 1)


_MESHGRID_INDEXING = (
    "meshgrid: in an upcoming release, it will be required to pass the indexing argument "
    "(as in torch.meshgrid); indexing='ij' is used (pass indexing='ij' or 'xy')"
)


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-d tensors (0-d count as size 1), given separately or as one list: output k
    holds tensor k's values along its own dim, repeated along the others. ``indexing='ij'`` gives shape
    (n0, n1, ...); ``'xy'`` swaps the first two dims (numpy's default). ``None`` is 'ij' with a warning, as
    in PyTorch. Each output is a read-only expanded view; its gradient is summed back (``expand``)."""
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    for k, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(f"meshgrid: expected Tensors, but element {k} is a {type(t).__name__}")
        if t.ndim > 1:
            raise RuntimeError(
                "meshgrid: Expected 0D or 1D tensor in the tensor list but got a tensor of shape "
                f"{tuple(t.shape)} (tensor number {k})"
            )
    if len({t.dtype for t in tensors}) > 1:
        raise RuntimeError(f"meshgrid expects all tensors to have the same dtype, got {[str(t.dtype) for t in tensors]}")
    if indexing is None:
        warnings.warn(_MESHGRID_INDEXING, UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    axes = list(range(len(tensors)))
    if indexing == "xy" and len(tensors) >= 2:
        axes[0], axes[1] = 1, 0
    shape = [1] * len(tensors)
    for t, axis in zip(tensors, axes):
        shape[axis] = t.numel()
    grids = []
    for t, axis in zip(tensors, axes):
        along = [1] * len(tensors)
        along[axis] = t.numel()
        grids.append(expand(Reshape.apply(t, tuple(along)), tuple(shape)))
    return tuple(grids)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: out[i] = x[i + 1] - x[i], applied n times, after
    joining ``prepend`` and ``append`` (tensors of input's dims, equal sizes but along ``dim``) to the
    ends. Bool tensors give x[i + 1] != x[i]. Each step is a difference of two slices, so the gradient
    is the two slices' gradients scattered back.

    ``n=0`` gives a copy of the input, as in PyTorch: ``prepend`` and ``append`` are checked but not
    joined, and ``dim`` is only checked if one of them is given."""
    if not _is_int(n):
        raise TypeError(f"diff(): argument 'n' must be int, not {type(n).__name__}")
    for name, t in (("prepend", prepend), ("append", append)):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"diff(): argument '{name}' must be Tensor, not {type(t).__name__}")
    if input.ndim == 0:
        raise RuntimeError("diff expects input to be at least one-dimensional (got a 0-d tensor)")
    if n < 0:
        raise RuntimeError(f"diff: order must be non-negative but got {n}")
    if n == 0 and prepend is None and append is None:
        return Clone.apply(input)  # PyTorch: a copy, whatever ``dim`` is
    d = normalize_dim(dim, input.ndim, "diff")
    for name, t in (("prepend", prepend), ("append", append)):
        if t is None:
            continue
        if t.ndim != input.ndim:
            raise RuntimeError(
                f"diff expects prepend or append to be the same dimension as input: input has {input.ndim} "
                f"dims (shape {tuple(input.shape)}), {name} has {t.ndim} (shape {tuple(t.shape)})"
            )
        for k in range(input.ndim):
            if k != d and t.shape[k] != input.shape[k]:
                raise RuntimeError(
                    "diff expects the shape of tensor to prepend or append to match that of input except along "
                    f"the differencing dimension; input.size({k}) = {input.shape[k]}, but got tensor.size({k}) = "
                    f"{t.shape[k]} ({name})"
                )
    if n == 0:
        return Clone.apply(input)  # PyTorch ignores prepend and append when n is 0
    x = input
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, input, append) if t is not None], d)
    lead = (slice(None),) * d
    for _ in range(n):
        if x.shape[d] == 0:
            break
        later, earlier = x[lead + (slice(1, None),)], x[lead + (slice(None, -1),)]
        x = later != earlier if x.dtype == np.bool_ else later - earlier
    return x


def narrow(input, dim, start, length):
    """The ``length`` entries from ``start`` along ``dim`` (``start`` may be negative, or a one-element
    integer tensor): a view. Its gradient is scattered back into zeros."""
    if input.ndim == 0:
        raise RuntimeError("narrow() cannot be applied to a 0-dim tensor.")
    d = normalize_dim(dim, input.ndim, "narrow")
    start, length = _index_arg(start, "narrow", "start"), _index_arg(length, "narrow", "length")
    size = input.shape[d]
    if not -size <= start <= size:
        raise IndexError(f"narrow: start out of range (expected to be in range of [{-size}, {size}], but got {start})")
    if start < 0:
        start += size
    if length < 0 or start + length > size:
        raise RuntimeError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({size}) of dim {d}.")
    return input[(slice(None),) * d + (slice(start, start + length),)]


def narrow_copy(input, dim, start, length):
    """:func:`narrow`, as a copy in new memory (the gradient is narrow's). As in PyTorch, a non-negative
    ``dim`` out of range is a RuntimeError here (narrow's, and a negative one's, is an IndexError)."""
    if input.ndim and _is_int(dim) and dim >= input.ndim:
        raise RuntimeError(
            f"narrow_copy: dim {dim} is out of range for a tensor of {input.ndim} dims (expected dim < {input.ndim})"
        )
    return Clone.apply(narrow(input, dim, start, length))


# ------------------------------------------------------- in place: shape changes
def _reshape_in_place(self, op, out):
    """Make self show ``out``, a view of self's memory in another shape (no values change)."""
    self._array = out._array
    self._bump_version()
    return self


def _check_reshape_in_place(self, op):
    """PyTorch's in-place rule, plus: a tensor made by a recorded op cannot change shape (its node would
    get a gradient of the new shape), even under ``no_grad``."""
    if self.grad_fn is not None:
        raise RuntimeError(
            f"{op}: changing the shape of a tensor that is part of the graph in place is not supported (its "
            f"op expects a gradient of shape {tuple(self.shape)}); use the out-of-place {op[:-1]}() instead"
        )
    self._check_inplace(op)
    return Tensor._make(self._array)  # (an alias to run the out-of-place op on, unrecorded)


def squeeze_(self, dim=None, *dims):
    """In place: ``squeeze`` (remove size-1 dims: all, or those among the dims given)."""
    alias = _check_reshape_in_place(self, "squeeze_")
    return _reshape_in_place(self, "squeeze_", squeeze(alias, dim, *dims))


def unsqueeze_(self, dim):
    """In place: ``unsqueeze`` (insert a size-1 dim at ``dim``)."""
    alias = _check_reshape_in_place(self, "unsqueeze_")
    return _reshape_in_place(self, "unsqueeze_", unsqueeze(alias, dim))


def transpose_(self, dim0, dim1):
    """In place: ``transpose`` (swap dims ``dim0`` and ``dim1``)."""
    alias = _check_reshape_in_place(self, "transpose_")
    return _reshape_in_place(self, "transpose_", transpose(alias, dim0, dim1))


def t_(self):
    """In place: ``t()`` (transpose a tensor of at most 2 dims)."""
    alias = _check_reshape_in_place(self, "t_")
    if self.ndim > 2:
        raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
    return _reshape_in_place(self, "t_", t(alias))


# Registered by autograd/ops/__init__.py: METHODS are Tensor methods and module functions, FUNCTIONS
# module functions only, TENSOR_METHODS Tensor methods only (as in PyTorch: torch.squeeze_ does not exist).
# ``tile`` differs: the method takes ints or a tuple, the module function (``tile_function``) one tuple.
METHODS = (movedim, moveaxis, swapaxes, swapdims, unflatten, ravel, diff, narrow, narrow_copy)
FUNCTIONS = (
    atleast_1d, atleast_2d, atleast_3d, hstack, vstack, row_stack, dstack, column_stack, meshgrid, tile_function,
)
TENSOR_METHODS = (squeeze_, unsqueeze_, transpose_, t_, tile)
