"""``Optimizer``: the base of every optimizer, with PyTorch's ``torch.optim.Optimizer`` API.

An optimizer holds the parameters to train in ``param_groups`` (a list of
dicts: ``{'params': [...], 'lr': ..., <other hyper-parameters>}``, each group
with its own hyper-parameters, missing ones filled from ``defaults``) and a
per-parameter ``state`` dict (moment estimates, step counts).
``step()`` reads each parameter's ``.grad`` and updates its values in place.

One code path serves both engines:

* an :class:`autograd.Tensor` parameter is updated on its ndarray
  (``p._array``) with in-place numpy operations, so no graph is recorded and
  no parameter-sized array is allocated per step (temporaries come from a
  reusable workspace);
* a scalar :class:`autograd.Value` parameter (``.data`` and ``.grad`` are
  Python floats) is viewed as a 0-d float64 array for the update, which is
  written back to ``.data`` afterwards. Its state buffers are 0-d tensors.

Subclasses implement ``_update(param, grad, state, group)`` on ndarrays; a
subclass may instead override ``step()`` as in PyTorch.
"""
import copy
import functools
import numbers
from collections import defaultdict
from itertools import chain

import numpy as np

from autograd.grad_mode import enable_grad
from autograd.tensor import Tensor


class _RequiredParameter:
    """Singleton marking a hyper-parameter a group must give (``optim.optimizer.required``)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

# Hyper-parameters that must be >= 0, in the order PyTorch checks them, and how its errors name them.
_NON_NEGATIVE = (
    ("lr", "learning rate"),
    ("lr_decay", "lr_decay value"),
    ("eps", "epsilon value"),
    ("momentum", "momentum value"),
    ("weight_decay", "weight_decay value"),
    ("alpha", "alpha value"),
    ("initial_accumulator_value", "initial_accumulator_value value"),
)

_SET_MESSAGE = (
    "optimizer parameters need to be organized in ordered collections, but the ordering of "
    "tensors in sets will change between runs. Please use a list instead."
)


def _is_scalar_parameter(p):
    """True for a scalar parameter such as :class:`autograd.Value`: float ``.data`` and ``.grad``."""
    return (
        not isinstance(p, Tensor)
        and hasattr(p, "grad")
        and isinstance(getattr(p, "data", None), numbers.Real)
        and not isinstance(p.data, bool)
    )


def _type_name(x):
    """``package.Class`` of ``x`` (``autograd.Tensor``, ``nn.Parameter``), or a builtin's name."""
    package = type(x).__module__.split(".")[0]
    return type(x).__qualname__ if package == "builtins" else f"{package}.{type(x).__qualname__}"


class Workspace:
    """Reusable scratch arrays, so an update allocates nothing parameter-sized per step.

    ``get(slot, like)`` returns an uninitialized array shaped and typed like
    ``like``, a view into a flat buffer kept per ``(slot, dtype)`` and grown to
    the largest parameter seen. Two different slots never alias.
    """

    def __init__(self):
        self._buffers = {}

    def get(self, slot, like):
        key = (slot, like.dtype)
        flat = self._buffers.get(key)
        n = like.size
        if flat is None or flat.size < n:
            flat = self._buffers[key] = np.empty(n, like.dtype)
        return flat[:n].reshape(like.shape)


def effective_grad(param, grad, maximize, weight_decay, workspace):
    """The gradient the update rules use: ``g = (-grad if maximize else grad) + weight_decay * param``.

    Returns ``grad`` itself when there is nothing to add (it must then not be
    written to), else a workspace array (slot 0).
    """
    if not maximize and weight_decay == 0:
        return grad
    g = workspace.get(0, param)
    if maximize:
        np.negative(grad, out=g)
        if weight_decay != 0:
            scaled = workspace.get(1, param)
            np.multiply(param, weight_decay, out=scaled)
            g += scaled
    else:
        np.multiply(param, weight_decay, out=g)
        np.add(grad, g, out=g)
    return g


def zeros_state(param):
    """A zero state buffer shaped and typed like ``param`` (an ndarray), as a Tensor."""
    return Tensor._make(np.zeros_like(param))


def step_counter():
    """The ``'step'`` entry of a parameter's state: a 0-d float32 tensor, as in PyTorch."""
    return Tensor._make(np.zeros((), np.float32))


def _count_optimizer_step(step):
    """Wrap a subclass's ``step`` so learning-rate schedulers can tell whether it was called."""

    @functools.wraps(step)
    def wrapper(self, *args, **kwargs):
        self._opt_called = True
        return step(self, *args, **kwargs)

    wrapper._counts_optimizer_step = True
    return wrapper


