"""``Module``, the base of every layer, and ``Parameter``, a tensor a module trains.

A module owns parameters, buffers and submodules, registered by plain attribute
assignment (``self.weight = Parameter(...)``, ``self.fc = Linear(...)``,
``self.register_buffer('running_mean', ...)``). ``state_dict()`` names them by
their dotted paths (``'0.weight'``, ``'encoder.fc.bias'``), as PyTorch does.
"""
import collections
import collections.abc

import numpy as np

from autograd import no_grad
from autograd.device import parse_to
from autograd.dtypes import as_array, is_floating
from autograd.hooks import RemovableHandle
from autograd.tensor import Tensor


class Parameter(Tensor):
    """A Tensor that is a module's trainable parameter: ``requires_grad=True`` by default.

    Assigning a Parameter to a Module attribute registers it, so it appears in
    ``parameters()`` and ``state_dict()``. ``Parameter(t)`` shares ``t``'s memory.
    """

    __slots__ = ()

    def __init__(self, data=None, requires_grad=True):
        if data is None:
            array = np.empty((0,), dtype=np.float32)
        elif isinstance(data, Tensor):
            array = data._array
        else:
            array = as_array(data, op="Parameter")
        self._array = array
        self._requires_grad = False
        self._grad = None
        self.grad_fn = None
        self._observers = False
        self._version = None
        self.requires_grad = requires_grad

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()



class IncompatibleKeys(collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])):
    """What ``load_state_dict`` returns: the keys the model expected but did not get, and the extras."""

    __slots__ = ()

    def __repr__(self):
        if not self.missing_keys and not self.unexpected_keys:
            return "<All keys matched successfully>"
        return super().__repr__()

    __str__ = __repr__


def check_device(device, op):
    """Layers take PyTorch's ``device`` argument; the CPU (numpy) is the only device."""
    if device is not None and str(device).split(":")[0] != "cpu":
        raise RuntimeError(f"{op}: device {device!r} is not available; chainrule runs on the CPU only (device='cpu')")


def _addindent(text, spaces):
    lines = text.split("\n")
    if len(lines) == 1:
        return text
    return lines[0] + "\n" + "\n".join(" " * spaces + line for line in lines[1:])


_STRUCTURE = [0]  # how many times any module's registry changed (see _Registry)


class _Registry(dict):
    """A module's parameters, buffers or submodules by name: a dict that counts its changes.

    Any change to any registry bumps one process-wide count, so ``parameters()`` can keep the list it
    found and hand it out again while the count stands. A training loop asks for it twice a step
    (``zero_grad()`` and the update), and walking the module tree between array operations that evict
    the CPU caches cost about 1% of the 784-512-256-10 MLP step.
    """

    __slots__ = ()

    def __setitem__(self, key, value):
        _STRUCTURE[0] += 1
        dict.__setitem__(self, key, value)

    def __delitem__(self, key):
        _STRUCTURE[0] += 1
        dict.__delitem__(self, key)

    def __ior__(self, other):
        _STRUCTURE[0] += 1
        return dict.__ior__(self, other)

    def pop(self, *args):
        _STRUCTURE[0] += 1
        return dict.pop(self, *args)

    def popitem(self):
        _STRUCTURE[0] += 1
        return dict.popitem(self)

    def clear(self):
        _STRUCTURE[0] += 1
        dict.clear(self)

    def update(self, *args, **kwargs):
        _STRUCTURE[0] += 1
        dict.update(self, *args, **kwargs)

    def setdefault(self, key, default=None):
        _STRUCTURE[0] += 1
        return dict.setdefault(self, key, default)


