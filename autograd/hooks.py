"""Gradient hooks: what backward does with one tensor's gradient once it is complete.

``t.register_hook(hook)`` calls ``hook(grad)`` when backward has summed every contribution to
dL/dt, before the gradient goes on (to ``t``'s node, or into a leaf's ``.grad``); a hook that
returns a Tensor replaces the gradient, of the same shape and dtype. ``t.retain_grad()`` keeps a
non-leaf's gradient in ``.grad``, after its hooks, as in PyTorch. ``leaf.register_post_accumulate_grad_hook
(hook)`` calls ``hook(leaf)`` after ``.grad`` was accumulated into.

A tensor holds these in one :class:`GradObservers` (in its ``_observers`` slot, False while it has
none), so that the engine's one test per tensor (``capture is not None or tensor._observers``) costs
nothing for the tensors nobody watches.
"""
import itertools

import numpy as np


class RemovableHandle:
    """Returned by every ``register_*hook``; ``remove()`` unregisters the hook (also on leaving a ``with``)."""

    _ids = itertools.count()

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = next(RemovableHandle._ids)

    def remove(self):
        """Unregister the hook (idempotent)."""
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class GradObservers:
    """One tensor's gradient hooks (in registration order), whether it retains its gradient, and
    (a leaf's) hooks to call after ``.grad`` was accumulated into."""

    __slots__ = ("hooks", "retain", "post_accumulate")

    def __init__(self):
        self.hooks = {}
        self.retain = False
        self.post_accumulate = {}

    def __bool__(self):
        return bool(self.hooks or self.retain or self.post_accumulate)


def observers_of(tensor):
    """``tensor``'s :class:`GradObservers`, made on first use."""
    observers = tensor._observers
    if observers is False:
        observers = tensor._observers = GradObservers()
    return observers


def register(hooks, hook):
    """Add ``hook`` to the dict ``hooks``; return its handle."""
    if not callable(hook):
        raise TypeError(f"a hook must be callable, got {type(hook).__name__}")
    handle = RemovableHandle(hooks)
    hooks[handle.id] = hook
    return handle


def run_hooks(observers, grad, as_tensor, create_graph):
    """``grad`` after each of the hooks in turn: ``hook(grad)`` as a Tensor; a returned Tensor replaces it
    (an ndarray again on the engine's array path), and must keep its shape and dtype (PyTorch's check)."""
    for hook in list(observers.hooks.values()):
        result = hook(as_tensor(grad))
        if result is None:
            continue
        name = getattr(hook, "__name__", type(hook).__name__)
        if not hasattr(result, "_array"):
            raise TypeError(f"hook '{name}' returned a {type(result).__name__}; expected a Tensor or None")
        if result._array.shape != grad.shape:
            raise RuntimeError(
                f"hook '{name}' has changed the size of value: got shape {tuple(result._array.shape)}, "
                f"expected {tuple(grad.shape)}"
            )
        if result._array.dtype != grad.dtype:
            raise RuntimeError(
                f"hook '{name}' has changed the type of value (was {np.dtype(grad.dtype)} got {result._array.dtype})"
            )
        grad = result if create_graph else result._array
    return grad
