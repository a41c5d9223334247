"""Batch and layer normalization: the stateless ``batch_norm`` / ``layer_norm`` and their modules.

Batch norm over (N, C) or (N, C, L) input normalizes each channel c with the
statistics of its N (or N*L) values:

    xhat = (x - mean_c) / sqrt(var_c + eps),   y = gamma_c * xhat + beta_c

with the biased variance; the running variance is updated with the unbiased one.
"""
import numpy as np

import autograd
from autograd.function import Op
from autograd.tensor import Tensor

from . import init
from .module import Module, Parameter, check_device


class BatchNorm(Op):
    """y = gamma * (x - mean) * invstd + beta per channel; statistics of the batch (training) or the
    running ones (eval). In training the forward also updates the running statistics in place.

    With n values per channel, g = dL/dy, xhat the normalized input:
    dL/dbeta = sum(g),  dL/dgamma = sum(g * xhat),
    dL/dx = gamma * invstd * (g - sum(g)/n - xhat * sum(g * xhat)/n)   (training; the batch
    statistics depend on x), and dL/dx = gamma * invstd * g in eval.
    """

    @staticmethod
    def forward(ctx, x, weight, bias, running_mean, running_var, training, momentum, eps, axes):
        a = x._array
        kept = tuple(1 if i in axes else s for i, s in enumerate(a.shape))
        if training:
            n = a.size // a.shape[1]
            mean = a.mean(axis=axes, keepdims=True)
            xhat = a - mean
            var = np.einsum("ij,ij->j", xhat, xhat).reshape(kept) if a.ndim == 2 else np.mean(xhat * xhat, axis=axes, keepdims=True)
            if a.ndim == 2:
                var /= n
            if running_mean is not None:
                rm, rv = running_mean._array, running_var._array
                rm *= 1 - momentum
                rm += momentum * mean.reshape(rm.shape)
                rv *= 1 - momentum
                rv += (momentum * n / max(n - 1, 1)) * var.reshape(rv.shape)
                running_mean._bump_version()
                running_var._bump_version()
        else:
            mean = running_mean._array.reshape(kept).copy()
            var = running_var._array.reshape(kept)
            ctx.running_mean = mean
            xhat = a - mean
        invstd = 1.0 / np.sqrt(var + eps)
        xhat *= invstd
        if weight is not None:
            out = xhat * weight._array.reshape(kept)
            if bias is not None:
                out += bias._array.reshape(kept)
        elif bias is not None:
            out = xhat + bias._array.reshape(kept)
        else:
            out = xhat.copy()
        ctx.save_for_backward(x, Tensor._make(xhat), Tensor._make(invstd))
        ctx.training, ctx.axes, ctx.kept, ctx.eps = training, axes, kept, eps
        return out

    @staticmethod
    def backward(ctx, grad):
        x, xhat, invstd = ctx.saved_tensors
        weight = ctx.inputs[1]
        axes, kept = ctx.axes, ctx.kept
        if isinstance(x, Tensor):
            # create_graph: Tensor ops, with the batch statistics rebuilt from x inside the graph
            if ctx.training:
                centered = x - x.mean(dim=axes, keepdim=True)
                invstd = ((centered * centered).mean(dim=axes, keepdim=True) + ctx.eps) ** -0.5
            else:
                centered = x - Tensor._make(ctx.running_mean)
            xhat = centered * invstd
            gamma = None if weight is None else weight.reshape(kept)
            total = lambda v: v.sum(dim=axes, keepdim=True)  # noqa: E731
        else:
            # the same formulas on the arrays, with the saved statistics
            gamma = None if weight is None else weight._array.reshape(kept)
            total = lambda v: v.sum(axis=axes, keepdims=True)  # noqa: E731
        grads = _batch_norm_grads(grad, xhat, invstd, gamma, total, ctx.needs_input_grad[:3], ctx.training)
        channels = (x.shape[1],)
        grad_x, grad_w, grad_b = grads
        grad_w = None if grad_w is None else grad_w.reshape(channels)
        grad_b = None if grad_b is None else grad_b.reshape(channels)
        return grad_x, grad_w, grad_b, None, None, None, None, None, None


def _batch_norm_grads(grad, xhat, invstd, gamma, total, needs, training):
    """Batch norm's gradients from dL/dy = grad, written with operators only so that the same lines
    run on ndarrays (plain backward) and on Tensors (create_graph). ``total`` sums over the batch axes.
    Returns (dL/dx, dL/dgamma, dL/dbeta) in the statistics' kept shape (None where not needed)."""
    need_x, need_w, need_b = needs
    grad_sum = total(grad) if (need_b or (need_x and training)) else None
    grad_xhat_sum = total(grad * xhat) if (need_w or (need_x and training)) else None
    grad_x = None
    if need_x:
        scale = invstd if gamma is None else invstd * gamma
        if training:
            n = grad.size // grad.shape[1] if isinstance(grad, np.ndarray) else grad.numel() // grad.shape[1]
            grad_x = (grad - grad_sum * (1.0 / n) - xhat * (grad_xhat_sum * (1.0 / n))) * scale
        else:
            grad_x = grad * scale
    return grad_x, grad_xhat_sum, grad_sum


