"""Training diagnostics: ``GradientMonitor`` watches a model train and turns what it sees into the
course's debugging advice.

Usage::

    monitor = nn.GradientMonitor(model)
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        monitor.step(loss)            # after backward(), before or after optimizer.step()
        optimizer.step()
    monitor.report()                  # table per layer for the latest step, then the diagnosis
    findings = monitor.diagnose()     # e.g. [Finding(kind='vanishing_gradients', ...)]
    monitor.plot()                    # gradient flow per layer (needs matplotlib)
    monitor.remove()                  # or use ``with nn.GradientMonitor(model) as monitor:``

What is recorded, per step:

- for every module owning a ``weight`` parameter (Linear, BatchNorm1d, LayerNorm, Embedding, ...):
  g = ||dL/dW||_2 (the Frobenius norm of ``weight.grad``), w = ||W||_2 and the ratio g / w;
- through forward hooks, statistics of the outputs of those modules and of the activation modules
  (ReLU, LeakyReLU, Sigmoid, Tanh, GELU, Softplus): mean and std; for ReLU the fraction of zeros
  (inactive units) and the fraction of dead units (zero for every sample seen in the step); for
  Sigmoid the fraction below 1 - s or above s and for Tanh the fraction with |y| > s
  (``saturation`` s = 0.99), where the derivative is nearly 0;
- the loss, when passed to ``step``.

Only forward calls made with grad mode on are counted (an evaluation pass under
``autograd.no_grad()`` cannot contribute to the step's gradients). Activations applied as functions
inside ``forward`` (``autograd.relu(x)``) are invisible to hooks: use the modules to see them.
Recording reads the numpy arrays directly and builds no graph: about two vector norms per weight
and a few reductions per hooked output (around 1 ms a step for a 784-512-256-10 MLP on a batch of
128). To make it cheaper still, call ``step`` every k iterations: the activation statistics then
cover the k batches since the previous call, the gradients are those of the last backward.
"""
import dataclasses
import math
import numbers
from typing import Optional

import numpy as np

from autograd.grad_mode import is_grad_enabled
from autograd.tensor import Tensor

from . import activation
from .module import Module

_ACTIVATION_KINDS = (
    (activation.ReLU, "relu"),
    (activation.LeakyReLU, "leaky_relu"),
    (activation.Sigmoid, "sigmoid"),
    (activation.Tanh, "tanh"),
    (activation.GELU, "activation"),
    (activation.Softplus, "activation"),
)


@dataclasses.dataclass(frozen=True)
class GradientStats:
    """One layer's weight gradient at one step: ``grad_norm`` = ||dL/dW||_2, ``weight_norm`` = ||W||_2,
    ``ratio`` = grad_norm / weight_norm (inf when W = 0 but the gradient is not; nan when both are 0)."""

    layer: str
    type: str
    grad_norm: float
    weight_norm: float
    ratio: float


@dataclasses.dataclass(frozen=True)
class ActivationStats:
    """One module's outputs over the forward calls of one step.

    ``samples`` counts rows (dim 0); ``mean`` and ``std`` are over every element. ``zero_fraction``
    (ReLU): share of outputs equal to 0. ``dead_fraction`` (ReLU): share of units (the positions
    along the non-batch dims) that were 0 for every sample. ``saturated_fraction`` (Sigmoid, Tanh):
    share of outputs in the flat tails. Fields that do not apply to the module are None.
    """

    layer: str
    type: str
    kind: str
    samples: int
    mean: float
    std: float
    zero_fraction: Optional[float] = None
    dead_fraction: Optional[float] = None
    saturated_fraction: Optional[float] = None
    alive: Optional[np.ndarray] = dataclasses.field(default=None, repr=False, compare=False)
    """ReLU: boolean per unit, True if it was non-zero for some sample (what ``diagnose`` combines
    over steps)."""


@dataclasses.dataclass(frozen=True)
class StepRecord:
    """What ``GradientMonitor.step`` recorded: the step index, the loss (or None), and dicts from
    layer name to ``GradientStats`` and to ``ActivationStats``."""

    step: int
    loss: Optional[float]
    gradients: dict
    activations: dict


