"""Regularization: weight penalties to add to a loss, and early stopping.

Factor convention (no 1/2 anywhere):

    l1_penalty(params) = sum_w |w|      d/dw = sign(w)
    l2_penalty(params) = sum_w w^2      d/dw = 2 w

so ``loss + lam * l2_penalty(params)`` adds ``2 * lam * w`` to each gradient.
An optimizer's ``weight_decay=wd`` adds ``wd * w`` to the gradient instead,
so it equals ``lam = wd / 2`` (for SGD and Adam; AdamW's decoupled decay is
not a penalty on the loss and has no exact ``lam``). Penalize only what you
mean to: ``[p for name, p in model.named_parameters() if name.endswith("weight")]``
leaves the biases out.
"""
import copy
import math

import numpy as np

from autograd.tensor import Tensor

from .utils import _tensors


def _sum_over(params, fn, term):
    total = None
    for p in _tensors(params, fn):
        part = term(p).sum()
        total = part if total is None else total + part
    return total if total is not None else Tensor._make(np.array(0.0, dtype=np.float32))


def l1_penalty(params):
    """sum over all parameters of sum |w| (a 0-d Tensor, differentiable: d/dw = sign(w), 0 at w = 0).

    ``params`` is a Tensor or an iterable of them (e.g. ``model.parameters()``); empty gives 0.
    """
    return _sum_over(params, "l1_penalty", lambda p: p.abs())


def l2_penalty(params):
    """sum over all parameters of sum w^2, with no 1/2 factor (a 0-d Tensor; d/dw = 2 w).

    ``loss + lam * l2_penalty(params)`` matches an optimizer's ``weight_decay = 2 * lam``.
    """
    return _sum_over(params, "l2_penalty", lambda p: p * p)


class EarlyStopping:
    """Stop training when a monitored metric has stopped improving.

    Call ``step(metric, model)`` once per epoch. An epoch improves when
    ``metric < best - min_delta`` (``mode='min'``) or ``metric > best + min_delta``
    (``mode='max'``); the first metric always improves, a nan never does.
    After ``patience`` epochs in a row without improvement, ``step`` returns
    True (stop). Attributes: ``best`` (best metric so far), ``best_epoch``
    (0-based index of the ``step`` call that set it), ``num_bad_epochs``
    (alias ``counter``: epochs since the last improvement), ``stopped`` (True
    once ``step`` has said stop; it stays True), ``epoch`` (steps taken).

    With ``restore_best_weights=True``, each improving step saves a deep copy of
    ``model.state_dict()`` (arrays copied, so later updates do not touch it) in
    ``best_state``, and the step that says stop loads it back with
    ``model.load_state_dict``. Any object with ``state_dict()`` and
    ``load_state_dict()`` works as the model (an optimizer too).
    """

    def __init__(self, patience=5, min_delta=0.0, mode="min", restore_best_weights=False):
        if isinstance(patience, bool) or not isinstance(patience, int) or patience < 0:
            raise ValueError(f"EarlyStopping: patience must be a non-negative int, got {patience!r}")
        if not min_delta >= 0:
            raise ValueError(f"EarlyStopping: min_delta must be >= 0, got {min_delta!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' or 'max', got {mode!r}")
        self.patience = patience
        self.min_delta = float(min_delta)
        self.mode = mode
        self.restore_best_weights = bool(restore_best_weights)
        self.best = math.inf if mode == "min" else -math.inf
        self.best_epoch = None
        self.best_state = None
        self.num_bad_epochs = 0
        self.epoch = 0
        self.stopped = False

    @property
    def counter(self):
        """Epochs since the last improvement (same as ``num_bad_epochs``)."""
        return self.num_bad_epochs

    def is_improvement(self, metric):
        """Whether ``metric`` beats ``best`` by more than ``min_delta`` in the direction of ``mode``."""
        if self.mode == "min":
            return metric < self.best - self.min_delta
        return metric > self.best + self.min_delta

    def step(self, metric, model=None):
        """Record this epoch's ``metric`` (a number or 1-element Tensor); return True if training should stop."""
        if self.restore_best_weights and model is None:
            raise ValueError("EarlyStopping.step: restore_best_weights=True needs the model: step(metric, model)")
        metric = float(metric)
        epoch, self.epoch = self.epoch, self.epoch + 1
        if (self.best_epoch is None and not math.isnan(metric)) or self.is_improvement(metric):
            self.best, self.best_epoch, self.num_bad_epochs = metric, epoch, 0
            if self.restore_best_weights:
                self.best_state = copy_state(model.state_dict())
            return False
        self.num_bad_epochs += 1
        if self.num_bad_epochs < self.patience:
            return False
        self.stopped = True
        if self.restore_best_weights and self.best_state is not None:
            model.load_state_dict(copy_state(self.best_state))
        return True


def copy_state(state):
    """A deep copy of a state dict: Tensors and arrays get their own memory; containers are rebuilt."""
    if isinstance(state, Tensor):
        return Tensor._make(state._array.copy())
    if isinstance(state, np.ndarray):
        return state.copy()
    if isinstance(state, dict):
        result = copy.copy(state)  # keeps the dict's type (e.g. OrderedDict) and its order
        for key, value in state.items():
            result[key] = copy_state(value)
        return result
    if type(state) in (list, tuple):
        return type(state)(copy_state(item) for item in state)
    return copy.deepcopy(state)


__all__ = ["l1_penalty", "l2_penalty", "EarlyStopping"]
