"""Piecewise-linear ops (relu, leaky_relu, abs, sign, clamp, maximum/minimum, max/min, sort/topk) at NaN
inputs, and gradients of their gradients.

At NaN the conventions are PyTorch's, written out below as closed forms: relu passes the gradient
(its backward zeroes it only where x <= 0), leaky_relu scales it by the slope, abs and clamp give 0,
sign(NaN) is 0, maximum/minimum give all of it to both inputs, ``max()`` shares it among the NaN
elements (amax gives NaN; norm(inf) likewise, times sign(NaN) = 0), ``max(dim)`` picks the first NaN,
and sorting puts NaN above everything.

Under create_graph, relu's and leaky_relu's gradients are ops of (grad, x) whose derivative in x is 0
(``ThresholdBackward``, ``LeakyReLUBackward``), so the gradient of such a gradient is zeros of x's
shape, not an error.
"""
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
import nn
from autograd.ops.elementwise import ClampTensor, LeakyReLUBackward, ThresholdBackward

NAN = float("nan")
DTYPES = [ag.float32, ag.float64]
FAST = settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
TRIPLES = hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, min_side=1, max_side=3)
SEEDS = st.integers(0, 2**32 - 1)


def leaf(values, dtype=ag.float64):
    return ag.tensor(np.asarray(values, dtype=np.float64), dtype=dtype, requires_grad=True)


def value_and_grads(fn, *arrays, dtype=ag.float64):
    """fn's value on fresh leaves and the gradients of its sum (None for a leaf it does not reach)."""
    inputs = [leaf(a, dtype) for a in arrays]
    out = fn(*inputs)
    out.sum().backward()
    assert out.dtype == dtype
    return out.detach().numpy(), [None if t.grad is None else t.grad.numpy() for t in inputs]


def assert_same(got, want):
    """Equal (``want`` rounded to ``got``'s dtype), NaN where NaN is wanted."""
    got = np.asarray(got)
    np.testing.assert_array_equal(got, np.asarray(want, dtype=np.float64).astype(got.dtype))


