"""``Value``: the scalar teaching engine, one Python float per node (micrograd's API).

Each op computes its result and, when grad mode is on, records the inputs it
was computed from together with the *local derivative* of the result with
respect to each input, evaluated right there in the forward pass::

    out = a * b        records  _prev = (a, b),  _local = (b.data, a.data)

Backpropagation is then one generic step per node, the chain rule itself::

    for child, local in zip(node._prev, node._local):
        child.grad += local * node.grad

run over the nodes in the order of the one graph walk,
:func:`autograd.graph.topological_order` (iterative: a chain of a million
Values backpropagates). :class:`autograd.BackwardStepper` runs the very same
step (:func:`propagate`) one node at a time, so its gradients equal those of
``backward()`` bit for bit.

Gradients accumulate into leaves across ``backward()`` calls (call
``zero_grad`` between training steps); the gradient of every interior node is
that of the latest pass.
"""
import math
import numbers
import operator

from .grad_mode import is_grad_enabled as _grad_enabled
from .graph import topological_order

_new = object.__new__


class Value:
    """A scalar that remembers how it was computed, so ``backward()`` can find d(output)/d(it).

    ``Value(data, _children=(), _op='', label='')``, as in micrograd: ``data``
    and ``grad`` are Python floats (both settable), ``_prev`` the inputs it was
    computed from, ``_op`` the op's name and ``label`` a name for drawing.
    """

    __slots__ = ("data", "grad", "_prev", "_local", "_op", "label", "_custom_backward", "__weakref__")

    def __init__(self, data, _children=(), _op="", label=""):
        if not isinstance(data, numbers.Real):
            hint = "; use it directly (or its .data)" if isinstance(data, Value) else ""
            raise TypeError(f"Value(data): expected a real number, got {type(data).__name__}{hint}")
        self.data = float(data)
        self.grad = 0.0
        self._prev = tuple(_children)
        # A node built by hand from children has no recorded local derivatives:
        # like micrograd, it passes nothing back unless its ``_backward`` is set.
        self._local = None if self._prev else ()
        self._op = _op
        self.label = label
        self._custom_backward = None

    # -- the ops: forward, then the local derivative of the result w.r.t. each input --

    def __add__(self, other):
        """a + b;  d/da = 1, d/db = 1."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _node(self.data + other.data, (self, other), (1.0, 1.0), "+")

    def __mul__(self, other):
        """a * b;  d/da = b, d/db = a."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _node(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __sub__(self, other):
        """a - b;  d/da = 1, d/db = -1."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _node(self.data - other.data, (self, other), (1.0, -1.0), "-")

    def __truediv__(self, other):
        """a / b;  d/da = 1/b, d/db = -a/b**2."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        b = other.data
        if b == 0.0:
            raise ZeroDivisionError(f"Value division: dividing {self.data} by zero")
        return _node(self.data / b, (self, other), (1.0 / b, -self.data / (b * b)), "/")

    def __pow__(self, n):
        """a ** n for a number n;  d/da = n * a**(n-1)."""
        if isinstance(n, Value) or not isinstance(n, (int, float)) or isinstance(n, bool):
            raise TypeError(
                f"Value ** n: the exponent must be an int or float, got {type(n).__name__} "
                "(for a Value exponent write (n * a.log()).exp())"
            )
        a = self.data
        try:
            out = a**n
            local = n * a ** (n - 1) if n != 0 else 0.0
        except ZeroDivisionError:
            raise ZeroDivisionError(f"Value ** {n}: 0.0 cannot be raised to a negative power") from None
        if isinstance(out, complex):
            raise ValueError(f"Value ** {n}: a negative base ({a}) to a fractional power is not real")
        return _node(float(out), (self,), (float(local),), f"**{n}")

    def __rpow__(self, c):
        """c ** a for a number c > 0;  d/da = c**a * ln(c)."""
        if not isinstance(c, (int, float)) or isinstance(c, bool):
            return NotImplemented
        if c <= 0:
            raise ValueError(f"{c} ** Value: the base must be positive, got {c}")
        out = _exp(self.data * math.log(c))
        return _node(out, (self,), (out * math.log(c),), f"{c}**")

    def __neg__(self):
        """-a;  d/da = -1."""
        return _node(-self.data, (self,), (-1.0,), "neg")

    def exp(self):
        """e**a;  d/da = e**a (the result itself)."""
        out = _exp(self.data)
        return _node(out, (self,), (out,), "exp")

    def log(self):
        """ln(a) for a > 0;  d/da = 1/a."""
        a = self.data
        if a <= 0.0:
            raise ValueError(f"Value.log: the input must be positive, got {a}")
        return _node(math.log(a), (self,), (1.0 / a,), "log")

    def tanh(self):
        """tanh(a);  d/da = 1 - tanh(a)**2."""
        t = math.tanh(self.data)
        return _node(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self):
        """s(a) = 1 / (1 + e**-a);  d/da = s(a) * (1 - s(a))."""
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _node(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self):
        """max(0, a);  d/da = 1 if a > 0 else 0."""
        a = self.data
        if a > 0.0:
            return _node(a, (self,), (1.0,), "ReLU")
        return _node(0.0, (self,), (0.0,), "ReLU")

    def leaky_relu(self, negative_slope=0.01):
        """a if a > 0 else negative_slope * a;  d/da = 1 if a > 0 else negative_slope."""
        a = self.data
        if a > 0.0:
            return _node(a, (self,), (1.0,), "LeakyReLU")
        return _node(negative_slope * a, (self,), (float(negative_slope),), "LeakyReLU")

    # -- reflected forms: number OP Value --

    def __radd__(self, other):
        """b + a (b a number), so sum() of Values works."""
        other = _constant(other)
        return NotImplemented if other is None else other + self

    def __rsub__(self, other):
        """b - a (b a number)."""
        other = _constant(other)
        return NotImplemented if other is None else other - self

    def __rmul__(self, other):
        """b * a (b a number)."""
        other = _constant(other)
        return NotImplemented if other is None else other * self

    def __rtruediv__(self, other):
        """b / a (b a number)."""
        other = _constant(other)
        return NotImplemented if other is None else other / self

    # -- backpropagation --

    def backward(self):
        """Fill ``.grad`` of every node this one was computed from with d(self)/d(node).

        Seeds ``self.grad`` with 1, resets interior nodes, then applies the
        chain rule node by node in topological order (:func:`propagate`).
        Leaves accumulate across calls, as in PyTorch and micrograd.
        """
        for node in prepare_backward(self):
            propagate(node)

    @property
    def _backward(self):
        """micrograd's per-node step: ``node._backward()`` pushes ``node.grad`` to its inputs.

        Assigning a function (``out._backward = f``) defines a custom op's
        backward, as in micrograd.
        """
        return lambda: propagate(self)

    @_backward.setter
    def _backward(self, function):
        self._custom_backward = function
        self._local = None

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


