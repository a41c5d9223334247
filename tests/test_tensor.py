"""The Tensor as a container: construction and dtype rules, numpy interop, factories, seeding,
attributes, repr (against what PyTorch prints) and the non-differentiable comparisons."""
import numpy as np
import pytest

import autograd as ag


# ------------------------------------------------------------------ construction
@pytest.mark.parametrize("data,dtype", [
    (1.5, np.float32),
    ([1.0, 2.0], np.float32),
    ([[1, 2.5], [3, 4]], np.float32),  # one float makes the whole tensor float
    (3, np.int64),
    ([1, 2, 3], np.int64),
    (True, np.bool_),
    ([True, False], np.bool_),
    (np.array([1.0, 2.0]), np.float64),  # numpy float64 stays float64
    (np.array([1.0, 2.0], dtype=np.float32), np.float32),
    (np.array([1, 2], dtype=np.int32), np.int32),
    (np.array([1, 2]), np.int64),
    (np.float64(2.0), np.float64),
])
def test_construction_dtypes(data, dtype):
    for t in (ag.tensor(data), ag.Tensor(data)):
        assert t.dtype == dtype
        np.testing.assert_array_equal(t.numpy(), np.asarray(data))
        assert t.shape == np.shape(data)


def test_explicit_dtype_and_names():
    assert ag.tensor([1, 2], dtype=ag.float32).dtype == np.float32
    assert ag.tensor([1.7, 2.2], dtype=ag.int64).dtype == np.int64
    assert ag.tensor([1.0], dtype="float64").dtype == np.float64
    assert ag.tensor([1.0], dtype=ag.double).dtype == ag.float64
    assert ag.tensor([1], dtype=ag.long).dtype == ag.int64
    assert ag.tensor([1.0]).dtype == ag.float32 == ag.float


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    t = ag.tensor(array)
    array[0] = 100.0
    assert t.numpy()[0] == 1.0
    u = ag.tensor(t)
    t.numpy()[1] = -1.0
    assert u.numpy()[1] == 2.0


def test_from_numpy_and_numpy_share_memory():
    array = np.array([[1.0, 2.0], [3.0, 4.0]])
    t = ag.from_numpy(array)
    assert t.dtype == np.float64
    array[0, 0] = 10.0
    assert t[0, 0].item() == 10.0
    t.numpy()[1, 1] = -4.0
    assert array[1, 1] == -4.0
    assert np.shares_memory(np.asarray(t), array)
    with pytest.raises(TypeError, match="from_numpy"):
        ag.from_numpy([1.0, 2.0])


def test_numpy_refused_while_requiring_grad():
    t = ag.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=r"detach\(\)\.numpy\(\)"):
        t.numpy()
    np.testing.assert_array_equal(t.detach().numpy(), [1.0])


def test_item_tolist_asarray():
    assert ag.tensor(2.5).item() == 2.5 and isinstance(ag.tensor(2.5).item(), float)
    assert ag.tensor([[7]]).item() == 7 and isinstance(ag.tensor([7]).item(), int)
    assert ag.tensor([[1.0, 2.0], [3.0, 4.0]]).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert ag.tensor(3).tolist() == 3
    a = np.asarray(ag.tensor([1.0, 2.0]))
    assert isinstance(a, np.ndarray) and a.dtype == np.float32
    np.testing.assert_array_equal(a, [1.0, 2.0])
    assert np.asarray(ag.tensor([1, 2]), dtype=np.float64).dtype == np.float64
    assert float(ag.tensor([2.0])) == 2.0 and int(ag.tensor(3)) == 3
    with pytest.raises(RuntimeError, match="2 elements"):
        ag.tensor([1.0, 2.0]).item()


def test_tensor_from_a_list_of_tensors():
    t = ag.tensor([ag.tensor(1.0), ag.tensor(2.0)])
    assert t.dtype == np.float32
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])


