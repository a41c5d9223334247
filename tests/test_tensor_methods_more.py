"""PyTorch's tensor methods, shape ops and random fills that chainrule gained together: values against numpy,
dtypes as torch 2.13 gives them (each checked there by hand; the tests never import torch), gradients by
``autograd.gradcheck`` in float64, the random fills' reproducibility and distributions, the in-place rules,
and the errors for bad input."""
import math

import numpy as np
import pytest

import autograd as ag
import nn
from nn import init

F32, F64 = np.dtype(np.float32), np.dtype(np.float64)
ALL_DTYPES = [ag.float16, ag.float32, ag.float64, ag.int8, ag.int16, ag.int32, ag.int64, ag.uint8, ag.bool_]


def arr(t):
    return t.detach().numpy()


def leaf(*shape, seed=0):
    """A float64 leaf requiring grad, of random values (for gradcheck)."""
    values = np.random.default_rng(seed).uniform(-2, 2, shape)
    return ag.tensor(np.asarray(values, dtype=np.float64), requires_grad=True)


def check_grad(fn, *inputs):
    assert ag.gradcheck(fn, inputs)


# Shapes with a 0-d and size-1 dims where the op allows them.
SHAPES = [(), (1,), (4,), (1, 3), (3, 1), (2, 3), (2, 1, 3), (2, 3, 4)]


# ============================================================================ metadata
@pytest.mark.parametrize("dtype, size, name", [
    (ag.float32, 4, "torch.FloatTensor"), (ag.float64, 8, "torch.DoubleTensor"), (ag.float16, 2, "torch.HalfTensor"),
    (ag.int64, 8, "torch.LongTensor"), (ag.int32, 4, "torch.IntTensor"), (ag.int16, 2, "torch.ShortTensor"),
    (ag.int8, 1, "torch.CharTensor"), (ag.uint8, 1, "torch.ByteTensor"), (ag.bool_, 1, "torch.BoolTensor"),
])
def test_element_size_and_type_name(dtype, size, name):
    t = ag.zeros(2, 3, dtype=dtype)
    assert t.element_size() == size
    assert t.type() == name
    assert t.type(name) is t  # already that type: self, as in PyTorch
    assert t.type(dtype) is t


def test_nelement_ndimension_dim():
    for shape in SHAPES + [(0, 3)]:
        t = ag.zeros(shape)
        assert t.nelement() == t.numel() == math.prod(shape)
        assert t.ndimension() == t.dim() == len(shape)


def test_type_converts_by_dtype_or_name_and_stays_in_the_graph():
    x = ag.tensor([1.5, -2.5], requires_grad=True)
    y = x.type(ag.float64)
    assert y.dtype == F64 and y.grad_fn is not None
    z = x.type("torch.DoubleTensor")
    assert z.dtype == F64
    assert x.type("torch.LongTensor").dtype == np.int64
    np.testing.assert_array_equal(x.type("torch.IntTensor").numpy(), [1, -2])  # truncation, as in PyTorch
    (y * ag.tensor([2.0, 3.0], dtype=ag.float64)).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), [2.0, 3.0])
    with pytest.raises(ValueError, match="invalid type: 'float64'"):
        x.type("float64")  # PyTorch takes only its type names as strings


def test_is_contiguous_follows_the_memory_layout():
    x = ag.zeros(2, 3)
    assert x.is_contiguous()
    assert not x.T.is_contiguous()
    assert not x[:, ::2].is_contiguous()
    assert not ag.zeros(1, 3).expand(2, 3).is_contiguous()
    assert ag.zeros(1, 1).expand(1, 1).is_contiguous()  # nothing stretched
    assert ag.zeros(()).is_contiguous() and ag.zeros(0, 3).is_contiguous()
    assert x.is_contiguous(memory_format=ag.contiguous_format)


def test_contiguous_returns_self_or_a_row_major_copy_in_the_graph():
    x = leaf(2, 3)
    assert x.contiguous() is x
    t = x.T
    c = t.contiguous()
    assert c is not t and c.is_contiguous() and c.grad_fn is not None
    np.testing.assert_array_equal(arr(c), arr(x).T)
    assert not np.shares_memory(arr(c), arr(x))
    check_grad(lambda a: a.T.contiguous(), x)
    check_grad(lambda a: a[:, ::2].contiguous(), x)
    assert x.contiguous(memory_format=ag.preserve_format) is x
    with pytest.raises(RuntimeError, match="preserve memory format is unsupported by the contiguous operator"):
        t.contiguous(memory_format=ag.preserve_format)
    with pytest.raises(TypeError, match="memory_format must be"):
        t.contiguous(memory_format="channels_last")


def test_clone_memory_format():
    x = leaf(3, 4)
    t = x.T  # column-major
    kept = t.clone()
    assert not kept.is_contiguous()
    assert arr(kept).flags.f_contiguous and not arr(kept).flags.c_contiguous  # preserve_format: t's layout
    assert arr(t.clone(memory_format=ag.preserve_format)).flags.f_contiguous
    row = t.clone(memory_format=ag.contiguous_format)
    assert row.is_contiguous() and row.grad_fn is not None
    np.testing.assert_array_equal(arr(row), arr(x).T)
    check_grad(lambda a: a.T.clone(memory_format=ag.contiguous_format), x)
    with pytest.raises(TypeError, match=r"clone\(\): memory_format"):
        x.clone(memory_format=3)


def test_to_copy_always_gives_new_memory():
    x = leaf(2, 3)
    assert x.to(ag.float64) is x and x.to() is x
    same = x.to(copy=True)
    assert same is not x and same.dtype == F64 and same.grad_fn is not None
    assert not np.shares_memory(arr(same), arr(x))
    np.testing.assert_array_equal(arr(same), arr(x))
    converted = x.to(ag.float32, copy=True)
    assert converted.dtype == F32 and converted.grad_fn is not None
    ints = ag.tensor([1, 2])
    copied = ints.to(ag.int64, copy=True)
    assert copied is not ints and copied.dtype == np.int64 and not np.shares_memory(copied.numpy(), ints.numpy())
    check_grad(lambda a: a.to(copy=True) * 2, x)
    t = x.T.to(memory_format=ag.contiguous_format)
    assert t.is_contiguous()
    np.testing.assert_array_equal(arr(t), arr(x).T)


# ============================================================================ new_* and *_as
@pytest.mark.parametrize("method, fill", [("new_zeros", 0), ("new_ones", 1), ("new_empty", None)])
@pytest.mark.parametrize("dtype", [ag.float64, ag.int32, ag.bool_])
def test_new_factories_take_selfs_dtype(method, fill, dtype):
    x = ag.zeros(5, dtype=dtype)
    for call in (lambda: getattr(x, method)(2, 3), lambda: getattr(x, method)((2, 3)),
                 lambda: getattr(x, method)([2, 3]), lambda: getattr(x, method)(size=(2, 3))):
        t = call()
        assert t.shape == (2, 3) and t.dtype == np.dtype(dtype) and t.is_leaf and not t.requires_grad
        if fill is not None:
            np.testing.assert_array_equal(t.numpy(), np.full((2, 3), fill, dtype=dtype))
    assert getattr(x, method)(()).shape == ()
    assert getattr(x, method)(2, dtype=ag.int64).dtype == np.int64
    assert not np.shares_memory(getattr(x, method)(5).numpy(), x.numpy())


def test_new_factories_requires_grad_and_errors():
    x = ag.zeros(2, dtype=ag.float64)
    t = x.new_zeros(3, requires_grad=True)
    assert t.requires_grad and t.is_leaf and t.dtype == F64
    with pytest.raises(RuntimeError, match="only Tensors of floating point dtype can require gradients"):
        ag.zeros(2, dtype=ag.int32).new_ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"new_zeros: Trying to create tensor with negative dimension -1"):
        x.new_zeros(-1)
    with pytest.raises(TypeError, match="new_zeros: size must be ints"):
        x.new_zeros(2.0)
    with pytest.raises(RuntimeError, match="new_zeros.*cpu only|CPU only"):
        x.new_zeros(2, device="cuda")


def test_new_full():
    i = ag.zeros(2, dtype=ag.int32)
    t = i.new_full((2,), 2.7)
    assert t.dtype == np.int32
    np.testing.assert_array_equal(t.numpy(), [2, 2])  # converted to self's dtype, as in PyTorch
    f = ag.zeros(1, dtype=ag.float64).new_full([3], ag.tensor(1.5), requires_grad=True)
    assert f.dtype == F64 and f.requires_grad
    np.testing.assert_array_equal(f.detach().numpy(), [1.5] * 3)
    assert i.new_full((2,), 1, dtype=ag.float32).dtype == F32
    with pytest.raises(TypeError, match="new_full\\(\\): argument 'size' \\(position 1\\) must be tuple of ints, not int"):
        i.new_full(2, 3)