class Module:
    """Base class of all layers and models.

    Subclasses call ``super().__init__()`` first, assign parameters, buffers and
    submodules as attributes, and define ``forward``. Calling the module runs
    the forward pre-hooks, ``forward`` and the forward hooks.
    """

    training: bool

    def __init__(self):
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", _Registry())
        object.__setattr__(self, "_buffers", _Registry())
        object.__setattr__(self, "_non_persistent_buffers", set())
        object.__setattr__(self, "_modules", _Registry())
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "_forward_pre_hooks", {})

    # ------------------------------------------------------------ registration
    def _require_init(self, name, what):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {what} '{name}' before Module.__init__() call")

    def __setattr__(self, name, value):
        d = self.__dict__
        if isinstance(value, Parameter):
            self._require_init(name, "parameter")
            self._forget(name)
            d["_parameters"][name] = value
        elif isinstance(value, Module):
            self._require_init(name, "module")
            self._forget(name)
            d["_modules"][name] = value
        elif "_parameters" in d and name in d["_parameters"]:
            if value is not None:
                raise TypeError(
                    f"cannot assign '{type(value).__name__}' as parameter '{name}' "
                    "(nn.Parameter or None expected)"
                )
            d["_parameters"][name] = None
        elif "_modules" in d and name in d["_modules"]:
            if value is not None:
                raise TypeError(f"cannot assign '{type(value).__name__}' as child module '{name}' (nn.Module or None expected)")
            d["_modules"][name] = None
        elif "_buffers" in d and name in d["_buffers"]:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign '{type(value).__name__}' as buffer '{name}' (Tensor or None expected)")
            d["_buffers"][name] = value
        elif name in ("_parameters", "_buffers", "_modules"):  # a registry replaced whole: it counts changes too
            object.__setattr__(self, name, _Registry(value))
            _STRUCTURE[0] += 1
        else:
            object.__setattr__(self, name, value)

    def _forget(self, name):
        d = self.__dict__
        d.pop(name, None)
        for registry in ("_parameters", "_modules", "_buffers"):
            d[registry].pop(name, None)
        d["_non_persistent_buffers"].discard(name)

    def __getattr__(self, name):
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            entries = d.get(registry)
            if entries is not None and name in entries:
                return entries[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name):
        d = self.__dict__
        for registry in ("_parameters", "_buffers", "_modules"):
            if name in d.get(registry, ()):
                del d[registry][name]
                d["_non_persistent_buffers"].discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self._parameters) | set(self._buffers) | set(self._modules))

    def _check_new_name(self, name, kind):
        if not isinstance(name, str):
            raise TypeError(f"{kind} name should be a string, got {type(name).__name__}")
        if name == "" or "." in name:
            raise KeyError(f"{kind} name can't be empty or contain \".\", got: {name!r}")
        if hasattr(self, name) and name not in self._parameters and name not in self._buffers and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")

    def register_parameter(self, name, param):
        """Register ``param`` (a Parameter or None) under ``name``."""
        self._require_init(name, "parameter")
        self._check_new_name(name, "parameter")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"cannot assign '{type(param).__name__}' object to parameter '{name}' (nn.Parameter or None required)")
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Register a non-trained tensor (e.g. running statistics) under ``name``.

        Buffers move with ``to(dtype)``; persistent ones are part of ``state_dict()``.
        """
        self._require_init(name, "buffer")
        self._check_new_name(name, "buffer")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"cannot assign '{type(tensor).__name__}' object to buffer '{name}' (Tensor or None required)")
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent_buffers.add(name)

    def add_module(self, name, module):
        """Register the submodule ``module`` (or None) under ``name``."""
        self._require_init(name, "module")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{type(module).__name__} is not a Module subclass")
        self._check_new_name(name, "module")
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    # --------------------------------------------------------------- traversal
    def named_modules(self, memo=None, prefix="", remove_duplicate=True):
        """Yield ``(dotted_name, module)`` for self (name ``''``) and every submodule, depth first."""
        if memo is None:
            memo = set()
        if remove_duplicate:
            if id(self) in memo:
                return
            memo.add(id(self))
        yield prefix, self
        for name, module in self._modules.items():
            if module is not None:
                yield from module.named_modules(memo, prefix + ("." if prefix else "") + name, remove_duplicate)

    def modules(self):
        """Yield self and every submodule."""
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """Yield ``(name, module)`` for the direct submodules."""
        seen = set()
        for name, module in self._modules.items():
            if module is not None and id(module) not in seen:
                seen.add(id(module))
                yield name, module

    def children(self):
        """Yield the direct submodules."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, registry, prefix, recurse, remove_duplicate):
        modules = self.named_modules(prefix=prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        seen = set()
        for module_prefix, module in modules:
            for name, value in module.__dict__[registry].items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield module_prefix + ("." if module_prefix else "") + name, value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, parameter)``; a parameter shared by two modules is listed once."""
        yield from self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def _unique_modules(self):
        """Self and every submodule, each once, in ``named_modules`` order (iterative: no name building)."""
        children = self.__dict__["_modules"]
        if not children:
            return (self,)
        seen, order = {id(self)}, [self]
        stack = list(reversed(children.values()))
        while stack:
            module = stack.pop()
            if module is None or id(module) in seen:
                continue
            seen.add(id(module))
            order.append(module)
            if module.__dict__["_modules"]:
                stack.extend(reversed(module.__dict__["_modules"].values()))
        return order

    def parameters(self, recurse=True):
        """An iterator over the parameters of self (and of every submodule when ``recurse``), each once.

        They are collected when it is made (PyTorch's is a generator that walks the modules as it goes),
        and the list is kept until a registry of any module changes (see ``_Registry``). A training loop's
        update, ``for p in model.parameters(): p -= lr * p.grad``, resumes the iterator between array
        operations that evict the CPU caches: a list iterator's next step touches far less memory than a
        generator walking the module tree (about 40 us per update of the 784-512-256-10 MLP).
        """
        d = self.__dict__
        if recurse:
            found = d.get("_parameters_found")
            if found is not None and found[0] == _STRUCTURE[0]:
                return iter(found[1])
        params, seen = [], set()
        for module in self._unique_modules() if recurse else (self,):
            for param in module.__dict__["_parameters"].values():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    params.append(param)
        if recurse:
            d["_parameters_found"] = (_STRUCTURE[0], tuple(params))
        return iter(params)

    def named_buffers(self, prefix="", recurse=True, remove_duplicate=True):
        """Yield ``(dotted_name, buffer)``."""
        yield from self._named_members("_buffers", prefix, recurse, remove_duplicate)

    def buffers(self, recurse=True):
        """Yield the buffers of self (and of every submodule when ``recurse``)."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    def get_submodule(self, target):
        """The submodule at the dotted path ``target`` ('' is self)."""
        module = self
        for part in target.split(".") if target else ():
            if part not in module._modules or module._modules[part] is None:
                raise AttributeError(f"{module._get_name()} has no submodule `{part}` (looking up '{target}')")
            module = module._modules[part]
        return module

    # ------------------------------------------------------------------ modes
    def train(self, mode=True):
        """Set training mode (``mode=True``) or evaluation mode on self and every submodule; return self."""
        if not isinstance(mode, bool):
            raise ValueError("training mode is expected to be boolean")
        for module in self._unique_modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        """``train(False)``: dropout off, batch norm uses its running statistics."""
        return self.train(False)

    def requires_grad_(self, requires_grad=True):
        """Set ``requires_grad`` of every parameter; return self."""
        for param in self.parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none=True):
        """Reset the gradients of all parameters: to None (default) or to zeros in place."""
        if set_to_none:
            for param in self.parameters():
                param.grad = None  # None already or not: one property call, not two
            return
        for param in self.parameters():
            if param.grad is not None:
                param.grad.detach_()
                param.grad.zero_()

    def apply(self, fn):
        """Call ``fn(module)`` on every submodule (children first) and then on self; return self."""
        for module in self.children():
            module.apply(fn)
        fn(self)
        return self

    # ------------------------------------------------------------------ dtypes
    def _cast(self, dtype):
        for module in self.modules():
            for registry in ("_parameters", "_buffers"):
                for tensor in module.__dict__[registry].values():
                    if tensor is None or not is_floating(tensor.dtype) or tensor.dtype == dtype:
                        continue
                    tensor._array = tensor._array.astype(dtype)
                    tensor._bump_version()
                    if tensor._grad is not None:
                        tensor._grad = Tensor._make(tensor._grad._array.astype(dtype))
        return self

    def to(self, *args, **kwargs):
        """Convert floating point parameters and buffers in place to a dtype; return self.

        Accepts ``to(dtype)``, ``to(dtype=...)``, ``to(tensor)`` (its dtype), ``to(device)`` and
        ``to(device, dtype)``; the device can only be the CPU. Integer buffers keep their dtype.
        """
        dtype = parse_to(args, dict(kwargs), "Module.to")
        if dtype is None:
            return self
        if not is_floating(dtype):
            raise TypeError(f"nn.Module.to only accepts floating point dtypes, but got desired dtype={dtype}")
        return self._cast(dtype)

    def float(self):
        """Cast floating point parameters and buffers to float32."""
        return self._cast(np.dtype(np.float32))

    def double(self):
        """Cast floating point parameters and buffers to float64."""
        return self._cast(np.dtype(np.float64))

    def cpu(self):
        """No-op (the only device); return self."""
        return self

    # -------------------------------------------------------------- state dict
    def state_dict(self, destination=None, prefix="", keep_vars=False):
        """An ordered dict from dotted names to parameters and persistent buffers.

        Values are detached tensors sharing memory with the module (the tensors
        themselves with ``keep_vars=True``), like PyTorch.
        """
        if destination is None:
            destination = collections.OrderedDict()
        for name, module in self.named_modules(prefix=prefix.rstrip("."), remove_duplicate=False):
            dotted = name + "." if name else ""
            for key, param in module._parameters.items():
                if param is not None:
                    destination[dotted + key] = param if keep_vars else param.detach()
            for key, buffer in module._buffers.items():
                if buffer is not None and key not in module._non_persistent_buffers:
                    destination[dotted + key] = buffer if keep_vars else buffer.detach()
        return destination

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from ``state_dict`` (Tensors or numpy arrays) into parameters and buffers.

        Every key at fault is named in one RuntimeError: with ``strict``, missing
        and unexpected keys; always, values whose shape differs from the model's.
        Nothing is copied unless everything can be. Returns
        ``(missing_keys, unexpected_keys)``.
        """
        if not isinstance(state_dict, collections.abc.Mapping):
            raise TypeError(f"Expected state_dict to be dict-like, got {type(state_dict).__name__}.")
        own = self.state_dict(keep_vars=True)
        missing = [key for key in own if key not in state_dict]
        unexpected = [key for key in state_dict if key not in own]
        mismatched, updates = [], []
        for key, target in own.items():
            if key not in state_dict:
                continue
            value = state_dict[key]
            array = value._array if isinstance(value, Tensor) else np.asarray(value)
            if array.dtype.kind not in "biuf":
                mismatched.append(f'While copying the parameter named "{key}", expected a numeric array, got {type(value).__name__} of dtype {array.dtype}.')
            elif array.shape != target.shape:
                mismatched.append(
                    f"size mismatch for {key}: copying a param with shape {tuple(array.shape)} from checkpoint, "
                    f"the shape in current model is {tuple(target.shape)}."
                )
            else:
                updates.append((target, array))
        errors = []
        if strict:
            if missing:
                errors.append("Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ". ")
            if unexpected:
                errors.append("Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ". ")
        errors.extend(mismatched)
        if errors:
            raise RuntimeError(f"Error(s) in loading state_dict for {self._get_name()}:\n\t" + "\n\t".join(errors))
        with no_grad():
            for target, array in updates:
                np.copyto(target._array, array, casting="unsafe")
                target._bump_version()
        return IncompatibleKeys(missing, unexpected)

    # ----------------------------------------------------------------- calling
    def forward(self, *args, **kwargs):
        """The computation of this module; subclasses define it."""
        raise NotImplementedError(f'Module [{type(self).__name__}] is missing the required "forward" function')

    def __call__(self, *args, **kwargs):
        d = self.__dict__
        if not d["_forward_pre_hooks"] and not d["_forward_hooks"]:
            return self.forward(*args, **kwargs)
        for hook in list(d["_forward_pre_hooks"].values()):
            result = hook(self, args)
            if result is not None:
                args = result if isinstance(result, tuple) else (result,)
        output = self.forward(*args, **kwargs)
        for hook in list(d["_forward_hooks"].values()):
            result = hook(self, args, output)
            if result is not None:
                output = result
        return output

    def register_forward_pre_hook(self, hook):
        """Call ``hook(module, args)`` before each forward; a non-None result replaces the args."""
        handle = RemovableHandle(self._forward_pre_hooks)
        self._forward_pre_hooks[handle.id] = hook
        return handle

    def register_forward_hook(self, hook):
        """Call ``hook(module, args, output)`` after each forward; a non-None result replaces the output."""
        handle = RemovableHandle(self._forward_hooks)
        self._forward_hooks[handle.id] = hook
        return handle

    # -------------------------------------------------------------------- repr
    def _get_name(self):
        return type(self).__name__

    def extra_repr(self):
        """The module's own settings for its repr, e.g. ``'in_features=3, out_features=2, bias=True'``."""
        return ""

    def __repr__(self):
        extra = self.extra_repr()
        extra_lines = extra.split("\n") if extra else []
        child_lines = [f"({name}): " + _addindent(repr(module), 2) for name, module in self._modules.items()]
        lines = extra_lines + child_lines
        text = self._get_name() + "("
        if lines:
            if len(extra_lines) == 1 and not child_lines:
                text += extra_lines[0]
            else:
                text += "\n  " + "\n  ".join(lines) + "\n"
        return text + ")"