@dataclasses.dataclass(frozen=True)
class Finding:
    """A problem ``diagnose`` found: ``kind`` (e.g. 'vanishing_gradients'), what was seen
    (``message``), what to do (``advice``) and the numbers behind it (``evidence``)."""

    kind: str
    message: str
    advice: str
    evidence: dict

    def __str__(self):
        return f"[{self.kind}] {self.message}\n    advice: {self.advice}"


class Findings(list):
    """The list ``diagnose`` returns; ``str()`` gives one paragraph per finding."""

    def __str__(self):
        if not self:
            return "diagnosis: no problems found"
        return "diagnosis:\n" + "\n".join("  " + str(finding).replace("\n", "\n  ") for finding in self)


class _Report(str):
    """The text ``report`` returns. Once printed, Jupyter does not display it a second time."""

    printed = False

    def _ipython_display_(self):
        if not self.printed:
            print(self)


class _Accumulator:
    """Running sums of one module's outputs within a step (cheap: a few numpy reductions per call)."""

    __slots__ = ("kind", "rows", "count", "total", "total_sq", "zeros", "saturated", "alive", "units_comparable")

    def __init__(self, kind):
        self.kind = kind
        self.rows = self.count = self.zeros = self.saturated = 0
        self.total = self.total_sq = 0.0
        self.alive = None  # ReLU: per unit, active for some sample so far
        self.units_comparable = True

    def add(self, a, saturation):
        self.rows += a.shape[0] if a.ndim > 1 else 1
        self.count += a.size
        with np.errstate(over="ignore", invalid="ignore"):
            self.total += float(a.sum(dtype=np.float64))
            self.total_sq += float(np.square(a, dtype=np.float64).sum())
        if self.kind == "relu":
            active = a != 0  # a nan output is broken, not dead
            self.zeros += a.size - int(np.count_nonzero(active))
            alive = active.any(axis=0) if a.ndim > 1 else active
            if self.alive is None:
                self.alive = alive
            elif self.alive.shape == alive.shape:
                self.alive |= alive
            else:  # outputs of varying shape: units are not comparable across calls
                self.units_comparable = False
        elif self.kind == "sigmoid":
            self.saturated += int(np.count_nonzero((a < 1 - saturation) | (a > saturation)))
        elif self.kind == "tanh":
            self.saturated += int(np.count_nonzero(np.abs(a) > saturation))

    def stats(self, layer, type_name):
        n = self.count
        mean = self.total / n
        std = math.sqrt(max(self.total_sq / n - mean * mean, 0.0)) if math.isfinite(mean) else math.nan
        fields = {}
        if self.kind == "relu":
            fields["zero_fraction"] = self.zeros / n
            if self.units_comparable:
                fields["dead_fraction"] = 1.0 - float(np.count_nonzero(self.alive)) / self.alive.size
                fields["alive"] = self.alive
        elif self.kind in ("sigmoid", "tanh"):
            fields["saturated_fraction"] = self.saturated / n
        return ActivationStats(layer, type_name, self.kind, self.rows, mean, std, **fields)


def _norm(array):
    """||array||_2 over all elements, accumulated in float64."""
    flat = array.ravel(order="K").astype(np.float64, copy=False)  # order K: no transposing copy of an F-ordered grad
    with np.errstate(over="ignore", invalid="ignore"):
        return float(np.sqrt(np.dot(flat, flat)))


def _finite(x):
    return x is not None and math.isfinite(x)


def _median(values):
    values = [v for v in values if v is not None]
    return float(np.median(values)) if values else math.nan


