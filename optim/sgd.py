"""``SGD``: stochastic gradient descent, optionally with momentum (plain or Nesterov)."""
import numpy as np

from autograd.tensor import Tensor

from .optimizer import Optimizer, effective_grad


class SGD(Optimizer):
    r"""Stochastic gradient descent, optionally with momentum: ``SGD(params, lr=1e-3, momentum=0,
    dampening=0, weight_decay=0, nesterov=False, *, maximize=False)``.

    Update rule, for each parameter θ at step t = 1, 2, ... (γ = lr, λ = weight_decay,
    μ = momentum, τ = dampening)::

        g_t ← ∇f(θ_{t-1})                  (-∇f(θ_{t-1}) if maximize)
        if λ ≠ 0:   g_t ← g_t + λ θ_{t-1}          (L2 penalty λ/2 ‖θ‖²)
        if μ ≠ 0:
            b_t ← g_t                          if t = 1
            b_t ← μ b_{t-1} + (1 - τ) g_t      otherwise
            g_t ← g_t + μ b_t   if nesterov   else   g_t ← b_t
        θ_t ← θ_{t-1} - γ g_t

    Plain SGD takes a small step downhill along the gradient. Momentum adds
    *inertia*: the buffer b is a running sum of past gradients (each older
    one weighted by a further factor μ), so steps keep going in a direction
    the gradients agree on and speed up there (up to 1/(1-μ) times), while
    gradients that flip sign cancel out. That smooths the noise of
    mini-batches and carries the parameters through small bumps and flat
    stretches of the loss. Nesterov momentum evaluates the step as if the
    velocity had already been applied (it adds μ b_t to the gradient), a
    look-ahead that reacts sooner when the slope changes.

    The first momentum step sets b_1 = g_1 (no dampening), as PyTorch does.
    The state of a parameter is ``{'momentum_buffer': b}`` once momentum is
    used. ``nesterov`` needs ``momentum > 0`` and ``dampening == 0``.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False):
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _check_hyperparameters(self, group):
        super()._check_hyperparameters(group)
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")

    def _update(self, param, grad, state, group):
        ws = self._workspace
        g = effective_grad(param, grad, group["maximize"], group["weight_decay"], ws)
        momentum = group["momentum"]
        scratch = ws.get(1, param)
        if momentum != 0:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = np.array(g, copy=True)
                state["momentum_buffer"] = Tensor._make(buf)
            else:
                buf = buf._array
                buf *= momentum
                dampening = group["dampening"]
                if dampening == 0:
                    buf += g
                else:
                    np.multiply(g, 1 - dampening, out=scratch)
                    buf += scratch
            if group["nesterov"]:
                np.multiply(buf, momentum, out=scratch)
                scratch += g
                g = scratch
            else:
                g = buf
        np.multiply(g, group["lr"], out=scratch)
        param -= scratch
