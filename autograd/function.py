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
result (its ``grad_fn``). Backward formulas are written with Tensor ops, so
with ``create_graph=True`` the gradient is itself differentiable.
"""
import weakref

import numpy as np

from .anomaly import _state as _anomaly
from .anomaly import check_forward
from .grad_mode import _state as _grad_state

_OUTPUT = object()  # stands for the op's own result among the saved values

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Function:
    """Base class of differentiable ops; an instance is the op's graph node (``grad_fn``).

    Attributes of a node: ``inputs`` (the forward arguments: a Tensor, or None
    where the argument was not a Tensor), ``parents`` (the inputs that require
    grad: the edges the graph walk follows), ``needs_input_grad`` (one bool per
    argument). Subclasses may store plain metadata on ``ctx`` in ``forward``.
    """

    # Class-level defaults keep node creation cheap; apply() sets them per node when recording.
    inputs = ()
    parents = ()
    needs_input_grad = ()
    _saved = ()
    _versions = ()
    _freed = False
    _output_ref = None  # a weak reference to the op's result, when forward saved it
    returns_view = False  # True for ops whose result may share its first input's memory

    def save_for_backward(self, *tensors):
        """Keep tensors (or arrays) that ``backward`` needs; freed after backward.

        Each tensor's version is noted, so that changing it in place before backward
        raises instead of giving a silently wrong gradient.
        """
        self._saved = tensors  # apply() notes their versions when it records the node

    @property
    def saved_tensors(self):
        """What ``save_for_backward`` kept; raises once backward has freed it."""
        if self._freed:
            raise RuntimeError(FREED_MESSAGE)
        saved = self._saved
        if self._output_ref is not None:
            output = self._output_ref()
            saved = tuple([output if s is _OUTPUT else s for s in saved])
        for index, (tensor, version) in enumerate(zip(saved, self._versions)):
            if version is not None and tensor.version != version:
                raise RuntimeError(
                    f"one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: the tensor of shape {tuple(tensor.shape)} and dtype {tensor.dtype} "
                    f"saved by {self.name()} (saved value {index}) is at version {tensor.version}; "
                    f"expected version {version} instead. Modify a copy (clone()) instead."
                )
        return saved

    def release(self):
        """Drop the saved values (called by the engine after backward unless ``retain_graph``)."""
        if self._saved:
            self._saved = ()
            self._freed = True

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
    def apply(cls, *args):
        """Run the op on ``args`` and, when gradients are needed, record it in the graph."""
        ctx = cls()
        record = False
        if _grad_state.enabled:
            needs = tuple([isinstance(a, Tensor) and a._requires_grad for a in args])
            record = True in needs
        if record:
            _grad_state.enabled = False
            try:
                out = cls.forward(ctx, *args)
            finally:
                _grad_state.enabled = True
        else:
            out = cls.forward(ctx, *args)
        if type(out) is np.ndarray:
            out = Tensor._make(out)
        else:
            out = _wrap_output(cls, out, args)
        if cls.returns_view and np.may_share_memory(out._array, args[0]._array):
            out._version = args[0]._shared_version()  # an in-place change to either shows in both
        if record:
            if out._array.dtype.kind != "f":
                raise RuntimeError(
                    f"{cls.__name__}.forward returned a {out.dtype} tensor from inputs that "
                    "require grad; only floating point outputs can be differentiated"
                )
            inputs, parents = [], []
            for a, needed in zip(args, needs):
                if needed:
                    inputs.append(a)
                    parents.append(a)
                else:
                    inputs.append(a if isinstance(a, Tensor) else None)
            ctx.inputs = tuple(inputs)
            ctx.parents = tuple(parents)
            ctx.needs_input_grad = needs
            out._requires_grad = True
            out.grad_fn = ctx
            if ctx._saved:
                _note_saved(ctx, out)
        if _anomaly.enabled:
            check_forward(ctx, out, args)
        return out


def _note_saved(ctx, out):
    """Note the version of each saved tensor, and hold the op's own result weakly if it was saved."""
    versions = []
    for saved in ctx._saved:
        if isinstance(saved, Tensor):
            versions.append(0 if saved._version is None else saved._version.value)
        else:
            versions.append(None)
        if saved is out:
            # The node must not own its own result (a reference cycle): the result is
            # alive whenever backward reaches this node, so a weak reference suffices.
            ctx._saved = tuple([_OUTPUT if s is out else s for s in ctx._saved])
            ctx._output_ref = weakref.ref(out)
    ctx._versions = versions


def _wrap_output(cls, out, args):
    """Make a forward's result a fresh Tensor (a user forward may return a Tensor or a number)."""
    if isinstance(out, Tensor):
        if out.grad_fn is not None or any(out is a for a in args):
            return Tensor._make(out._array)
        return out
    if isinstance(out, (tuple, list)):
        raise TypeError(
            f"{cls.__name__}.forward returned a {type(out).__name__}; autograd.Function "
            "supports one output Tensor per op (split the op into one Function per output)"
        )
    return Tensor._make(np.asarray(out))


from .tensor import Tensor  # noqa: E402  (tensor.py imports this module first)