def test_new_tensor():
    x = ag.zeros(2, dtype=ag.float64)
    t = x.new_tensor([1, 2])
    assert t.dtype == F64 and t.is_leaf and not t.requires_grad
    np.testing.assert_array_equal(t.numpy(), [1.0, 2.0])
    ints = ag.zeros(1, dtype=ag.int32).new_tensor([1.5, 2.5])
    assert ints.dtype == np.int32
    np.testing.assert_array_equal(ints.numpy(), [1, 2])
    assert x.new_tensor([1, 2], dtype=ag.int64).dtype == np.int64
    assert x.new_tensor(3).shape == () and x.new_tensor(np.array([1, 2], dtype=np.float32)).dtype == F64
    g = x.new_tensor([1.0], requires_grad=True)
    assert g.requires_grad and g.is_leaf
    source = ag.tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(UserWarning, match=r"detach\(\)\.clone\(\)"):
        copy = x.new_tensor(source)
    assert copy.is_leaf and not copy.requires_grad and copy.dtype == F64
    assert not np.shares_memory(copy.numpy(), source.detach().numpy())


def test_type_as_view_as_reshape_as():
    x = leaf(2, 3)
    assert x.type_as(ag.zeros(1, dtype=ag.float32)).dtype == F32
    i = x.type_as(ag.zeros(1, dtype=ag.int32))
    assert i.dtype == np.int32 and not i.requires_grad
    assert x.type_as(ag.zeros(1, dtype=ag.float64)) is x
    v = x.view_as(ag.zeros(3, 2))
    assert v.shape == (3, 2) and v.grad_fn is not None
    np.testing.assert_array_equal(arr(v), arr(x).reshape(3, 2))
    assert x.reshape_as(ag.zeros(6)).shape == (6,)
    check_grad(lambda a: a.view_as(ag.zeros(3, 2)), x)
    check_grad(lambda a: a.reshape_as(ag.zeros(6, 1)), x)
    check_grad(lambda a: a.type_as(ag.zeros(1, dtype=ag.float64)) * 3, x)
    with pytest.raises(RuntimeError, match=r"shape '\[4, 2\]' is invalid for input of size 6"):
        x.view_as(ag.zeros(4, 2))
    with pytest.raises(TypeError, match=r"view_as\(\): argument 'other'.*must be Tensor, not tuple"):
        x.view_as((3, 2))


# ============================================================================ squeeze with several dims
def test_squeeze_several_dims():
    x = leaf(1, 2, 1, 3)
    for got in (x.squeeze((0, 2)), x.squeeze(0, 2), x.squeeze([0, -2]), x.squeeze(dim=(0, 2)), ag.squeeze(x, (0, 2))):
        assert got.shape == (2, 3)
        np.testing.assert_array_equal(arr(got), arr(x).reshape(2, 3))
    assert x.squeeze([0, 1]).shape == (2, 1, 3)  # dim 1 has size 2: kept
    assert x.squeeze(()).shape == (1, 2, 1, 3)  # no dims: nothing squeezed, as in PyTorch
    assert ag.tensor(1.0).squeeze((0,)).shape == ()
    check_grad(lambda a: a.squeeze(0, 2), x)
    with pytest.raises(RuntimeError, match=r"squeeze: dim \(0, 0\) appears multiple times"):
        x.squeeze((0, 0))
    with pytest.raises(IndexError, match=r"squeeze: Dimension out of range \(expected to be in range of \[-4, 3\], but got 5\)"):
        x.squeeze((0, 5))
    with pytest.raises(TypeError, match="one int, one tuple or several ints"):
        x.squeeze((0,), 2)


# ============================================================================ shape ops against numpy
def _shapes_with_dims(min_ndim):
    return [s for s in SHAPES if len(s) >= min_ndim]


@pytest.mark.parametrize("shape", _shapes_with_dims(1))
def test_movedim_moveaxis_swapaxes_swapdims(shape):
    x = leaf(*shape, seed=len(shape))
    a = arr(x)
    n = len(shape)
    rng = np.random.default_rng(n)
    for _ in range(4):
        k = int(rng.integers(1, n + 1))
        src = [int(d) for d in rng.permutation(n)[:k]]
        dst = [int(d) - n * int(rng.integers(0, 2)) for d in rng.permutation(n)[:k]]  # some negative
        want = np.moveaxis(a, src, dst)
        for got in (ag.movedim(x, src, dst), x.movedim(tuple(src), tuple(dst)), x.moveaxis(src, dst), ag.moveaxis(x, src, dst)):
            assert got.shape == want.shape
            np.testing.assert_array_equal(arr(got), want)
        check_grad(lambda t: t.movedim(src, dst), x)
    assert x.movedim(0, -1).shape == np.moveaxis(a, 0, -1).shape
    assert ag.movedim(x, source=0, destination=n - 1).shape == np.moveaxis(a, 0, n - 1).shape
    d0, d1 = 0, n - 1
    for got in (x.swapaxes(d0, d1), ag.swapaxes(x, d0, d1), x.swapdims(d1, d0), ag.swapdims(x, d0, d1)):
        np.testing.assert_array_equal(arr(got), np.swapaxes(a, d0, d1))
    check_grad(lambda t: t.swapaxes(0, -1), x)
    check_grad(lambda t: ag.swapdims(t, -1, 0), x)


def test_movedim_of_a_0d_tensor_and_errors():
    s = leaf()
    assert ag.movedim(s, 0, 0).shape == () and ag.movedim(s, -1, 0).grad_fn is not None
    check_grad(lambda t: ag.movedim(t, -1, 0) * 3, s)
    check_grad(lambda t: t.swapaxes(0, -1), s)
    x = ag.zeros(2, 3, 4)
    with pytest.raises(RuntimeError, match=r"movedim: Invalid source or destination dims: source \(\[0, 1\] dims\) should "
                                           r"contain the same number of dims as destination \(\[2\] dims\)"):
        x.movedim((0, 1), (2,))
    with pytest.raises(RuntimeError, match=r"movedim: repeated dim in `source` \(\[0, -3\]\)"):
        x.movedim((0, -3), (1, 2))
    with pytest.raises(RuntimeError, match=r"movedim: repeated dim in `destination` \(\[2, 2\]\)"):
        x.movedim((0, 1), (2, 2))
    with pytest.raises(IndexError, match=r"movedim: Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)"):
        x.movedim(3, 0)
    with pytest.raises(TypeError, match=r"movedim\(\): argument 'source' must be int or tuple of ints, not float"):
        x.movedim(0.0, 1)
    with pytest.raises(IndexError, match="swapaxes: Dimension out of range"):
        x.swapaxes(0, 3)


@pytest.mark.parametrize("shape", SHAPES)
def test_tile(shape):
    x = leaf(*shape, seed=7)
    a = arr(x)
    for reps in [(2,), (1, 3), (2, 1, 2), (2,) * (len(shape) + 1), (0, 2), ()]:
        want = np.tile(a, reps)
        for got in (x.tile(reps), x.tile(*reps) if reps else x.tile(()), ag.tile(x, reps), ag.tile(x, dims=reps)):
            assert got.shape == want.shape, (shape, reps)
            np.testing.assert_array_equal(arr(got), want)
        if want.size:
            check_grad(lambda t: t.tile(reps), x)
    with pytest.raises(RuntimeError, match=r"tile: dims must be non-negative.*\[-1\]"):
        x.tile(-1)


def test_module_tile_takes_one_tuple_of_dims():
    # torch 2.13: torch.tile(x, 2, 3) and torch.tile(x, 2) are TypeErrors (the method takes separate ints)
    x = leaf(2, 3)
    with pytest.raises(TypeError, match="takes 2 positional arguments but 3 were given"):
        ag.tile(x, 2, 3)
    with pytest.raises(TypeError, match=r"tile\(\): argument 'dims' \(position 2\) must be tuple of ints, not int"):
        ag.tile(x, 2)
    with pytest.raises(TypeError, match="must be tuple of ints, not int"):
        ag.tile(x, dims=2)
    with pytest.raises(TypeError, match=r"tile\(\): argument 'input' \(position 1\) must be Tensor, not list"):
        ag.tile([1.0], (2,))
    assert ag.tile(x, [2, 1]).shape == ag.tile(input=x, dims=(2, 1)).shape == (4, 3)
    assert x.tile(2, 3).shape == (4, 9) and x.tile(2).shape == (2, 6)  # the method is unchanged
    check_grad(lambda t: ag.tile(t, (2, 1, 2)), x)


@pytest.mark.parametrize("shape, dim, sizes", [
    ((6,), 0, (2, 3)), ((2, 12), 1, (3, -1)), ((2, 12), -1, (2, 2, 3)), ((4, 1), 1, (1, 1)), ((5,), 0, [5]),
    ((2, 3, 4), 1, (-1, 1)), ((0, 3), 0, (0, 2)),
])
def test_unflatten(shape, dim, sizes):
    x = leaf(*shape)
    d = dim % len(shape)
    resolved = list(sizes)
    if -1 in resolved:
        resolved[resolved.index(-1)] = shape[d] // math.prod(s for s in sizes if s != -1)
    want = arr(x).reshape(shape[:d] + tuple(resolved) + shape[d + 1:])
    for got in (x.unflatten(dim, sizes), ag.unflatten(x, dim=dim, sizes=sizes)):
        assert got.shape == want.shape and got.grad_fn is not None
        np.testing.assert_array_equal(arr(got), want)
    if want.size:
        check_grad(lambda t: t.unflatten(dim, sizes), x)


