"""``Value``: the scalar teaching engine, one Python float per node (micrograd's API).

Each op computes its result and, when grad mode is on, records the inputs it
was computed from together with the *local derivative* of the result with
respect to each input, evaluated right there in the forward pass::

    out = a * b     records  input a with local derivative b.data,
                             input b with local derivative a.data

Backpropagation is then one generic step per node, the chain rule itself
(:func:`propagate`)::

    a.grad += d(out)/d(a) * out.grad
    b.grad += d(out)/d(b) * out.grad

run over the nodes in the order of the one graph walk,
:func:`autograd.graph.topological_order` (iterative: a chain of a million
Values backpropagates). :class:`autograd.BackwardStepper` runs the very same
step one node at a time, so its gradients equal those of ``backward()`` bit
for bit.

An op has one or two inputs, kept in slots (``_a``, ``_b`` with local
derivatives ``_da``, ``_db``) rather than in tuples: a node is then a single
object, which keeps allocation and garbage-collector work per op low.
``_prev`` gives the inputs as a tuple, as in micrograd.

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

    __slots__ = ("data", "grad", "_a", "_da", "_b", "_db", "_op", "label", "_backward_fn")

    def __new__(cls, data=0.0, _children=(), _op="", label=""):
        if cls is Value and len(_children) > 2:
            cls = _ValueOfManyInputs
        return _new(cls)

    def __init__(self, data, _children=(), _op="", label=""):
        if not isinstance(data, numbers.Real):
            hint = "; use it directly (or its .data)" if isinstance(data, Value) else ""
            raise TypeError(f"Value(data): expected a real number, got {type(data).__name__}{hint}")
        self.data = float(data)
        self.grad = 0.0
        children = tuple(_children)
        self._a = children[0] if children else None
        self._b = children[1] if len(children) > 1 else None
        self._da = self._db = 0.0
        self._op = _op
        self.label = label
        # A node built by hand from children has no recorded local derivatives:
        # like micrograd, it passes nothing back unless its ``_backward`` is set.
        self._backward_fn = _pass_nothing if children else None
        if len(children) > 2:
            self._children = children

    @property
    def _prev(self):
        """The inputs this Value was computed from (empty for a leaf)."""
        a = self._a
        if a is None:
            return ()
        b = self._b
        return (a,) if b is None else (a, b)

    @property
    def _local(self):
        """d(self)/d(input) for each input, recorded in the forward pass (None for a hand-written ``_backward``)."""
        if self._backward_fn is not None:
            return None
        if self._a is None:
            return ()
        return (self._da,) if self._b is None else (self._da, self._db)

    # -- the ops: forward, then the local derivative of the result w.r.t. each input --

    def __add__(self, other):
        """a + b;  d/da = 1, d/db = 1."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _binary("+", self.data + other.data, self, 1.0, other, 1.0)

    def __mul__(self, other):
        """a * b;  d/da = b, d/db = a."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _binary("*", self.data * other.data, self, other.data, other, self.data)

    def __sub__(self, other):
        """a - b;  d/da = 1, d/db = -1."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        return _binary("-", self.data - other.data, self, 1.0, other, -1.0)

    def __truediv__(self, other):
        """a / b;  d/da = 1/b, d/db = -a/b**2."""
        other = other if isinstance(other, Value) else _constant(other)
        if other is None:
            return NotImplemented
        b = other.data
        if b == 0.0:
            raise ZeroDivisionError(f"Value division: dividing {self.data} by zero")
        return _binary("/", self.data / b, self, 1.0 / b, other, -self.data / (b * b))

    def __pow__(self, n):
        """a ** n for a number n;  d/da = n * a**(n-1)."""
        if isinstance(n, Value) or not isinstance(n, numbers.Real) or isinstance(n, bool):
            raise TypeError(
                f"Value ** n: the exponent must be an int or float, got {type(n).__name__} "
                "(for a Value exponent write (n * a.log()).exp())"
            )
        a = self.data
        try:
            out = a**n
        except ZeroDivisionError:
            raise ZeroDivisionError(f"Value ** {n}: 0.0 cannot be raised to a negative power") from None
        if isinstance(out, complex):
            raise ValueError(f"Value ** {n}: a negative base ({a}) to a fractional power is not real")
        if a == 0.0 and n < 1:
            local = 0.0 if n == 0 else math.inf  # the slope of a**n at 0 for 0 < n < 1 is infinite
        else:
            local = n * a ** (n - 1)
        return _unary(f"**{n}", float(out), self, float(local))

    def __rpow__(self, c):
        """c ** a for a number c > 0;  d/da = c**a * ln(c)."""
        if not isinstance(c, (int, float)) or isinstance(c, bool):
            return NotImplemented
        if c <= 0:
            raise ValueError(f"{c} ** Value: the base must be positive, got {c}")
        out = _exp(self.data * math.log(c))
        return _unary(f"{c}**", out, self, out * math.log(c))

    def __neg__(self):
        """-a;  d/da = -1."""
        return _unary("neg", -self.data, self, -1.0)

    def exp(self):
        """e**a;  d/da = e**a (the result itself)."""
        out = _exp(self.data)
        return _unary("exp", out, self, out)

    def log(self):
        """ln(a) for a > 0;  d/da = 1/a."""
        a = self.data
        if a <= 0.0:
            raise ValueError(f"Value.log: the input must be positive, got {a}")
        return _unary("log", math.log(a), self, 1.0 / a)

    def tanh(self):
        """tanh(a);  d/da = 1 - tanh(a)**2."""
        t = math.tanh(self.data)
        return _unary("tanh", t, self, 1.0 - t * t)

    def sigmoid(self):
        """s(a) = 1 / (1 + e**-a);  d/da = s(a) * (1 - s(a))."""
        a = self.data
        if a >= 0.0:
            s = 1.0 / (1.0 + math.exp(-a))
        else:
            e = math.exp(a)
            s = e / (1.0 + e)
        return _unary("sigmoid", s, self, s * (1.0 - s))

    def relu(self):
        """max(0, a);  d/da = 1 if a > 0 else 0. NaN gives NaN with d/da = 1 (as PyTorch and Tensor.relu)."""
        a = self.data
        if not a <= 0.0:  # (a > 0, or NaN)
            return _unary("ReLU", a, self, 1.0)
        return _unary("ReLU", 0.0, self, 0.0)

    def leaky_relu(self, negative_slope=0.01):
        """a if a > 0 else negative_slope * a;  d/da = 1 if a > 0 else negative_slope."""
        a = self.data
        if a > 0.0:
            return _unary("LeakyReLU", a, self, 1.0)
        return _unary("LeakyReLU", negative_slope * a, self, float(negative_slope))

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
        if self._backward_fn is not None:
            return self._backward_fn
        return lambda: propagate(self)

    @_backward.setter
    def _backward(self, function):
        self._backward_fn = function

    def __repr__(self):
        return f"Value(data={self.data}, grad={self.grad})"


