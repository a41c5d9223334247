"""Every differentiable Tensor op: forward values against numpy, gradients with autograd.gradcheck
in float64 over random shapes (broadcasting, size-1 and 0-d included), and the conventions at
non-differentiable points against PyTorch's values."""
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag

FAST = settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
NONEMPTY_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=3)
SEEDS = st.integers(0, 2**32 - 1)


def leaf(array):
    return ag.tensor(np.asarray(array, dtype=np.float64), requires_grad=True)


def check(fn, reference, *arrays, rtol=1e-10, atol=1e-12):
    """fn on float64 leaves equals reference on the arrays, and its gradients pass gradcheck."""
    inputs = [leaf(a) for a in arrays]
    out = fn(*inputs)
    expected = reference(*arrays)
    assert out.dtype == np.float64
    assert out.shape == np.shape(expected)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=rtol, atol=atol)
    assert ag.gradcheck(fn, inputs)


def values(rng, shape, domain="any"):
    """Random float64 values, kept away from the points where an op is not differentiable."""
    if domain == "any":
        return rng.uniform(-2, 2, shape)
    if domain == "positive":
        return rng.uniform(0.3, 2, shape)
    if domain == "nonzero":
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.1, 2, shape)
    raise ValueError(domain)


def distinct(rng, *shapes):
    """Arrays whose elements are all different (by at least 0.1): no ties for max/min/maximum."""
    sizes = [int(np.prod(s)) for s in shapes]
    pool = (rng.permutation(sum(sizes)) - sum(sizes) / 2) * 0.1 + rng.uniform(0, 0.05)
    out, start = [], 0
    for shape, size in zip(shapes, sizes):
        out.append(pool[start:start + size].reshape(shape))
        start += size
    return out


def dims_of(data, ndim, allow_tuple=True):
    """None, an int (possibly negative) or a tuple of dims, drawn for a tensor of ndim dims."""
    choices = [st.none()]
    if ndim == 0:
        choices.append(st.sampled_from([0, -1, (0,)]))  # PyTorch accepts these on a 0-d tensor
    if ndim:
        choices.append(st.integers(-ndim, ndim - 1))
        if allow_tuple:
            choices.append(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True).map(tuple))
    return data.draw(st.one_of(*choices))


def np_sigmoid(x):
    return 1 / (1 + np.exp(-x))


# ------------------------------------------------------------------ elementwise unary
UNARY = {
    "neg": (ag.neg, np.negative, "any"),
    "-x": (lambda x: -x, np.negative, "any"),
    "abs": (ag.abs, np.abs, "nonzero"),
    "sqrt": (ag.sqrt, np.sqrt, "positive"),
    "exp": (ag.exp, np.exp, "any"),
    "log": (ag.log, np.log, "positive"),
    "sin": (ag.sin, np.sin, "any"),
    "cos": (ag.cos, np.cos, "any"),
    "tanh": (ag.tanh, np.tanh, "any"),
    "sigmoid": (ag.sigmoid, np_sigmoid, "any"),
    "relu": (ag.relu, lambda x: np.maximum(x, 0), "nonzero"),
    "leaky_relu": (ag.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x), "nonzero"),
    "leaky_relu(0.2)": (lambda x: ag.leaky_relu(x, 0.2), lambda x: np.where(x > 0, x, 0.2 * x), "nonzero"),
    "softplus": (ag.softplus, lambda x: np.log1p(np.exp(x)), "any"),
    "softplus(beta=2)": (lambda x: ag.softplus(x, beta=2.0), lambda x: np.log1p(np.exp(2 * x)) / 2, "any"),
    "clamp": (lambda x: ag.clamp(x, -0.95, 1.05), lambda x: np.clip(x, -0.95, 1.05), "any"),
    "clamp(min)": (lambda x: ag.clamp(x, min=0.05), lambda x: np.maximum(x, 0.05), "any"),
    "clamp(max)": (lambda x: x.clamp(max=0.05), lambda x: np.minimum(x, 0.05), "any"),
    "clip": (lambda x: ag.clip(x, -0.95, 1.05), lambda x: np.clip(x, -0.95, 1.05), "any"),
    "x ** 3": (lambda x: x**3, lambda x: x**3, "any"),
    "x ** -1.5": (lambda x: x**-1.5, lambda x: x**-1.5, "positive"),
    "x ** 0.5": (lambda x: ag.pow(x, 0.5), np.sqrt, "positive"),
    "x ** 0": (lambda x: x**0, lambda x: x**0, "any"),
    "2 ** x": (lambda x: 2.0**x, lambda x: 2.0**x, "any"),
    "x + 1.5": (lambda x: x + 1.5, lambda x: x + 1.5, "any"),
    "1.5 - x": (lambda x: 1.5 - x, lambda x: 1.5 - x, "any"),
    "3 * x": (lambda x: 3 * x, lambda x: 3 * x, "any"),
    "1 / x": (lambda x: 1 / x, lambda x: 1 / x, "nonzero"),
    "x / 4": (lambda x: x / 4, lambda x: x / 4, "any"),
    "clone": (lambda x: x.clone(), lambda x: x, "any"),
    "to(float64)": (lambda x: x.to(ag.float64), lambda x: x, "any"),
    "method exp": (lambda x: x.exp(), np.exp, "any"),
}


@pytest.mark.parametrize("name", list(UNARY))
@FAST
@given(shape=SHAPES, seed=SEEDS)
def test_unary(name, shape, seed):
    fn, reference, domain = UNARY[name]
    x = values(np.random.default_rng(seed), shape, domain)
    check(fn, reference, x)


def test_clamp_avoiding_bounds_has_unit_and_zero_gradients():
    x = leaf([-2.0, -0.5, 0.5, 2.0])
    x.clamp(-1, 1).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0, 1, 1, 0])


def test_softplus_threshold_is_linear_above():
    # beta * x > threshold: softplus returns x exactly; gradcheck both sides of the threshold.
    x = np.array([-1.0, 0.4, 1.3, 2.5])
    check(lambda t: ag.softplus(t, beta=2.0, threshold=2.0),
          lambda a: np.where(2 * a > 2, a, np.log1p(np.exp(2 * a)) / 2), x)


def test_softplus_large_input_does_not_overflow():
    out = ag.softplus(ag.tensor([1000.0, -1000.0]))
    np.testing.assert_allclose(out.numpy(), [1000.0, 0.0])


def test_sigmoid_is_stable_at_extremes():
    x = leaf([-1000.0, 1000.0, 0.0])
    y = ag.sigmoid(x)
    np.testing.assert_allclose(y.detach().numpy(), [0.0, 1.0, 0.5])
    y.sum().backward()
    assert np.all(np.isfinite(x.grad.numpy()))


# ------------------------------------------------------------------ elementwise binary
BINARY = {
    "add": (ag.add, np.add, "any", "any"),
    "+": (lambda a, b: a + b, np.add, "any", "any"),
    "add(alpha)": (lambda a, b: ag.add(a, b, alpha=2.5), lambda a, b: a + 2.5 * b, "any", "any"),
    "sub": (ag.sub, np.subtract, "any", "any"),
    "sub(alpha)": (lambda a, b: a.sub(b, alpha=0.5), lambda a, b: a - 0.5 * b, "any", "any"),
    "mul": (ag.mul, np.multiply, "any", "any"),
    "div": (ag.div, np.divide, "any", "nonzero"),
    "/": (lambda a, b: a / b, np.divide, "any", "nonzero"),
    "pow": (ag.pow, np.power, "positive", "any"),
    "**": (lambda a, b: a**b, np.power, "positive", "any"),
}