# ------------------------------------------------------------------ factories
@pytest.mark.parametrize("make,expected", [
    (lambda **k: ag.zeros(2, 3, **k), np.zeros((2, 3))),
    (lambda **k: ag.zeros((2, 3), **k), np.zeros((2, 3))),
    (lambda **k: ag.ones(4, **k), np.ones(4)),
    (lambda **k: ag.full((2, 2), 1.5, **k), np.full((2, 2), 1.5)),
    (lambda **k: ag.eye(3, **k), np.eye(3)),
    (lambda **k: ag.eye(2, 3, **k), np.eye(2, 3)),
    (lambda **k: ag.arange(0.0, 1.0, 0.25, **k), np.arange(0, 1, 0.25)),
    (lambda **k: ag.linspace(0, 1, 5, **k), np.linspace(0, 1, 5)),
    (lambda **k: ag.zeros_like(ag.ones(2, 2), **k), np.zeros((2, 2))),
    (lambda **k: ag.ones_like(ag.zeros(3), **k), np.ones(3)),
])
def test_factories(make, expected):
    t = make()
    assert t.dtype == np.float32 and not t.requires_grad and t.is_leaf
    np.testing.assert_array_equal(t.numpy(), expected)
    g = make(requires_grad=True)
    assert g.requires_grad and g.is_leaf
    d = make(dtype=ag.float64)
    assert d.dtype == np.float64
    np.testing.assert_array_equal(d.numpy(), expected)


def test_factory_dtype_inference_like_pytorch():
    assert ag.arange(5).dtype == np.int64
    np.testing.assert_array_equal(ag.arange(5).numpy(), np.arange(5))
    np.testing.assert_array_equal(ag.arange(1, 7, 2).numpy(), [1, 3, 5])
    assert ag.arange(2.0).dtype == np.float32
    assert ag.full((2,), 3).dtype == np.int64  # torch.full((2,), 3).dtype == torch.int64
    assert ag.full((2,), 3.0).dtype == np.float32
    assert ag.zeros_like(ag.tensor(np.array([1.0]))).dtype == np.float64
    assert ag.ones_like(ag.tensor([1, 2])).tolist() == [1, 1]


def test_random_factories():
    ag.manual_seed(0)
    r = ag.rand(1000)
    assert r.dtype == np.float32 and r.shape == (1000,)
    assert 0 <= r.numpy().min() and r.numpy().max() < 1 and abs(r.numpy().mean() - 0.5) < 0.05
    n = ag.randn(2000, dtype=ag.float64)
    assert n.dtype == np.float64 and abs(n.numpy().mean()) < 0.1 and abs(n.numpy().std() - 1) < 0.1
    like = ag.randn_like(ag.zeros(3, 2), requires_grad=True)
    assert like.shape == (3, 2) and like.requires_grad and like.dtype == np.float32
    assert ag.randn(2, 3, requires_grad=True).requires_grad


def test_manual_seed_reproducibility():
    ag.manual_seed(42)
    a, b = ag.randn(5), ag.rand(2, 2)
    ag.manual_seed(42)
    c, d = ag.randn(5), ag.rand(2, 2)
    np.testing.assert_array_equal(a.numpy(), c.numpy())
    np.testing.assert_array_equal(b.numpy(), d.numpy())
    ag.manual_seed(43)
    assert not np.array_equal(ag.randn(5).numpy(), a.numpy())


# ------------------------------------------------------------------ attributes
def test_shape_attributes():
    t = ag.zeros(2, 3, 4)
    assert t.shape == (2, 3, 4) and t.ndim == 3 and t.dim() == 3
    assert t.size() == (2, 3, 4) and t.size(1) == 3 and t.size(-1) == 4
    assert t.numel() == 24 and len(t) == 2
    assert t.T.shape == (4, 3, 2)
    s = ag.tensor(1.0)
    assert s.shape == () and s.ndim == 0 and s.numel() == 1 and s.T.shape == ()
    with pytest.raises(IndexError, match="size"):
        t.size(3)


