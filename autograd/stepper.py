"""Stepping through backpropagation one node at a time.

``BackwardStepper(root)`` runs the engine's own backward pass, paused after
each node: for a Value graph it drives :func:`autograd.value.propagate` over
the order :func:`autograd.value.prepare_backward` gives (exactly what
``Value.backward`` does); for a Tensor graph it consumes
:func:`autograd.engine.backward_steps` (exactly what ``Tensor.backward``
does). So the gradients it leaves equal those of ``backward()`` bit for bit.

At each node the chain rule reads::

    input.grad += (d node / d input) * node.grad

and each :class:`Step` shows that line with the numbers filled in, e.g.
``a.grad += 3.0 * -2.0 = -6.0``.
"""
import math

from .graph import topological_order
from .value import Value, prepare_backward, propagate
from .viz import DEFAULT_MAX_NODES, TENSOR_ADAPTER, VALUE_ADAPTER, _as_roots, build_drawing, summarize

_INFIX = ("+", "-", "*", "/")


class Contribution:
    """What one step added to one input's gradient.

    ``input``: the input node; ``local``: d(node)/d(input) (a float for a
    Value graph, None for a Tensor graph, where it is a Jacobian); ``added``:
    the amount added (``local * upstream`` for a Value); ``grad_after``: the
    input's gradient so far, this addition included (Value graphs).
    """

    __slots__ = ("input", "local", "added", "grad_after")

    def __init__(self, input, local, added, grad_after=None):
        self.input = input
        self.local = local
        self.added = added
        self.grad_after = grad_after


class Step:
    """One node of the backward pass: ``node``, its upstream gradient ``grad``, and its ``contributions``.

    ``str(step)`` is the chain-rule arithmetic of the step.
    """

    __slots__ = ("index", "total", "node", "grad", "contributions", "_names")

    def __init__(self, index, total, node, grad, contributions, names):
        self.index = index
        self.total = total
        self.node = node
        self.grad = grad
        self.contributions = contributions
        self._names = names

    @property
    def lines(self):
        """The step as lines of text: the node, then one ``input.grad += ...`` line per input."""
        name = self._names(self.node)
        is_value = isinstance(self.node, Value)
        header = f"step {self.index + 1} of {self.total}: "
        inputs = (VALUE_ADAPTER if is_value else TENSOR_ADAPTER).inputs(self.node)
        if not inputs:
            return [header + f"{name} is a leaf; its gradient is complete: {name}.grad = {_show(self.grad)}"]
        op = (VALUE_ADAPTER if is_value else TENSOR_ADAPTER).op(self.node)
        expression = _expression(op, [self._names(i) for i in inputs])
        lines = [header + f"{name} = {expression}, upstream gradient {name}.grad = {_show(self.grad)}"]
        for c in self.contributions:
            target = f"  {self._names(c.input)}.grad += "
            if c.local is None:
                lines.append(target + _show(c.added))
                continue
            line = target + f"{_fmt(c.local)} * {_fmt(self.grad)} = {_fmt(c.added)}"
            if c.grad_after is not None and c.grad_after != c.added:
                line += f"   (now {_fmt(c.grad_after)})"
            lines.append(line)
        return lines

    def __str__(self):
        return "\n".join(self.lines)

    def __repr__(self):
        return f"<Step {self.index + 1} of {self.total}: {self._names(self.node)}>"


