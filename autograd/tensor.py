"""``Tensor``: a numpy array that records the ops applied to it, for reverse-mode autodiff.

The class holds storage and metadata and maps Python's operators and PyTorch's
method names onto the ops in :mod:`autograd.ops`, where each op and its
derivative is defined once as an :class:`autograd.Function`.
"""
import numbers
import warnings

import numpy as np

from . import grad_mode
from . import hooks as _hooks
from .device import CPU, check_device, parse_to
from .dtypes import as_array, is_floating, to_dtype


def _check_can_require_grad(dtype, op):
    if not is_floating(dtype):
        raise RuntimeError(
            f"{op}: only Tensors of floating point dtype can require gradients (got dtype {dtype}); "
            "create it with dtype=autograd.float32 or float64"
        )


class memory_format:
    """A memory layout for ``clone``, ``contiguous`` and ``to`` (PyTorch's ``torch.memory_format``):
    ``preserve_format`` keeps the input's layout, ``contiguous_format`` is row-major (C order)."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"autograd.{self.name}"


preserve_format = memory_format("preserve_format")
contiguous_format = memory_format("contiguous_format")


def _check_memory_format(value, op):
    """``value`` (None for the default) as one of the memory formats chainrule has, or a TypeError."""
    if value is None:
        return preserve_format
    if value is not preserve_format and value is not contiguous_format:
        raise TypeError(
            f"{op}(): memory_format must be autograd.preserve_format or autograd.contiguous_format, got {value!r}"
        )
    return value


# PyTorch's tensor type names (``t.type()``): 'torch.FloatTensor' for float32, and so on.
_TYPE_NAMES = {
    "float32": "torch.FloatTensor", "float64": "torch.DoubleTensor", "float16": "torch.HalfTensor",
    "int64": "torch.LongTensor", "int32": "torch.IntTensor", "int16": "torch.ShortTensor",
    "int8": "torch.CharTensor", "uint8": "torch.ByteTensor", "bool": "torch.BoolTensor",
}
_TYPE_BY_NAME = {name: np.dtype(dtype) for dtype, name in _TYPE_NAMES.items()}


_new_object = object.__new__  # bound once: creating a Tensor is the most frequent thing the engine does


class VersionCounter:
    """A count of in-place changes, shared by a tensor and its views (as in PyTorch).

    Ops note the count of each tensor they save for backward; a different count at
    backward time means the values changed underneath, and backward raises.
    """

    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


class Tensor:
    """An n-dimensional array in the computation graph.

    ``Tensor(data, dtype=None, requires_grad=False, device=None)`` is the same as
    :func:`autograd.tensor`. A result of ops on tensors that require grad has a
    ``grad_fn`` (the op's node); ``backward()`` fills ``.grad`` of the leaves.
    """

    __slots__ = ("_array", "_requires_grad", "_grad", "grad_fn", "_observers", "_version", "__weakref__")
    __array_priority__ = 1000  # so ndarray (op) Tensor defers to Tensor's reflected operators

    def __init__(self, data, dtype=None, requires_grad=False, device=None):
        check_device(device, "tensor")
        self._array = as_array(data, dtype, "Tensor")
        self._requires_grad = False
        self._grad = None
        self.grad_fn = None
        self._observers = False
        self._version = None
        if requires_grad:
            self.requires_grad = True

    @staticmethod
    def _make(array, requires_grad=False):
        """Wrap an ndarray in a new Tensor without copying or converting (internal fast path)."""
        t = _new_object(Tensor)
        # numpy ufuncs return scalars for 0-d inputs; a Tensor always holds an ndarray.
        t._array = array if type(array) is np.ndarray else np.asarray(array)
        t._requires_grad = requires_grad
        t._grad = None
        t.grad_fn = None
        t._observers = False
        t._version = None  # a VersionCounter once a view or an in-place write needs one
        return t

    # ------------------------------------------------------------- versions
    @property
    def version(self):
        """How many times this tensor's memory was changed in place (through it or a view of it)."""
        return 0 if self._version is None else self._version.value

    def _shared_version(self):
        """The version counter, created on first need, to share with a view of this tensor."""
        if self._version is None:
            self._version = VersionCounter()
        return self._version

    def _bump_version(self):
        """Record an in-place change of this tensor's memory (every in-place writer calls this)."""
        self._shared_version().value += 1

    # ---------------------------------------------------------------- metadata
    @property
    def shape(self):
        """The sizes of the dimensions, a tuple (PyTorch's ``torch.Size`` is a tuple too)."""
        return self._array.shape

    @property
    def ndim(self):
        """Number of dimensions."""
        return self._array.ndim

    def dim(self):
        """Number of dimensions (PyTorch's method form)."""
        return self._array.ndim

    def ndimension(self):
        """Number of dimensions (another name for ``dim()``)."""
        return self._array.ndim

    @property
    def dtype(self):
        """The element type, a ``numpy.dtype`` (compare with ``autograd.float32`` etc.)."""
        return self._array.dtype

    def size(self, dim=None, *, axis=None):
        """The shape, or the size of dimension ``dim`` (``axis`` also names it, as in PyTorch)."""
        if axis is not None:
            dim = _ops.common.dim_alias(dim, axis, "size")
        if dim is None:
            return self._array.shape
        return self._array.shape[_normalize_dim(dim, self.ndim, "size")]

    def numel(self):
        """Number of elements."""
        return self._array.size

    def nelement(self):
        """Number of elements (another name for ``numel()``)."""
        return self._array.size

    def element_size(self):
        """Bytes per element (4 for float32, 1 for bool)."""
        return self._array.itemsize

    def is_contiguous(self, memory_format=contiguous_format):
        """True if the elements lie in memory in row-major order without gaps (as after ``contiguous()``).

        Here this is the memory's own layout: a transpose, an ``expand`` and a step slice are not
        contiguous, as in PyTorch, and neither is an ``nn.Linear`` weight, stored column-major (see
        the README's differences from PyTorch).
        """
        _check_memory_format(memory_format, "is_contiguous")
        return self._array.flags.c_contiguous

    def contiguous(self, memory_format=contiguous_format):
        """self if it is contiguous (``is_contiguous()``), else a row-major copy that stays in the graph
        (gradient: passed through unchanged)."""
        if self._array.flags.c_contiguous:
            return self
        if _check_memory_format(memory_format, "contiguous") is not contiguous_format:
            raise RuntimeError("contiguous: preserve memory format is unsupported by the contiguous operator")
        return _ops.shape.ContiguousClone.apply(self)

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._array.shape[0]

    @property
    def requires_grad(self):
        """Whether gradients are computed for this tensor. Settable on leaves only."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        value = bool(value)
        if self.grad_fn is not None:
            if not value:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach()."
                )
            return
        if value:
            _check_can_require_grad(self.dtype, "requires_grad")
        self._requires_grad = value

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` in place and return self."""
        self.requires_grad = requires_grad
        return self

    @property
    def is_leaf(self):
        """True for tensors not produced by a recorded op (user-created, or not requiring grad)."""
        return self.grad_fn is None

    @property
    def grad(self):
        """The accumulated gradient dL/d(self) after ``backward()``, a Tensor, or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got {type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(
                    f"assigned grad has data of a different size: got shape {tuple(value.shape)}, "
                    f"expected {tuple(self.shape)}"
                )
        self._grad = value

    def retain_grad(self):
        """Keep ``.grad`` for this non-leaf tensor during backward (leaves always keep it), after its hooks."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None:
            _hooks.observers_of(self).retain = True

    @property
    def retains_grad(self):
        """True if ``retain_grad()`` was called on this non-leaf."""
        return self._observers is not False and self._observers.retain

    def register_hook(self, hook):
        """Call ``hook(grad)`` each time backward completes this tensor's gradient dL/d(self), before it
        goes on; a Tensor it returns (same shape and dtype) replaces the gradient. Returns a handle
        whose ``remove()`` unregisters the hook. (On a leaf, the hook runs before ``.grad`` is
        accumulated into; see :mod:`autograd.hooks`.)"""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return _hooks.register(_hooks.observers_of(self).hooks, hook)

    def register_post_accumulate_grad_hook(self, hook):
        """Call ``hook(self)`` after backward has accumulated into this leaf's ``.grad`` (to update a
        parameter as soon as its gradient is ready, say). Returns a handle with ``remove()``."""
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        return _hooks.register(_hooks.observers_of(self).post_accumulate, hook)

    @property
    def data(self):
        """A tensor sharing this one's memory, detached from the graph. Assigning replaces the values."""
        return Tensor._make(self._array)

    @data.setter
    def data(self, value):
        array = value._array if isinstance(value, Tensor) else as_array(value, op="data")
        self._array = array
        self._bump_version()

    def detach(self):
        """A new tensor sharing memory (and its version counter), cut from the graph (``requires_grad=False``)."""
        detached = Tensor._make(self._array)
        detached._version = self._shared_version()
        return detached

    def detach_(self):
        """Cut this tensor from the graph in place."""
        self.grad_fn = None
        self._requires_grad = False
        return self

    # ------------------------------------------------------------ conversion
    def numpy(self):
        """The values as an ndarray sharing memory. Like PyTorch, refused while requires_grad is set."""
        if self._requires_grad:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._array

    def __array__(self, dtype=None, copy=None):
        array = self._array
        if dtype is not None and array.dtype != dtype:
            return array.astype(dtype)
        return array.copy() if copy else array

    def item(self):
        """The value of a one-element tensor as a Python number."""
        if self._array.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._array.size} elements cannot be converted to Scalar "
                f"(shape {tuple(self.shape)}); item() needs exactly one element"
            )
        return self._array.reshape(()).item()

    def tolist(self):
        """The values as (nested) Python lists of numbers."""
        return self._array.tolist()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._array.size != 1:
            raise RuntimeError(f"Boolean value of Tensor with more than one value is ambiguous (shape {tuple(self.shape)})")
        return bool(self._array.reshape(()).item())

    def __index__(self):
        if self.dtype.kind not in "iu" or self._array.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self.item())

    def to(self, *args, copy=False, memory_format=None, **kwargs):
        """A copy converted to a dtype (differentiable), or self if nothing changes and ``copy`` is False.

        PyTorch's forms: ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(other_tensor)``;
        the device can only be the CPU. ``copy=True`` always returns new memory (a ``clone()`` when the
        dtype is unchanged); ``memory_format=autograd.contiguous_format`` a row-major result.
        """
        dtype = parse_to(args, dict(kwargs), "to")
        if memory_format is not None and _check_memory_format(memory_format, "to") is contiguous_format:
            return self.to(dtype, copy=copy).contiguous()
        if dtype is None or dtype == self.dtype:
            return _ops.shape.Clone.apply(self) if copy else self
        return _ops.shape.Cast.apply(self, dtype) if is_floating(dtype) else Tensor._make(self._array.astype(dtype))

    @property
    def device(self):
        """Where the tensor lives: the CPU."""
        return CPU

    @property
    def is_cuda(self):
        """False: there is no GPU here."""
        return False

    def cpu(self):
        """self (already on the CPU)."""
        return self

    def cuda(self, *args, **kwargs):
        """Refused: chainrule runs on the CPU only."""
        check_device("cuda", "cuda")

    def float(self):
        """``to(float32)``."""
        return self.to(np.float32)

    def double(self):
        """``to(float64)``."""
        return self.to(np.float64)

    def half(self):
        """``to(float16)``."""
        return self.to(np.float16)

    def long(self):
        """``to(int64)`` (not differentiable)."""
        return self.to(np.int64)

    def int(self):
        """``to(int32)`` (not differentiable)."""
        return self.to(np.int32)

    def bool(self):
        """``to(bool)`` (not differentiable)."""
        return self.to(np.bool_)

    def type(self, dtype=None, non_blocking=False):
        """PyTorch's tensor type name (``'torch.FloatTensor'`` for float32, ``'torch.LongTensor'`` for int64,
        ...); or, given a dtype or such a name, ``to(dtype)`` (self if it already has that dtype)."""
        if dtype is None:
            return _TYPE_NAMES[self._array.dtype.name]
        if isinstance(dtype, str):
            if dtype not in _TYPE_BY_NAME:
                raise ValueError(f"invalid type: {dtype!r} (expected a dtype or a name such as 'torch.FloatTensor')")
            dtype = _TYPE_BY_NAME[dtype]
        return self.to(to_dtype(dtype, "type"))

    def type_as(self, other):
        """``to(other.dtype)``: differentiable between floating dtypes."""
        _check_tensor(other, "type_as", "other")
        return self.to(other.dtype)

    def view_as(self, other):
        """``view(other.shape)`` (here the same as ``reshape``): the gradient is reshaped back."""
        _check_tensor(other, "view_as", "other")
        return self.view(other.shape)

    def reshape_as(self, other):
        """``reshape(other.shape)``: the gradient is reshaped back."""
        _check_tensor(other, "reshape_as", "other")
        return self.reshape(other.shape)

    def clone(self, *, memory_format=None):
        """A copy with its own memory; gradients flow back to the original (d/dx = 1). It keeps self's
        layout (``memory_format=autograd.preserve_format``, the default) or is row-major
        (``autograd.contiguous_format``)."""
        if memory_format is not None and _check_memory_format(memory_format, "clone") is contiguous_format:
            return _ops.shape.ContiguousClone.apply(self)
        return _ops.shape.Clone.apply(self)

    # ------------------------------------------------------- new tensors like self
    def new_zeros(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """Zeros of shape ``sizes`` (ints or a tuple, or ``size=``), of self's dtype unless ``dtype``."""
        return self._new("new_zeros", np.zeros, sizes, size, dtype, device, requires_grad)

    def new_ones(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """Ones of shape ``sizes`` (ints or a tuple, or ``size=``), of self's dtype unless ``dtype``."""
        return self._new("new_ones", np.ones, sizes, size, dtype, device, requires_grad)

    def new_empty(self, *sizes, size=None, dtype=None, device=None, requires_grad=False):
        """An uninitialized tensor (here: zeros) of shape ``sizes``, of self's dtype unless ``dtype``."""
        return self._new("new_empty", np.zeros, sizes, size, dtype, device, requires_grad)

    def _new(self, op, fill, sizes, size, dtype, device, requires_grad):
        check_device(device, op)
        shape = _factories._size(sizes, op, size)
        dtype = self._array.dtype if dtype is None else to_dtype(dtype, op)
        return _factories._finish(fill(shape, dtype), requires_grad)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False):
        """A tensor of shape ``size`` (a tuple or a list) filled with ``fill_value``, of self's dtype unless
        ``dtype`` (the value is converted to it: 2.7 in an int tensor is 2)."""
        if not isinstance(size, (tuple, list)):
            raise TypeError(f"new_full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}")
        dtype = self._array.dtype if dtype is None else to_dtype(dtype, "new_full")
        return _factories.full(tuple(size), fill_value, dtype=dtype, device=device, requires_grad=requires_grad)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False):
        """A new leaf holding a copy of ``data``, of self's dtype unless ``dtype`` (floats in an int tensor's
        dtype are truncated). Copying a Tensor this way warns, as in PyTorch: use ``t.detach().clone()``."""
        if isinstance(data, Tensor):
            warnings.warn(
                "new_tensor: to copy construct from a tensor, it is recommended to use "
                "sourceTensor.detach().clone() (or .detach().clone().requires_grad_(True)) rather than "
                "tensor.new_tensor(sourceTensor)",
                UserWarning, stacklevel=2,
            )
        dtype = self._array.dtype if dtype is None else dtype
        return Tensor(data, dtype=dtype, requires_grad=requires_grad, device=device)

    def __repr__(self):
        return _format(self)

    def __format__(self, spec):
        """``f"{loss:.4f}"``: a 0-d tensor formats as its number, as in PyTorch; any other tensor takes
        only the empty spec (``f"{t}"`` is its repr)."""
        if self._array.ndim == 0:
            return format(self._array.item(), spec)
        return object.__format__(self, spec)

    def is_floating_point(self):
        """True for a floating point dtype (float16, float32, float64)."""
        return self._array.dtype.kind == "f"

    __hash__ = object.__hash__

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._array.shape[0]))

    # --------------------------------------------------------------- autograd
    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into ``.grad`` of every leaf that requires grad.

        ``gradient`` is dL/d(self), needed unless self has one element. The
        graph's saved values are freed unless ``retain_graph`` (default:
        ``create_graph``); ``create_graph=True`` makes the gradients differentiable.
        ``inputs``: when given (a Tensor or a sequence), only their ``.grad`` is accumulated into.
        """
        _engine.backward([self], [gradient], retain_graph, create_graph, inputs)

    # Arithmetic and comparison operators are bound to the op functions in autograd/ops/__init__.py.

    def __pos__(self):
        return self

    def __getitem__(self, index):
        return _ops.index.getitem(self, index)

    def __setitem__(self, index, value):
        _ops.index.setitem(self, index, value)

    # --------------------------------------------------------------- in place
    def _check_inplace(self, op):
        if self._requires_grad and grad_mode.is_grad_enabled():
            if self.grad_fn is None:
                raise RuntimeError(
                    f"{op}: a leaf Variable that requires grad is being used in an in-place operation. "
                    "Update parameters inside `with autograd.no_grad():`."
                )
            raise RuntimeError(
                f"{op}: in-place operations on a tensor that is part of the graph are not supported "
                "(its value may be needed for backward); use the out-of-place form instead"
            )

    def _inplace(self, op, ufunc, operand):
        """Run ``ufunc(self, operand)`` writing into self's memory, as the in-place op ``op``."""
        mode = grad_mode._mode  # _check_inplace's own test, inline (the SGD update runs here; see ThreadMode)
        if self._requires_grad and (not mode.changed or mode.local.value):
            self._check_inplace(op)
        target = self._array
        try:
            ufunc(target, operand, target)  # out, positional (cheaper than keywords); casting: "same_kind"
        except ValueError as error:
            operands = operand if type(operand) is tuple else (operand,)  # (clamp_'s bounds come as a pair)
            shapes = ", ".join(str(tuple(np.shape(o))) for o in operands)
            if not target.flags.writeable:
                raise RuntimeError(f"{op}: this tensor is a read-only view (e.g. from expand); clone() it first") from None
            raise RuntimeError(
                f"{op}: operand of shape {shapes} cannot be broadcast to the tensor's shape {tuple(target.shape)}"
            ) from None
        except TypeError as error:  # numpy's UFuncTypeError: the result can't be cast to self's dtype
            raise RuntimeError(f"{op}: result type can't be cast to the desired output type {target.dtype} ({error})") from None
        except OverflowError:  # a Python int beyond self's integer dtype: PyTorch wraps it (uint8 -3 is 253)
            ufunc(target, _ops.common.fit_integer(operand, target.dtype, op), target)
        if self._version is None:
            self._version = VersionCounter()
        self._version.value += 1  # _bump_version(), inline on this hot path
        return self

    def add_(self, other, alpha=1):
        """In place: ``self += alpha * other``."""
        other = other._array if type(other) is Tensor else _ops.operand_array(other)
        return self._inplace("add_", np.add, other if alpha == 1 else np.multiply(other, alpha))

    def sub_(self, other, alpha=1):
        """In place: ``self -= alpha * other``."""
        other = other._array if type(other) is Tensor else _ops.operand_array(other)  # (the SGD update's case, inline)
        return self._inplace("sub_", np.subtract, other if alpha == 1 else np.multiply(other, alpha))

    def mul_(self, other):
        """In place: ``self *= other``."""
        return self._inplace("mul_", np.multiply, _ops.operand_array(other))

    def div_(self, other):
        """In place: ``self /= other``."""
        return self._inplace("div_", np.true_divide, _ops.operand_array(other))

    def zero_(self):
        """In place: fill with zeros."""
        return self.fill_(0)

    def fill_(self, value):
        """In place: set every element to ``value`` (a number or a 0-d tensor)."""
        self._check_inplace("fill_")
        if isinstance(value, (Tensor, np.ndarray)) and value.ndim:
            raise RuntimeError(
                f"fill_ only supports 0-dimension value tensor but got tensor with {value.ndim} dimensions."
            )
        value = _ops.operand_array(value)
        try:
            self._array.fill(value)
        except OverflowError:  # a Python int beyond self's integer dtype: PyTorch wraps it
            self._array.fill(_ops.common.fit_integer(value, self._array.dtype, "fill_"))
        self._bump_version()
        return self

    def copy_(self, src, non_blocking=False):
        """In place: copy ``src``'s values (broadcast to self's shape) into self. (``non_blocking`` changes
        nothing on the CPU.)"""
        return self._inplace("copy_", _copy_into, _ops.operand_array(src))

    def clamp_(self, min=None, max=None):
        """In place: clamp into [min, max]."""
        _ops.elementwise.check_bounds(min, max, "clamp_")
        return self._inplace("clamp_", _clip_into, (min, max))

    __iadd__ = add_  # ``t += x`` is ``t.add_(x)``, and so on
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_


