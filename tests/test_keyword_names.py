"""PyTorch's keyword names work here: factories (``size=``, ``end=``), shape methods (``shape=``, ``dims=``,
``split_size=``), numpy's ``axis``/``keepdims`` aliases in reductions; and random floats refuse integer dtypes."""
import numpy as np
import pytest

import autograd as ag

A = np.arange(6, dtype=np.float32).reshape(2, 3) - 2.5


def x():
    return ag.tensor(A)


def same(got, want):
    got = got.detach().numpy() if isinstance(got, ag.Tensor) else np.asarray(got)
    np.testing.assert_allclose(got, want, rtol=1e-6)
    assert got.shape == np.shape(want)


# ------------------------------------------------------------------- factories
@pytest.mark.parametrize("call, want", [
    (lambda: ag.arange(end=3), [0, 1, 2]),
    (lambda: ag.arange(start=1, end=4), [1, 2, 3]),
    (lambda: ag.arange(1, end=6, step=2), [1, 3, 5]),
    (lambda: ag.arange(start=0.5, end=2), [0.5, 1.5]),
    (lambda: ag.arange(4), [0, 1, 2, 3]),
])
def test_arange_takes_start_end_and_step_by_name(call, want):
    same(call(), want)


def test_arange_without_end_is_a_type_error():
    with pytest.raises(TypeError, match="end"):
        ag.arange()


@pytest.mark.parametrize("factory", [ag.zeros, ag.ones, ag.empty, ag.rand, ag.randn])
def test_factories_take_size_by_name(factory):
    assert factory(size=(2, 3)).shape == (2, 3)
    assert factory(size=[4]).shape == (4,)
    assert factory(size=(2,), dtype=ag.float64).dtype == ag.float64
    assert factory(2, 3).shape == factory((2, 3)).shape == (2, 3)  # positional forms unchanged


@pytest.mark.parametrize("factory", [ag.zeros, ag.ones, ag.empty, ag.rand, ag.randn])
def test_size_by_name_is_a_tuple_given_once(factory):
    with pytest.raises(TypeError, match="must be tuple of ints, not int"):
        factory(size=2)
    with pytest.raises(TypeError, match="multiple values for argument 'size'"):
        factory(2, size=(2,))


def test_constant_factories_fill_by_name():
    same(ag.zeros(size=(2,)), [0, 0])
    same(ag.ones(size=(2,)), [1, 1])
    same(ag.full(size=(2,), fill_value=3), [3, 3])


def test_randint_takes_pytorchs_forms():
    ag.manual_seed(0)
    for t in (ag.randint(5, (3,)), ag.randint(high=5, size=(3,)), ag.randint(5, size=[3]), ag.randint(0, 5, (3,))):
        assert t.shape == (3,) and t.dtype == ag.int64
        assert ((t >= 0) & (t < 5)).all()
    low = ag.randint(low=3, high=5, size=(50,))
    assert ((low >= 3) & (low < 5)).all()
    assert ag.randint(5, (2,), dtype=ag.zeros(1).dtype).dtype == ag.float32  # a numpy dtype object too


def test_randperm_takes_dtype_and_requires_grad():
    t = ag.randperm(4, dtype=ag.float64, requires_grad=True)
    assert t.dtype == ag.float64 and t.requires_grad
    same(ag.randperm(4, dtype=ag.float32).sort().values, [0, 1, 2, 3])


# ------------------------------------------------- random floats of integer dtypes
@pytest.mark.parametrize("factory, kernel", [(ag.rand, "check_uniform_bounds"), (ag.randn, "normal_kernel_cpu")])
@pytest.mark.parametrize("dtype, torch_name", [
    (ag.int64, "Long"), (int, "Long"), (ag.int32, "Int"), (ag.int8, "Char"), (ag.uint8, "Byte"), (ag.bool_, "Bool"),
])
def test_random_floats_of_an_integer_dtype_raise_as_pytorch(factory, kernel, dtype, torch_name):
    name = factory.__name__
    with pytest.raises(NotImplementedError, match=f"^{name}\\(\\): \"{kernel}\" not implemented for '{torch_name}'"):
        factory(3, dtype=dtype)
    with pytest.raises(NotImplementedError):
        factory(3, dtype=dtype, requires_grad=True)  # (before requires_grad's own check, as in PyTorch)


