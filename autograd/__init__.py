"""chainrule's autograd: a numpy-backed Tensor that records a dynamic computation graph and
backpropagates by the chain rule, with PyTorch's names and semantics."""
from . import dtypes, engine, graph, grad_mode
from .dtypes import bool_, float16, float32, float64, int8, int16, int32, int64, uint8
from .anomaly import AnomalyError, detect_anomaly, is_anomaly_enabled
from .device import cuda, device, mps
from .engine import backward, grad
from .factories import (
    arange, bernoulli, contiguous_format, empty, empty_like, eye, from_numpy, full, full_like, linspace, multinomial,
    normal, ones, ones_like, preserve_format, rand, rand_like, randint, randn, randn_like, randperm, tensor, zeros,
    zeros_like,
)
from .function import Function
from .gradcheck import GradcheckError, gradcheck
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .ops import (
    abs, add, all, allclose, amax, amin, any, argmax, argmin, argsort, broadcast_to, cat, chunk, clamp, clip,
    concat, cos, cumsum, div, dot, eq, equal, exp, expand, flatten, flip, floor_divide, gather, ge, gt, isclose,
    isfinite, isinf, isnan, le, leaky_relu, linear, log, log_softmax, logsumexp, lt, masked_fill, matmul, max,
    maximum, mean, min, minimum, mul, ne, neg, norm, permute, pow, relu, remainder, repeat, reshape, roll,
    sigmoid, sign, sin, softmax, softplus, sort, split, sqrt, square, squeeze, stack, std, sub, sum, tanh,
    topk, transpose, unbind, unsqueeze, var, where,
)
from .ops import LISTED as _LISTED
from .random import manual_seed
from .tensor import Tensor
from .value import Value
from .viz import draw_dot, draw_graph
from .stepper import BackwardStepper

globals().update({_name: getattr(ops, _name) for _name in _LISTED})  # the ops each family lists

# PyTorch's short dtype names (they shadow builtins only inside this namespace, as in torch).
float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
bool = bool_


def __getattr__(name):
    """PyTorch's spellings inside code bodies after ``import autograd as torch``:
    ``torch.autograd.Function``, ``torch.nn.utils...``, ``torch.optim.SGD``, ``torch.utils.data.DataLoader``."""
    import importlib
    import sys
    import types

    if name == "autograd":
        return sys.modules[__name__]
    if name in ("nn", "optim"):
        return importlib.import_module(name)
    if name == "utils":
        return types.SimpleNamespace(data=importlib.import_module("nn.data"))
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
