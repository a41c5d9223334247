"""The elementwise ops added after the first set: log1p, expm1, erf, erfc, erfinv, exp2, log2, log10, logit,
sinc, xlogy, logaddexp(2) (autograd/ops/special.py); tan, the inverse and hyperbolic trigonometric functions,
reciprocal, rsqrt, atan2, hypot, copysign, lerp, clamp_min/max, heaviside (elementwise.py); floor, ceil,
round, trunc, frac, fmod (rounding.py); and the in-place methods (inplace.py).

Values against numpy / Python's math module and, where PyTorch's conventions are not numpy's, against
values printed by torch 2.13 (the tests never import torch); gradients by ``autograd.gradcheck`` in
float64 (second derivatives too, through create_graph), with broadcasting and 0-d and size-1 shapes.
"""
import math
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import autograd as ag
from autograd.ops import special

NAN, INF = float("nan"), float("inf")
FAST = settings(max_examples=12, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
PAIRS = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=3)
SEEDS = st.integers(0, 2**32 - 1)


def values(got):
    return (got.detach() if got.requires_grad else got).numpy()


def same(got, want, dtype=None):
    """Equal values (NaN where NaN is wanted, zeros' signs not compared) and, when given, ``dtype``."""
    if dtype is not None:
        assert got.dtype == dtype, f"dtype {got.dtype}, expected {np.dtype(dtype)}"
    np.testing.assert_array_equal(values(got), np.asarray(want, dtype=np.float64).astype(got.dtype))


def draw(rng, shape, domain):
    """Random float64 values of ``shape`` inside an op's domain."""
    u = rng.uniform(0, 1, shape)
    if domain == "any":
        return np.asarray(-2 + 4 * u)
    if domain == "positive":
        return np.asarray(0.1 + 2.9 * u)
    if domain == "open unit":
        return np.asarray(-0.9 + 1.8 * u)
    if domain == "unit":
        return np.asarray(0.05 + 0.9 * u)
    if domain == "above one":
        return np.asarray(1.1 + 2 * u)
    if domain == "above -1":
        return np.asarray(-0.9 + 2.9 * u)
    if domain == "nonzero":
        return np.asarray(rng.choice([-1.0, 1.0], shape) * (0.2 + 1.8 * u))
    if domain == "between integers":  # away from the jumps of floor, ceil, trunc and round
        return np.asarray(rng.integers(-3, 3, shape) + rng.choice([0.1, 0.3, 0.6, 0.8], shape) + 0.05 * u)
    raise ValueError(domain)


def _erfinv_reference(p):
    return NormalDist().inv_cdf((1 + p) / 2) / math.sqrt(2)


# name: (autograd function, domain, float64 reference on ndarrays)
UNARY = {
    "log1p": (ag.log1p, "above -1", np.log1p),
    "expm1": (ag.expm1, "any", np.expm1),
    "erf": (ag.erf, "any", np.vectorize(math.erf)),
    "erfc": (ag.erfc, "any", np.vectorize(math.erfc)),
    "erfinv": (ag.erfinv, "open unit", np.vectorize(_erfinv_reference)),
    "exp2": (ag.exp2, "any", lambda a: 2.0 ** a),
    "log2": (ag.log2, "positive", lambda a: np.log(a) / math.log(2)),
    "log10": (ag.log10, "positive", lambda a: np.log(a) / math.log(10)),
    "logit": (ag.logit, "unit", lambda a: np.log(a) - np.log1p(-a)),
    "sinc": (ag.sinc, "any", lambda a: np.sin(np.pi * a) / (np.pi * a)),
    "tan": (ag.tan, "open unit", np.tan),
    "asin": (ag.asin, "open unit", np.arcsin),
    "arcsin": (ag.arcsin, "open unit", np.arcsin),
    "acos": (ag.acos, "open unit", np.arccos),
    "arccos": (ag.arccos, "open unit", np.arccos),
    "atan": (ag.atan, "any", np.arctan),
    "arctan": (ag.arctan, "any", np.arctan),
    "sinh": (ag.sinh, "any", lambda a: (np.exp(a) - np.exp(-a)) / 2),
    "cosh": (ag.cosh, "any", lambda a: (np.exp(a) + np.exp(-a)) / 2),
    "asinh": (ag.asinh, "any", lambda a: np.log(a + np.sqrt(a * a + 1))),
    "arcsinh": (ag.arcsinh, "any", np.arcsinh),
    "acosh": (ag.acosh, "above one", lambda a: np.log(a + np.sqrt(a * a - 1))),
    "arccosh": (ag.arccosh, "above one", np.arccosh),
    "atanh": (ag.atanh, "open unit", lambda a: np.log((1 + a) / (1 - a)) / 2),
    "arctanh": (ag.arctanh, "open unit", np.arctanh),
    "reciprocal": (ag.reciprocal, "nonzero", lambda a: 1 / a),
    "rsqrt": (ag.rsqrt, "positive", lambda a: 1 / np.sqrt(a)),
    "negative": (ag.negative, "any", lambda a: -a),
    "floor": (ag.floor, "between integers", np.floor),
    "ceil": (ag.ceil, "between integers", np.ceil),
    "round": (ag.round, "between integers", np.round),
    "trunc": (ag.trunc, "between integers", np.trunc),
    "fix": (ag.fix, "between integers", np.trunc),
    "frac": (ag.frac, "any", lambda a: np.modf(a)[0]),
}
FLOAT_VALUED = [
    "log1p", "expm1", "erf", "erfc", "erfinv", "exp2", "log2", "log10", "logit", "sinc", "tan", "asin", "arcsin",
    "acos", "arccos", "atan", "arctan", "sinh", "cosh", "asinh", "arcsinh", "acosh", "arccosh", "atanh", "arctanh",
    "reciprocal", "rsqrt",
]
STEPS = ["floor", "ceil", "round", "trunc", "fix"]
SHAPES = [(), (1,), (1, 1), (2, 3), (3, 1, 2)]


# ====================================================================== unary: values and dtypes
@pytest.mark.parametrize("name", UNARY)
def test_unary_values_match_the_reference_in_float64(name):
    fn, domain, reference = UNARY[name]
    a = draw(np.random.default_rng(len(name)), (4, 5), domain)
    out = fn(ag.tensor(a))
    assert out.dtype == np.float64 and out.shape == (4, 5)
    np.testing.assert_allclose(out.numpy(), reference(a), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", UNARY)
def test_unary_values_in_float32_are_float32_and_near_the_float64_value(name):
    fn, domain, reference = UNARY[name]
    a = draw(np.random.default_rng(7 + len(name)), (3, 4), domain).astype(np.float32)
    out = fn(ag.tensor(a))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), reference(a.astype(np.float64)), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("shape", [(), (1,), (2, 1, 3)])
def test_unary_keeps_the_shape_of_0d_and_size_1_inputs(name, shape):
    fn, domain, _ = UNARY[name]
    x = ag.tensor(draw(np.random.default_rng(1), shape, domain))
    assert fn(x).shape == shape
    assert getattr(x, name)().shape == shape  # the method too


@pytest.mark.parametrize("name", FLOAT_VALUED)
@pytest.mark.parametrize("dtype", [ag.int64, ag.int32, ag.uint8, ag.bool_])
def test_integer_and_bool_inputs_give_float32(name, dtype):
    fn = UNARY[name][0]
    ints = ag.tensor([0, 1, 2, 3], dtype=dtype) if dtype != ag.bool_ else ag.tensor([False, True])
    out = fn(ints)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), fn(ints.float()).numpy())


@pytest.mark.parametrize("name", FLOAT_VALUED + ["frac"] + STEPS)
def test_float16_stays_float16(name):
    fn, domain, reference = UNARY[name]
    a = draw(np.random.default_rng(3), (5,), domain).astype(np.float16)
    out = fn(ag.tensor(a))
    assert out.dtype == np.float16
    np.testing.assert_allclose(out.numpy().astype(np.float64), reference(a.astype(np.float64)), rtol=4e-3, atol=2e-3)


@pytest.mark.parametrize("name", STEPS)
@pytest.mark.parametrize("dtype", [ag.int64, ag.int8, ag.uint8])
def test_rounding_an_integer_tensor_copies_it(name, dtype):
    x = ag.tensor([1, 2, 0, 7], dtype=dtype)
    out = UNARY[name][0](x)
    same(out, [1, 2, 0, 7], dtype)
    assert not np.shares_memory(out.numpy(), x.numpy())


@pytest.mark.parametrize("name", STEPS + ["frac"])
def test_rounding_a_bool_tensor_is_not_implemented(name):
    with pytest.raises(NotImplementedError, match="bool"):
        UNARY[name][0](ag.tensor([True, False]))


@pytest.mark.parametrize("dtype", [ag.int64, ag.int32])
def test_frac_of_integers_and_round_of_integers_with_decimals_are_not_implemented(dtype):
    with pytest.raises(NotImplementedError, match="frac: not implemented for int"):
        ag.frac(ag.tensor([1, 2], dtype=dtype))
    with pytest.raises(NotImplementedError, match="round: not implemented for int.* with decimals"):
        ag.round(ag.tensor([15, 25], dtype=dtype), decimals=-1)


def test_negative_is_neg_and_refuses_bool():
    same(ag.negative(ag.tensor([1, -2])), [-1, 2], np.int64)
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor is not supported"):
        ag.negative(ag.tensor([True]))