@pytest.mark.parametrize("name", list(BINARY))
@FAST
@given(shapes=PAIRS, seed=SEEDS)
def test_binary_broadcasting(name, shapes, seed):
    fn, reference, domain_a, domain_b = BINARY[name]
    rng = np.random.default_rng(seed)
    shape_a, shape_b = shapes.input_shapes
    check(fn, reference, values(rng, shape_a, domain_a), values(rng, shape_b, domain_b))


@pytest.mark.parametrize("name,fn,reference", [
    ("maximum", ag.maximum, np.maximum),
    ("minimum", ag.minimum, np.minimum),
    ("max(a, b)", lambda a, b: ag.max(a, b), np.maximum),
    ("min(a, b)", lambda a, b: a.min(b), np.minimum),
    ("clamp(tensor bounds)", lambda a, b: ag.clamp(a, min=b), np.maximum),
])
@FAST
@given(shapes=PAIRS, seed=SEEDS)
def test_maximum_minimum_without_ties(name, fn, reference, shapes, seed):
    a, b = distinct(np.random.default_rng(seed), *shapes.input_shapes)
    check(fn, reference, a, b)


@FAST
@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3), seed=SEEDS)
def test_where_broadcasting(shapes, seed):
    rng = np.random.default_rng(seed)
    shape_c, shape_a, shape_b = shapes.input_shapes
    condition = rng.random(shape_c) > 0.5
    a, b = values(rng, shape_a), values(rng, shape_b)
    check(lambda x, y: ag.where(ag.tensor(condition), x, y), lambda x, y: np.where(condition, x, y), a, b)
    check(lambda x, y: x.where(ag.tensor(condition), y), lambda x, y: np.where(condition, x, y), a, b)


def test_where_with_a_number_branch():
    condition = np.array([True, False, True])
    x = np.array([1.0, 2.0, 3.0])
    check(lambda t: ag.where(ag.tensor(condition), t, 0.0), lambda a: np.where(condition, a, 0.0), x)
    check(lambda t: ag.where(ag.tensor(condition), -1.0, t), lambda a: np.where(condition, -1.0, a), x)
    # two numbers, as torch.where(c, 1.0, 0.0) -> float32 and torch.where(c, 1, 0) -> int64
    both = ag.where(ag.tensor(condition), 1.0, 0.0)
    assert both.dtype == np.float32 and both.tolist() == [1.0, 0.0, 1.0]
    assert ag.where(ag.tensor(condition), 1, 0).dtype == np.int64


@FAST
@given(shape=SHAPES, seed=SEEDS)
def test_number_to_the_tensor_and_tensor_exponent(shape, seed):
    rng = np.random.default_rng(seed)
    e = values(rng, shape)
    check(lambda t: 3.0**t, lambda a: 3.0**a, e)
    check(lambda t: ag.pow(1.7, t), lambda a: 1.7**a, e)
    base = values(rng, shape, "positive")
    check(lambda b, t: b**t, np.power, base, e)


def test_pow_with_tensor_exponent_at_zero_base_follows_pytorch():
    # torch: (a ** b).sum().backward() for a=[0,0,2], b=[2,0,3] gives
    # a.grad = [0, 0, 12], b.grad = [0, 0, 8 log 2 = 5.545177444479562]
    a, b = leaf([0.0, 0.0, 2.0]), leaf([2.0, 0.0, 3.0])
    (a**b).sum().backward()
    np.testing.assert_allclose(a.grad.numpy(), [0.0, 0.0, 12.0])
    np.testing.assert_allclose(b.grad.numpy(), [0.0, 0.0, 5.545177444479562])


def test_integer_tensor_times_python_float_is_float32():
    out = ag.tensor([1, 2]) * 1.5
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), [1.5, 3.0])


# Result dtypes as PyTorch gives them (torch 2.x, same expressions with torch.tensor); numpy alone
# would give float64 for every one of these.
INT = [1, 2]
PROMOTION = {
    "int64 / 2": (lambda: ag.tensor(INT) / 2, np.float32),
    "int64 / int64": (lambda: ag.tensor(INT) / ag.tensor(INT), np.float32),
    "2 / int64": (lambda: 2 / ag.tensor(INT), np.float32),
    "int64 + float32": (lambda: ag.tensor(INT) + ag.tensor([1.0, 2.0]), np.float32),
    "float32 / int64": (lambda: ag.tensor([1.0, 2.0]) / ag.tensor(INT), np.float32),
    "int32 * float32": (lambda: ag.tensor(INT, dtype=ag.int32) * ag.tensor([1.0, 2.0]), np.float32),
    "bool * float32": (lambda: ag.tensor([True, False]) * ag.tensor([1.0, 2.0]), np.float32),
    "int64 + float64": (lambda: ag.tensor(INT) + ag.tensor(np.array([1.0, 2.0])), np.float64),
    "maximum(int64, float32)": (lambda: ag.maximum(ag.tensor(INT), ag.tensor([1.0, 2.0])), np.float32),
    "where(c, int64, float32)": (lambda: ag.where(ag.tensor([True, False]), ag.tensor(INT), ag.tensor([1.0, 2.0])),
                                 np.float32),
    "float32 * np.float64 scalar": (lambda: ag.tensor([1.0, 2.0]) * np.float64(2.0), np.float32),
    "exp(int64)": (lambda: ag.exp(ag.tensor(INT)), np.float32),
    "log(int64)": (lambda: ag.tensor(INT).log(), np.float32),
    "sqrt(int64)": (lambda: ag.sqrt(ag.tensor(INT)), np.float32),
    "sin(int64)": (lambda: ag.sin(ag.tensor(INT)), np.float32),
    "cos(int64)": (lambda: ag.cos(ag.tensor(INT)), np.float32),
    "tanh(int64)": (lambda: ag.tanh(ag.tensor(INT)), np.float32),
    "sigmoid(int64)": (lambda: ag.sigmoid(ag.tensor(INT)), np.float32),
    "clamp(int64, max=1.5)": (lambda: ag.clamp(ag.tensor(INT), max=1.5), np.float32),
    "int64 * 2": (lambda: ag.tensor(INT) * 2, np.int64),
    "int32 + int64": (lambda: ag.tensor(INT, dtype=ag.int32) + ag.tensor(INT), np.int64),
    "float32 + float64": (lambda: ag.tensor([1.0]) + ag.tensor(np.array([1.0])), np.float64),
    "cat(float32, int64)": (lambda: ag.cat([ag.tensor([1.0]), ag.tensor([2])]), np.float32),
    "cat(float32, float64)": (lambda: ag.cat([ag.tensor([1.0]), ag.tensor(np.array([2.0]))]), np.float64),
    "stack(int64, float32)": (lambda: ag.stack([ag.tensor([2]), ag.tensor([1.0])]), np.float32),
    # torch refuses int64 @ float32; we promote as for the elementwise ops rather than widen to float64
    "int64 @ float32": (lambda: ag.tensor([[1, 2]]) @ ag.tensor([[1.0], [2.0]]), np.float32),
}


