"""Safe checkpoints: ``nn.save(obj, path)`` and ``nn.load(path)``.

A checkpoint is an ordinary numpy ``.npz`` archive (``np.load`` can open it)
holding one ``.npy`` member per array, written with ``allow_pickle=False``,
plus a member ``__chainrule_header__``: the UTF-8 JSON text (as a uint8 array)
that describes the saved structure. Loading never unpickles anything, so a
checkpoint cannot run code; anything unexpected raises :class:`CheckpointError`.

What can be saved (what module and optimizer ``state_dict()`` s contain):
dicts (keys: str, int, float, bool or None; the key types come back exactly,
so an optimizer's int parameter ids stay ints), lists, tuples, Tensors,
numpy arrays and numpy scalars of bool/int/uint/float dtype, Python ints,
floats (nan and inf included), strings, booleans and None.

Header format, version 1::

    {"format": "chainrule-checkpoint", "version": 1, "root": NODE}

    NODE = {"type": "dict", "ordered": bool, "items": [[KEY_NODE, NODE], ...]}
         | {"type": "list" | "tuple", "items": [NODE, ...]}
         | {"type": "tensor", "member": name, "dtype": str, "shape": [...], "requires_grad": bool}
         | {"type": "ndarray" | "numpy_scalar", "member": name, "dtype": str, "shape": [...]}
         | {"type": "int", "value": int} | {"type": "float", "value": repr(float)}
         | {"type": "str", "value": str} | {"type": "bool", "value": bool} | {"type": "none"}

A Tensor comes back as a plain leaf ``Tensor`` (an ``nn.Parameter`` too) with its
dtype, shape, values (bit for bit) and ``requires_grad``; ``.grad`` is not saved.
``module.load_state_dict(nn.load(path))`` copies the values into the module's parameters.
"""
import collections
import json
import os
import secrets
import zipfile

import numpy as np

from autograd.tensor import Tensor

FORMAT_NAME = "chainrule-checkpoint"
FORMAT_VERSION = 1
HEADER_MEMBER = "__chainrule_header__"

# Array dtypes a checkpoint may hold: numbers and booleans only (never object, string or void).
_ALLOWED_KINDS = "biuf"


class CheckpointError(ValueError):
    """The file at a path is not a readable chainrule checkpoint (corrupted, truncated, or something else)."""


# ----------------------------------------------------------------------- save
def save(obj, path):
    """Write ``obj`` (e.g. ``model.state_dict()`` or ``optimizer.state_dict()``) to ``path`` atomically.

    The data goes to a temporary file in the same folder, is flushed and
    fsynced, then renamed over ``path`` with ``os.replace``: a crash or error
    mid-save leaves any previous file at ``path`` intact and removes the
    temporary file. ``path`` is a str or ``os.PathLike``; no suffix is added.
    Unsupported values raise TypeError naming where in ``obj`` they are.
    """
    path = os.fspath(path)
    arrays = {}
    root = _encode(obj, arrays, "obj")
    header = json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "root": root}, allow_nan=False)
    members = [(HEADER_MEMBER, np.frombuffer(header.encode("utf-8"), dtype=np.uint8))]
    members.extend(arrays.items())
    _atomic_write(path, members)


def _encode(value, arrays, where):
    """The header node for ``value``; its arrays are added to ``arrays`` under fresh member names."""
    if isinstance(value, Tensor):
        node = _array_node("tensor", value._array, arrays)
        node["requires_grad"] = bool(value.requires_grad)
        return node
    if isinstance(value, np.ndarray):
        return _array_node("ndarray", _checked_array(value, where), arrays)
    if isinstance(value, np.generic):
        return _array_node("numpy_scalar", _checked_array(np.asarray(value), where), arrays)
    if isinstance(value, dict):
        items = [[_encode_key(key, where), _encode(item, arrays, f"{where}[{key!r}]")] for key, item in value.items()]
        return {"type": "dict", "ordered": isinstance(value, collections.OrderedDict), "items": items}
    if type(value) in (list, tuple):
        items = [_encode(item, arrays, f"{where}[{i}]") for i, item in enumerate(value)]
        return {"type": type(value).__name__, "items": items}
    scalar = _encode_scalar(value)
    if scalar is None:
        hint = " (save its .state_dict() instead)" if hasattr(value, "state_dict") else ""
        raise TypeError(
            f"nn.save: cannot save a value of type {type(value).__name__} at {where}{hint}; a checkpoint holds "
            "dicts, lists, tuples, Tensors, numpy arrays, ints, floats, strings, booleans and None"
        )
    return scalar