# ====================================================================== unary: edge values
def test_log1p_and_expm1_keep_tiny_arguments_exact():
    tiny = ag.tensor([1e-20, -1e-20, 1e-300], dtype=ag.float64)
    same(ag.log1p(tiny), [1e-20, -1e-20, 1e-300])
    same(ag.expm1(tiny), [1e-20, -1e-20, 1e-300])
    assert ag.log(1 + tiny).numpy()[0] == 0.0  # what log1p is for
    small = ag.tensor([1e-10, 3e-8], dtype=ag.float32)
    np.testing.assert_allclose(ag.log1p(small).numpy(), [1e-10, 3e-8], rtol=1e-6)
    np.testing.assert_allclose(ag.expm1(small).numpy(), [1e-10, 3e-8], rtol=1e-6)


def test_logs_and_exponentials_at_their_limits_match_pytorch():
    x = ag.tensor([-1.0, -2.0, INF, NAN, 0.0], dtype=ag.float64)
    same(ag.log1p(x), [-INF, NAN, INF, NAN, 0.0])
    same(ag.expm1(ag.tensor([-INF, INF, 1000.0], dtype=ag.float64)), [-1.0, INF, INF])
    same(ag.exp2(ag.tensor([-INF, INF, 2.0, 1100.0], dtype=ag.float64)), [0.0, INF, 4.0, INF])
    same(ag.log2(ag.tensor([0.0, -1.0, INF, 8.0], dtype=ag.float64)), [-INF, NAN, INF, 3.0])
    same(ag.log10(ag.tensor([0.0, -1.0, 1000.0])), [-INF, NAN, 3.0])
    same(ag.reciprocal(ag.tensor([0.0, -0.0, INF, 2.0])), [INF, -INF, 0.0, 0.5])
    same(ag.rsqrt(ag.tensor([0.0, -0.0, INF, 4.0, -1.0])), [INF, -INF, 0.0, 0.5, NAN])
    same(ag.cosh(ag.tensor([800.0], dtype=ag.float64)), [INF])
    same(ag.sinh(ag.tensor([-800.0], dtype=ag.float64)), [-INF])
    same(ag.asin(ag.tensor([-1.0, 1.0, 2.0])), [-math.pi / 2, math.pi / 2, NAN])
    same(ag.atanh(ag.tensor([-1.0, 1.0, 2.0])), [-INF, INF, NAN])
    same(ag.acosh(ag.tensor([-2.0, 0.5, 1.0, INF])), [NAN, NAN, 0.0, INF])


def test_erf_and_erfc_against_math_and_at_the_limits():
    points = np.concatenate([np.linspace(-6, 6, 241), [0.46875, 4.0, 1e-300, -1e-300, 26.0, -26.0]])
    np.testing.assert_allclose(special.erf_array(points), [math.erf(v) for v in points], rtol=1e-15, atol=0)
    np.testing.assert_allclose(special.erfc_array(points), [math.erfc(v) for v in points], rtol=2e-15, atol=0)
    # erfc where it is tiny keeps its relative precision (1 - erf(x) would be 0 from x = 6 on)
    far = np.array([6.0, 10.0, 20.0, 26.5])
    np.testing.assert_allclose(special.erfc_array(far), [math.erfc(v) for v in far], rtol=2e-15)
    assert ag.erfc(ag.tensor([10.0], dtype=ag.float64)).item() == pytest.approx(2.088487583762545e-45, rel=1e-14)
    same(ag.erf(ag.tensor([INF, -INF, NAN, 0.0])), [1.0, -1.0, NAN, 0.0])
    same(ag.erfc(ag.tensor([INF, -INF, NAN, 30.0, -30.0], dtype=ag.float64)), [0.0, 2.0, NAN, 0.0, 2.0])


def test_erfinv_inverts_erf_to_float64_precision():
    p = np.concatenate([np.linspace(-0.999, 0.999, 401), [1e-300, -1e-300, 1e-10, 0.5, -0.5]])
    y = ag.erfinv(ag.tensor(p)).numpy()
    np.testing.assert_allclose([math.erf(v) for v in y], p, rtol=2e-15, atol=0)
    np.testing.assert_allclose(y[np.abs(p) > 1e-3], [_erfinv_reference(v) for v in p[np.abs(p) > 1e-3]], rtol=1e-12)


def test_erfinv_keeps_its_precision_next_to_plus_and_minus_one():
    # 1 - x is exact there: erfc(erfinv(1 - d)) must give back d (erf would round it away)
    d = 2.0 ** -np.arange(2, 54, dtype=np.float64)
    y = ag.erfinv(ag.tensor(1 - d)).numpy()
    np.testing.assert_allclose([math.erfc(v) for v in y], d, rtol=1e-14)
    np.testing.assert_allclose(ag.erfinv(ag.tensor(d - 1)).numpy(), -y, rtol=0)
    # values printed by torch 2.13 (and mpmath to 40 digits), to within an ulp
    got = ag.erfinv(ag.tensor([0.5, 1 - 2.0 ** -53, -0.999999], dtype=ag.float64)).numpy()
    np.testing.assert_allclose(got, [0.4769362762044699, 5.8635847487551676, -3.458910737275499], rtol=4e-16)


def test_erfinv_at_the_limits():
    same(ag.erfinv(ag.tensor([1.0, -1.0, 1.5, -2.0, NAN, 0.0], dtype=ag.float64)), [INF, -INF, NAN, NAN, NAN, 0.0])
    assert math.copysign(1, ag.erfinv(ag.tensor(-0.0)).item()) == -1  # erfinv(-0.0) is -0.0, as in PyTorch


def test_erf_moved_into_autograd_keeps_nn_working():
    import nn.activation
    import nn.functional as F

    assert nn.activation.erf_array is special.erf_array
    x = ag.tensor([-1.0, 0.25, 2.0], dtype=ag.float64, requires_grad=True)
    np.testing.assert_array_equal(values(F.erf(x)), values(ag.erf(x)))
    assert F.erf(ag.tensor([1, 2])).dtype == np.float32
    np.testing.assert_allclose(values(F.gelu(x)), [v * (1 + math.erf(v / math.sqrt(2))) / 2 for v in (-1.0, 0.25, 2.0)])
    assert ag.gradcheck(F.gelu, [x])


def test_logit_without_eps_and_with_it():
    x = ag.tensor([0.0, 1.0, 0.5, -0.5, 1.5, NAN, 0.1, 0.9], dtype=ag.float64)
    same(ag.logit(x), [-INF, INF, 0.0, NAN, NAN, NAN, -2.197224577336219, 2.1972245773362196])
    low, high = -2.197224577336219, 2.1972245773362196  # log(0.1 / 0.9) and log(0.9 / 0.1), as torch 2.13 rounds them
    same(ag.logit(x, eps=0.1), [low, high, 0.0, low, high, NAN, low, high])
    same(ag.logit(x, -0.1), values(ag.logit(x)))  # a negative eps limits nothing (PyTorch)
    # PyTorch's order of the bounds when eps > 1/2: x below eps goes to eps, even above 1 - eps
    same(ag.logit(ag.tensor([0.3], dtype=ag.float64), eps=0.6), [math.log(0.6 / 0.4)])
    # eps is taken in the tensor's dtype (torch 2.13: logit(0, eps=1e-7) in float32 is -16.118095)
    assert ag.logit(ag.tensor([0.0]), eps=1e-7).item() == pytest.approx(-16.11809539794922, abs=2e-6)


def test_sinc_at_zero_and_beyond():
    same(ag.sinc(ag.tensor([0.0, INF, -INF, NAN, 1e-20, 0.5], dtype=ag.float64)),
         [1.0, NAN, NAN, NAN, 1.0, 2 / math.pi])
    same(ag.sinc(ag.tensor([0.0], dtype=ag.float16)), [1.0], np.float16)  # (np.sinc gives NaN there)


def test_frac_keeps_the_sign_and_is_nan_at_infinity():
    same(ag.frac(ag.tensor([2.75, -2.75, INF, -INF, NAN, -3.0])), [0.75, -0.75, NAN, NAN, NAN, 0.0])


def test_rounding_at_halves_and_limits():
    x = ag.tensor([0.5, 1.5, 2.5, -0.5, -2.5, INF, -INF, NAN], dtype=ag.float64)
    same(ag.round(x), [0.0, 2.0, 2.0, -0.0, -2.0, INF, -INF, NAN])  # halves to even
    same(ag.floor(x), [0.0, 1.0, 2.0, -1.0, -3.0, INF, -INF, NAN])
    same(ag.ceil(x), [1.0, 2.0, 3.0, -0.0, -2.0, INF, -INF, NAN])
    same(ag.trunc(x), [0.0, 1.0, 2.0, -0.0, -2.0, INF, -INF, NAN])


ROUND_INPUT = [1.2345, 2.5, 3.5, -2.55, 0.125, 1234.5678, 1e30, 2.675]


