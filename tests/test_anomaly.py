"""detect_anomaly: the first NaN/inf in forward or backward raises, naming the op and the user's line."""
import numpy as np
import pytest

import autograd
from autograd import AnomalyError, detect_anomaly


def test_forward_nan_names_op_and_line():
    x = autograd.tensor([1.0, -1.0], requires_grad=True)
    with detect_anomaly():
        with pytest.raises(AnomalyError, match=r"Log produced nan .*test_anomaly.py:\d+ .*x\.log\(\)"):
            x.log()


def test_backward_inf_names_backward_node_and_forward_line():
    z = autograd.tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        total = z.sqrt().sum()  # sqrt(0) = 0 is fine; its derivative 1/(2*0) is not
        with pytest.raises(AnomalyError, match=r"SqrtBackward' returned inf .*z\.sqrt\(\)\.sum\(\)"):
            total.backward()


def test_nan_flowing_in_from_data_is_not_blamed_on_each_op():
    x = autograd.tensor([np.nan, 1.0])
    with detect_anomaly():
        y = x * 2  # the NaN was not created here
    assert np.isnan(y.numpy()[0])


def test_off_by_default_and_restored_after_block():
    assert not autograd.is_anomaly_enabled()
    with detect_anomaly():
        assert autograd.is_anomaly_enabled()
    assert not autograd.is_anomaly_enabled()
    y = autograd.tensor([-1.0]).log()  # no error outside the block
    assert np.isnan(y.item())


def test_healthy_training_step_passes_and_matches():
    autograd.manual_seed(0)
    w = autograd.randn(3, 2, dtype=autograd.float64, requires_grad=True)
    x = autograd.randn(5, 3, dtype=autograd.float64)
    with detect_anomaly():
        loss = (x @ w).tanh().pow(2).mean()
        loss.backward()
    expected = w.grad.numpy().copy()
    w.grad = None
    (x @ w).tanh().pow(2).mean().backward()
    np.testing.assert_array_equal(w.grad.numpy(), expected)


def test_decorator_form():
    @detect_anomaly()
    def f(t):
        return t / 0.0

    with pytest.raises(AnomalyError, match="Div produced inf"):
        f(autograd.tensor([1.0]))
