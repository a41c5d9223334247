"""The array carriers of backward formulas that take shortcuts: they must give what numpy gives."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd.ops import common, formula, reduce


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 40),
    cols=st.integers(0, 40),
    dtype=st.sampled_from([np.float32, np.float64, np.float16, np.int64]),
    axes=st.sampled_from([0, 1, (0,), (1,), None, (0, 1)]),
    keepdims=st.booleans(),
    transposed=st.booleans(),
)
def test_sum_array_equals_numpy_sum(rows, cols, dtype, axes, keepdims, transposed):
    rng = np.random.default_rng(rows * 41 + cols)
    a = (rng.standard_normal((cols, rows)).T if transposed else rng.standard_normal((rows, cols))).astype(dtype)
    got = formula.sum_array(a, axes, keepdims)
    want = np.add.reduce(a, axis=axes, keepdims=keepdims)
    assert np.shape(got) == want.shape
    assert np.asarray(got).dtype == want.dtype
    rtol = {np.float16: 1e-2, np.float32: 1e-5}.get(dtype, 1e-12)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=rtol * 10)


def test_sum_array_keeps_nan_and_inf():
    a = np.array([[1.0, np.nan, 2.0], [np.inf, 1.0, 0.0], [np.inf, -np.inf, 1.0]], np.float32)
    np.testing.assert_array_equal(formula.sum_array(a, 1), [np.nan, np.inf, np.nan])
    np.testing.assert_array_equal(formula.sum_array(a, 0), [np.inf, np.nan, 3.0])


@pytest.mark.parametrize("value_shape, shape", [
    ((), (3,)), ((), (2, 4)), ((), (0, 3)), ((1,), (3,)), ((1,), (2, 4)), ((1,), (0, 3)), ((1, 1), (2, 4)),
    ((1, 1), (1, 1)), ((1, 1), (5, 1, 2)),
])
def test_broadcast_to_one_value_is_a_read_only_view_of_a_copy(value_shape, shape):
    value = np.full(value_shape, 2.5, np.float32)
    out = formula.broadcast_to(value, shape)
    np.testing.assert_array_equal(out, np.broadcast_to(value, shape))
    assert out.dtype == np.float32 and not out.flags.writeable
    value[...] = 7  # the view does not follow later changes of the value it was made from
    assert (out == 2.5).all()


def test_broadcast_to_of_a_numpy_scalar():
    out = formula.broadcast_to(np.float64(1.5), (2, 3))
    assert out.shape == (2, 3) and out.dtype == np.float64 and (out == 1.5).all()


def test_constant_is_read_only_and_made_once():
    made = []

    def make():
        made.append(1)
        return np.arange(4)

    first = common.constant(("test", 4), make)
    second = common.constant(("test", 4), make)
    assert first is second and len(made) == 1
    assert not first.flags.writeable
    with pytest.raises(ValueError):
        first[0] = 9


def test_constant_cache_stays_small():
    for n in range(200):
        common.constant(("test-size", n), lambda: np.zeros(1))
    assert len(common._CONSTANTS) <= 64


@settings(max_examples=60, deadline=None)
@given(
    rows=st.integers(0, 20),
    cols=st.integers(0, 40),
    dtype=st.sampled_from([np.float32, np.float64, np.float16]),
    axis=st.sampled_from([0, 1]),
    special=st.sampled_from([None, np.nan, np.inf, -np.inf]),
    transposed=st.booleans(),
)
def test_max_or_neg_inf_equals_numpy_max(rows, cols, dtype, axis, special, transposed):
    rng = np.random.default_rng(rows * 41 + cols)
    a = (rng.standard_normal((cols, rows)).T if transposed else rng.standard_normal((rows, cols))).astype(dtype)
    if special is not None and a.size:
        a[rng.integers(rows), rng.integers(cols)] = special
    got = reduce.max_or_neg_inf(a, axis)
    want = np.max(a, axis=axis, keepdims=True, initial=-np.inf)
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", ["<i1", ">i1", "<i2", ">i4", "<i8", ">i8", "<u1", ">u2", "<u8"])
def test_all_below_finds_negative_and_too_large_entries_in_any_integer_dtype(dtype):
    from autograd.ops.index import all_below

    info = np.iinfo(np.dtype(dtype))
    for bound in (1, 10, 127, 128, 300, 2 ** 40):
        for values in ([0], [bound - 1], [bound], [info.max], [info.min], [-1], [3, 0, 1]):
            fits = [v for v in values if info.min <= v <= info.max]
            if not fits:
                continue
            index = np.array(fits, dtype=dtype)
            want = bool(np.all((index.astype(object) >= 0) & (index.astype(object) < bound)))
            assert all_below(index, bound) == want, (dtype, bound, fits)
    assert all_below(np.zeros((0,), dtype), 0)


@settings(max_examples=60, deadline=None)
@given(
    shape=st.lists(st.integers(0, 40), min_size=0, max_size=3).map(tuple),
    dtype=st.sampled_from([np.float32, np.float64, np.float16, np.int32]),
    transposed=st.booleans(),
)
def test_relu_against_a_zero_row_equals_maximum_with_zero(shape, dtype, transposed):
    import autograd

    rng = np.random.default_rng(sum(shape) + len(shape))
    a = (rng.standard_normal(shape) * 3).astype(dtype)
    if transposed:
        a = a.T
    if a.size and dtype != np.int32:
        a.flat[0], a.flat[-1] = np.nan, -0.0
    zero = common.zeros_along_last_axis(a)
    if not isinstance(zero, int):
        assert zero.dtype == a.dtype and zero.shape == a.shape[-1:] and not zero.flags.writeable and not zero.any()
    got = autograd.tensor(a).relu().numpy()
    want = np.maximum(a, 0)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)  # NaN where NaN; the sign of relu(-0.0) is no contract (PyTorch: -0.0)


def _same_bits(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    if want.dtype.kind == "f":
        bits = {2: np.uint16, 4: np.uint32, 8: np.uint64}[want.dtype.itemsize]
        np.testing.assert_array_equal(got.view(bits), want.view(bits))
    else:
        np.testing.assert_array_equal(got, want)


_SPECIALS = np.array([np.nan, -np.nan, np.inf, -np.inf, 0.0, -0.0, 1e-45, -1e-45, 5e-324])


@settings(max_examples=80, deadline=None)
@given(
    shapes=st.sampled_from([
        ((128, 96), (128, 96), (128, 96)), ((128, 96), (96,), ()), ((1, 96), (128, 96), (128, 1)),
        ((128, 96), (), (128, 96)), ((96,), (128, 96), ()), ((3,), (3,), ()), ((90, 91), (90, 91), (91,)),
    ]),
    dtypes=st.sampled_from([(np.float32, np.float32), (np.float64, np.float32), (np.float16, np.float16),
                            (np.float32, "pyfloat"), (np.float64, "pyint"), (np.int64, np.int64), (np.float32, np.int32)]),
    transposed=st.booleans(),
    seed=st.integers(0, 2 ** 16),
)
def test_select_array_equals_numpy_where_bit_for_bit(shapes, dtypes, transposed, seed):
    rng = np.random.default_rng(seed)
    cond_shape, a_shape, b_shape = shapes

    def operand(shape, dtype):
        if shape == () and dtype in ("pyfloat", "pyint"):
            return 0.5 if dtype == "pyfloat" else 3
        dtype = np.float64 if dtype in ("pyfloat", "pyint") else dtype
        values = rng.standard_normal(shape) * 4
        if values.size and np.dtype(dtype).kind == "f":
            flat = values.reshape(-1)
            picks = rng.integers(0, flat.size, min(flat.size, 20))
            flat[picks] = rng.choice(_SPECIALS, len(picks))
        return values.astype(dtype)

    condition = rng.random(cond_shape) < 0.5
    if transposed and condition.ndim == 2:
        condition = np.ascontiguousarray(condition.T).T
    a, b = operand(a_shape, dtypes[0]), operand(b_shape, dtypes[1])
    _same_bits(common.select_array(condition, a, b), np.where(condition, a, b))
    _same_bits(common.select_array(condition, b, a), np.where(condition, b, a))


@pytest.mark.parametrize("slope", [0.01, 0.2, 1.0, 1.5, 0.0, -0.5, 3])
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_leaky_relu_forward_is_where_bit_for_bit(slope, dtype):
    import autograd

    rng = np.random.default_rng(7)
    a = (rng.standard_normal((64, 160)) * 3).astype(dtype)
    a.reshape(-1)[:len(_SPECIALS)] = _SPECIALS.astype(dtype)
    got = autograd.leaky_relu(autograd.tensor(a), slope).numpy()
    with np.errstate(invalid="ignore"):  # inf * 0
        _same_bits(got, np.where(a > 0, a, a * slope).astype(dtype))


def test_leaky_relu_of_an_integer_tensor_is_refused_like_pytorch():
    import autograd

    with pytest.raises(RuntimeError, match="leaky_relu: not implemented for int64"):
        autograd.leaky_relu(autograd.tensor([-4, -1, 0, 3]), 0.5)