def _node(data, children, local, op):
    """Build the result of an op (children and local derivatives recorded only in grad mode)."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    if _grad_enabled():
        out._prev = children
        out._local = local
    else:
        out._prev = ()
        out._local = ()
    out._op = op
    out.label = ""
    out._custom_backward = None
    return out


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _constant(x):
    """A number as a leaf Value (None for anything else, so the operator returns NotImplemented)."""
    if not isinstance(x, numbers.Real):
        return None
    out = _new(Value)
    out.data = float(x)
    out.grad = 0.0
    out._prev = out._local = ()
    out._op = out.label = ""
    out._custom_backward = None
    return out


_parents = operator.attrgetter("_prev")


def prepare_backward(root):
    """Start a backward pass from ``root``: return the nodes in the order they are processed.

    Interior nodes get ``grad = 0`` (their gradient is this pass's), then
    ``root.grad += 1`` (d root / d root); leaves keep what they hold, so
    gradients accumulate across passes.
    """
    if not isinstance(root, Value):
        raise TypeError(f"backward: expected a Value, got {type(root).__name__}")
    order = topological_order((root,), _parents)
    for node in order:
        if node._prev:
            node.grad = 0.0
    root.grad += 1.0
    return order


def propagate(node):
    """The chain rule at one node: ``child.grad += local * node.grad`` for each input."""
    local = node._local
    if local is None:
        if node._custom_backward is not None:
            node._custom_backward()
        return
    g = node.grad
    for child, d in zip(node._prev, local):
        child.grad += d * g
