"""Grad mode: whether ops record the computation graph.

Thread-local, like PyTorch: ``no_grad`` in one thread does not affect another.
Each context manager also works as a decorator, of functions and of generator functions
(every step of the generator runs in the mode; the caller's mode holds between steps).
"""
import functools
import inspect

import numpy as np

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
        """Decorate ``func`` so that its body runs in this mode (each step of a generator function too)."""
        if inspect.isgeneratorfunction(func):
            return _wrap_generator(self._fresh, func)

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self._fresh():
                return func(*args, **kwargs)

        return wrapper


def _wrap_generator(fresh_context, func):
    """A generator function whose every step (start, ``send``, ``throw``, ``close``) runs inside a
    fresh context, the caller's mode holding between steps (as PyTorch's decorators do)."""

    @functools.wraps(func)
    def generator(*args, **kwargs):
        inner = func(*args, **kwargs)
        try:
            with fresh_context():
                response = inner.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:
                    with fresh_context():
                        inner.close()
                    raise
                except BaseException as error:
                    with fresh_context():
                        response = inner.throw(error)
                else:
                    with fresh_context():
                        response = inner.send(request)
        except StopIteration as stop:
            return stop.value

    return generator


class _NoArgumentContext(_GradModeContext):
    """A mode context that also decorates without parentheses: ``@no_grad`` as ``@no_grad()``."""

    def __new__(cls, func=None):
        if func is None:
            return super().__new__(cls)
        if not callable(func):
            raise TypeError(f"{cls.__name__}() takes no arguments (got {type(func).__name__}); "
                            f"use it as `with {cls.__name__}():`, `@{cls.__name__}()` or `@{cls.__name__}`")
        return cls()(func)


class no_grad(_NoArgumentContext):
    """Context manager and decorator (``@no_grad()`` or ``@no_grad``) that stops recording the graph.

    Inside it, results of ops have ``requires_grad=False``; in-place updates of
    leaf parameters (as optimizers do) are allowed.
    """

    mode = False


class enable_grad(_NoArgumentContext):
    """Context manager and decorator (``@enable_grad()`` or ``@enable_grad``) that turns graph recording
    back on inside ``no_grad``."""

    mode = True


class set_grad_enabled(_GradModeContext):
    """``set_grad_enabled(mode)``: set grad mode to ``mode``.

    Takes effect at once when called (like PyTorch), and restores the previous
    mode when used as a context manager and the block ends.
    """

    def __init__(self, mode):
        if not isinstance(mode, (bool, np.bool_)):
            raise TypeError(f"set_grad_enabled(): argument 'mode' must be bool, not {type(mode).__name__}")
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
