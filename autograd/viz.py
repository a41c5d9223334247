"""Drawing a computation graph (of Values or of Tensors) with Graphviz.

:func:`draw_graph` returns a :class:`GraphDrawing`, a ``graphviz.Digraph``:
a record per value (its label, data and grad; for a tensor its shape, dtype
and a short summary of its values), a node per op, and edges in the
direction data flows (inputs -> op -> result). Its DOT text (``.source``) is
built in Python; only rendering (``.render``, ``.pipe``, display in Jupyter)
runs Graphviz's ``dot`` program, and when that is missing it raises
:class:`GraphvizNotFoundError` saying how to install it (in Jupyter, that
line is displayed in place of the picture).

The nodes come from the one graph walk, :func:`autograd.graph.topological_order`,
output first; past ``max_nodes`` values the rest are collapsed into one box
that says how many were left out.
"""
import contextlib

import graphviz
import numpy as np

from .graph import topological_order
from .value import Value

RANKDIRS = ("LR", "RL", "TB", "BT")
DEFAULT_MAX_NODES = 200

INSTALL_HINT = (
    "rendering the graph needs Graphviz's `dot` program, which is not on PATH: install Graphviz "
    "(apt-get install graphviz, brew install graphviz, or conda install -c conda-forge graphviz); "
    "the DOT text is available without it as .source"
)


class GraphvizNotFoundError(graphviz.ExecutableNotFound):
    """Raised when a drawing is rendered but Graphviz's ``dot`` program is not installed."""

    def __init__(self, message=INSTALL_HINT):
        RuntimeError.__init__(self, message)


class GraphDrawing(graphviz.Digraph):
    """A ``graphviz.Digraph`` whose rendering fails with one clear line when ``dot`` is missing.

    In Jupyter it displays as SVG; ``.render(path, format='svg')`` (or
    ``'png'``) writes ``path.svg``; ``.source`` is the DOT text. Without ``dot``, rendering
    raises :class:`GraphvizNotFoundError`, and Jupyter shows that one line instead of the picture
    (the cell still runs, so a notebook runs to its end on a machine without Graphviz).
    """

    def _repr_mimebundle_(self, include=None, exclude=None, **kwargs):
        """The picture for Jupyter (SVG), or, when ``dot`` is missing, the line that says how to install it."""
        try:
            return super()._repr_mimebundle_(include=include, exclude=exclude, **kwargs)
        except GraphvizNotFoundError as error:
            return {"text/plain": str(error)}

    def pipe(self, *args, **kwargs):
        """Render with ``dot`` and return the output (bytes, or str given an encoding)."""
        with _dot_required():
            return super().pipe(*args, **kwargs)

    def render(self, *args, **kwargs):
        """Write the DOT text to ``filename`` and the rendered picture beside it; return the picture's path."""
        with _dot_required():
            return super().render(*args, **kwargs)

    def unflatten(self, *args, **kwargs):
        """Graphviz's ``unflatten`` (needs Graphviz installed)."""
        with _dot_required():
            return super().unflatten(*args, **kwargs)


@contextlib.contextmanager
def _dot_required():
    try:
        yield
    except graphviz.ExecutableNotFound as error:
        if isinstance(error, GraphvizNotFoundError):
            raise
        raise GraphvizNotFoundError() from None


def draw_graph(root, rankdir="LR", show_data=True, show_grad=True, max_nodes=DEFAULT_MAX_NODES,
               names=None, format="svg"):
    """Draw the computation graph that produced ``root`` (a Value or a Tensor, or a list of them).

    ``rankdir``: 'LR' (left to right, the default), 'TB', 'RL' or 'BT'.
    ``show_data`` / ``show_grad``: put each value's data / gradient in its record.
    ``max_nodes``: draw at most this many values, those nearest the output;
    the rest are collapsed into one box that says how many were left out.
    ``names``: optional mapping ``{name: Value or Tensor}`` used as labels
    (e.g. ``dict(model.named_parameters())``); a Value's own ``label`` is used otherwise.
    ``format``: the default output format of ``.render`` and ``.pipe``.
    Returns a :class:`GraphDrawing` (a ``graphviz.Digraph``).
    """
    roots = _as_roots(root, "draw_graph")
    adapter = adapter_for(roots[0])
    names_by_id = _names_by_id(names)
    return build_drawing(roots, adapter, rankdir=rankdir, show_data=show_data, show_grad=show_grad,
                         max_nodes=max_nodes, format=format,
                         label=lambda node: names_by_id.get(id(node)) or adapter.label(node))


def draw_dot(root, format="svg", rankdir="LR", **kwargs):
    """micrograd's ``draw_dot(root, format='svg', rankdir='LR')``: the same drawing as :func:`draw_graph`."""
    return draw_graph(root, rankdir=rankdir, format=format, **kwargs)


def _as_roots(root, caller):
    roots = list(root) if isinstance(root, (list, tuple)) else [root]
    if not roots:
        raise ValueError(f"{caller}: expected a Value or a Tensor, got an empty {type(root).__name__}")
    kinds = {_kind(r, caller) for r in roots}
    if len(kinds) > 1:
        raise TypeError(f"{caller}: the roots mix Values and Tensors; draw one kind of graph at a time")
    return roots


