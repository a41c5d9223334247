"""Inverted dropout: in training, zero each element with probability p and scale the rest by 1/(1-p)."""
import numbers

import numpy as np

from autograd.function import OWNS_GRAD, Op
from autograd.random import generator
from autograd.tensor import Tensor

from .module import Module


class DropoutMask(Op):
    """y = x * m with m_i = 1/(1-p) (kept, probability 1-p) or 0 (dropped).   dL/dx = g * m."""

    may_overwrite_grad = True

    @staticmethod
    def forward(ctx, x, p):
        a = x._array
        if p == 1:
            mask = np.zeros(a.shape, dtype=a.dtype)
        else:
            mask = generator().random(a.shape, dtype=np.float64 if a.dtype == np.float64 else np.float32) >= p
            mask = mask.astype(a.dtype) * a.dtype.type(1.0 / (1.0 - p))
        mask = Tensor._make(mask)
        ctx.save_for_backward(mask)
        return a * mask._array

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        if ctx._on_arrays is OWNS_GRAD:
            return np.multiply(grad, mask, out=grad), None
        return grad * mask, None


def _check_p(p, op):
    if isinstance(p, bool) or not isinstance(p, numbers.Real) or not 0 <= p <= 1:
        raise ValueError(f"{op}: dropout probability has to be between 0 and 1, but got {p}")


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout of ``input`` when ``training`` (the mask is drawn from autograd's generator);
    ``input`` itself otherwise, or when p = 0."""
    _check_p(p, "dropout")
    if not training or p == 0:
        return input
    if input.dtype.kind != "f":
        raise TypeError(f"dropout: expected a floating point tensor, got dtype {input.dtype}")
    return DropoutMask.apply(input, float(p))


class Dropout(Module):
    """Inverted dropout with probability ``p`` in training mode; the identity in eval mode."""

    def __init__(self, p=0.5, inplace=False):
        super().__init__()
        _check_p(p, "Dropout")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        """dropout(input, p, training=self.training)."""
        return dropout(input, self.p, self.training)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"