def _clip_into(target, bounds, out):
    """``clamp_``'s kernel in ufunc form: out = clip(target, min, max)."""
    np.clip(target, bounds[0], bounds[1], out)


def _copy_into(target, src, out):
    """``copy_``'s kernel in ufunc form: out[...] = src, broadcasting."""
    np.copyto(out, src, casting="unsafe")


def _check_tensor(value, op, name):
    if not isinstance(value, Tensor):
        raise TypeError(f"{op}(): argument '{name}' (position 1) must be Tensor, not {type(value).__name__}")


def _normalize_dim(dim, ndim, op):
    """Map a possibly negative ``dim`` into range(ndim), or raise IndexError naming ``op``."""
    if type(dim) is not int and (isinstance(dim, bool) or not isinstance(dim, numbers.Integral)):
        raise TypeError(f"{op}: dim must be an int, got {type(dim).__name__}")
    lo, hi = (-1, 0) if ndim == 0 else (-ndim, ndim - 1)
    if not lo <= dim <= hi:
        raise IndexError(f"{op}: Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})")
    return dim % ndim if ndim else 0


def _format(t):
    """PyTorch's look: whole floats as ``1.``, else 4 decimals, scientific for extreme ranges."""
    array = t._array
    kwargs = {"separator": ", ", "prefix": "tensor(", "threshold": 1000, "edgeitems": 3,
              "max_line_width": 81}  # numpy counts the prefix and separators: 81 wraps where PyTorch does
    if array.dtype.kind == "f" and array.size:
        kwargs["formatter"] = {"float_kind": _float_formatter(array)}
    elif array.dtype == np.bool_ and array.size:
        width = 5 if not array.all() else 4  # " True" lines up with "False" only when one is there
        kwargs["formatter"] = {"bool": lambda v: str(bool(v)).rjust(width)}
    body = np.array2string(array, **kwargs).replace(", ...,", ",  ...,")
    extras = []
    if array.size == 0 and array.ndim > 1:
        extras.append(f"size={tuple(array.shape)}")
    # Like PyTorch: the dtype is shown unless the values imply it (float32, int64, bool)
    if array.dtype != np.float32 and (array.size == 0 or (array.dtype != np.int64 and array.dtype != np.bool_)):
        extras.append(f"dtype=autograd.{array.dtype}")
    if t.grad_fn is not None:
        extras.append(f"grad_fn={t.grad_fn!r}")
    elif t._requires_grad:
        extras.append("requires_grad=True")
    text = "tensor(" + body
    line_length = len(text) - text.rfind("\n") - 1
    for extra in extras:  # PyTorch's rule: a suffix that would pass 80 columns starts a new line
        if line_length + len(extra) + 2 > 80:
            text += ",\n" + " " * len("tensor(") + extra
            line_length = len("tensor(") + len(extra)
        else:
            text += ", " + extra
            line_length += len(extra) + 2
    return text + ")"


