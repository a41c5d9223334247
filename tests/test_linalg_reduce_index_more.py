"""PyTorch's linear-algebra, reduction and indexing ops added with its names: forward values against numpy in
float32 and float64, gradients against finite differences (``autograd.gradcheck``, float64) over broadcasting,
0-d and size-1 shapes, the edge cases (zeros in prod/cumprod, repeated indices, empty selections), PyTorch's
dtype rules, and errors that name the op and the shapes.

(Each op's plain and create_graph backward modes are compared in tests/backward_cases_linalg.py.)
"""
import numpy as np
import pytest

import autograd
from autograd import Tensor

FLOATS = [np.float32, np.float64]
RTOL = {np.float32: 2e-5, np.float64: 1e-12}


def rng(seed=0):
    return np.random.default_rng(seed)


def arr(*shape, dtype=np.float64, seed=0, low=-2.0, high=2.0):
    return rng(seed).uniform(low, high, shape).astype(dtype)


def t(a, grad=False):
    return autograd.tensor(np.asarray(a), requires_grad=grad)


def leaf(*shape, seed=0, **kwargs):
    return t(arr(*shape, seed=seed, **kwargs), grad=True)


def close(got, want, dtype=np.float64):
    got = got.detach().numpy() if isinstance(got, Tensor) else np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape, (got.shape, want.shape)
    np.testing.assert_allclose(got, want, rtol=RTOL.get(dtype, 1e-12), atol=RTOL.get(dtype, 1e-12))


def grad_of(out, inputs, weight=None):
    """Gradients of sum(out * weight) for the leaves ``inputs``."""
    weight = np.ones(out.shape) if weight is None else weight
    return autograd.grad((out * t(np.asarray(weight, dtype=out.dtype))).sum(), inputs)


def check(fn, *arrays):
    """gradcheck ``fn`` at float64 leaves holding ``arrays``."""
    leaves = [t(np.asarray(a, dtype=np.float64), grad=True) for a in arrays]
    assert autograd.gradcheck(fn, leaves)


def check_second(fn, *arrays):
    """gradcheck the create_graph gradient of sum(fn(...) * w): second derivatives."""
    leaves = [t(np.asarray(a, dtype=np.float64), grad=True) for a in arrays]

    def first(*xs):
        out = fn(*xs)
        w = t(np.cos(np.arange(out.numel()).reshape(out.shape)) + 0.5)
        return autograd.grad((out * w).sum(), xs, create_graph=True)

    assert autograd.gradcheck(first, leaves)


# ============================================================================ forward values vs numpy
@pytest.mark.parametrize("dtype", FLOATS)
def test_matrix_products_match_numpy(dtype):
    a, b, v, w = arr(2, 3, dtype=dtype), arr(3, 4, dtype=dtype, seed=1), arr(3, dtype=dtype, seed=2), arr(4, dtype=dtype, seed=3)
    ba, bb = arr(5, 2, 3, dtype=dtype, seed=4), arr(5, 3, 4, dtype=dtype, seed=5)
    close(autograd.mm(t(a), t(b)), a @ b, dtype)
    close(t(a).mm(t(b)), a @ b, dtype)
    close(autograd.bmm(t(ba), t(bb)), ba @ bb, dtype)
    close(autograd.mv(t(a), t(v)), a @ v, dtype)
    close(autograd.outer(t(v), t(w)), np.outer(v, w), dtype)
    close(autograd.ger(t(v), t(w)), np.outer(v, w), dtype)
    close(autograd.addmm(t(w), t(a), t(b), beta=0.5, alpha=-2.0), 0.5 * w - 2.0 * (a @ b), dtype)
    close(autograd.baddbmm(t(w), t(ba), t(bb), beta=2), 2 * w + ba @ bb, dtype)
    close(autograd.addmv(t(a[:, 0]), t(a), t(v), alpha=3), a[:, 0] + 3 * (a @ v), dtype)
    close(autograd.addr(t(a[:, :1]), t(a[:, 0]), t(v), beta=-1), -a[:, :1] + np.outer(a[:, 0], v), dtype)
    for out in (autograd.mm(t(a), t(b)), autograd.addmm(t(w), t(a), t(b))):
        assert out.dtype == dtype


def test_addmm_beta_zero_ignores_nan_input_and_gives_it_a_zero_gradient():
    i = t(np.full((2, 4), np.nan), grad=True)
    a, b = leaf(2, 3), leaf(3, 4, seed=1)
    out = autograd.addmm(i, a, b, beta=0, alpha=2)
    close(out, 2 * (a.detach().numpy() @ b.detach().numpy()))
    (gi,) = autograd.grad(out.sum(), [i])
    close(gi, np.zeros((2, 4)))


def test_addmm_family_truncates_alpha_and_beta_for_integer_tensors():
    ones = t(np.ones((2, 2), dtype=np.int64))
    out = autograd.addmm(ones, ones, ones, alpha=1.5)  # PyTorch: alpha becomes 1 (1 + 2, not 1 + 3)
    assert out.dtype == autograd.int64
    np.testing.assert_array_equal(out.numpy(), np.full((2, 2), 3))


