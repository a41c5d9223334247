"""``detect_anomaly``: stop at the first NaN or infinity, naming the op and where it was created.

Under ``with autograd.detect_anomaly():`` every op checks its forward result, and the
engine checks every gradient a backward formula returns. A non-finite value that
appears from finite inputs raises at once, with the line of user code that created
the op (recorded at forward time; in backward that line is long gone from the stack).
Checking costs a scan of every result, so use it to debug, not to train.
"""
import math
import os
import traceback

import numpy as np

from .thread_mode import ThreadMode


_mode = ThreadMode(False)
_PACKAGE_DIRS = tuple(
    os.path.dirname(os.path.abspath(p)) + os.sep
    for p in (__file__, os.path.join(os.path.dirname(__file__), "..", "nn", "x"), os.path.join(os.path.dirname(__file__), "..", "optim", "x"))
)


class AnomalyError(RuntimeError):
    """Raised under ``detect_anomaly`` when an op or a gradient produces NaN or infinity."""


class detect_anomaly:
    """Context manager (and decorator) that raises at the first NaN or infinity in forward or backward."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        self._previous = _mode.set(self.check_nan)
        return self

    def __exit__(self, *exc):
        _mode.set(self._previous)
        return False

    def __call__(self, func):
        def wrapper(*args, **kwargs):
            with detect_anomaly(self.check_nan):
                return func(*args, **kwargs)

        wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
        return wrapper


def is_anomaly_enabled():
    """True inside ``detect_anomaly``."""
    return bool(_mode.changed) and _mode.local.value


def user_frame():
    """The innermost stack frame outside chainrule's packages: where the user called the op."""
    for frame in reversed(traceback.extract_stack()[:-1]):
        if not os.path.abspath(frame.filename).startswith(_PACKAGE_DIRS):
            return frame
    return None


def describe(frame):
    """``file:line in function: code`` for a frame."""
    if frame is None:
        return "an unknown place"
    return f'{frame.filename}:{frame.lineno} in {frame.name}: {frame.line or ""}'.rstrip(": ")


def _bad_values(array):
    if array.dtype.kind != "f" or np.isfinite(array).all():
        return None
    kinds = []
    if np.isnan(array).any():
        kinds.append("nan")
    if np.isinf(array).any():
        kinds.append("inf")
    return " and ".join(kinds)


def _all_finite(values):
    for v in values:
        array = getattr(v, "_array", v)
        if isinstance(array, np.ndarray):
            if array.dtype.kind == "f" and not np.isfinite(array).all():
                return False
        elif isinstance(array, float) and not math.isfinite(array):
            return False
    return True


def check_forward(ctx, out, args):
    """Record where ``ctx``'s op was created; raise if it made NaN/inf from finite inputs."""
    ctx.created_at = user_frame()
    bad = _bad_values(out._array)
    if bad and _all_finite(args):
        raise AnomalyError(
            f"detect_anomaly: {type(ctx).__name__} produced {bad} values in its output of shape "
            f"{tuple(out.shape)} from finite inputs, at {describe(ctx.created_at)}"
        )


def check_backward(node, index, grad):
    """Raise if ``node``'s backward formula returned NaN/inf for input ``index``."""
    bad = _bad_values(grad._array)
    if bad:
        raise AnomalyError(
            f"detect_anomaly: Function '{node.name()}' returned {bad} values in its {index}th output "
            f"(the gradient for input {index}, shape {tuple(grad.shape)}). The forward op was created at "
            f"{describe(getattr(node, 'created_at', None))}"
        )