def test_unflatten_errors():
    x = ag.zeros(2, 3, 4)
    with pytest.raises(RuntimeError, match=r"unflatten: Provided sizes \[3, 2\] don't multiply up to the size of dim 2 \(4\)"):
        x.unflatten(2, (3, 2))
    with pytest.raises(RuntimeError, match="unflatten: sizes must be non-empty"):
        x.unflatten(2, ())
    with pytest.raises(RuntimeError, match="only one dimension can be inferred"):
        x.unflatten(2, (-1, -1))
    with pytest.raises(RuntimeError, match=r"Provided sizes \[3, -1\] don't multiply up to the size of dim 2 \(4\)"):
        x.unflatten(2, (3, -1))
    # torch 2.13: a 0-d tensor's dim 0 or -1 is a RuntimeError; other dims are out of range (IndexError)
    for dim in (0, -1):
        for call in (lambda: ag.tensor(1.0).unflatten(dim, (1,)), lambda: ag.unflatten(ag.tensor(1.0), dim, (1,))):
            with pytest.raises(RuntimeError, match="unflatten: Dimension specified as 0 but tensor has no dimensions"):
                call()
    for dim in (1, -2):
        with pytest.raises(IndexError, match=r"Dimension out of range \(expected to be in range of \[-1, 0\]"):
            ag.unflatten(ag.tensor(1.0), dim, (1,))
    with pytest.raises(TypeError, match=r"unflatten\(\): argument 'sizes' must be tuple of ints, not int"):
        x.unflatten(2, 4)


@pytest.mark.parametrize("shape", SHAPES)
def test_ravel(shape):
    x = leaf(*shape)
    for got in (x.ravel(), ag.ravel(x), x.T.ravel()):
        assert got.ndim == 1 and got.shape == (max(1, math.prod(shape)),)
    np.testing.assert_array_equal(arr(x.ravel()), arr(x).ravel())
    np.testing.assert_array_equal(arr(x.T.ravel()), arr(x).T.ravel())  # row-major order of the transpose
    check_grad(lambda t: t.T.ravel(), x)


STACK_CASES = [
    [(3,), (2,)], [(2, 3), (2, 1)], [(), ()], [(1,), ()], [(2, 1, 3), (2, 2, 3)],
]


@pytest.mark.parametrize("shapes", [[(3,), (3,)], [(2, 3), (1, 3)], [(), ()], [(1, 4), (4,)], [(2, 2, 1), (1, 2, 1)]])
def test_vstack_row_stack(shapes):
    xs = [leaf(*s, seed=k) for k, s in enumerate(shapes)]
    want = np.vstack([arr(t) for t in xs])
    for fn in (ag.vstack, ag.row_stack):
        got = fn(xs)
        assert got.shape == want.shape
        np.testing.assert_array_equal(arr(got), want)
        check_grad(lambda *ts: fn(list(ts)), *xs)


@pytest.mark.parametrize("shapes", STACK_CASES)
def test_hstack(shapes):
    xs = [leaf(*s, seed=k) for k, s in enumerate(shapes)]
    want = np.hstack([arr(t) for t in xs])
    got = ag.hstack(tuple(xs))
    assert got.shape == want.shape
    np.testing.assert_array_equal(arr(got), want)
    check_grad(lambda *ts: ag.hstack(ts), *xs)
    assert ag.hstack(tensors=xs).shape == want.shape


@pytest.mark.parametrize("shapes", [[(3,), (3,)], [(2, 3), (2, 3)], [(), ()], [(2, 3, 1), (2, 3, 2)], [(1, 3), (3,)]])
def test_dstack(shapes):
    xs = [leaf(*s, seed=k) for k, s in enumerate(shapes)]
    want = np.dstack([arr(t) for t in xs])
    got = ag.dstack(xs)
    assert got.shape == want.shape
    np.testing.assert_array_equal(arr(got), want)
    check_grad(lambda *ts: ag.dstack(list(ts)), *xs)


@pytest.mark.parametrize("shapes", [[(3,), (3, 2)], [(), ()], [(2, 1, 3), (2, 2, 3)], [(1,), (1, 3), ()]])
def test_column_stack(shapes):
    xs = [leaf(*s, seed=k) for k, s in enumerate(shapes)]
    want = np.column_stack([arr(t) for t in xs])
    got = ag.column_stack(xs)
    assert got.shape == want.shape
    np.testing.assert_array_equal(arr(got), want)
    check_grad(lambda *ts: ag.column_stack(list(ts)), *xs)


def test_stacks_promote_and_refuse_bad_input():
    mixed = ag.hstack((ag.zeros(3, dtype=ag.int64), ag.ones(2)))
    assert mixed.dtype == F32  # an int tensor joins floats in their dtype, as in PyTorch
    for fn in (ag.hstack, ag.vstack, ag.dstack, ag.column_stack, ag.row_stack):
        with pytest.raises(RuntimeError, match=f"{fn.__name__}: expected a non-empty list"):
            fn([])
        with pytest.raises(TypeError, match=f"{fn.__name__}: expected a list or tuple of Tensors, got Tensor"):
            fn(ag.zeros(2, 3))
    with pytest.raises(RuntimeError, match="Sizes of tensors must match except in dimension 0. Expected size 3 but got size 2"):
        ag.vstack([ag.zeros(3), ag.ones(2)])


@pytest.mark.parametrize("shape", [(), (1,), (3,), (2, 3), (1, 3), (3, 1), (2, 3, 4)])
def test_stacks_of_a_single_tensor(shape):
    # A list of one tensor is still a list: once hstack([ones(2, 2)]) split it into rows and gave (4,),
    # vstack([ones(3)]) gave (3,) and dstack([ones(2, 2)]) raised. torch 2.13 gives numpy's shapes.
    x = leaf(*shape)
    a = arr(x)
    for fn, npfn in ((ag.hstack, np.hstack), (ag.vstack, np.vstack), (ag.row_stack, np.vstack),
                     (ag.dstack, np.dstack), (ag.column_stack, np.column_stack)):
        for tensors in ([x], (x,)):
            got = fn(tensors)
            want = npfn([a])
            assert got.shape == want.shape, (fn.__name__, shape)
            np.testing.assert_array_equal(arr(got), want)
        check_grad(lambda t: fn([t]), x)
        g = ag.tensor(np.arange(want.size, dtype=np.float64).reshape(want.shape))
        x.grad = None
        fn([x]).backward(g)
        np.testing.assert_array_equal(x.grad.numpy(), arr(g).reshape(shape))  # each element its own gradient


@pytest.mark.parametrize("fn, npfn", [(ag.atleast_1d, np.atleast_1d), (ag.atleast_2d, np.atleast_2d), (ag.atleast_3d, np.atleast_3d)])
def test_atleast_of_a_one_tensor_list_is_a_tuple(fn, npfn):
    for shape in [(), (3,), (2, 3), (2, 3, 4)]:
        x = leaf(*shape)
        for got in (fn([x]), fn((x,))):
            assert isinstance(got, tuple) and len(got) == 1 and got[0].shape == npfn(arr(x)).shape
        single = fn(x)
        assert isinstance(single, ag.Tensor) and single.shape == npfn(arr(x)).shape
        check_grad(lambda t: fn([t]), x)


@pytest.mark.parametrize("fn, npfn", [(ag.atleast_1d, np.atleast_1d), (ag.atleast_2d, np.atleast_2d), (ag.atleast_3d, np.atleast_3d)])
def test_atleast(fn, npfn):
    shapes = [(), (1,), (3,), (2, 3), (2, 3, 4), (1, 2, 3, 4)]
    xs = [leaf(*s, seed=k) for k, s in enumerate(shapes)]
    for x in xs:
        got = fn(x)
        want = npfn(arr(x))
        assert isinstance(got, ag.Tensor) and got.shape == want.shape
        np.testing.assert_array_equal(arr(got), want)
        if got.ndim == x.ndim:
            assert got is x  # already enough dims: the tensor itself, as in PyTorch
        else:
            check_grad(fn, x)
    several = fn(*xs)
    assert isinstance(several, tuple) and [t.shape for t in several] == [npfn(arr(x)).shape for x in xs]
    assert [t.shape for t in fn(xs)] == [t.shape for t in several]  # one list: a tuple too
    assert isinstance(fn((xs[0],)), tuple) and fn() == ()
    with pytest.raises(TypeError, match=f"{fn.__name__}.*argument 1 is a int"):
        fn(xs[0], 3)


@pytest.mark.parametrize("sizes", [(2, 3), (1, 4), (3,), (2, 1, 3), (0, 2)])
@pytest.mark.parametrize("indexing", ["ij", "xy"])
def test_meshgrid(sizes, indexing):
    xs = [leaf(n, seed=k) for k, n in enumerate(sizes)]
    want = np.meshgrid(*[arr(t) for t in xs], indexing=indexing)
    for got in (ag.meshgrid(*xs, indexing=indexing), ag.meshgrid(xs, indexing=indexing)):
        assert isinstance(got, tuple) and len(got) == len(xs)
        for g, w in zip(got, want):
            assert g.shape == w.shape
            np.testing.assert_array_equal(arr(g), w)
    if all(sizes):
        check_grad(lambda *ts: ag.meshgrid(*ts, indexing=indexing), *xs)