@pytest.mark.parametrize("decimals, want", [
    # float32 values printed by torch 2.13 for torch.round(x, decimals=d)
    (1, [1.2000000476837158, 2.5, 3.5, -2.5999999046325684, 0.10000000149011612, 1234.5999755859375,
         1.0000000150474662e+30, 2.700000047683716]),
    (2, [1.2300000190734863, 2.5, 3.5, -2.549999952316284, 0.11999999731779099, 1234.5699462890625,
         1.0000000150474662e+30, 2.680000066757202]),
    (-1, [0.0, 0.0, 0.0, -0.0, 0.0, 1230.0, 1.0000000150474662e+30, 0.0]),
    (-2, [0.0, 0.0, 0.0, -0.0, 0.0, 1200.0, 1.00000009060533e+30, 0.0]),
    (10, [1.2345000505447388, 2.5, 3.5, -2.549999952316284, 0.125, 1234.5677490234375, INF, 2.674999952316284]),
    (40, [NAN] * 8),
    (-40, [NAN] * 8),
])
def test_round_with_decimals_gives_pytorchs_float32_values(decimals, want):
    x = ag.tensor(ROUND_INPUT, dtype=ag.float32)
    same(ag.round(x, decimals=decimals), want, np.float32)
    same(x.round(decimals=decimals), want, np.float32)


def test_round_takes_decimals_by_keyword_only():
    with pytest.raises(TypeError):
        ag.round(ag.tensor([1.25]), 1)


# ====================================================================== unary: gradients
@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("shape", SHAPES)
def test_unary_gradcheck(name, shape):
    fn, domain, _ = UNARY[name]
    x = ag.tensor(draw(np.random.default_rng(len(name) + len(shape)), shape, domain), requires_grad=True)
    assert ag.gradcheck(fn, [x])


@pytest.mark.parametrize("name", [n for n in UNARY if n not in STEPS])
def test_unary_second_derivatives_through_create_graph(name):
    fn, domain, _ = UNARY[name]
    x = ag.tensor(draw(np.random.default_rng(11), (2, 2), domain), requires_grad=True)

    def first_derivative(t):
        (g,) = ag.grad(fn(t).sum(), [t], create_graph=True)
        return g

    assert ag.gradcheck(first_derivative, [x])


@pytest.mark.parametrize("call", [
    lambda x: ag.logit(x, eps=0.2), lambda x: ag.round(x, decimals=1), lambda x: x.round(decimals=-1),
    lambda x: ag.clamp_min(x, 0.3), lambda x: x.clamp_max(-0.2),
])
def test_unary_gradcheck_with_arguments(call):
    x = ag.tensor(draw(np.random.default_rng(5), (3, 4), "unit") * 3 - 1.5 + 0.013, requires_grad=True)
    assert ag.gradcheck(call, [x])


@pytest.mark.parametrize("name", STEPS)
def test_step_functions_have_zero_gradients_even_for_inf_and_nan_upstream(name):
    x = ag.tensor([0.3, 1.7, -2.5, INF, NAN], dtype=ag.float64, requires_grad=True)
    out = UNARY[name][0](x)
    assert out.grad_fn is not None  # recorded (PyTorch's FloorBackward0 ...), so backward runs through
    out.backward(ag.tensor([1.0, INF, NAN, 1.0, 1.0], dtype=ag.float64))
    same(x.grad, [0.0] * 5)


@pytest.mark.parametrize("fn, x, want", [
    # gradients of sum(fn(x)) at the edges, as torch 2.13 gives them
    (ag.log1p, [-1.0, -2.0, INF], [INF, -1.0, 0.0]),
    (ag.expm1, [-INF, INF], [0.0, INF]),
    (ag.reciprocal, [0.0, -0.0, INF, 2.0], [-INF, -INF, -0.0, -0.25]),
    (ag.rsqrt, [0.0, -0.0, INF, 4.0, -1.0], [-INF, INF, -0.0, -0.0625, NAN]),
    (ag.asin, [-1.0, 1.0, 2.0, 0.0], [INF, INF, NAN, 1.0]),
    (ag.acosh, [-2.0, 0.5, 1.0, 2.0, INF], [1 / math.sqrt(3), NAN, INF, 1 / math.sqrt(3), 0.0]),
    (ag.atanh, [-1.0, 1.0, 2.0, 0.0], [INF, INF, -1 / 3, 1.0]),
    (ag.erfinv, [-1.0, 1.0, 0.0, 2.0, NAN], [INF, INF, math.sqrt(math.pi) / 2, NAN, NAN]),
    (ag.erfc, [-INF, INF, 30.0, NAN], [-0.0, -0.0, -0.0, NAN]),
    (ag.logit, [0.0, 1.0, 0.5, -0.5, 1.5, NAN], [INF, INF, 4.0, NAN, NAN, NAN]),
    (lambda x: ag.logit(x, eps=0.1), [0.0, 1.0, 0.5, -0.5, 1.5, NAN, 0.1, 0.9],
     [0.0, 0.0, 4.0, 0.0, 0.0, NAN, 1 / 0.09, 1 / 0.09]),  # the bounds themselves get the gradient
    (ag.sinc, [0.0, INF, 1e-20, 1.0, 0.5], [0.0, NAN, 0.0, -1.0, -4 / math.pi]),
    (ag.frac, [INF, -INF, NAN, -2.5], [1.0, 1.0, 1.0, 1.0]),
])
def test_unary_gradients_at_the_edges_match_pytorch(fn, x, want):
    t = ag.tensor(x, dtype=ag.float64, requires_grad=True)
    out = fn(t)
    out.backward(ag.ones_like(out))  # (not sum(): the values hold inf and -inf)
    np.testing.assert_allclose(t.grad.numpy(), want, rtol=1e-12)


# ====================================================================== binary: values
BINARY = {
    # name: (function, domain of input, domain of other, float64 reference)
    "atan2": (ag.atan2, "any", "nonzero", np.arctan2),
    "arctan2": (ag.arctan2, "any", "nonzero", np.arctan2),
    "hypot": (ag.hypot, "nonzero", "nonzero", lambda a, b: np.sqrt(a * a + b * b)),
    "logaddexp": (ag.logaddexp, "any", "any", lambda a, b: np.log(np.exp(a) + np.exp(b))),
    "logaddexp2": (ag.logaddexp2, "any", "any", lambda a, b: np.log2(2.0 ** a + 2.0 ** b)),
    "xlogy": (ag.xlogy, "any", "positive", lambda a, b: a * np.log(b)),
    "copysign": (ag.copysign, "nonzero", "nonzero", lambda a, b: np.abs(a) * np.sign(b)),
    "fmod": (ag.fmod, "any", "nonzero", lambda a, b: a - b * np.trunc(a / b)),
    "clamp_min": (ag.clamp_min, "any", "any", np.maximum),
    "clamp_max": (ag.clamp_max, "any", "any", np.minimum),
    "lerp(0.3)": (lambda a, b: ag.lerp(a, b, 0.3), "any", "any", lambda a, b: a + 0.3 * (b - a)),
    "lerp(0.8)": (lambda a, b: a.lerp(b, 0.8), "any", "any", lambda a, b: a + 0.8 * (b - a)),
}


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
@given(shapes=PAIRS, seed=SEEDS)
@FAST
def test_binary_values_broadcast_like_numpy(name, dtype, shapes, seed):
    fn, domain_a, domain_b, reference = BINARY[name]
    rng = np.random.default_rng(seed)
    a, b = draw(rng, shapes.input_shapes[0], domain_a), draw(rng, shapes.input_shapes[1], domain_b)
    a, b = a.astype(dtype), b.astype(dtype)
    out = fn(ag.tensor(a), ag.tensor(b))
    assert out.dtype == dtype and out.shape == shapes.result_shape
    tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == ag.float32 else dict(rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(out.numpy(), reference(a.astype(np.float64), b.astype(np.float64)), **tolerance)


@pytest.mark.parametrize("name", ["atan2", "arctan2", "xlogy", "copysign"])
@pytest.mark.parametrize("dtypes", [(ag.int64, ag.int64), (ag.bool_, ag.bool_), (ag.int32, ag.int64), (ag.uint8, ag.bool_)])
def test_binary_ops_of_integers_and_bools_give_float32(name, dtypes):
    fn = BINARY[name][0]
    a = ag.tensor([1, 0, 1], dtype=dtypes[0])
    b = ag.tensor([1, 1, 0], dtype=dtypes[1])
    out = fn(a, b)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), fn(a.float(), b.float()).numpy())


@pytest.mark.parametrize("a_dtype, b_dtype, want", [
    (ag.int64, ag.float32, np.float32), (ag.float32, ag.float64, np.float64), (ag.float64, ag.float32, np.float64),
    (ag.float32, ag.int64, np.float32),
])
@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp", "logaddexp2", "xlogy", "copysign", "fmod"])
def test_binary_ops_promote_like_pytorch(name, a_dtype, b_dtype, want):
    out = BINARY[name][0](ag.tensor([1, 2, 3], dtype=a_dtype), ag.tensor([2, 1, 1], dtype=b_dtype))
    assert out.dtype == want


@pytest.mark.parametrize("name", ["atan2", "hypot", "logaddexp", "copysign", "xlogy", "fmod"])
def test_a_0d_float64_operand_does_not_widen_a_float32_tensor(name):
    out = BINARY[name][0](ag.tensor([1.0, 2.0]), ag.tensor(2.0, dtype=ag.float64))
    assert out.dtype == np.float32


@pytest.mark.parametrize("name", ["hypot", "logaddexp", "logaddexp2"])
def test_float_only_binary_ops_refuse_integers_but_take_bool_with_float(name):
    fn = BINARY[name][0]
    with pytest.raises(NotImplementedError, match=f"{name}: not implemented for int64"):
        fn(ag.tensor([1, 2]), ag.tensor([3, 4]))
    with pytest.raises(NotImplementedError, match="bool"):
        fn(ag.tensor([True]), ag.tensor([False]))
    assert fn(ag.tensor([True]), ag.tensor([1.0])).dtype == np.float32