class GradientMonitor:
    """Record gradient flow, activation statistics and the loss of ``model`` during training, and
    diagnose vanishing or exploding gradients, dead ReLUs and a diverging or flat loss.

    ``GradientMonitor(model, **thresholds)`` attaches forward hooks at once; call ``step(loss)``
    after each ``loss.backward()``; ``remove()`` (or leaving a ``with`` block) detaches the hooks.
    ``history`` is the list of ``StepRecord``. Layers are listed in the order the forward pass first
    called them (input to output), then any never called, in registration order.

    Thresholds (class attributes; override any of them by keyword):

    - ``window`` = 10: the gradient findings look at the last ``window`` steps (medians, robust to
      one noisy mini-batch).
    - ``vanishing_ratio`` = 1e-3: vanishing gradients when an earlier weight layer's median gradient
      norm is below ``vanishing_ratio`` times the last weight layer's (three orders of magnitude).
      Only weights with 2 or more dims count (not the per-channel scales of normalization layers).
    - ``exploding_norm`` = 1e3: exploding gradients when a layer's gradient norm at the latest step is
      above this, or any gradient norm in the window is inf or nan ...
    - ``exploding_growth`` = 1e3: ... or the total gradient norm (over the weights) grew this many
      times within the window: the median over its second half against the median over its first
      (a sustained rise; one large mini-batch after convergence is not an explosion).
    - ``dead_fraction`` = 0.6: dead ReLUs when more than this share of a ReLU layer's units output 0
      for every sample of the last ``window`` steps, counted only when those steps saw at least
      ``dead_min_samples`` = 10 samples (with a handful of samples, an inactive unit is not yet a
      dead one; and a unit silent on one mini-batch may fire on the next). Not 0.5: a healthy
      default-initialized 2-32-32-1 ReLU net trained on two-moons with Adam keeps 20-53% of its
      second hidden layer dead (20 seeds); a sick one (too high a learning rate, very negative
      biases) loses 80-100%.
    - ``saturation`` = 0.99: Sigmoid outputs outside [0.01, 0.99] and Tanh outputs with |y| > 0.99
      count as saturated.
    - ``loss_window`` = 5: the loss findings compare medians of ``loss_window`` consecutive losses
      (needs at least 2 * ``loss_window`` recorded losses).
    - ``diverge_ratio`` = 1.5: diverging loss when a recent loss is inf or nan, or when the median of
      the last ``loss_window`` losses is above ``diverge_ratio`` times the best (lowest) windowed median
      so far and has given back more than half of the progress made from the first window to that best.
    - ``flat_min_steps`` = 20, ``flat_tolerance`` = 1e-2: flat loss when, over at least
      ``flat_min_steps`` losses, the last window's median differs from the first window's by at most
      ``flat_tolerance`` of it (less than 1% of movement); a loss already at 0 is not flagged.
      With every weight layer's median gradient norm below ``stuck_grad_norm`` = 1e-4, the finding
      says the network is stuck (saturated, or collapsed to a constant output) rather than that the
      learning rate is too low.
    """

    window = 10
    vanishing_ratio = 1e-3
    exploding_norm = 1e3
    exploding_growth = 1e3
    dead_fraction = 0.6
    dead_min_samples = 10
    saturation = 0.99
    loss_window = 5
    diverge_ratio = 1.5
    flat_min_steps = 20
    flat_tolerance = 1e-2
    stuck_grad_norm = 1e-4

    THRESHOLDS = (
        "window", "vanishing_ratio", "exploding_norm", "exploding_growth", "dead_fraction", "dead_min_samples",
        "saturation", "loss_window", "diverge_ratio", "flat_min_steps", "flat_tolerance", "stuck_grad_norm",
    )
    _INTEGER_THRESHOLDS = ("window", "dead_min_samples", "loss_window", "flat_min_steps")

    def __init__(self, model, **thresholds):
        if not isinstance(model, Module):
            raise TypeError(
                f"GradientMonitor: expected an nn.Module, got {type(model).__name__} "
                "(the scalar Value models nn.Neuron/Layer/MLP are not supported)"
            )
        for name, value in thresholds.items():
            self._set_threshold(name, value)
        self.model = model
        self.history = []
        self._types = {}
        self._weighted = []          # (layer name, module) owning a weight
        self._kinds = {}             # layer name -> activation kind of the hooked modules
        self._registration = []
        self._call_order = []
        self._seen = set()
        self._accumulators = {}
        self._handles = []
        for name, module in model.named_modules():
            layer = name or "(model)"
            kind = next((k for cls, k in _ACTIVATION_KINDS if isinstance(module, cls)), None)
            if module._parameters.get("weight") is not None:
                self._weighted.append((layer, module))
                kind = kind or "layer"
            if kind is None:
                continue
            self._types[layer] = type(module).__name__
            self._kinds[layer] = kind
            self._registration.append(layer)
            self._handles.append(module.register_forward_hook(self._make_hook(layer, kind)))
        if not self._registration:
            raise ValueError(
                f"GradientMonitor: {type(model).__name__} has no module with a weight and no activation module to watch"
            )

    def _set_threshold(self, name, value):
        if name not in self.THRESHOLDS:
            raise TypeError(f"GradientMonitor: unknown threshold {name!r} (expected one of {', '.join(self.THRESHOLDS)})")
        integer = name in self._INTEGER_THRESHOLDS
        valid = isinstance(value, numbers.Integral if integer else numbers.Real) and not isinstance(value, bool)
        if not valid or not value > 0 or (name == "saturation" and not 0.5 < value < 1):
            expected = "a positive int" if integer else ("a number in (0.5, 1)" if name == "saturation" else "a positive number")
            raise ValueError(f"GradientMonitor: threshold {name} must be {expected}, got {value!r}")
        setattr(self, name, value)

    # ---------------------------------------------------------------- recording
    def _make_hook(self, layer, kind):
        def hook(module, args, output):
            if not is_grad_enabled() or not isinstance(output, Tensor):
                return None
            array = output._array
            if array.dtype.kind != "f" or array.size == 0:
                return None
            acc = self._accumulators.get(layer)
            if acc is None:
                acc = self._accumulators[layer] = _Accumulator(kind)
            if layer not in self._seen:
                self._seen.add(layer)
                self._call_order.append(layer)
            acc.add(array, self.saturation)
            return None

        return hook

    @property
    def layers(self):
        """The watched layer names, input to output (forward call order, then registration order)."""
        seen = self._seen
        return self._call_order + [name for name in self._registration if name not in seen]

    def step(self, loss=None):
        """Record the current gradients (call after ``loss.backward()``), the activation statistics of
        the forward calls since the previous step, and ``loss`` (a number or a one-element Tensor).
        Returns the new ``StepRecord``."""
        gradients = {}
        for layer, module in self._weighted:
            weight = module._parameters.get("weight")
            if weight is None or weight.grad is None:
                continue
            grad_norm, weight_norm = _norm(weight.grad._array), _norm(weight._array)
            if weight_norm > 0:
                ratio = grad_norm / weight_norm
            else:
                ratio = math.inf if grad_norm > 0 else math.nan
            gradients[layer] = GradientStats(layer, self._types[layer], grad_norm, weight_norm, ratio)
        activations = {
            layer: acc.stats(layer, self._types[layer]) for layer, acc in self._accumulators.items() if acc.count
        }
        record = StepRecord(len(self.history), self._loss_value(loss), gradients, activations)
        self._accumulators = {}
        self.history.append(record)
        return record

    @staticmethod
    def _loss_value(loss):
        if loss is None:
            return None
        if isinstance(loss, Tensor):
            if loss._array.size != 1:
                raise ValueError(
                    f"GradientMonitor.step: loss must be a one-element Tensor, got shape {tuple(loss.shape)}"
                )
            return float(loss._array.reshape(-1)[0])
        if isinstance(loss, numbers.Real) and not isinstance(loss, bool):
            return float(loss)
        if isinstance(loss, np.ndarray) and loss.size == 1 and loss.dtype.kind in "fiu":
            return float(loss.reshape(-1)[0])
        raise TypeError(f"GradientMonitor.step: loss must be a number or a one-element Tensor, got {type(loss).__name__}")

    def remove(self):
        """Detach the forward hooks (idempotent). The history stays."""
        for handle in self._handles:
            handle.remove()
        self._handles = []
        self._accumulators = {}

    def clear(self):
        """Forget the recorded history (the hooks stay)."""
        self.history = []
        self._accumulators = {}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    def __repr__(self):
        state = "attached" if self._handles else "removed"
        return f"GradientMonitor({type(self.model).__name__}, {len(self.layers)} layers, {len(self.history)} steps, {state})"

    # ------------------------------------------------------------------ series
    @property
    def losses(self):
        """The recorded losses as a float64 array (nan for steps recorded without a loss)."""
        return np.array([math.nan if r.loss is None else r.loss for r in self.history], dtype=np.float64)

    def series(self, field):
        """``{layer: array over steps}`` of one recorded field: 'grad_norm', 'weight_norm', 'ratio'
        (weighted layers) or 'mean', 'std', 'zero_fraction', 'dead_fraction', 'saturated_fraction'
        (hooked outputs); nan where a step has no value."""
        if field in ("grad_norm", "weight_norm", "ratio"):
            source = "gradients"
        elif field in ("mean", "std", "zero_fraction", "dead_fraction", "saturated_fraction"):
            source = "activations"
        else:
            raise ValueError(f"GradientMonitor.series: unknown field {field!r}")
        out = {}
        for layer in self.layers:
            values = [getattr(getattr(r, source).get(layer), field, None) for r in self.history]
            if any(v is not None for v in values):
                out[layer] = np.array([math.nan if v is None else v for v in values], dtype=np.float64)
        return out

    # --------------------------------------------------------------- diagnosis
    def _matrix_layers(self):
        """Weighted layers whose weight has 2+ dims, input to output."""
        names = {layer for layer, module in self._weighted if getattr(module._parameters.get("weight"), "ndim", 0) >= 2}
        return [layer for layer in self.layers if layer in names]

    def diagnose(self):
        """Turn the recorded figures into findings with the course's advice (a ``Findings`` list,
        empty for a healthy run; ``print`` it for a readable paragraph per finding).

        Kinds, in this order: 'exploding_gradients', 'vanishing_gradients' (not reported alongside
        exploding ones: with an overflowing layer the ratios mean nothing), 'dead_relus', then one of
        'diverging_loss' or 'flat_loss'. See the class docstring for the thresholds."""
        findings = Findings()
        if not self.history:
            return findings
        recent = self.history[-self.window:]
        exploding = self._exploding(recent)
        for finding in (exploding, None if exploding else self._vanishing(recent), self._dead_relus(recent)):
            if finding is not None:
                findings.append(finding)
        findings.extend(self._loss_findings())
        return findings

    def _vanishing(self, recent):
        layers = [name for name in self._matrix_layers() if any(name in r.gradients for r in recent)]
        if len(layers) < 2:
            return None
        median = {name: _median([r.gradients[name].grad_norm for r in recent if name in r.gradients]) for name in layers}
        last = layers[-1]
        reference = median[last]
        if not _finite(reference) or reference <= 0:
            return None
        ratios = {name: median[name] / reference for name in layers[:-1] if _finite(median[name])}
        low = {name: ratio for name, ratio in ratios.items() if ratio < self.vanishing_ratio}
        if not low:
            return None
        worst = min(low, key=low.get)
        message = (
            f"the gradient norm of layer '{worst}' is {low[worst]:.1e} times that of the last layer '{last}' "
            f"({median[worst]:.2e} vs {reference:.2e}, medians over the last {len(recent)} steps); "
            f"{len(low)} of {len(layers) - 1} earlier layers are below {self.vanishing_ratio:g} times it, "
            "so the early layers barely learn"
        )
        squashing = sorted({self._types[name] for name, kind in self._kinds.items() if kind in ("sigmoid", "tanh")})
        if squashing:
            message += f" (the network uses {' and '.join(squashing)}, whose derivative is small, at most 0.25 for Sigmoid, and near 0 when saturated: the chain rule multiplies these factors layer after layer)"
        return Finding(
            "vanishing_gradients", message,
            "use ReLU in the hidden layers, add Batch Normalization (nn.BatchNorm1d) between layers, and use He "
            "initialization (nn.init.kaiming_normal_(layer.weight, nonlinearity='relu'))",
            {"layer": worst, "last_layer": last, "ratio": low[worst], "grad_norm": median[worst],
             "last_grad_norm": reference, "ratios": ratios, "threshold": self.vanishing_ratio},
        )

    def _exploding(self, recent):
        advice = (
            "lower the learning rate (try 1e-3), and clip the gradients before optimizer.step() with "
            "nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)"
        )
        for record in reversed(recent):
            bad = {name: g.grad_norm for name, g in record.gradients.items() if not math.isfinite(g.grad_norm)}
            if bad:
                return Finding(
                    "exploding_gradients",
                    f"non-finite gradient norms at step {record.step} in layer(s) {', '.join(map(repr, bad))}: "
                    "the gradients overflowed",
                    advice, {"step": record.step, "grad_norms": bad, "threshold": self.exploding_norm},
                )
        latest = self.history[-1]
        norms = {name: g.grad_norm for name, g in latest.gradients.items()}
        if not norms:
            return None
        worst = max(norms, key=norms.get)
        if norms[worst] > self.exploding_norm:
            return Finding(
                "exploding_gradients",
                f"the gradient norm of layer '{worst}' is {norms[worst]:.2e} at step {latest.step}, above {self.exploding_norm:g}",
                advice, {"layer": worst, "grad_norm": norms[worst], "step": latest.step, "threshold": self.exploding_norm},
            )
        matrix = set(self._matrix_layers()) or set(norms)
        totals = [math.sqrt(sum(g.grad_norm ** 2 for n, g in r.gradients.items() if n in matrix)) for r in recent]
        # Sustained growth, not one spike: a converged network's norms sit near 0 with an occasional
        # large batch, so compare the medians of the window's two halves rather than max to min.
        half = len(totals) // 2
        if half:
            before, after = float(np.median(totals[:half])), float(np.median(totals[half:]))
            if before > 0 and after > self.exploding_growth * before:
                growth = after / before
                return Finding(
                    "exploding_gradients",
                    f"the total gradient norm grew {growth:.1e} times within the last {len(recent)} steps "
                    f"(median {before:.2e} in the first half, {after:.2e} in the second)",
                    advice, {"growth": growth, "total_norms": totals, "threshold": self.exploding_growth},
                )
        return None

    def _dead_relus(self, recent):
        dead, samples = {}, {}
        for name in self.layers:
            stats = [r.activations[name] for r in recent if name in r.activations and r.activations[name].alive is not None]
            masks = [a.alive for a in stats]
            if not masks or any(m.shape != masks[-1].shape for m in masks):
                continue
            rows = sum(a.samples for a in stats)
            if rows < self.dead_min_samples:
                continue
            alive = np.logical_or.reduce(masks)
            dead[name] = 1.0 - float(np.count_nonzero(alive)) / alive.size
            samples[name] = rows
        bad = [name for name in self.layers if name in dead and dead[name] > self.dead_fraction]
        if not bad:
            return None
        parts = ", ".join(f"'{name}' {dead[name]:.0%} of units" for name in bad)
        return Finding(
            "dead_relus",
            f"dead ReLUs (output 0 for every one of the {max(samples[n] for n in bad)} samples of the last "
            f"{len(recent)} steps, so no gradient flows through them): {parts}; threshold {self.dead_fraction:.0%}",
            "use Leaky ReLU (nn.LeakyReLU(0.01)) so that negative inputs still pass a gradient, lower the learning "
            "rate (try 1e-3), and check the initialization (He, biases near 0)",
            {"dead_fractions": {name: dead[name] for name in bad}, "samples": {name: samples[name] for name in bad},
             "threshold": self.dead_fraction},
        )

    def _loss_findings(self):
        losses = [r.loss for r in self.history if r.loss is not None]
        w = self.loss_window
        if not losses:
            return []
        tail = losses[-w:]
        if not all(math.isfinite(x) for x in tail):
            return [Finding(
                "diverging_loss",
                f"the loss is {next(x for x in tail if not math.isfinite(x))} (it overflowed): training diverged",
                "check the learning rate: lower it (try 1e-3); clip gradients with nn.utils.clip_grad_norm_; "
                "autograd.detect_anomaly() names the op that produced the first nan or inf",
                {"last_losses": tail},
            )]
        if len(losses) < 2 * w:
            return []
        windows = [_median(losses[i:i + w]) for i in range(0, len(losses) - w + 1)]
        first, last = windows[0], windows[-1]
        best = min((x for x in windows[:-w] if math.isfinite(x)), default=first)  # windows before the last one
        rise = last - best
        if rise > (self.diverge_ratio - 1) * abs(best) and rise > 0.5 * (first - best):
            return [Finding(
                "diverging_loss",
                f"the loss is rising: median {last:.4g} over the last {w} steps, against a best of {best:.4g} "
                f"and {first:.4g} at the start",
                "check the learning rate: it is probably too high, try 1e-3 (and Batch Normalization tolerates a "
                "larger one)",
                {"first": first, "best": best, "last": last, "threshold": self.diverge_ratio},
            )]
        if len(losses) >= self.flat_min_steps and abs(first) > 0:
            change = abs(last - first) / abs(first)
            if change <= self.flat_tolerance:
                return [self._flat_loss(len(losses), first, last, change)]
        return []

    def _flat_loss(self, steps, first, last, change):
        message = (
            f"the loss has not moved over {steps} steps: median {first:.4g} at the start, {last:.4g} now "
            f"(relative change {change:.1e}, threshold {self.flat_tolerance:g})"
        )
        advice = (
            "the learning rate is probably too low, try 1e-3 (Adam is a good default); if it persists, "
            "look for vanishing gradients and add Batch Normalization"
        )
        recent = self.history[-self.window:]
        medians = [_median([r.gradients[n].grad_norm for r in recent if n in r.gradients]) for n in self._matrix_layers()]
        largest = max((m for m in medians if _finite(m)), default=None)
        if largest is not None and largest < self.stuck_grad_norm:
            message += (
                f"; the gradients are tiny in every layer (largest median norm {largest:.1e}): the network is stuck, "
                "its units saturated or its output constant"
            )
            advice = (
                "a larger learning rate will not help much: re-initialize (He for ReLU, Xavier for Sigmoid/Tanh), "
                "use ReLU in the hidden layers and add Batch Normalization"
            )
        return Finding(
            "flat_loss", message, advice,
            {"first": first, "last": last, "relative_change": change, "steps": steps,
             "largest_grad_norm": largest, "threshold": self.flat_tolerance},
        )

    # ------------------------------------------------------------------ report
    def report(self, step=-1, summary=False, echo=True, file=None):
        """Print a table per layer for one recorded step (default the latest; ``summary=True``: over
        all steps), followed by the diagnosis; return the text. ``echo=False`` only returns it;
        ``file`` is where to print (``sys.stdout`` when None, like ``print``)."""
        if not self.history:
            text = "GradientMonitor: nothing recorded yet (call monitor.step(loss) after loss.backward())"
        else:
            text = self._summary_text() if summary else self._step_text(self.history[step])
            text += "\n" + str(self.diagnose())
        result = _Report(text)
        if echo:
            print(text, file=file)
            result.printed = True
        return result

    def _step_text(self, record):
        header = ("layer", "type", "grad norm", "grad/weight", "mean", "std", "zeros", "dead", "saturated")
        rows = []
        for layer in self.layers:
            g, a = record.gradients.get(layer), record.activations.get(layer)
            if g is None and a is None:
                continue
            rows.append((
                layer, self._types[layer],
                _fmt(getattr(g, "grad_norm", None), "e"), _fmt(getattr(g, "ratio", None), "e"),
                _fmt(getattr(a, "mean", None), "g"), _fmt(getattr(a, "std", None), "g"),
                _fmt(getattr(a, "zero_fraction", None), "%"), _fmt(getattr(a, "dead_fraction", None), "%"),
                _fmt(getattr(a, "saturated_fraction", None), "%"),
            ))
        title = f"step {record.step}" + ("" if record.loss is None else f"   loss {record.loss:.6g}")
        return title + "\n" + _table(header, rows)

    def _summary_text(self):
        grad, dead, saturated = self.series("grad_norm"), self.series("dead_fraction"), self.series("saturated_fraction")
        header = ("layer", "type", "grad norm first", "last", "min", "max", "dead last", "saturated last")
        rows = []
        for layer in self.layers:
            g = grad.get(layer)
            if g is None and layer not in dead and layer not in saturated:
                continue
            finite = g[np.isfinite(g)] if g is not None else np.array([])
            rows.append((
                layer, self._types[layer],
                _fmt(_last_value(g, first=True), "e"), _fmt(_last_value(g), "e"),
                _fmt(finite.min() if finite.size else None, "e"), _fmt(finite.max() if finite.size else None, "e"),
                _fmt(_last_value(dead.get(layer)), "%"), _fmt(_last_value(saturated.get(layer)), "%"),
            ))
        losses = self.losses
        known = losses[~np.isnan(losses)]
        title = f"{len(self.history)} steps"
        if known.size:
            title += f"   loss first {known[0]:.6g}, last {known[-1]:.6g}, min {np.nanmin(known):.6g}"
        return title + "\n" + _table(header, rows)

    # -------------------------------------------------------------------- plot
    def plot(self, ax=None, steps=8):
        """Draw the gradient flow: the gradient norm of each weight matrix (input to output, log
        scale) at up to ``steps`` recorded steps spread over training, darker = later; beside it the
        loss curve when losses were recorded. Needs matplotlib. Returns the Figure (``ax``: draw only
        the gradient flow into that Axes)."""
        plt = _pyplot()
        if not self.history:
            raise RuntimeError("GradientMonitor.plot: nothing recorded yet (call monitor.step(loss) after loss.backward())")
        grad = self.series("grad_norm")
        # The weight matrices, as the diagnosis compares them (normalization layers' per-unit scales
        # would zigzag the line between layer kinds).
        layers = [layer for layer in (self._matrix_layers() or self.layers) if layer in grad]
        losses = self.losses
        has_loss = bool(np.isfinite(losses).any())
        if ax is None:
            fig, axes = plt.subplots(1, 2 if has_loss else 1, figsize=(11 if has_loss else 6, 4), squeeze=False)
            ax, loss_ax = axes[0, 0], (axes[0, 1] if has_loss else None)
        else:
            fig, loss_ax = ax.figure, None
        count = len(self.history)
        chosen = sorted({round(i * (count - 1) / max(steps - 1, 1)) for i in range(min(steps, count))})
        cmap = plt.get_cmap("viridis")
        x = np.arange(len(layers))
        for k, index in enumerate(chosen):
            values = np.array([grad[layer][index] for layer in layers])
            values = np.where(values > 0, values, np.nan)
            shade = cmap(0.15 + 0.7 * (1 - k / max(len(chosen) - 1, 1)))
            ax.plot(x, values, marker="o", color=shade, label=f"step {self.history[index].step}",
                    linewidth=2 if index == count - 1 else 1)
        ax.set_yscale("log")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{layer}\n{self._types[layer]}" for layer in layers], fontsize=8)
        ax.set_xlabel("layer (input → output)")
        ax.set_ylabel("gradient norm ||dL/dW||")
        ax.set_title("Gradient flow")
        ax.grid(True, which="both", alpha=0.3)
        if layers:
            ax.legend(fontsize=8)
        if loss_ax is not None:
            loss_ax.plot([r.step for r in self.history], losses, color="tab:red")
            loss_ax.set_xlabel("step")
            loss_ax.set_ylabel("loss")
            loss_ax.set_title("Loss")
            loss_ax.grid(True, alpha=0.3)
        fig.tight_layout()
        return fig


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "GradientMonitor.plot needs matplotlib: pip install matplotlib (or pip install 'chainrule[notebooks]')"
        ) from error
    return plt


def _last_value(values, first=False):
    if values is None:
        return None
    known = values[~np.isnan(values)]
    if not known.size:
        return None
    return float(known[0] if first else known[-1])


def _fmt(value, style):
    if value is None:
        return "-"
    if style == "%":
        return f"{value:.1%}"
    if style == "e":
        return f"{value:.2e}"
    return f"{value:.3g}"


def _table(header, rows):
    widths = [max(len(str(row[i])) for row in (header, *rows)) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in (header, *rows)]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)