class _ValueOfManyInputs(Value):
    """A Value built by hand (micrograd style) from more than two inputs."""

    __slots__ = ("_children",)

    @property
    def _prev(self):
        return self._children


def _binary(op, data, a, da, b, db):
    """The result ``data`` of ``op`` on inputs ``a``, ``b``, whose local derivatives are ``da``, ``db``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    if _grad_enabled():
        out._a = a
        out._da = da
        out._b = b
        out._db = db
    else:
        out._a = out._b = None
        out._da = out._db = 0.0
    out._op = op
    out.label = ""
    out._backward_fn = None
    return out


def _unary(op, data, a, da):
    """The result ``data`` of ``op`` on input ``a``, whose local derivative is ``da``."""
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out._a = a if _grad_enabled() else None
    out._da = da
    out._b = None
    out._op = op
    out.label = ""
    out._backward_fn = None
    return out


def _constant(x):
    """A number as a leaf Value (None for anything else, so the operator returns NotImplemented)."""
    if not isinstance(x, numbers.Real):
        return None
    out = _new(Value)
    out.data = float(x)
    out.grad = 0.0
    out._a = out._b = out._backward_fn = None
    out._da = out._db = 0.0
    out._op = out.label = ""
    return out


def _pass_nothing():
    """micrograd's default ``_backward`` of a node built by hand: no gradient flows."""


def _exp(x):
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


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
        if node._a is not None:
            node.grad = 0.0
    root.grad += 1.0
    return order


def propagate(node):
    """The chain rule at one node: ``input.grad += d(node)/d(input) * node.grad`` for each input."""
    if node._backward_fn is not None:
        node._backward_fn()
        return
    a = node._a
    if a is not None:
        g = node.grad
        a.grad += node._da * g
        b = node._b
        if b is not None:
            b.grad += node._db * g