def test_meshgrid_0d_default_and_errors():
    a, b = leaf(), leaf(3)
    assert [t.shape for t in ag.meshgrid(a, b, indexing="ij")] == [(1, 3), (1, 3)]
    check_grad(lambda s, v: ag.meshgrid(s, v, indexing="xy"), a, b)
    with pytest.warns(UserWarning, match="indexing argument"):
        default = ag.meshgrid(ag.zeros(2), ag.zeros(3))
    assert [t.shape for t in default] == [(2, 3), (2, 3)]  # 'ij'
    with pytest.raises(RuntimeError, match='indexing must be one of "xy" or "ij", but received: foo'):
        ag.meshgrid(ag.zeros(2), indexing="foo")
    with pytest.raises(RuntimeError, match=r"Expected 0D or 1D tensor in the tensor list but got a tensor of shape \(2, 2\)"):
        ag.meshgrid(ag.zeros(2, 2), ag.zeros(3), indexing="ij")
    with pytest.raises(RuntimeError, match="meshgrid expects all tensors to have the same dtype"):
        ag.meshgrid(ag.zeros(2), ag.zeros(3, dtype=ag.int64), indexing="ij")
    with pytest.raises(RuntimeError, match="meshgrid expects a non-empty TensorList"):
        ag.meshgrid(indexing="ij")


@pytest.mark.parametrize("shape, n, dim", [
    ((5,), 1, -1), ((5,), 2, 0), ((2, 4), 1, -1), ((2, 4), 1, 0), ((3, 4, 2), 3, 1), ((1,), 1, 0), ((4,), 0, 0),
    ((4,), 7, 0), ((0,), 1, 0),
])
def test_diff_matches_numpy(shape, n, dim):
    x = leaf(*shape)
    want = np.diff(arr(x), n=n, axis=dim)
    for got in (ag.diff(x, n=n, dim=dim), x.diff(n, dim)):
        assert got.shape == want.shape and got.dtype == F64
        np.testing.assert_allclose(arr(got), want, rtol=1e-15, atol=1e-15)
    if want.size:
        check_grad(lambda t: t.diff(n=n, dim=dim), x)
    if n == 0:
        assert not np.shares_memory(arr(ag.diff(x, n=0)), arr(x))  # a copy, as in PyTorch


def test_diff_prepend_append_and_dtypes():
    x, pre, post = leaf(2, 4), leaf(2, 1, seed=1), leaf(2, 2, seed=2)
    want = np.diff(arr(x), n=2, axis=1, prepend=arr(pre), append=arr(post))
    got = ag.diff(x, n=2, dim=1, prepend=pre, append=post)
    np.testing.assert_allclose(arr(got), want, rtol=1e-15, atol=1e-14)
    check_grad(lambda a, b, c: ag.diff(a, 2, 1, b, c), x, pre, post)
    check_grad(lambda a, b: ag.diff(a, dim=0, append=b), x, leaf(3, 4, seed=3))
    ints = ag.tensor([1, 5, 2])
    d = ag.diff(ints)
    assert d.dtype == np.int64 and d.tolist() == [4, -3]
    b = ag.diff(ag.tensor([True, False, False]))
    assert b.dtype == np.bool_ and b.tolist() == [True, False]  # bool: x[i+1] != x[i], as in PyTorch
    u = ag.diff(ag.tensor([1, 0], dtype=ag.uint8))
    assert u.dtype == np.uint8 and u.tolist() == [255]
    f32 = ag.zeros(2, 3)
    assert ag.diff(f32, prepend=ag.zeros(2, 1, dtype=ag.float64)).dtype == F64
    assert ag.diff(f32, prepend=ag.zeros(2, 1, dtype=ag.int64)).dtype == F32


def test_diff_n0_is_a_copy_of_the_input():
    # torch 2.13: with n=0, prepend and append are checked but not joined, and dim is only checked when
    # one of them is given
    x, pre, post = leaf(2, 3), leaf(1, 3, seed=1), leaf(2, 3, seed=2)
    for got in (ag.diff(x, n=0, dim=0, prepend=pre), ag.diff(x, n=0, dim=0, append=post),
                ag.diff(x, 0, 0, pre, post), x.diff(0, -1, prepend=leaf(2, 5)), ag.diff(x, n=0, dim=5)):
        assert got.shape == (2, 3)
        np.testing.assert_array_equal(arr(got), arr(x))
        assert not np.shares_memory(arr(got), arr(x))
    assert ag.diff(ag.ones(3), n=0, dim=2).tolist() == [1.0, 1.0, 1.0]
    y = ag.diff(x, 0, 0, pre, post)
    y.backward(ag.ones(2, 3, dtype=ag.float64))
    np.testing.assert_array_equal(x.grad.numpy(), np.ones((2, 3)))
    assert pre.grad is None and post.grad is None  # not part of the result
    check_grad(lambda t, p: ag.diff(t, 0, 0, prepend=p), x, pre)
    with pytest.raises(IndexError, match="diff: Dimension out of range"):
        ag.diff(x, n=0, dim=5, prepend=pre)
    with pytest.raises(RuntimeError, match="diff expects the shape of tensor to prepend or append to match"):
        ag.diff(x, n=0, dim=0, prepend=ag.zeros(2, 2))
    with pytest.raises(RuntimeError, match="diff expects prepend or append to be the same dimension as input"):
        ag.diff(ag.ones(3), n=0, append=ag.ones(2, 2))
    with pytest.raises(TypeError, match=r"diff\(\): argument 'prepend' must be Tensor, not int"):
        ag.diff(x, n=0, prepend=5)
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        ag.diff(ag.tensor(1.0), n=0)


def test_diff_errors():
    x = ag.zeros(2, 4)
    with pytest.raises(RuntimeError, match="diff expects input to be at least one-dimensional"):
        ag.diff(ag.tensor(1.0))
    with pytest.raises(RuntimeError, match="diff: order must be non-negative but got -1"):
        ag.diff(x, n=-1)
    with pytest.raises(TypeError, match=r"diff\(\): argument 'n' must be int, not float"):
        ag.diff(x, n=1.0)
    with pytest.raises(RuntimeError, match=r"diff expects prepend or append to be the same dimension as input: input has 2 dims"):
        ag.diff(x, prepend=ag.zeros(1))
    with pytest.raises(RuntimeError, match=r"except along the differencing dimension; input.size\(0\) = 2, but got tensor.size\(0\) = 3"):
        ag.diff(x, prepend=ag.zeros(3, 1))
    with pytest.raises(TypeError, match=r"diff\(\): argument 'append' must be Tensor, not float"):
        ag.diff(x, append=1.0)
    with pytest.raises(IndexError, match="diff: Dimension out of range"):
        ag.diff(x, dim=2)


@pytest.mark.parametrize("shape, dim, start, length", [
    ((3, 4), 1, 1, 2), ((3, 4), 1, -2, 2), ((3, 4), 0, 0, 3), ((3, 4), -1, 4, 0), ((5,), 0, 2, 1), ((1, 2, 3), 2, 0, 1),
])
def test_narrow_and_narrow_copy(shape, dim, start, length):
    x = leaf(*shape)
    d = dim % len(shape)
    s = start % shape[d] if start < 0 else start
    index = (slice(None),) * d + (slice(s, s + length),)
    want = arr(x)[index]
    view = x.narrow(dim, start, length)
    copy = x.narrow_copy(dim, start, length)
    for got in (view, copy, ag.narrow(x, dim, start, length), ag.narrow_copy(x, dim, start, length)):
        assert got.shape == want.shape
        np.testing.assert_array_equal(arr(got), want)
    if want.size:
        assert np.shares_memory(arr(view), arr(x)) and not np.shares_memory(arr(copy), arr(x))
        check_grad(lambda t: t.narrow(dim, start, length), x)
        check_grad(lambda t: t.narrow_copy(dim, start, length), x)
    assert x.narrow(dim, ag.tensor(start), length).shape == want.shape  # a 0-d int tensor start


def test_narrow_errors():
    y = ag.zeros(3, 4)
    with pytest.raises(RuntimeError, match=r"narrow: start \(3\) \+ length \(2\) exceeds dimension size \(4\)"):
        y.narrow(1, 3, 2)
    with pytest.raises(RuntimeError, match=r"narrow: start \(0\) \+ length \(-1\) exceeds dimension size \(4\)"):
        y.narrow_copy(1, 0, -1)
    with pytest.raises(IndexError, match=r"start out of range \(expected to be in range of \[-4, 4\], but got -5\)"):
        y.narrow(1, -5, 2)
    with pytest.raises(RuntimeError, match=r"narrow\(\) cannot be applied to a 0-dim tensor"):
        ag.tensor(1.0).narrow(0, 0, 1)
    with pytest.raises(TypeError, match=r"narrow\(\): argument 'start' must be int, not float"):
        y.narrow(0, 0.5, 1)


