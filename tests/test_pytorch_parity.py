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