# ------------------------------------------------------------------ containers
def _index(idx, length, kind):
    if not isinstance(idx, (int, np.integer)) or isinstance(idx, bool):
        raise TypeError(f"{kind} indices must be integers or slices, not {type(idx).__name__}")
    if not -length <= idx < length:
        raise IndexError(f"index {idx} is out of range for a {kind} of length {length}")
    return idx % length


class _ModuleSequence(Module):
    """What Sequential and ModuleList share: len, iteration, append, extend."""

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def append(self, module):
        """Add ``module`` at the end; return self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Append every module of the iterable ``modules``; return self."""
        for module in modules:
            self.append(module)
        return self


class Sequential(_ModuleSequence):
    """``Sequential(m0, m1, ...)`` (or an OrderedDict of named modules): ``forward`` feeds each output to the next.

    Indexable (``seq[0]``; a slice gives a Sequential), iterable, ``len``; submodules are
    named ``'0'``, ``'1'``, ... so state dict keys read ``'0.weight'``.
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for i, module in enumerate(args):
                self.add_module(str(i), module)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(collections.OrderedDict(list(self._modules.items())[idx]))
        return list(self._modules.values())[_index(idx, len(self), "Sequential")]

    def __setitem__(self, idx, module):
        key = list(self._modules)[_index(idx, len(self), "Sequential")]
        self.add_module(key, module)

    def __delitem__(self, idx):
        keys = list(self._modules)
        for key in (keys[idx] if isinstance(idx, slice) else [keys[_index(idx, len(keys), "Sequential")]]):
            del self._modules[key]
        # keep the names 0..n-1, as PyTorch does after deletion
        modules = list(self._modules.values())
        self._modules.clear()
        for i, module in enumerate(modules):
            self._modules[str(i)] = module

    def forward(self, input):
        """module_n(...module_1(module_0(input)))."""
        for module in self._modules.values():
            input = module(input)
        return input


class ModuleList(_ModuleSequence):
    """A list of modules whose parameters are registered (a plain Python list's would not be)."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return type(self)(list(self._modules.values())[idx])
        return self._modules[str(_index(idx, len(self), "ModuleList"))]

    def __setitem__(self, idx, module):
        self.add_module(str(_index(idx, len(self), "ModuleList")), module)

    def __delitem__(self, idx):
        modules = list(self._modules.values())
        del modules[idx if isinstance(idx, slice) else _index(idx, len(modules), "ModuleList")]
        self._modules.clear()
        self.extend(modules)

    def __iadd__(self, modules):
        return self.extend(modules)

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._modules.clear()
        self.extend(modules)


class ModuleDict(Module):
    """A dict of modules whose parameters are registered, keeping insertion order."""

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key):
        return self._modules[key]

    def __setitem__(self, key, module):
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def keys(self):
        """The names, in insertion order."""
        return self._modules.keys()

    def items(self):
        """``(name, module)`` pairs."""
        return self._modules.items()

    def values(self):
        """The modules."""
        return self._modules.values()

    def pop(self, key):
        """Remove ``key`` and return its module."""
        return self._modules.pop(key)

    def clear(self):
        """Remove every module."""
        self._modules.clear()

    def update(self, modules):
        """Add the modules of a mapping or of an iterable of ``(name, module)`` pairs."""
        items = modules.items() if isinstance(modules, (collections.abc.Mapping, ModuleDict)) else modules
        for key, module in items:
            self[key] = module


class Identity(Module):
    """Returns its input unchanged (arguments to the constructor are accepted and ignored, like PyTorch)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        """input."""
        return input


class Flatten(Module):
    """Merge dims ``start_dim``..``end_dim`` into one: (N, C, L) -> (N, C*L) by default."""

    def __init__(self, start_dim=1, end_dim=-1):
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        """input.flatten(start_dim, end_dim)."""
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
