"""Gradient clipping and flattening parameters to one vector (PyTorch's ``torch.nn.utils``).

Every function takes a single Tensor or an iterable of Tensors (e.g.
``model.parameters()``); the clipping functions skip tensors whose ``.grad``
is None and change the gradients in place under ``autograd.no_grad()``.
"""
import numpy as np

from autograd.grad_mode import no_grad
from autograd.ops import cat, reshape
from autograd.tensor import Tensor


def _tensors(parameters, fn):
    if isinstance(parameters, Tensor):
        return [parameters]
    tensors = list(parameters)
    for k, p in enumerate(tensors):
        if not isinstance(p, Tensor):
            raise TypeError(f"{fn}: expected Tensors, got a {type(p).__name__} at position {k}")
    return tensors


def _grads(parameters, fn):
    return [p.grad for p in _tensors(parameters, fn) if p.grad is not None]


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale the gradients so that their joint norm is at most ``max_norm``; return that norm before clipping.

    total_norm = || (||g_1||_p, ..., ||g_k||_p) ||_p, the p-norm (p = ``norm_type``)
    of all gradients seen as one vector; for p = inf, max_i max |g_i|.
    clip_coef = max_norm / (total_norm + 1e-6); when clip_coef < 1 every gradient
    is multiplied by it (so the new norm is just under ``max_norm``).

    Returns ``total_norm`` as a 0-d Tensor (in the gradients' dtype; 0.0 when no
    parameter has a gradient). A nan or inf total norm raises RuntimeError if
    ``error_if_nonfinite``, else is used as is (like PyTorch: the gradients become nan).
    ``foreach`` is accepted for PyTorch compatibility and ignored.
    """
    grads = _grads(parameters, "clip_grad_norm_")
    norm_type = float(norm_type)
    max_norm = float(max_norm)
    if not grads:
        return Tensor._make(np.array(0.0, dtype=np.float32))
    dtype = np.result_type(*(g.dtype for g in grads))
    norms = np.array([_vector_norm(g._array.ravel(), norm_type) for g in grads], dtype=dtype)
    total = np.asarray(_vector_norm(norms, norm_type), dtype=dtype)
    if error_if_nonfinite and not np.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} for gradients from `parameters` is non-finite, "
            "so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm "
            "anyway, set `error_if_nonfinite=False`"
        )
    clip_coef = dtype.type(max_norm) / (total + dtype.type(1e-6))
    if not clip_coef >= 1.0:  # also true for nan, which then spreads to the gradients as in PyTorch
        with no_grad():
            for g in grads:
                g.mul_(clip_coef.astype(g.dtype))
    return Tensor._make(total)


def _vector_norm(vector, p):
    return np.linalg.norm(vector, ord=p) if vector.size else 0.0


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value], in place: g <- min(max(g, -c), c).

    ``foreach`` is accepted for PyTorch compatibility and ignored.
    """
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters, "clip_grad_value_"):
            g.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters):
    """All parameters flattened and concatenated into one 1-D Tensor (differentiable: it is a ``cat``)."""
    tensors = _tensors(parameters, "parameters_to_vector")
    if not tensors:
        raise ValueError("parameters_to_vector: expected at least one tensor")
    return cat([reshape(p, -1) for p in tensors])


def vector_to_parameters(vec, parameters):
    """Copy consecutive slices of the 1-D Tensor ``vec`` into the parameters, in place under no_grad
    (the inverse of :func:`parameters_to_vector`)."""
    if not isinstance(vec, Tensor):
        raise TypeError(f"vector_to_parameters: expected vec to be a Tensor, but got {type(vec).__name__}")
    tensors = _tensors(parameters, "vector_to_parameters")
    sizes = [p.numel() for p in tensors]
    if vec.ndim != 1 or vec.shape[0] != sum(sizes):
        raise ValueError(
            f"vector_to_parameters: vec has shape {tuple(vec.shape)}, expected a 1-D tensor of "
            f"{sum(sizes)} elements (the parameters' total size)"
        )
    start = 0
    with no_grad():
        for p, size in zip(tensors, sizes):
            p.copy_(vec._array[start:start + size].reshape(p.shape))
            start += size


__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]
