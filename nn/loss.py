"""Loss functions (stateless forms, re-exported by ``nn.functional``) and their Module forms.

Every loss takes ``reduction``: ``'none'`` (one value per element or sample),
``'sum'``, or ``'mean'`` (the default; for weighted class losses, the weighted
mean, as in PyTorch). Targets of the wrong shape or dtype raise an error
naming what was expected.
"""
import warnings

import numpy as np

import autograd
from autograd.function import Op
from autograd.ops import formula
from autograd.ops.common import constant, positions
from autograd.ops.index import all_below
from autograd.ops.reduce import max_or_neg_inf
from autograd.tensor import Tensor

from .module import Module

_REDUCTIONS = ("none", "mean", "sum")
_KL_REDUCTIONS = ("none", "batchmean", "sum", "mean")


def _check_reduction(reduction, op, allowed=_REDUCTIONS):
    if reduction not in allowed:
        expected = ", ".join(repr(r) for r in allowed[:-1]) + f" or {allowed[-1]!r}"
        raise ValueError(f"{op}: {reduction!r} is not a valid value for reduction (expected {expected})")


def _legacy_reduction(size_average, reduce, reduction):
    """PyTorch's deprecated ``size_average``/``reduce`` arguments, mapped to ``reduction``."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    return "none" if not reduce else ("mean" if size_average else "sum")


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _tensor(x, name, op):
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (np.ndarray, list, tuple, int, float, np.generic)):
        return Tensor._make(np.asarray(x))
    raise TypeError(f"{op}: {name} must be a Tensor, got {type(x).__name__}")


def _check_input(input, op):
    if not isinstance(input, Tensor):
        raise TypeError(f"{op}: input must be a Tensor, got {type(input).__name__}")
    if input.dtype.kind != "f":
        raise TypeError(f"{op}: input must have a floating point dtype, got {input.dtype}")


def _same_shape_target(input, target, op):
    """Elementwise losses: the target must have exactly the input's shape (no silent broadcasting)."""
    _check_input(input, op)
    target = _tensor(target, "target", op)
    if target.shape != input.shape:
        raise ValueError(
            f"{op}: target of shape {tuple(target.shape)} differs from input of shape {tuple(input.shape)}; "
            f"expected a target of shape {tuple(input.shape)} (reshape one of them, e.g. target.reshape{tuple(input.shape)})"
        )
    if target.dtype.kind not in "fb":
        target = target.to(input.dtype)
    return target


# ---------------------------------------------------------------- regression
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """(input - target)^2, reduced.   d/dinput = 2 (input - target) (/ n for 'mean')."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "mse_loss")
    target = _same_shape_target(input, target, "mse_loss")
    diff = input - target
    return _reduce(diff * diff, reduction)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """|input - target|, reduced.   d/dinput = sign(input - target)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "l1_loss")
    target = _same_shape_target(input, target, "l1_loss")
    return _reduce(autograd.abs(input - target), reduction)


