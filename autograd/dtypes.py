"""The dtypes a Tensor can hold, under PyTorch's names, and the rules for converting data.

``autograd.float32`` is numpy's ``float32``; ``tensor.dtype`` is a ``numpy.dtype``,
so ``t.dtype == autograd.float32`` holds. Following PyTorch rather than numpy,
Python floats (and lists of them) become float32, the default floating dtype.
"""
import numpy as np

float16 = np.float16
float32 = np.float32
float64 = np.float64
int8 = np.int8
int16 = np.int16
int32 = np.int32
int64 = np.int64
uint8 = np.uint8
bool_ = np.bool_

DEFAULT_FLOAT = np.dtype(np.float32)

_BY_NAME = {
    "float16": float16, "half": float16, "float32": float32, "float": float32,
    "float64": float64, "double": float64, "int8": int8, "int16": int16, "short": int16,
    "int32": int32, "int": int32, "int64": int64, "long": int64, "uint8": uint8, "bool": bool_,
}
_SUPPORTED = {np.dtype(t) for t in _BY_NAME.values()}


def to_dtype(dtype, op="tensor"):
    """Return the ``numpy.dtype`` for ``dtype`` (a dtype, a numpy type or a name), or raise naming ``op``."""
    if isinstance(dtype, str):
        key = dtype.removeprefix("torch.").removeprefix("autograd.")
        if key in _BY_NAME:
            return np.dtype(_BY_NAME[key])
    else:
        try:
            result = np.dtype(dtype)
        except TypeError:
            result = None
        if result in _SUPPORTED:
            return result
    names = ", ".join(sorted({k for k in _BY_NAME if k not in ("half", "short", "long", "float", "double", "int")}))
    raise TypeError(f"{op}: unknown dtype {dtype!r}; expected one of {names}")


def is_floating(dtype):
    """True for float16/32/64."""
    return np.dtype(dtype).kind == "f"


def as_array(data, dtype=None, op="tensor", copy=True):
    """Convert ``data`` to an ndarray by PyTorch's rules (python floats become float32)."""
    from .tensor import Tensor

    target = None if dtype is None else to_dtype(dtype, op)
    if isinstance(data, Tensor):
        array = data._array
    elif isinstance(data, np.ndarray) or isinstance(data, np.generic):
        array = np.asarray(data)
    else:
        tensors = float64 = False
        if isinstance(data, (list, tuple)):
            tensors, float64 = _scan(data, Tensor)
            if tensors:
                data = _tensors_to_arrays(data)
        try:
            array = np.asarray(data)
        except ValueError as error:
            raise ValueError(f"{op}: cannot build a tensor from ragged nested sequences ({error})") from None
        if target is None and array.dtype == np.float64 and not float64:
            target = DEFAULT_FLOAT
    if array.dtype.kind in "OUSV" or array.dtype.kind == "c":
        raise TypeError(
            f"{op}: cannot make a tensor from data of numpy dtype {array.dtype}; "
            "expected numbers (bool, int or float), nested lists of them, or a numeric array"
        )
    if target is None and np.dtype(array.dtype) not in _SUPPORTED:
        target = np.dtype(np.int64) if array.dtype.kind in "iu" else DEFAULT_FLOAT
    if target is not None and array.dtype != target:
        return array.astype(target)
    return array.copy() if copy else array


_PLAIN = frozenset((float, int, bool))


def _scan(data, Tensor):
    """Whether nested lists ``data`` hold a Tensor, and whether they hold a float64 numpy value or Tensor.

    PyTorch keeps float64 for those (``tensor([np.float64(1.5)])`` is float64); Python floats alone
    make float32. One pass, and one test for each plain number. (``Tensor`` is passed in: this module
    is imported before tensor.py.)
    """
    tensors = float64 = False
    for x in _flatten(data):
        if type(x) not in _PLAIN:
            if isinstance(x, Tensor):
                tensors, x = True, x._array
            if isinstance(x, (np.ndarray, np.generic)) and x.dtype == np.float64:
                float64 = True
    return tensors, float64


def _flatten(data):
    for x in data:
        if isinstance(x, (list, tuple)):
            yield from _flatten(x)
        else:
            yield x


def _tensors_to_arrays(data):
    from .tensor import Tensor

    return [
        _tensors_to_arrays(x) if isinstance(x, (list, tuple)) else (x._array if isinstance(x, Tensor) else x)
        for x in data
    ]