def _encode_scalar(value):
    """The node for a Python scalar (bool, int, float, str, None), or None if ``value`` is not one."""
    if value is None:
        return {"type": "none"}
    if isinstance(value, bool):
        return {"type": "bool", "value": value}
    if isinstance(value, int):
        return {"type": "int", "value": int(value)}
    if isinstance(value, float):
        return {"type": "float", "value": repr(float(value))}
    if isinstance(value, str):
        return {"type": "str", "value": str(value)}
    return None


def _encode_key(key, where):
    node = _encode_scalar(key)
    if node is None:
        raise TypeError(
            f"nn.save: cannot save a dict key of type {type(key).__name__} in {where}; "
            "keys must be str, int, float, bool or None"
        )
    return node


def _checked_array(array, where):
    if array.dtype.kind not in _ALLOWED_KINDS:
        raise TypeError(
            f"nn.save: cannot save the numpy array of dtype {array.dtype} at {where}; "
            "only bool, integer and floating arrays can be saved (object arrays would need pickle)"
        )
    return array


def _array_node(kind, array, arrays):
    member = f"a{len(arrays)}"
    arrays[member] = array
    return {"type": kind, "member": member, "dtype": array.dtype.str, "shape": list(array.shape)}


def _atomic_write(path, members):
    """Write the .npz members to a temporary sibling of ``path``, fsync it, then rename it onto ``path``."""
    folder = os.path.dirname(os.path.abspath(path))
    temp = _create_temp(folder, os.path.basename(path))
    try:
        with open(temp, "wb") as file:
            with zipfile.ZipFile(file, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for name, array in members:
                    _write_member(archive, name, array)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise
    _fsync_folder(folder)


def _create_temp(folder, name):
    """Create an empty, exclusive temporary file next to the target (permissions follow the umask)."""
    for _ in range(100):
        temp = os.path.join(folder, f".{name}.{secrets.token_hex(6)}.tmp")
        try:
            os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return temp
        except FileExistsError:
            continue
    raise FileExistsError(f"nn.save: could not create a temporary file in {folder}")


def _write_member(archive, name, array):
    with archive.open(name + ".npy", "w", force_zip64=True) as member:
        np.lib.format.write_array(member, array, allow_pickle=False)


def _fsync_folder(folder):
    """Make the rename itself durable (best effort: not every platform can open a folder)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# ----------------------------------------------------------------------- load
def load(path):
    """Read a checkpoint written by :func:`save` and return the saved structure.

    Never runs code: arrays are read with ``allow_pickle=False``. A missing
    file raises FileNotFoundError; a file that is truncated, corrupted, not a
    chainrule checkpoint (a plain .npz, a pickle, text), or that contains an
    object (pickled) array raises :class:`CheckpointError` naming the path.
    """
    path = os.fspath(path)
    with open(path, "rb") as file:
        if file.read(2) != b"PK":
            raise CheckpointError(f"nn.load: {path!r} is not a chainrule checkpoint (it is not an .npz/zip archive)")
        file.seek(0)
        try:
            return _read(file)
        except _Invalid as error:
            raise CheckpointError(f"nn.load: {path!r} is not a valid chainrule checkpoint: {error}") from None
        except Exception as error:  # zipfile, zlib, numpy and json errors of a damaged file
            raise CheckpointError(
                f"nn.load: {path!r} is corrupted or truncated ({type(error).__name__}: {error})"
            ) from None


def _read(file):
    with np.load(file, allow_pickle=False) as archive:
        header = _read_header(archive)
        reader = _Reader(archive)
        result = reader.decode(header["root"])
        unused = set(archive.files) - reader.used - {HEADER_MEMBER}
        if unused:
            raise _Invalid(f"unexpected archive members {sorted(unused)}")
        return result


class _Invalid(Exception):
    """Raised inside ``load`` when the archive opens but is not a well-formed checkpoint."""


def _read_header(archive):
    if HEADER_MEMBER not in archive.files:
        raise _Invalid(f"no {HEADER_MEMBER} member (a plain .npz, not written by nn.save)")
    raw = _member(archive, HEADER_MEMBER)
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise _Invalid("the header member is not UTF-8 text")
    header = json.loads(raw.tobytes().decode("utf-8"))
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME or "root" not in header:
        raise _Invalid("the header does not describe a chainrule checkpoint")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _Invalid(f"bad format version {version!r}")
    if version > FORMAT_VERSION:
        raise _Invalid(f"format version {version} is newer than this chainrule reads (up to {FORMAT_VERSION})")
    return header


class _Reader:
    """Rebuilds the saved structure from header nodes, checking every node and array against the header."""

    def __init__(self, archive):
        self.archive = archive
        self.used = set()

    def decode(self, node):
        kind = _field(node, "type", str)
        if kind == "dict":
            items = _field(node, "items", list)
            result = collections.OrderedDict() if node.get("ordered") is True else {}
            for pair in items:
                if not isinstance(pair, list) or len(pair) != 2:
                    raise _Invalid("a dict item is not a [key, value] pair")
                key = self.scalar(pair[0])
                if key in result:
                    raise _Invalid(f"duplicate dict key {key!r}")
                result[key] = self.decode(pair[1])
            return result
        if kind in ("list", "tuple"):
            items = [self.decode(item) for item in _field(node, "items", list)]
            return items if kind == "list" else tuple(items)
        if kind in ("tensor", "ndarray", "numpy_scalar"):
            return self.array(kind, node)
        return self.scalar(node)

    def scalar(self, node):
        kind = _field(node, "type", str)
        if kind == "none":
            return None
        if kind == "bool":
            return _field(node, "value", bool)
        if kind == "int":
            value = _field(node, "value", int)
            if isinstance(value, bool):
                raise _Invalid("an int node holds a boolean")
            return value
        if kind == "float":
            text = _field(node, "value", str)
            try:
                return float(text)
            except ValueError:
                raise _Invalid(f"bad float {text!r}") from None
        if kind == "str":
            return _field(node, "value", str)
        raise _Invalid(f"unknown node type {kind!r}")

    def array(self, kind, node):
        member = _field(node, "member", str)
        dtype = np.dtype(_field(node, "dtype", str))
        shape = tuple(_field(node, "shape", list))
        if dtype.kind not in _ALLOWED_KINDS:
            raise _Invalid(f"member {member!r} has disallowed dtype {dtype}")
        if member not in self.archive.files:
            raise _Invalid(f"missing archive member {member!r}")
        if member in self.used:
            raise _Invalid(f"archive member {member!r} is referenced twice")
        self.used.add(member)
        array = _member(self.archive, member)
        if array.dtype != dtype or array.shape != shape:
            raise _Invalid(
                f"member {member!r} holds {array.dtype} {array.shape}, the header says {dtype} {shape}"
            )
        if kind == "numpy_scalar":
            if shape != ():
                raise _Invalid(f"numpy scalar member {member!r} is not 0-d")
            return array[()]
        if kind == "ndarray":
            return array
        requires_grad = _field(node, "requires_grad", bool)
        if requires_grad and dtype.kind != "f":
            raise _Invalid(f"member {member!r}: a {dtype} tensor cannot require grad")
        return Tensor._make(array, requires_grad=requires_grad)


def _member(archive, name):
    """The array stored in member ``name``, read with allow_pickle=False (numpy refuses object arrays)."""
    try:
        array = archive[name]
    except ValueError as error:
        raise _Invalid(f"archive member {name!r} cannot be read safely ({error})") from None
    if not isinstance(array, np.ndarray):
        raise _Invalid(f"archive member {name!r} is not a .npy array")
    return array


def _field(node, name, kind):
    if not isinstance(node, dict) or name not in node:
        raise _Invalid(f"a header node lacks {name!r}")
    value = node[name]
    if not isinstance(value, kind):
        raise _Invalid(f"header field {name!r} should be {kind.__name__}, got {type(value).__name__}")
    return value


__all__ = ["save", "load", "CheckpointError", "FORMAT_VERSION"]