def test_T_and_mT_values():
    a = np.arange(6.0).reshape(2, 3)
    np.testing.assert_array_equal(ag.tensor(a).T.numpy(), a.T)
    b = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(ag.tensor(b).mT.numpy(), np.swapaxes(b, -1, -2))


def test_leaf_grad_fn_data_detach():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    assert x.is_leaf and x.grad_fn is None and x.grad is None
    y = x * 2
    assert not y.is_leaf and y.grad_fn is not None
    assert not x.data.requires_grad and np.shares_memory(x.data.numpy(), x.detach().numpy())
    d = y.detach()
    assert d.is_leaf and not d.requires_grad


def test_clone_copies_memory_and_passes_gradient():
    x = ag.tensor([1.0, 2.0], requires_grad=True)
    c = x.clone()
    assert not np.shares_memory(c.detach().numpy(), x.detach().numpy())
    assert repr(c.grad_fn) == "<CloneBackward>"
    (c * ag.tensor([3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])
    plain = ag.tensor([1.0])
    copy = plain.clone()
    copy.numpy()[0] = 5.0
    assert plain.item() == 1.0


def test_to_float_double_and_integer_conversions():
    x = ag.tensor([1.5, -2.5])
    assert x.double().dtype == np.float64 and x.to(ag.float64).dtype == np.float64
    assert x.double().float().dtype == np.float32
    assert x.to("float64").dtype == np.float64
    assert x.to(ag.float32) is x
    assert x.long().dtype == np.int64
    np.testing.assert_array_equal(x.long().numpy(), [1, -2])  # truncation toward zero, like PyTorch
    assert ag.tensor([0, 2]).bool().tolist() == [False, True]
    converted = x.double()
    converted.numpy()[0] = 9.0
    assert x.numpy()[0] == 1.5  # a copy, not a view


def test_requires_grad_setter_and_method():
    t = ag.zeros(2)
    assert t.requires_grad_() is t and t.requires_grad
    t.requires_grad = False
    assert not t.requires_grad


# ------------------------------------------------------------------ repr
# The expected strings are what torch 2.x prints for the same data (with `torch.` -> `autograd.`
# and PyTorch's node names like MulBackward0 written without the trailing 0).
REPRS = [
    (lambda: ag.tensor([1.0, 2.0, 3.0], requires_grad=True), "tensor([1., 2., 3.], requires_grad=True)"),
    (lambda: ag.tensor([0.1, 1.5]), "tensor([0.1000, 1.5000])"),
    (lambda: ag.tensor([1, 2]), "tensor([1, 2])"),
    (lambda: ag.tensor(3.5), "tensor(3.5000)"),
    (lambda: ag.tensor(3.0), "tensor(3.)"),
    (lambda: ag.tensor(2), "tensor(2)"),
    (lambda: ag.tensor([1.0, 2.0], dtype=ag.float64), "tensor([1., 2.], dtype=autograd.float64)"),
    (lambda: ag.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (lambda: ag.tensor([[1.5, 2.0], [3.0, 4.0]]), "tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])"),
    (lambda: ag.tensor([True, False]), "tensor([ True, False])"),
    (lambda: ag.tensor([1.0, 2.0], requires_grad=True) * 2, "tensor([2., 4.], grad_fn=<MulBackward>)"),
    (lambda: ag.zeros(2, 0), "tensor([], size=(2, 0))"),
    (lambda: ag.tensor([1e9, 1.5]), "tensor([1.0000e+09, 1.5000e+00])"),
    (lambda: ag.tensor([123456.5, 1.5]), "tensor([1.2346e+05, 1.5000e+00])"),
    (lambda: ag.tensor([-1.5, 2.25]), "tensor([-1.5000,  2.2500])"),
    (lambda: ag.tensor([1, 2], dtype=ag.int32), "tensor([1, 2], dtype=autograd.int32)"),
    (lambda: ag.tensor([1.0, 2.0], dtype=ag.float64, requires_grad=True),
     "tensor([1., 2.], dtype=autograd.float64, requires_grad=True)"),
    (lambda: ag.tensor([[1, 2], [3, 4]]), "tensor([[1, 2],\n        [3, 4]])"),
    (lambda: ag.tensor([100.0, 2.0]), "tensor([100.,   2.])"),
    (lambda: ag.zeros(0), "tensor([])"),
    (lambda: ag.tensor([float("nan"), 1.0, float("inf")]), "tensor([nan, 1., inf])"),
    (lambda: ag.tensor([1.0, 1e9]), "tensor([1.0000e+00, 1.0000e+09])"),
    (lambda: ag.tensor(float("inf")), "tensor(inf)"),
    (lambda: ag.tensor(np.arange(12.0).reshape(2, 2, 3)),
     "tensor([[[ 0.,  1.,  2.],\n         [ 3.,  4.,  5.]],\n\n        [[ 6.,  7.,  8.],\n         [ 9., 10., 11.]]],"
     " dtype=autograd.float64)"),
]

# Padding details of torch's formatter: nan/inf in a fixed-point column, a lone bool, summarization.
REPRS += [
    (lambda: ag.tensor([0.1, float("nan")]), "tensor([0.1000,    nan])"),
    (lambda: ag.tensor([1.5, float("-inf")]), "tensor([1.5000,   -inf])"),
    (lambda: ag.tensor([[True]]), "tensor([[True]])"),
    (lambda: ag.tensor(np.linspace(0, 1, 2000)),
     "tensor([0.0000e+00, 5.0025e-04, 1.0005e-03,  ..., 9.9900e-01, 9.9950e-01,\n        1.0000e+00], "
     "dtype=autograd.float64)"),
    (lambda: ag.tensor(np.arange(56.0).reshape(1, 56) / 7, dtype=ag.float64),
     "tensor([[0.0000, 0.1429, 0.2857, 0.4286, 0.5714, 0.7143, 0.8571, 1.0000, 1.1429,\n"
     "         1.2857, 1.4286, 1.5714, 1.7143, 1.8571, 2.0000, 2.1429, 2.2857, 2.4286,\n"
     "         2.5714, 2.7143, 2.8571, 3.0000, 3.1429, 3.2857, 3.4286, 3.5714, 3.7143,\n"
     "         3.8571, 4.0000, 4.1429, 4.2857, 4.4286, 4.5714, 4.7143, 4.8571, 5.0000,\n"
     "         5.1429, 5.2857, 5.4286, 5.5714, 5.7143, 5.8571, 6.0000, 6.1429, 6.2857,\n"
     "         6.4286, 6.5714, 6.7143, 6.8571, 7.0000, 7.1429, 7.2857, 7.4286, 7.5714,\n"
     "         7.7143, 7.8571]], dtype=autograd.float64)"),
]


@pytest.mark.parametrize("make,expected", REPRS, ids=[e for _, e in REPRS])
def test_repr_like_pytorch(make, expected):
    assert repr(make()) == expected


def test_repr_of_empty_1d_tensor():
    assert repr(ag.zeros(0)) == "tensor([])"


def test_repr_with_nan_and_inf():
    assert repr(ag.tensor([float("nan"), 1.0, float("inf")])) == "tensor([nan, 1., inf])"


# ------------------------------------------------------------------ comparisons and arg-reductions
@pytest.mark.parametrize("op,np_op", [
    (lambda a, b: a < b, np.less), (lambda a, b: a <= b, np.less_equal),
    (lambda a, b: a > b, np.greater), (lambda a, b: a >= b, np.greater_equal),
    (lambda a, b: a == b, np.equal), (lambda a, b: a != b, np.not_equal),
])
def test_comparisons_return_bool_tensors_without_grad(op, np_op):
    a_np, b_np = np.array([[1.0, 2.0, 3.0]]), np.array([[2.0], [2.0]])
    a = ag.tensor(a_np, requires_grad=True)
    for b, b_ref in ((ag.tensor(b_np), b_np), (2.0, 2.0)):
        out = op(a, b)
        assert isinstance(out, ag.Tensor) and out.dtype == np.bool_
        assert not out.requires_grad and out.grad_fn is None
        np.testing.assert_array_equal(out.numpy(), np_op(a_np, b_ref))


def test_reflected_comparison_with_a_number():
    t = ag.tensor([1.0, 3.0])
    np.testing.assert_array_equal((2.0 < t).numpy(), [False, True])
    np.testing.assert_array_equal((2.0 == t).numpy(), [False, False])


def test_argmax_argmin():
    data = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    t = ag.tensor(data, requires_grad=True)
    for ours, reference in ((ag.argmax, np.argmax), (ag.argmin, np.argmin)):
        flat = ours(t)
        assert flat.dtype == np.int64 and flat.shape == () and not flat.requires_grad
        assert flat.item() == reference(data)
        np.testing.assert_array_equal(ours(t, dim=1).numpy(), reference(data, axis=1))
        np.testing.assert_array_equal(ours(t, 0, keepdim=True).numpy(), reference(data, axis=0, keepdims=True))
        np.testing.assert_array_equal(ours(t, dim=-1).numpy(), reference(data, axis=-1))
    assert t.argmax(dim=0).tolist() == [1, 0, 1]
    assert t.argmin().item() == 4


def test_bool_tensors_combine_with_logical_operators():
    a, b = ag.tensor([True, False, True]), ag.tensor([True, True, False])
    assert (a & b).tolist() == [True, False, False]
    assert (a | b).tolist() == [True, True, True]
    assert (~a).tolist() == [False, True, False]


def test_truth_value_and_iteration():
    assert bool(ag.tensor([1.0])) and not bool(ag.tensor(0.0))
    with pytest.raises(RuntimeError, match="ambiguous"):
        bool(ag.tensor([1.0, 2.0]))
    rows = list(ag.tensor([[1.0, 2.0], [3.0, 4.0]]))
    assert [r.tolist() for r in rows] == [[1.0, 2.0], [3.0, 4.0]]


def test_half_and_the_dtype_of_empty_tensors_in_repr_like_pytorch():
    assert ag.tensor([1.0, 2.0]).half().dtype == np.float16
    assert repr(ag.tensor([], dtype=ag.int64)) == "tensor([], dtype=autograd.int64)"
    assert repr(ag.zeros(0, 3, dtype=ag.int64)) == "tensor([], size=(0, 3), dtype=autograd.int64)"
    assert repr(ag.zeros(0)) == "tensor([])"


@pytest.mark.parametrize("op", ["softmax", "log_softmax"])
def test_softmax_of_integers_is_refused_unless_a_dtype_is_given(op):
    with pytest.raises(TypeError, match=f"{op}: expected a floating point tensor, got dtype int64"):
        getattr(ag.tensor([1, 2]), op)(0)
    np.testing.assert_allclose(
        getattr(ag.tensor([1, 2]), op)(0, dtype=ag.float32).numpy(),
        getattr(ag.tensor([1.0, 2.0]), op)(0).numpy(),
    )


def test_format_of_a_0d_tensor_is_its_number_like_pytorch():
    loss = ag.tensor(2.5)
    assert f"loss {loss:.3f}" == "loss 2.500"
    assert f"{loss}" == "2.5" and f"{loss:>6}" == "   2.5"
    assert f"{ag.tensor(3):d}" == "3" and f"{ag.tensor(True)}" == "True"
    assert f"{ag.ones(2)}" == repr(ag.ones(2))
    with pytest.raises(TypeError, match="unsupported format string"):
        f"{ag.ones(2):.2f}"


def test_is_floating_point():
    assert ag.ones(2).is_floating_point() and ag.ones(2, dtype=ag.float64).is_floating_point()
    assert not ag.tensor([1]).is_floating_point() and not ag.tensor([True]).is_floating_point()