@pytest.mark.parametrize("name", ["atan2", "arctan2", "hypot", "logaddexp", "logaddexp2"])
def test_tensor_only_binary_ops_refuse_numbers_like_pytorch(name):
    fn, method = getattr(ag, name), getattr(ag.Tensor, name)
    x = ag.tensor([1.0, 2.0])
    with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'other' \\(position 2\\) must be Tensor, not float"):
        fn(x, 2.0)
    with pytest.raises(TypeError, match="must be Tensor, not int"):
        method(x, 2)
    with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'input' \\(position 1\\) must be Tensor, not int"):
        fn(2, x)


def test_binary_ops_check_broadcasting():
    for fn in (ag.atan2, ag.hypot, ag.logaddexp, ag.xlogy, ag.copysign, ag.fmod, ag.clamp_min):
        with pytest.raises(RuntimeError, match=r"must match the size of tensor b \(4\)"):
            fn(ag.tensor(np.ones((2, 3))), ag.tensor(np.ones((4,))))


def test_atan2_in_every_quadrant_and_at_signed_zeros():
    y = ag.tensor([1.0, 1.0, -1.0, -1.0, 0.0, 0.0, -0.0, -0.0, INF, NAN], dtype=ag.float64)
    x = ag.tensor([1.0, -1.0, 1.0, -1.0, 0.0, -0.0, 0.0, -1.0, INF, 1.0], dtype=ag.float64)
    pi = math.pi
    same(ag.atan2(y, x), [pi / 4, 3 * pi / 4, -pi / 4, -3 * pi / 4, 0.0, pi, -0.0, -pi, pi / 4, NAN])


def test_logaddexp_does_not_overflow_and_handles_infinities():
    a = ag.tensor([1000.0, -INF, INF, -1000.0, 0.0], dtype=ag.float64)
    b = ag.tensor([1000.0, -INF, INF, -INF, INF], dtype=ag.float64)
    same(ag.logaddexp(a, b), [1000 + math.log(2), -INF, INF, -1000.0, INF])
    same(ag.logaddexp2(a, b), [1001.0, -INF, INF, -1000.0, INF])


def test_xlogy_is_zero_where_x_is_zero_unless_y_is_nan():
    x = ag.tensor([0.0, 0.0, 0.0, 1.0, 2.0, -0.0, 0.0], dtype=ag.float64)
    y = ag.tensor([0.0, -1.0, NAN, 0.0, INF, 5.0, INF], dtype=ag.float64)
    same(ag.xlogy(x, y), [0.0, 0.0, NAN, -INF, INF, 0.0, 0.0])


def test_xlogy_takes_a_number_on_either_side():
    t = ag.tensor([1, 2])
    same(ag.xlogy(t, 2), [math.log(2), 2 * math.log(2)], np.float32)
    same(t.xlogy(2.5), [math.log(2.5), 2 * math.log(2.5)], np.float32)
    same(ag.xlogy(2.0, ag.tensor([0.0, 2.0])), [-INF, 2 * math.log(2)], np.float32)
    same(ag.xlogy(0, ag.tensor([0.0, NAN])), [0.0, NAN], np.float32)
    assert ag.xlogy(ag.tensor([1, 2], dtype=ag.int32), ag.tensor(2.0, dtype=ag.float64)).dtype == np.float64
    with pytest.raises(TypeError, match="at least one Tensor"):
        ag.xlogy(2, 3)


def test_copysign_takes_the_sign_of_negative_zero_and_numbers():
    x = ag.tensor([1.0, -2.0, 3.0, 0.0])
    same(ag.copysign(x, ag.tensor([-0.0, 0.0, -INF, -1.0])), [-1.0, 2.0, -3.0, -0.0])
    assert math.copysign(1, ag.copysign(x, -0.0).numpy()[3]) == -1
    same(x.copysign(-1), [-1.0, -2.0, -3.0, -0.0])
    same(ag.copysign(ag.tensor([1, 2]), 2), [1.0, 2.0], np.float32)
    same(ag.copysign(ag.tensor([1.0, 2.0]), ag.tensor([True, False])), [1.0, 2.0])
    with pytest.raises(TypeError, match="argument 'input'"):
        ag.copysign(2, x)


def test_fmod_takes_the_dividends_sign_and_keeps_integers():
    same(ag.fmod(ag.tensor([5.0, -5.0, 5.0, -5.0]), ag.tensor([3.0, 3.0, -3.0, -3.0])), [2.0, -2.0, 2.0, -2.0])
    same(ag.remainder(ag.tensor([5.0, -5.0]), 3.0), [2.0, 1.0])  # (the other remainder: the divisor's sign)
    same(ag.fmod(ag.tensor([5, -7, 9]), 4), [1, -3, 1], np.int64)
    same(ag.fmod(ag.tensor([5, 2]), 2.5), [0.0, 2.0], np.float32)
    same(ag.fmod(ag.tensor([5], dtype=ag.uint8), -3), [5], np.uint8)  # -3 wraps to 253 (PyTorch)
    same(ag.fmod(ag.tensor([5.0, INF, 1.0]), ag.tensor([0.0, 2.0, INF])), [NAN, NAN, 1.0])
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ag.fmod(ag.tensor([5, 2]), 0)
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        ag.fmod(ag.tensor([5, 2]), ag.tensor([1, 0]))
    with pytest.raises(NotImplementedError, match="bool"):
        ag.fmod(ag.tensor([True]), ag.tensor([True]))
    with pytest.raises(TypeError, match="argument 'input'"):
        ag.fmod(2, ag.tensor([1.0]))


def test_lerp_values_weights_and_pytorchs_two_formulas():
    a, b = ag.tensor([1.0, 2.0]), ag.tensor([3.0, 4.0])
    same(ag.lerp(a, b, 0.5), [2.0, 3.0])
    same(ag.lerp(a, b, 2), [5.0, 6.0])
    same(ag.lerp(a, b, ag.tensor([0.0, 1.0])), [1.0, 4.0])  # the ends exactly
    same(ag.lerp(a, b, ag.tensor(0.5, dtype=ag.float64)), [2.0, 3.0], np.float32)  # a 0-d weight is cast
    # weight < 1/2: start + w (end - start); else end - (end - start)(1 - w) (torch 2.13's float32 values)
    assert ag.lerp(ag.tensor([1e8]), ag.tensor([1.0]), 0.7).item() == 30000002.0
    assert ag.lerp(ag.tensor([1e8]), ag.tensor([1.0]), 0.3).item() == 70000000.0
    for dtype, big in ((ag.float32, 1e8), (ag.float64, 1e17)):  # weight 1 gives end exactly (start + (end - start) is 0)
        start, end = ag.tensor([big], dtype=dtype), ag.tensor([1.0], dtype=dtype)
        assert ag.lerp(start, end, 1.0).item() == 1.0
        assert ag.lerp(start, end, ag.tensor([1.0], dtype=dtype)).item() == 1.0
    assert ag.lerp(ag.tensor(1.0), ag.tensor([2.0, 3.0]), 0.5).shape == (2,)
    assert ag.lerp(a, b.reshape(2, 1), ag.tensor([0.5, 0.7, 0.1]).reshape(3, 1, 1)).shape == (3, 2, 2)
    same(ag.lerp(ag.tensor([1.0], dtype=ag.float16), ag.tensor([2.1], dtype=ag.float16), 0.3), [1.330078125], np.float16)


def test_lerp_refuses_what_pytorch_refuses():
    a = ag.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="expected dtype float32 for `end` but got dtype float64"):
        ag.lerp(a, a.double(), 0.5)
    with pytest.raises(RuntimeError, match="expected dtype float32 for `weight` but got dtype float64"):
        ag.lerp(a, a, ag.tensor([0.5, 0.2], dtype=ag.float64))
    with pytest.raises(RuntimeError, match="for `weight` but got dtype int64"):
        ag.lerp(a, a, ag.tensor([1, 0]))
    with pytest.raises(NotImplementedError, match="lerp: not implemented for int64"):
        ag.lerp(ag.tensor([1, 2]), ag.tensor([3, 4]), 0.5)
    with pytest.raises(TypeError, match="argument 'end'"):
        ag.lerp(a, 2.0, 0.5)
    with pytest.raises(RuntimeError, match="do not broadcast"):
        ag.lerp(a, ag.tensor([1.0, 2.0, 3.0]), 0.5)


def test_clamp_min_and_clamp_max():
    x = ag.tensor([1, 5])
    same(ag.clamp_min(x, 2), [2, 5], np.int64)
    same(ag.clamp_min(x, 2.5), [2.5, 5.0], np.float32)
    same(x.clamp_max(2), [1, 2], np.int64)
    same(ag.clamp_min(ag.tensor([1.0, NAN, 3.0]), ag.tensor([2.0, 0.0, NAN])), [2.0, NAN, NAN])
    same(ag.clamp_max(ag.tensor([[1.0], [4.0]]), ag.tensor([2.0, 3.0])), [[1.0, 1.0], [2.0, 3.0]])
    with pytest.raises(TypeError, match="clamp_min"):
        ag.clamp_min(ag.tensor([1.0]), None)
    with pytest.raises(TypeError, match="clamp_max"):
        ag.clamp_max(ag.tensor([1.0]), None)