class Optimizer:
    """Base class of all optimizers: ``Optimizer(params, defaults)``.

    ``params`` is an iterable of parameters (:class:`autograd.Tensor` or
    :class:`autograd.Value`) or of ``(name, parameter)`` pairs
    (``model.named_parameters()``: the names are kept in the group as
    ``'param_names'`` and saved in ``state_dict``), or of dicts each defining
    a parameter group (``{'params': [...], 'lr': 0.1}``, whose ``'params'``
    may be such pairs too; all groups named or none); ``defaults`` holds the
    hyper-parameters a group does not set. Attributes: ``defaults``,
    ``param_groups``, ``state`` (a ``defaultdict(dict)`` keyed by parameter).

    Every optimizer performs, at each ``step()``, for each parameter θ whose
    gradient g = ∂loss/∂θ exists (``.grad`` is not None), the update rule
    given in its class docstring; the plainest is gradient descent,
    θ ← θ - lr·g: a small step downhill on the loss surface.
    """

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_counts_optimizer_step", False):
            cls.step = _count_optimizer_step(step)

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self._check_hyperparameters(self.defaults)
        if isinstance(params, Tensor) or _is_scalar_parameter(params):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {_type_name(params)}"
            )
        if isinstance(params, dict):
            params = [params]
        if isinstance(params, (set, frozenset)):
            raise TypeError(_SET_MESSAGE)
        try:
            param_groups = list(params)
        except TypeError:
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {_type_name(params)}"
            ) from None
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        self.state = defaultdict(dict)
        self.param_groups = []
        self._workspace = Workspace()
        self._opt_called = False
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    # ------------------------------------------------------------------ groups
    def add_param_group(self, param_group):
        """Append a parameter group (a dict with ``'params'`` and optional hyper-parameters).

        Missing hyper-parameters are taken from ``defaults``. Useful to start
        training layers that were frozen. A parameter may belong to one group
        only, once.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        if "params" not in param_group:
            raise ValueError("param_group must have a 'params' entry listing the parameters to optimize")
        params = param_group["params"]
        if isinstance(params, Tensor) or _is_scalar_parameter(params):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(_SET_MESSAGE)
        else:
            params = list(params)
        if not params:
            raise ValueError("optimizer got an empty parameter list")
        params, names = _split_names(params)
        for p in params:
            if isinstance(p, Tensor):
                if p.grad_fn is not None and not p.retains_grad:
                    raise ValueError("can't optimize a non-leaf Tensor")
            elif not _is_scalar_parameter(p):
                raise TypeError(
                    "optimizer can only optimize Tensors and Values (objects with float .data and .grad), "
                    f"but one of the params is {_type_name(p)}"
                )
        ids = [id(p) for p in params]
        if len(set(ids)) != len(ids):
            raise ValueError(
                "optimizer contains a parameter group with duplicate parameters; each parameter may be "
                "given only once"
            )
        taken = {id(p) for group in self.param_groups for p in group["params"]}
        for group in self.param_groups:
            if ("param_names" in group) != (names is not None):
                raise ValueError(
                    "all optimizer param groups should be with/without names. cannot add param group "
                    f"{'with' if names is not None else 'without'} names to the optimizer"
                )
        if not taken.isdisjoint(ids):
            raise ValueError("some parameters appear in more than one parameter group")

        group = dict(param_group)
        group["params"] = params
        if names is not None:
            group["param_names"] = names
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            group.setdefault(name, default)
        self._check_hyperparameters(group)
        self.param_groups.append(group)
        self._init_group_state(group)

    def _check_hyperparameters(self, group):
        """Raise ValueError for invalid hyper-parameters in ``group`` (or in ``defaults``).

        Checks that every hyper-parameter PyTorch requires to be non-negative
        is (with PyTorch's messages); subclasses add their own checks.
        """
        for name, label in _NON_NEGATIVE:
            value = group.get(name)
            if value is not None and value is not required and not value >= 0.0:
                raise ValueError(f"Invalid {label}: {value}")

    def _init_group_state(self, group):
        """Create state eagerly for a new group's parameters (most optimizers create it lazily)."""

    # ------------------------------------------------------------------- steps
    def zero_grad(self, set_to_none=True):
        """Reset the gradients of all parameters.

        With ``set_to_none=True`` (the default) a Tensor's ``.grad`` becomes
        None, so the next ``step()`` skips it unless a backward pass reaches
        it again; otherwise it is filled with zeros in place. A scalar Value's
        ``.grad`` is a float the backward pass adds to, so it is set to 0.0
        in both cases.
        """
        for group in self.param_groups:
            for p in group["params"]:
                if not isinstance(p, Tensor):
                    if p.grad is not None:
                        p.grad = 0.0
                    continue
                grad = p.grad
                if grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad._array.fill(0)
                    grad._bump_version()

    def step(self, closure=None):
        """Perform one optimization step; return the closure's loss (or None).

        ``closure``, if given, re-evaluates the model and returns the loss; it
        runs with gradient recording enabled, before the update.
        """
        self._opt_called = True
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            self._prepare_group(group)
            state = self.state
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if isinstance(p, Tensor):
                    self._update(p._array, grad._array, state[p], group)
                    p._bump_version()
                else:
                    # A scalar parameter: update a 0-d float64 view of it, then write back.
                    data = np.array(p.data, dtype=np.float64)
                    self._update(data, np.array(grad, dtype=np.float64), state[p], group)
                    p.data = float(data)
        return loss

    def _prepare_group(self, group):
        """Hook run once per group before its parameters are updated (e.g. to read hyper-parameters)."""

    def _update(self, param, grad, state, group):
        """Update the ndarray ``param`` in place from ``grad``; ``state`` is the parameter's state dict."""
        raise NotImplementedError(f"{type(self).__name__} must implement step() or _update()")

    # ------------------------------------------------------------ checkpoints
    def state_dict(self):
        """The optimizer's state as a dict, in PyTorch's format.

        ``{'state': {0: {...}, 1: {...}}, 'param_groups': [{..., 'params': [0, 1]}]}``:
        parameters are replaced by integer ids, numbered in order across the
        groups (a group made from ``named_parameters()`` also has its
        ``'param_names'``); ``state`` maps an id to that parameter's state (tensors are
        shared, not copied: save it or deep-copy it before training on).
        """
        index = {}
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {}
        for p, value in self.state.items():
            key = index.get(id(p), p)
            state[key] = value
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Load a dict made by :meth:`state_dict` (possibly saved and loaded with ``nn.save``/``nn.load``).

        The saved groups must match this optimizer's groups in number and
        size; ids are mapped to parameters in order. Hyper-parameters are
        taken from ``state_dict``; state arrays are copied (never shared with
        ``state_dict``) and cast to their parameter's dtype, except ``'step'``.
        Saved ``'param_names'`` replace a group's names (they do not affect
        the mapping); a group keeps its own when the saved one has none.
        """
        if not isinstance(state_dict, dict) or "state" not in state_dict or "param_groups" not in state_dict:
            raise ValueError("load_state_dict: expected a dict with 'state' and 'param_groups', as made by state_dict()")
        saved_groups = copy.deepcopy(list(state_dict["param_groups"]))
        groups = self.param_groups
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size of optimizer's group")
        id_map = dict(
            zip(
                (int(i) for i in chain.from_iterable(s["params"] for s in saved_groups)),
                chain.from_iterable(g["params"] for g in groups),
            )
        )
        state = defaultdict(dict)
        for key, value in state_dict["state"].items():
            try:
                index = int(key)  # a JSON round trip may turn int keys into str
            except (TypeError, ValueError):
                index = None
            if index in id_map:
                param = id_map[index]
                state[param] = _restore_state(param, value, index)
            else:
                state[key] = copy.deepcopy(value)
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            for name, value in saved.items():
                if isinstance(value, list) and isinstance(group.get(name), tuple):
                    saved[name] = tuple(value)
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.state = state
        self.param_groups = new_groups

    def __repr__(self):
        lines = [type(self).__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(group):
                if key != "params":
                    lines.append(f"    {key}: {group[key]}")
        return "\n".join(lines) + "\n)"


def _split_names(params):
    """``(params, names)`` from a group's list: names is None, or the names of ``(name, param)`` pairs.

    ``model.named_parameters()`` gives such pairs; PyTorch keeps the names in
    the group as ``'param_names'``. Every parameter of a group (and of an
    optimizer) must be named, or none.
    """
    pairs = [isinstance(p, tuple) for p in params]
    if not any(pairs):
        return params, None
    if not all(pairs):
        raise ValueError("all optimizer params should be with/without names. Some param names are missing")
    for pair in params:
        if len(pair) != 2:
            raise ValueError(
                "optimizer: a named parameter must be a (name, parameter) pair, as model.named_parameters() "
                f"gives, but got a tuple of length {len(pair)}"
            )
    return [p for _, p in params], [name for name, _ in params]


def _restore_state(param, value, index):
    """A deep copy of one parameter's saved state, arrays cast to the parameter's dtype (not 'step')."""
    if isinstance(param, Tensor):
        dtype, shape = param.dtype, param.shape
    else:
        dtype, shape = np.dtype(np.float64), ()
    out = {}
    for key, v in value.items():
        array = v._array if isinstance(v, Tensor) else v
        if isinstance(array, (np.ndarray, np.generic)) or (key == "step" and isinstance(array, numbers.Real)):
            if key == "step":
                out[key] = Tensor._make(np.array(array, dtype=np.float32).reshape(()))
                continue
            array = np.array(array, dtype=dtype if np.issubdtype(np.asarray(array).dtype, np.floating) else None)
            if array.shape != tuple(shape):
                raise ValueError(
                    f"load_state_dict: state '{key}' of parameter {index} has shape {tuple(array.shape)}, "
                    f"but the parameter has shape {tuple(shape)}"
                )
            out[key] = Tensor._make(array)
        else:
            out[key] = copy.deepcopy(v)
    return out
