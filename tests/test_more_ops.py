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


# ------------------------------------------------------------------ cumsum, flip, roll, repeat, unbind
def test_cumsum_flip_roll_repeat_unbind_values_and_gradients():
    x = leaf((3, 4))
    a = x.detach().numpy()
    cases = [
        (lambda t: t.cumsum(1), np.cumsum(a, axis=1)),
        (lambda t: ag.cumsum(t, dim=-2), np.cumsum(a, axis=0)),
        (lambda t: t.flip(1), a[:, ::-1]),
        (lambda t: ag.flip(t, (0, 1)), a[::-1, ::-1]),
        (lambda t: t.roll(2), np.roll(a, 2)),
        (lambda t: t.roll((1, -1), (0, 1)), np.roll(a, (1, -1), (0, 1))),
        (lambda t: t.repeat(2, 1, 3), np.tile(a, (2, 1, 3))),
        (lambda t: t.repeat(1, 2), np.tile(a, (1, 2))),
    ]
    for fn, expected in cases:
        np.testing.assert_array_equal(fn(x).detach().numpy(), expected)
        assert ag.gradcheck(fn, [x])
    pieces = x.unbind(1)
    assert len(pieces) == 4 and all(p.shape == (3,) for p in pieces)
    np.testing.assert_array_equal(pieces[2].detach().numpy(), a[:, 2])
    assert ag.gradcheck(lambda t: ag.stack([p * (i + 1) for i, p in enumerate(t.unbind(0))]), [x])


def test_repeat_gradient_sums_over_the_tiles():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    (x.repeat(3, 2) * ag.arange(12.0).reshape(3, 4)).sum().backward()
    # x[0] sits at columns 0 and 2 of each of the 3 rows: 0+2+4+6+8+10 = 30; x[1] at columns 1 and 3: 36
    np.testing.assert_array_equal(x.grad.numpy(), [30.0, 36.0])


def test_cumsum_dtypes_and_flip_is_a_copy():
    assert ag.tensor([1, 2, 3], dtype=ag.int32).cumsum(0).dtype == ag.int64  # as PyTorch
    assert ag.tensor([True, True]).cumsum(0).tolist() == [1, 2]
    assert ag.tensor([1.0, 2.0]).cumsum(0, dtype=ag.float64).dtype == ag.float64
    x = ag.tensor([1.0, 2.0, 3.0])
    y = x.flip(0)
    y += 1
    assert x.tolist() == [1.0, 2.0, 3.0] and y.tolist() == [4.0, 3.0, 2.0]


def test_shape_op_errors_name_the_op():
    x = leaf((2, 3))
    with pytest.raises(RuntimeError, match="repeat dims can not be smaller.*tensor shape \\(2, 3\\)"):
        x.repeat(2)
    with pytest.raises(RuntimeError, match="roll: shifts and dimensions must align"):
        x.roll((1, 2), 0)
    with pytest.raises(IndexError, match="flip: dim 2 out of range|Dimension out of range"):
        x.flip(2)
    with pytest.raises(IndexError, match="unbind"):
        ag.tensor(1.0).unbind()


# ------------------------------------------------------------------ %, //, div(rounding_mode=)
def test_remainder_and_floor_division_follow_python_and_pytorch():
    a = ag.tensor([5.0, -7.0, 3.5, -2.0], dtype=ag.float64, requires_grad=True)
    b = ag.tensor([2.0, 2.0, -1.5, -3.0], dtype=ag.float64, requires_grad=True)
    an, bn = a.detach().numpy(), b.detach().numpy()
    np.testing.assert_array_equal((a % b).detach().numpy(), [1.0, 1.0, -1.0, -2.0])  # the divisor's sign
    (a % b).sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [1, 1, 1, 1])
    np.testing.assert_array_equal(b.grad.numpy(), -np.floor(an / bn))  # d(a - b floor(a/b))/db
    assert ag.gradcheck(lambda u, v: u % v, [a, b])
    assert ag.gradcheck(lambda u: 5.0 % u, [b]) and ag.gradcheck(lambda u: u % 0.75, [a])
    np.testing.assert_array_equal((a // b).detach().numpy(), np.floor_divide(an, bn))
    assert (ag.tensor([7, -7]) // 2).tolist() == [3, -4] and (ag.tensor([7, -7]) % 3).tolist() == [1, 2]
    assert (7 // ag.tensor([2, -3])).tolist() == [3, -3] and (ag.tensor([7, -7]) // 2).dtype == ag.int64
    with pytest.raises(RuntimeError, match="derivative for floor_divide is not implemented"):
        (a // b).sum().backward()
    with pytest.raises(RuntimeError, match="floor_divide: ZeroDivisionError"):
        ag.tensor([7]) // 0
    with pytest.raises(RuntimeError, match="remainder: ZeroDivisionError"):
        ag.tensor([7]) % ag.tensor([0])


def test_div_rounding_modes():
    a = ag.tensor([7.0, -7.0, 7.5], requires_grad=True)
    assert ag.div(a, 2, rounding_mode="trunc").tolist() == [3.0, -3.0, 3.0]
    assert a.div(2, rounding_mode="floor").tolist() == [3.0, -4.0, 3.0]
    assert ag.div(ag.tensor([7, -7]), 2, rounding_mode="trunc").tolist() == [3, -3]
    assert ag.div(ag.tensor([7, -7]), 2, rounding_mode="trunc").dtype == ag.int64
    ag.div(a, 2, rounding_mode="floor").sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), [0.0, 0.0, 0.0])  # a step function (PyTorch's 0)
    with pytest.raises(RuntimeError, match="rounding_mode to be one of None, 'trunc', or 'floor' but found 'round'"):
        ag.div(a, 2, rounding_mode="round")