@pytest.mark.parametrize("name", list(PROMOTION))
def test_dtype_promotion_follows_pytorch(name):
    make, dtype = PROMOTION[name]
    assert make().dtype == dtype


def test_promoted_values_are_right():
    np.testing.assert_allclose((ag.tensor(INT) / 2).numpy(), [0.5, 1.0])
    np.testing.assert_allclose(ag.clamp(ag.tensor(INT), max=1.5).numpy(), [1.0, 1.5])
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    y = x / ag.tensor([2, 4])
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), [0.5, 0.25])


FLOAT32_OPS = {
    "add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b, "div": lambda a, b: a / b,
    "pow": lambda a, b: a**b, "maximum": ag.maximum, "minimum": ag.minimum, "matmul": lambda a, b: a @ b.T,
    "where": lambda a, b: ag.where(a > 1, a, b), "abs": lambda a, b: ag.abs(a) * b, "sqrt": lambda a, b: a.sqrt(),
    "exp": lambda a, b: a.exp(), "log": lambda a, b: a.log(), "sin": lambda a, b: a.sin(), "cos": lambda a, b: a.cos(),
    "tanh": lambda a, b: a.tanh(), "sigmoid": lambda a, b: a.sigmoid(), "relu": lambda a, b: a.relu(),
    "leaky_relu": lambda a, b: ag.leaky_relu(a), "softplus": lambda a, b: ag.softplus(a),
    "clamp": lambda a, b: a.clamp(0.7, 1.5), "sum": lambda a, b: a.sum(1), "mean": lambda a, b: a.mean(1),
    "var": lambda a, b: a.var(1), "std": lambda a, b: a.std(), "amax": lambda a, b: a.amax(1),
    "max(dim)": lambda a, b: a.max(1).values, "logsumexp": lambda a, b: a.logsumexp(1),
    "softmax": lambda a, b: a.softmax(1) * a, "log_softmax": lambda a, b: a.log_softmax(1),
    "getitem": lambda a, b: a[[0, 0, 1]], "mask": lambda a, b: a[a > 1], "gather": lambda a, b: a.gather(1, ag.tensor([[0], [2]])),
    "cat": lambda a, b: ag.cat([a, b]), "stack": lambda a, b: ag.stack([a, a]), "expand": lambda a, b: b.expand(4, 2, 3),
    "linear": lambda a, b: ag.linear(a, ag.ones(4, 3), ag.ones(4)), "x ** 0.5": lambda a, b: a**0.5,
    "1 / x": lambda a, b: 1 / a, "1 - x": lambda a, b: 1 - a, "2 ** x": lambda a, b: 2**a,
}


@pytest.mark.parametrize("name", list(FLOAT32_OPS))
def test_float32_graphs_stay_float32(name):
    # no float64 temporaries: values, gradients and second-order gradients keep float32
    rng = np.random.default_rng(0)
    a = ag.tensor(rng.uniform(0.5, 2, (2, 3)).astype(np.float32), requires_grad=True)
    b = ag.tensor(rng.uniform(0.5, 2, (1, 3)).astype(np.float32), requires_grad=True)
    out = FLOAT32_OPS[name](a, b)
    assert out.dtype == np.float32
    grads = ag.grad((out * out).sum(), [a, b], create_graph=True, allow_unused=True)
    for g in grads:
        assert g is None or g.dtype == np.float32
    (out * out).sum().backward()
    assert a.grad is None or a.grad.dtype == np.float32


def test_float32_stays_float32_with_python_numbers():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    for out in (x * 2.0, x + 1, 2.0 ** x, x ** 2, x / 3, ag.exp(x), ag.sigmoid(x)):
        assert out.dtype == np.float32
    (x * 2.0).sum().backward()
    assert x.grad.dtype == np.float32


# --------------------------------------------------- conventions at non-differentiable points
# Each expected value below is what PyTorch 2.x computes for the same expression, e.g.
# torch.maximum(a, b).sum().backward() with a=[1,2,3], b=[1,0,3].
def grads_of(fn, *arrays):
    inputs = [leaf(a) for a in arrays]
    fn(*inputs).sum().backward()
    return [t.grad.numpy() for t in inputs]


TIES = [
    # torch: a.grad = [0.5, 1, 0.5], b.grad = [0.5, 0, 0.5]
    ("maximum", ag.maximum, ([1.0, 2.0, 3.0], [1.0, 0.0, 3.0]), [[0.5, 1, 0.5], [0.5, 0, 0.5]]),
    ("minimum", ag.minimum, ([1.0, 2.0, 3.0], [1.0, 0.0, 3.0]), [[0.5, 0, 0.5], [0.5, 1, 0.5]]),
    ("abs", ag.abs, ([0.0, -1.0, 2.0],), [[0.0, -1.0, 1.0]]),
    ("relu", ag.relu, ([0.0, -1.0, 2.0],), [[0.0, 0.0, 1.0]]),
    ("leaky_relu(0.1)", lambda x: ag.leaky_relu(x, 0.1), ([0.0, -1.0, 2.0],), [[0.1, 0.1, 1.0]]),
    # clamp's bounds are inclusive: gradient 1 at x == min and x == max
    ("clamp", lambda x: ag.clamp(x, -1, 1), ([-1.0, 1.0, 2.0, -2.0, 0.0],), [[1, 1, 0, 0, 1]]),
    ("clamp(min)", lambda x: ag.clamp(x, min=0), ([0.0, 1.0, -2.0],), [[1, 1, 0]]),
    # with tensor bounds too: torch gives x.grad = [1, 1, 1], lo.grad = hi.grad = 0 at the ties
    ("clamp(tensor bounds) ties", lambda x, lo, hi: ag.clamp(x, lo, hi),
     ([1.0, 2.0, 3.0], [1.0, 1.0, 1.0], [3.0, 3.0, 3.0]), [[1, 1, 1], [0, 0, 0], [0, 0, 0]]),
    ("clamp(tensor bounds)", lambda x, lo, hi: ag.clamp(x, lo, hi),
     ([0.0, 2.0, 4.0], [1.0, 1.0, 1.0], [3.0, 3.0, 3.0]), [[0, 1, 0], [1, 0, 0], [0, 0, 1]]),
    ("amax", ag.amax, ([1.0, 3.0, 3.0, 2.0],), [[0, 0.5, 0.5, 0]]),
    ("amax(dim)", lambda x: ag.amax(x, dim=1), ([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]],),
     [[[0, 0.5, 0.5], [0.5, 0.5, 0]]]),
    ("amin", ag.amin, ([1.0, 0.0, 0.0, 2.0],), [[0, 0.5, 0.5, 0]]),
    ("max()", ag.max, ([1.0, 3.0, 3.0, 2.0],), [[0, 0.5, 0.5, 0]]),
    ("min()", ag.min, ([1.0, 0.0, 0.0, 2.0],), [[0, 0.5, 0.5, 0]]),
    # along a dim the gradient goes to the one returned index (the first maximal element)
    ("max(dim)", lambda x: ag.max(x, dim=1).values, ([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]],),
     [[[0, 1, 0], [1, 0, 0]]]),
    ("min(dim)", lambda x: ag.min(x, dim=1).values, ([[1.0, 0.0, 0.0], [2.0, 2.0, 5.0]],),
     [[[0, 1, 0], [1, 0, 0]]]),
    ("2 ** x", lambda x: 2.0**x, ([0.0, 1.0],), [[0.6931471805599453, 1.3862943611198906]]),
    # softplus is linear only strictly above the threshold: at beta*x == threshold it is sigmoid(1)
    ("softplus(threshold=1)", lambda x: ag.softplus(x, threshold=1.0), ([1.0, 1.5, 0.5],),
     [[0.7310585786300049, 1.0, 0.6224593312018546]]),
]