def _displayed(array, threshold=1000, edge=3):
    """The elements a summarized print shows (PyTorch chooses the number format from these only)."""
    if array.size <= threshold:
        return array
    for axis, size in enumerate(array.shape):
        if size > 2 * edge:
            array = np.concatenate([np.take(array, range(edge), axis), np.take(array, range(size - edge, size), axis)], axis)
    return array


def _float_formatter(array):
    array = _displayed(array)
    finite = array[np.isfinite(array)].astype(np.float64)
    integral = bool(np.all(finite == np.round(finite)))
    style = "{:.0f}." if integral else "{:.4f}"
    magnitudes = np.abs(finite[finite != 0])
    if magnitudes.size:  # PyTorch's rule for switching to scientific notation
        big, small = magnitudes.max(), magnitudes.min()
        if big / small > 1000.0 or big > 1.0e8 or (not integral and small < 1.0e-4):
            style = "{:.4e}"
    def text(value):
        if np.isfinite(value):
            return style.format(value)
        return "nan" if np.isnan(value) else ("inf" if value > 0 else "-inf")

    width = max((len(style.format(v)) for v in finite), default=0)

    def format_float(value):
        return text(value).rjust(width)

    return format_float


from . import engine as _engine  # noqa: E402
from . import ops as _ops  # noqa: E402
from . import factories as _factories  # noqa: E402
from . import random_fill as _random_fill  # noqa: E402,F401 (attaches the random fills to Tensor)
