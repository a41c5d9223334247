"""Reverse-mode backpropagation over the Tensor graph.

``backward_steps`` is the engine: it seeds the outputs' gradients and, at each
tensor reached, applies the chain rule::

    dL/d(input) += backward_formula(dL/d(output))

yielding ``(tensor, grad, contributions)`` after each node. ``backward()`` and
``autograd.grad`` exhaust it; the :class:`autograd.BackwardStepper` consumes
it one step at a time, so stepping fills ``.grad`` exactly as ``backward()``.

The order is PyTorch's: the engine discovers the graph as gradients flow, and
of the tensors waiting for their turn it takes the one whose node was made
last (a heap on the node's creation rank). Each tensor's consumers were made
after it, so its gradient is complete when it is reached; leaves come last.
No walk precedes the pass (``backward_order`` lists the same order, walking
the graph with :func:`autograd.graph.topological_order`, for the stepper).
"""
import collections
import contextlib
import sys
from heapq import heappop, heappush
from sys import getrefcount

import numpy as np

from .anomaly import _mode as _anomaly
from .anomaly import check_backward
from .function import OWNS_GRAD
from .grad_mode import _mode as _grad
from .graph import topological_order
from .hooks import run_hooks
from .ops import formula
from .tensor import Tensor


def as_tensor(g):
    """A gradient as the user sees it: a Tensor (the engine's ndarrays are wrapped, not copied)."""
    return g if isinstance(g, Tensor) else Tensor._make(g)


def _parents(tensor):
    node = tensor.grad_fn
    return node.parents if node is not None else ()


def _seed(outputs, grad_outputs, create_graph):
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    seeds = []
    for i, (out, g) in enumerate(zip(outputs, grad_outputs)):
        if not isinstance(out, Tensor):
            raise TypeError(f"backward: output {i} is a {type(out).__name__}, expected a Tensor")
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn"
            )
        if g is None:
            if out._array.size != 1:
                raise RuntimeError(
                    "grad can be implicitly created only for scalar outputs "
                    f"(output {i} has shape {tuple(out.shape)}); pass gradient= of that shape"
                )
            g = np.array(1, out._array.dtype)  # (np.ones is a Python function: this runs cold, at every backward)
            if g.shape != out._array.shape:
                g = g.reshape(out._array.shape)
            seeds.append(Tensor._make(g) if create_graph else g)
            continue
        if not isinstance(g, Tensor):
            g = Tensor._make(np.array(g, dtype=out.dtype))
        elif not create_graph:
            g = Tensor._make(g._array.copy())
        if g.shape != out.shape:
            raise RuntimeError(
                f"Mismatch in shape: grad_output[{i}] has a shape of {tuple(g.shape)} and "
                f"output[{i}] has a shape of {tuple(out.shape)}"
            )
        seeds.append(g if create_graph else g._array)
    return seeds


def _owned(g, handed_out):
    """``g`` as a Tensor fit to hand to the user (as ``.grad`` or from ``autograd.grad``).

    Without create_graph the gradient gets its own memory: an array may be shared (an op
    can pass one gradient to two inputs, or a broadcast view of it), and copying those
    keeps a user's in-place update local. Under create_graph it is part of a graph: as is.
    """
    if isinstance(g, Tensor):
        return g
    if id(g) in handed_out or (g.base is not None and not _sole_view(g)):  # (an array owning its memory is writeable here)
        g = g.copy(order="K")  # in the gradient's layout, as PyTorch keeps a parameter's
    handed_out.add(id(g))
    return Tensor._make(g)


def _sole_view(g):
    """True if ``g`` is a writeable view without overlap (a transpose, say) of an array nothing else
    holds: then no other name reaches its memory, and it can be handed out without a copy.

    ``nn.Linear`` computes a column-major weight's gradient as ``(x^T g)^T``, a transposed view of a
    fresh product; copying it would cost a pass over the weight at every step.
    """
    flags = g.flags
    # getrefcount counts its own argument: 2 means g's reference to its base is the only one.
    return flags.writeable and (flags.c_contiguous or flags.f_contiguous) and sys.getrefcount(g.base) == 2


def _accumulate_into(tensor, g, handed_out):
    """Add ``g`` to ``tensor.grad`` (a leaf, or a non-leaf that called retain_grad)."""
    if tensor._grad is None:
        tensor._grad = _owned(g, handed_out)
    elif isinstance(g, Tensor) or tensor._grad.requires_grad:
        tensor._grad = _sum(tensor._grad, as_tensor(g), isinstance(g, Tensor))
    else:
        tensor._grad._array += g