@pytest.mark.parametrize("name,fn,arrays,expected", TIES, ids=[t[0] for t in TIES])
def test_gradient_conventions_match_pytorch(name, fn, arrays, expected):
    for got, want in zip(grads_of(fn, *arrays), expected):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_max_along_dim_returns_first_index_on_ties():
    # torch.max(tensor([[1,3,3],[2,2,0]]), dim=1).indices == [1, 0]
    values_, indices = ag.max(ag.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]]), dim=1)
    np.testing.assert_array_equal(indices.numpy(), [1, 0])
    np.testing.assert_array_equal(values_.numpy(), [3.0, 2.0])


# ------------------------------------------------------------------ reductions
def np_dims(dim):
    return dim if dim is None or isinstance(dim, tuple) else (dim,)


@pytest.mark.parametrize("name", ["sum", "mean"])
@FAST
@given(data=st.data(), shape=SHAPES, seed=SEEDS, keepdim=st.booleans())
def test_sum_mean(name, data, shape, seed, keepdim):
    dim = dims_of(data, len(shape))
    x = values(np.random.default_rng(seed), shape)
    ours = getattr(ag, name)
    reference = getattr(np, name)
    axis = np_dims(dim) if shape else None
    check(lambda t: ours(t, dim=dim, keepdim=keepdim), lambda a: reference(a, axis=axis, keepdims=keepdim), x)
    check(lambda t: getattr(t, name)(dim, keepdim), lambda a: reference(a, axis=axis, keepdims=keepdim), x)


def test_sum_of_0d_and_sum_over_tuple():
    check(lambda t: t.sum(), np.sum, np.array(2.5))
    check(lambda t: t.sum(dim=(0, 2)), lambda a: a.sum(axis=(0, 2)), np.arange(24.0).reshape(2, 3, 4))
    check(lambda t: t.mean(dim=(-1, 0), keepdim=True), lambda a: a.mean(axis=(0, 2), keepdims=True),
          np.arange(24.0).reshape(2, 3, 4))


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("kwargs,ddof", [
    ({}, 1), ({"unbiased": True}, 1), ({"unbiased": False}, 0), ({"correction": 0}, 0), ({"correction": 2}, 2),
])
@FAST
@given(data=st.data(), shape=NONEMPTY_SHAPES, seed=SEEDS, keepdim=st.booleans())
def test_var_std(name, kwargs, ddof, data, shape, seed, keepdim):
    dim = dims_of(data, len(shape))
    axes = np_dims(dim)
    count = int(np.prod(shape if axes is None else [shape[a] for a in axes]))
    if count - ddof <= 0:
        return
    x = values(np.random.default_rng(seed), shape)
    reference = getattr(np, name)
    check(lambda t: getattr(ag, name)(t, dim=dim, keepdim=keepdim, **kwargs),
          lambda a: reference(a, axis=axes, ddof=ddof, keepdims=keepdim), x)


def test_an_empty_dim_tuple_reduces_everything():
    # torch: x.sum(dim=()) == x.sum() (likewise mean, var, std, amax); squeeze(()) changes nothing
    x = np.arange(6.0).reshape(2, 3)
    check(lambda t: t.sum(dim=()), np.sum, x)
    check(lambda t: t.mean(dim=[], keepdim=True), lambda a: a.mean(keepdims=True), x)
    check(lambda t: t.var(dim=()), lambda a: a.var(ddof=1), x)
    check(lambda t: t.std(dim=()), lambda a: a.std(ddof=1), x)
    check(lambda t: t.amax(dim=()), np.max, x + np.arange(6).reshape(2, 3) * 0.1)
    assert ag.zeros(1, 3, 1).squeeze(()).shape == (1, 3, 1)


def test_var_correction_matches_pytorch():
    # torch.var(tensor([1., 2., 4.]), correction=2) == 4.6667
    np.testing.assert_allclose(ag.var(ag.tensor([1.0, 2.0, 4.0]), correction=2).item(), 14 / 3, rtol=1e-6)
    np.testing.assert_allclose(ag.tensor([1.0, 2.0, 4.0]).std(unbiased=False).item(), np.std([1, 2, 4]), rtol=1e-6)


def test_std_gradient_is_zero_where_all_values_are_equal():
    # torch: x = tensor([1.5], requires_grad=True); x.std(unbiased=False).backward() gives x.grad == [0.]
    # (not nan: PyTorch's std backward masks 1/(2 std) where std == 0)
    x = leaf([1.5])
    x.std(unbiased=False).backward()
    np.testing.assert_array_equal(x.grad.numpy(), [0.0])
    y = leaf([[2.0, 2.0], [1.0, 3.0]])
    y.std(dim=1).sum().backward()
    np.testing.assert_allclose(y.grad.numpy(), [[0.0, 0.0], [-0.5**0.5, 0.5**0.5]])


@pytest.mark.parametrize("name", ["amax", "amin"])
@FAST
@given(data=st.data(), shape=NONEMPTY_SHAPES, seed=SEEDS, keepdim=st.booleans())
def test_amax_amin_without_ties(name, data, shape, seed, keepdim):
    dim = dims_of(data, len(shape))
    (x,) = distinct(np.random.default_rng(seed), shape)
    reference = np.max if name == "amax" else np.min
    kwargs = {} if dim is None else {"dim": dim}
    check(lambda t: getattr(ag, name)(t, keepdim=keepdim, **kwargs),
          lambda a: reference(a, axis=np_dims(dim), keepdims=keepdim), x)


@pytest.mark.parametrize("name", ["max", "min"])
@FAST
@given(data=st.data(), shape=SHAPES, seed=SEEDS, keepdim=st.booleans())
def test_max_min_whole_and_along_dim(name, data, shape, seed, keepdim):
    (x,) = distinct(np.random.default_rng(seed), shape)
    reduce, arg = (np.max, np.argmax) if name == "max" else (np.min, np.argmin)
    check(lambda t: getattr(ag, name)(t), reduce, x)
    check(lambda t: getattr(t, name)(), reduce, x)
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    result = getattr(ag, name)(leaf(x), dim=dim, keepdim=keepdim)
    values_, indices = result
    assert result.values is values_ and result.indices is indices
    axis = dim if x.ndim else None
    np.testing.assert_array_equal(indices.numpy(), arg(x, axis=axis, keepdims=keepdim) if x.ndim else 0)
    assert indices.dtype == np.int64 and not indices.requires_grad
    check(lambda t: getattr(ag, name)(t, dim=dim, keepdim=keepdim).values,
          lambda a: reduce(a, axis=axis, keepdims=keepdim) if a.ndim else a, x)


