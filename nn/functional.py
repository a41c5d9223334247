"""Stateless forms of the layers and losses (``import nn.functional as F``), PyTorch's names.

Each is an autograd op or a composition of them; the modules in ``nn`` call these.
"""
import numpy as np

import autograd
from autograd.tensor import Tensor

from .activation import erf, gelu
from .dropout import dropout
from .linear import embedding, linear
from .loss import (
    binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, kl_div, l1_loss, mse_loss,
    nll_loss, smooth_l1_loss,
)
from .normalization import batch_norm, layer_norm

__all__ = [
    "linear", "relu", "leaky_relu", "sigmoid", "tanh", "gelu", "softplus", "softmax", "log_softmax", "dropout",
    "batch_norm", "layer_norm", "one_hot", "embedding", "mse_loss", "l1_loss", "huber_loss", "smooth_l1_loss",
    "binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "kl_div", "erf",
]


def relu(input, inplace=False):
    """max(0, x).   d/dx = 1 where x > 0, else 0."""
    return autograd.relu(input)


def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else negative_slope * x."""
    return autograd.leaky_relu(input, negative_slope)


def sigmoid(input):
    """1 / (1 + exp(-x)).   d/dx = s (1 - s)."""
    return autograd.sigmoid(input)


def tanh(input):
    """tanh(x).   d/dx = 1 - tanh(x)^2."""
    return autograd.tanh(input)


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta (x itself where beta x > threshold).   d/dx = sigmoid(beta x)."""
    return autograd.softplus(input, beta, threshold)


def _dim(dim, op):
    if dim is None:
        raise TypeError(f"{op}: pass dim explicitly (PyTorch's implicit choice of dim is deprecated)")
    return dim


def softmax(input, dim=None, dtype=None):
    """exp(x_i) / sum_j exp(x_j) along ``dim``."""
    return autograd.softmax(input, _dim(dim, "softmax"), dtype=dtype)


def log_softmax(input, dim=None, dtype=None):
    """x_i - logsumexp(x) along ``dim``."""
    return autograd.log_softmax(input, _dim(dim, "log_softmax"), dtype=dtype)


def one_hot(tensor, num_classes=-1):
    """An int64 tensor of shape tensor.shape + (num_classes,) with 1 at each index (not differentiable).
    ``num_classes=-1`` uses max(tensor) + 1."""
    indices = tensor._array if isinstance(tensor, Tensor) else np.asarray(tensor)
    if indices.dtype.kind not in "iu":
        raise RuntimeError(f"one_hot is only applicable to index tensor of an integer dtype, got {indices.dtype}")
    if indices.size and indices.min() < 0:
        raise RuntimeError(f"one_hot: Class values must be non-negative, got {indices.min()}")
    if num_classes == -1:
        num_classes = int(indices.max()) + 1 if indices.size else 0
    elif indices.size and indices.max() >= num_classes:
        raise RuntimeError(f"one_hot: Class values must be smaller than num_classes ({num_classes}), got {indices.max()}")
    out = np.zeros(indices.shape + (num_classes,), dtype=np.int64)
    np.put_along_axis(out, indices[..., None].astype(np.int64), 1, axis=-1)
    return Tensor._make(out)
