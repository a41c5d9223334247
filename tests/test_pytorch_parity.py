"""Values and dtypes as PyTorch gives them where chainrule once differed (each case was found by running
the same expression in torch 2.13 and compared by hand; the tests never import torch)."""
import numpy as np
import pytest

import autograd as ag


def same(t, values, dtype):
    """``t`` holds ``values`` in ``dtype``."""
    assert t.dtype == dtype, f"dtype {t.dtype}, expected {np.dtype(dtype)}"
    np.testing.assert_array_equal(t.numpy(), np.asarray(values, dtype=dtype))


# --------------------------------------------------------------- bool and integer arithmetic
def test_the_sign_of_a_bool_tensor_is_itself():
    x = ag.tensor([True, False])
    s = x.sign()
    same(s, [True, False], np.bool_)
    assert s.numpy() is not x.numpy()  # a new tensor, as in PyTorch
    same(ag.sign(ag.tensor(True)), True, np.bool_)


def test_integer_tensor_exponents_may_be_negative():
    # PyTorch: 1 for a base of 1, -1 or 1 by parity for -1, and 0 for every other base (0 included)
    base = ag.tensor([0, 1, -1, 2, -2, -1, 3])
    same(base ** ag.tensor([-1, -1, -1, -1, -1, -2, 0]), [0, 1, -1, 0, 0, 1, 1], np.int64)
    same(2 ** ag.tensor([-1, -2, 1]), [0, 0, 2], np.int64)
    same(ag.tensor([2, 3], dtype=ag.int8) ** ag.tensor([-1, 2], dtype=ag.int8), [0, 9], np.int8)
    same(ag.tensor([2, 2]) ** ag.tensor(-1), [0, 0], np.int64)


def test_integer_powers_that_pytorch_allows():
    same(ag.tensor([True, False]) ** 2, [1, 0], np.int64)
    same(ag.tensor([True, False]) ** 0, [1, 1], np.int64)
    same(ag.tensor([20], dtype=ag.uint8) ** 2, [144], np.uint8)  # wraps, as in PyTorch
    same(ag.tensor([2]) ** -1.0, [0.5], np.float32)
    same(ag.tensor([2]) ** ag.tensor([True, False]), [2, 1], np.int64)


def test_clamp_still_takes_numbers_of_every_kind():
    x = ag.tensor([1.0, 5.0])
    same(x.clamp(np.float64(2)), [2.0, 5.0], np.float32)
    same(x.clamp(True), [1.0, 5.0], np.float32)
    same(x.clamp(None, np.int64(3)), [1.0, 3.0], np.float32)
    same(x.clamp(ag.tensor(2.0)), [2.0, 5.0], np.float32)


def test_softplus_of_floats_is_unchanged():
    same(ag.softplus(ag.tensor([0.0], dtype=ag.float64)), [np.log(2.0)], np.float64)


UINT8 = ag.uint8


def test_python_ints_wrap_into_an_integer_tensors_dtype():
    # PyTorch casts the number to the tensor's dtype, wrapping modulo 2**bits (numpy raises OverflowError)
    same(ag.tensor([1], dtype=UINT8) + (-3), [254], np.uint8)
    same(-3 + ag.tensor([1], dtype=UINT8), [254], np.uint8)
    same(ag.tensor([1], dtype=UINT8) + 300, [45], np.uint8)
    same(ag.tensor([1], dtype=ag.int8) + 200, [-55], np.int8)
    same(ag.tensor([3], dtype=ag.int8) * 1000, [-72], np.int8)
    same(ag.tensor([1], dtype=ag.int32) + 2**40, [1], np.int32)
    same(ag.tensor([1], dtype=UINT8) * np.int64(-1), [255], np.uint8)  # a numpy int is a number too
    same(ag.tensor([1], dtype=UINT8) < -3, [True], np.bool_)  # -3 compares as 253, as in PyTorch
    same(ag.tensor([0], dtype=UINT8) == 256, [True], np.bool_)
    same(ag.tensor([True]) + 1, [2], np.int64)