def test_heaviside_values_and_dtypes():
    same(ag.heaviside(ag.tensor([NAN, -1.0, 0.0, 2.0, -0.0]), ag.tensor([0.5])), [0.0, 0.0, 0.5, 1.0, 0.5], np.float32)
    same(ag.heaviside(ag.tensor([-1, 0, 3]), ag.tensor([7])), [0, 7, 1], np.int64)
    same(ag.heaviside(ag.tensor([True, False]), ag.tensor([False])), [True, False], np.bool_)
    same(ag.heaviside(ag.tensor([1.0, 0.0]), ag.tensor([[2.0], [3.0]])), [[1.0, 2.0], [1.0, 3.0]])
    same(ag.heaviside(ag.tensor(0.0), ag.tensor([2.0, 3.0])), [2.0, 3.0])


def test_heaviside_refuses_mixed_dtypes_and_numbers_and_has_no_derivative():
    with pytest.raises(RuntimeError, match="heaviside is not yet implemented for tensors with different dtypes"):
        ag.heaviside(ag.tensor([1.0]), ag.tensor([1.0], dtype=ag.float64))
    with pytest.raises(RuntimeError, match="different dtypes"):
        ag.heaviside(ag.tensor([1]), ag.tensor([1.0]))
    with pytest.raises(TypeError, match="argument 'values' \\(position 2\\) must be Tensor, not float"):
        ag.heaviside(ag.tensor([1.0]), 0.5)
    x = ag.tensor([1.0, -1.0], requires_grad=True)
    out = ag.heaviside(x, ag.tensor([0.5]))
    assert out.requires_grad  # (as in PyTorch, whose grad_fn says NotImplemented)
    with pytest.raises(RuntimeError, match="derivative for 'heaviside' is not implemented"):
        out.sum().backward()


# ====================================================================== binary: gradients
@pytest.mark.parametrize("name", BINARY)
@given(shapes=PAIRS, seed=SEEDS)
@FAST
def test_binary_gradcheck_with_broadcasting(name, shapes, seed):
    fn, domain_a, domain_b, _ = BINARY[name]
    rng = np.random.default_rng(seed)
    a = ag.tensor(draw(rng, shapes.input_shapes[0], domain_a), requires_grad=True)
    b = ag.tensor(draw(rng, shapes.input_shapes[1], domain_b), requires_grad=True)
    assert ag.gradcheck(fn, [a, b])


@pytest.mark.parametrize("name", BINARY)
def test_binary_second_derivatives_through_create_graph(name):
    fn, domain_a, domain_b, _ = BINARY[name]
    rng = np.random.default_rng(3)
    a = ag.tensor(draw(rng, (2, 3), domain_a), requires_grad=True)
    b = ag.tensor(draw(rng, (3,), domain_b), requires_grad=True)

    def gradients(s, t):
        return ag.grad((fn(s, t) * ag.tensor(np.arange(1.0, 7.0).reshape(2, 3))).sum(), [s, t], create_graph=True)

    assert ag.gradcheck(gradients, [a, b])


@given(shapes=hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, min_side=1, max_side=3),
       seed=SEEDS)
@FAST
def test_lerp_gradcheck_with_a_tensor_weight(shapes, seed):
    rng = np.random.default_rng(seed)
    start, end = (ag.tensor(draw(rng, s, "any"), requires_grad=True) for s in shapes.input_shapes[:2])
    weight = ag.tensor(draw(rng, shapes.input_shapes[2], "any") * 0.75 + 0.5, requires_grad=True)  # both formulas
    assert ag.gradcheck(ag.lerp, [start, end, weight])
    assert ag.lerp(start, end, weight).shape == shapes.result_shape


@pytest.mark.parametrize("call, domain", [
    (lambda t: ag.xlogy(2.5, t), "positive"), (lambda t: t.xlogy(3.0), "any"), (lambda t: ag.copysign(t, -1.0), "nonzero"),
    (lambda t: ag.fmod(t, 0.7), "any"), (lambda t: ag.fmod(t, -1.3), "any"),
])
@pytest.mark.parametrize("shape", [(), (1,), (2, 3)])
def test_binary_gradcheck_with_a_number(call, domain, shape):
    x = ag.tensor(draw(np.random.default_rng(9), shape, domain), requires_grad=True)
    assert ag.gradcheck(call, [x])


def grads(fn, *arrays):
    inputs = [ag.tensor(a, dtype=ag.float64, requires_grad=True) for a in arrays]
    out = fn(*inputs)
    out.backward(ag.ones_like(out))
    return [t.grad.numpy() for t in inputs]


def assert_grads(got, want):
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-12)
        np.testing.assert_array_equal(np.signbit(g[g == 0]), np.signbit(np.asarray(w, dtype=np.float64)[g == 0]))


def test_atan2_gradient_is_zero_at_the_origin_like_pytorch():
    # torch 2.13: 0 where a^2 + b^2 is 0 (also after underflow), and the plain formula elsewhere
    got = grads(ag.atan2, [0.0, 1e-200, 0.0, 3.0, 1e-155], [0.0, 0.0, 1e-200, 0.0, 0.0])
    assert_grads(got, [[0.0, 0.0, 0.0, 0.0, NAN], [-0.0, -0.0, -0.0, -1 / 3, -INF]])


def test_hypot_and_logaddexp_gradients_at_the_edges_like_pytorch():
    assert_grads(grads(ag.hypot, [0.0, INF, 3.0], [0.0, 2.0, 4.0]), [[NAN, NAN, 0.6], [NAN, 0.0, 0.8]])
    assert_grads(grads(ag.logaddexp, [0.0, -INF, INF, INF], [0.0, -INF, INF, 2.0]),
                 [[0.5, NAN, NAN, 1.0], [0.5, NAN, NAN, 0.0]])


def test_xlogy_gradients_like_pytorch():
    # d/dx: log(y), but 0 where x = 0 and y <= 0; d/dy = x / y (torch 2.13's values)
    got = grads(ag.xlogy, [0.0, 0.0, 0.0, 1.0, 2.0, 0.0, 0.0], [0.0, -1.0, NAN, 0.0, -1.0, INF, 0.5])
    assert_grads(got, [[0.0, 0.0, NAN, -INF, NAN, INF, math.log(0.5)], [NAN, -0.0, NAN, INF, -2.0, 0.0, 0.0]])
    # with an upstream gradient of 0, d/dx is xlogy(0, y) = 0 (not 0 * log(0) = NaN), unless y is NaN
    x = ag.tensor([1.0, 2.0, 3.0], dtype=ag.float64, requires_grad=True)
    ag.xlogy(x, ag.tensor([0.0, -1.0, NAN], dtype=ag.float64)).backward(ag.tensor([0.0, 0.0, 0.0], dtype=ag.float64))
    same(x.grad, [0.0, 0.0, NAN])


def test_copysign_and_fmod_gradients_like_pytorch():
    got = grads(ag.copysign, [INF, -INF, 0.0, -0.0, NAN, 2.0], [-1.0, 1.0, -1.0, 1.0, -0.0, NAN])
    assert_grads(got, [[NAN, NAN, 0.0, 0.0, NAN, 1.0], [0.0] * 6])
    got = grads(ag.fmod, [0.3, -1.2, 2.0], [0.7, 0.5, -1.5])
    assert_grads(got, [[1.0, 1.0, 1.0], [-0.0, 2.0, 1.0]])


def test_lerp_gradients():
    got = grads(lambda s, e, w: ag.lerp(s, e, w), [0.3, -1.2], [0.7, 0.5], [0.25, 0.9])
    assert_grads(got, [[0.75, 0.1], [0.25, 0.9], [0.4, 1.7]])
    start = ag.tensor([1.0, 2.0], requires_grad=True)
    ag.lerp(start, ag.tensor([3.0, 4.0]), 0.3).sum().backward()
    np.testing.assert_allclose(start.grad.numpy(), [0.7, 0.7], rtol=1e-6)