def np_logsumexp(a, axis, keepdims=False):
    m = np.max(a, axis=axis, keepdims=True)
    out = np.log(np.sum(np.exp(a - m), axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


def np_softmax(a, axis):
    e = np.exp(a - a.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


@FAST
@given(data=st.data(), shape=NONEMPTY_SHAPES, seed=SEEDS, keepdim=st.booleans())
def test_logsumexp(data, shape, seed, keepdim):
    dim = data.draw(st.one_of(st.integers(-len(shape), len(shape) - 1),
                              st.lists(st.integers(0, len(shape) - 1), min_size=1, unique=True).map(tuple)))
    x = values(np.random.default_rng(seed), shape) * 3
    check(lambda t: ag.logsumexp(t, dim, keepdim=keepdim), lambda a: np_logsumexp(a, np_dims(dim), keepdim), x)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@FAST
@given(data=st.data(), shape=NONEMPTY_SHAPES, seed=SEEDS)
def test_softmax_log_softmax(name, data, shape, seed):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = values(np.random.default_rng(seed), shape) * 3
    reference = np_softmax if name == "softmax" else (lambda a, axis: np.log(np_softmax(a, axis)))
    check(lambda t: getattr(ag, name)(t, dim), lambda a: reference(a, dim), x)
    # the gradient of a weighted sum (not only of the sum, which is ~0 for softmax)
    w = values(np.random.default_rng(seed + 1), shape)
    check(lambda t: (getattr(t, name)(dim) * ag.tensor(w)).sum(), lambda a: (reference(a, dim) * w).sum(), x)


def test_softmax_family_is_stable_at_large_logits():
    x = leaf([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]])
    logp = ag.log_softmax(x, dim=1)
    np.testing.assert_allclose(logp.detach().numpy(), [[0.0, -2e4, -1e4], [-np.log(3)] * 3], rtol=1e-12)
    np.testing.assert_allclose(ag.softmax(x, dim=1).detach().numpy(), [[1, 0, 0], [1 / 3] * 3], atol=1e-12)
    np.testing.assert_allclose(ag.logsumexp(x, dim=1).detach().numpy(), [1e4, -1e4 + np.log(3)], rtol=1e-12)
    (logp[:, 0].sum() + ag.logsumexp(x, 1).sum()).backward()
    assert np.all(np.isfinite(x.grad.numpy()))


# A dim of a 0-d tensor: PyTorch accepts 0 and -1 and treats the tensor as its one element.
# Expected (shape, value, gradient) at x = 2.0 are torch 2.x's, e.g. torch.tensor(2.).softmax(0) == 1.
ZERO_D = {
    "sum(0)": (lambda x: x.sum(0), (), 2.0, 1.0),
    "sum(-1, keepdim)": (lambda x: x.sum(-1, keepdim=True), (), 2.0, 1.0),
    "sum((0,))": (lambda x: x.sum((0,)), (), 2.0, 1.0),
    "mean(0)": (lambda x: x.mean(0), (), 2.0, 1.0),
    "var(0, correction=0)": (lambda x: x.var(0, correction=0), (), 0.0, 0.0),
    "std(0, correction=0)": (lambda x: x.std(0, correction=0), (), 0.0, 0.0),
    "amax(0)": (lambda x: x.amax(0), (), 2.0, 1.0),
    "amin(-1)": (lambda x: x.amin(-1), (), 2.0, 1.0),
    "logsumexp(0)": (lambda x: x.logsumexp(0), (), 2.0, 1.0),
    "softmax(0)": (lambda x: x.softmax(0), (), 1.0, 0.0),
    "log_softmax(-1)": (lambda x: x.log_softmax(-1), (), 0.0, 0.0),
    "max(0)": (lambda x: x.max(0).values, (), 2.0, 1.0),
    "min(0, keepdim)": (lambda x: x.min(0, keepdim=True).values, (), 2.0, 1.0),
    "squeeze(0)": (lambda x: x.squeeze(0), (), 2.0, 1.0),
    "transpose(0, -1)": (lambda x: x.transpose(0, -1), (), 2.0, 1.0),
    "flatten": (lambda x: x.flatten(), (1,), 2.0, 1.0),
    "unsqueeze(0)": (lambda x: x.unsqueeze(0), (1,), 2.0, 1.0),
    "gather(0)": (lambda x: x.gather(0, ag.tensor(0)), (), 2.0, 1.0),
    "permute()": (lambda x: x.permute(()), (), 2.0, 1.0),
    "expand(3)": (lambda x: x.expand(3), (3,), 6.0, 3.0),
    "x[None]": (lambda x: x[None], (1,), 2.0, 1.0),
    "view(-1)": (lambda x: x.view(-1), (1,), 2.0, 1.0),
}


@pytest.mark.parametrize("name", list(ZERO_D))
def test_dims_of_a_0d_tensor(name):
    fn, shape, total, gradient = ZERO_D[name]
    x = leaf(2.0)
    out = fn(x)
    assert out.shape == shape
    assert out.detach().numpy().sum() == pytest.approx(total)
    out.sum().backward()
    assert x.grad.item() == pytest.approx(gradient)
    assert ag.gradcheck(lambda t: fn(t) * 1.5, [leaf(0.7)])


def test_max_min_argmax_over_empty_dims():
    # torch.zeros(0, 3).max(1) gives empty values/indices; reducing the empty dim 0 is an IndexError
    values_, indices = ag.zeros(0, 3).max(1)
    assert values_.shape == (0,) and indices.shape == (0,) and indices.dtype == np.int64
    assert ag.zeros(0, 3).argmax(1).shape == (0,) and ag.zeros(0, 3).amax(1).shape == (0,)
    for reduce in (lambda t: t.max(0), lambda t: t.argmax(0), lambda t: t.amax(0), lambda t: t.amin()):
        with pytest.raises(IndexError, match="non-zero size"):
            reduce(ag.zeros(0, 3))


def test_reductions_over_empty_dims_follow_pytorch():
    # torch: zeros(0, 3).softmax(0) is empty, zeros(2, 0).logsumexp(1) == [-inf, -inf],
    # zeros(0, 3).mean(0) == [nan, nan, nan] (no warning), zeros(0, 3).sum(0) == [0, 0, 0]
    assert ag.zeros(0, 3).softmax(0).shape == (0, 3)
    assert ag.zeros(2, 0).log_softmax(1).shape == (2, 0)
    np.testing.assert_array_equal(ag.zeros(2, 0).logsumexp(1).numpy(), [-np.inf, -np.inf])
    np.testing.assert_array_equal(ag.zeros(0, 3).sum(0).numpy(), [0.0, 0.0, 0.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(ag.zeros(0, 3).mean(0).numpy()).all() and np.isnan(ag.zeros(0).mean().item())
    x = ag.zeros(2, 0, dtype=ag.float64, requires_grad=True)
    (x.logsumexp(1).sum() + x.softmax(1).sum() + x.mean(0).sum()).backward()
    assert x.grad.shape == (2, 0)


# ------------------------------------------------------------------ shape ops
@FAST
@given(shape=SHAPES, seed=SEEDS, data=st.data())
def test_reshape_view_flatten(shape, seed, data):
    x = values(np.random.default_rng(seed), shape)
    n = x.size
    target = data.draw(st.sampled_from([(n,), (1, n), (n, 1), (-1,), (1, -1, 1)]))
    check(lambda t: t.reshape(target), lambda a: a.reshape(target), x)
    check(lambda t: ag.reshape(t, target), lambda a: a.reshape(target), x)
    check(lambda t: t.view(*target), lambda a: a.reshape(target), x)
    check(lambda t: t.flatten(), lambda a: a.reshape(-1), x)
    if x.ndim >= 2:
        check(lambda t: ag.flatten(t, start_dim=1), lambda a: a.reshape(a.shape[0], -1), x)
        check(lambda t: t.flatten(0, -2), lambda a: a.reshape(-1, a.shape[-1]), x)


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_transpose_permute_T_mT(shape, seed, data):
    x = values(np.random.default_rng(seed), shape)
    nd = x.ndim
    d0, d1 = data.draw(st.integers(-nd, nd - 1)), data.draw(st.integers(-nd, nd - 1))
    check(lambda t: t.transpose(d0, d1), lambda a: np.swapaxes(a, d0, d1), x)
    check(lambda t: ag.transpose(t, d0, d1), lambda a: np.swapaxes(a, d0, d1), x)
    order = tuple(data.draw(st.permutations(range(nd))))
    check(lambda t: t.permute(*order), lambda a: np.transpose(a, order), x)
    check(lambda t: ag.permute(t, order), lambda a: np.transpose(a, order), x)
    check(lambda t: t.T, lambda a: a.T, x)
    if nd >= 2:
        check(lambda t: t.mT, lambda a: np.swapaxes(a, -1, -2), x)
    if nd <= 2:
        check(lambda t: t.t(), lambda a: a.T, x)


def test_T_of_0d():
    check(lambda t: t.T * 2, lambda a: a * 2, np.array(1.5))


@FAST
@given(shape=SHAPES, seed=SEEDS, data=st.data())
def test_unsqueeze_squeeze(shape, seed, data):
    x = values(np.random.default_rng(seed), shape)
    dim = data.draw(st.integers(-x.ndim - 1, x.ndim))
    check(lambda t: t.unsqueeze(dim), lambda a: np.expand_dims(a, dim), x)
    check(lambda t: ag.unsqueeze(t, dim).squeeze(dim), lambda a: a, x)
    check(lambda t: t.squeeze(), np.squeeze, x)
    check(lambda t: ag.squeeze(t), np.squeeze, x)
    if x.ndim:
        d = data.draw(st.integers(-x.ndim, x.ndim - 1))
        expected = (lambda a: np.squeeze(a, d)) if shape[d] == 1 else (lambda a: a)
        check(lambda t: t.squeeze(d), expected, x)


@FAST
@given(shapes=PAIRS, seed=SEEDS)
def test_expand_broadcast_to(shapes, seed):
    shape = shapes.input_shapes[0]
    target = shapes.result_shape
    x = values(np.random.default_rng(seed), shape)
    check(lambda t: t.expand(*target), lambda a: np.broadcast_to(a, target), x)
    check(lambda t: ag.expand(t, target), lambda a: np.broadcast_to(a, target), x)
    check(lambda t: ag.broadcast_to(t, target), lambda a: np.broadcast_to(a, target), x)
    check(lambda t: t.broadcast_to(target) * 2, lambda a: np.broadcast_to(a, target) * 2, x)
    like = ag.zeros(target)
    check(lambda t: t.expand_as(like), lambda a: np.broadcast_to(a, target), x)


def test_expand_with_minus_one_and_new_leading_dims():
    x = np.array([[1.0], [2.0]])
    check(lambda t: t.expand(4, -1, 3), lambda a: np.broadcast_to(a, (4, 2, 3)), x)


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_cat_stack(shape, seed, data):
    rng = np.random.default_rng(seed)
    nd = len(shape)
    dim = data.draw(st.integers(-nd, nd - 1))
    sizes = data.draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    arrays = []
    for s in sizes:
        piece = list(shape)
        piece[dim] = s
        arrays.append(values(rng, tuple(piece)))
    check(lambda *ts: ag.cat(list(ts), dim), lambda *a: np.concatenate(a, axis=dim), *arrays)
    check(lambda *ts: ag.concat(ts, dim=dim), lambda *a: np.concatenate(a, axis=dim), *arrays)
    same = [values(rng, shape) for _ in sizes]
    sdim = data.draw(st.integers(-nd - 1, nd))
    check(lambda *ts: ag.stack(list(ts), sdim), lambda *a: np.stack(a, axis=sdim), *same)


def test_cat_with_a_constant_and_stack_of_0d():
    const = ag.tensor([5.0, 6.0], dtype=ag.float64)
    check(lambda t: ag.cat([t, const, t]), lambda a: np.concatenate([a, [5.0, 6.0], a]), np.array([1.0, 2.0]))
    check(lambda a, b: ag.stack([a, b]), lambda a, b: np.stack([a, b]), np.array(1.0), np.array(2.0))


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_split_chunk(shape, seed, data):
    x = values(np.random.default_rng(seed), shape)
    nd = len(shape)
    dim = data.draw(st.integers(-nd, nd - 1))
    length = shape[dim]
    size = data.draw(st.integers(1, 4))
    bounds = list(range(size, length, size))
    expected = np.split(x, bounds, axis=dim)
    pieces = ag.split(leaf(x), size, dim)
    assert len(pieces) == len(expected)
    for piece, want in zip(pieces, expected):
        np.testing.assert_array_equal(piece.detach().numpy(), want)
    weights = [np.arange(1.0, e.size + 1).reshape(e.shape) for e in expected]

    def weighted(parts):
        return sum(((p * ag.tensor(w)).sum() for p, w in zip(parts, weights)), start=ag.tensor(0.0, dtype=ag.float64))

    check(lambda t: weighted(t.split(size, dim)),
          lambda a: sum((p * w).sum() for p, w in zip(np.split(a, bounds, axis=dim), weights)), x)
    chunks = data.draw(st.integers(1, 4))
    per = -(-length // chunks)
    got = leaf(x).chunk(chunks, dim)
    want = np.split(x, list(range(per, length, per)), axis=dim)
    assert [p.shape for p in got] == [w.shape for w in want]
    check(lambda t: ag.chunk(t, chunks, dim)[-1] * 3, lambda a: want[-1] * 3, x)


def test_split_with_sizes():
    x = np.arange(10.0).reshape(5, 2)
    check(lambda t: ag.split(t, [1, 4])[1].sum(0), lambda a: a[1:].sum(0), x)
    check(lambda t: t.split([2, 0, 3])[2] ** 2, lambda a: a[2:] ** 2, x)


# ------------------------------------------------------------------ indexing
INDICES = {
    "int": lambda s: 1,
    "negative int": lambda s: -1,
    "slice": lambda s: slice(1, None),
    "step slice": lambda s: slice(None, None, 2),
    "reverse slice": lambda s: slice(None, None, -1),
    "None": lambda s: (None, 0),
    "ellipsis": lambda s: (Ellipsis, 0),
    "int and slice": lambda s: (0, slice(None, 2)),
    "int array": lambda s: np.array([2, 0, 2, 2]),  # repeated: gradients accumulate
    "int list": lambda s: [0, 2, 0],
    "int tensor": lambda s: ag.tensor([[1, 1], [0, 2]]),
    "two int arrays": lambda s: (np.array([0, 2, 0]), np.array([1, 1, 1])),
    "bool mask": lambda s: np.random.default_rng(0).random(s) > 0.4,
    "bool row mask": lambda s: ag.tensor([True, False, True]),
    "mask and slice": lambda s: (np.array([True, False, True]), slice(1, 3)),
    "slice and int array": lambda s: (slice(None), np.array([3, 0, 3])),
    "empty slice": lambda s: slice(2, 2),
}


@pytest.mark.parametrize("name", list(INDICES))
def test_getitem(name):
    x = np.random.default_rng(1).uniform(-2, 2, (3, 4))
    index = INDICES[name](x.shape)
    np_index = index._array if isinstance(index, ag.Tensor) else index
    check(lambda t: t[index], lambda a: a[np_index], x)


@FAST
@given(data=st.data(), shape=NONEMPTY_SHAPES, seed=SEEDS)
def test_getitem_random_basic_and_integer_array_indices(data, shape, seed):
    x = values(np.random.default_rng(seed), shape)
    basic = data.draw(hnp.basic_indices(shape, allow_newaxis=True, allow_ellipsis=True))
    check(lambda t: t[basic], lambda a: a[basic], x)
    advanced = data.draw(hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(min_dims=1, max_dims=2)))
    check(lambda t: t[advanced], lambda a: a[advanced], x)
    mask = np.random.default_rng(seed + 1).random(shape) > 0.5
    check(lambda t: t[mask], lambda a: a[mask], x)


# Integers mixed with index arrays: PyTorch selects with the integers first (numpy would count them as
# advanced indices and move the result's dims). Each reference applies the integers first in numpy;
# the shapes are torch's for x = torch.arange(120.).reshape(2, 3, 4, 5).
MIXED_INDICES = [
    ("x[0, :, [2, 3]]", lambda t: t[0, :, [2, 3]], lambda a: a[0][:, [2, 3]], (3, 2, 5)),
    ("x[0, [1, 2], :, [0, 4]]", lambda t: t[0, [1, 2], :, [0, 4]], lambda a: a[0][[1, 2], :, [0, 4]], (2, 4)),
    ("x[..., 1, [0, 0, 3]]", lambda t: t[..., 1, [0, 0, 3]], lambda a: a[:, :, 1][..., [0, 0, 3]], (2, 3, 3)),
    ("x[1, None, :, [1, 2]]", lambda t: t[1, None, :, [1, 2]], lambda a: a[1][None, :, [1, 2]], (1, 3, 2, 5)),
    ("x[[1, 0], 2, :, 1]", lambda t: t[[1, 0], 2, :, 1], lambda a: a[:, 2, :, 1][[1, 0]], (2, 4)),
    ("x[:, 2, [0, 1], [3, 4]]", lambda t: t[:, 2, [0, 1], [3, 4]], lambda a: a[:, 2][:, [0, 1], [3, 4]], (2, 2)),
    ("x[0, mask]", lambda t: t[0, ag.tensor([True, False, True])], lambda a: a[0][[True, False, True]], (2, 4, 5)),
]


@pytest.mark.parametrize("name,fn,reference,shape", MIXED_INDICES, ids=[m[0] for m in MIXED_INDICES])
def test_getitem_integers_select_first_like_pytorch(name, fn, reference, shape):
    x = np.random.default_rng(5).uniform(-1, 1, (2, 3, 4, 5))
    assert fn(ag.tensor(x)).shape == shape
    check(fn, reference, x)


def test_setitem_integers_select_first_like_pytorch():
    y = ag.zeros(2, 3, 4)
    y[0, :, [1, 2]] = ag.tensor(np.arange(6.0).reshape(3, 2))  # a (3, 2) selection in PyTorch
    expected = np.zeros((2, 3, 4))
    expected[0][:, [1, 2]] = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(y.numpy(), expected)


def test_getitem_repeated_index_accumulates():
    x = leaf([1.0, 2.0, 3.0])
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 0.0, 1.0])


def test_getitem_of_0d_and_3d():
    check(lambda t: t[None] * 2, lambda a: a[None] * 2, np.array(1.5))
    check(lambda t: t[...], lambda a: a, np.array(1.5))
    x = np.random.default_rng(2).uniform(-1, 1, (2, 3, 4))
    check(lambda t: t[:, [0, 2], 1:], lambda a: a[:, [0, 2], 1:], x)
    check(lambda t: t[..., None, 1], lambda a: a[..., None, 1], x)
    check(lambda t: t[x > 0], lambda a: a[x > 0], x)


@FAST
@given(shape=NONEMPTY_SHAPES, seed=SEEDS, data=st.data())
def test_gather(shape, seed, data):
    rng = np.random.default_rng(seed)
    x = values(rng, shape)
    nd = len(shape)
    dim = data.draw(st.integers(-nd, nd - 1))
    index_shape = [data.draw(st.integers(1, s)) for s in shape]
    index_shape[dim] = data.draw(st.integers(1, 4))  # may repeat positions along dim
    index = rng.integers(0, shape[dim], index_shape)
    crop = tuple(slice(None) if d == dim % nd else slice(0, s) for d, s in enumerate(index_shape))
    expected = lambda a: np.take_along_axis(a[crop], index, axis=dim)  # noqa: E731
    check(lambda t: ag.gather(t, dim, ag.tensor(index)), expected, x)
    check(lambda t: t.gather(dim, index), expected, x)


def test_gather_repeated_index_accumulates():
    x = leaf([[1.0, 2.0, 3.0]])
    x.gather(1, ag.tensor([[2, 2, 0]])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0, 2.0]])