# ------------------------------------------------------------------ NaN inputs
NAN_CASES = [
    # name, fn, inputs, value, gradients
    ("relu", ag.relu, ([1.0, NAN, 3.0, -1.0, 0.0],), [1, NAN, 3, 0, 0], [[1, 1, 1, 0, 0]]),
    ("leaky_relu(0.1)", lambda x: ag.leaky_relu(x, 0.1), ([2.0, NAN, -1.0],), [2, NAN, -0.1], [[1, 0.1, 0.1]]),
    ("leaky_relu(2)", lambda x: ag.leaky_relu(x, 2.0), ([2.0, NAN, -1.0],), [2, NAN, -2], [[1, 2, 2]]),
    ("abs", ag.abs, ([1.0, NAN, -3.0, 0.0],), [1, NAN, 3, 0], [[1, 0, -1, 0]]),
    ("sign", ag.sign, ([1.0, NAN, -3.0, 0.0],), [1, 0, -1, 0], [[0, 0, 0, 0]]),
    ("clamp", lambda x: ag.clamp(x, 0.0, 2.0), ([1.0, NAN, 3.0, -1.0, 2.0],), [1, NAN, 2, 0, 2], [[1, 0, 0, 0, 1]]),
    ("clamp(min)", lambda x: x.clamp(min=0.0), ([1.0, NAN, -1.0],), [1, NAN, 0], [[1, 0, 0]]),
    ("max()", lambda x: x.max(), ([1.0, NAN, 3.0],), NAN, [[0, 1, 0]]),
    ("min()", lambda x: x.min(), ([1.0, NAN, -3.0],), NAN, [[0, 1, 0]]),
    ("max() of two NaNs", lambda x: x.max(), ([NAN, 1.0, NAN],), NAN, [[0.5, 0, 0.5]]),
    ("max() 2-d", lambda x: x.max(), ([[NAN, 1.0], [2.0, NAN]],), NAN, [[[0.5, 0], [0, 0.5]]]),
    # amax's gradient is 1/(number of elements equal to the max): 0/0 in a slice whose max is NaN
    ("amax()", lambda x: x.amax(), ([1.0, NAN, 3.0],), NAN, [[NAN, NAN, NAN]]),
    ("amax(1)", lambda x: x.amax(1), ([[1.0, NAN, 3.0], [4.0, 5.0, 5.0]],), [NAN, 5], [[[NAN] * 3, [0, 0.5, 0.5]]]),
    ("amin(0)", lambda x: x.amin(0), ([[1.0, NAN, 3.0], [4.0, 5.0, NAN]],), [1, NAN, NAN],
     [[[1, NAN, NAN], [0, NAN, NAN]]]),
    # norm(inf) = amax |x|, but at a NaN norm the gradient goes to the NaN, times sign(NaN) = 0
    ("norm(inf)", lambda x: x.norm(float("inf")), ([1.0, NAN, -3.0],), NAN, [[0, 0, 0]]),
    ("norm(inf, dim)", lambda x: x.norm(float("inf"), dim=1), ([[1.0, NAN, -3.0], [2.0, -2.0, 0.5]],), [NAN, 2],
     [[[0, 0, 0], [0.5, -0.5, 0]]]),
    ("norm(-inf, dim)", lambda x: x.norm(float("-inf"), dim=1), ([[1.0, NAN, -3.0], [2.0, -2.0, 0.5]],),
     [NAN, 0.5], [[[0, 0, 0], [0, 0, 1]]]),
    ("max(dim)", lambda x: x.max(dim=1).values, ([[1.0, NAN, 3.0], [4.0, 5.0, 5.0], [NAN, NAN, 1.0]],),
     [NAN, 5, NAN], [[[0, 1, 0], [0, 1, 0], [1, 0, 0]]]),
    ("min(dim)", lambda x: x.min(dim=1).values, ([[1.0, NAN, 3.0], [4.0, 5.0, 5.0]],), [NAN, 4],
     [[[0, 1, 0], [1, 0, 0]]]),
    # maximum: d/da = 0 where a < b, 1/2 where a == b, else 1 (NaN included); d/db likewise
    ("maximum", ag.maximum, ([1.0, NAN, 3.0, NAN, 2.0], [2.0, 1.0, NAN, NAN, 2.0]), [2, NAN, NAN, NAN, 2],
     [[0, 1, 1, 1, 0.5], [1, 1, 1, 1, 0.5]]),
    ("minimum", ag.minimum, ([1.0, NAN, 3.0, NAN, 2.0], [2.0, 1.0, NAN, NAN, 2.0]), [1, NAN, NAN, NAN, 2],
     [[1, 1, 1, 1, 0.5], [0, 1, 1, 1, 0.5]]),
    ("maximum broadcast", ag.maximum, ([[NAN, 1.0], [0.0, 3.0]], [2.0]), [[NAN, 2], [2, 3]],
     [[[1, 0], [0, 1]], [3]]),
    # clamp with Tensor bounds: min(max(x, lo), hi), NaN if any is; d/dx where lo <= x <= hi,
    # d/dlo where x < lo < hi, d/dhi where x > hi or hi < lo
    ("clamp(tensors)", lambda x, lo, hi: ag.clamp(x, lo, hi),
     ([1.0, NAN, 3.0, -1.0], [0.0, 0.0, NAN, 0.0], [2.0, 2.0, 2.0, NAN]), [1, NAN, NAN, NAN],
     [[1, 0, 0, 0], [0, 0, 0, 0], [0, 0, 1, 0]]),
    ("clamp(tensor min)", lambda x, lo: x.clamp(min=lo), ([0.0, 1.0, NAN, 3.0], [1.0, NAN, 2.5, 2.0]),
     [1, NAN, NAN, 3], [[0, 0, 0, 1], [1, 0, 0, 0]]),
    ("clamp(tensor max)", lambda x, hi: x.clamp(max=hi), ([0.0, 1.0, NAN, 3.0], [1.0, NAN, 2.5, 2.0]),
     [0, NAN, NAN, 2], [[1, 0, 0, 0], [0, 0, 0, 1]]),
    ("where", lambda a, b: ag.where(ag.tensor([True, True, False]), a, b), ([1.0, NAN, 3.0], [2.0, 1.0, NAN]),
     [1, NAN, NAN], [[1, 1, 0], [0, 0, 1]]),
    ("sort descending", lambda x: x.sort(descending=True).values * ag.tensor([1.0, 2.0, 3.0, 4.0], dtype=x.dtype),
     ([3.0, NAN, 1.0, 2.0],), [NAN, 6, 6, 4], [[2, 1, 4, 3]]),
    ("topk", lambda x: x.topk(2).values * ag.tensor([1.0, 2.0], dtype=x.dtype), ([3.0, NAN, 1.0, 2.0],), [NAN, 6],
     [[2, 1, 0, 0]]),
    ("topk smallest", lambda x: x.topk(2, largest=False).values, ([3.0, NAN, 1.0, 2.0],), [1, 2], [[0, 0, 1, 1]]),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name,fn,arrays,value,grads", NAN_CASES, ids=[c[0] for c in NAN_CASES])
def test_values_and_gradients_at_nan(name, fn, arrays, value, grads, dtype):
    got_value, got_grads = value_and_grads(fn, *arrays, dtype=dtype)
    assert_same(got_value, value)
    for got, want in zip(got_grads, grads):
        assert_same(got, want)


def test_max_min_along_dim_index_the_first_nan():
    x = ag.tensor([[1.0, NAN, 3.0, NAN], [4.0, 5.0, 5.0, 0.0]])
    assert x.max(dim=1).indices.tolist() == [1, 1]
    assert x.min(dim=1).indices.tolist() == [1, 3]
    assert x.argmax(dim=1).tolist() == [1, 1]


@pytest.mark.parametrize("descending", [False, True])
def test_sort_puts_nan_above_everything(descending):
    x = ag.tensor([NAN, 3.0, float("inf"), NAN, 1.0, -float("inf")])
    values, indices = x.sort(descending=descending)
    # NaN counts as the largest value; ties (the two NaNs) keep their order
    want = [0, 3, 2, 1, 4, 5] if descending else [5, 4, 1, 2, 0, 3]
    assert indices.tolist() == want
    assert_same(values.numpy(), x.numpy()[want])
    columns = ag.tensor([[1.0, NAN], [NAN, 2.0]]).sort(dim=0, descending=descending).indices
    assert columns.tolist() == ([[1, 0], [0, 1]] if descending else [[0, 1], [1, 0]])


def test_clamp_tensor_bounds_crossed_or_equal():
    # min > max: the result is max, whose gradient it is; x < min == max: min, and no gradient at all
    value, (gx, glo, ghi) = value_and_grads(
        lambda x, lo, hi: ag.clamp(x, lo, hi), [0.0, 1.0, 2.0, 3.0], [1.0, 1.0, 2.5, 2.0], [1.0, 1.0, 2.0, 1.0])
    assert_same(value, [1, 1, 2, 1])
    assert_same(gx, [0, 1, 0, 0])
    assert_same(glo, [0, 0, 0, 0])
    assert_same(ghi, [0, 0, 1, 1])


def test_clamp_tensor_bounds_broadcast_and_keep_dtypes():
    value, (gx, glo, ghi) = value_and_grads(
        lambda x, lo, hi: ag.clamp(x, lo, hi), [[0.0, 1.0, 2.0, 3.0]] * 2, [1.0], [[2.0], [NAN]])
    assert_same(value, [[1, 1, 2, 2], [NAN] * 4])
    assert_same(gx, [[0, 1, 1, 0], [0, 0, 0, 0]])
    assert_same(glo, [1])
    assert_same(ghi, [[1], [0]])
    x32 = ag.tensor([1.0, 2.0, 3.0])
    assert ag.clamp(x32, ag.tensor([1.5, 0.0, 0.0], dtype=ag.float64)).dtype == ag.float64
    assert ag.clamp(x32, ag.tensor(1.5, dtype=ag.float64)).dtype == ag.float32  # a 0-d bound takes x's dtype
    assert ag.clamp(ag.tensor([1, 2, 3]), x32).dtype == ag.float32
    assert ag.clamp(x32, None, ag.tensor([2, 2, 2])).tolist() == [1.0, 2.0, 2.0]
    with pytest.raises(RuntimeError, match="clamp"):
        ag.clamp(ag.zeros(1, 3), ag.zeros(2, 1), ag.zeros(3, 1))


# ------------------------------------------------------------------ gradients of gradients
SECOND_ORDER = [
    ("relu", ag.relu, [1.0, 0.0, 1.0]),
    ("F.relu", nn.functional.relu, [1.0, 0.0, 1.0]),
    ("nn.ReLU", nn.ReLU(), [1.0, 0.0, 1.0]),
    ("leaky_relu(0.1)", lambda x: ag.leaky_relu(x, 0.1), [1.0, 0.1, 1.0]),
    ("abs", ag.abs, [1.0, -1.0, 1.0]),
]


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
@pytest.mark.parametrize("name,fn,first", SECOND_ORDER, ids=[c[0] for c in SECOND_ORDER])
def test_gradient_through_piecewise_linear_op_differentiates_to_zeros(name, fn, first, dtype):
    # torch: a = tensor([1., -2., 3.], requires_grad=True); g, = grad(a.relu().sum(), a, create_graph=True)
    # gives g.requires_grad == True, and grad(g.sum(), a) == zeros
    a = leaf([1.0, -2.0, 3.0], dtype)
    (g,) = ag.grad(fn(a).sum(), a, create_graph=True)
    assert_same(g.detach().numpy(), first)
    assert g.requires_grad
    (g2,) = ag.grad(g.sum(), a)
    assert g2.dtype == dtype and g2.shape == a.shape
    assert_same(g2.numpy(), [0, 0, 0])


def test_relu_gradient_is_recorded_as_threshold_backward_of_grad_and_x():
    a = leaf([[1.0, -2.0], [0.0, NAN]])
    w = leaf([[2.0, 3.0], [4.0, 5.0]])
    (g,) = ag.grad((a.relu() * w).sum(), a, create_graph=True)
    assert type(g.grad_fn) is ThresholdBackward and g.grad_fn.name() == "ThresholdBackwardBackward"
    assert_same(g.detach().numpy(), [[2, 0], [0, 5]])  # NaN passes the gradient, 0 does not
    ga, gw = ag.grad((g * g).sum(), [a, w])  # d/dw sum (w m(a))^2 = 2 w m(a)^2; d/da = 0
    assert_same(ga.numpy(), [[0, 0], [0, 0]])
    assert_same(gw.numpy(), [[4, 0], [0, 10]])


def test_leaky_relu_gradient_is_recorded_as_a_function_of_x():
    a = leaf([[1.0, -2.0], [0.0, NAN]])
    w = leaf([[2.0, 3.0], [4.0, 5.0]])
    (g,) = ag.grad((ag.leaky_relu(a, 0.5) * w).sum(), a, create_graph=True)
    assert type(g.grad_fn) is LeakyReLUBackward
    assert_same(g.detach().numpy(), [[2, 1.5], [2, 2.5]])
    ga, gw = ag.grad((g * g).sum(), [a, w])  # 2 w s(a)^2, s = 1 or 0.5
    assert_same(ga.numpy(), [[0, 0], [0, 0]])
    assert_same(gw.numpy(), [[4, 1.5], [2, 2.5]])


def test_clamp_max_and_maximum_gradients_stay_constants_of_the_upstream_gradient():
    # as in PyTorch: their gradients are grad times a constant mask, not functions of the input
    a = leaf([1.0, -2.0, 0.5])
    for fn in (lambda t: t.clamp(-1.0, 1.0), lambda t: t.max(), lambda t: t.amax(0),
               lambda t: t.max(dim=0).values, lambda t: ag.maximum(t, ag.zeros(3, dtype=ag.float64))):
        (g,) = ag.grad(fn(a).sum(), a, create_graph=True)
        assert not g.requires_grad


@pytest.mark.parametrize("dtype", DTYPES, ids=["float32", "float64"])
def test_gradient_penalty_through_linear_relu_linear(dtype):
    """P = sum (dL/dx)^2 for L = sum net(x), net = Linear -> ReLU -> Linear: against the closed form.

    With h = x W1^T + b1, m = [h > 0] and u = sum of W2's rows: dL/dx = (u * m) W1. The mask is
    constant, so dP/dx = 0 and dP/db1 = 0; dP/dW1 = (u * m)^T (2 dL/dx); dP/dW2 has every row equal to
    the sum over the batch of (2 dL/dx W1^T) * m. (b2 does not reach the gradient: no .grad.)"""
    rng = np.random.default_rng(3)
    net = nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)).to(dtype)
    x = ag.tensor(rng.standard_normal((5, 4)), dtype=dtype).requires_grad_()
    (g,) = ag.grad(net(x).sum(), x, create_graph=True)
    assert g.requires_grad
    (g * g).sum().backward()
    first, _, second = net
    W1, b1, W2 = (t.detach().numpy().astype(np.float64) for t in (first.weight, first.bias, second.weight))
    xs = x.detach().numpy().astype(np.float64)
    m = (xs @ W1.T + b1 > 0).astype(np.float64)
    u = W2.sum(0)
    dx = (u * m) @ W1
    rtol = 1e-4 if dtype == ag.float32 else 1e-12
    np.testing.assert_allclose(g.detach().numpy(), dx, rtol=rtol, atol=1e-6)
    assert_same(x.grad.numpy(), np.zeros((5, 4)))
    np.testing.assert_allclose(first.weight.grad.numpy(), (u * m).T @ (2 * dx), rtol=rtol, atol=1e-5)
    assert_same(first.bias.grad.numpy(), np.zeros(6))
    row = (((2 * dx) @ W1.T) * m).sum(0)
    np.testing.assert_allclose(second.weight.grad.numpy(), np.tile(row, (3, 1)), rtol=rtol, atol=1e-5)
    assert second.bias.grad is None