def _check_channel_tensor(t, name, channels, op):
    if t is not None and (not isinstance(t, Tensor) or t.shape != (channels,)):
        shape = tuple(t.shape) if isinstance(t, Tensor) else type(t).__name__
        raise RuntimeError(f"{op}: {name} must be a Tensor of shape ({channels},) (one per channel), got {shape}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Normalize (N, C) or (N, C, L) input per channel: (x - mean) / sqrt(var + eps) * weight + bias.

    ``training=True`` uses the batch statistics and, when ``running_mean``/``running_var``
    are given, updates them in place: r = (1 - momentum) r + momentum * stat, with the
    unbiased variance. ``training=False`` uses the running statistics.
    """
    if input.ndim not in (2, 3):
        raise ValueError(f"batch_norm: expected 2D (N, C) or 3D (N, C, L) input (got {input.ndim}D input of shape {tuple(input.shape)})")
    channels = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight), ("bias", bias)):
        _check_channel_tensor(t, name, channels, "batch_norm")
    if (running_mean is None) != (running_var is None):
        raise RuntimeError("batch_norm: running_mean and running_var must both be given or both be None")
    if not training and running_mean is None:
        raise RuntimeError("batch_norm: running_mean and running_var must be defined in evaluation mode")
    axes = (0,) if input.ndim == 2 else (0, 2)
    if training and input.numel() // max(channels, 1) <= 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {tuple(input.shape)}")
    return BatchNorm.apply(input, weight, bias, running_mean, running_var, bool(training), momentum, eps, axes)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """Normalize over the last dims ``normalized_shape``: (x - mean) / sqrt(var + eps) * weight + bias,
    with the biased variance (composed of autograd ops, so every derivative comes from them)."""
    normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(normalized_shape)
    if k == 0 or tuple(input.shape[input.ndim - k:]) != normalized_shape or input.ndim < k:
        raise RuntimeError(
            f"layer_norm: input of shape {tuple(input.shape)} does not end with normalized_shape {normalized_shape}"
        )
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != normalized_shape:
            raise RuntimeError(f"layer_norm: {name} must have shape {normalized_shape}, got {tuple(t.shape)}")
    axes = tuple(range(input.ndim - k, input.ndim))
    centered = input - input.mean(dim=axes, keepdim=True)
    out = centered * ((centered * centered).mean(dim=axes, keepdim=True) + eps) ** -0.5
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out


class BatchNorm1d(Module):
    """Batch normalization over (N, C) or (N, C, L) input with learnable ``weight`` (gamma, ones) and
    ``bias`` (beta, zeros; keyword ``bias=False`` drops it, as in PyTorch 2.13) when ``affine``, and buffers ``running_mean`` (zeros), ``running_var`` (ones)
    and ``num_batches_tracked`` when ``track_running_stats``.

    Training mode normalizes with the batch statistics and updates the running ones with
    factor ``momentum`` (``momentum=None``: the cumulative average, factor 1/num_batches_tracked);
    eval mode normalizes with the running statistics.
    """

    def __init__(
        self, num_features, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None,
        *, bias=True,
    ):
        super().__init__()
        check_device(device, "BatchNorm1d")
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.register_parameter("weight", Parameter(autograd.ones(num_features, dtype=dtype)) if affine else None)
        self.register_parameter("bias", Parameter(autograd.zeros(num_features, dtype=dtype)) if affine and bias else None)
        if track_running_stats:
            self.register_buffer("running_mean", autograd.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", autograd.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", Tensor._make(np.array(0, dtype=np.int64)))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches tracked."""
        if self.track_running_stats:
            init.zeros_(self.running_mean)
            init.ones_(self.running_var)
            self.num_batches_tracked._array[...] = 0

    def reset_parameters(self):
        """Reset the running statistics, weight to 1 and bias to 0."""
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input):
        """batch_norm with the batch statistics (training) or the running ones (eval)."""
        if input.ndim not in (2, 3):
            raise ValueError(f"BatchNorm1d: expected 2D or 3D input (got {input.ndim}D input of shape {tuple(input.shape)})")
        if input.shape[1] != self.num_features:
            raise ValueError(
                f"BatchNorm1d: expected input with {self.num_features} channels in dim 1, got shape {tuple(input.shape)}"
            )
        factor = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked._array += 1
            if self.momentum is None:
                factor = 1.0 / float(self.num_batches_tracked._array)
        use_batch_stats = self.training or self.running_mean is None
        track = not self.training or self.track_running_stats
        return batch_norm(
            input, self.running_mean if track else None, self.running_var if track else None,
            self.weight, self.bias, use_batch_stats, factor, self.eps,
        )

    def extra_repr(self):
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}"
        )


class LayerNorm(Module):
    """Layer normalization over the last dims ``normalized_shape``, with elementwise ``weight`` (ones)
    and ``bias`` (zeros) of that shape when ``elementwise_affine``."""

    def __init__(self, normalized_shape, eps=1e-5, elementwise_affine=True, bias=True, device=None, dtype=None):
        super().__init__()
        check_device(device, "LayerNorm")
        self.normalized_shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        if elementwise_affine:
            self.weight = Parameter(autograd.ones(self.normalized_shape, dtype=dtype))
            if bias:
                self.bias = Parameter(autograd.zeros(self.normalized_shape, dtype=dtype))
            else:
                self.register_parameter("bias", None)
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, input):
        """layer_norm(input, normalized_shape, weight, bias, eps)."""
        return layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
            f"bias={self.bias is not None}"
        )