# ------------------------------------------------------------------ linear algebra
MATMUL_SHAPES = [
    ((3,), (3,)),          # dot product -> 0-d
    ((3,), (3, 2)),        # vector @ matrix
    ((2, 3), (3,)),        # matrix @ vector
    ((2, 3), (3, 4)),
    ((1, 1), (1, 1)),
    ((4, 2, 3), (3, 2)),   # batched @ matrix
    ((3,), (4, 3, 2)),     # vector @ batched
    ((4, 2, 3), (3,)),     # batched @ vector
    ((4, 2, 3), (4, 3, 2)),
    ((2, 1, 2, 3), (3, 3, 2)),    # batch dims broadcast: (2,1) with (3,)
    ((1, 2, 3), (5, 3, 1)),
]


@pytest.mark.parametrize("shape_a,shape_b", MATMUL_SHAPES)
def test_matmul(shape_a, shape_b):
    rng = np.random.default_rng(len(shape_a) * 10 + len(shape_b))
    a, b = values(rng, shape_a), values(rng, shape_b)
    check(ag.matmul, np.matmul, a, b)
    check(lambda x, y: x @ y, np.matmul, a, b)
    check(lambda x: x.matmul(ag.tensor(b)), lambda x: x @ b, a)
    check(lambda y: a @ y, lambda y: a @ y, b)  # ndarray @ Tensor uses the reflected operator