EINSUMS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ii", [(3, 3)]),
    ("ii->i", [(3, 3)]),
    ("iij->ji", [(2, 2, 3)]),
    ("ij->ji", [(2, 3)]),
    ("ba", [(2, 3)]),
    ("bA", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (4, 3, 2)]),
    ("...ij->...", [(2, 2, 3)]),
    ("i...->i", [(2, 2, 3)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]),
    ("bij,bjk->bik", [(1, 2, 3), (4, 3, 5)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("ij,k->ik", [(2, 3), (4,)]),
    ("bii,bi->b", [(2, 3, 3), (2, 3)]),
    ("->", [()]),
    (",i->i", [(), (3,)]),
    ("i j , j -> i", [(2, 3), (3,)]),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("equation,shapes", EINSUMS, ids=[e for e, _ in EINSUMS])
def test_einsum_matches_numpy_and_its_gradient_is_right(equation, shapes, dtype):
    arrays = [arr(*s, dtype=dtype, seed=k) for k, s in enumerate(shapes)]
    numpy_equation = equation.replace(" ", "")
    # numpy orders an implicit output by its own rule (PyTorch's is ASCII: A, then b), and refuses to sum an
    # ellipsis away (PyTorch sums it)
    numpy_equation = {"bA": "bA->Ab", "i...->i": "ijk->i"}.get(numpy_equation, numpy_equation)
    close(autograd.einsum(equation, *[t(a) for a in arrays]), np.einsum(numpy_equation, *arrays), dtype)
    if dtype == np.float64:
        check(lambda *xs: autograd.einsum(equation, *xs), *arrays)


def test_einsum_takes_the_operands_as_one_list_and_keeps_integer_dtypes():
    a, b = arr(2, 3), arr(3, 4, seed=1)
    close(autograd.einsum("ij,jk->ik", [t(a), t(b)]), a @ b)
    out = autograd.einsum("i,i", t(np.array([1, 2])), t(np.array([3, 4])))
    assert out.dtype == autograd.int64 and out.item() == 11


def test_einsum_result_never_shares_memory_with_an_operand():
    a = t(arr(3, 3))
    for equation in ("ij->ji", "ii->i", "ij->ij"):
        out = autograd.einsum(equation, a)
        assert not np.may_share_memory(out.numpy(), a.numpy()), equation


def test_einsum_second_derivatives():
    check_second(lambda a, b: autograd.einsum("ij,jk->ik", a, b) ** 2, arr(2, 3), arr(3, 2, seed=1))
    check_second(lambda a: autograd.einsum("ii->i", a) ** 3, arr(3, 3))


TENSORDOTS = [
    ((2, 3, 4), (3, 4, 5), 2),
    ((2, 3), (3, 2), 1),
    ((2, 3), (2,), 0),
    ((2, 3, 4), (3, 4, 2), ([2, 0], [1, 2])),
    ((2, 3), (3, 2), ([-1], [0])),
    ((2, 3), (3, 2), [[1], [0]]),
    ((3,), (3,), 1),
]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape_a,shape_b,dims", TENSORDOTS, ids=[str(d) for _, _, d in TENSORDOTS])
def test_tensordot_matches_numpy(shape_a, shape_b, dims, dtype):
    a, b = arr(*shape_a, dtype=dtype), arr(*shape_b, dtype=dtype, seed=1)
    numpy_dims = dims if isinstance(dims, int) else (list(dims[0]), list(dims[1]))
    close(autograd.tensordot(t(a), t(b), dims), np.tensordot(a, b, numpy_dims), dtype)
    if dtype == np.float64:
        check(lambda x, y: autograd.tensordot(x, y, dims), a, b)


def test_tensordot_takes_dims_as_a_tensor():
    a, b = arr(2, 3, 4), arr(3, 4, 5, seed=1)
    close(autograd.tensordot(t(a), t(b), dims=t(np.array([[1, 2], [0, 1]]))), np.tensordot(a, b, 2))


@pytest.mark.parametrize("dtype", FLOATS)
def test_triangles_and_diagonals_match_numpy(dtype):
    a = arr(3, 4, dtype=dtype)
    a3 = arr(2, 3, 4, dtype=dtype)
    v = arr(3, dtype=dtype)
    for k in (-2, -1, 0, 1, 5):
        close(autograd.tril(t(a), k), np.tril(a, k), dtype)
        close(t(a).triu(diagonal=k), np.triu(a, k), dtype)
        close(autograd.diag(t(a), k), np.diag(a, k), dtype)
        close(autograd.diag(t(v), k), np.diag(v, k), dtype)
    close(autograd.tril(t(a3), -1), np.tril(a3, -1), dtype)  # batched over the leading dims
    close(autograd.diagonal(t(a3), 1, 1, 2), np.diagonal(a3, 1, 1, 2), dtype)
    close(autograd.diagonal(t(a3), 0, 2, 0), np.diagonal(a3, 0, 2, 0), dtype)
    close(t(a3).diagonal(-1, -1, -2), np.diagonal(a3, -1, -1, -2), dtype)
    close(autograd.trace(t(a)), np.trace(a), dtype)
    embedded = autograd.diag_embed(t(a), 1)
    assert embedded.shape == (3, 5, 5)
    close(autograd.diagonal(embedded, 1, -2, -1), a, dtype)
    close(embedded.sum(), a.sum(), dtype)


def test_triangles_keep_integer_and_bool_dtypes_and_trace_sums_integers_in_int64():
    ints = np.arange(12, dtype=np.int32).reshape(3, 4)
    out = autograd.tril(t(ints), 1)
    assert out.dtype == autograd.int32
    np.testing.assert_array_equal(out.numpy(), np.tril(ints, 1))
    assert autograd.triu(t(np.ones((2, 2), bool)), 1).numpy().tolist() == [[False, True], [False, False]]
    traced = autograd.trace(t(ints))
    assert traced.dtype == autograd.int64 and traced.item() == 15


def test_diagonal_is_a_view_that_writes_through_and_shares_the_version_counter():
    base = autograd.zeros(2, 3)
    d = base.diagonal()
    d.fill_(1.0)
    np.testing.assert_array_equal(base.numpy(), np.eye(2, 3))
    assert base.version == d.version == 1
    d2 = autograd.diag(base)  # diag of a matrix is a copy
    d2.fill_(5.0)
    np.testing.assert_array_equal(base.numpy(), np.eye(2, 3))


@pytest.mark.parametrize("dtype", FLOATS)
def test_kron_and_cross_match_numpy(dtype):
    a, b = arr(2, 3, dtype=dtype), arr(3, dtype=dtype, seed=1)
    close(autograd.kron(t(a), t(b)), np.kron(a, b), dtype)
    c = arr(3, 1, 2, dtype=dtype, seed=2)
    close(t(a[:, :2]).kron(t(c)), np.kron(a[:, :2], c), dtype)
    close(autograd.kron(t(np.asarray(2.0, dtype)), t(b)), 2.0 * b, dtype)
    x, y = arr(4, 3, dtype=dtype), arr(1, 3, dtype=dtype, seed=3)
    close(autograd.cross(t(x), t(y), dim=-1), np.cross(x, y), dtype)
    close(autograd.cross(t(x.T), t(np.broadcast_to(y, (4, 3)).T.copy()), dim=0), np.cross(x, y).T, dtype)
    close(autograd.cross(t(x), t(np.broadcast_to(y, (4, 3)).copy())), np.cross(x, y), dtype)  # first dim of size 3


@pytest.mark.parametrize("dtype", FLOATS)
def test_products_and_scans_match_numpy(dtype):
    a = arr(3, 4, dtype=dtype)
    close(autograd.prod(t(a)), np.prod(a), dtype)
    close(t(a).prod(1), np.prod(a, 1), dtype)
    close(autograd.prod(t(a), -2, keepdim=True), np.prod(a, 0, keepdims=True), dtype)
    close(autograd.prod(t(a), axis=1, keepdims=True), np.prod(a, 1, keepdims=True), dtype)
    close(autograd.cumprod(t(a), 1), np.cumprod(a, 1), dtype)
    close(t(a).cumprod(dim=0), np.cumprod(a, 0), dtype)
    close(autograd.logcumsumexp(t(a), 1), np.log(np.cumsum(np.exp(a.astype(np.float64)), 1)).astype(dtype), dtype)
    assert autograd.prod(t(a)).dtype == autograd.cumprod(t(a), 0).dtype == dtype


def test_logcumsumexp_neither_overflows_nor_underflows():
    values = np.array([-1000.0, 0.0, 1.0, 800.0, 799.0])
    x = leaf_values(values)
    out = autograd.logcumsumexp(x, 0)
    np.testing.assert_allclose(
        out.detach().numpy(), [-1000.0, 0.0, 1 + np.log1p(np.exp(-1.0)), 800.0, 800 + np.log1p(np.exp(-1.0))]
    )
    w = np.array([1.0, -2.0, 0.5, 3.0, -1.0])
    (g,) = grad_of(out, [x], w)
    np.testing.assert_allclose(g.numpy(), _lcse_grad_reference(values, w), rtol=1e-10, atol=1e-300)
    assert np.isfinite(g.numpy()).all()


def leaf_values(values):
    return t(np.asarray(values, dtype=np.float64), grad=True)


def _lcse_grad_reference(x, w):
    """d/dx_j sum_i w_i logcumsumexp(x)_i = sum_(i >= j) w_i exp(x_j - y_i), term by term in float64."""
    y = np.logaddexp.accumulate(x)
    return np.array([sum(w[i] * np.exp(x[j] - y[i]) for i in range(j, len(x))) for j in range(len(x))])


def test_logcumsumexp_of_minus_infinity():
    x = leaf_values([-np.inf, -np.inf, 1.0])
    out = autograd.logcumsumexp(x, 0)
    np.testing.assert_array_equal(out.detach().numpy(), [-np.inf, -np.inf, 1.0])
    (g,) = autograd.grad(out.sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [np.nan, np.nan, 1.0])  # PyTorch's: NaN where the output is -inf


@pytest.mark.parametrize("dtype", FLOATS)
def test_std_mean_and_var_mean_match_numpy(dtype):
    a = arr(3, 4, dtype=dtype)
    s, m = autograd.std_mean(t(a))
    close(s, np.std(a, ddof=1), dtype)
    close(m, np.mean(a), dtype)
    v, m = autograd.var_mean(t(a), 1, keepdim=True, correction=0)
    close(v, np.var(a, 1, keepdims=True), dtype)
    close(m, np.mean(a, 1, keepdims=True), dtype)
    v, m = autograd.var_mean(t(a), (0, 1), unbiased=False)
    close(v, np.var(a), dtype)
    s, m = autograd.std_mean(t(a), False)  # PyTorch's older form: unbiased as the second argument
    close(s, np.std(a), dtype)
    result = autograd.var_mean(t(a), dim=0)
    assert type(result) is tuple and len(result) == 2
    assert not hasattr(Tensor, "var_mean") and not hasattr(Tensor, "std_mean")  # functions only, as in PyTorch


@pytest.mark.parametrize("dtype", FLOATS)
def test_nan_reductions_match_numpy(dtype):
    a = arr(3, 4, dtype=dtype)
    a[0, 1] = a[2, 3] = a[2, 0] = np.nan
    close(autograd.nansum(t(a)), np.nansum(a), dtype)
    close(t(a).nansum(1, keepdim=True), np.nansum(a, 1, keepdims=True), dtype)
    close(autograd.nanmean(t(a), 0), np.nanmean(a, 0), dtype)
    close(autograd.nanmean(t(a)), np.nanmean(a), dtype)
    all_nan = np.full((2,), np.nan, dtype)
    assert np.isnan(autograd.nanmean(t(all_nan)).item())
    assert autograd.nansum(t(all_nan)).item() == 0.0


@pytest.mark.parametrize("dtype", FLOATS)
def test_median_is_the_lower_median_as_in_pytorch(dtype):
    a = arr(5, 4, dtype=dtype)
    lower = lambda x, axis: np.sort(x, axis=axis).take((x.shape[axis] - 1) // 2, axis=axis)  # noqa: E731
    close(autograd.median(t(a)), np.sort(a.ravel())[(a.size - 1) // 2], dtype)
    values, indices = autograd.median(t(a), 1)
    close(values, lower(a, 1), dtype)
    np.testing.assert_array_equal(np.take_along_axis(a, indices.numpy()[:, None], 1)[:, 0], values.numpy())
    values, indices = t(a).median(0, keepdim=True)
    assert values.shape == indices.shape == (1, 4)
    close(values, lower(a, 0)[None], dtype)
    result = autograd.median(t(a), dim=1)
    assert type(result).__name__ == "median" and result.values is result[0] and result.indices is result[1]
    assert indices.dtype == autograd.int64
    assert autograd.median(t(np.array([1.0, 4.0, 2.0, 3.0], dtype))).item() == 2.0  # lower of 2 and 3


def test_median_with_nan_and_ties_picks_what_pytorch_picks():
    assert np.isnan(autograd.median(t([1.0, np.nan, 2.0])).item())
    values, indices = autograd.median(t([[1.0, np.nan, 2.0, np.nan], [3.0, 1.0, 3.0, 3.0]]), 1)
    assert np.isnan(values.numpy()[0]) and values.numpy()[1] == 3.0
    assert indices.tolist() == [1, 0]  # the first NaN; among ties, the one a stable sort puts in the middle
    assert autograd.median(t([[3.0, 1.0, 3.0, 3.0, 3.0]]), 1).indices.tolist() == [2]
    assert autograd.nanmedian(t([1.0, np.nan, 2.0, 5.0])).item() == 2.0
    values, indices = autograd.nanmedian(t([[1.0, np.nan, 2.0, 5.0], [3.0, 1.0, np.nan, np.nan]]), 1)
    assert values.tolist() == [2.0, 1.0] and indices.tolist() == [2, 1]
    assert np.isnan(autograd.median(t(np.zeros(0))).item())


def test_median_gradients_go_to_the_chosen_element_or_are_shared_by_ties():
    x = leaf_values([1.0, 2.0, 2.0, 3.0])
    (g,) = autograd.grad(autograd.median(x), [x])
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.5, 0.5, 0.0])
    x = leaf_values([[1.0, 2.0, 2.0, 3.0]])
    (g,) = autograd.grad(autograd.median(x, 1).values.sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [[0.0, 1.0, 0.0, 0.0]])
    x = leaf_values([1.0, np.nan, 2.0, np.nan])
    (g,) = autograd.grad(autograd.median(x), [x])
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.5, 0.0, 0.5])


def test_integer_reductions_follow_pytorchs_dtypes():
    ints = t(np.array([[1, 2], [3, 4]], dtype=np.int32))
    assert autograd.prod(ints).dtype == autograd.int64 and autograd.prod(ints).item() == 24
    assert autograd.prod(ints, 0).tolist() == [3, 8] and autograd.prod(ints, 0).dtype == autograd.int64
    assert autograd.prod(t(np.array([True, True]))).dtype == autograd.int64
    assert autograd.prod(ints, dtype=autograd.float64).dtype == autograd.float64
    assert autograd.cumprod(t(np.array([1, 2, 3, 4])), 0).tolist() == [1, 2, 6, 24]
    assert autograd.cumprod(t(np.array([True, False])), 0).dtype == autograd.int64
    assert autograd.cumprod(t(np.array([1, 2, 3])), 0, dtype=autograd.float32).dtype == autograd.float32
    assert autograd.nansum(ints).dtype == autograd.int64 and autograd.nansum(ints).item() == 10
    assert autograd.median(t(np.array([1, 4, 2, 3]))).item() == 2
    assert autograd.median(t(np.array([[1, 3, 2]])), 1).values.dtype == autograd.int64


def test_count_nonzero():
    x = t(np.array([[0.0, 1.0, 2.0], [np.nan, 0.0, 0.0]]))
    out = autograd.count_nonzero(x)
    assert out.dtype == autograd.int64 and out.item() == 3  # NaN is not zero
    assert x.count_nonzero(0).tolist() == [1, 1, 1]
    assert autograd.count_nonzero(x, dim=(0, 1)).item() == 3
    assert autograd.count_nonzero(x, axis=1).tolist() == [2, 1]
    assert autograd.count_nonzero(t(np.array(0.0))).item() == 0


def test_prod_and_cumprod_of_0d_and_empty_tensors():
    x = t(np.array(3.0), grad=True)
    close(autograd.prod(x, 0), 3.0)
    close(autograd.cumprod(x, 0), 3.0)
    assert autograd.prod(x, 0).shape == autograd.cumprod(x, -1).shape == ()
    close(autograd.prod(t(np.ones((0, 3))), 0), np.ones(3))
    close(autograd.prod(t(np.ones((0, 3)))), 1.0)


# ============================================================================ gradients (float64)
GRADCHECKS = {
    "mm": (lambda a, b: autograd.mm(a, b), [(2, 3), (3, 4)]),
    "mm 1x1": (lambda a, b: autograd.mm(a, b), [(1, 1), (1, 2)]),
    "bmm": (lambda a, b: autograd.bmm(a, b), [(2, 2, 3), (2, 3, 1)]),
    "mv": (lambda a, v: autograd.mv(a, v), [(2, 3), (3,)]),
    "addmm broadcast input": (lambda i, a, b: autograd.addmm(i, a, b, beta=0.5, alpha=-2.0), [(1, 4), (2, 3), (3, 4)]),
    "addmm 0-d input": (lambda i, a, b: autograd.addmm(i, a, b), [(), (2, 3), (3, 4)]),
    "baddbmm": (lambda i, a, b: autograd.baddbmm(i, a, b, beta=2), [(2, 1), (3, 2, 3), (3, 3, 1)]),
    "addmv": (lambda i, a, v: autograd.addmv(i, a, v, alpha=3), [(1,), (2, 3), (3,)]),
    "addr": (lambda i, a, b: autograd.addr(i, a, b, beta=2, alpha=0.5), [(3,), (2,), (3,)]),
    "outer": (lambda a, b: autograd.outer(a, b), [(2,), (1,)]),
    "tril": (lambda x: autograd.tril(x, -1), [(2, 3, 4)]),
    "triu": (lambda x: autograd.triu(x, 1), [(4, 3)]),
    "diag vector": (lambda x: autograd.diag(x, -1), [(3,)]),
    "diag matrix": (lambda x: autograd.diag(x, 1), [(3, 4)]),
    "diagonal": (lambda x: autograd.diagonal(x, 1, 2, 0), [(2, 3, 4)]),
    "diag_embed": (lambda x: autograd.diag_embed(x, 1, 0, 2), [(2, 3)]),
    "trace": (lambda x: autograd.trace(x), [(3, 4)]),
    "trace 1x1": (lambda x: autograd.trace(x), [(1, 1)]),
    "kron": (lambda a, b: autograd.kron(a, b), [(2, 2), (3, 1, 2)]),
    "kron 0-d": (lambda a, b: autograd.kron(a, b), [(), (3,)]),
    "cross broadcast": (lambda a, b: autograd.cross(a, b, dim=-1), [(4, 3), (1, 3)]),
    "cross dim 0": (lambda a, b: autograd.cross(a, b, dim=0), [(3, 2), (3, 2)]),
    "prod": (lambda x: autograd.prod(x), [(2, 3)]),
    "prod dim keepdim": (lambda x: autograd.prod(x, 1, keepdim=True), [(2, 3)]),
    "prod 0-d": (lambda x: autograd.prod(x, 0), [()]),
    "prod size-1": (lambda x: autograd.prod(x, 0), [(1, 3)]),
    "cumprod": (lambda x: autograd.cumprod(x, 1), [(2, 4)]),
    "cumprod 0-d": (lambda x: autograd.cumprod(x, 0), [()]),
    "std_mean": (lambda x: autograd.std_mean(x, 1), [(3, 4)]),
    "var_mean all": (lambda x: autograd.var_mean(x, correction=0), [(2, 3)]),
    "logcumsumexp": (lambda x: autograd.logcumsumexp(x, 1), [(2, 4)]),
    "logcumsumexp 0-d": (lambda x: autograd.logcumsumexp(x, 0), [()]),
    "median all": (lambda x: autograd.median(x), [(3, 4)]),
    "median dim": (lambda x: autograd.median(x, 0).values, [(5, 3)]),
    "nanmedian dim": (lambda x: autograd.nanmedian(x, 1, keepdim=True).values, [(3, 4)]),
    "index_select repeats": (lambda x: autograd.index_select(x, 1, t(np.array([0, 2, 2, 0]))), [(3, 4)]),
    "index_select 0-d input": (lambda x: autograd.index_select(x, 0, t(np.array([0]))), [()]),
    "masked_select broadcast": (lambda x: autograd.masked_select(x, t(np.array([[True], [False]]))), [(3,)]),
    "scatter src larger than index": (
        lambda x, s: autograd.scatter(x, 0, t(np.array([[0, 1], [2, 0]])), s), [(3, 3), (2, 3)]),
    "scatter value": (lambda x: autograd.scatter(x, 1, t(np.array([[0, 1], [2, 0]])), 5.0), [(3, 3)]),
    "scatter reduce add": (
        lambda x, s: autograd.scatter(x, 1, t(np.array([[0, 0], [2, 2]])), s, reduce="add"), [(3, 3), (2, 2)]),
    "scatter reduce multiply": (
        lambda x: autograd.scatter(x, 1, t(np.array([[0, 0], [2, 1]])), 3.0, reduce="multiply"), [(3, 3)]),
    "scatter 0-d": (lambda x, s: autograd.scatter(x, 0, t(np.array(0)), s), [(), ()]),
    "scatter_add repeats": (lambda x, s: autograd.scatter_add(x, 1, t(np.array([[0, 0], [2, 2]])), s), [(3, 3), (3, 3)]),
    "index_add repeats": (lambda x, s: autograd.index_add(x, 0, t(np.array([0, 0, 2])), s, alpha=2), [(3, 3), (3, 3)]),
    "index_add 0-d": (lambda x, s: autograd.index_add(x, 0, t(np.array([0])), s), [(), ()]),
    "index_copy": (lambda x, s: autograd.index_copy(x, 1, t(np.array([2, 0])), s), [(3, 3), (3, 2)]),
    "index_fill": (lambda x: autograd.index_fill(x, 0, t(np.array([-1])), 2.0), [(3, 2)]),
    "index_fill tensor value": (lambda x, v: autograd.index_fill(x, 1, t(np.array([0, 2])), v), [(3, 3), ()]),
    "take_along_dim broadcast": (lambda x: autograd.take_along_dim(x, t(np.array([[0, 3, 0]])), 1), [(3, 4)]),
    "take_along_dim input broadcast": (lambda x: autograd.take_along_dim(x, t(np.array([[0], [1], [1]])), 1), [(1, 4)]),
    "take_along_dim flat": (lambda x: autograd.take_along_dim(x, t(np.array([5, 0, 5]))), [(3, 4)]),
    "take": (lambda x: autograd.take(x, t(np.array([[0, 11], [-1, 0]]))), [(3, 4)]),
    "select": (lambda x: autograd.select(x, 1, -1), [(3, 4)]),
    "select 1-d": (lambda x: autograd.select(x, 0, 1), [(3,)]),
}


@pytest.mark.parametrize("name", list(GRADCHECKS))
def test_gradcheck(name):
    fn, shapes = GRADCHECKS[name]
    check(fn, *[arr(*s, seed=k, low=0.5, high=2.0) * np.where(rng(k + 7).random(s) < 0.5, -1, 1) for k, s in enumerate(shapes)])


# ============================================================================ edge cases
PROD_ZEROS = [
    np.array([2.0, 0.0, 3.0]),  # one zero
    np.array([0.0, 2.0, 0.0, 3.0]),  # two zeros
    np.array([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]]),
    np.array([0.0]),
    np.array([[0.0, 1.0], [0.0, 2.0], [3.0, 0.0]]),
]


