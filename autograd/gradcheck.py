"""``gradcheck``: compare analytic gradients with central finite differences, in float64."""
import numpy as np

from . import engine
from .grad_mode import no_grad
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytic gradient disagrees with the numerical one."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def gradcheck(fn, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check the gradients of ``fn`` at ``inputs`` against central finite differences.

    For every output element o and input element x the analytic entry
    d o / d x (from backpropagation) must satisfy
    ``|analytic - numerical| <= atol + rtol * |numerical|``, where
    numerical = (o(x + eps) - o(x - eps)) / (2 eps). Inputs that require grad
    must be float64. Returns True, or raises :class:`GradcheckError` naming the
    output, the input, the index and both values (False with ``raise_exception=False``).
    """
    inputs = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    checked = [i for i, t in enumerate(inputs) if isinstance(t, Tensor) and t.requires_grad]
    if not checked:
        raise ValueError("gradcheck: at least one input must be a Tensor with requires_grad=True")
    for i in checked:
        if inputs[i].dtype != np.float64:
            raise ValueError(
                f"gradcheck: input {i} has dtype {inputs[i].dtype}; finite differences need float64 "
                "inputs (make them with dtype=autograd.float64 or .double())"
            )
    outputs = _outputs(fn, inputs)
    for k, out in enumerate(outputs):
        for flat in range(out.numel()):
            seed = np.zeros(out.shape, dtype=out.dtype)
            seed.reshape(-1)[flat] = 1
            seeded = [Tensor._make(seed) if j == k else Tensor._make(np.zeros(o.shape, o.dtype)) for j, o in enumerate(outputs)]
            live = [(o, g) for o, g in zip(outputs, seeded) if o.requires_grad]
            if not live:
                analytic = [None] * len(checked)
            else:
                analytic = engine.grad(
                    [o for o, _ in live], [inputs[i] for i in checked], [g for _, g in live],
                    retain_graph=True, allow_unused=True,
                )
            for slot, i in enumerate(checked):
                x = inputs[i]
                a_grad = analytic[slot]
                for position in range(x.numel()):
                    numerical = _numerical(fn, inputs, i, position, k, flat, eps)
                    value = 0.0 if a_grad is None else float(a_grad._array.reshape(-1)[position])
                    if not abs(value - numerical) <= atol + rtol * abs(numerical):
                        index = np.unravel_index(position, x.shape) if x.ndim else ()
                        out_index = np.unravel_index(flat, out.shape) if out.ndim else ()
                        message = (
                            f"gradcheck: Jacobian mismatch for output {k} at index {tuple(map(int, out_index))} "
                            f"with respect to input {i} (shape {tuple(x.shape)}) at index {tuple(map(int, index))}: "
                            f"analytic {value!r}, numerical {numerical!r}"
                        )
                        if raise_exception:
                            raise GradcheckError(message)
                        return False
    return True


def _numerical(fn, inputs, i, position, k, flat, eps):
    array = inputs[i]._array.reshape(-1)
    original = array[position]
    with no_grad():
        array[position] = original + eps
        plus = float(_outputs(fn, inputs)[k]._array.reshape(-1)[flat])
        array[position] = original - eps
        minus = float(_outputs(fn, inputs)[k]._array.reshape(-1)[flat])
        array[position] = original
    return (plus - minus) / (2 * eps)
