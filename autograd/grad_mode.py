"""Grad mode: whether ops record the computation graph.

Thread-local, like PyTorch: ``no_grad`` in one thread does not affect another.
Each context manager also works as a decorator.
"""
import functools

from .thread_mode import ThreadMode

_mode = ThreadMode(True)  # each thread starts with grad mode on


def is_grad_enabled():
    """Return True when ops record the graph in this thread (the default)."""
    return not _mode.changed or _mode.local.value


def _set(enabled):
    _mode.set(enabled)


class _GradModeContext:
    """Base for the grad-mode context managers: sets a mode on entry, restores on exit."""

    mode = True

    def __enter__(self):
        self._previous = _mode.set(self.mode)
        return self

    def __exit__(self, *exc):
        _mode.set(self._previous)
        return False

    def _fresh(self):
        return type(self)()

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self._fresh():
                return func(*args, **kwargs)

        return wrapper


class no_grad(_GradModeContext):
    """Context manager and decorator that stops recording the graph.

    Inside it, results of ops have ``requires_grad=False``; in-place updates of
    leaf parameters (as optimizers do) are allowed.
    """

    mode = False


class enable_grad(_GradModeContext):
    """Context manager and decorator that turns graph recording back on inside ``no_grad``."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(mode)``: set grad mode to ``mode``.

    Takes effect at once when called (like PyTorch), and restores the previous
    mode when used as a context manager and the block ends.
    """

    def __init__(self, mode):
        self._previous = is_grad_enabled()
        self.mode = bool(mode)
        _set(self.mode)

    def __enter__(self):
        return self

    def _fresh(self):
        return set_grad_enabled(self.mode)

    def __call__(self, func):
        # Used as a decorator, the mode applies only inside calls, not from decoration on.
        _set(self._previous)
        return super().__call__(func)