def _product_of_others(x, axis):
    """Reference: d prod / d x_k by brute force (the product of the others along ``axis``)."""
    x = np.moveaxis(x, axis, -1)
    out = np.empty_like(x)
    for k in range(x.shape[-1]):
        out[..., k] = np.prod(np.delete(x, k, axis=-1), axis=-1)
    return np.moveaxis(out, -1, axis)


@pytest.mark.parametrize("values", PROD_ZEROS, ids=range(len(PROD_ZEROS)))
def test_prod_gradient_with_zeros(values):
    x = t(values, grad=True)
    (g,) = autograd.grad(autograd.prod(x), [x])
    np.testing.assert_allclose(g.numpy(), _product_of_others(values.reshape(-1), 0).reshape(values.shape))
    if values.ndim == 2:
        for dim in (0, 1):
            (g,) = autograd.grad(autograd.prod(x, dim).sum(), [x])
            np.testing.assert_allclose(g.numpy(), _product_of_others(values, dim))
    check(lambda y: autograd.prod(y, -1), values)
    check_second(lambda y: autograd.prod(y, -1), values)


def test_prod_gradient_with_one_zero_is_the_product_of_the_others_and_zero_elsewhere():
    x = leaf_values([[2.0, 0.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 3.0]])
    (g,) = autograd.grad(x.prod(1).sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [[0.0, 6.0, 0.0], [0.0, 0.0, 0.0], [6.0, 3.0, 2.0]])  # PyTorch's values