def test_narrow_copy_dim_out_of_range_errors_as_in_pytorch():
    # torch 2.13: narrow_copy's non-negative dim out of range is a RuntimeError; a negative one, and
    # narrow's either way, an IndexError
    for t in (ag.ones(2), ag.ones(2, 3)):
        for call in (lambda: ag.narrow_copy(t, t.ndim, 0, 1), lambda: t.narrow_copy(t.ndim + 1, 0, 1)):
            with pytest.raises(RuntimeError, match=f"narrow_copy: dim {t.ndim}|narrow_copy: dim {t.ndim + 1}"):
                call()
        with pytest.raises(IndexError, match="Dimension out of range"):
            ag.narrow_copy(t, -t.ndim - 1, 0, 1)
        for dim in (t.ndim, -t.ndim - 1):
            with pytest.raises(IndexError, match="narrow: Dimension out of range"):
                ag.narrow(t, dim, 0, 1)
    with pytest.raises(IndexError, match=r"start out of range"):
        ag.narrow_copy(ag.ones(2), 0, 5, 1)
    with pytest.raises(RuntimeError, match=r"narrow\(\) cannot be applied to a 0-dim tensor"):
        ag.narrow_copy(ag.tensor(1.0), 0, 0, 1)


# ============================================================================ in-place shape methods
def test_in_place_shape_methods_change_shape_and_bump_the_version():
    base = ag.arange(6.0).reshape(2, 1, 3)
    values = base.numpy().copy()
    v0 = base.version
    assert base.squeeze_() is base and base.shape == (2, 3)
    assert base.version == v0 + 1
    np.testing.assert_array_equal(base.numpy(), values.reshape(2, 3))
    base.unsqueeze_(0)
    assert base.shape == (1, 2, 3) and base.version == v0 + 2
    base.squeeze_(0)
    base.t_()
    assert base.shape == (3, 2) and base.version == v0 + 4
    np.testing.assert_array_equal(base.numpy(), values.reshape(2, 3).T)
    base.transpose_(0, 1)
    np.testing.assert_array_equal(base.numpy(), values.reshape(2, 3))
    z = ag.zeros(1, 2, 1)
    z.squeeze_(0, 2)
    assert z.shape == (2,)
    z2 = ag.zeros(1, 2, 1)
    z2.squeeze_((0, 2))
    assert z2.shape == (2,)
    v = ag.zeros(3)
    v.t_()
    assert v.shape == (3,)


def test_in_place_shape_change_shares_memory_and_leaves_other_views_alone():
    x = ag.zeros(2, 3)
    view = x.reshape(3, 2)
    x.t_()
    assert x.shape == (3, 2) and view.shape == (3, 2)
    x[0, 1] = 5.0  # x[0, 1] is the original [1, 0]
    assert view.numpy().reshape(2, 3)[1, 0] == 5.0
    assert view.version == x.version  # one counter for the memory, as in PyTorch


def test_in_place_shape_methods_follow_the_in_place_rules():
    p = ag.zeros(2, 1, requires_grad=True)
    with pytest.raises(RuntimeError, match="squeeze_: a leaf Variable that requires grad is being used in an in-place operation"):
        p.squeeze_()
    with ag.no_grad():
        p.squeeze_()
    assert p.shape == (2,) and p.requires_grad and p.is_leaf
    y = ag.zeros(2, 1, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="t_: changing the shape of a tensor that is part of the graph"):
        y.t_()
    with ag.no_grad(), pytest.raises(RuntimeError, match=r"unsqueeze_: changing the shape.*out-of-place unsqueeze\(\)"):
        y.unsqueeze_(0)  # refused under no_grad too: its node expects the old shape
    assert y.shape == (2, 1)
    w = ag.zeros(2, 1)
    r = ag.ones(2, 1, requires_grad=True)
    out = r * w  # saves w
    w.squeeze_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    with pytest.raises(RuntimeError, match=r"t_\(\) expects a tensor with <= 2 dimensions, but self is 3D"):
        ag.zeros(2, 2, 2).t_()
    with pytest.raises(IndexError, match="transpose: Dimension out of range"):
        ag.zeros(2, 2).transpose_(0, 2)
    e = ag.zeros(2, 1).expand(2, 3)
    e.t_()  # a metadata change: fine on a read-only view, which stays read-only
    assert e.shape == (3, 2)


# ============================================================================ random fills
N = 200_000  # draws per distribution check


def _fill(method, *args, dtype=ag.float64, n=N, seed=0, **kwargs):
    ag.manual_seed(seed)
    return getattr(ag.zeros(n, dtype=dtype), method)(*args, **kwargs).numpy().astype(np.float64)


def _close(stat, expected, standard_error):
    """``stat`` within 5 standard errors of ``expected``: with a fixed seed the test is deterministic; a
    correct sampler fails it with probability 6e-7 (so a seed is not tuned), while each distribution
    below is checked with a tolerance a mistaken parameter (std for variance, scale for rate) exceeds
    many times over."""
    assert abs(stat - expected) <= 5 * standard_error, f"{stat} vs {expected} (5 se = {5 * standard_error})"


def test_uniform_distribution():
    a, b = -2.0, 3.0
    x = _fill("uniform_", a, b)
    assert x.min() >= a and x.max() < b
    _close(x.mean(), (a + b) / 2, (b - a) / math.sqrt(12 * N))
    # var of U(a, b) is (b-a)^2/12; the sample variance's standard error is sqrt((mu4 - s^4) / N), mu4 = (b-a)^4/80
    _close(x.var(), (b - a) ** 2 / 12, math.sqrt(((b - a) ** 4 / 80 - ((b - a) ** 2 / 12) ** 2) / N))
    d = _fill("uniform_")
    assert d.min() >= 0 and d.max() < 1
    _close(d.mean(), 0.5, 1 / math.sqrt(12 * N))
    assert np.array_equal(_fill("uniform_", **{"from": a, "to": b}), x)  # PyTorch's keyword names
    # the counts in 10 equal bins are binomial(N, 1/10): each within 5 standard errors
    counts = np.histogram(x, bins=10, range=(a, b))[0]
    assert np.all(np.abs(counts - N / 10) <= 5 * math.sqrt(N * 0.1 * 0.9))


def test_normal_distribution():
    m, s = 1.5, 2.0
    x = _fill("normal_", m, s)
    _close(x.mean(), m, s / math.sqrt(N))
    _close(x.var(), s * s, s * s * math.sqrt(2 / (N - 1)))
    assert np.array_equal(_fill("normal_", mean=m, std=s), x)
    assert np.all(_fill("normal_", 3.0, 0.0, n=10) == 3.0)  # std 0: the mean, as in PyTorch
    # a normal's fraction within one std is 0.6827 (binomial standard error)
    inside = np.mean(np.abs(x - m) < s)
    _close(inside, 0.682689, math.sqrt(0.6827 * 0.3173 / N))