def huber_loss(input, target, reduction="mean", delta=1.0):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), with d = input - target, reduced."""
    _check_reduction(reduction, "huber_loss")
    if delta <= 0:
        raise ValueError(f"huber_loss: delta must be positive, got {delta}")
    target = _same_shape_target(input, target, "huber_loss")
    diff = input - target
    size = autograd.abs(diff)
    loss = autograd.where(size < delta, diff * diff * 0.5, (size - 0.5 * delta) * delta)
    return _reduce(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, with d = input - target, reduced: the Huber
    loss divided by beta (``beta=0`` is the L1 loss).   d/dinput = d / beta where |d| < beta, else sign(d)
    (/ n for 'mean')."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "smooth_l1_loss")
    if beta < 0:
        raise RuntimeError(
            f"smooth_l1_loss does not support negative values for beta (got {beta}; expected beta >= 0)."
        )
    if beta == 0:
        return l1_loss(input, target, reduction=reduction)
    return huber_loss(input, target, reduction, beta) / beta


class KLDiv(Op):
    """l = xlogy(t, t) - t x elementwise (t log t, 0 where t = 0), for log-probabilities x and probabilities t.

    dl/dx = -t,   dl/dt = log t + 1 - x: nan where t = 0, as PyTorch's xlogy gives (its t/t term).
    """

    @staticmethod
    def forward(ctx, x, t):
        a, b = x._array, t._array
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(b == 0, 0, b * np.log(b)) - b * a
        ctx.save_for_backward(x, t)
        return out

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        need_x, need_t = ctx.needs_input_grad
        grad_x = -(grad * t) if need_x else None
        grad_t = None
        if need_t:
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_t = grad * (formula.log(t) + t / t - x)
        return grad_x, grad_t


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Kullback-Leibler divergence of ``target`` from ``input``, pointwise, for log-probabilities ``input``::

        l = t (log t - x)       (0 where t = 0)          log_target=False: t probabilities
        l = exp(t) (t - x)                               log_target=True:  t log-probabilities

    reduced by 'none', 'sum', 'mean' (over every element: not the KL divergence, and PyTorch warns) or
    'batchmean' (the sum over input.shape[0], the true KL divergence per sample of a batch of
    distributions). d/dinput = -t (-exp(t) with log_target); d/dtarget = log t + 1 - x
    (exp(t) (t - x + 1) with log_target). The target must have the input's shape.
    """
    legacy = size_average is not None or reduce is not None
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "kl_div", _KL_REDUCTIONS)
    if reduction == "mean" and not legacy:
        warnings.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support size."
            "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
            "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
            UserWarning,
            stacklevel=2,
        )
    target = _same_shape_target(input, target, "kl_div")
    if log_target:
        loss = autograd.exp(target) * (target - input)
    else:
        loss = KLDiv.apply(input, target)
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim != 0 else total
    return _reduce(loss, reduction)