def _cumprod_grad_reference(x, w):
    """d/dx_k sum_i w_i cumprod(x)_i by brute force."""
    n = len(x)
    return np.array([sum(w[i] * np.prod(np.delete(x[: i + 1], k)) for i in range(k, n)) for k in range(n)])


@pytest.mark.parametrize("values", [
    [2.0, 0.0, 3.0, 4.0], [0.0, 1.0, 2.0], [1.0, 2.0, 0.0], [2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 0.0], [0.0], [1.5, -2.0, 0.5],
])
def test_cumprod_gradient_with_zeros(values):
    values = np.array(values)
    w = np.cos(np.arange(len(values))) + 0.5
    x = t(values, grad=True)
    (g,) = grad_of(autograd.cumprod(x, 0), [x], w)
    np.testing.assert_allclose(g.numpy(), _cumprod_grad_reference(values, w), rtol=1e-12, atol=1e-12)
    check(lambda y: autograd.cumprod(y, 0), values)
    check_second(lambda y: autograd.cumprod(y, 0), values)


def test_cumprod_gradient_with_zeros_along_either_dim():
    values = np.array([[2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 2.0, -3.0, 4.0, 0.5]])
    check(lambda y: autograd.cumprod(y, 1), values)
    check(lambda y: autograd.cumprod(y, 0), values)


def test_scatter_add_and_index_add_gradients_accumulate_repeated_indices():
    x, src = leaf(3, 3), leaf(2, 2, seed=1)
    index = t(np.array([[0, 0], [2, 2]]))
    out = autograd.scatter_add(x, 1, index, src)
    expected = x.detach().numpy().copy()
    np.add.at(expected, (np.array([[0], [1]]), index.numpy()), src.detach().numpy())
    close(out, expected)
    weight = np.arange(9.0).reshape(3, 3)
    gx, gs = grad_of(out, [x, src], weight)
    close(gx, weight)
    close(gs, [[0.0, 0.0], [5.0, 5.0]])  # each src entry reads the weight where it went

    x, src = leaf(3, 2), leaf(3, 2, seed=1)
    out = autograd.index_add(x, 0, t(np.array([0, 0, 2])), src, alpha=2)
    expected = x.detach().numpy().copy()
    expected[0] += 2 * (src.detach().numpy()[0] + src.detach().numpy()[1])
    expected[2] += 2 * src.detach().numpy()[2]
    close(out, expected)
    weight = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    gx, gs = grad_of(out, [x, src], weight)
    close(gx, weight)
    close(gs, 2 * weight[[0, 0, 2]])


def test_index_select_and_take_gradients_accumulate_repeats():
    x = leaf(3, 4)
    (g,) = grad_of(autograd.index_select(x, 1, t(np.array([0, 2, 2, 0, 2]))), [x])
    close(g, np.tile([2.0, 0.0, 3.0, 0.0], (3, 1)))
    (g,) = grad_of(autograd.take(x, t(np.array([[0, 0], [-1, 11]]))), [x])
    expected = np.zeros((3, 4))
    expected[0, 0], expected[2, 3] = 2.0, 2.0
    close(g, expected)


def test_scatter_gradient_zeroes_the_overwritten_entries_and_gathers_for_src():
    x, src = leaf(3, 3), leaf(2, 3, seed=1)
    index = t(np.array([[0, 1], [2, 0]]))
    out = autograd.scatter(x, 0, index, src)
    expected = x.detach().numpy().copy()
    for i in range(2):
        for j in range(2):
            expected[index.numpy()[i, j], j] = src.detach().numpy()[i, j]
    close(out, expected)
    weight = np.arange(9.0).reshape(3, 3)
    gx, gs = grad_of(out, [x, src], weight)
    written = np.zeros((3, 3), bool)
    written[index.numpy(), [[0, 1], [0, 1]]] = True
    close(gx, np.where(written, 0.0, weight))
    close(gs, [[0.0, 4.0, 0.0], [6.0, 1.0, 0.0]])  # src[:, 2] is beyond index: gradient 0 (PyTorch errors here)


EMPTY_SELECTIONS = {
    "index_select": lambda x: autograd.index_select(x, 0, t(np.zeros(0, np.int64))),
    "masked_select": lambda x: autograd.masked_select(x, t(np.zeros((3, 4), bool))),
    "take": lambda x: autograd.take(x, t(np.zeros((0, 2), np.int64))),
    "take_along_dim": lambda x: autograd.take_along_dim(x, t(np.zeros((3, 0), np.int64)), 1),
    "scatter_add": lambda x: autograd.scatter_add(x, 1, t(np.zeros((3, 0), np.int64)), t(np.zeros((3, 0)))),
    "index_add": lambda x: autograd.index_add(x, 1, t(np.zeros(0, np.int64)), t(np.zeros((3, 0)))),
    "narrowing diag": lambda x: autograd.diag(x, 7),
}


@pytest.mark.parametrize("name", list(EMPTY_SELECTIONS))
def test_empty_selections_have_zero_gradients(name):
    x = leaf(3, 4)
    out = EMPTY_SELECTIONS[name](x)
    (g,) = autograd.grad(out.sum() * 1.0 + (x * 0).sum(), [x])
    expected_grad = np.ones((3, 4)) if name in ("scatter_add", "index_add") else np.zeros((3, 4))
    close(g, expected_grad)
    if name not in ("scatter_add", "index_add"):
        assert out.numel() == 0


def test_nonzero_argwhere_and_unique():
    x = t(np.array([[0, 1, 2], [3, 0, 0]]))
    np.testing.assert_array_equal(autograd.nonzero(x).numpy(), np.argwhere(x.numpy()))
    assert autograd.nonzero(x).dtype == autograd.int64
    rows, cols = x.nonzero(as_tuple=True)
    assert rows.tolist() == [0, 0, 1] and cols.tolist() == [1, 2, 0]
    np.testing.assert_array_equal(autograd.argwhere(x).numpy(), [[0, 1], [0, 2], [1, 0]])
    assert autograd.nonzero(t(np.array(3.0))).shape == (1, 0)
    assert autograd.nonzero(t(np.array(0.0))).shape == (0, 0)
    assert [i.tolist() for i in autograd.nonzero(t(np.array(3.0)), as_tuple=True)] == [[0]]
    assert autograd.nonzero(t(np.zeros((2, 3)))).shape == (0, 2)

    values = t(np.array([3, 1, 2, 3, 1]))
    assert autograd.unique(values).tolist() == [1, 2, 3]
    u, inverse, counts = values.unique(return_inverse=True, return_counts=True)
    assert u.tolist() == [1, 2, 3] and inverse.tolist() == [2, 0, 1, 2, 0] and counts.tolist() == [2, 1, 2]
    assert inverse.dtype == counts.dtype == autograd.int64
    u, inverse = autograd.unique(values.reshape(1, 5), return_inverse=True)
    assert inverse.shape == (1, 5)
    rows = t(np.array([[1, 2], [1, 2], [0, 5]]))
    u, inverse, counts = autograd.unique(rows, dim=0, return_inverse=True, return_counts=True)
    assert u.tolist() == [[0, 5], [1, 2]] and inverse.tolist() == [1, 1, 0] and counts.tolist() == [1, 2]
    u, counts = autograd.unique(t(np.array([np.nan, 1.0, np.nan])), return_counts=True)  # each NaN is distinct
    assert u.numpy()[0] == 1.0 and np.isnan(u.numpy()[1:]).all() and counts.tolist() == [1, 1, 1]
    assert not autograd.unique(leaf(4)).requires_grad


