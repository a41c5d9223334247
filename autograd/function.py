"""``Function``: the one way a differentiable op is defined, built-in or user-written.

A subclass gives two static methods, PyTorch style::

    class Mul(Function):
        @staticmethod
        def forward(ctx, a, b):          # runs with grad mode off
            ctx.save_for_backward(a, b)
            return a._array * b._array   # an ndarray, or a Tensor
        @staticmethod
        def backward(ctx, grad):         # d(a*b)/da = b, d(a*b)/db = a
            a, b = ctx.saved_tensors
            return grad * b, grad * a    # one gradient per forward argument

and is called as ``Mul.apply(a, b)``. When grad mode is on and an input
requires grad, ``apply`` makes the ``ctx`` object the graph node of the
result (its ``grad_fn``). A user's backward formula gets Tensors, so with
``create_graph=True`` the gradient is itself differentiable.

The built-in ops subclass :class:`Op`: their one formula per op is written in
a vocabulary that ndarrays and Tensors both speak (:mod:`autograd.ops.formula`),
so the engine runs it on bare arrays when no graph of the gradient is wanted.
"""
import inspect
import itertools
import weakref

import numpy as np

from .anomaly import _mode as _anomaly
from .anomaly import check_forward
from .grad_mode import _mode as _grad

# Saved in place of the op's own result: a built-in forward that returns an array saves ``OUTPUT``
# (its result Tensor does not exist yet), and apply() puts every saved result so, held weakly.
OUTPUT = object()

# ``ctx._on_arrays`` while an Op's backward runs on arrays and may overwrite ``grad`` (see Op; true,
# so that saved_tensors gives arrays). A value of the existing attribute, not an attribute of its own:
# CPython 3.11 shares one table of instance attribute names per class, and an attribute first set
# after many nodes exist can find it full, and then every such node gets a dict of its own (4% slower).
OWNS_GRAD = object()

