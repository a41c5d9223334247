"""The scalar engine autograd.Value: every op against closed forms and finite differences,
micrograd-style expressions, the deep chain, accumulation, no_grad, micrograd compatibility."""
import math

import numpy as np
import pytest

import autograd
from autograd import Value


def finite_difference(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


# op name -> (build from one Value, the same function on floats, closed-form derivative, test points)
UNARY = {
    "exp": (lambda v: v.exp(), math.exp, math.exp, [-2.0, 0.0, 1.5]),
    "log": (lambda v: v.log(), math.log, lambda x: 1 / x, [0.3, 1.0, 7.0]),
    "tanh": (lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2, [-1.2, 0.0, 0.7]),
    "sigmoid": (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)),
                lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2, [-3.0, 0.0, 2.5]),
    "relu": (lambda v: v.relu(), lambda x: max(0.0, x), lambda x: 1.0 if x > 0 else 0.0, [-1.5, 0.5, 3.0]),
    "leaky_relu": (lambda v: v.leaky_relu(), lambda x: x if x > 0 else 0.01 * x,
                   lambda x: 1.0 if x > 0 else 0.01, [-1.5, 0.5]),
    "leaky_relu(0.2)": (lambda v: v.leaky_relu(0.2), lambda x: x if x > 0 else 0.2 * x,
                        lambda x: 1.0 if x > 0 else 0.2, [-1.5, 0.5]),
    "neg": (lambda v: -v, lambda x: -x, lambda x: -1.0, [-2.0, 3.0]),
    "**3": (lambda v: v**3, lambda x: x**3, lambda x: 3 * x**2, [-1.5, 2.0]),
    "**-2": (lambda v: v**-2, lambda x: x**-2, lambda x: -2 * x**-3, [-1.5, 0.5]),
    "**0.5": (lambda v: v**0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), [0.25, 4.0]),
    "2**": (lambda v: 2**v, lambda x: 2**x, lambda x: 2**x * math.log(2), [-1.0, 3.0]),
    "+ number": (lambda v: v + 2.5, lambda x: x + 2.5, lambda x: 1.0, [1.0]),
    "number +": (lambda v: 2.5 + v, lambda x: 2.5 + x, lambda x: 1.0, [1.0]),
    "- number": (lambda v: v - 2.5, lambda x: x - 2.5, lambda x: 1.0, [1.0]),
    "number -": (lambda v: 2.5 - v, lambda x: 2.5 - x, lambda x: -1.0, [1.0]),
    "* number": (lambda v: v * -4.0, lambda x: x * -4.0, lambda x: -4.0, [1.0]),
    "number *": (lambda v: -4.0 * v, lambda x: -4.0 * x, lambda x: -4.0, [1.0]),
    "/ number": (lambda v: v / 4.0, lambda x: x / 4.0, lambda x: 0.25, [1.0]),
    "number /": (lambda v: 3.0 / v, lambda x: 3.0 / x, lambda x: -3.0 / x**2, [1.5, -2.0]),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_op_value_and_gradient(name):
    build, f, df, points = UNARY[name]
    for x in points:
        v = Value(x)
        out = build(v)
        assert out.data == pytest.approx(f(x), rel=1e-12, abs=1e-15)
        out.backward()
        assert v.grad == pytest.approx(df(x), rel=1e-12, abs=1e-15)
        assert v.grad == pytest.approx(finite_difference(f, x), rel=1e-6, abs=1e-8)