# ====================================================================== in place
# name: (in-place method's arguments, input values, out-of-place equivalent)
IN_PLACE = {
    "exp_": ((), [0.5, -1.0, 2.0], ag.exp),
    "log_": ((), [0.5, 1.0, 2.0], ag.log),
    "neg_": ((), [0.5, -1.0, 0.0], ag.neg),
    "negative_": ((), [0.5, -1.0, 0.0], ag.negative),
    "abs_": ((), [0.5, -1.0, -0.0], ag.abs),
    "sqrt_": ((), [0.25, 1.0, 2.0], ag.sqrt),
    "sigmoid_": ((), [0.5, -1.0, 30.0], ag.sigmoid),
    "tanh_": ((), [0.5, -1.0, 2.0], ag.tanh),
    "relu_": ((), [0.5, -1.0, NAN], ag.relu),
    "sin_": ((), [0.5, -1.0, 2.0], ag.sin),
    "cos_": ((), [0.5, -1.0, 2.0], ag.cos),
    "tan_": ((), [0.5, -1.0, 2.0], ag.tan),
    "asin_": ((), [0.5, -1.0, 0.2], ag.asin),
    "arcsin_": ((), [0.5, -1.0, 0.2], ag.arcsin),
    "acos_": ((), [0.5, -1.0, 0.2], ag.acos),
    "arccos_": ((), [0.5, -1.0, 0.2], ag.arccos),
    "atan_": ((), [0.5, -1.0, 2.0], ag.atan),
    "arctan_": ((), [0.5, -1.0, 2.0], ag.arctan),
    "sinh_": ((), [0.5, -1.0, 2.0], ag.sinh),
    "cosh_": ((), [0.5, -1.0, 2.0], ag.cosh),
    "asinh_": ((), [0.5, -1.0, 2.0], ag.asinh),
    "arcsinh_": ((), [0.5, -1.0, 2.0], ag.arcsinh),
    "acosh_": ((), [1.5, 1.0, 2.0], ag.acosh),
    "arccosh_": ((), [1.5, 1.0, 2.0], ag.arccosh),
    "atanh_": ((), [0.5, -0.3, 0.2], ag.atanh),
    "arctanh_": ((), [0.5, -0.3, 0.2], ag.arctanh),
    "reciprocal_": ((), [0.5, -1.0, 0.0], ag.reciprocal),
    "rsqrt_": ((), [0.25, 1.0, 0.0], ag.rsqrt),
    "sign_": ((), [0.5, -1.0, 0.0], ag.sign),
    "square_": ((), [0.5, -1.0, 3.0], ag.square),
    "log1p_": ((), [1e-10, -0.5, 2.0], ag.log1p),
    "expm1_": ((), [1e-10, -0.5, 2.0], ag.expm1),
    "exp2_": ((), [0.5, -1.0, 3.0], ag.exp2),
    "log2_": ((), [0.5, 1.0, 8.0], ag.log2),
    "log10_": ((), [0.5, 1.0, 100.0], ag.log10),
    "erf_": ((), [0.5, -1.0, 2.0], ag.erf),
    "erfc_": ((), [0.5, -1.0, 5.0], ag.erfc),
    "erfinv_": ((), [0.5, -0.9, 0.0], ag.erfinv),
    "sinc_": ((), [0.5, 0.0, 2.5], ag.sinc),
    "floor_": ((), [0.5, -1.5, 2.5], ag.floor),
    "ceil_": ((), [0.5, -1.5, 2.5], ag.ceil),
    "trunc_": ((), [0.5, -1.5, 2.5], ag.trunc),
    "fix_": ((), [0.5, -1.5, 2.5], ag.fix),
    "frac_": ((), [0.5, -1.75, 2.5], ag.frac),
    "round_": ((), [0.5, -1.5, 2.5], ag.round),
    "logit_": ((), [0.5, 0.25, 0.9], ag.logit),
    "pow_": ((2,), [0.5, -1.0, 3.0], ag.pow),
    "clamp_min_": ((0.0,), [0.5, -1.0, 3.0], ag.clamp_min),
    "clamp_max_": ((0.0,), [0.5, -1.0, 3.0], ag.clamp_max),
    "atan2_": ((ag.tensor([1.0, -1.0, 0.5]),), [0.5, -1.0, 3.0], ag.atan2),
    "arctan2_": ((ag.tensor([1.0]),), [0.5, -1.0, 3.0], ag.arctan2),
    "hypot_": ((ag.tensor([1.0, -1.0, 0.5]),), [0.5, -1.0, 3.0], ag.hypot),
    "copysign_": ((-1.0,), [0.5, -1.0, 3.0], ag.copysign),
    "xlogy_": ((2.0,), [0.5, 0.0, 3.0], ag.xlogy),
    "fmod_": ((0.75,), [0.5, -1.0, 3.0], ag.fmod),
    "remainder_": ((0.75,), [0.5, -1.0, 3.0], ag.remainder),
    "lerp_": ((ag.tensor([1.0, 2.0, 3.0]), 0.25), [0.5, -1.0, 3.0], ag.lerp),
    "heaviside_": ((ag.tensor([0.5]),), [0.5, 0.0, -3.0], ag.heaviside),
    "masked_fill_": ((ag.tensor([True, False, True]), 7.0), [0.5, -1.0, 3.0], ag.masked_fill),
}


def of_dtype(args, dtype):
    """The in-place op's arguments, floating tensors among them as ``dtype`` (lerp_ and heaviside_ need it)."""
    return tuple(a.to(dtype) if isinstance(a, ag.Tensor) and a.dtype.kind == "f" else a for a in args)


@pytest.mark.parametrize("name", IN_PLACE)
@pytest.mark.parametrize("dtype", [ag.float32, ag.float64])
def test_in_place_writes_the_out_of_place_value_into_the_tensor(name, dtype):
    args, data, op = IN_PLACE[name]
    args = of_dtype(args, dtype)
    x = ag.tensor(data, dtype=dtype)
    memory, version = x.numpy(), x.version
    want = op(ag.tensor(data, dtype=dtype), *args)
    assert getattr(x, name)(*args) is x
    assert x.numpy() is memory and x.dtype == dtype
    np.testing.assert_array_equal(memory, want.numpy().astype(dtype))
    assert x.version == version + 1


@pytest.mark.parametrize("name", IN_PLACE)
def test_in_place_refuses_a_leaf_that_requires_grad_but_not_under_no_grad(name):
    args, data, op = IN_PLACE[name]
    args = of_dtype(args, ag.float64)
    x = ag.tensor(data, dtype=ag.float64, requires_grad=True)
    with pytest.raises(RuntimeError, match=f"{name}: a leaf Variable that requires grad is being used in an in-place"):
        getattr(x, name)(*args)
    np.testing.assert_array_equal(x.detach().numpy(), data)  # untouched
    with ag.no_grad():
        getattr(x, name)(*args)
    assert x.requires_grad and x.is_leaf
    np.testing.assert_array_equal(x.detach().numpy(), op(ag.tensor(data, dtype=ag.float64), *args).numpy())


@pytest.mark.parametrize("name", ["exp_", "floor_", "clamp_min_", "masked_fill_", "atan2_"])
def test_in_place_refuses_a_tensor_in_a_graph(name):
    args, data, _ = IN_PLACE[name]
    args = of_dtype(args, ag.float64)
    y = ag.tensor(data, dtype=ag.float64, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="in-place operations on a tensor that is part of the graph"):
        getattr(y, name)(*args)


@pytest.mark.parametrize("name", ["atan2_", "hypot_", "lerp_", "clamp_min_", "pow_", "xlogy_"])
def test_in_place_refuses_an_operand_that_requires_grad_rather_than_lose_its_gradient(name):
    other = ag.tensor([0.5, 2.0], requires_grad=True)
    x = ag.tensor([1.0, 3.0])
    call = {"lerp_": lambda: x.lerp_(ag.tensor([0.0, 0.0]), other)}.get(name, lambda: getattr(x, name)(other))
    with pytest.raises(RuntimeError, match=f"{name}: an operand requires grad, and in-place ops are not recorded"):
        call()
    same(x, [1.0, 3.0])
    with ag.no_grad():
        call()
    assert x.version == 1


def test_an_in_place_change_of_a_saved_tensor_is_caught_at_backward():
    x = ag.tensor([0.5, 1.0], dtype=ag.float64, requires_grad=True)
    base = x.detach()  # shares x's memory and version counter
    out = ag.sin(x).sum()
    base.exp_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.backward()


def test_in_place_module_functions_and_views():
    x = ag.tensor([0.25, 4.0])
    assert ag.sqrt_(x) is x
    same(x, [0.5, 2.0])
    with pytest.raises(TypeError, match="must be Tensor"):
        ag.exp_([1.0])
    m = ag.tensor([[1.0, 2.0], [3.0, 4.0]])
    m[0].exp_()  # a view writes through to its base
    np.testing.assert_allclose(m.numpy(), [[math.e, math.exp(2)], [3.0, 4.0]], rtol=1e-6)
    with pytest.raises(RuntimeError, match="read-only view"):
        ag.tensor([1.0]).expand(3).exp_()


@pytest.mark.parametrize("name, args", [
    ("exp_", ()), ("sigmoid_", ()), ("sqrt_", ()), ("reciprocal_", ()), ("log1p_", ()), ("erf_", ()),
    ("atan2_", (ag.tensor([1.0]),)),
    ("pow_", (2.5,)), ("fmod_", (2.5,)), ("clamp_min_", (0.5,)), ("lerp_", (ag.tensor([1, 2]), 0.5)),
])
def test_in_place_refuses_a_float_result_in_an_integer_tensor(name, args):
    x = ag.tensor([1, 2])
    cast = f"{name}: result type can't be cast to the desired output type int64"
    with pytest.raises((RuntimeError, NotImplementedError), match=f"({cast}|not implemented for int64)"):
        getattr(x, name)(*args)
    same(x, [1, 2], np.int64)


@pytest.mark.parametrize("name, args, want", [
    ("floor_", (), [1, -2]), ("ceil_", (), [1, -2]), ("round_", (), [1, -2]), ("trunc_", (), [1, -2]),
    ("relu_", (), [1, 0]), ("abs_", (), [1, 2]), ("neg_", (), [-1, 2]), ("negative_", (), [-1, 2]),
    ("sign_", (), [1, -1]), ("square_", (), [1, 4]), ("pow_", (2,), [1, 4]), ("clamp_min_", (0,), [1, 0]),
    ("clamp_max_", (0,), [0, -2]), ("fmod_", (2,), [1, 0]), ("remainder_", (3,), [1, 1]),
    ("masked_fill_", (ag.tensor([True, False]), 2.7), [2, -2]),
])
def test_in_place_on_integer_tensors_where_pytorch_allows_it(name, args, want):
    x = ag.tensor([1, -2])
    getattr(x, name)(*args)
    same(x, want, np.int64)