@FAST
@given(batch=hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3),
       n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), seed=SEEDS)
def test_matmul_random_batch_broadcasting(batch, n, k, m, seed):
    rng = np.random.default_rng(seed)
    a = values(rng, batch.input_shapes[0] + (n, k))
    b = values(rng, batch.input_shapes[1] + (k, m))
    check(ag.matmul, np.matmul, a, b)


@pytest.mark.parametrize("shape", [(3,), (2, 3), (4, 2, 3)])
@pytest.mark.parametrize("bias", [True, False])
def test_linear(shape, bias):
    rng = np.random.default_rng(3)
    x, w, b = values(rng, shape), values(rng, (5, 3)), values(rng, (5,))
    if bias:
        check(ag.linear, lambda x, w, b: x @ w.T + b, x, w, b)
    else:
        check(ag.linear, lambda x, w: x @ w.T, x, w)


# ------------------------------------------------------------------ dtype conversion
def test_to_float64_from_float32_is_differentiable():
    x = ag.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x.to(ag.float64)
    assert y.dtype == np.float64 and y.grad_fn is not None
    (y * ag.tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 2.0, 3.0])
    assert x.double().dtype == np.float64 and x.double().float().dtype == np.float32
    assert x.to(ag.float32) is x


def test_mixed_precision_gradients_keep_each_inputs_dtype():
    x32 = ag.tensor([1.0, 2.0], requires_grad=True)
    x64 = ag.tensor(np.array([3.0, 4.0]), requires_grad=True)
    (x32 * x64).sum().backward()
    assert x32.grad.dtype == np.float32 and x64.grad.dtype == np.float64
    np.testing.assert_array_equal(x32.grad.numpy(), [3.0, 4.0])
    np.testing.assert_array_equal(x64.grad.numpy(), [1.0, 2.0])


