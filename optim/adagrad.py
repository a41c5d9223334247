"""``Adagrad``: per-weight learning rates that shrink with the sum of that weight's squared gradients."""
import numpy as np

from autograd.tensor import Tensor

from .optimizer import Optimizer, effective_grad, step_counter


class Adagrad(Optimizer):
    r"""Adagrad: ``Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0,
    eps=1e-10, *, maximize=False)``.

    Update rule, for each parameter θ at step t = 1, 2, ... (γ = lr, η = lr_decay, λ = weight_decay),
    starting from s_0 = initial_accumulator_value::

        g_t ← ∇f(θ_{t-1})                     (-∇f(θ_{t-1}) if maximize)
        if λ ≠ 0:  g_t ← g_t + λ θ_{t-1}
        γ̃_t ← γ / (1 + (t - 1) η)
        s_t ← s_{t-1} + g_t²                     sum of all squared gradients so far
        θ_t ← θ_{t-1} - γ̃_t g_t / (√s_t + ε)

    Each weight gets its own learning rate γ / √s, which only decreases:
    weights that have received large or frequent gradients slow down, while
    weights with rare gradients (e.g. embeddings of rare words) keep taking
    large steps. Because s only grows, the steps eventually become tiny;
    :class:`RMSprop` and :class:`Adam` replace the sum by a running average.

    The state of a parameter is ``{'step', 'sum'}``, created when the
    parameter is added (as in PyTorch), with ``sum`` filled with
    ``initial_accumulator_value``.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10, *,
                 maximize=False):
        defaults = {
            "lr": lr,
            "lr_decay": lr_decay,
            "eps": eps,
            "weight_decay": weight_decay,
            "initial_accumulator_value": initial_accumulator_value,
            "maximize": maximize,
        }
        super().__init__(params, defaults)

    def _init_group_state(self, group):
        for p in group["params"]:
            state = self.state[p]
            if state:
                continue
            like = p._array if isinstance(p, Tensor) else np.zeros((), np.float64)
            state["step"] = step_counter()
            state["sum"] = Tensor._make(np.full_like(like, group["initial_accumulator_value"]))

    def _update(self, param, grad, state, group):
        ws = self._workspace
        step_t = state["step"]._array
        step_t += 1
        step = float(step_t)
        g = effective_grad(param, grad, group["maximize"], group["weight_decay"], ws)
        clr = group["lr"] / (1 + (step - 1) * group["lr_decay"])
        state_sum = state["sum"]._array
        std = ws.get(1, param)
        np.multiply(g, g, out=std)  # s ← s + g²
        state_sum += std
        np.sqrt(state_sum, out=std)
        std += group["eps"]
        np.divide(g, std, out=std)
        std *= clr
        param -= std
