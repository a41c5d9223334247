"""nn.init: PyTorch's gains and bounds, in place on parameters, seeded through autograd.manual_seed."""
import math

import numpy as np
import pytest

import autograd
import nn
from nn import init


def param(*shape):
    return nn.Parameter(autograd.zeros(*shape))


def test_calculate_gain_matches_pytorch():
    # torch 2.13: calculate_gain('leaky_relu') and ('leaky_relu', 0.2), ('tanh'), ('selu')
    assert init.calculate_gain("leaky_relu") == pytest.approx(1.4141428569978354, abs=1e-15)
    assert init.calculate_gain("leaky_relu", 0.2) == pytest.approx(1.3867504905630728, abs=1e-15)
    assert init.calculate_gain("tanh") == pytest.approx(5 / 3)
    assert init.calculate_gain("selu") == 0.75
    assert init.calculate_gain("relu") == pytest.approx(math.sqrt(2))
    assert init.calculate_gain("linear") == init.calculate_gain("sigmoid") == init.calculate_gain("conv2d") == 1
    with pytest.raises(ValueError, match="Unsupported nonlinearity"):
        init.calculate_gain("swish")
    with pytest.raises(ValueError, match="not a valid number"):
        init.calculate_gain("leaky_relu", "x")


def test_fills_are_in_place_on_parameters_and_return_them():
    p = param(3, 4)
    assert init.constant_(p, 2.5) is p and np.all(p.detach().numpy() == 2.5)
    assert p.requires_grad and p.grad_fn is None
    assert np.all(init.zeros_(p).detach().numpy() == 0)
    assert np.all(init.ones_(p).detach().numpy() == 1)
    np.testing.assert_array_equal(init.eye_(param(2, 3)).detach().numpy(), np.eye(2, 3))
    assert p.dtype == np.float32


def test_uniform_and_normal_ranges_and_moments():
    autograd.manual_seed(0)
    u = init.uniform_(param(200, 100), -2.0, 3.0).detach().numpy()
    assert u.min() >= -2.0 and u.max() < 3.0 and abs(u.mean() - 0.5) < 0.05
    n = init.normal_(param(200, 100), mean=1.0, std=0.5).detach().numpy()
    assert abs(n.mean() - 1.0) < 0.01 and abs(n.std() - 0.5) < 0.01


def test_seeded_through_manual_seed():
    autograd.manual_seed(7)
    a = init.kaiming_uniform_(param(5, 5)).detach().numpy().copy()
    autograd.manual_seed(7)
    b = init.kaiming_uniform_(param(5, 5)).detach().numpy()
    np.testing.assert_array_equal(a, b)


def test_xavier_bounds_and_std_use_fan_in_plus_fan_out():
    autograd.manual_seed(1)
    fan_in, fan_out = 300, 100  # weight (out, in) = (100, 300)
    w = init.xavier_uniform_(param(fan_out, fan_in), gain=2.0).detach().numpy()
    bound = 2.0 * math.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    w = init.xavier_normal_(param(fan_out, fan_in)).detach().numpy()
    assert abs(w.std() - math.sqrt(2.0 / (fan_in + fan_out))) < 0.02 * math.sqrt(2.0 / (fan_in + fan_out))


def test_kaiming_bounds_modes_and_receptive_field():
    autograd.manual_seed(2)
    w = init.kaiming_uniform_(param(64, 50), a=0, mode="fan_in", nonlinearity="relu").detach().numpy()
    bound = math.sqrt(2.0) * math.sqrt(3.0 / 50)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    w = init.kaiming_normal_(param(400, 100, 3), mode="fan_out", nonlinearity="relu").detach().numpy()
    std = math.sqrt(2.0) / math.sqrt(400 * 3)  # fan_out = out * receptive field
    assert abs(w.std() - std) < 0.02 * std
    w = init.kaiming_uniform_(param(64, 50), a=math.sqrt(5)).detach().numpy()
    assert np.abs(w).max() <= 1 / math.sqrt(50)  # nn.Linear's default: U(-1/sqrt(in), 1/sqrt(in))
    with pytest.raises(ValueError, match="Mode fan_avg not supported"):
        init.kaiming_normal_(param(2, 2), mode="fan_avg")
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init.xavier_uniform_(param(5))


def test_orthogonal_rows_or_columns_are_orthonormal_times_gain():
    autograd.manual_seed(3)
    tall = init.orthogonal_(param(6, 3), gain=2.0).detach().numpy().astype(np.float64)
    np.testing.assert_allclose(tall.T @ tall, 4.0 * np.eye(3), atol=1e-5)
    wide = init.orthogonal_(param(3, 2, 4)).detach().numpy().reshape(3, 8).astype(np.float64)
    np.testing.assert_allclose(wide @ wide.T, np.eye(3), atol=1e-5)
    with pytest.raises(ValueError, match="2 or more dimensions"):
        init.orthogonal_(param(4))


def test_trunc_normal_stays_in_bounds():
    autograd.manual_seed(4)
    w = init.trunc_normal_(param(100, 100), mean=0.5, std=1.0, a=0.0, b=1.0).detach().numpy()
    assert w.min() >= 0.0 and w.max() <= 1.0
    assert abs(w.mean() - 0.5) < 0.02  # symmetric truncation around the mean
    with pytest.raises(ValueError, match="a < b"):
        init.trunc_normal_(param(2), a=1.0, b=0.0)


def test_init_rejects_non_tensors():
    with pytest.raises(TypeError, match="expected a Tensor"):
        init.normal_(np.zeros(3))