def test_division_of_integers_is_by_the_numbers_own_values():
    same(ag.tensor([1], dtype=UINT8) / -3, [-1 / 3], np.float32)
    same(300 / ag.tensor([3], dtype=UINT8), [100.0], np.float32)
    same(ag.tensor([3], dtype=ag.int8) / ag.tensor([2]), [1.5], np.float32)
    same(ag.tensor([True]) / ag.tensor([True]), [1.0], np.float32)


def test_in_place_ops_wrap_python_ints_too():
    same(ag.tensor([1], dtype=UINT8).add_(-3), [254], np.uint8)
    x = ag.tensor([1], dtype=UINT8)
    x -= 3
    same(x, [254], np.uint8)
    same(ag.tensor([1], dtype=ag.int8).mul_(200), [-56], np.int8)
    same(ag.tensor([1, 2], dtype=UINT8).fill_(-3), [253, 253], np.uint8)


def test_fill_takes_a_0d_tensor():
    same(ag.zeros(2).fill_(ag.tensor(3.0)), [3.0, 3.0], np.float32)
    same(ag.tensor([1, 2]).fill_(ag.tensor(2.7)), [2, 2], np.int64)  # cast like PyTorch
    same(ag.zeros(2).fill_(np.float64(0.5)), [0.5, 0.5], np.float32)


# ------------------------------------------------------- promotion with a 0-d tensor
# torch 2.13's result dtype of ``ones(2, dtype=row) + tensor(1, dtype=column)``: a 0-d tensor takes the
# dtype of a tensor with dimensions unless its category (bool < integer < floating) is higher. After a
# comma, where it differs, the dtype of ``tensor(1, dtype=row) + tensor(1, dtype=column)``: two 0-d
# tensors (like two with dimensions) promote as numpy does, but for integers meeting floats.
DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
PROMOTION = """
bool    | bool    uint8       int8        int16       int32       int64       float16 float32         float64
uint8   | uint8   uint8       uint8,int16 uint8,int16 uint8,int32 uint8,int64 float16 float32         float64
int8    | int8    int8,int16  int8        int8,int16  int8,int32  int8,int64  float16 float32         float64
int16   | int16   int16       int16       int16       int16,int32 int16,int64 float16 float32         float64
int32   | int32   int32       int32       int32       int32       int32,int64 float16 float32         float64
int64   | int64   int64       int64       int64       int64       int64       float16 float32         float64
float16 | float16 float16     float16     float16     float16     float16     float16 float16,float32 float16,float64
float32 | float32 float32     float32     float32     float32     float32     float32 float32         float32,float64
float64 | float64 float64     float64     float64     float64     float64     float64 float64         float64
"""
CASES = [
    (row.strip(), column, *(cell.split(",") * 2)[:2])
    for row, cells in (line.split("|") for line in PROMOTION.strip().splitlines())
    for column, cell in zip(DTYPES, cells.split())
]


def _of(name, shape):
    return ag.tensor(np.ones(shape, dtype=np.bool_ if name == "bool" else name))


@pytest.mark.parametrize("row,column,with_dimensions,both_0d", CASES)
def test_a_0d_tensor_defers_to_a_tensor_with_dimensions(row, column, with_dimensions, both_0d):
    assert (_of(row, (2,)) + _of(column, ())).dtype == with_dimensions
    assert (_of(column, ()) * _of(row, (2,))).dtype == with_dimensions  # either side
    assert (_of(row, ()) + _of(column, ())).dtype == both_0d
    assert (_of(row, (2,)) + _of(column, (2,))).dtype == both_0d


def test_a_0d_tensor_is_cast_like_pytorch():
    same(ag.ones(2, dtype=ag.int32) + ag.tensor(1), [2, 2], np.int32)
    same(ag.maximum(ag.tensor([1], dtype=ag.int8), ag.tensor(300)), [44], np.int8)  # 300 as int8 is 44
    same(ag.tensor([1], dtype=ag.int8) < ag.tensor(300), [True], np.bool_)
    same(ag.where(ag.tensor([True, False]), ag.tensor([1, 2], dtype=ag.int32), ag.tensor(5)), [1, 5], np.int32)
    same(ag.tensor([1], dtype=ag.uint8) / ag.tensor(-4), [-0.25], np.float32)  # division: each its own value
    same(ag.ones(2, dtype=ag.int32) + ag.tensor(0.5, dtype=ag.float64), [1.5, 1.5], np.float64)
    same(ag.tensor([2, 2], dtype=ag.int8) ** ag.tensor(-1), [0, 0], np.int8)


