"""Reverse-mode backpropagation over the Tensor graph.

``backward_steps`` is the engine: it seeds the outputs' gradients, walks the
graph once in topological order (:func:`autograd.graph.topological_order`)
and, at each node, applies the chain rule::

    dL/d(input) += backward_formula(dL/d(output))

yielding a :class:`BackwardStep` after each node. ``backward()`` and
``autograd.grad`` exhaust it; the :class:`autograd.BackwardStepper` consumes
it one step at a time, so stepping fills ``.grad`` exactly as ``backward()``.
"""
import numpy as np

from .anomaly import _state as _anomaly
from .anomaly import check_backward
from .grad_mode import _state as _grad_state
from .graph import topological_order
from .tensor import Tensor


class BackwardStep:
    """What the engine did at one node.

    ``tensor``: the node processed; ``grad``: dL/d(tensor), its complete
    upstream gradient; ``contributions``: ``(input, g)`` pairs, ``g`` being
    what this node added to ``input``'s gradient (empty for a leaf, whose
    ``grad`` was accumulated into ``.grad``).
    """

    __slots__ = ("tensor", "grad", "contributions")

    def __init__(self, tensor, grad, contributions):
        self.tensor = tensor
        self.grad = grad
        self.contributions = contributions

    def __repr__(self):
        return f"BackwardStep({self.tensor.grad_fn or 'leaf'}, grad shape {tuple(self.grad.shape)})"


def _parents(tensor):
    node = tensor.grad_fn
    return node.parents if node is not None else ()


def _seed(outputs, grad_outputs, create_graph):
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
            g = Tensor._make(np.ones_like(out._array))
        else:
            if not isinstance(g, Tensor):
                g = Tensor._make(np.array(g, dtype=out.dtype))
            elif not create_graph:
                g = Tensor._make(g._array.copy())
            if g.shape != out.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of {tuple(g.shape)} and "
                    f"output[{i}] has a shape of {tuple(out.shape)}"
                )
        seeds.append(g)
    return seeds


def _owned(g, create_graph, handed_out):
    """``g`` fit to hand to the user (as ``.grad`` or from ``autograd.grad``): its own memory.

    A gradient array may be shared (an op can pass one gradient to two inputs, or a
    broadcast view of it); copying those keeps a user's in-place update local.
    """
    if not create_graph:
        if id(g) in handed_out or g._array.base is not None or not g._array.flags.writeable:
            g = Tensor._make(g._array.copy())
        handed_out.add(id(g))
    return g


def _accumulate_into(tensor, g, create_graph, handed_out):
    """Add ``g`` to ``tensor.grad`` (a leaf, or a non-leaf that called retain_grad)."""
    g = _owned(g, create_graph, handed_out)
    if tensor._grad is None:
        tensor._grad = g
    elif create_graph or tensor._grad.requires_grad:
        tensor._grad = tensor._grad + g
    else:
        tensor._grad._array += g._array


def backward_steps(outputs, grad_outputs=None, retain_graph=False, create_graph=False, capture=None):
    """Backpropagate from ``outputs``, yielding a :class:`BackwardStep` per node.

    ``capture``: None to accumulate into ``.grad`` of leaves (``backward``), or
    a dict ``{id(tensor): None}`` to collect dL/d(tensor) there instead without
    touching any ``.grad`` (``autograd.grad``).
    """
    outputs = list(outputs)
    if grad_outputs is None:
        grad_outputs = [None] * len(outputs)
    grads = {}
    for out, g in zip(outputs, _seed(outputs, grad_outputs, create_graph)):
        grads[id(out)] = grads[id(out)] + g if id(out) in grads else g
    handed_out = set()
    for tensor in topological_order(outputs, _parents):
        grad = grads.pop(id(tensor), None)
        if grad is None:
            continue
        if capture is not None:
            if id(tensor) in capture:  # each tensor is reached once, with its complete gradient
                capture[id(tensor)] = _owned(grad, create_graph, handed_out)
        elif tensor.grad_fn is None or tensor._retains_grad:
            _accumulate_into(tensor, grad, create_graph, handed_out)
        node = tensor.grad_fn
        if node is None:
            yield BackwardStep(tensor, grad, ())
            continue
        previous, checking = _grad_state.enabled, _anomaly.enabled
        _grad_state.enabled = create_graph
        _anomaly.enabled = False  # the formula's results are checked below, under the node's own name
        try:
            input_grads = type(node).backward(node, grad)
        finally:
            _grad_state.enabled = previous
            _anomaly.enabled = checking
        if type(input_grads) is not tuple:
            input_grads = (input_grads,)
        if len(input_grads) != len(node.inputs):
            raise RuntimeError(
                f"{node.name()}: backward returned {len(input_grads)} gradients, but forward took "
                f"{len(node.inputs)} arguments (return one per argument, None for non-tensors)"
            )
        contributions = []
        for i, (inp, needed, g) in enumerate(zip(node.inputs, node.needs_input_grad, input_grads)):
            if not needed or g is None:
                continue
            if type(g) is not Tensor or g._array.shape != inp._array.shape or g._array.dtype != inp._array.dtype:
                g = _as_gradient(node, i, inp, g)
            if checking:
                check_backward(node, i, g)
            key = id(inp)
            grads[key] = grads[key] + g if key in grads else g
            contributions.append((inp, g))
        if not retain_graph:
            node.release()
        yield BackwardStep(tensor, grad, contributions)


def _as_gradient(node, index, inp, g):
    """Check a backward formula's result against its input: a Tensor of the input's shape and dtype."""
    if not isinstance(g, Tensor):
        g = Tensor._make(np.asarray(g, dtype=inp.dtype))
    if g.shape != inp.shape:
        raise RuntimeError(
            f"{node.name()}: backward returned a gradient of shape {tuple(g.shape)} for input "
            f"{index}, whose shape is {tuple(inp.shape)}"
        )
    if g.dtype != inp.dtype:
        g = g.to(inp.dtype)
    return g


def backward(outputs, grad_outputs=None, retain_graph=None, create_graph=False):
    """Accumulate d(outputs)/d(leaf) into ``.grad`` of every leaf that requires grad."""
    if retain_graph is None:
        retain_graph = create_graph
    for _ in backward_steps(outputs, grad_outputs, retain_graph, create_graph):
        pass


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False):
    """Return the gradients of ``outputs`` with respect to ``inputs`` as a tuple, leaving ``.grad`` alone.

    ``sum_i grad_outputs[i] * d(outputs[i])/d(inputs[j])`` for each ``j``.
    With ``create_graph=True`` the results are differentiable (higher derivatives).
    An input that ``outputs`` do not depend on raises unless ``allow_unused=True``
    (then its gradient is None).
    """
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
    for _ in backward_steps(outputs, grad_outputs, retain_graph, create_graph, capture=capture):
        pass
    results = []
    for i, t in enumerate(inputs):
        g = capture[id(t)]
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad: input {i} (shape {tuple(t.shape)}) was not used in the graph of the outputs; "
                "pass allow_unused=True to get None for it"
            )
        results.append(g)
    return tuple(results)