# ------------------------------------------------------------------ composite and second order
@FAST
@given(seed=SEEDS)
def test_composite_expression(seed):
    rng = np.random.default_rng(seed)
    x, w = values(rng, (4, 3)), values(rng, (3, 2))

    def fn(a, b):
        h = ag.tanh(a @ b)
        return (ag.log_softmax(h, 1) * h.exp()).sum(0) + (a ** 2).mean()

    def reference(a, b):
        h = np.tanh(a @ b)
        return (np.log(np_softmax(h, 1)) * np.exp(h)).sum(0) + (a ** 2).mean()

    check(fn, reference, x, w)


# f(inputs) for each op family; the gradient of sum(w * f) must itself pass gradcheck (create_graph=True
# runs every backward formula as Tensor ops). Inputs are drawn in [0.5, 2] and kinks are shifted away.
SECOND_ORDER = {
    "add": (lambda a, b: a * a + b * b * b, [(2, 3), (3,)]),
    "sub": (lambda a, b: (a - b) ** 2, [(2, 3), (1, 3)]),
    "mul": (lambda a, b: a * b * a, [(2, 3), (2, 1)]),
    "div": (lambda a, b: a / b, [(2, 3), (3,)]),
    "pow": (lambda a, b: a**b, [(2, 3), (3,)]),
    "2 ** x": (lambda a: 2.0**a, [(3,)]),
    "x ** 3": (lambda a: a**3, [(3,)]),
    "maximum": (lambda a, b: ag.maximum(a * a, b * 3), [(3,), (3,)]),
    "where": (lambda a, b: ag.where(ag.tensor([True, False, True]), a * a, b * b * b), [(3,), (3,)]),
    "abs": (lambda a: ag.abs(a - 1.23) ** 2, [(4,)]),
    "relu": (lambda a: ag.relu(a - 1.23) * a, [(4,)]),
    "leaky_relu": (lambda a: ag.leaky_relu(a - 1.23, 0.2) * a, [(4,)]),
    "softplus": (lambda a: ag.softplus(a * 2 - 2), [(4,)]),
    "clamp": (lambda a: ag.clamp(a, 0.9, 1.6) * a, [(4,)]),
    "sqrt": (ag.sqrt, [(3,)]),
    "log": (ag.log, [(3,)]),
    "exp": (ag.exp, [(3,)]),
    "sin": (ag.sin, [(3,)]),
    "cos": (ag.cos, [(3,)]),
    "tanh": (ag.tanh, [(3,)]),
    "sigmoid": (ag.sigmoid, [(3,)]),
    "sum": (lambda a: a.sum(1) ** 2, [(2, 3)]),
    "mean": (lambda a: a.mean(0, keepdim=True) ** 2, [(2, 3)]),
    "var": (lambda a: a.var(1), [(2, 3)]),
    "std": (lambda a: a.std(1), [(2, 3)]),
    "amax": (lambda a: a.amax(1) ** 2, [(2, 3)]),
    "max(dim)": (lambda a: a.max(1).values ** 2, [(2, 3)]),
    "max()": (lambda a: a.max() ** 2, [(2, 3)]),
    "logsumexp": (lambda a: a.logsumexp(1), [(2, 3)]),
    "softmax": (lambda a: a.softmax(1), [(2, 3)]),
    "log_softmax": (lambda a: a.log_softmax(0), [(2, 3)]),
    "reshape": (lambda a: (a * a).reshape(3, 2), [(2, 3)]),
    "permute": (lambda a: (a * a).permute(1, 0), [(2, 3)]),
    "expand": (lambda a: (a * a).expand(4, 2, 3), [(2, 3)]),
    "cat": (lambda a, b: ag.cat([a * a, b * b * b], 1), [(2, 3), (2, 1)]),
    "stack": (lambda a, b: ag.stack([a * a, b * b * b]), [(2, 3), (2, 3)]),
    "split": (lambda a: a.split(1, 1)[1] ** 2, [(2, 3)]),
    "getitem": (lambda a: a[[0, 0, 1], 1:] ** 2, [(2, 3)]),
    "getitem basic": (lambda a: a[:, 1] ** 2, [(2, 3)]),
    "bool mask": (lambda a: a[ag.tensor([[True, False, True], [False, True, True]])] ** 2, [(2, 3)]),
    "gather": (lambda a: a.gather(1, ag.tensor([[0, 0], [2, 1]])) ** 2, [(2, 3)]),
    "matmul": (lambda a, b: a @ b, [(2, 3), (3, 2)]),
    "matmul 1-D": (lambda a, b: a @ b, [(3,), (3,)]),
    "matmul batch broadcast": (lambda a, b: a @ b, [(2, 1, 2, 3), (3, 3, 2)]),
    "matmul vector @ batch": (lambda a, b: a @ b, [(3,), (2, 3, 2)]),
    "linear": (lambda x, w, b: ag.linear(x, w, b) ** 2, [(4, 2, 3), (2, 3), (2,)]),
    "clone": (lambda a: a.clone() ** 2, [(3,)]),
}


@pytest.mark.parametrize("name", list(SECOND_ORDER))
def test_gradients_are_differentiable(name):
    fn, shapes = SECOND_ORDER[name]
    rng = np.random.default_rng(len(name))
    inputs = [leaf(rng.uniform(0.5, 2, s)) for s in shapes]
    w = ag.tensor(rng.normal(size=fn(*inputs).shape))

    def gradient(*xs):
        return ag.grad((fn(*xs) * w).sum(), list(xs), create_graph=True)

    assert ag.gradcheck(gradient, inputs)
