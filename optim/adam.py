"""``Adam`` and ``AdamW``: momentum plus a per-weight adaptive learning rate."""
import numbers

import numpy as np

from .optimizer import Optimizer, effective_grad, step_counter, zeros_state


class Adam(Optimizer):
    r"""Adam (adaptive moment estimation): ``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=0, amsgrad=False, *, maximize=False, decoupled_weight_decay=False)``.

    Update rule, for each parameter θ at step t = 1, 2, ... (γ = lr, λ = weight_decay),
    starting from m_0 = v_0 = v_0^max = 0::

        g_t ← ∇f(θ_{t-1})                     (-∇f(θ_{t-1}) if maximize)
        if λ ≠ 0:
            θ_{t-1} ← θ_{t-1} (1 - γ λ)          if decoupled_weight_decay (AdamW)
            g_t ← g_t + λ θ_{t-1}                 otherwise (L2 penalty)
        m_t ← β1 m_{t-1} + (1 - β1) g_t          first moment: momentum
        v_t ← β2 v_{t-1} + (1 - β2) g_t²         second moment: mean squared gradient
        m̂_t ← m_t / (1 - β1^t)                    bias corrections (m_0 = v_0 = 0
        v̂_t ← v_t / (1 - β2^t)                     pull the early averages toward 0)
        if amsgrad:  v_t^max ← max(v_{t-1}^max, v_t);  v̂_t ← v_t^max / (1 - β2^t)
        θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)

    Adam combines two ideas. Momentum: m is a running average of the
    gradients, so the step has inertia and keeps a consistent direction
    through noisy mini-batches. A per-weight adaptive learning rate: each
    weight's step is divided by the root of its own running mean squared
    gradient, so weights with large or noisy gradients take smaller steps
    and weights with small, rare gradients take larger ones; the step size
    is roughly γ for every weight whatever the scale of its gradient. This
    makes it a good default. AMSGrad divides by the largest v seen so far,
    so a weight's effective rate can only shrink.

    The state of a parameter is ``{'step', 'exp_avg' (m), 'exp_avg_sq' (v)}``
    and ``'max_exp_avg_sq'`` with ``amsgrad``. Trajectories match
    ``torch.optim.Adam`` to rounding (PyTorch updates m as ``m + (1-β1)(g - m)``
    and may fuse multiply-adds, so the last bits can differ); the update
    makes the 13 in-place array passes a hand-written numpy Adam makes.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 maximize=False, decoupled_weight_decay=False):
        defaults = {
            "lr": lr,
            "betas": _betas(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        super()._check_hyperparameters(group)
        for i, beta in enumerate(_betas(group["betas"])):
            if not 0.0 <= beta < 1.0:
                raise ValueError(f"Invalid beta parameter at index {i}: {beta}")

    def _update(self, param, grad, state, group):
        ws = self._workspace
        lr = group["lr"]
        beta1, beta2 = group["betas"]
        weight_decay = group["weight_decay"]
        amsgrad = group["amsgrad"]
        if not state:
            state["step"] = step_counter()
            state["exp_avg"] = zeros_state(param)
            state["exp_avg_sq"] = zeros_state(param)
            if amsgrad:
                state["max_exp_avg_sq"] = zeros_state(param)
        step_t = state["step"]._array
        step_t += 1
        step = float(step_t)

        if weight_decay != 0 and group["decoupled_weight_decay"]:
            param *= 1 - lr * weight_decay
            weight_decay = 0
        g = effective_grad(param, grad, group["maximize"], weight_decay, ws)
        exp_avg = state["exp_avg"]._array
        exp_avg_sq = state["exp_avg_sq"]._array
        tmp = ws.get(1, param)

        exp_avg *= beta1  # m ← β1 m + (1-β1) g
        np.multiply(g, 1 - beta1, out=tmp)
        exp_avg += tmp
        exp_avg_sq *= beta2  # v ← β2 v + (1-β2) g²
        np.multiply(g, g, out=tmp)
        tmp *= 1 - beta2
        exp_avg_sq += tmp

        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        step_size = lr / bias_correction1
        if amsgrad:
            max_exp_avg_sq = state["max_exp_avg_sq"]._array
            np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
            exp_avg_sq = max_exp_avg_sq
        np.sqrt(exp_avg_sq, out=tmp)  # denominator √v̂ + ε
        tmp /= bias_correction2_sqrt
        tmp += group["eps"]
        np.divide(exp_avg, tmp, out=tmp)
        tmp *= step_size
        param -= tmp


class AdamW(Adam):
    r"""Adam with decoupled weight decay: ``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
    weight_decay=1e-2, amsgrad=False, *, maximize=False)``.

    Update rule: as :class:`Adam`, except that weight decay shrinks the
    weights directly instead of being added to the gradient::

        θ_{t-1} ← θ_{t-1} (1 - γ λ)
        m_t, v_t, m̂_t, v̂_t as in Adam, from g_t = ∇f(θ_{t-1})
        θ_t ← θ_{t-1} - γ m̂_t / (√v̂_t + ε)

    With Adam's L2 form the penalty λθ passes through the adaptive
    denominator, so weights with large gradients are barely regularized;
    decoupled, every weight decays by the same factor (1 - γλ) per step
    (Loshchilov & Hutter, "Decoupled Weight Decay Regularization").
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, maximize=maximize,
                         decoupled_weight_decay=True)

    def load_state_dict(self, state_dict):
        """Load as :meth:`Optimizer.load_state_dict`; weight decay stays decoupled."""
        super().load_state_dict(state_dict)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True


def _betas(betas):
    """``betas`` as a tuple of two floats, or a clear error."""
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2) of floats, got {betas!r}") from None
    for b in (beta1, beta2):
        if isinstance(b, bool) or not isinstance(b, numbers.Real):
            raise ValueError(f"betas must be a pair (beta1, beta2) of floats, got {betas!r}")
    return (beta1, beta2)