@pytest.mark.parametrize("like, kernel", [(ag.rand_like, "check_uniform_bounds"), (ag.randn_like, "normal_kernel_cpu")])
def test_random_like_of_an_integer_tensor_raises_naming_itself(like, kernel):
    ints = ag.tensor([[1, 2], [3, 4]])
    with pytest.raises(NotImplementedError, match=f"^{like.__name__}\\(\\): \"{kernel}\" not implemented for 'Long'"):
        like(ints)
    with pytest.raises(NotImplementedError, match="'Bool'"):
        like(ints > 2)
    with pytest.raises(NotImplementedError, match="'Int'"):
        like(ag.zeros(2), dtype=ag.int32)
    floats = like(ints, dtype=ag.float32)
    assert floats.shape == (2, 2) and floats.dtype == ag.float32


# ----------------------------------------------------------------- shape keywords
@pytest.mark.parametrize("call, want", [
    (lambda t: t.reshape(shape=(3, 2)), A.reshape(3, 2)),
    (lambda t: t.reshape(shape=[-1]), A.reshape(-1)),
    (lambda t: ag.reshape(t, shape=(3, 2)), A.reshape(3, 2)),
    (lambda t: t.view(size=(3, 2)), A.reshape(3, 2)),
    (lambda t: t.permute(dims=(1, 0)), A.T),
    (lambda t: ag.permute(t, dims=[1, 0]), A.T),
    (lambda t: t[:1].expand(size=(2, 3)), np.broadcast_to(A[:1], (2, 3))),
    (lambda t: t.broadcast_to(size=(2, 2, 3)), np.broadcast_to(A, (2, 2, 3))),
    (lambda t: ag.broadcast_to(t, size=(2, 2, 3)), np.broadcast_to(A, (2, 2, 3))),
    (lambda t: t.repeat(repeats=(2, 1)), np.tile(A, (2, 1))),
    (lambda t: t.flip(dims=(1,)), A[:, ::-1]),
    (lambda t: t.flip(0, 1), A[::-1, ::-1]),
    (lambda t: ag.dot(t[0], tensor=t[1]), A[0] @ A[1]),
    (lambda t: t[0].dot(tensor=t[1]), A[0] @ A[1]),
    (lambda t: t.flatten(start_dim=0, end_dim=1), A.reshape(-1)),
    (lambda t: t.transpose(dim0=1, dim1=0), A.T),
    (lambda t: ag.cat(tensors=[t, t], dim=1), np.concatenate([A, A], 1)),
    (lambda t: ag.stack(tensors=[t, t], dim=1), np.stack([A, A], 1)),
    (lambda t: t.gather(dim=1, index=ag.tensor([[2], [0]])), A[[0, 1], [2, 0]][:, None]),
])
def test_shape_ops_take_pytorchs_keywords(call, want):
    same(call(x()), want)


@pytest.mark.parametrize("call, message", [
    (lambda t: t.reshape(shape=6), "argument 'shape' must be tuple of ints, not int"),
    (lambda t: t.reshape(6, shape=(6,)), "multiple values for argument 'shape'"),
    (lambda t: t.view(shape=(6,)), "shape"),  # view's keyword is size
    (lambda t: t.permute(1, dims=(1, 0)), "multiple values for argument 'dims'"),
    (lambda t: t.expand(size=3), "argument 'size' must be tuple of ints"),
    (lambda t: t.broadcast_to(size=3), "argument 'size' must be tuple of ints"),
    (lambda t: t.expand(sizes=(2, 3)), "sizes"),
    (lambda t: t.flip(), "dims"),
    (lambda t: ag.dot(t[0], other=t[1]), "other"),
])
def test_shape_keywords_misused_are_type_errors(call, message):
    with pytest.raises(TypeError, match=message):
        call(x())


def test_split_uses_the_method_and_the_functions_own_keywords():
    for pieces in (x().split(split_size=2, dim=1), ag.split(x(), split_size_or_sections=2, dim=1),
                   ag.split(tensor=x(), split_size_or_sections=[2, 1], dim=1), x().split(2, 1)):
        assert [p.shape for p in pieces] == [(2, 2), (2, 1)]
        same(pieces[1], A[:, 2:])
    with pytest.raises(TypeError, match="split_size_or_sections"):
        x().split(split_size_or_sections=2)
    with pytest.raises(TypeError, match="split_size"):
        ag.split(x(), split_size=2)
    with pytest.raises(TypeError, match="argument 'tensor'"):
        ag.split([1, 2], 1)