def test_in_place_errors_like_pytorch():
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        ag.tensor([True]).neg_()
    with pytest.raises(RuntimeError, match="Integers to negative integer powers are not allowed"):
        ag.tensor([1, 2]).pow_(-1)
    with pytest.raises(NotImplementedError, match="frac"):
        ag.tensor([1, 2]).frac_()
    with pytest.raises(RuntimeError, match=r"atan2_: output with shape \[2\] doesn't match the broadcast shape \[2, 2\]"):
        ag.tensor([1.0, 2.0]).atan2_(ag.tensor([[1.0], [2.0]]))
    with pytest.raises(RuntimeError, match=r"lerp_: output with shape \[2\] doesn't match the broadcast shape \[2, 2\]"):
        ag.tensor([1.0, 2.0]).lerp_(ag.tensor([[3.0], [4.0]]), 0.5)


def test_in_place_keeps_the_tensors_dtype_when_the_result_is_wider():
    x = ag.tensor([3.0, 4.0])
    x.hypot_(ag.tensor([4.0, 3.0], dtype=ag.float64))
    same(x, [5.0, 5.0], np.float32)
    y = ag.tensor([1.0, 2.0], dtype=ag.float16)
    y.exp_()
    same(y, np.exp(np.float16([1.0, 2.0])), np.float16)


def test_round_and_logit_in_place_take_their_arguments():
    x = ag.tensor([0.55, -1.55, 2.5], dtype=ag.float64)
    x.round_(decimals=1)
    same(x, [0.6, -1.6, 2.5])
    p = ag.tensor([0.0, 0.5], dtype=ag.float64)
    p.logit_(eps=0.25)
    same(p, [math.log(1 / 3), 0.0])


