"""nn.utils: gradient clipping by norm and by value, and flattening parameters to a vector."""
import numpy as np
import pytest

import autograd
import nn
from nn.utils import clip_grad_norm_, clip_grad_value_, parameters_to_vector, vector_to_parameters


def params_with_grads(grads, dtype=np.float32):
    params = []
    for g in grads:
        p = autograd.zeros(*np.shape(g), dtype=dtype, requires_grad=True)
        p.grad = autograd.tensor(np.asarray(g, dtype=dtype))
        params.append(p)
    return params


GRADS = [np.array([[3.0, -4.0], [1.0, 2.0]]), np.array([-12.0, 0.5, 7.0])]


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf"), "inf"])
def test_clip_grad_norm_scales_like_pytorch(norm_type):
    params = params_with_grads(GRADS, np.float64)
    flat = np.concatenate([g.ravel() for g in GRADS])
    p = float(norm_type)
    expected_total = np.abs(flat).max() if p == np.inf else (np.abs(flat) ** p).sum() ** (1 / p)
    total = clip_grad_norm_(params, max_norm=2.5, norm_type=norm_type)
    assert isinstance(total, autograd.Tensor) and total.shape == () and total.dtype == np.float64
    np.testing.assert_allclose(total.item(), expected_total, rtol=1e-12)
    coef = 2.5 / (expected_total + 1e-6)
    for param, g in zip(params, GRADS):
        np.testing.assert_allclose(param.grad.numpy(), g * coef, rtol=1e-12)
    clipped = np.concatenate([param.grad.numpy().ravel() for param in params])
    new_norm = np.abs(clipped).max() if p == np.inf else (np.abs(clipped) ** p).sum() ** (1 / p)
    assert 2.5 - 1e-5 < new_norm < 2.5


def test_clip_grad_norm_leaves_small_gradients_untouched_and_skips_missing_grads():
    params = params_with_grads(GRADS)
    no_grad = autograd.ones(3, requires_grad=True)
    before = [p.grad.numpy().copy() for p in params]
    total = clip_grad_norm_(iter(params + [no_grad]), max_norm=100.0)
    assert total.dtype == np.float32
    np.testing.assert_allclose(total.item(), np.sqrt(sum((g ** 2).sum() for g in GRADS)), rtol=1e-6)
    for p, b in zip(params, before):
        np.testing.assert_array_equal(p.grad.numpy(), b)
    assert no_grad.grad is None


def test_clip_grad_norm_single_tensor_and_no_gradients():
    (p,) = params_with_grads([np.array([6.0, 8.0])])
    assert clip_grad_norm_(p, 1.0).item() == pytest.approx(10.0)
    np.testing.assert_allclose(p.grad.numpy(), [0.6, 0.8], rtol=1e-5)
    assert clip_grad_norm_([autograd.ones(2, requires_grad=True)], 1.0).item() == 0.0
    assert clip_grad_norm_([], 1.0).item() == 0.0


def test_clip_grad_norm_nonfinite():
    params = params_with_grads([np.array([np.nan, 1.0]), np.array([2.0])])
    with pytest.raises(RuntimeError, match="non-finite"):
        clip_grad_norm_(params, 1.0, error_if_nonfinite=True)
    assert params[1].grad.item() == 2.0  # nothing was changed
    assert np.isnan(clip_grad_norm_(params, 1.0).item())
    assert np.isnan(params[1].grad.item())  # like PyTorch: a nan norm spreads to every gradient
    params = params_with_grads([np.array([np.inf, 4.0]), np.array([12.0])])
    assert clip_grad_norm_(params, 1.0).item() == np.inf
    np.testing.assert_array_equal(params[1].grad.numpy(), [0.0])


def test_clip_grad_value_():
    params = params_with_grads(GRADS)
    no_grad = autograd.ones(2, requires_grad=True)
    assert clip_grad_value_(params + [no_grad], clip_value=2.0) is None
    for p, g in zip(params, GRADS):
        np.testing.assert_array_equal(p.grad.numpy(), np.clip(g, -2.0, 2.0).astype(np.float32))
    assert no_grad.grad is None


def test_parameters_to_vector_and_back():
    a = autograd.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    b = autograd.tensor([5.0, 6.0, 7.0], requires_grad=True)
    vec = parameters_to_vector([a, b])
    assert vec.shape == (7,)
    np.testing.assert_array_equal(vec.detach().numpy(), [1, 2, 3, 4, 5, 6, 7])
    weights = autograd.tensor(np.arange(7.0))
    (vec * weights).sum().backward()  # the vector is differentiable
    np.testing.assert_array_equal(a.grad.numpy(), [[0, 1], [2, 3]])
    np.testing.assert_array_equal(b.grad.numpy(), [4, 5, 6])
    vector_to_parameters(autograd.tensor([10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0]), (p for p in [a, b]))
    np.testing.assert_array_equal(a.detach().numpy(), [[10, 20], [30, 40]])
    np.testing.assert_array_equal(b.detach().numpy(), [50, 60, 70])
    assert a.requires_grad and a.is_leaf
    np.testing.assert_array_equal(parameters_to_vector(b).detach().numpy(), [50, 60, 70])


def test_vector_to_parameters_errors():
    a = autograd.zeros(2, 2, requires_grad=True)
    with pytest.raises(TypeError, match="expected vec to be a Tensor"):
        vector_to_parameters(np.zeros(4), [a])
    with pytest.raises(ValueError, match="4 elements"):
        vector_to_parameters(autograd.zeros(5), [a])
    with pytest.raises(TypeError, match="got a list at position 1"):
        parameters_to_vector([a, [1.0]])


def test_nn_utils_is_exposed():
    assert nn.utils.clip_grad_norm_ is clip_grad_norm_
