"""norm, masked_fill, dot, square, sort, topk, argsort and the predicates, against numpy and by gradcheck."""
import numpy as np
import pytest

import autograd as ag

RNG = np.random.default_rng(7)


def leaf(shape):
    return ag.tensor(RNG.standard_normal(shape), requires_grad=True)


@pytest.mark.parametrize("p,dim,keepdim", [
    ("fro", None, False), (2, 1, False), (2, (0, 1), True), (1, None, False), (1, 0, True),
    (float("inf"), 1, False), (float("-inf"), None, False), (3, 0, False), (0.5, 1, True),
])
def test_norm_values_and_gradients(p, dim, keepdim):
    x = leaf((3, 4))
    a = x.detach().numpy()
    axis = dim
    if p == "fro" or p == 2:
        expected = np.sqrt((a * a).sum(axis=axis, keepdims=keepdim))
    elif p == float("inf"):
        expected = np.abs(a).max(axis=axis, keepdims=keepdim)
    elif p == float("-inf"):
        expected = np.abs(a).min(axis=axis, keepdims=keepdim)
    else:
        expected = (np.abs(a) ** p).sum(axis=axis, keepdims=keepdim) ** (1 / p)
    np.testing.assert_allclose(x.norm(p=p, dim=dim, keepdim=keepdim).detach().numpy(), expected, rtol=1e-12)
    assert ag.gradcheck(lambda t: t.norm(p=p, dim=dim, keepdim=keepdim), [x])


def test_norm_of_zero_vector_has_zero_gradient_like_pytorch():
    z = ag.zeros(3, dtype=ag.float64, requires_grad=True)
    z.norm().backward()
    np.testing.assert_array_equal(z.grad.numpy(), [0.0, 0.0, 0.0])


def test_norm_rejects_bad_p_and_integers():
    with pytest.raises(ValueError, match="norm: p must be"):
        leaf(3).norm(p=-1)
    with pytest.raises(TypeError, match="norm: expected a floating point tensor"):
        ag.tensor([1, 2]).norm()


def test_masked_fill_square_and_dot():
    x = leaf((2, 3))
    mask = x.detach() < 0
    np.testing.assert_array_equal(x.masked_fill(mask, 0.0).detach().numpy(), np.where(mask.numpy(), 0.0, x.detach().numpy()))
    assert ag.gradcheck(lambda t: t.masked_fill(mask, -1.0) * 2, [x])
    assert ag.gradcheck(lambda t: t.square(), [x])
    a, b = leaf(4), leaf(4)
    assert ag.dot(a, b).item() == pytest.approx(float(a.detach().numpy() @ b.detach().numpy()))
    assert ag.gradcheck(ag.dot, [a, b])
    with pytest.raises(RuntimeError, match="dot: 1D tensors expected, but got 2D and 1D"):
        ag.dot(x, a)
    with pytest.raises(RuntimeError, match="dot: inconsistent tensor size"):
        ag.dot(a, leaf(3))


@pytest.mark.parametrize("descending", [False, True])
def test_sort_and_argsort(descending):
    x = leaf((3, 5))
    values, indices = x.sort(dim=1, descending=descending)
    expected = np.sort(x.detach().numpy(), axis=1)
    expected = expected[:, ::-1] if descending else expected
    np.testing.assert_array_equal(values.detach().numpy(), expected)
    np.testing.assert_array_equal(x.argsort(dim=1, descending=descending).numpy(), indices.numpy())
    assert ag.gradcheck(lambda t: t.sort(dim=0, descending=descending).values, [x])


def test_topk_values_indices_gradient_and_errors():
    x = ag.tensor([[1.0, -2.0, 3.0], [0.0, 5.0, -6.0]], dtype=ag.float64, requires_grad=True)
    values, indices = x.topk(2, dim=1)
    np.testing.assert_array_equal(values.detach().numpy(), [[3.0, 1.0], [5.0, 0.0]])  # torch 2.13's values
    np.testing.assert_array_equal(indices.numpy(), [[2, 0], [1, 0]])
    values.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])
    smallest, _ = x.topk(1, dim=1, largest=False)
    np.testing.assert_array_equal(smallest.detach().numpy(), [[-2.0], [-6.0]])
    with pytest.raises(RuntimeError, match="topk: selected index k=4 is out of range"):
        x.topk(4)


def test_predicates_match_numpy():
    a = np.array([[1.0, np.nan, np.inf], [0.0, -np.inf, 2.0]])
    t = ag.tensor(a)
    np.testing.assert_array_equal(ag.isnan(t).numpy(), np.isnan(a))
    np.testing.assert_array_equal(t.isinf().numpy(), np.isinf(a))
    np.testing.assert_array_equal(t.isfinite().numpy(), np.isfinite(a))
    b = ag.tensor([[True, False], [True, True]])
    assert not b.all().item() and b.any().item()
    np.testing.assert_array_equal(b.all(dim=1).numpy(), [False, True])
    np.testing.assert_array_equal(b.any(dim=0, keepdim=True).numpy(), [[True, True]])
    assert (t > -1e9).any().dtype == np.bool_
    x = ag.tensor([1.0, 2.0])
    assert ag.equal(x, x.clone()) and not ag.equal(x, ag.tensor([1.0, 2.0, 3.0]))
    assert ag.allclose(x, x + 1e-9) and not ag.allclose(x, x + 1e-3)
    np.testing.assert_array_equal(ag.isclose(x, x + 1e-3).numpy(), [False, False])
    assert not (x > 1).requires_grad and not ag.isnan(leaf(2)).requires_grad