# ------------------------------------------------------- numpy's axis and keepdims
REDUCTIONS = {  # name: numpy's reduction over axis 1, keeping it
    "sum": lambda a: a.sum(1, keepdims=True),
    "mean": lambda a: a.mean(1, keepdims=True),
    "var": lambda a: a.var(1, ddof=1, keepdims=True),
    "std": lambda a: a.std(1, ddof=1, keepdims=True),
    "logsumexp": lambda a: np.log(np.exp(a).sum(1, keepdims=True)),
    "amax": lambda a: a.max(1, keepdims=True),
    "amin": lambda a: a.min(1, keepdims=True),
    "argmax": lambda a: a.argmax(1)[:, None],
    "argmin": lambda a: a.argmin(1)[:, None],
    "all": lambda a: a.all(1, keepdims=True),
    "any": lambda a: a.any(1, keepdims=True),
}


@pytest.mark.parametrize("name", list(REDUCTIONS))
def test_reductions_take_axis_and_keepdims(name):
    want = REDUCTIONS[name](A)
    same(getattr(x(), name)(axis=1, keepdims=True), want)
    same(getattr(ag, name)(x(), axis=1, keepdims=True), want)
    same(getattr(x(), name)(axis=1), want.reshape(-1))
    same(getattr(x(), name)(1, keepdims=True), want)


def test_max_and_min_take_axis_and_keepdims():
    values, indices = x().max(axis=1, keepdims=True)
    same(values, A.max(1, keepdims=True))
    same(indices, A.argmax(1)[:, None])
    same(ag.min(x(), axis=0).values, A.min(0))
    same(x().amax(axis=(0, 1)), A.max())


@pytest.mark.parametrize("call, want", [
    (lambda t: t.sum(axis=(0, 1)), A.sum()),
    (lambda t: t.var(axis=1, correction=0), A.var(1)),
    (lambda t: t.std(axis=1, unbiased=False), A.std(1)),
    (lambda t: t.cumsum(axis=1), A.cumsum(1)),
    (lambda t: t.softmax(axis=1), np.exp(A) / np.exp(A).sum(1, keepdims=True)),
    (lambda t: ag.log_softmax(t, axis=0), A - np.log(np.exp(A).sum(0, keepdims=True))),
    (lambda t: t[None].squeeze(axis=0), A),
    (lambda t: t.unsqueeze(axis=-1), A[..., None]),
    (lambda t: ag.cat([t, t], axis=1), np.concatenate([A, A], 1)),
    (lambda t: ag.concat([t, t], axis=1), np.concatenate([A, A], 1)),
    (lambda t: ag.stack([t, t], axis=2), np.stack([A, A], 2)),
    (lambda t: t.gather(axis=1, index=ag.tensor([[1], [2]])), A[[0, 1], [1, 2]][:, None]),
    (lambda t: t.sort(axis=0, descending=True).values, -np.sort(-A, 0)),
    (lambda t: t.argsort(axis=0, stable=True), np.argsort(A, 0, kind="stable")),
    (lambda t: t.topk(1, axis=0).values, A.max(0, keepdims=True)),
    (lambda t: t.unbind(axis=1)[2], A[:, 2]),
    (lambda t: t.chunk(3, axis=1)[1], A[:, 1:2]),
    (lambda t: t.size(axis=1), 3),
])
def test_dim_ops_take_axis(call, want):
    same(call(x()), want)


@pytest.mark.parametrize("call", [
    lambda t: t.sum(0, axis=1),
    lambda t: t.sum(dim=0, axis=1),
    lambda t: t.sum(0, True, keepdims=True),
    lambda t: t.max(1, axis=0),
    lambda t: t.amax(1, axis=0),
    lambda t: t.softmax(1, axis=0),
    lambda t: ag.cat([t, t], 1, axis=0),
    lambda t: t.topk(1, 0, axis=1),
    lambda t: t.size(0, axis=1),
])
def test_dim_and_its_alias_together_are_a_type_error(call):
    with pytest.raises(TypeError, match="alias"):
        call(x())


@pytest.mark.parametrize("call", [
    lambda t: t.softmax(), lambda t: t.log_softmax(), lambda t: t.logsumexp(), lambda t: t.cumsum(),
    lambda t: t.unsqueeze(), lambda t: t.gather(1),
])
def test_a_required_dim_is_still_required(call):
    with pytest.raises(TypeError):
        call(x())


# ---------------------------------------------------------------------- the rest
def test_other_keywords_pytorch_has():
    t = x()
    t.clone().copy_(t, non_blocking=True)
    assert ag.gradcheck(func=lambda a: (a * a).sum(), inputs=(ag.ones(3, dtype=ag.float64, requires_grad=True),))