def backward_steps(outputs, grad_outputs=None, retain_graph=False, create_graph=False, capture=None, report=True):
    """Backpropagate from ``outputs``, yielding ``(tensor, grad, contributions)`` per node reached.

    ``grad`` is dL/d(tensor), complete when the tensor is reached; ``contributions`` lists
    ``(input, g)``, ``g`` being what the tensor's node added to ``input``'s gradient (empty for a
    leaf, whose ``grad`` went into ``.grad``). Gradients travel as ndarrays, or as Tensors under
    ``create_graph`` (so that they record their own graph); :func:`as_tensor` shows either.

    ``capture``: None to accumulate into ``.grad`` of leaves (``backward``), or
    a dict ``{id(tensor): None}`` to collect dL/d(tensor) there instead without
    touching any ``.grad`` (``autograd.grad``).

    ``report=False`` yields nothing: for ``backward()`` and ``autograd.grad``, which want only the
    end result (the pass is the same; it skips building what nobody reads).
    """
    outputs = list(outputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    kind = Tensor if create_graph else np.ndarray
    grads = {}
    queue, leaves = [], []
    for out, g in zip(outputs, _seed(outputs, grad_outputs, create_graph)):
        key = id(out)
        if key in grads:
            grads[key] = _sum(grads[key], g, create_graph)
        else:
            grads[key] = g
            if out.grad_fn is None:
                leaves.append(out)
            else:
                heappush(queue, (out.grad_fn._rank, out))
    handed_out = set()
    checking = _anomaly.get()
    while queue:
        tensor = heappop(queue)[1]
        key = id(tensor)
        grad = grads.pop(key)
        node = tensor.grad_fn
        if capture is not None or tensor._observers:
            grad = _observe(tensor, grad, capture, handed_out, create_graph)
        # The chain rule at this node: its backward formula, on ndarrays unless create_graph (for an
        # Op; a user's Function always gets Tensors).
        if create_graph or not node.arrays_in_backward:
            input_grads = _run_on_tensors(node, grad, create_graph)
        else:
            node._on_arrays = True  # ctx.saved_tensors gives arrays; nothing is recorded on arrays
            if node.may_overwrite_grad and not report and grad.base is None and grad.flags.writeable:
                input_grads = g = earlier = None  # (the previous node's: they may hold this gradient)
                grads[key] = grad
                if getrefcount(grads.pop(key)) == 2:
                    node._on_arrays = OWNS_GRAD
            try:
                input_grads = type(node).backward(node, grad)
            finally:
                node._on_arrays = False
            if type(input_grads) is not tuple:  # (one input's gradient; a built-in returns one per argument)
                input_grads = (input_grads,)
        if report:
            contributions = []
        for inp, needed, g in zip(node.inputs, node.needs_input_grad, input_grads):
            if g is None or not needed:
                continue
            if checking:
                index = _index_of(node, inp, g, input_grads)
            array = inp._array
            if type(g) is not kind or g.shape != array.shape or (g.dtype is not array.dtype and g.dtype != array.dtype):
                g = _as_gradient(node, inp, g, create_graph, input_grads)
            if checking:
                check_backward(node, index, as_tensor(g))
            key = id(inp)
            earlier = grads.get(key)
            if earlier is None:
                grads[key] = g
                parent = inp.grad_fn
                if parent is None:
                    leaves.append(inp)
                else:
                    heappush(queue, (parent._rank, inp))
            else:
                grads[key] = _sum(earlier, g, create_graph)
            if report:
                contributions.append((inp, g))
        if not retain_graph and node._saved:
            node._saved = None  # freed: from now on ctx.saved_tensors raises
        if report:
            yield tensor, grad, contributions
    for tensor in leaves:  # in the order their first gradient arrived
        grad = grads.pop(id(tensor))
        if tensor._observers:
            grad = _observe_leaf(tensor, grad, capture, handed_out, create_graph)
        elif capture is None and tensor._grad is None:  # (_keep's usual case, inline)
            if tensor._requires_grad:  # (switched off since the forward: no .grad, as in PyTorch)
                tensor._grad = _owned(grad, handed_out)
        else:
            _keep(tensor, grad, capture, handed_out)
        if report:
            yield tensor, grad, ()


def _keep(tensor, grad, capture, handed_out):
    """Give ``tensor``'s complete gradient to the user: into ``capture`` if it is asked for there
    (``autograd.grad``, which leaves ``.grad`` alone), else into ``.grad``."""
    if capture is None:
        if tensor._requires_grad:
            _accumulate_into(tensor, grad, handed_out)
    elif id(tensor) in capture:  # each tensor is reached once, with its complete gradient
        capture[id(tensor)] = _owned(grad, handed_out)


def _observe(tensor, grad, capture, handed_out, create_graph):
    """A non-leaf's complete gradient as its node will use it: captured for ``autograd.grad`` as it
    arrived, then passed through the tensor's hooks, then kept in ``.grad`` if it retains it (PyTorch's
    order)."""
    if capture is not None and id(tensor) in capture:
        capture[id(tensor)] = _owned(grad, handed_out)
    observers = tensor._observers
    if observers:
        if observers.hooks:
            grad = _run_hooks(observers, grad, create_graph)
        if observers.retain and capture is None:
            _accumulate_into(tensor, grad, handed_out)
    return grad


def _observe_leaf(tensor, grad, capture, handed_out, create_graph):
    """A watched leaf's complete gradient: through its hooks, into ``.grad`` (or ``capture``), then its
    post-accumulate hooks see the leaf."""
    observers = tensor._observers
    if observers.hooks:
        grad = _run_hooks(observers, grad, create_graph)
    _keep(tensor, grad, capture, handed_out)
    if observers.post_accumulate and capture is None and tensor._requires_grad:
        for hook in list(observers.post_accumulate.values()):
            hook(tensor)
    return grad


def _run_hooks(observers, grad, create_graph):
    """:func:`autograd.hooks.run_hooks`, in grad mode ``create_graph`` (as the formulas run)."""
    previous = _grad.set(create_graph)
    try:
        return run_hooks(observers, grad, as_tensor, create_graph)
    finally:
        _grad.set(previous)


def backward_order(outputs):
    """The tensors of ``outputs``' graph in the order ``backward_steps`` reaches them when every
    formula returns every gradient: interior tensors by their node's rank (the last made first),
    then the leaves in the order their first gradient arrives."""
    reachable = topological_order(outputs, _parents)
    interior = sorted((t for t in reachable if t.grad_fn is not None), key=lambda t: t.grad_fn._rank)
    leaves = {id(t): t for t in outputs if t.grad_fn is None}
    for tensor in interior:
        for parent in tensor.grad_fn.parents:
            if parent.grad_fn is None:
                leaves.setdefault(id(parent), parent)
    return interior + list(leaves.values())


def _index_of(node, inp, g, input_grads):
    """The position of the argument ``inp`` for which backward returned ``g`` (for messages: the engine's
    loop does not count positions, messages being rare)."""
    return next(i for i, (a, h) in enumerate(zip(node.inputs, input_grads)) if a is inp and h is g)


def _run_on_tensors(node, grad, create_graph):
    """``node``'s backward on Tensors (recorded, grad mode on, under ``create_graph``, else not), as a
    tuple of one gradient per forward argument: a user's Function is checked to return that many."""
    previous = _grad.set(create_graph)
    checking = _anomaly.set(False)  # the formula's results are checked by the engine, under the node's own name
    try:
        input_grads = type(node).backward(node, grad if create_graph else Tensor._make(grad))
    finally:
        _grad.set(previous)
        _anomaly.set(checking)
    if type(input_grads) is not tuple:
        input_grads = (input_grads,)
    count = len(node.inputs)
    if len(input_grads) > count and all(g is None for g in input_grads[count:]):
        input_grads = input_grads[:count]  # (trailing Nones for defaults forward was not given: as PyTorch)
    if len(input_grads) != count:
        raise RuntimeError(
            f"{node.name()}: backward returned {len(input_grads)} gradients, but forward took "
            f"{count} arguments (return one per argument, None for non-tensors)"
        )
    return input_grads


def _sum(a, b, create_graph=False):
    """a + b, two gradients of one tensor (an ndarray for ndarrays: numpy adds 0-d ones to a scalar).

    Under ``create_graph`` the sum is recorded whatever the caller's grad mode, like every formula.
    """
    if create_graph:
        with _recording():
            return a + b
    total = a + b
    return total if isinstance(total, (Tensor, np.ndarray)) else np.asarray(total)


@contextlib.contextmanager
def _recording():
    """Grad mode on for the engine's own Tensor arithmetic under ``create_graph`` (the user may call
    ``autograd.grad(..., create_graph=True)`` inside ``no_grad``: the gradient's graph is recorded)."""
    previous = _grad.set(True)
    try:
        yield
    finally:
        _grad.set(previous)


def _as_gradient(node, inp, g, create_graph, input_grads):
    """Check a backward formula's result against its input: of the input's shape and dtype, and
    a Tensor under ``create_graph``, else an ndarray.

    A gradient of a shape the input broadcasts to is summed back to the input's shape, as PyTorch
    does (a user's Function may return ``grad * b`` for an input that forward broadcast).
    """
    returned = g
    if create_graph:
        if not isinstance(g, Tensor):
            g = Tensor._make(np.asarray(g, dtype=inp.dtype))
    else:
        g = np.asarray(g._array if isinstance(g, Tensor) else g)
    if g.shape != inp.shape:
        if not _broadcasts_to(inp.shape, g.shape):
            raise RuntimeError(
                f"{node.name()}: backward returned a gradient of shape {tuple(g.shape)} for input "
                f"{_index_of(node, inp, returned, input_grads)}, whose shape is {tuple(inp.shape)} "
                "(expected that shape, or one it broadcasts to)"
            )
        with _recording() if create_graph else contextlib.nullcontext():
            g = formula.sum_to(g, inp.shape)
    if g.dtype != inp.dtype:
        if create_graph:
            with _recording():
                g = g.to(inp.dtype)
        else:
            g = g.astype(inp.dtype)
    return g


def _broadcasts_to(shape, target):
    """True if an array of ``shape`` broadcasts to ``target`` (numpy's rules)."""
    if len(shape) > len(target):
        return False
    return all(s == 1 or s == t for s, t in zip(reversed(shape), reversed(target)))


def _exhaust(steps):
    """Run the engine to the end, keeping none of its steps (a zero-length deque consumes in C)."""
    collections.deque(steps, maxlen=0)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate d(tensors)/d(leaf) into ``.grad`` of every leaf that requires grad (PyTorch's
    ``torch.autograd.backward``).

    ``tensors``: a Tensor or a sequence of them; ``grad_tensors``: dL/d(each), a Tensor or a sequence
    (None for one-element tensors). The graph's saved values are freed unless ``retain_graph``
    (default: ``create_graph``); ``create_graph=True`` makes the gradients differentiable.
    ``inputs``: a Tensor or a sequence; when given, only their ``.grad`` is accumulated into (a
    non-leaf among them gets one too), and every other ``.grad`` is left alone.
    """
    if type(tensors) is not list:  # (Tensor.backward passes lists)
        tensors = _as_list(tensors)
    if grad_tensors is None:
        grad_tensors = [None] * len(tensors)
    elif type(grad_tensors) is not list:
        grad_tensors = _as_list(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    if inputs is None:
        _exhaust(backward_steps(tensors, grad_tensors, retain_graph, create_graph, report=False))
        return
    inputs = _as_list(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"backward: inputs[{i}] does not require grad; every input must be a Tensor with "
                               "requires_grad=True")
    capture = {id(t): None for t in inputs}
    _exhaust(backward_steps(tensors, grad_tensors, retain_graph, create_graph, capture=capture, report=False))
    handed_out = set()
    for t in inputs:
        g = capture[id(t)]
        if g is not None:
            _accumulate_into(t, g if create_graph else g._array, handed_out)


def _as_list(tensors):
    """A Tensor (or None) as a list of one; a sequence as a list."""
    return [tensors] if tensors is None or isinstance(tensors, Tensor) else list(tensors)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` as a tuple, leaving ``.grad`` alone.

    ``sum_i grad_outputs[i] * d(outputs[i])/d(inputs[j])`` for each ``j``.
    With ``create_graph=True`` the results are differentiable (higher derivatives).
    An input that ``outputs`` do not depend on raises unless ``allow_unused=True``
    (then its gradient is None) or ``materialize_grads=True`` (then it is zeros of the input's shape).
    """
    if materialize_grads and allow_unused is False:
        raise ValueError("Expected allow_unused to be True or not passed when materialize_grads=True, "
                         "but got: allow_unused=False.")
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    single_output = isinstance(outputs, Tensor)
    outputs = [outputs] if single_output else list(outputs)
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if grad_outputs is not None:
        grad_outputs = [grad_outputs] if isinstance(grad_outputs, Tensor) or single_output else list(grad_outputs)
    for i, t in enumerate(inputs):
        if not isinstance(t, Tensor) or not t.requires_grad:
            raise RuntimeError(f"grad: input {i} does not require grad; every input must be a Tensor with requires_grad=True")
    if retain_graph is None:
        retain_graph = create_graph
    capture = {id(t): None for t in inputs}
    _exhaust(backward_steps(outputs, grad_outputs, retain_graph, create_graph, capture=capture, report=False))
    results = []
    for i, t in enumerate(inputs):
        g = capture[id(t)]
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"grad: input {i} (shape {tuple(t.shape)}) was not used in the graph of the outputs; "
                    "pass allow_unused=True to get None for it, or materialize_grads=True to get zeros"
                )
            if materialize_grads:
                g = Tensor._make(np.zeros_like(t._array))
        results.append(g)
    return tuple(results)