@pytest.mark.parametrize("dtype", FLOATS)
def test_selections_match_numpy(dtype):
    a = arr(3, 4, dtype=dtype)
    index = np.array([2, 0, 2])
    close(autograd.index_select(t(a), 1, t(index)), a[:, index], dtype)
    close(t(a).index_select(0, t(index.astype(np.int32))), a[index], dtype)
    close(autograd.masked_select(t(a), t(a > 0)), a[a > 0], dtype)
    close(autograd.masked_select(t(a), t(np.array([True, False, False, True]))), a[:, [0, 3]].ravel(), dtype)
    idx = np.array([[0, 3], [1, 1], [2, 0]])
    close(autograd.take_along_dim(t(a), t(idx), 1), np.take_along_axis(a, idx, 1), dtype)
    close(autograd.take_along_dim(t(a), t(np.array([[-1, 0]])), 1), a[:, [3, 0]], dtype)
    close(autograd.take_along_dim(t(a), t(np.array([5, 0]))), a.ravel()[[5, 0]], dtype)
    close(autograd.take(t(a), t(np.array([[0, 11], [-1, 5]]))), a.ravel()[[[0, 11], [11, 5]]], dtype)
    close(autograd.select(t(a), 1, -1), a[:, -1], dtype)
    close(t(a).select(0, 2), a[2], dtype)
    source = arr(3, 2, dtype=dtype, seed=1)
    expected = a.copy()
    expected[:, [3, 1]] = source
    close(autograd.index_copy(t(a), 1, t(np.array([3, 1])), t(source)), expected, dtype)
    expected = a.copy()
    expected[:, [0, -1]] = 7.0
    close(t(a).index_fill(1, t(np.array([0, -1])), 7.0), expected, dtype)
    close(autograd.index_fill(t(a), 1, t(np.array([1])), t(np.array(2.0))), np.where(np.arange(4) == 1, 2.0, a), dtype)


def test_select_is_a_view():
    base = autograd.zeros(3, 4)
    base.select(1, 1).fill_(1.0)
    np.testing.assert_array_equal(base.numpy()[:, 1], np.ones(3))
    assert base.version == 1
    assert np.may_share_memory(autograd.select(base, 0, 0).numpy(), base.numpy())
    assert autograd.select(autograd.arange(3.0), 0, -1).shape == ()


def test_scatter_with_reduce_and_integer_values():
    x = t(np.ones((3, 3)))
    index = t(np.array([[0, 1], [2, 0]]))
    np.testing.assert_array_equal(
        autograd.scatter(x, 1, index, t(np.full((2, 2), 2.0)), reduce="multiply").numpy(),
        [[2, 2, 1], [2, 1, 2], [1, 1, 1]],
    )
    np.testing.assert_array_equal(
        autograd.scatter(x, 1, t(np.array([[0, 0]])), 3.0, reduce="add").numpy(), [[7, 1, 1], [1, 1, 1], [1, 1, 1]]
    )
    ints = autograd.scatter(t(np.zeros((2, 2), np.int64)), 1, t(np.array([[0, 1]])), 2.5)
    assert ints.dtype == autograd.int64 and ints.tolist() == [[2, 2], [0, 0]]
    assert autograd.scatter(x, 1, index, value=5.0).numpy()[0].tolist() == [5.0, 5.0, 1.0]


# ============================================================================ in place
def test_in_place_scatter_family_writes_into_self_and_bumps_the_version():
    base = np.arange(9.0).reshape(3, 3)
    cases = [
        (lambda y: y.scatter_(1, t(np.array([[0, 1]])), t(np.array([[10.0, 20.0]]))), "scatter"),
        (lambda y: y.scatter_(1, t(np.array([[0, 0]])), 2.0, reduce="add"), "scatter add"),
        (lambda y: y.scatter_(1, t(np.array([[0, 0]])), t(np.array([[2.0, 3.0]])), reduce="multiply"), "scatter mul"),
        (lambda y: y.scatter_add_(1, t(np.array([[0, 0]])), t(np.array([[1.0, 2.0]]))), "scatter_add"),
        (lambda y: y.index_add_(1, t(np.array([0, 0])), t(np.ones((3, 2))), alpha=3), "index_add"),
        (lambda y: y.index_fill_(1, t(np.array([0, -1])), 7), "index_fill"),
        (lambda y: y.index_copy_(1, t(np.array([2, 0])), t(np.zeros((3, 2)))), "index_copy"),
    ]
    expected = {
        "scatter": [[10, 20, 2], [3, 4, 5], [6, 7, 8]],
        "scatter add": [[4, 1, 2], [3, 4, 5], [6, 7, 8]],
        "scatter mul": [[0, 1, 2], [3, 4, 5], [6, 7, 8]],
        "scatter_add": [[3, 1, 2], [3, 4, 5], [6, 7, 8]],
        "index_add": [[6, 1, 2], [9, 4, 5], [12, 7, 8]],
        "index_fill": [[7, 1, 7], [7, 4, 7], [7, 7, 7]],
        "index_copy": [[0, 1, 0], [0, 4, 0], [0, 7, 0]],
    }
    for fn, name in cases:
        y = t(base.copy())
        view = y[0]
        assert fn(y) is y, name
        np.testing.assert_array_equal(y.numpy(), expected[name], err_msg=name)
        assert y.version == 1 and view.version == 1, name
    y = t(np.array([[1.0, 1.0]]))
    y.scatter_(1, t(np.array([[0, 0]])), t(np.array([[2.0, 3.0]])), reduce="multiply")
    assert y.tolist() == [[6.0, 1.0]]


def test_in_place_ops_on_integer_tensors_cast_the_value():
    y = t(np.zeros((2, 2), np.int64))
    y.index_fill_(1, t(np.array([0])), 7.5)
    assert y.tolist() == [[7, 0], [7, 0]]
    with pytest.raises(RuntimeError, match=r"index_add_\(\): self \(int64\) and source \(float64\)"):
        y.index_add_(0, t(np.array([0])), t(np.ones((1, 2))))


def test_in_place_ops_follow_the_in_place_rules():
    x = leaf(3, 3)
    with pytest.raises(RuntimeError, match="index_fill_: a leaf Variable that requires grad"):
        x.index_fill_(1, t(np.array([0])), 1.0)
    with pytest.raises(RuntimeError, match="scatter_add_: a leaf Variable that requires grad"):
        x.scatter_add_(1, t(np.array([[0]])), t(np.ones((1, 1))))
    y = x * 2
    with pytest.raises(RuntimeError, match="index_add_: in-place operations on a tensor that is part of the graph"):
        y.index_add_(0, t(np.array([0])), t(np.ones((1, 3))))
    plain = t(np.zeros((3, 3)))
    with pytest.raises(RuntimeError, match="scatter_: an operand requires grad"):
        plain.scatter_(1, t(np.array([[0]])), leaf(1, 1))
    assert plain.version == 0 and not plain.numpy().any()
    with autograd.no_grad():
        x.index_fill_(1, t(np.array([0])), 1.0)  # allowed, as PyTorch
    assert (x.detach().numpy()[:, 0] == 1.0).all()
    expanded = t(np.zeros(3)).expand(2, 3)
    with pytest.raises(RuntimeError, match="index_fill_: this tensor is a read-only view"):
        expanded.index_fill_(0, t(np.array([0])), 1.0)


