"""``gradcheck``: compare analytic gradients with central finite differences, in float64."""
import numpy as np

from . import engine
from .tensor import Tensor


class GradcheckError(RuntimeError):
    """Raised by ``gradcheck`` when an analytic gradient disagrees with the numerical one."""


def _outputs(fn, inputs):
    out = fn(*inputs)
    return (out,) if isinstance(out, Tensor) else tuple(out)


def gradcheck(func, inputs, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True):
    """Check the gradients of ``func`` at ``inputs`` against central finite differences.

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
    outputs = _outputs(func, inputs)
    # numerical[i][k][:, position] = d outputs[k] / d inputs[i][position]: one column per perturbation
    numerical = {i: _numerical_jacobians(func, inputs, i, eps) for i in checked}
    for k, out in enumerate(outputs):
        for flat in range(out.numel()):
            analytic = _analytic_row(outputs, k, flat, [inputs[i] for i in checked])
            for slot, i in enumerate(checked):
                x = inputs[i]
                a_grad = analytic[slot]
                for position in range(x.numel()):
                    expected = float(numerical[i][k][flat, position])
                    value = 0.0 if a_grad is None else float(a_grad._array.reshape(-1)[position])
                    if not abs(value - expected) <= atol + rtol * abs(expected):
                        index = np.unravel_index(position, x.shape) if x.ndim else ()
                        out_index = np.unravel_index(flat, out.shape) if out.ndim else ()
                        message = (
                            f"gradcheck: Jacobian mismatch for output {k} at index {tuple(map(int, out_index))} "
                            f"with respect to input {i} (shape {tuple(x.shape)}) at index {tuple(map(int, index))}: "
                            f"analytic {value!r}, numerical {expected!r}"
                        )
                        if raise_exception:
                            raise GradcheckError(message)
                        return False
    return True


def _analytic_row(outputs, k, flat, wrt):
    """d outputs[k].flat[flat] / d wrt, by backpropagating a one-hot seed (None where unused)."""
    seed = np.zeros(outputs[k].shape, dtype=outputs[k].dtype)
    seed.reshape(-1)[flat] = 1
    seeds = [Tensor._make(seed) if j == k else Tensor._make(np.zeros(o.shape, o.dtype)) for j, o in enumerate(outputs)]
    live = [(o, g) for o, g in zip(outputs, seeds) if o.requires_grad]
    if not live:
        return [None] * len(wrt)
    return engine.grad([o for o, _ in live], wrt, [g for _, g in live], retain_graph=True, allow_unused=True)


def _numerical_jacobians(fn, inputs, i, eps):
    """For each output k, the matrix (output size x input size) of central differences in input ``i``.

    The input's own memory is perturbed in place (``reshape(-1)`` would copy a non-contiguous
    array). ``fn`` runs in the caller's grad mode, so a function that itself calls
    ``autograd.grad`` (a gradient of a gradient) can be checked.
    """
    array = inputs[i]._array
    columns = []
    for position in range(array.size):
        where = np.unravel_index(position, array.shape)
        original = array[where]
        try:
            array[where] = original + eps
            plus = [o._array.astype(np.float64).reshape(-1) for o in _outputs(fn, inputs)]
            array[where] = original - eps
            minus = [o._array.astype(np.float64).reshape(-1) for o in _outputs(fn, inputs)]
        finally:
            array[where] = original
        columns.append([(p - m) / (2 * eps) for p, m in zip(plus, minus)])
    n_outputs = len(_outputs(fn, inputs)) if not columns else len(columns[0])
    return [
        np.stack([column[k] for column in columns], axis=1) if columns else np.zeros((0, 0))
        for k in range(n_outputs)
    ]