def test_masked_fill_in_place_checks_its_mask_and_value():
    x = ag.tensor([1.0, 2.0, 3.0])
    x.masked_fill_(ag.tensor([[True, False, True]])[0], ag.tensor(9.0, dtype=ag.float64))
    same(x, [9.0, 2.0, 9.0])
    x.masked_fill_(ag.tensor(True), -1)  # a 0-d mask broadcasts
    same(x, [-1.0, -1.0, -1.0])
    with pytest.raises(RuntimeError, match="masked_fill_ only supports boolean masks, but got mask with dtype int64"):
        x.masked_fill_(ag.tensor([1, 0, 1]), 2.0)
    with pytest.raises(RuntimeError, match="only supports a 0-dimensional value tensor, but got tensor with 1 dimension"):
        x.masked_fill_(ag.tensor([True, False, True]), ag.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(RuntimeError, match=r"output with shape \[3\] doesn't match the broadcast shape \[1, 3\]"):
        x.masked_fill_(ag.tensor([[True, False, True]]), 0.0)
    with pytest.raises(RuntimeError, match="masked_fill_: an operand requires grad"):
        x.masked_fill_(ag.tensor([True, False, True]), ag.tensor(1.0, requires_grad=True))
    small = ag.tensor([1, 2], dtype=ag.int8)
    with pytest.raises(RuntimeError, match="value cannot be converted to type int8_t without overflow"):
        small.masked_fill_(ag.tensor([True, False]), 300)  # torch 2.13 refuses it (add wraps it: not this)
    same(small, [1, 2], np.int8)
    unsigned = ag.tensor([1, 2], dtype=ag.uint8)
    unsigned.masked_fill_(ag.tensor([True, False]), -1)  # a negative int down to -255 wraps, as there
    same(unsigned, [255, 2], np.uint8)


# ====================================================================== registration and docs
NEW_OPS = [
    "log1p", "expm1", "erf", "erfc", "erfinv", "exp2", "log2", "log10", "logit", "sinc", "xlogy", "logaddexp",
    "logaddexp2", "negative", "tan", "asin", "arcsin", "acos", "arccos", "atan", "arctan", "sinh", "cosh", "asinh",
    "arcsinh", "acosh", "arccosh", "atanh", "arctanh", "reciprocal", "rsqrt", "atan2", "arctan2", "hypot",
    "copysign", "lerp", "clamp_min", "clamp_max", "heaviside", "floor", "ceil", "round", "trunc", "fix", "frac",
    "fmod",
]
NOT_DIFFERENTIABLE = {"heaviside"}


@pytest.mark.parametrize("name", NEW_OPS + list(IN_PLACE))
def test_each_new_name_is_a_documented_tensor_method_and_module_function(name):
    fn, method = getattr(ag, name), getattr(ag.Tensor, name)
    assert fn.__name__ == method.__name__ == name
    assert method.__doc__ and len(method.__doc__) >= 20
    if name in NEW_OPS and name not in NOT_DIFFERENTIABLE:
        assert "d/d" in method.__doc__, f"{name}'s docstring does not give its derivative"


@pytest.mark.parametrize("name", [n for n in NEW_OPS if n != "xlogy"])
def test_module_functions_refuse_a_non_tensor_input(name):
    with pytest.raises(TypeError, match=f"{name}\\(\\): argument 'input' \\(position 1\\) must be Tensor, not list"):
        getattr(ag, name)([1.0, 2.0], ag.tensor([1.0]))


def test_new_ops_compose_under_gradcheck():
    x = ag.tensor([0.2, 0.4, -0.3], dtype=ag.float64, requires_grad=True)
    assert ag.gradcheck(lambda t: ag.logaddexp(t.log1p(), ag.erfinv(t)) * t.sinc() + ag.hypot(t.tan(), t.cosh()), [x])


# ====================================================================== torch 2.13 parity (a differential fuzz)
# Each value, dtype and error type below was printed by torch 2.13.

BRANCH_POINTS = [0.0, -0.0, 0.1, -0.3, 0.46875, 0.5, -2.0, 3.9, 4.0, 4.5, -5.0, 10.0, 26.0, 27.5, 30.0, 1.0, -1.0,
                 0.999999, 1.5, INF, -INF, NAN]  # erf's small, middle and tail ranges, erfinv's +-1, beyond


@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv", "log1p", "expm1", "exp2", "log2", "log10", "logit", "sinc"])
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
def test_special_functions_of_0d_tensors_in_every_branch(name, dtype):
    # (0-d erf beyond |x| = 4 and erfinv at +-1 assigned into a numpy scalar: a TypeError)
    row = getattr(ag, name)(ag.tensor(BRANCH_POINTS, dtype=dtype)).numpy()
    for point, want in zip(BRANCH_POINTS, row):
        got = getattr(ag, name)(ag.tensor(point, dtype=dtype))
        assert got.shape == () and got.dtype == dtype
        np.testing.assert_array_equal(got.numpy(), want)
        in_place = ag.tensor(point, dtype=dtype)
        assert getattr(in_place, name + "_")() is in_place
        np.testing.assert_array_equal(in_place.numpy(), want)


def test_erf_and_erfinv_of_0d_tensors_at_their_limits():
    assert ag.erf(ag.tensor(5.0)).item() == 1.0 and ag.erf(ag.tensor(-INF)).item() == -1.0
    assert ag.erfinv(ag.tensor(1.0)).item() == INF and ag.erfinv(ag.tensor(-1.0, dtype=ag.float64)).item() == -INF
    integer = ag.erfinv(ag.tensor(1))
    assert integer.dtype == np.float32 and integer.item() == INF
    assert ag.erf(ag.tensor(-30)).item() == -1.0 and math.isnan(ag.erfinv(ag.tensor(2)).item())
    x = ag.tensor(7.0)
    x.erf_()
    assert x.item() == 1.0
    y = ag.tensor(-1.0, dtype=ag.float64)
    y.erfinv_()
    assert y.item() == -INF
    # erf(-0.0) is -0.0 (any shape)
    assert math.copysign(1, ag.erf(ag.tensor(-0.0)).item()) == -1
    assert math.copysign(1, ag.erf(ag.tensor([-0.0], dtype=ag.float64)).numpy()[0]) == -1


def test_sinc_of_float16_is_computed_in_float32():
    got = ag.sinc(ag.tensor([-2.0, 4.0, 1.0, 3.9, 0.1, -5.0], dtype=ag.float16))
    same(got, [0.0, 0.0, 0.0, -0.025115966796875, 0.9833984375, -5.960464477539063e-08], np.float16)
    assert ag.sinc(ag.tensor([3.9])).item() == np.float32(-0.025221306830644608)


def test_clamp_of_bool_and_integer_tensors_with_number_bounds_takes_pytorchs_dtype():
    flags = ag.tensor([True, False])
    same(ag.clamp_max(flags, -2), [-2, -2], np.int64)
    same(ag.clamp_min(flags, -2), [1, 0], np.int64)
    same(ag.clamp(flags, 0, 1), [1, 0], np.int64)
    same(ag.clamp(ag.tensor(True), max=-2), -2, np.int64)
    same(ag.clamp_min(flags, 0.5), [1.0, 0.5], np.float32)
    same(ag.clamp(flags, 0, 1.5), [1.0, 0.0], np.float32)
    with pytest.raises(NotImplementedError):
        ag.clamp_min(flags, True)
    with pytest.raises(NotImplementedError):
        ag.clamp(flags, max=False)
    for method, bound in (("clamp_max_", -2), ("clamp_min_", -2), ("clamp_min_", 0.5)):
        target = ag.tensor([True, False])
        with pytest.raises(RuntimeError, match="can't be cast to the desired output type bool"):
            getattr(target, method)(bound)
        same(target, [True, False], np.bool_)  # nothing written
    # an integer bound is converted to the tensor's dtype as PyTorch converts it
    same(ag.clamp_min(ag.tensor([1, 5], dtype=ag.uint8), -2), [254, 254], np.uint8)
    same(ag.clamp_max(ag.tensor([1, 5], dtype=ag.uint8), -255), [1, 1], np.uint8)
    same(ag.clamp_max(ag.tensor([1, 5], dtype=ag.int16), -300), [-300, -300], np.int16)
    for tensor, bound, name in (
        (ag.tensor([1, 5], dtype=ag.int8), 300, "int8_t"),
        (ag.tensor([1, 5], dtype=ag.uint8), 256, "uint8_t"),
        (ag.tensor([1, 5], dtype=ag.int32), 2**31, "int"),
        (ag.tensor([1.0, 5.0]), 1e40, "float"),
        (ag.tensor([1, 5], dtype=ag.int16), 1e40, "float"),  # (float32, then the bound)
    ):
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type {name} without overflow"):
            ag.clamp_max(tensor, bound)


def test_masked_fill_refuses_a_value_that_overflows_the_dtype():
    mask = ag.tensor([True, False])
    for tensor, value, name in (
        (ag.tensor([1, 2]), 1e20, "int64_t"),
        (ag.tensor([1, 2], dtype=ag.int32), 2**31, "int"),
        (ag.tensor([1, 2]), NAN, "int64_t"),
        (ag.tensor([1, 2], dtype=ag.uint8), -2.7, "uint8_t"),
        (ag.tensor([1, 2]), 2**63, "int64_t"),
        (ag.tensor([1.0, 2.0], dtype=ag.float16), 1e5, "c10::Half"),
        (ag.tensor([1.0, 2.0]), 1e40, "float"),
        (ag.tensor([1, 2]), ag.tensor(1e20), "int64_t"),
    ):
        before = tensor.numpy().copy()
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type {name} without overflow"):
            tensor.masked_fill_(mask, value)
        np.testing.assert_array_equal(tensor.numpy(), before)
        with pytest.raises(RuntimeError, match=f"value cannot be converted to type {name} without overflow"):
            ag.masked_fill(tensor, mask, value)
    flags = ag.tensor([False, False])
    flags.masked_fill_(mask, 2**63)  # a bool tensor takes any number
    same(flags, [True, False], np.bool_)
    same(ag.tensor([1.0, 2.0], dtype=ag.float16).masked_fill_(mask, -INF), [-INF, 2.0], np.float16)


def test_out_of_place_masked_fill_keeps_the_tensors_dtype():
    mask = ag.tensor([True, False])
    same(ag.masked_fill(ag.tensor([1, 2]), mask, 2.7), [2, 2], np.int64)
    same(ag.tensor([1, 2], dtype=ag.int8).masked_fill(mask, -2.7), [-2, 2], np.int8)
    same(ag.masked_fill(ag.tensor([1, 2], dtype=ag.uint8), mask, -1), [255, 2], np.uint8)
    same(ag.masked_fill(ag.tensor([True, False]), mask, 2.7), [True, False], np.bool_)
    same(ag.masked_fill(ag.tensor([1, 2]), mask, ag.tensor(2.7, dtype=ag.float64)), [2, 2], np.int64)
    same(ag.masked_fill(ag.tensor([1.0, 2.0], dtype=ag.float16), mask, 2.7), [2.69921875, 2.0], np.float16)
    same(ag.masked_fill(ag.tensor(1.0), mask, 3.0), [3.0, 1.0], np.float32)  # the mask broadcasts the input
    # a 0-d value tensor of another dtype is cast, and its gradient comes back in its own dtype
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    v = ag.tensor(3.0, dtype=ag.float64, requires_grad=True)
    y = x.masked_fill(mask, v)
    same(y, [3.0, 2.0], np.float32)
    y.sum().backward()
    same(x.grad, [0.0, 1.0], np.float32)
    same(v.grad, 1.0, np.float64)
    with pytest.raises(RuntimeError, match="only supports a 0-dimensional value tensor"):
        ag.masked_fill(ag.tensor([1.0, 2.0]), mask, ag.tensor([3.0]))
    with pytest.raises(RuntimeError, match="only supports boolean masks"):
        ag.masked_fill(ag.tensor([1.0, 2.0]), ag.tensor([1, 0]), 3.0)


def test_lerp_promotes_a_0d_weight_with_the_other_operands():
    f64 = ag.float64
    out = ag.lerp(ag.tensor(1.0), ag.tensor(0.5), ag.tensor(0.25, dtype=f64))
    same(out, 0.875, np.float64)  # all three 0-d: float64
    assert ag.lerp(ag.tensor(1e8), ag.tensor(1.0), ag.tensor(0.7, dtype=f64)).item() == 30000000.700000003
    same(ag.lerp(ag.tensor(1.0, dtype=ag.float16), ag.tensor(1.0, dtype=ag.float16), ag.tensor(0.3)), 1.0, np.float32)
    same(ag.lerp(ag.tensor([1.0, 2.0]), ag.tensor(0.5), ag.tensor(0.25, dtype=f64)), [0.875, 1.625], np.float32)
    same(ag.lerp(ag.tensor(1.0), ag.tensor([0.5]), ag.tensor(0.25, dtype=f64)), [0.875], np.float32)
    same(ag.lerp(ag.tensor(1.0, dtype=f64), ag.tensor(3.0, dtype=f64), ag.tensor(0.5)), 2.0, np.float64)
    # a 0-d integer or bool weight is cast too
    same(ag.lerp(ag.tensor(1.0), ag.tensor(3.0), ag.tensor(2)), 5.0, np.float32)
    same(ag.lerp(ag.tensor([1.0, 2.0]), ag.tensor([3.0, 3.0]), ag.tensor(True)), [3.0, 3.0], np.float32)
    with pytest.raises(RuntimeError, match="for `weight`"):
        ag.lerp(ag.tensor([1.0, 2.0]), ag.tensor([1.0, 2.0]), ag.tensor([1, 0]))
    with pytest.raises(RuntimeError, match="for `weight`"):
        ag.lerp(ag.tensor(1.0), ag.tensor(1.0), ag.tensor([0.5], dtype=f64))
    # in place: computed in the common dtype, written in self's
    x = ag.tensor(1e8)
    x.lerp_(ag.tensor(1.0), ag.tensor(0.7, dtype=f64))
    same(x, np.float32(30000000.700000003), np.float32)
    # gradients in each operand's dtype
    a, b = ag.tensor(1.0, requires_grad=True), ag.tensor(0.5, requires_grad=True)
    w = ag.tensor(0.25, dtype=f64, requires_grad=True)
    ag.lerp(a, b, w).backward()
    same(a.grad, 0.75, np.float32)
    same(b.grad, 0.25, np.float32)
    same(w.grad, -0.5, np.float64)


@pytest.mark.parametrize("eps", [None, 0.0, -1.0])
def test_logit_gradient_at_the_ends_is_pytorchs_grad_times_inf(eps):
    x = ag.tensor([-0.0, 0.0, 1.0, 0.5], requires_grad=True)
    ag.logit(x, eps).backward(ag.ones(4))
    same(x.grad, [INF, INF, INF, 4.0])  # +inf at -0.0 too (x (1 - x) is -0.0 there)
    x.grad = None
    ag.logit(x, eps).backward(ag.tensor([-1.0, -1.0, 0.0, 1.0]))
    same(x.grad, [-INF, -INF, NAN, 4.0])  # grad * inf: -inf for a negative grad, NaN for a zero one
    # the values: -inf at -0.0, as in PyTorch
    same(ag.logit(ag.tensor([-0.0, 1.0]), eps), [-INF, INF])


def test_bool_tensors_in_abs_square_pow_and_the_remainders():
    flags = ag.tensor([True, False])
    for call in (lambda: ag.abs(flags), lambda: ag.tensor([True]).abs_(), lambda: abs(flags)):
        with pytest.raises(NotImplementedError):
            call()
    same(ag.square(flags), [1, 0], np.int64)  # pow(x, 2): int64
    with pytest.raises(RuntimeError, match="can't be cast to the desired output type bool"):
        ag.tensor([True]).square_()
    for call in (
        lambda: ag.pow(flags, ag.tensor(False)),
        lambda: ag.tensor([True]).pow_(ag.tensor(False)),
        lambda: flags ** flags,
        lambda: True ** flags,
        lambda: ag.remainder(flags, flags),
        lambda: ag.tensor([True]).remainder_(True),
        lambda: flags % True,
        lambda: ag.floor_divide(flags, True),
        lambda: flags // flags,
        lambda: ag.div(flags, flags, rounding_mode="floor"),
        lambda: ag.div(flags, True, rounding_mode="trunc"),
    ):
        with pytest.raises(NotImplementedError):
            call()
    # a bool tensor to a Python bool power stays bool: x ** True is x, x ** False all True
    same(flags ** True, [True, False], np.bool_)
    same(ag.pow(flags, False), [True, True], np.bool_)
    same(ag.tensor([True, False]).pow_(False), [True, True], np.bool_)
    # with an integer, as before: int64
    same(flags ** 2, [1, 0], np.int64)
    same(ag.remainder(flags, 2), [1, 0], np.int64)
    same(ag.tensor([2, 3]) ** flags, [2, 1], np.int64)