def test_a_0d_float64_leaf_gets_its_gradient_in_float64():
    scale = ag.tensor(2.0, dtype=ag.float64, requires_grad=True)
    x = ag.tensor([1.0, 3.0], requires_grad=True)
    y = x * scale
    assert y.dtype == np.float32
    y.sum().backward()
    assert scale.grad.dtype == np.float64 and scale.grad.item() == 4.0
    same(x.grad, [2.0, 2.0], np.float32)


# -------------------------------------------------------------------------- reductions
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_integer_and_bool_tensors_sum_in_int64(dtype):
    x = _of(dtype, (2, 3))
    same(x.sum(), 6, np.int64)
    same(x.sum(dim=1), [3, 3], np.int64)
    same(x.sum(dim=0, keepdim=True), [[2, 2, 2]], np.int64)
    same(_of(dtype, (0,)).sum(), 0, np.int64)


def test_integer_sums_do_not_wrap_unless_a_dtype_says_so():
    big = ag.tensor([200, 100], dtype=ag.uint8)
    same(big.sum(), 300, np.int64)  # numpy's uint64 before; PyTorch's int64
    same(big.sum(dtype=ag.uint8), 44, np.uint8)  # computed in uint8, as PyTorch does
    same(ag.tensor([100, 100], dtype=ag.int8).sum(dtype=ag.int8), -56, np.int8)
    same(ag.tensor([True, True]).sum(dtype=ag.bool_), True, np.bool_)
    same(ag.tensor([1.5, 1.6]).sum(dtype=ag.int64), 2, np.int64)  # cast first, then summed
    same(ag.tensor([1, 2]).sum(dtype=ag.float32), 3.0, np.float32)


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int8", "int16", "int32", "int64"])
def test_logsumexp_of_integers_is_float32(dtype):
    x = ag.tensor(np.array([1, 0, 1], dtype=np.bool_ if dtype == "bool" else dtype))
    out = x.logsumexp(0)
    assert out.dtype == np.float32
    assert out.item() == pytest.approx(np.log(2 * np.e + 1), rel=1e-6)  # float16 gave 1.8613 (and uint8 inf)
    assert ag.logsumexp(ag.tensor([1.0, 2.0], dtype=ag.float16), 0).dtype == np.float16


# -------------------------------------------------------------------------- factories
@pytest.mark.parametrize("data,dtype", [
    ([np.float64(1.5)], np.float64),  # numpy float64 scalars keep float64 in a list, as alone
    ([1.5, np.float64(2.0)], np.float64),
    ([[np.float64(2.0)], [1.0]], np.float64),
    ([1, np.float64(2.0)], np.float64),
    ([np.float32(2.0), np.float64(1.5)], np.float64),
    ([[1.0], np.array([2.0])], np.float64),  # a float64 array in a list
    ([ag.tensor(1.5, dtype=ag.float64), 1.0], np.float64),  # a float64 tensor in a list
    ([ag.tensor(1.5), np.float64(1.0)], np.float64),
    ([np.float32(1.5)], np.float32),
    ([np.float32(2.0), 1.5], np.float32),  # numpy alone would make these two float64
    ([np.int64(2), 1.5], np.float32),
    ([np.float16(1.5)], np.float16),
    ([np.int32(1)], np.int32),
    ([True, np.int32(2)], np.int32),
    ([1.5, 2.5], np.float32),
    ([ag.tensor(1.5), 2.0], np.float32),
])
def test_list_dtypes_follow_pytorch(data, dtype):
    t = ag.tensor(data)
    assert t.dtype == dtype
    np.testing.assert_array_equal(t.numpy(), np.asarray([np.asarray(x) for x in data], dtype=dtype).reshape(t.shape))