def _kind(node, caller):
    from .tensor import Tensor

    if isinstance(node, Value):
        return "value"
    if isinstance(node, Tensor):
        return "tensor"
    raise TypeError(f"{caller}: expected a Value or a Tensor, got {type(node).__name__}")


def adapter_for(node):
    """How to read inputs, op name and data of the nodes of ``node``'s graph."""
    return VALUE_ADAPTER if isinstance(node, Value) else TENSOR_ADAPTER


class _ValueAdapter:
    """Reads a Value graph."""

    @staticmethod
    def inputs(node):
        return node._prev

    @staticmethod
    def op(node):
        return node._op

    @staticmethod
    def label(node):
        return node.label

    @staticmethod
    def data_fields(node):
        return [f"data {node.data:.4f}"]

    @staticmethod
    def grad_text(grad):
        return f"grad {grad:.4f}"

    @staticmethod
    def grad(node):
        return node.grad


class _TensorAdapter:
    """Reads a Tensor graph: every Tensor argument of an op is drawn as its input."""

    @staticmethod
    def inputs(tensor):
        from .tensor import Tensor

        node = tensor.grad_fn
        if node is None:
            return ()
        return tuple(t for t in node.inputs if isinstance(t, Tensor))

    @staticmethod
    def op(tensor):
        node = tensor.grad_fn
        return "" if node is None else type(node).__name__

    @staticmethod
    def label(tensor):
        return ""

    @staticmethod
    def data_fields(tensor):
        return [f"{tuple(tensor.shape)} {tensor.dtype}", summarize(tensor._array)]

    @staticmethod
    def grad_text(grad):
        if grad is None:
            return "grad None"
        return "grad " + summarize(grad._array)

    @staticmethod
    def grad(tensor):
        return tensor._grad


VALUE_ADAPTER = _ValueAdapter()
TENSOR_ADAPTER = _TensorAdapter()


def summarize(array):
    """A short text for an array: its values when there are at most 4, else min / mean / max."""
    array = np.asarray(array)
    if array.size == 0:
        return "[]"
    if array.dtype.kind == "b":
        array = array.astype(np.int64)
    if array.size <= 4:
        values = ", ".join(f"{v:.4g}" for v in array.ravel().tolist())
        return values if array.ndim == 0 else f"[{values}]"
    flat = array.astype(np.float64, copy=False)
    return f"min {flat.min():.4g} mean {flat.mean():.4g} max {flat.max():.4g}"


def build_drawing(roots, adapter, *, rankdir="LR", show_data=True, show_grad=True,
                  max_nodes=DEFAULT_MAX_NODES, format="svg", label=None, grad_text=None, style=None,
                  title=None):
    """Lay out the graph of ``roots`` as a :class:`GraphDrawing`.

    ``label(node)`` gives a node's name (default: the adapter's label),
    ``grad_text(node)`` overrides the grad field (None leaves it out) and
    ``style(node)`` gives extra Graphviz attributes for a node's record; the
    backprop stepper uses both to show where it is.
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_graph: rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if isinstance(max_nodes, bool) or not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_graph: max_nodes must be a positive int, got {max_nodes!r}")
    order = topological_order(roots, adapter.inputs)
    shown = order[:max_nodes]
    node_id = {id(node): f"n{i}" for i, node in enumerate(shown)}

    drawing = GraphDrawing(format=format, graph_attr={"rankdir": rankdir})
    hidden = len(order) - len(shown)
    if title or hidden:
        notes = [title] if title else []
        if hidden:
            notes.append(f"showing {len(shown)} of {len(order)} values (max_nodes={max_nodes})")
        drawing.attr(label="\\n".join(notes), labelloc="t", fontsize="12")
    more_id = "more"
    if hidden:
        drawing.node(more_id, f"... {hidden} more values not shown", shape="box", style="dashed")

    for node in shown:
        nid = node_id[id(node)]
        fields = [_escape(adapter.label(node) if label is None else label(node))]
        if show_data:
            fields += [_escape(f) for f in adapter.data_fields(node)]
        if show_grad:
            text = adapter.grad_text(adapter.grad(node)) if grad_text is None else grad_text(node)
            if text is not None:
                fields.append(_escape(text))
        attrs = {"shape": "record"}
        if style is not None:
            attrs.update(style(node) or {})
        drawing.node(nid, "{ " + " | ".join(fields) + " }", **attrs)
        inputs = adapter.inputs(node)
        if not inputs:
            continue
        op_id = nid + "op"
        drawing.node(op_id, adapter.op(node), shape="ellipse")
        drawing.edge(op_id, nid)
        missing = False
        for inp in inputs:
            if id(inp) in node_id:
                drawing.edge(node_id[id(inp)], op_id)
            else:
                missing = True
        if missing:
            drawing.edge(more_id, op_id, style="dashed")
    return drawing


def _names_by_id(names):
    if names is None:
        return {}
    try:
        items = names.items()
    except AttributeError:
        raise TypeError(f"draw_graph: names must be a mapping {{name: node}}, got {type(names).__name__}") from None
    return {id(node): str(name) for name, node in items}


_RECORD_SPECIALS = {c: "\\" + c for c in '{}|<>"\\'}


def _escape(text):
    """Escape the characters that are syntax inside a Graphviz record label."""
    return "".join(_RECORD_SPECIALS.get(c, c) for c in text)