# ============================================================================ errors
ERRORS = [
    (lambda: autograd.mm(t(arr(2, 3)), t(arr(4, 5))), RuntimeError, r"mm: mat1 and mat2 shapes cannot be multiplied \(2x3 and 4x5\)"),
    (lambda: autograd.mm(t(arr(3)), t(arr(3, 4))), RuntimeError, r"mm: self must be a matrix, got a 1-D tensor of shape \(3,\)"),
    (lambda: autograd.mm(t(arr(2, 3)), t(arr(3, 4, dtype=np.float32))), RuntimeError, r"mm: .*same dtype.*float64 != float32"),
    (lambda: autograd.mm(t(arr(2, 3)), [[1.0]]), TypeError, r"mm\(\): argument 'mat2' \(position 2\) must be Tensor, not list"),
    (lambda: autograd.mm([[1.0]], t(arr(1, 1))), TypeError, r"mm\(\): argument 'input' \(position 1\) must be Tensor"),
    (lambda: autograd.bmm(t(arr(2, 2, 3)), t(arr(3, 3, 4))), RuntimeError,
     r"bmm: Expected size for first two dimensions of batch2 tensor to be: \[2, 3\] but got: \[3, 3\]"),
    (lambda: autograd.bmm(t(arr(2, 3)), t(arr(2, 3, 4))), RuntimeError, r"bmm: batch1 must be a 3D tensor.*\(2, 3\)"),
    (lambda: autograd.mv(t(arr(2, 3)), t(arr(4))), RuntimeError, r"mv: size mismatch, got mat \(2x3\), vec \(4\)"),
    (lambda: autograd.mv(t(arr(2, 3)), t(arr(3, 1))), RuntimeError, r"mv: vector \+ matrix @ vector expected.*\(3, 1\)"),
    (lambda: autograd.addmm(t(arr(3)), t(arr(2, 3)), t(arr(3, 4))), RuntimeError,
     r"addmm: input of shape \(3,\) cannot be broadcast to the product's shape \(2, 4\)"),
    (lambda: autograd.addmm(t(arr(4, dtype=np.float32)), t(arr(2, 3)), t(arr(3, 4))), RuntimeError, r"addmm: .*same dtype"),
    (lambda: autograd.outer(t(arr(2, 2)), t(arr(3))), RuntimeError, r"outer: Expected 1-D argument self, but got 2-D"),
    (lambda: autograd.einsum("ij,jk->ik", t(arr(2, 3))), RuntimeError, r"einsum\(\): fewer operands"),
    (lambda: autograd.einsum("ij->i", t(arr(2, 3)), t(arr(2, 3))), RuntimeError, r"einsum\(\): more operands"),
    (lambda: autograd.einsum("ijk->ij", t(arr(2, 3))), RuntimeError,
     r"einsum\(\): the number of subscripts in the equation \(3\) does not match the number of dimensions \(2\) for operand 0"),
    (lambda: autograd.einsum("ij,jk->ik", t(arr(2, 3)), t(arr(4, 4))), RuntimeError,
     r"einsum\(\): subscript j has size 4 for operand 1 \(shape \(4, 4\)\) which does not broadcast with previously seen size 3"),
    (lambda: autograd.einsum("ij->ik", t(arr(2, 3))), RuntimeError, r"output subscript k does not appear"),
    (lambda: autograd.einsum("ij->ii", t(arr(2, 3))), RuntimeError, r"output subscript i appears more than once"),
    (lambda: autograd.einsum("i1->i", t(arr(2, 3))), RuntimeError, r"invalid subscript '1'"),
    (lambda: autograd.einsum("i.j", t(arr(2, 3))), RuntimeError, r"found '.' for operand 0 that is not part of any ellipsis"),
    (lambda: autograd.einsum("ii->i", t(arr(2, 3))), RuntimeError, r"subscript i is repeated for operand 0 but the sizes don't match, 2 != 3"),
    (lambda: autograd.einsum("i,i", t(arr(2)), t(arr(2, dtype=np.float32))), RuntimeError,
     r"einsum\(\): expected scalar type Double but found Float"),
    (lambda: autograd.tensordot(t(arr(2, 3, 4)), t(arr(3, 4, 5)), dims=([1], [1])), RuntimeError,
     r"tensordot: contracted dimensions need to match, but first has size 3 in dim 1 and second has size 4 in dim 1"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=2), RuntimeError, r"first has size 2 in dim -2"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=-1), RuntimeError, r"tensordot expects dims >= 0"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=3), RuntimeError, r"tensordot expects dims < ndim_a or ndim_b"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=([1, 0], [0])), RuntimeError, r"both dimension lists should have same length"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=([1, 1], [0, 0])), RuntimeError, r"dim 1 appears multiple times"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=([5], [0])), IndexError, r"tensordot: Dimension out of range"),
    (lambda: autograd.tensordot(t(arr(2, 3)), t(arr(3, 2)), dims=1.5), RuntimeError, r"tensordot expects dims to be int"),
    (lambda: autograd.tril(t(arr(3))), RuntimeError, r"tril: input tensor must have at least 2 dimensions, got shape \(3,\)"),
    (lambda: autograd.diag(t(arr(2, 2, 2))), RuntimeError, r"diag\(\): Supports 1D or 2D tensors. Got 3D"),
    (lambda: autograd.diagonal(t(arr(2, 3, 4)), 0, 1, -2), RuntimeError, r"diagonal: diagonal dimensions cannot be identical 1, -2"),
    (lambda: autograd.diagonal(t(arr(3))), IndexError, r"diagonal: Dimension out of range"),
    (lambda: autograd.trace(t(arr(2, 2, 2))), RuntimeError, r"trace: expected a matrix, but got tensor with dim 3"),
    (lambda: autograd.cross(t(arr(2, 4)), t(arr(2, 4)), dim=1), RuntimeError, r"inputs dimension 1 must have length 3. Got 4 and 4"),
    (lambda: autograd.cross(t(arr(3, 3)), t(arr(3)), dim=1), RuntimeError, r"inputs must have the same number of dimensions"),
    (lambda: autograd.cross(t(arr(2, 4)), t(arr(2, 4))), RuntimeError, r"cross: no dimension of size 3"),
    (lambda: autograd.cross(t(arr(2, 3)), t(arr(4, 3)), dim=1), RuntimeError, r"cross: The size of tensor a \(2\) must match"),
    (lambda: autograd.prod(t(arr(2, 2)), (0, 1)), TypeError, r"prod\(\): dim must be an int"),
    (lambda: autograd.prod(t(arr(2, 2)), 2), IndexError, r"prod: Dimension out of range"),
    (lambda: autograd.cumprod(t(arr(3))), TypeError, r"cumprod\(\): dim must be an int, got None"),
    (lambda: autograd.var_mean(t(np.arange(3))), RuntimeError, r"var_mean only support floating point"),
    (lambda: autograd.std_mean(t(arr(3)), 0, unbiased=True, correction=1), RuntimeError, r"std_mean: pass either unbiased or correction"),
    (lambda: autograd.nanmean(t(np.arange(3))), RuntimeError, r"nanmean\(\): expected input to have floating point"),
    (lambda: autograd.median(t(np.ones((0, 3))), 0), IndexError, r"median\(\): Expected reduction dim 0 to have non-zero size"),
    (lambda: autograd.count_nonzero(t(arr(2, 2)), (0, 0)), RuntimeError, r"count_nonzero: dim \(0, 0\) appears multiple times"),
    (lambda: autograd.logcumsumexp(t(np.arange(3)), 0), NotImplementedError, r"logcumsumexp: not implemented for dtype int64"),
    (lambda: autograd.index_select(t(arr(3, 4)), 1, t(np.array([0.0]))), RuntimeError,
     r"index_select\(\): Expected dtype int32 or int64 for index, but got float64"),
    (lambda: autograd.index_select(t(arr(3, 4)), 1, t(np.array([[0]]))), IndexError, r"index_select\(\): Index is supposed to be a vector"),
    (lambda: autograd.index_select(t(arr(3, 4)), 1, t(np.array([4]))), IndexError,
     r"index_select\(\): index 4 is out of bounds for dimension 1 with size 4"),
    (lambda: autograd.index_select(t(arr(3, 4)), 1, t(np.array([-1]))), IndexError, r"index -1 is out of bounds"),
    (lambda: autograd.index_select(t(arr(3, 4)), 2, t(np.array([0]))), IndexError, r"index_select: Dimension out of range"),
    (lambda: autograd.index_select(t(np.array(1.0)), 0, t(np.array([0, 0]))), RuntimeError, r"Index to scalar can have only 1 value"),
    (lambda: autograd.masked_select(t(arr(3, 4)), t(np.array([1, 0, 1, 0]))), RuntimeError, r"masked_select: expected BoolTensor for mask"),
    (lambda: autograd.masked_select(t(arr(3, 4)), t(np.array([True, False]))), RuntimeError,
     r"masked_select: The size of tensor a \(4\) must match the size of tensor b \(2\)"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0, 3]])), t(arr(2, 2))), RuntimeError,
     r"scatter\(\): index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([0, 1])), t(arr(2, 2))), RuntimeError,
     r"scatter\(\): Index tensor must have the same number of dimensions as self tensor \(1 vs 2"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0, 1, 1]])), t(arr(2, 2))), RuntimeError,
     r"Expected index \[1, 3\] to be no larger than self \[3, 3\] apart from dimension 1 and to be no larger size than src \[2, 2\]"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0, 1]])), t(arr(2, 2, dtype=np.float32))), RuntimeError,
     r"scatter\(\): Expected self.dtype to be equal to src.dtype"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0.0, 1.0]])), t(arr(2, 2))), RuntimeError,
     r"scatter\(\): Expected dtype int32 or int64 for index"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0]])), 1.0, reduce="max"), RuntimeError,
     r"scatter\(\): reduce argument must be either add or multiply"),
    (lambda: autograd.scatter(t(arr(3, 3)), 1, t(np.array([[0]]))), TypeError, r"scatter\(\) missing 1 required argument"),
    (lambda: autograd.scatter(leaf(3, 3), 1, t(np.array([[0]])), leaf(1, 1), reduce="multiply"), RuntimeError,
     r"reduce='multiply' is not differentiable with respect to src"),
    (lambda: autograd.scatter_add(t(arr(3, 3)), 1, t(np.array([[0]])), 1.0), TypeError,
     r"scatter_add\(\): argument 'src' \(position 4\) must be Tensor, not float"),
    (lambda: autograd.index_add(t(arr(3, 3)), 0, t(np.array([0, 0])), t(arr(3, 3))), RuntimeError,
     r"index_add\(\): Number of indices \(2\) should be equal to source.size\(dim\): \(3\), for dim: 0"),
    (lambda: autograd.index_add(t(arr(3, 3)), 0, t(np.array([0, 1])), t(arr(2, 2))), RuntimeError,
     r"source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = \[3, 3\] source.shape = \[2, 2\]"),
    (lambda: autograd.index_add(t(arr(3, 3)), 0, t(np.array([0, 3])), t(arr(2, 3))), IndexError,
     r"index_add\(\): index 3 is out of bounds for dimension 0 with size 3"),
    (lambda: autograd.index_add(t(np.array(1.0)), 0, t(np.array([0, 0])), t(arr(2))), RuntimeError,
     r"source tensor shape must match self tensor shape"),
    (lambda: autograd.index_copy(t(arr(3, 3)), 1, t(np.array([2, 0], np.int32)), t(arr(3, 2))), RuntimeError,
     r"index_copy\(\): Expected dtype int64 for index, but got int32"),
    (lambda: autograd.index_copy(t(arr(3, 3)), 1, t(np.array([2, 3])), t(arr(3, 2))), IndexError,
     r"index_copy\(\): index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: autograd.index_copy(t(arr(3, 3)), 1, t(np.array([2, 0])), t(arr(2, 3))), RuntimeError,
     r"index_copy\(\): Source/destination tensor must have same slice shapes: source of shape \[2, 3\]"),
    (lambda: autograd.index_fill(t(arr(3, 3)), 1, t(np.array([3])), 1.0), IndexError,
     r"index_fill\(\): index 3 is out of bounds for dimension 1 with size 3"),
    (lambda: autograd.index_fill(t(arr(3, 3)), 1, t(np.array([0])), t(arr(1))), RuntimeError,
     r"index_fill only supports a 0-dimensional value tensor"),
    (lambda: autograd.take_along_dim(t(arr(3, 4)), t(np.array([0, 1])), 1), RuntimeError,
     r"take_along_dim\(\): input and indices should have the same number of dimensions, but got 2 dimensions for input, and 1"),
    (lambda: autograd.take_along_dim(t(arr(3, 4)), t(np.array([[0, 1]], np.int32)), 1), RuntimeError,
     r"take_along_dim\(\): Expected dtype int64 for indices, but got int32"),
    (lambda: autograd.take_along_dim(t(arr(3, 4)), t(np.array([[4]])), 1), RuntimeError,
     r"take_along_dim\(\): index 4 is out of bounds for dimension 1 with size 4"),
    (lambda: autograd.take_along_dim(t(arr(3, 4)), t(np.array([[0], [2]])), 1), RuntimeError,
     r"take_along_dim: The size of tensor a \(3\) must match the size of tensor b \(2\)"),
    (lambda: autograd.take(t(arr(3, 4)), t(np.array([12]))), IndexError,
     r"take\(\): out of range: tried to access index 12 on a tensor of 12 elements"),
    (lambda: autograd.take(t(arr(3, 4)), t(np.array([-13]))), IndexError, r"tried to access index -13"),
    (lambda: autograd.select(t(arr(3, 4)), 1, 4), IndexError,
     r"select\(\): index 4 out of range for tensor of size \[3, 4\] at dimension 1"),
    (lambda: autograd.select(t(np.array(1.0)), 0, 0), IndexError, r"select\(\) cannot be applied to a 0-dim tensor"),
    (lambda: autograd.unique(t(arr(2, 2)), dim=2), IndexError, r"unique: Dimension out of range"),
]