def test_an_explicit_dtype_still_wins():
    same(ag.tensor([np.float64(1.5)], dtype=ag.float16), [1.5], np.float16)
    same(ag.tensor([np.float64(1.5)], dtype=ag.int64), [1], np.int64)


@pytest.mark.parametrize("value,values,dtype", [
    (np.float64(1.5), 1.5, np.float32),  # float64 before; PyTorch: any float is float32
    (np.float32(1.5), 1.5, np.float32),
    (1.5, 1.5, np.float32),
    (np.int32(3), 3, np.int64),  # int32 before
    (3, 3, np.int64),
    (True, True, np.bool_),
    (ag.tensor(1.5, dtype=ag.float64), 1.5, np.float32),  # a 0-d tensor is the number it holds
    (ag.tensor(1, dtype=ag.int32), 1, np.int64),
    (ag.tensor(True), True, np.bool_),
])
def test_full_infers_pytorchs_dtype(value, values, dtype):
    same(ag.full((2,), value), [values, values], dtype)
    same(ag.full((2,), value, dtype=ag.float64), [values, values], np.float64)


@pytest.mark.parametrize("args,values,dtype", [
    ((ag.tensor(3),), [0, 1, 2], np.int64),  # float32 before
    ((ag.tensor(3, dtype=ag.int32),), [0, 1, 2], np.int64),
    ((0, ag.tensor(3)), [0, 1, 2], np.int64),
    ((0, 3, ag.tensor(1)), [0, 1, 2], np.int64),
    ((ag.tensor(3.0),), [0.0, 1.0, 2.0], np.float32),
    ((ag.tensor(3.0, dtype=ag.float64),), [0.0, 1.0, 2.0], np.float32),
    ((0, 3, ag.tensor(1.5)), [0.0, 1.5], np.float32),
])
def test_arange_reads_0d_tensors_as_numbers(args, values, dtype):
    same(ag.arange(*args), values, dtype)


def test_eye_takes_integer_counts():
    same(ag.eye(0), np.zeros((0, 0)), np.float32)
    same(ag.eye(np.int64(2), ag.tensor(1)), [[1.0], [0.0]], np.float32)


# -------------------------------------------------------------------- shapes and indexing
def shapes(pieces):
    return [tuple(p.shape) for p in pieces]


def test_chunk_of_an_empty_dim_gives_chunks_empty_pieces():
    assert shapes(ag.zeros(0, 3).chunk(2)) == [(0, 3), (0, 3)]  # one piece before
    assert shapes(ag.zeros(0, 3).chunk(3)) == [(0, 3)] * 3
    assert shapes(ag.zeros(3, 0).chunk(2, dim=1)) == [(3, 0), (3, 0)]
    assert shapes(ag.zeros(5).chunk(3)) == [(2,), (2,), (1,)]  # unchanged: fewer pieces when n is small
    assert shapes(ag.zeros(6).chunk(4)) == [(2,), (2,), (2,)]


def test_split_of_an_empty_dim():
    assert shapes(ag.zeros(0).split(0)) == [(0,)]
    assert shapes(ag.zeros(0).split(2)) == [(0,)]
    assert shapes(ag.zeros(4).split((1, 3))) == [(1,), (3,)]
    assert shapes(ag.zeros(4).split([np.int64(4), 0])) == [(4,), (0,)]


def test_an_empty_list_is_an_empty_integer_index():
    x = ag.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    assert x[[]].shape == (0, 3)
    assert x[[], 0].shape == (0,)
    assert x[:, []].shape == (2, 0)
    assert x[np.array([])].shape == (0, 3)
    x[[]].sum().backward()
    same(x.grad, np.zeros((2, 3)), np.float64)
    y = ag.zeros(2, 3)
    y[[]] = 1.0
    same(y, np.zeros((2, 3)), np.float32)
    with pytest.raises(IndexError, match="long, int, byte or bool"):  # an empty float *tensor* is refused, as in PyTorch
        y[ag.tensor([])]