# ------------------------------------------------------------------ gradcheck of the new ops (float64)
def away_from_zero(rng, shape):
    return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 2, shape)


@FAST
@given(shape=SHAPES, seed=SEEDS, slope=st.sampled_from([0.01, 0.3, 2.0, -0.5]))
def test_gradcheck_threshold_and_leaky_relu_backward(shape, seed, slope):
    rng = np.random.default_rng(seed)
    grad, x = leaf(rng.uniform(-2, 2, shape)), leaf(away_from_zero(rng, shape))
    out = ThresholdBackward.apply(grad, x)
    np.testing.assert_array_equal(out.detach().numpy(), grad.detach().numpy() * (x.detach().numpy() > 0))
    assert ag.gradcheck(lambda g, t: ThresholdBackward.apply(g, t), [grad, x])
    out = LeakyReLUBackward.apply(grad, x, slope)
    a, g = x.detach().numpy(), grad.detach().numpy()
    np.testing.assert_allclose(out.detach().numpy(), np.where(a > 0, g, slope * g), rtol=1e-15)
    assert ag.gradcheck(lambda g, t: LeakyReLUBackward.apply(g, t, slope), [grad, x])
    # and the gradient of relu taken with create_graph, differentiated again (third order for relu's mask)
    w = leaf(rng.uniform(-2, 2, shape))

    def gradient(t, v):
        (g,) = ag.grad((ag.relu(t) * v * v).sum() + (ag.leaky_relu(t, slope) * v).sum(), t, create_graph=True)
        return g * t

    assert ag.gradcheck(gradient, [x, w])