_NEEDED = (True,)  # needs_input_grad of a one-argument op that records
_NEEDED_BOTH, _NEEDED_FIRST, _NEEDED_SECOND = (True, True), (True, False), (False, True)  # ... and of two
_UNCHANGED_1, _UNCHANGED_2 = (0,), (0, 0)  # versions of one and two saved tensors never changed in place

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Function:
    """Base class of differentiable ops; an instance is the op's graph node (``grad_fn``).

    Attributes of a node: ``inputs`` (the forward arguments, as given),
    ``needs_input_grad`` (one bool per argument), and from them ``parents`` (the
    Tensor inputs that require grad: the edges a graph walk follows). Subclasses may
    store plain metadata on ``ctx`` in ``forward``.
    """

    # Class-level defaults keep node creation cheap; apply() sets them per node when recording.
    inputs = ()
    needs_input_grad = ()
    _saved = ()  # None once backward has freed them
    _versions = ()
    _output_ref = None  # a weak reference to the op's result, when forward saved it
    returns_view = False  # True for ops whose result may share its first input's memory
    arrays_in_backward = False  # True for Op: backward may be run on ndarrays (see Op)
    _on_arrays = False  # set by the engine while such a backward runs on ndarrays
    may_overwrite_grad = False  # True for an Op whose backward can write its result into grad (see Op)

    @property
    def parents(self):
        """The inputs that required grad when the op ran: the edges a graph walk follows (the engine
        itself goes by ``inputs`` and ``needs_input_grad``, of which this is made)."""
        return tuple(a for a, needed in zip(self.inputs, self.needs_input_grad) if needed)

    def save_for_backward(self, *tensors):
        """Keep tensors (or arrays) that ``backward`` needs; freed after backward.

        Each tensor's version is noted, so that changing it in place before backward
        raises instead of giving a silently wrong gradient.
        """
        self._saved = tensors  # apply() notes their versions when it records the node

    @property
    def saved_tensors(self):
        """What ``save_for_backward`` kept; raises once backward has freed it.

        While an :class:`Op`'s backward runs on arrays, the saved Tensors come as their ndarrays.
        """
        saved, versions = self._saved, self._versions
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        if len(versions) != len(saved):  # saved by an op that was not recorded
            return saved
        # A Tensor is unchanged since it was saved if its version is. One without a version counter
        # has never been changed in place (counters are made on the first change and never dropped).
        if len(saved) == 1:  # most ops save one value: the loop below, unrolled
            value, version = saved[0], versions[0]
            if value is OUTPUT:
                value = self._output_ref()
            if version is not None:
                counter = value._version
                if counter is not None and counter.value != version:
                    self._raise_modified(value, version)
                if self._on_arrays:
                    value = value._array
            return (value,)
        on_arrays = self._on_arrays
        if len(saved) == 2:  # mul, matmul, ...: two input Tensors, both unchanged, without the loop
            a, b = saved
            version_a, version_b = versions
            if version_a is not None and version_b is not None and a is not OUTPUT and b is not OUTPUT:
                counter_a, counter_b = a._version, b._version
                if (counter_a is None or counter_a.value == version_a) and (
                    counter_b is None or counter_b.value == version_b
                ):
                    return (a._array, b._array) if on_arrays else saved
        values = []  # one loop, not comprehensions: this runs at every node of every backward
        for value, version in zip(saved, versions):
            if value is OUTPUT:
                value = self._output_ref()
            if version is not None:
                counter = value._version
                if counter is not None and counter.value != version:
                    self._raise_modified(value, version)
                if on_arrays:
                    value = value._array
            values.append(value)
        return tuple(values)

    def _raise_modified(self, tensor, version):
        index = next(i for i, s in enumerate(self._saved) if s is tensor or (s is OUTPUT and self._output_ref() is tensor))
        raise RuntimeError(
            f"one of the variables needed for gradient computation has been modified by an "
            f"inplace operation: the tensor of shape {tuple(tensor.shape)} and dtype {tensor.dtype} "
            f"saved by {self.name()} (saved value {index}) is at version {tensor.version}; "
            f"expected version {version} instead. Modify a copy (clone()) instead."
        )

    @classmethod
    def name(cls):
        """The node's name as PyTorch prints it, e.g. ``'MulBackward'``."""
        return cls.__name__ + "Backward"

    def __repr__(self):
        return f"<{self.name()}>"

    @staticmethod
    def forward(ctx, *args):
        """Compute the op's value from its arguments; return an ndarray or a Tensor."""
        raise NotImplementedError("subclasses of autograd.Function must implement forward(ctx, *args)")

    @staticmethod
    def backward(ctx, grad):
        """Given dL/d(output), return dL/d(input) for each forward argument (None where not needed)."""
        raise NotImplementedError("subclasses of autograd.Function must implement backward(ctx, grad)")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run the op on ``args`` and, when gradients are needed, record it in the graph.

        Keyword arguments are bound to ``forward``'s parameters by name and passed in their
        positions, so ``backward`` returns one gradient per parameter of ``forward``, as always.
        """
        if kwargs:
            args = _bind_keywords(cls, args, kwargs)
        return _apply(cls, *args)


def _apply(cls, *args):
    """``cls.apply(*args)``: run the op on ``args`` and, when gradients are needed, record it in the graph.

    (One function, no helpers, for the one path every op of every step takes. Built-in ops call it
    directly; a user's Function goes through :meth:`Function.apply`, which also takes keywords.)
    """
    ctx = cls()
    needs = None  # one bool per argument once an argument requires grad: the op is recorded
    if not _grad.changed or _grad.local.value:  # grad mode on (see ThreadMode)
        # Which arguments are Tensors that require grad. One and two arguments (the commonest ops)
        # without a loop or lists, and with constant tuples (fewer objects per node for the garbage
        # collector to track).
        count = len(args)
        if count == 2:
            a, b = args
            need_a = isinstance(a, Tensor) and a._requires_grad
            need_b = isinstance(b, Tensor) and b._requires_grad
            if need_a:
                needs = _NEEDED_BOTH if need_b else _NEEDED_FIRST
            elif need_b:
                needs = _NEEDED_SECOND
        elif count == 1:
            a = args[0]
            if isinstance(a, Tensor) and a._requires_grad:
                needs = _NEEDED
        else:
            flags = []  # a loop, not a comprehension: this is the hottest path
            for a in args:
                flags.append(isinstance(a, Tensor) and a._requires_grad)
            if True in flags:
                needs = tuple(flags)
    if needs is None or cls.arrays_in_backward:  # an Op's forward works on arrays and records nothing
        out = cls.forward(ctx, *args)
    else:  # a user's forward may call Tensor ops: it runs with grad mode off
        _grad.set(False)
        try:
            out = cls.forward(ctx, *args)
        finally:
            _grad.set(True)
    # The forward's return value as the op's new result Tensor. A view shares its base's version
    # counter, so that an in-place change through either shows in both.
    if type(out) is np.ndarray:  # (Tensor._make, inline: every op makes its result so)
        array, out = out, _new_object(Tensor)
        out._array = array
        out._requires_grad = False
        out._grad = None
        out.grad_fn = None
        out._observers = False
        out._version = None
    else:
        out = _wrap_output(cls, out, args)
    if cls.returns_view and np.may_share_memory(out._array, args[0]._array):
        out._version = args[0]._shared_version()
    if needs is not None:  # record: ctx becomes the result's graph node
        if out._array.dtype.kind != "f":
            raise RuntimeError(
                f"{cls.__name__}.forward returned a {out.dtype} tensor from inputs that "
                "require grad; only floating point outputs can be differentiated"
            )
        ctx.inputs, ctx.needs_input_grad = args, needs
        ctx._rank = next(_ranks)
        out._requires_grad = True
        out.grad_fn = ctx
        if ctx._saved:
            _note_saved(ctx, out)
    if _anomaly.changed and _anomaly.local.value:  # anomaly mode on (see ThreadMode)
        check_forward(ctx, out, args)
    return out


class Op(Function):
    """A built-in op: a Function whose ``backward`` also runs on ndarrays.

    Its formula uses only what ndarrays and Tensors both have: the arithmetic and comparison
    operators, ``@``, ``.shape``, ``.ndim``, ``.dtype``, ``.reshape``, ``.T`` of a matrix, indexing,
    and the functions of :mod:`autograd.ops.formula`. Without ``create_graph`` (the usual
    ``loss.backward()``) the engine passes ``grad`` and ``ctx.saved_tensors`` as ndarrays: no graph
    is recorded, so no Tensor need be made. With ``create_graph=True`` the same lines run on
    Tensors and record the gradient's graph. One formula per op serves both.

    An Op's ``forward`` works on its inputs' arrays and calls no recorded op, so ``apply`` runs it
    without switching grad mode off (a user's forward may call Tensor ops: it runs with grad mode off).

    An Op that sets ``may_overwrite_grad`` (relu, dropout: ``grad * mask``) may write its result into
    ``grad``'s memory when ``ctx._on_arrays is OWNS_GRAD``. The engine says so only on arrays, for a
    plain ``backward()`` or ``autograd.grad``, and only when nothing but the engine holds ``grad``: no
    ``.grad``, no other input's gradient, no view, no stepper. A large step then allocates one
    gradient fewer per such op and writes into memory that is already in the cache.
    """

    arrays_in_backward = True
    apply = classmethod(_apply)  # positional arguments only: no keyword binding on the hottest path


def _note_saved(ctx, out):
    """Note the version of each saved tensor, and hold the op's own result weakly if it was saved."""
    saved = ctx._saved
    if len(saved) == 1 and saved[0] is OUTPUT:  # exp, tanh, sigmoid, ...: their result alone
        ctx._output_ref = weakref.ref(out)
        ctx._versions = _UNCHANGED_1 if out._version is None else (out._version.value,)
        return
    if len(saved) == 2:  # mul, matmul, ...: two input Tensors, without the loop
        a, b = saved
        if isinstance(a, Tensor) and isinstance(b, Tensor) and a is not out and b is not out:
            counter_a, counter_b = a._version, b._version
            if counter_a is None and counter_b is None:
                ctx._versions = _UNCHANGED_2
            else:
                ctx._versions = (0 if counter_a is None else counter_a.value, 0 if counter_b is None else counter_b.value)
            return
    versions = []
    for value in saved:
        if value is out or value is OUTPUT:
            return _note_saved_with_result(ctx, out)
        if isinstance(value, Tensor):
            counter = value._version
            versions.append(0 if counter is None else counter.value)
        else:
            versions.append(None)
    ctx._versions = tuple(versions)


def _note_saved_with_result(ctx, out):
    """``_note_saved`` when the op's own result is among the saved values (with others)."""
    saved, versions = [], []
    for value in ctx._saved:
        if value is out or value is OUTPUT:
            # The node must not own its own result (a reference cycle): the result is
            # alive whenever backward reaches this node, so a weak reference suffices.
            ctx._output_ref = weakref.ref(out)
            saved.append(OUTPUT)
            versions.append(0 if out._version is None else out._version.value)
        elif isinstance(value, Tensor):
            saved.append(value)
            versions.append(0 if value._version is None else value._version.value)
        else:
            saved.append(value)
            versions.append(None)
    ctx._saved, ctx._versions = tuple(saved), tuple(versions)


def _bind_keywords(cls, args, kwargs):
    """``args`` and ``kwargs`` as the positional arguments of ``cls.forward(ctx, ...)`` (defaults filled
    in up to the last keyword given), or a TypeError naming the Function."""
    parameters = list(inspect.signature(cls.forward).parameters.values())[1:]  # after ctx
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    names = [p.name for p in parameters if p.kind in positional]
    unknown = [name for name in kwargs if name not in names or names.index(name) < len(args)]
    if unknown:
        raise TypeError(
            f"{cls.__name__}.apply() got an unexpected or repeated keyword argument {unknown[0]!r}: keywords "
            f"name parameters of {cls.__name__}.forward after ctx and after the positional arguments "
            f"({', '.join(names) or 'none'})"
        )
    last = max(names.index(name) for name in kwargs)
    bound = list(args)
    for parameter in parameters[len(args):last + 1]:
        if parameter.name in kwargs:
            bound.append(kwargs[parameter.name])
        elif parameter.default is not inspect.Parameter.empty:
            bound.append(parameter.default)
        else:
            raise TypeError(f"{cls.__name__}.apply() missing required argument {parameter.name!r}")
    return tuple(bound)


def _wrap_output(cls, out, args):
    """Make a forward's result a fresh Tensor (a user forward may return a Tensor or a number)."""
    if isinstance(out, Tensor):
        if out.grad_fn is not None:
            return Tensor._make(out._array)
        for a in args:
            if out is a:  # the forward returned an input: the result must be a new tensor
                return Tensor._make(out._array)
        return out
    if isinstance(out, (tuple, list)):
        raise TypeError(
            f"{cls.__name__}.forward returned a {type(out).__name__}; autograd.Function "
            "supports one output Tensor per op (split the op into one Function per output)"
        )
    return Tensor._make(np.asarray(out))


from .tensor import Tensor  # noqa: E402  (tensor.py imports this module first)

_new_object = object.__new__
# A recorded node's ``_rank``: 0, -1, -2, ... in the order nodes are made. Every consumer of a tensor
# is made after the tensor's own node, so the engine, taking the smallest rank first, reaches a tensor
# only after all of its consumers: when its gradient is complete (PyTorch orders by sequence number too).
_ranks = itertools.count(0, -1)
