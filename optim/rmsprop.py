"""``RMSprop``: divide each weight's step by a running root-mean-square of its gradients."""
import numpy as np

from .optimizer import Optimizer, effective_grad, step_counter, zeros_state


class RMSprop(Optimizer):
    r"""RMSprop: ``RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0,
    centered=False, *, maximize=False)``.

    Update rule, for each parameter θ at step t = 1, 2, ... (γ = lr, α = alpha, λ = weight_decay,
    μ = momentum), starting from v_0 = b_0 = ḡ_0 = 0::

        g_t ← ∇f(θ_{t-1})                     (-∇f(θ_{t-1}) if maximize)
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        v_t ← α v_{t-1} + (1 - α) g_t²           running mean of squared gradients
        ṽ_t ← v_t
        if centered:
            ḡ_t ← α ḡ_{t-1} + (1 - α) g_t        running mean of gradients
            ṽ_t ← v_t - ḡ_t²                     (a running variance)
        if μ > 0:
            b_t ← μ b_{t-1} + g_t / (√ṽ_t + ε)
            θ_t ← θ_{t-1} - γ b_t
        else:
            θ_t ← θ_{t-1} - γ g_t / (√ṽ_t + ε)

    Each weight gets its own adaptive learning rate γ / √v: dividing by the
    root of the mean squared gradient evens out the step sizes of weights
    whose gradients differ in scale, and damps weights whose gradients
    oscillate. ``centered`` divides by an estimate of the gradient's standard
    deviation instead; ``momentum`` adds inertia to the scaled steps. There is
    no bias correction (unlike :class:`Adam`), so early steps are large:
    v_1 = (1-α) g_1².

    The state of a parameter is ``{'step', 'square_avg'}``, plus
    ``'momentum_buffer'`` when ``momentum > 0`` and ``'grad_avg'`` when
    ``centered``.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False, *,
                 maximize=False):
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "alpha": alpha,
            "eps": eps,
            "centered": centered,
            "weight_decay": weight_decay,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _update(self, param, grad, state, group):
        ws = self._workspace
        momentum = group["momentum"]
        alpha = group["alpha"]
        if not state:
            state["step"] = step_counter()
            state["square_avg"] = zeros_state(param)
            if momentum > 0:
                state["momentum_buffer"] = zeros_state(param)
            if group["centered"]:
                state["grad_avg"] = zeros_state(param)
        state["step"]._array += 1
        g = effective_grad(param, grad, group["maximize"], group["weight_decay"], ws)
        square_avg = state["square_avg"]._array
        avg = ws.get(1, param)

        np.multiply(g, 1 - alpha, out=avg)  # v ← α v + (1-α) g²
        avg *= g
        square_avg *= alpha
        square_avg += avg
        if group["centered"]:
            grad_avg = state["grad_avg"]._array
            np.subtract(g, grad_avg, out=avg)  # ḡ ← ḡ + (1-α)(g - ḡ)
            avg *= 1 - alpha
            grad_avg += avg
            np.multiply(grad_avg, grad_avg, out=avg)
            np.subtract(square_avg, avg, out=avg)
            np.sqrt(avg, out=avg)
        else:
            np.sqrt(square_avg, out=avg)
        avg += group["eps"]

        np.divide(g, avg, out=avg)  # g / (√ṽ + ε)
        if momentum > 0:
            buf = state["momentum_buffer"]._array
            buf *= momentum
            buf += avg
            np.multiply(buf, group["lr"], out=avg)
        else:
            avg *= group["lr"]
        param -= avg