@FAST
@given(shapes=TRIPLES, seed=SEEDS, which=st.sampled_from(["both", "min", "max"]))
def test_gradcheck_clamp_with_tensor_bounds(shapes, seed, which):
    rng = np.random.default_rng(seed)
    sizes = [int(np.prod(s)) for s in shapes.input_shapes]
    # all values distinct by >= 0.1 (no ties, so finite differences see one piece), bounds often crossed
    pool = (rng.permutation(sum(sizes)) - sum(sizes) / 2) * 0.1 + rng.uniform(0, 0.05)
    pieces = np.split(pool, np.cumsum(sizes)[:-1])
    x, lo, hi = (leaf(p.reshape(s)) for p, s in zip(pieces, shapes.input_shapes))
    low, high = (lo, hi) if which == "both" else (lo, None) if which == "min" else (None, hi)
    out = ag.clamp(x, low, high)
    assert type(out.grad_fn) is ClampTensor
    a = x.detach().numpy()
    expected = a if low is None else np.maximum(a, low.detach().numpy())
    expected = expected if high is None else np.minimum(expected, high.detach().numpy())
    np.testing.assert_array_equal(out.detach().numpy(), expected)
    assert ag.gradcheck(lambda *ts: ag.clamp(ts[0], *ts[1:]), [x, low, high])
