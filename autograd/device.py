"""Devices. chainrule computes on the CPU with numpy; ``device('cpu')``, ``cuda.is_available()``,
``device=`` arguments and ``.to(device)`` exist so PyTorch code that chooses a device runs unchanged.
Any other device is refused with one clear error.
"""
import types

from .dtypes import to_dtype

CPU_ONLY = "chainrule runs on the CPU only (there is no {name!r} device); choose the device with " \
           "autograd.cuda.is_available(), which is False"


class device:
    """Where a tensor lives: always the CPU here. ``device('cpu')``, ``device('cpu:0')``."""

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):
        name = type.type if isinstance(type, device) else str(type)
        if name.split(":")[0] != "cpu":
            raise RuntimeError(CPU_ONLY.format(name=name))
        self.type, self.index = "cpu", None

    def __repr__(self):
        return "device(type='cpu')"

    def __str__(self):
        return "cpu"

    def __eq__(self, other):
        return isinstance(other, (device, str)) and str(other).split(":")[0] == "cpu"

    def __hash__(self):
        return hash("cpu")


CPU = device("cpu")

cuda = types.SimpleNamespace(
    is_available=lambda: False,
    device_count=lambda: 0,
    __doc__="PyTorch's torch.cuda, as far as device choice goes: no CUDA device here.",
)
mps = types.SimpleNamespace(is_available=lambda: False, __doc__="No Apple MPS device here.")


def check_device(value, op):
    """Accept None or the CPU (as a string or a ``device``); refuse anything else, naming ``op``."""
    if value is None or isinstance(value, device):
        return
    if not isinstance(value, str) or value.split(":")[0] != "cpu":
        raise RuntimeError(f"{op}: " + CPU_ONLY.format(name=str(value)))


def is_device(value):
    """True for a device, or a string naming one ('cpu', 'cuda:0', 'mps', ...)."""
    return isinstance(value, device) or (
        isinstance(value, str) and value.split(":")[0] in ("cpu", "cuda", "mps", "xla", "meta", "xpu")
    )


def parse_to(args, kwargs, op):
    """The dtype a PyTorch-style ``to(...)`` call asks for (None to keep it), after checking devices.

    Accepts ``to(dtype)``, ``to(device)``, ``to(device, dtype)``, ``to(tensor)`` and the keywords
    ``dtype``, ``device``, ``non_blocking``, ``copy``.
    """
    from .tensor import Tensor

    dtype = kwargs.pop("dtype", None)
    check_device(kwargs.pop("device", None), op)
    kwargs.pop("non_blocking", None)
    kwargs.pop("copy", None)
    if kwargs:
        raise TypeError(f"{op}() got unexpected keyword arguments {sorted(kwargs)}")
    for arg in args:
        if isinstance(arg, Tensor):
            dtype = arg.dtype
        elif is_device(arg):
            check_device(arg, op)
        elif arg is not None:
            dtype = arg
    return None if dtype is None else to_dtype(dtype, op)