# ------------------------------------------------------------ binary losses
class BinaryCrossEntropy(Op):
    """l = -(t max(log x, -100) + (1 - t) max(log(1 - x), -100)), elementwise (PyTorch clamps the logs).

    dl/dx = (x - t) / max(x (1 - x), 1e-12),   dl/dt = max(log(1 - x), -100) - max(log x, -100).
    """

    @staticmethod
    def forward(ctx, x, t):
        a, b = x._array, t._array
        with np.errstate(divide="ignore"):
            log_x = np.maximum(np.log(a), -100)
            log_1mx = np.maximum(np.log(1 - a), -100)
        ctx.save_for_backward(x, t)
        return -(b * log_x + (1 - b) * log_1mx)

    @staticmethod
    def backward(ctx, grad):
        x, t = ctx.saved_tensors
        need_x, need_t = ctx.needs_input_grad
        grad_x = grad * (x - t) / formula.clamp(x * (1 - x), 1e-12) if need_x else None
        grad_t = None
        if need_t:
            grad_t = grad * (formula.clamp(formula.log(1 - x), -100) - formula.clamp(formula.log(x), -100))
        return grad_x, grad_t


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-w (t log x + (1 - t) log(1 - x)) for probabilities x in [0, 1]; each log is clamped at -100
    like PyTorch, so x = 0 or 1 gives a finite loss. The target must have the input's shape."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "binary_cross_entropy")
    target = _same_shape_target(input, target, "binary_cross_entropy")
    a = input._array
    if a.size and not (np.all(a >= 0) and np.all(a <= 1)):
        raise RuntimeError(
            "binary_cross_entropy: all elements of input should be between 0 and 1 (they are probabilities; "
            "for logits use binary_cross_entropy_with_logits)"
        )
    loss = BinaryCrossEntropy.apply(input, target.to(input.dtype))
    if weight is not None:
        loss = loss * _tensor(weight, "weight", "binary_cross_entropy")
    return _reduce(loss, reduction)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
    """BCE of sigmoid(x) computed from the logits x without overflow:
    l = (1 - t) x + (1 + (p - 1) t) log(1 + exp(-x)), with p = ``pos_weight`` (broadcast over the
    last dim, weighting positives) and log(1 + exp(-x)) = softplus(-x) evaluated stably, so logits
    of +/-1e4 give exact losses. dl/dx = (1 - t) - (1 + (p - 1) t) sigmoid(-x)."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "binary_cross_entropy_with_logits")
    target = _same_shape_target(input, target, "binary_cross_entropy_with_logits")
    softplus_neg = autograd.softplus(-input)
    if pos_weight is not None:
        pos_weight = _tensor(pos_weight, "pos_weight", "binary_cross_entropy_with_logits")
        log_weight = (pos_weight - 1) * target + 1
        loss = (1 - target) * input + log_weight * softplus_neg
    else:
        loss = (1 - target) * input + softplus_neg
    if weight is not None:
        loss = loss * _tensor(weight, "weight", "binary_cross_entropy_with_logits")
    return _reduce(loss, reduction)


# ------------------------------------------------------------- class losses
def _pick_scale(a, target, weight, ignore_index, reduction):
    """For log-probabilities ``a`` (N, C, d...) and class indices ``target`` (N, d...): the loss
    -sum_i s_i a[i, t_i] (reduced) and the per-sample factors s_i = w_{t_i} (0 where ignored; divided
    by their sum for 'mean', PyTorch's weighted mean). ``ignore_index`` None: no target equals it.
    Returns (loss, safe targets, s)."""
    valid = None if ignore_index is None else target != ignore_index
    all_valid = valid is None or valid.all()
    safe = target if all_valid else np.where(valid, target, 0)
    if a.ndim == 2:
        picked = a[positions(a.shape[0]), safe]
    else:
        picked = np.take_along_axis(a, safe[:, None], axis=1)[:, 0]
    if weight is None and all_valid and reduction == "mean" and picked.size:  # the common case, short
        mean = np.add.reduce(picked, axis=None) / picked.size  # picked.mean(), less Python
        n, dtype = picked.size, a.dtype
        scale = constant(("mean scale", safe.shape, dtype.char), lambda: np.full(safe.shape, 1.0 / n, dtype))
        return -mean, safe, scale
    if weight is None:
        scale = np.ones(safe.shape, dtype=a.dtype) if all_valid else valid.astype(a.dtype)
    else:
        scale = weight.astype(a.dtype, copy=False)[safe]
        if not all_valid:
            scale *= valid
    if reduction == "none":
        return -picked * scale, safe, scale
    total = np.dot(picked.ravel(), scale.ravel())
    if reduction == "sum":
        return -total, safe, scale
    with np.errstate(invalid="ignore", divide="ignore"):
        denominator = scale.sum()
        scale = scale / denominator
    if not all_valid:
        # An ignored target adds no gradient even when every target is ignored (the loss is then 0/0, nan),
        # as in PyTorch: a batch of padding alone leaves the weights as they are.
        scale[~valid] = 0
    return -total / denominator, safe, scale


def _one_hot_scaled(shape, safe, scale):
    """zeros(shape) with s_i at [i, t_i, ...]: dL/d(log-probabilities) up to sign."""
    out = np.zeros(shape, dtype=scale.dtype)
    if len(shape) == 2:
        out[positions(shape[0]), safe] = scale
    else:
        np.put_along_axis(out, safe[:, None], scale[:, None], axis=1)
    return out


def _per_sample(grad, reduction):
    """The upstream gradient broadcastable against (N, C, d...): (N, 1, d...) for 'none'."""
    return grad.reshape(grad.shape[:1] + (1,) + grad.shape[1:]) if reduction == "none" else grad


class NllLoss(Op):
    """l_i = -w_{t_i} x[i, t_i] over samples i (and extra dims) with target class t_i; ignored samples
    give 0; 'mean' divides by sum_i w_{t_i} over the samples kept.

    dL/dx[i, c] = -w_{t_i} (/ that sum) where c = t_i, else 0: a constant, times the upstream gradient.
    """

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        a = x._array
        out, ctx.safe, ctx.scale = _pick_scale(a, target, weight, ignore_index, reduction)
        ctx.reduction, ctx.shape = reduction, a.shape
        return np.asarray(out, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        coefficients = -_one_hot_scaled(ctx.shape, ctx.safe, ctx.scale)
        return _per_sample(grad, ctx.reduction) * coefficients, None, None, None, None


class CrossEntropy(Op):
    """Cross-entropy of logits x (N, C, d...) and class indices: log_softmax and nll_loss in one op.

    l_i = -s_i log softmax(x_i)[t_i];   dL/dx_i = s_i (softmax(x_i) - onehot(t_i)) (times the upstream
    gradient), with s_i the class weight of sample i (0 if ignored; over their sum for 'mean').
    """

    @staticmethod
    def forward(ctx, x, target, weight, ignore_index, reduction):
        a = x._array
        log_probs = a - max_or_neg_inf(a, 1)
        log_probs -= np.log(formula.sum_array(np.exp(log_probs), 1, keepdims=True))
        out, safe, scale = _pick_scale(log_probs, target, weight, ignore_index, reduction)
        ctx.save_for_backward(x, Tensor._make(log_probs))
        ctx.safe, ctx.scale, ctx.reduction = safe, scale, reduction
        return np.asarray(out, dtype=a.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, log_probs = ctx.saved_tensors
        grad = _per_sample(grad, ctx.reduction)
        if not isinstance(x, Tensor) and x.ndim == 2:
            # On arrays, (N, C): the saved log-probabilities give the probabilities for one exp, a fresh
            # array this formula may change in place: four numpy calls instead of eight.
            probs = np.exp(log_probs)
            probs[positions(x.shape[0]), ctx.safe] -= 1
            probs *= ctx.scale[:, None] * grad
            return probs, None, None, None, None
        # On Tensors (create_graph) the probabilities must be a function of x for the second derivative.
        probs = autograd.softmax(x, 1) if isinstance(x, Tensor) else np.exp(log_probs)
        target = _one_hot_scaled(x.shape, ctx.safe, ctx.scale)
        return (probs * ctx.scale[:, None] - target) * grad, None, None, None, None


def _class_index_target(input, target, ignore_index, op):
    """Check integer class targets of shape (N, d1, ...) for input (N, C, d1, ...). Return the ndarray
    and the ``ignore_index`` to give the op: None when no target can equal it (all are classes)."""
    expected = input.shape[:1] + input.shape[2:]
    t = target._array
    if t.dtype.kind not in "iu" or t.shape != expected:
        hint = " (class indices need an integer dtype: use target.long())" if t.dtype.kind == "f" and t.shape == expected else ""
        raise ValueError(
            f"{op}: expected target of class indices with shape {tuple(expected)} and an integer dtype, "
            f"got shape {tuple(t.shape)} and dtype {t.dtype}{hint}"
        )
    classes = input.shape[1]
    if all_below(t, classes):  # every target is a class
        if isinstance(ignore_index, int) and not 0 <= ignore_index < classes:
            return t, None  # so no target is ignore_index: the op need not compare them with it
        return t, ignore_index
    out_of_range = t[(t != ignore_index) & ((t < 0) | (t >= classes))]
    if len(out_of_range):
        bad = out_of_range.flat[0]
        raise IndexError(
            f"{op}: Target {bad} is out of bounds: expected class indices in [0, {classes - 1}] "
            f"(or ignore_index={ignore_index})"
        )
    return t, ignore_index


def _check_class_weight(weight, classes, op):
    if weight is None:
        return None
    weight = _tensor(weight, "weight", op)
    if weight.shape != (classes,):
        raise ValueError(f"{op}: weight must have shape ({classes},), one per class, got {tuple(weight.shape)}")
    return weight


def _unbatched(input, target, op):
    """(C,) input with a 0-d (or (C,) probability) target as a batch of one."""
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have at least 1 dimension (C,) or (N, C, ...), got a 0-d tensor")
    if input.ndim == 1:
        return input.unsqueeze(0), target.reshape((1,) + tuple(target.shape)), True
    return input, target, False


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """-w_t * input[t] for log-probabilities ``input`` (N, C, d1...) and class indices ``target``
    (N, d1...); samples with target == ``ignore_index`` are skipped."""
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "nll_loss")
    _check_input(input, "nll_loss")
    input, target, single = _unbatched(input, _tensor(target, "target", "nll_loss"), "nll_loss")
    t, op_ignore_index = _class_index_target(input, target, ignore_index, "nll_loss")
    weight = _check_class_weight(weight, input.shape[1], "nll_loss")
    out = NllLoss.apply(input, t, None if weight is None else weight._array, op_ignore_index, reduction)
    return out.reshape(()) if single and reduction == "none" else out


def cross_entropy(
    input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean", label_smoothing=0.0
):
    """-sum_c w_c q_c log softmax(x)_c for logits ``input`` (N, C, d1...).

    ``target`` is either class indices (integer, shape (N, d1...); q is one-hot, samples equal to
    ``ignore_index`` are skipped, 'mean' is the weighted mean) or class probabilities (float, the
    input's shape; 'mean' divides by N * d1 ...). ``label_smoothing`` eps mixes q with the uniform
    distribution: (1 - eps) q + eps / C.   dL/dx = (softmax(x) - q) w (per sample, scaled by the reduction).
    """
    reduction = _legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction, "cross_entropy")
    _check_input(input, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be between 0.0 and 1.0, got {label_smoothing}")
    target = _tensor(target, "target", "cross_entropy")
    input, target, single = _unbatched(input, target, "cross_entropy")
    classes = input.shape[1]
    weight = _check_class_weight(weight, classes, "cross_entropy")
    if target.dtype.kind == "f" and target.shape == input.shape:
        log_probs = autograd.log_softmax(input, 1)
        if ignore_index != -100:
            raise RuntimeError("cross_entropy: ignore_index is not supported for floating point (probability) target")
        if label_smoothing > 0:
            target = target * (1 - label_smoothing) + label_smoothing / classes
        product = log_probs * target
        if weight is not None:
            product = product * _over_classes(weight, input)
        out = _reduce(-product.sum(dim=1), reduction)
    else:
        if target.dtype.kind not in "iu":
            expected = input.shape[:1] + input.shape[2:]
            if not (target.dtype.kind == "f" and target.shape == expected):
                raise ValueError(
                    f"cross_entropy: expected target of class indices (an integer tensor of shape {expected}) "
                    f"or of class probabilities (a float tensor of the input's shape {tuple(input.shape)}), "
                    f"got a {target.dtype} tensor of shape {tuple(target.shape)}"
                )
        t, op_ignore_index = _class_index_target(input, target, ignore_index, "cross_entropy")
        w = None if weight is None else weight._array
        if label_smoothing == 0:
            out = CrossEntropy.apply(input, t, w, op_ignore_index, reduction)
        else:
            log_probs = autograd.log_softmax(input, 1)
            out = NllLoss.apply(log_probs, t, w, op_ignore_index, reduction)
            out = out * (1 - label_smoothing) + _smoothing_term(log_probs, t, weight, ignore_index, reduction) * (
                label_smoothing / classes
            )
    return out.reshape(()) if single and reduction == "none" else out


def _over_classes(weight, input):
    """The class weight (C,) shaped to broadcast along dim 1 of ``input`` (N, C, d1...)."""
    return weight.reshape((input.shape[1],) + (1,) * (input.ndim - 2))


def _smoothing_term(log_probs, t, weight, ignore_index, reduction):
    """-sum_c w_c log p_c per sample (0 for ignored ones), reduced as PyTorch does (weighted mean)."""
    kept = t != ignore_index
    weighted = log_probs if weight is None else log_probs * _over_classes(weight, log_probs)
    smooth = -weighted.sum(dim=1) * Tensor._make(kept.astype(log_probs.dtype))
    if reduction == "mean":
        total = kept.sum() if weight is None else weight._array[t[kept]].sum()
        if not total:  # every target ignored: the loss is 0/0, nan, and the gradient 0 (PyTorch's)
            return smooth.sum() * 0.0 + float("nan")
        return smooth.sum() / float(total)
    return _reduce(smooth, reduction)


# ------------------------------------------------------------------ modules
class _Loss(Module):
    _reductions = _REDUCTIONS

    def __init__(self, size_average=None, reduce=None, reduction="mean"):
        super().__init__()
        reduction = _legacy_reduction(size_average, reduce, reduction)
        _check_reduction(reduction, type(self).__name__, self._reductions)
        self.reduction = reduction


class MSELoss(_Loss):
    """mse_loss: (input - target)^2, reduced."""

    def forward(self, input, target):
        """mse_loss(input, target, reduction)."""
        return mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """l1_loss: |input - target|, reduced."""

    def forward(self, input, target):
        """l1_loss(input, target, reduction)."""
        return l1_loss(input, target, reduction=self.reduction)


class HuberLoss(_Loss):
    """huber_loss: quadratic below ``delta``, linear above, reduced."""

    def __init__(self, reduction="mean", delta=1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        """huber_loss(input, target, reduction, delta)."""
        return huber_loss(input, target, self.reduction, self.delta)


class SmoothL1Loss(_Loss):
    """smooth_l1_loss: 0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, reduced.
    d/dinput = d / beta inside, sign(d) outside."""

    def __init__(self, size_average=None, reduce=None, reduction="mean", beta=1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        """smooth_l1_loss(input, target, reduction, beta)."""
        return smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class KLDivLoss(_Loss):
    """kl_div: t (log t - x) for log-probabilities x (exp(t) (t - x) with ``log_target``), reduced by
    'none', 'sum', 'mean' or 'batchmean' (the KL divergence per sample).   d/dx = -t (-exp(t))."""

    _reductions = _KL_REDUCTIONS

    def __init__(self, size_average=None, reduce=None, reduction="mean", log_target=False):
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        """kl_div(input, target, reduction, log_target)."""
        return kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class BCELoss(_Loss):
    """binary_cross_entropy of probabilities, logs clamped at -100; optional elementwise ``weight``."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        """binary_cross_entropy(input, target, weight, reduction)."""
        return binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """binary_cross_entropy_with_logits: sigmoid and BCE in one stable formula; ``pos_weight`` weights positives."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        """binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight)."""
        return binary_cross_entropy_with_logits(
            input, target, self.weight, reduction=self.reduction, pos_weight=self.pos_weight
        )


class NLLLoss(_Loss):
    """nll_loss of log-probabilities and class indices, with class ``weight`` and ``ignore_index``."""

    def __init__(self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        """nll_loss(input, target, weight, ignore_index, reduction)."""
        return nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """cross_entropy of logits and class indices or probabilities, with ``weight``, ``ignore_index``
    and ``label_smoothing``."""

    def __init__(
        self, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean", label_smoothing=0.0
    ):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        """cross_entropy(input, target, weight, ignore_index, reduction, label_smoothing)."""
        buffers = self._buffers
        # For speed, the registry itself: ``self.weight`` falls back to Module.__getattr__ (see Linear.forward).
        weight = buffers["weight"] if type(self) is CrossEntropyLoss and "weight" in buffers else self.weight
        return cross_entropy(
            input, target, weight, ignore_index=self.ignore_index, reduction=self.reduction,
            label_smoothing=self.label_smoothing,
        )