@pytest.mark.parametrize("call,error,message", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_name_the_op_and_the_shapes(call, error, message):
    with pytest.raises(error, match=message):
        call()


# ============================================================================ registration
METHOD_NAMES = [
    "mm", "bmm", "mv", "addmm", "baddbmm", "addmv", "addr", "outer", "ger", "tril", "triu", "diagonal", "diag",
    "diag_embed", "trace", "kron", "cross", "prod", "cumprod", "nansum", "nanmean", "median", "nanmedian",
    "count_nonzero", "logcumsumexp", "index_select", "masked_select", "scatter", "scatter_add", "index_add",
    "index_copy", "index_fill", "take_along_dim", "take", "nonzero", "argwhere", "select", "unique", "scatter_",
    "scatter_add_", "index_add_", "index_copy_", "index_fill_",
]


@pytest.mark.parametrize("name", METHOD_NAMES)
def test_each_op_is_a_method_and_a_checked_module_function_with_a_docstring(name):
    assert callable(getattr(Tensor, name)) and getattr(Tensor, name).__doc__
    function = getattr(autograd, name)
    with pytest.raises(TypeError, match=rf"{name}\(\): argument 'input' \(position 1\) must be Tensor, not list"):
        function([1.0, 2.0], 0)


@pytest.mark.parametrize("name", ["einsum", "tensordot", "std_mean", "var_mean"])
def test_function_only_ops_are_not_methods(name):
    assert not hasattr(Tensor, name)
    assert getattr(autograd, name).__doc__


def test_ops_keep_float32_and_gradients_keep_the_leaves_dtype():
    x = t(arr(3, 4, dtype=np.float32), grad=True)
    w = t(arr(4, 3, dtype=np.float32))
    outs = [
        autograd.mm(x, w), autograd.einsum("ij,jk", x, w), autograd.tensordot(x, w, 1), autograd.prod(x, 1),
        autograd.cumprod(x, 0), autograd.logcumsumexp(x, 1), autograd.median(x), autograd.nansum(x),
        autograd.std_mean(x)[0], autograd.trace(x), autograd.take(x, t(np.array([1]))),
        autograd.scatter_add(x, 0, t(np.array([[0]])), x),
    ]
    for out in outs:
        assert out.dtype == autograd.float32
        (g,) = autograd.grad(out.sum(), [x])
        assert g.dtype == autograd.float32 and g.shape == (3, 4)


# ============================================================================ PyTorch's edge cases (each checked against torch 2.13)
NAN, INF = np.nan, np.inf


def _grads_both_modes(make, inputs_values, weight=None, dtype=np.float64):
    """(output, gradients) of sum(out * weight) from a plain backward and from create_graph=True, for fresh leaves."""
    results = []
    for create_graph in (False, True):
        leaves = [autograd.tensor(np.asarray(v, dtype=dtype), requires_grad=True) for v in inputs_values]
        out = make(*leaves)
        w = autograd.ones_like(out) if weight is None else t(np.asarray(weight, dtype=dtype))
        grads = autograd.grad((out * w).sum(), leaves, create_graph=create_graph)
        results.append((out.detach().numpy(), [g.detach().numpy() for g in grads]))
    return results


@pytest.mark.parametrize("values,weight,dim,want_out,want_grad", [
    (-INF, None, 0, -INF, 1.0),  # a 0-d input: its gradient is the upstream one, at -inf too
    ([-INF], None, 0, [-INF], [NAN]),
    ([-INF, 1.0, -INF], None, 0, [-INF, 1.0, 1.0], [NAN, 2.0, 0.0]),
    ([-INF, 0.0], [0.0, 0.0], 0, [-INF, 0.0], [NAN, 0.0]),  # NaN where the output is -inf, whatever the gradient
    ([-INF, 0.0], [1.0, -1.0], 0, [-INF, 0.0], [NAN, -1.0]),
    ([[-INF, 1.0, 3.0], [2.0, -INF, 0.0]], None, 1, [[-INF, 1.0, 3.126928011042973], [2.0, 2.0, 2.1269280110429727]],
     [[NAN, 1.1192029220221176, 0.8807970779778824], [2.880797077977882, 0.0, 0.11920292202211755]]),
])
def test_logcumsumexp_at_infinities_matches_pytorch(values, weight, dim, want_out, want_grad):
    for out, (grad,) in _grads_both_modes(lambda x: autograd.logcumsumexp(x, dim), [values], weight):
        np.testing.assert_allclose(out, want_out, rtol=1e-12)
        np.testing.assert_allclose(grad, want_grad, rtol=1e-12)


def test_einsum_dtypes_follow_pytorch():
    i32, i64 = np.int32, np.int64
    assert autograd.einsum("a->", t(np.array([2, 5], i32))).dtype == autograd.int64  # summed: as sum, in int64
    assert autograd.einsum("a->", t(np.array([2, 5], i32))).item() == 7
    assert autograd.einsum("ab->a", t(np.ones((2, 3), np.int8))).dtype == autograd.int64
    assert autograd.einsum("ii->", t(np.ones((2, 2), i32))).dtype == autograd.int64
    assert autograd.einsum("ii->i", t(np.ones((2, 2), i32))).dtype == autograd.int32  # nothing summed
    assert autograd.einsum("ab,b->a", t(np.ones((2, 3), i32)), t(np.ones(3, i32))).dtype == autograd.int32  # bmm
    both_summed_alone = autograd.einsum("ab,c->a", t(np.ones((2, 3), i32)), t(np.ones(2, i32)))
    assert both_summed_alone.dtype == autograd.int64 and both_summed_alone.tolist() == [6, 6]
    # no letter contracted between the two: a broadcast product, which promotes as mul does
    mixed = autograd.einsum("i,i->i", t(np.ones(2, i64)), t(np.ones(2, np.float32)))
    assert mixed.dtype == autograd.float32 and mixed.tolist() == [1.0, 1.0]
    assert autograd.einsum("i,i->i", t(np.ones(2)), t(np.ones(2, np.float32))).dtype == autograd.float64
    assert autograd.einsum("ab,ab->a", t(np.ones((2, 1))), t(np.ones((2, 1), np.float32))).dtype == autograd.float64
    assert autograd.einsum("ab,b->ab", t(np.ones((2, 3), bool)), t(np.ones(3, bool))).dtype == autograd.bool_
    # a contraction (PyTorch's bmm) wants one dtype, and no bools
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        autograd.einsum("i,i->", t(np.ones(2, i64)), t(np.ones(2, np.float32)))
    with pytest.raises(RuntimeError, match="expected scalar type Long but found Float"):
        autograd.einsum("ab,a->", t(np.ones((2, 3), i32)), t(np.ones(2, np.float32)))  # b summed first: int64
    with pytest.raises(NotImplementedError, match="Bool"):
        autograd.einsum("ab,b->a", t(np.ones((2, 3), bool)), t(np.ones(3, bool)))
    empty = autograd.einsum("ij,j->i", t(np.ones((2, 0))), t(np.ones(0, np.float32)))  # (an empty bmm: the second's)
    assert empty.dtype == autograd.float32 and empty.tolist() == [0.0, 0.0]


def test_einsum_gradients_with_mixed_dtypes_and_a_summed_letter_of_size_0():
    x = t(np.ones((0, 3), np.float32), grad=True)
    autograd.einsum("bc->c", x).sum().backward()
    assert x.grad.shape == (0, 3) and x.grad.dtype == autograd.float32
    a, b = t(np.ones((0, 3)), grad=True), t(np.ones((3, 2)), grad=True)
    ga, gb = autograd.grad(autograd.einsum("bc,cd->bd", a, b).sum(), [a, b])
    assert ga.shape == (0, 3) and gb.tolist() == [[0.0, 0.0]] * 3
    x, y = t(np.ones((2, 3), np.float32), grad=True), t(np.array([1.0, 2.0]), grad=True)
    out = autograd.einsum("bc,b->bc", x, y)
    out.sum().backward()
    assert out.dtype == autograd.float64
    assert x.grad.dtype == autograd.float32 and x.grad.tolist() == [[1.0] * 3, [2.0] * 3]
    assert y.grad.dtype == autograd.float64 and y.grad.tolist() == [3.0, 3.0]


def test_addr_promotes_and_the_addmm_family_keeps_pytorchs_rules():
    f32, f64 = np.float32, np.float64
    out = autograd.addr(t(np.ones((2, 2), f32)), t(np.ones(2, f32)), t(np.ones(2, f64)))
    assert out.dtype == autograd.float64 and out.tolist() == [[2.0, 2.0], [2.0, 2.0]]
    assert autograd.addr(t(np.array(1.0)), t(np.ones(2, f32)), t(np.ones(2, f32))).dtype == autograd.float64  # 0-d input too
    assert autograd.addr(t(np.ones((2, 2), np.int32)), t(np.ones(2, np.int64)), t(np.ones(2, np.int64))).dtype == autograd.int64
    assert autograd.addr(t(np.ones((2, 2), bool)), t(np.ones(2, f32)), t(np.ones(2, f32))).dtype == autograd.float32
    flags = autograd.addr(t(np.ones((2, 2), bool)), t(np.ones(2, bool)), t(np.ones(2, bool)), beta=2)
    assert flags.dtype == autograd.bool_ and flags.tolist() == [[True, True], [True, True]]
    with pytest.raises(RuntimeError, match="argument alpha must not be a floating point number"):
        autograd.addr(t(np.ones((2, 2), np.int64)), t(np.ones(2, np.int64)), t(np.ones(2, np.int64)), alpha=2.0)
    # each gradient in its own leaf's dtype
    i, v, w = t(np.ones((2, 2), f32), grad=True), t(np.ones(2, f32), grad=True), t(np.array([1.0, 2.0]), grad=True)
    autograd.addr(i, v, w).sum().backward()
    assert (i.grad.dtype, v.grad.dtype, w.grad.dtype) == (autograd.float32, autograd.float32, autograd.float64)
    assert v.grad.tolist() == [3.0, 3.0] and w.grad.tolist() == [2.0, 2.0]
    # the strict ones refuse mixed dtypes (as mm does), and bools
    with pytest.raises(RuntimeError):
        autograd.addmm(t(np.ones((2, 2), f64)), t(np.ones((2, 2), f32)), t(np.ones((2, 2), f32)))
    for call in (lambda b: autograd.mm(b, b), lambda b: autograd.addmm(b, b, b), lambda b: autograd.mv(b, b[0]),
                 lambda b: autograd.bmm(b[None], b[None]), lambda b: autograd.baddbmm(b[None], b[None], b[None])):
        with pytest.raises(NotImplementedError, match="Bool"):
            call(t(np.ones((2, 2), bool)))


def test_addmm_and_addmv_leave_the_product_out_at_alpha_0():
    nan = np.array([[NAN]], np.float32)
    assert autograd.addmm(t(np.zeros((1, 1), np.float32)), t(nan), t(np.ones((1, 1), np.float32)), alpha=0).tolist() == [[0.0]]
    assert autograd.addmv(t(np.zeros(1, np.float32)), t(nan), t(np.ones(1, np.float32)), alpha=0).tolist() == [0.0]
    # addr and baddbmm do not (PyTorch): NaN
    assert np.isnan(autograd.addr(t(np.zeros((1, 1))), t(np.array([NAN])), t(np.ones(1)), alpha=0).item())
    assert np.isnan(autograd.baddbmm(t(np.zeros((1, 1, 1))), t(np.full((1, 1, 1), NAN)), t(np.ones((1, 1, 1))), alpha=0).item())
    for out, (gi, gm, gw) in _grads_both_modes(lambda i, m, w: autograd.addmm(i, m, w, alpha=0),
                                               [[[0.0]], [[NAN, 2.0]], [[1.0], [NAN]]]):
        assert out.tolist() == [[0.0]]
        np.testing.assert_array_equal(gi, [[1.0]])
        np.testing.assert_array_equal(gm, [[0.0, NAN]])  # alpha * grad @ w^T, as PyTorch computes it
        np.testing.assert_array_equal(gw, [[NAN], [0.0]])


def test_index_fill_keeps_inputs_dtype_and_wants_an_int64_index():
    v = t(np.array(5.0), grad=True)
    x = t(np.array([1.0, 2.0], np.float32), grad=True)
    out = autograd.index_fill(x, 0, t(np.array([0])), v)
    assert out.dtype == autograd.float32 and out.tolist() == [5.0, 2.0]
    assert autograd.index_fill(t(np.array(1.0, np.float32)), 0, t(np.array([0])), v).dtype == autograd.float32
    out.sum().backward()
    assert x.grad.tolist() == [0.0, 1.0] and v.grad.dtype == autograd.float64 and v.grad.item() == 1.0
    with pytest.raises(RuntimeError, match="Autograd not support dtype: Long"):
        autograd.index_fill(t(np.array([1, 2])), 0, t(np.array([0])), t(np.array(5.5, np.float32), grad=True))
    for call in (lambda i: autograd.index_fill(t(np.ones(2)), 0, i, 3.0), lambda i: t(np.ones(2)).index_fill_(0, i, 3.0)):
        with pytest.raises(IndexError, match="Expected dtype int64 for index"):
            call(t(np.array([0], np.int32)))


def test_bool_median_nanmedian_and_trace_are_not_implemented():
    flags = t(np.array([True, False, True]))
    for call in (autograd.median, autograd.nanmedian, lambda x: autograd.median(x, 0), lambda x: autograd.nanmedian(x, 0),
                 lambda x: autograd.median(x[0], 0), lambda x: autograd.trace(x.reshape((1, 3))[:, :1])):
        with pytest.raises(NotImplementedError, match="Bool"):
            call(flags)
    assert autograd.median(t(np.array([1, 2, 3]))).item() == 2  # integers are fine


@pytest.mark.parametrize("call", [
    lambda x: autograd.prod(x, dtype=autograd.int64), lambda x: autograd.prod(x, 0, dtype=autograd.int32),
    lambda x: autograd.cumprod(x, 0, dtype=autograd.int64), lambda x: autograd.cumsum(x, 0, dtype=autograd.int64),
    lambda x: autograd.sum(x, dtype=autograd.int64), lambda x: autograd.nansum(x, dtype=autograd.bool_),
], ids=["prod", "prod dim", "cumprod", "cumsum", "sum", "nansum"])
def test_an_integer_dtype_for_an_input_that_requires_grad_is_refused(call):
    x = t(np.ones(2, np.float32), grad=True)
    with pytest.raises(RuntimeError, match="Autograd not support dtype"):
        call(x)
    with autograd.no_grad():
        assert call(x).dtype.kind in "biu"
    assert call(x.detach()).dtype.kind in "biu"


def test_unique_along_a_dim_refuses_other_empty_dims():
    with pytest.raises(RuntimeError, match="There are 0 sized dimensions, and they aren't selected"):
        autograd.unique(t(np.ones((2, 0))), dim=0)
    with pytest.raises(RuntimeError, match="Number of zero sized dimensions is more than one"):
        autograd.unique(t(np.ones((0, 0))), dim=0)
    assert autograd.unique(t(np.ones((2, 0))), dim=1).shape == (2, 0)
    assert autograd.unique(t(np.ones((0, 2))), dim=0).shape == (0, 2)


@pytest.mark.parametrize("call", [
    lambda: autograd.index_select(t(np.ones(3)), 0, t(np.array([5]))),
    lambda: autograd.index_select(t(np.ones(3)), 0, t(np.array([-1]))),
    lambda: autograd.index_select(t(np.array(1.0)), 0, t(np.array([1]))),
    lambda: autograd.index_add(t(np.ones(3)), 0, t(np.array([5])), t(np.ones(1))),
    lambda: t(np.ones(3)).index_add_(0, t(np.array([5])), t(np.ones(1))),
], ids=["index_select", "index_select negative", "index_select 0-d", "index_add", "index_add_"])
def test_an_index_out_of_range_is_an_index_error(call):
    with pytest.raises(IndexError, match="out of bounds"):
        call()


def test_cross_takes_its_default_dim_from_the_input_and_broadcasts():
    a, b = [[1.0, 2.0, 3.0]], [[4.0, 5.0, 6.0], [7.0, 8.0, 9.0], [1.0, 0.0, 0.0]]
    for out, (ga, gb) in _grads_both_modes(autograd.cross, [a, b]):
        np.testing.assert_array_equal(out, [[-3.0, 6.0, -3.0], [-6.0, 12.0, -6.0], [0.0, 3.0, -2.0]])
        np.testing.assert_array_equal(ga, [[-2.0, 3.0, -1.0]])
        np.testing.assert_array_equal(gb, [[1.0, -2.0, 1.0]] * 3)
    with pytest.raises(RuntimeError, match="dimension 1 must have length 3"):
        autograd.cross(t(np.ones((1, 3))), t(np.ones((2, 1))))


def test_nanmean_and_nansum_gradients_at_nan_follow_pytorch():
    for _, (g,) in _grads_both_modes(lambda x: autograd.nanmean(x, 1), [[[NAN, NAN], [1.0, NAN]]]):
        np.testing.assert_array_equal(g, [[NAN, NAN], [1.0, 0.0]])  # a slice of NaNs only: 0/0
    for _, (g,) in _grads_both_modes(autograd.nansum, [[NAN, 1.0]], weight=INF):
        np.testing.assert_array_equal(g, [NAN, INF])  # grad * (x is not NaN)


def test_prod_and_cumprod_gradients_of_single_elements():
    cases = [
        (INF, autograd.prod, 1.0),  # a 0-d input: the gradient passes through
        (NAN, lambda x: autograd.prod(x, 0), 1.0),
        ([INF], lambda x: autograd.cumprod(x, 0), [1.0]),  # one element: passes through
        (NAN, lambda x: autograd.cumprod(x, 0), 1.0),
        ([[INF, 2.0]], lambda x: autograd.cumprod(x, 0), [[1.0, 1.0]]),  # a dim of size 1
        ([INF], autograd.prod, [NAN]),  # but prod of a 1-d input of one element: out / x, as PyTorch's
        ([[INF, 2.0]], lambda x: autograd.cumprod(x, 1), [[NAN, INF]]),
    ]
    for values, call, want in cases:
        for _, (g,) in _grads_both_modes(call, [values]):
            np.testing.assert_array_equal(g, want)