class BackwardStepper:
    """Run ``root.backward()`` one node at a time and watch the chain rule fill in the gradients.

    ``BackwardStepper(root, gradient=None, names=None)``: ``root`` a Value or
    a Tensor (``gradient`` seeds a non-scalar Tensor root, as in
    ``backward(gradient)``); ``names``: optional ``{name: node}`` labels
    (Values use their ``label``; other nodes are called ``#k``, their
    position in the order).

    Creating it starts the pass (like ``backward()``, interior Value
    gradients restart from 0 and the root's gains 1). ``step()`` processes the
    next node and returns its :class:`Step`; ``run_to(node)`` steps until
    ``node`` is processed; iterating yields the remaining steps; ``reset()``
    puts every gradient back as it was and starts again. ``draw()`` returns
    the graph at the current step; in Jupyter the stepper displays as that
    picture, and ``widget()`` gives a slider over the steps (needs ipywidgets).
    A Tensor graph is retained while stepping so that ``reset()`` can replay it.
    """

    def __init__(self, root, gradient=None, names=None):
        (root,) = _as_roots(root, "BackwardStepper")
        self.root = root
        self._is_value = isinstance(root, Value)
        if self._is_value and gradient is not None:
            raise TypeError("BackwardStepper: gradient= is for Tensor roots; a Value root is seeded with 1")
        if not self._is_value and not root.requires_grad:
            raise RuntimeError("BackwardStepper: the root does not require grad and has no grad_fn: "
                               "there is no backward pass to step through")
        self._gradient = gradient
        self._adapter = VALUE_ADAPTER if self._is_value else TENSOR_ADAPTER
        if self._is_value:
            self._order = topological_order((root,), self._adapter.inputs)
        else:  # the order the engine will take
            self._order = _engine().backward_order((root,))
        self._position = {id(node): k for k, node in enumerate(self._order)}
        self._labels = {}
        if names is not None:
            self._labels = {id(node): str(name) for name, node in names.items()}
        self._saved = [(node, _copy_grad(self._adapter.grad(node))) for node in self._order if self._keeps_grad(node)]
        self._start()

    # -- stepping --

    def _keeps_grad(self, node):
        if self._is_value:
            return True
        return node.grad_fn is None or node.retains_grad

    def _start(self):
        self.steps = []
        self._done_ids = {}
        self._finished = False
        if self._is_value:
            self._pending = iter(prepare_backward(self.root))
        else:
            self._pending = _engine().backward_steps([self.root], [self._gradient], retain_graph=True)

    def __len__(self):
        """How many nodes the pass visits (an upper bound for a Tensor graph, whose unused branches get no step)."""
        return len(self._order)

    @property
    def done(self):
        """True once every node has been processed (for a Tensor graph: once the engine has no more steps)."""
        return self._finished or len(self.steps) == len(self._order)

    @property
    def current(self):
        """The last :class:`Step` taken (None before the first)."""
        return self.steps[-1] if self.steps else None

    def step(self):
        """Process the next node (the chain rule at it) and return its :class:`Step`."""
        step = self._advance()
        if step is None:
            raise RuntimeError(
                f"BackwardStepper: the backward pass is complete ({len(self.steps)} steps); "
                "call reset() to start again"
            )
        return step

    def _advance(self):
        if self._finished:
            return None
        if self._is_value:
            node = next(self._pending, None)
            step = None if node is None else self._value_step(node)
        else:
            backward_step = next(self._pending, None)
            step = None if backward_step is None else self._tensor_step(backward_step)
        if step is None:
            self._finished = True
            return None
        self.steps.append(step)
        self._done_ids[id(step.node)] = step
        return step

    def _value_step(self, node):
        g = node.grad
        local = node._local
        running = {id(child): child.grad for child in node._prev}
        propagate(node)
        contributions = []
        for k, child in enumerate(node._prev):
            if local is None:  # a hand-written micrograd-style _backward: only its total effect is known
                contributions.append(Contribution(child, None, child.grad - running[id(child)], child.grad))
                running[id(child)] = child.grad
                continue
            added = local[k] * g
            running[id(child)] += added  # the same sums propagate() just did, in the same order
            contributions.append(Contribution(child, local[k], added, running[id(child)]))
        return Step(len(self.steps), len(self._order), node, g, contributions, self.name)

    def _tensor_step(self, backward_step):
        tensor, grad, added = backward_step
        as_tensor = _engine().as_tensor
        contributions = [Contribution(inp, None, as_tensor(g)) for inp, g in added]
        return Step(len(self.steps), len(self._order), tensor, as_tensor(grad), contributions, self.name)

    def run_to(self, node):
        """Step until ``node`` has been processed; return its :class:`Step`."""
        if id(node) not in self._position:
            raise ValueError(f"BackwardStepper.run_to: {node!r} is not in the graph of the root")
        while id(node) not in self._done_ids:
            if self._advance() is None:
                raise ValueError(f"BackwardStepper.run_to: {self.name(node)} receives no gradient, so no step processes it")
        return self._done_ids[id(node)]

    def __iter__(self):
        """Yield the remaining steps, processing each as it is yielded."""
        while True:
            step = self._advance()
            if step is None:
                return
            yield step

    def reset(self):
        """Put every gradient back as it was when the stepper was made, and start the pass again."""
        for node, grad in self._saved:
            if self._is_value:
                node.grad = grad
            else:
                node._grad = _copy_grad(grad)
        self._start()

    def _go_to(self, count):
        if count < len(self.steps):
            self.reset()
        while len(self.steps) < count and self._advance() is not None:
            pass

    # -- showing --

    def name(self, node):
        """What the stepper calls ``node``: its name or label, else ``#k`` (its position in the order)."""
        label = self._labels.get(id(node)) or (node.label if isinstance(node, Value) else "")
        if label:
            return label
        k = self._position.get(id(node))
        return f"#{k}" if k is not None else "const"

    def _label(self, node):
        return self.name(node) if id(node) in self._position else ""

    def _grad_field(self, node):
        step = self._done_ids.get(id(node))
        if step is not None:
            return self._adapter.grad_text(step.grad)
        current = self.current
        if current is not None and any(c.input is node for c in current.contributions):
            if self._is_value:
                return f"grad so far {node.grad:.4f}"
            added = next(c.added for c in current.contributions if c.input is node)
            return "grad += " + summarize(added._array)
        return "grad"

    def _style(self, node):
        current = self.current
        if current is not None and current.node is node:
            return {"style": "filled", "fillcolor": "gold"}
        if id(node) in self._done_ids:
            return {"style": "filled", "fillcolor": "palegreen"}
        if current is not None and any(c.input is node for c in current.contributions):
            return {"style": "filled", "fillcolor": "lightyellow"}
        return None

    def draw(self, rankdir="LR", show_data=True, max_nodes=DEFAULT_MAX_NODES):
        """The graph at the current step: the node just processed in gold, processed nodes green with their
        gradients, inputs that just received a contribution yellow, the rest with a blank gradient."""
        title = str(self.current) if self.current is not None else "before the first step"
        return build_drawing([self.root], self._adapter, rankdir=rankdir, show_data=show_data, show_grad=True,
                             max_nodes=max_nodes, label=self._label, grad_text=self._grad_field, style=self._style,
                             title=title.replace("\n", "\\l") + ("\\l" if self.current is not None else ""))

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        return self.draw()._repr_mimebundle_(include=include, exclude=exclude, **kwargs)

    def widget(self):
        """A slider over the steps showing the picture and the arithmetic of each (needs ipywidgets)."""
        try:
            import ipywidgets
            from IPython.display import display
        except ImportError:
            raise ImportError("BackwardStepper.widget needs ipywidgets: pip install ipywidgets") from None
        slider = ipywidgets.IntSlider(value=len(self.steps), min=0, max=len(self), description="step")
        output = ipywidgets.Output()

        def show(count):
            self._go_to(count)
            output.clear_output(wait=True)
            with output:
                print(self.current if self.current is not None else "before the first step")
                display(self.draw())

        slider.observe(lambda change: show(change["new"]), names="value")
        show(slider.value)
        return ipywidgets.VBox([slider, output])

    def __repr__(self):
        where = "done" if self._finished else f"{len(self.steps)} of {len(self)} steps taken"
        return f"<BackwardStepper over {len(self)} nodes: {where}>"


def _engine():
    from . import engine  # the Tensor engine (imported late: it loads the whole Tensor core)

    return engine


def _copy_grad(grad):
    if grad is None or isinstance(grad, float):
        return grad
    return type(grad)._make(grad._array.copy())


def _expression(op, inputs):
    if op in _INFIX and len(inputs) == 2:
        return f"{inputs[0]} {op} {inputs[1]}"
    if op.startswith("**") and len(inputs) == 1:
        return f"{inputs[0]}{op}"
    if op.endswith("**") and len(inputs) == 1:
        return f"{op}{inputs[0]}"
    return f"{op or 'op'}({', '.join(inputs)})"


def _fmt(x):
    """A float as the stepper prints it: 3.0, -0.25, 1.2346e-05."""
    if math.isfinite(x) and x == int(x) and abs(x) < 1e15:
        return f"{x:.1f}"
    return f"{x:.6g}"


def _show(grad):
    if isinstance(grad, float):
        return _fmt(grad)
    return f"{summarize(grad._array)} (shape {tuple(grad.shape)})"