BINARY = {
    "+": (lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    "-": (lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    "*": (lambda a, b: a * b, lambda a, b: (b, a)),
    "/": (lambda a, b: a / b, lambda a, b: (1 / b, -a / b**2)),
}


@pytest.mark.parametrize("op", sorted(BINARY))
def test_binary_op_value_and_gradient(op):
    f, grads = BINARY[op]
    x, y = 1.7, -0.6
    a, b = Value(x), Value(y)
    out = f(a, b)
    assert out.data == f(x, y)
    assert out._op == op
    out.backward()
    assert (a.grad, b.grad) == pytest.approx(grads(x, y), rel=1e-12)
    assert a.grad == pytest.approx(finite_difference(lambda t: f(t, y), x), rel=1e-6)
    assert b.grad == pytest.approx(finite_difference(lambda t: f(x, t), y), rel=1e-6)


def test_data_and_grad_are_settable_python_floats():
    v = Value(3)
    assert type(v.data) is float and v.data == 3.0
    assert type(v.grad) is float and v.grad == 0.0
    v.data = 5.0
    v.grad = 2.0
    w = v * 2
    assert w.data == 10.0 and type(w.data) is float
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"


def test_numpy_scalars_are_numbers():
    v = Value(np.float32(2.0)) * np.int64(3)
    assert v.data == 6.0 and type(v.data) is float


def test_expression_like_micrograd_sanity_check():
    # micrograd's test_sanity_check expression, with the gradient computed by hand:
    # y = relu(z*z*z... ) reduces to y = 8x + 2x^2 + relu(8x+... ) at x = -4
    x = Value(-4.0)
    z = 2 * x + 2 + x
    q = z.relu() + z * x
    h = (z * z).relu()
    y = h + q + q * x
    y.backward()
    # z = 3x + 2 = -10, relu(z) = 0, q = z*x = 40, h = z^2 = 100, y = h + q + q*x = 100 + 40 - 160
    assert y.data == -20.0
    # dy/dx = dh/dx + dq/dx (1 + x) + q, with dh/dx = 2z*3, dq/dx = 3x + z (relu(z)' = 0)
    assert x.grad == 2 * -10 * 3 + (3 * -4 + -10) * (1 - 4) + 40


def test_expression_with_shared_subexpressions_against_finite_differences():
    def f(a, b):
        c = a * b + b**3
        d = (c / (a + 4)).tanh() + (a - b).sigmoid()
        e = d * c - (c * 0.5).exp() + (b * b + 1).log()
        return e + e * a

    def as_float(a, b):
        return f(Value(a), Value(b)).data

    a, b = Value(0.8), Value(-0.3)
    out = f(a, b)
    out.backward()
    assert a.grad == pytest.approx(finite_difference(lambda t: as_float(t, -0.3), 0.8), rel=1e-6)
    assert b.grad == pytest.approx(finite_difference(lambda t: as_float(0.8, t), -0.3), rel=1e-6)


def test_a_node_used_twice_gets_both_contributions():
    a = Value(3.0)
    b = a * a  # db/da = 2a, micrograd issue #64
    b.backward()
    assert a.grad == 6.0
    a2 = Value(-2.0)
    c = a2 + a2 + a2
    c.backward()
    assert a2.grad == 3.0


def test_deep_chain_backpropagates_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(100_000):
        y = -y
    y.backward()
    assert y.data == 1.0 and x.grad == 1.0


def test_gradients_accumulate_into_leaves_across_backward_calls():
    a, b = Value(2.0), Value(-3.0)
    out = (a * b) * 4.0
    out.backward()
    assert (a.grad, b.grad) == (-12.0, 8.0)
    out.backward()
    # leaves accumulate; interior nodes hold this pass's gradient (not a doubled one)
    assert (a.grad, b.grad) == (-24.0, 16.0)
    assert out.grad == 1.0
    a.grad = b.grad = 0.0
    out.backward()
    assert (a.grad, b.grad) == (-12.0, 8.0)


def test_no_grad_records_no_children():
    a = Value(2.0)
    with autograd.no_grad():
        b = a * 3 + 1
    assert b.data == 7.0
    assert b._prev == ()
    b.backward()
    assert a.grad == 0.0
    c = a * 3  # recording is back on
    assert c._prev[0] is a


def test_op_names_and_labels_for_drawing():
    a = Value(2.0, label="a")
    assert a.label == "a" and a._op == ""
    assert (a**2)._op == "**2"
    assert a.exp()._op == "exp" and a.tanh()._op == "tanh" and a.relu()._op == "ReLU"
    b = a * 2
    b.label = "b"
    assert b.label == "b"


def test_micrograd_constructor_and_custom_backward():
    # micrograd users define new ops by hand: children, op name, and a _backward closure
    a = Value(0.5, label="a")
    t = math.tanh(a.data)
    out = Value(t, (a,), "tanh", label="out")
    assert out._prev == (a,) and out._op == "tanh"

    def _backward():
        a.grad += (1 - t**2) * out.grad

    out._backward = _backward
    (out * 2).backward()
    assert a.grad == pytest.approx(2 * (1 - t**2))


def test_hand_built_node_of_three_inputs_and_default_no_op_backward():
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    total = Value(a.data + b.data + c.data, (a, b, c), "sum3")
    assert total._prev == (a, b, c)
    total.backward()  # no _backward given: like micrograd, nothing flows back
    assert (a.grad, b.grad, c.grad) == (0.0, 0.0, 0.0)

    def _backward():
        for v in (a, b, c):
            v.grad += total.grad

    total._backward = _backward
    (total * 2).backward()
    assert (a.grad, b.grad, c.grad) == (2.0, 2.0, 2.0)
    assert "sum3" in autograd.draw_graph(total).source


def test_lecture_style_manual_backward_calls():
    # the lecture calls node._backward() by hand, output first
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    c._backward()
    assert (a.grad, b.grad) == (-3.0, 2.0)


def test_errors_are_clear():
    with pytest.raises(TypeError, match="exponent must be an int or float"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="Value.log: the input must be positive"):
        Value(0.0).log()
    with pytest.raises(ZeroDivisionError, match="dividing 1.0 by zero"):
        Value(1.0) / 0
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Value(0.0) ** -1
    with pytest.raises(ValueError, match="not real"):
        Value(-2.0) ** 0.5
    with pytest.raises(TypeError, match="expected a real number, got str"):
        Value("3")
    with pytest.raises(TypeError, match="unsupported operand"):
        Value(1.0) + "3"
    with pytest.raises(TypeError, match="expected a Value, got float"):
        autograd.value.prepare_backward(1.0)


def test_power_edge_cases_at_zero():
    for n, slope in ((0.5, float("inf")), (0, 0.0), (1, 1.0), (2, 0.0)):
        v = Value(0.0)
        (v**n).backward()
        assert v.grad == slope
    v = Value(3.0)
    out = v ** np.int64(2)
    out.backward()
    assert (out.data, v.grad, out._op) == (9.0, 6.0, "**2")


def test_exp_overflow_is_inf_like_float_math_elsewhere():
    assert Value(1000.0).exp().data == math.inf
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


def test_relu_of_nan_is_nan_and_passes_the_gradient_as_tensor_relu():
    v = Value(float("nan"))
    out = v.relu()
    out.backward()
    assert math.isnan(out.data) and v.grad == 1.0
    t = autograd.tensor([float("nan")], requires_grad=True)
    t.relu().sum().backward()
    assert t.grad.item() == v.grad
    for x, expected in ((0.0, 0.0), (-0.0, 0.0), (1e-300, 1.0)):
        w = Value(x)
        w.relu().backward()
        assert w.grad == expected