def test_bernoulli_distribution():
    for p in (0.3, 0.5, 0.95):
        x = _fill("bernoulli_", p)
        assert set(np.unique(x)) <= {0.0, 1.0}
        _close(x.mean(), p, math.sqrt(p * (1 - p) / N))
    assert _fill("bernoulli_", n=10).tolist() == _fill("bernoulli_", 0.5, n=10).tolist()  # default p = 0.5
    assert np.all(_fill("bernoulli_", 1.0, n=100) == 1) and np.all(_fill("bernoulli_", 0.0, n=100) == 0)
    ag.manual_seed(0)
    probs = ag.tensor([[0.0], [1.0], [0.2], [0.8]], dtype=ag.float64)  # one probability per row
    rows = ag.zeros(4, N // 4, dtype=ag.float32).bernoulli_(probs).numpy()
    assert rows.dtype == np.float32
    assert np.all(rows[0] == 0) and np.all(rows[1] == 1)
    for r, p in ((2, 0.2), (3, 0.8)):
        _close(rows[r].mean(), p, math.sqrt(p * (1 - p) / (N // 4)))


def test_random_integers_distribution():
    x = _fill("random_", 3, 9, dtype=ag.int64)
    assert x.min() == 3 and x.max() == 8  # [from, to): every value drawn
    counts = np.bincount(x.astype(np.int64) - 3)
    assert np.all(np.abs(counts - N / 6) <= 5 * math.sqrt(N / 6 * 5 / 6))
    y = _fill("random_", 5, dtype=ag.int32)
    assert y.min() == 0 and y.max() == 4
    signed = _fill("random_", -3, 3, dtype=ag.int8)
    assert set(np.unique(signed)) == {-3, -2, -1, 0, 1, 2}
    # defaults: [0, 2**24] for float32 (every integer exact), [0, 127] for int8, [0, 255] for uint8, bool 0/1
    f = _fill("random_", dtype=ag.float32)
    assert f.min() >= 0 and f.max() <= 2 ** 24 and np.all(f == np.round(f))
    _close(f.mean(), 2 ** 23, 2 ** 24 / math.sqrt(12 * N))
    i8 = _fill("random_", dtype=ag.int8)
    assert i8.min() == 0 and i8.max() == 127
    assert _fill("random_", dtype=ag.uint8).max() == 255
    assert set(np.unique(_fill("random_", dtype=ag.bool_))) == {0, 1}
    h = _fill("random_", dtype=ag.float16)
    assert h.max() <= 2048 and h.min() >= 0
    low = _fill("random_", -5, None, dtype=ag.int16)  # to=None: up to the dtype's max
    assert low.min() >= -5 and low.max() > 30000
    assert np.array_equal(_fill("random_", **{"from": 3, "to": 9}, dtype=ag.int64), x)
    assert np.array_equal(_fill("random_", to=5, dtype=ag.int32), y)


def test_exponential_geometric_log_normal_cauchy_distributions():
    lam = 2.5
    x = _fill("exponential_", lam)
    assert x.min() >= 0
    _close(x.mean(), 1 / lam, 1 / (lam * math.sqrt(N)))
    _close(x.var(), 1 / lam ** 2, math.sqrt((9 / lam ** 4 - 1 / lam ** 4) / N))  # mu4 = 9 / lam^4
    assert np.array_equal(_fill("exponential_", lambd=lam), x)
    p = 0.3
    g = _fill("geometric_", p, dtype=ag.int64)
    assert g.min() == 1 and np.all(g == np.round(g))
    _close(g.mean(), 1 / p, math.sqrt((1 - p) / p ** 2 / N))
    _close(np.mean(g == 1), p, math.sqrt(p * (1 - p) / N))
    m, s = 0.5, 0.4
    ln = _fill("log_normal_", m, s)
    assert ln.min() > 0
    _close(np.log(ln).mean(), m, s / math.sqrt(N))
    _close(np.log(ln).var(), s * s, s * s * math.sqrt(2 / (N - 1)))
    med, sigma = -1.0, 0.5
    c = _fill("cauchy_", med, sigma)
    # the sample median of a Cauchy has standard error pi sigma / (2 sqrt(N)); its quartiles are med -+ sigma
    _close(np.median(c), med, math.pi * sigma / (2 * math.sqrt(N)))
    q1, q3 = np.quantile(c, [0.25, 0.75])
    se_quartile = math.sqrt(0.25 * 0.75 / N) * math.pi * sigma * 2  # sqrt(q(1-q)/N) / density at the quartile
    _close(q1, med - sigma, se_quartile)
    _close(q3, med + sigma, se_quartile)


@pytest.mark.parametrize("method, args", [
    ("uniform_", ()), ("normal_", ()), ("bernoulli_", ()), ("random_", (0, 100)), ("exponential_", ()),
    ("geometric_", (0.5,)), ("log_normal_", ()), ("cauchy_", ()),
])
def test_random_fills_are_reproducible_under_manual_seed(method, args):
    first = _fill(method, *args, n=1000, seed=11)
    again = _fill(method, *args, n=1000, seed=11)
    other = _fill(method, *args, n=1000, seed=12)
    np.testing.assert_array_equal(first, again)
    assert not np.array_equal(first, other)
    ag.manual_seed(11)
    t = ag.zeros(1000, dtype=ag.float64)
    getattr(t, method)(*args)
    getattr(t, method)(*args)  # the generator moves on: a second fill differs
    assert not np.array_equal(t.numpy(), first)


@pytest.mark.parametrize("dtype", [ag.float16, ag.float32, ag.float64])
def test_continuous_fills_keep_the_floating_dtype(dtype):
    for method, args in (("uniform_", (0.25, 0.75)), ("normal_", ()), ("exponential_", ()), ("log_normal_", ()),
                         ("cauchy_", ())):
        t = ag.zeros(2000, dtype=dtype)
        v0 = t.version
        out = getattr(t, method)(*args)
        assert out is t and t.dtype == np.dtype(dtype) and t.version == v0 + 1
        assert np.unique(t.numpy()).size > 100  # filled with many distinct values
    u = ag.zeros(50_000, dtype=dtype).uniform_(0.25, 0.75).numpy()
    assert u.min() >= np.dtype(dtype).type(0.25) and u.max() < np.dtype(dtype).type(0.75)


def test_uniform_never_reaches_to_after_rounding():
    # float64 draws just below `to` round up to it in float16: the fill keeps [from, to) in the dtype
    t = ag.zeros(200_000, dtype=ag.float16).uniform_(0.0, 1.0).numpy()
    assert t.max() < 1.0
    assert t.max() == np.nextafter(np.float16(1), np.float16(0))  # the top value is still drawn


@pytest.mark.parametrize("dtype", [ag.int8, ag.int16, ag.int32, ag.int64, ag.uint8, ag.bool_])
def test_discrete_fills_of_integer_and_bool_tensors(dtype):
    ag.manual_seed(0)
    b = ag.zeros(1000, dtype=dtype).bernoulli_(0.5)
    assert b.dtype == np.dtype(dtype) and set(np.unique(b.numpy()).tolist()) == {0, 1}
    r = ag.zeros(1000, dtype=dtype).random_(2)
    assert set(np.unique(r.numpy()).tolist()) == {0, 1}
    if dtype != ag.bool_:
        g = ag.zeros(1000, dtype=dtype).geometric_(0.5)
        assert g.numpy().min() >= 1
    else:
        with pytest.raises(NotImplementedError, match="geometric_cpu"):
            ag.zeros(3, dtype=dtype).geometric_(0.5)


@pytest.mark.parametrize("dtype, name", [(ag.int64, "Long"), (ag.int32, "Int"), (ag.uint8, "Byte"), (ag.bool_, "Bool")])
def test_continuous_fills_refuse_integer_dtypes(dtype, name):
    t = ag.zeros(3, dtype=dtype)
    with pytest.raises(NotImplementedError, match=f'uniform_: "check_uniform_bounds" not implemented for \'{name}\''):
        t.uniform_()
    with pytest.raises(NotImplementedError, match=f'normal_: "normal_kernel_cpu" not implemented for \'{name}\''):
        t.normal_()
    with pytest.raises(NotImplementedError, match=f'log_normal_: "log_normal_cpu" not implemented for \'{name}\''):
        t.log_normal_()
    with pytest.raises(RuntimeError, match=f"Exponential distribution is a continuous probability distribution. dtype "
                                           f"must be a floating point but you specified {name}"):
        t.exponential_()
    with pytest.raises(RuntimeError, match=f"Cauchy distribution is a continuous.*you specified {name}"):
        t.cauchy_()
    np.testing.assert_array_equal(t.numpy(), np.zeros(3))  # untouched


def test_random_fill_argument_errors():
    t = ag.zeros(3)
    cases = [
        (lambda: t.uniform_(2, 1), RuntimeError, r"uniform_ expects to return a \[from, to\) range, but found from=2 > to=1"),
        (lambda: t.uniform_(0, float("inf")), RuntimeError, "uniform_: to is out of bounds for float32"),
        (lambda: ag.zeros(2, dtype=ag.float16).uniform_(0, 1e6), RuntimeError, "uniform_: to is out of bounds for float16"),
        (lambda: t.uniform_(a=0, b=1), TypeError, r"uniform_\(\) got an unexpected keyword argument 'a'"),
        (lambda: t.uniform_(0, 1, 2), TypeError, r"uniform_\(\) takes at most 2 arguments"),
        (lambda: t.uniform_("0"), TypeError, r"uniform_\(\): argument 'from' must be a number, not str"),
        (lambda: t.normal_(0, -1), RuntimeError, r"normal_ expects std >= 0.0, but found std -1"),
        (lambda: t.normal_(0, float("nan")), RuntimeError, r"normal_ expects std >= 0.0, but found std nan"),
        (lambda: t.bernoulli_(1.5), RuntimeError, r"bernoulli_ expects p to be in \[0, 1\], but got p=1.5"),
        (lambda: t.bernoulli_(float("nan")), RuntimeError, r"bernoulli_ expects p to be in \[0, 1\], but got p=nan"),
        (lambda: t.bernoulli_(ag.tensor([0.0, 1.0, 2.0])), RuntimeError, r"Expected p_in >= 0 && p_in <= 1"),
        (lambda: t.bernoulli_(ag.tensor([0.0, 1.0])), RuntimeError, r"p of shape \(2,\) cannot be expanded to the tensor's shape \(3,\)"),
        (lambda: t.bernoulli_(ag.tensor([0, 1, 1])), NotImplementedError, "bernoulli_tensor_cpu_p_\" not implemented for 'Long'"),
        (lambda: t.random_(5, 2), RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=5 >= to=2"),
        (lambda: t.random_(-5), RuntimeError, r"random_ expects 'from' to be less than 'to', but got from=0 >= to=-5"),
        (lambda: t.random_(0.5, 3), TypeError, r"random_\(\): argument 'from' must be int, not float"),
        (lambda: t.random_(**{"from": 3}), TypeError, "'from' needs 'to'"),
        (lambda: ag.zeros(3, dtype=ag.uint8).random_(300), RuntimeError, r"random_: to - 1 is out of bounds for uint8"),
        (lambda: ag.zeros(3, dtype=ag.uint8).random_(-1, 3), RuntimeError, r"random_: from is out of bounds for uint8"),
        (lambda: ag.zeros(3, dtype=ag.bool_).random_(5), RuntimeError, r"random_: to - 1 is out of bounds for bool"),
        (lambda: ag.zeros(3, dtype=ag.float16).random_(0, 5000), RuntimeError, r"random_: to - 1 is out of bounds for float16"),
        (lambda: ag.zeros(3, dtype=ag.int64).random_(0, 2 ** 64), RuntimeError, "random_: to - 1 is out of bounds for int64"),
        (lambda: t.exponential_(0), RuntimeError, r"exponential_ expects lambda > 0.0, but found lambda=0"),
        (lambda: t.exponential_(float("nan")), RuntimeError, r"exponential_ expects lambda > 0.0, but found lambda=nan"),
        (lambda: t.geometric_(1), RuntimeError, r"geometric_ expects p to be in \(0, 1\), but got p=1"),
        (lambda: t.geometric_(0), RuntimeError, r"geometric_ expects p to be in \(0, 1\), but got p=0"),
        (lambda: t.log_normal_(1, 0), RuntimeError, r"log_normal_ expects std > 0.0, but found std=0"),
        (lambda: t.cauchy_(0, -1), RuntimeError, r"cauchy_ expects sigma > 0.0, but found sigma=-1"),
        (lambda: t.normal_(ag.tensor([1.0, 2.0])), TypeError, r"normal_\(\): argument 'mean' must be a number, not a tensor of shape \(2,\)"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    np.testing.assert_array_equal(t.numpy(), np.zeros(3))  # no failed call wrote anything


def test_random_fills_take_one_element_tensors_and_warn_beyond_float_precision():
    ag.manual_seed(0)
    t = ag.zeros(1000, dtype=ag.float64).normal_(ag.tensor(5.0), ag.tensor(0.0))
    assert np.all(t.numpy() == 5.0)
    u = ag.zeros(1000).uniform_(ag.tensor(1.0), 2)
    assert u.numpy().min() >= 1
    with pytest.warns(UserWarning, match=r"random_: to - 1 is out of bounds \[-\(2\^24\), 2\^24\]"):
        ag.zeros(3).random_(0, 2 ** 25)
    with pytest.warns(UserWarning, match=r"random_: from is out of bounds \[-\(2\^53\), 2\^53\]"):
        ag.zeros(3, dtype=ag.float64).random_(-2 ** 60, 0)


@pytest.mark.parametrize("method, args", [
    ("uniform_", ()), ("normal_", ()), ("bernoulli_", ()), ("random_", ()), ("exponential_", ()),
    ("geometric_", (0.5,)), ("log_normal_", ()), ("cauchy_", ()), ("fill_diagonal_", (1.0,)),
])
def test_random_fills_follow_the_in_place_rules(method, args):
    p = ag.zeros(3, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match=f"{method}: a leaf Variable that requires grad is being used in an in-place operation"):
        getattr(p, method)(*args)
    assert p.version == 0 and np.all(p.detach().numpy() == 0)
    with ag.no_grad():  # parameter initialization: allowed, as in PyTorch
        assert getattr(p, method)(*args) is p
    assert p.version == 1 and p.requires_grad and p.is_leaf and p.grad_fn is None
    assert np.any(p.detach().numpy() != 0)
    y = ag.ones(3, 3, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=f"{method}: in-place operations on a tensor that is part of the graph"):
        getattr(y, method)(*args)
    with pytest.raises(RuntimeError, match=f"{method}: this tensor is a read-only view"):
        getattr(ag.zeros(1, 3).expand(3, 3), method)(*args)
    # a tensor saved for backward and then refilled: backward refuses, as in PyTorch
    w = ag.full((3, 3), 0.5)
    x = ag.ones(3, 3, requires_grad=True)
    out = x * w
    getattr(w, method)(*args)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()
    # a view's fill shows in its base, and both see the version change
    base = ag.zeros(4, 3)
    view = base[1:]
    getattr(view, method)(*args)
    assert base.version == view.version == 1 and np.all(base.numpy()[0] == 0)
    np.testing.assert_array_equal(base.numpy()[1:], view.numpy())


def test_in_place_fills_match_nn_init_draw_for_draw():
    """``t.uniform_(a, b)`` and ``t.normal_(m, s)`` draw what ``nn.init.uniform_`` / ``normal_`` draw from the
    same generator state (nn.init is unchanged: these are its numbers)."""
    for fill, initialize in ((lambda t: t.uniform_(-0.3, 0.7), lambda t: init.uniform_(t, -0.3, 0.7)),
                             (lambda t: t.normal_(0.1, 0.02), lambda t: init.normal_(t, 0.1, 0.02))):
        ag.manual_seed(5)
        a = fill(ag.zeros(64, 32))
        ag.manual_seed(5)
        b = initialize(nn.Parameter(ag.zeros(64, 32)))
        np.testing.assert_array_equal(a.numpy(), b.detach().numpy())


@pytest.mark.parametrize("shape, wrap", [
    ((3, 3), False), ((7, 3), False), ((7, 3), True), ((3, 7), True), ((4, 4, 4), False), ((1, 1), False), ((0, 0), False),
])
def test_fill_diagonal_matches_numpy(shape, wrap):
    t = ag.zeros(shape)
    want = np.zeros(shape, dtype=np.float32)
    np.fill_diagonal(want, 2.5, wrap=wrap)
    assert t.fill_diagonal_(2.5, wrap=wrap) is t
    np.testing.assert_array_equal(t.numpy(), want)


def test_fill_diagonal_values_views_and_errors():
    t = ag.zeros(2, 3).T  # a transposed view: its own diagonal
    t.fill_diagonal_(1)
    np.testing.assert_array_equal(t.numpy(), [[1, 0], [0, 1], [0, 0]])
    i = ag.zeros(2, 2, dtype=ag.int64).fill_diagonal_(2.7)
    np.testing.assert_array_equal(i.numpy(), [[2, 0], [0, 2]])  # converted as PyTorch does
    u = ag.zeros(2, 2, dtype=ag.uint8).fill_diagonal_(-1)
    np.testing.assert_array_equal(u.numpy(), [[255, 0], [0, 255]])  # wraps, as in PyTorch
    f = ag.zeros(2, 2).fill_diagonal_(ag.tensor(3.0))
    np.testing.assert_array_equal(f.numpy(), [[3, 0], [0, 3]])
    with pytest.raises(RuntimeError, match=r"fill_diagonal_: dimensions must larger than 1 \(got shape \(3,\)\)"):
        ag.zeros(3).fill_diagonal_(1)
    with pytest.raises(RuntimeError, match=r"all dimensions of input must be of equal length \(got shape \(3, 3, 2\)\)"):
        ag.zeros(3, 3, 2).fill_diagonal_(1)
    with pytest.raises(TypeError, match="must be a number, not a tensor of shape"):
        ag.zeros(2, 2).fill_diagonal_(ag.tensor([2.0]))


# ============================================================================ bernoulli, normal, multinomial
def test_bernoulli_function():
    ag.manual_seed(0)
    probs = ag.tensor(np.linspace(0, 1, 5), dtype=ag.float64)
    draws = np.stack([ag.bernoulli(probs).numpy() for _ in range(4000)])
    assert draws.dtype == np.float64 and set(np.unique(draws)) == {0.0, 1.0}
    means = draws.mean(0)
    assert means[0] == 0 and means[-1] == 1
    for m, p in zip(means[1:-1], probs.numpy()[1:-1]):
        _close(m, p, math.sqrt(p * (1 - p) / 4000))
    method = ag.full((3,), 0.5).bernoulli()
    assert method.dtype == F32 and method.shape == (3,)
    fixed = ag.bernoulli(ag.zeros(2000, dtype=ag.float16), 0.25)  # p given: input gives shape and dtype
    assert fixed.dtype == np.float16
    _close(fixed.numpy().astype(np.float64).mean(), 0.25, math.sqrt(0.25 * 0.75 / 2000))
    assert ag.bernoulli(ag.tensor(0.5)).shape == ()
    assert ag.zeros(4, dtype=ag.int64).bernoulli(0.5).dtype == np.int64
    ag.manual_seed(3)
    a = ag.bernoulli(ag.full((50,), 0.5)).numpy().copy()
    ag.manual_seed(3)
    np.testing.assert_array_equal(ag.bernoulli(ag.full((50,), 0.5)).numpy(), a)


def test_bernoulli_and_normal_record_a_zero_gradient_as_pytorch_does():
    p = ag.full((3,), 0.5, dtype=ag.float64, requires_grad=True)
    out = ag.bernoulli(p)
    assert out.requires_grad and out.grad_fn is not None
    (out * 3).sum().backward()
    np.testing.assert_array_equal(p.grad.numpy(), np.zeros(3))
    m = ag.zeros(2, 1, requires_grad=True)
    s = ag.ones(3, dtype=ag.float64, requires_grad=True)
    n = ag.normal(m, s)
    assert n.shape == (2, 3) and n.dtype == F32 and n.requires_grad
    gm, gs = ag.grad(n.sum(), [m, s])
    assert gm.shape == (2, 1) and gm.dtype == F32 and gs.shape == (3,) and gs.dtype == F64
    assert not gm.numpy().any() and not gs.numpy().any()
    assert not ag.bernoulli(ag.full((3,), 0.5, requires_grad=True), 0.5).requires_grad  # p given: not a function of input


def test_normal_forms_and_distribution():
    ag.manual_seed(0)
    mean = ag.tensor(np.linspace(-3, 3, 4), dtype=ag.float64)
    std = ag.tensor([0.5, 1.0, 2.0, 0.0], dtype=ag.float64)
    draws = np.stack([ag.normal(mean, std).numpy() for _ in range(20000)])
    assert draws.dtype == np.float64
    for k in range(4):
        _close(draws[:, k].mean(), mean.numpy()[k], max(std.numpy()[k], 1e-12) / math.sqrt(20000))
        if std.numpy()[k]:
            _close(draws[:, k].std(), std.numpy()[k], std.numpy()[k] / math.sqrt(2 * 20000) * 1.01)
    assert np.all(draws[:, 3] == mean.numpy()[3])
    assert ag.normal(ag.zeros(3, dtype=ag.float64), 2.0).dtype == F64  # the mean tensor's dtype
    assert ag.normal(0.0, ag.ones(3, dtype=ag.float64)).dtype == F64  # else the std tensor's
    assert ag.normal(ag.zeros(3, dtype=ag.float16), ag.ones(3)).dtype == np.float16
    assert ag.normal(ag.zeros(3), ag.ones(3, dtype=ag.int64)).dtype == F32
    assert ag.normal(ag.zeros(3)).shape == (3,)  # std defaults to 1
    assert ag.normal(ag.zeros(2, 3), ag.tensor(1.0)).shape == (2, 3)
    plain = ag.normal(2, 3, (2, 3))
    assert plain.shape == (2, 3) and plain.dtype == F32
    assert ag.normal(0.0, 1.0, size=(4,), dtype=ag.float64).dtype == F64
    assert ag.normal(0.0, 1.0, [2], requires_grad=True).requires_grad
    ag.manual_seed(9)
    big = ag.normal(1.0, 2.0, (N,), dtype=ag.float64).numpy()
    _close(big.mean(), 1.0, 2.0 / math.sqrt(N))
    _close(big.var(), 4.0, 4.0 * math.sqrt(2 / (N - 1)))


def test_normal_errors():
    cases = [
        (lambda: ag.normal(0.0, 1.0), TypeError, "size is required"),
        (lambda: ag.normal(ag.zeros(3), 1.0, size=(3,)), TypeError, "size, dtype and requires_grad go with a number mean and std only"),
        (lambda: ag.normal(ag.zeros(3, dtype=ag.int64), 1.0), NotImplementedError, "\"normal_kernel_cpu\" not implemented for 'Long'"),
        (lambda: ag.normal(0.0, ag.ones(3, dtype=ag.int64)), NotImplementedError, "the std tensor must be floating point"),
        (lambda: ag.normal(ag.zeros(3), -ag.ones(3)), RuntimeError, r"normal expects all elements of std >= 0.0"),
        (lambda: ag.normal(ag.zeros(3), -1.0), RuntimeError, r"normal expects std >= 0.0, but found std -1.0"),
        (lambda: ag.normal(0.0, -1.0, (2,)), RuntimeError, r"normal expects std >= 0.0, but found std -1.0"),
        (lambda: ag.normal(ag.zeros(3), ag.ones(4)), RuntimeError, r"normal: The size of tensor a \(3\) must match the size of tensor b \(4\)"),
        (lambda: ag.normal(0.0, 1.0, (2,), dtype=ag.int64), NotImplementedError, "normal_kernel_cpu"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()


def test_multinomial_with_replacement_follows_the_weights():
    ag.manual_seed(0)
    weights = ag.tensor([0.0, 1.0, 2.0, 7.0])  # unnormalized
    draws = ag.multinomial(weights, N, replacement=True)
    assert draws.dtype == np.int64 and draws.shape == (N,)
    counts = np.bincount(draws.numpy(), minlength=4)
    assert counts[0] == 0  # weight 0: never drawn
    for c, p in zip(counts[1:], (0.1, 0.2, 0.7)):
        _close(c / N, p, math.sqrt(p * (1 - p) / N))
    rows = ag.tensor([[1.0, 0.0, 0.0], [0.0, 0.0, 5.0]]).multinomial(6, replacement=True)
    np.testing.assert_array_equal(rows.numpy(), [[0] * 6, [2] * 6])


def test_multinomial_without_replacement():
    ag.manual_seed(0)
    weights = ag.tensor([0.1, 0.2, 0.7], dtype=ag.float64)
    firsts, seconds = [], []
    for _ in range(20000):
        d = ag.multinomial(weights, 2).numpy()
        assert d[0] != d[1]
        firsts.append(d[0])
        seconds.append(d[1])
    counts = np.bincount(firsts, minlength=3) / 20000
    for c, p in zip(counts, (0.1, 0.2, 0.7)):
        _close(c, p, math.sqrt(p * (1 - p) / 20000))
    # the second draw given the first is 0: P(1 | 0 first) = 0.2 / 0.9
    after0 = np.array(seconds)[np.array(firsts) == 0]
    _close(np.mean(after0 == 1), 0.2 / 0.9, math.sqrt(0.22 * 0.78 / after0.size))
    zero_last = ag.multinomial(ag.tensor([[0.0, 1.0, 1.0], [1.0, 1.0, 1.0]]), 3).numpy()
    assert zero_last[0, 2] == 0 and sorted(zero_last[0]) == [0, 1, 2]  # weight 0 comes after the others
    assert sorted(zero_last[1]) == [0, 1, 2]
    assert ag.multinomial(ag.ones(0, 3), 1).shape == (0, 1)
    ag.manual_seed(4)
    a = ag.multinomial(ag.ones(10), 10).numpy().copy()
    ag.manual_seed(4)
    np.testing.assert_array_equal(ag.multinomial(ag.ones(10), 10).numpy(), a)
    assert sorted(a) == list(range(10))


def test_multinomial_errors():
    w = ag.tensor([0.1, 0.2, 0.7])
    cases = [
        (lambda: ag.multinomial(w, 5), RuntimeError, r"cannot sample n_sample > prob_dist.size\(-1\) samples without replacement \(5 > 3\)"),
        (lambda: ag.multinomial(w, 0), RuntimeError, "cannot sample n_sample <= 0 samples"),
        (lambda: ag.multinomial(w, 2.0), TypeError, r"argument 'num_samples' \(position 2\) must be int, not float"),
        (lambda: ag.multinomial(ag.tensor([-0.1, 1.0]), 1), RuntimeError, "probability tensor contains either `inf`, `nan` or element < 0"),
        (lambda: ag.multinomial(ag.tensor([float("nan"), 1.0]), 1), RuntimeError, "contains either `inf`, `nan`"),
        (lambda: ag.multinomial(ag.tensor([[0.0, 0.0], [1.0, 1.0]]), 1), RuntimeError, r"invalid multinomial distribution \(sum of probabilities <= 0\)"),
        (lambda: ag.multinomial(ag.tensor(1.0), 1), RuntimeError, r"prob_dist must be 1 or 2 dim, got shape \(\)"),
        (lambda: ag.multinomial(ag.ones(2, 2, 2), 1), RuntimeError, "prob_dist must be 1 or 2 dim"),
        (lambda: ag.multinomial(ag.tensor([1, 2]), 1), RuntimeError, "multinomial only supports floating-point dtypes for input, got: Long"),
        (lambda: ag.multinomial([0.5, 0.5], 1), TypeError, r"multinomial\(\): argument 'input' \(position 1\) must be Tensor, not list"),
    ]
    for call, error, message in cases:
        with pytest.raises(error, match=message):
            call()
    assert not ag.multinomial(ag.ones(3, requires_grad=True), 2).requires_grad


def test_multinomial_of_no_categories():
    # torch 2.13: no categories is a RuntimeError (once numpy's ValueError "cannot reshape"); no rows
    # gives no draws, shape (0, num_samples)
    for shape in [(0,), (2, 0)]:
        for t in (ag.ones(*shape), ag.ones(*shape, dtype=ag.float64)):
            with pytest.raises(RuntimeError, match=r"multinomial: invalid multinomial distribution \(sum of probabilities <= 0\)"):
                ag.multinomial(t, 1, replacement=True)
            with pytest.raises(RuntimeError, match="multinomial: invalid multinomial distribution"):
                t.multinomial(3, True)
            with pytest.raises(RuntimeError, match="multinomial: cannot sample n_sample > prob_dist.size"):
                ag.multinomial(t, 1)
    for shape in [(0, 0), (0, 3)]:
        for replacement in (True, False):
            if not replacement and shape[1] == 0:
                continue
            out = ag.multinomial(ag.ones(*shape), 2 if replacement else 1, replacement=replacement)
            assert out.shape == (0, 2 if replacement else 1) and out.dtype == np.int64
    assert ag.multinomial(ag.ones(0, 0), 2, True).shape == (0, 2)


def test_bernoulli_errors():
    with pytest.raises(NotImplementedError, match="\"bernoulli_tensor_cpu_p_\" not implemented for 'Long'"):
        ag.bernoulli(ag.tensor([0, 1]))
    with pytest.raises(RuntimeError, match=r"Expected p_in >= 0 && p_in <= 1.*got values from 0.5 to 1.5"):
        ag.bernoulli(ag.tensor([0.5, 1.5]))
    with pytest.raises(RuntimeError, match=r"Expected p_in >= 0 && p_in <= 1.*and NaN"):
        ag.bernoulli(ag.tensor([0.5, float("nan")]))
    with pytest.raises(TypeError, match=r"bernoulli\(\): argument 'input' \(position 1\) must be Tensor, not float"):
        ag.bernoulli(0.5)


def test_empty_like():
    x = ag.zeros(2, 3, dtype=ag.int32)
    e = ag.empty_like(x)
    assert e.shape == (2, 3) and e.dtype == np.int32 and not np.shares_memory(e.numpy(), x.numpy())
    assert ag.empty_like(x, dtype=ag.float64, requires_grad=True).requires_grad
