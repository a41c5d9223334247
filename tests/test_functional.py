"""nn.functional: the stateless forms agree with numpy and with the modules; a small model trains."""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import gradcheck

rng = np.random.default_rng(0)


def t64(*shape):
    return autograd.tensor(rng.standard_normal(shape), dtype=autograd.float64, requires_grad=True)


def test_import_forms():
    import nn.functional as F2

    assert F2 is nn.functional and nn.init.xavier_uniform_ is not None
    for name in F.__all__:
        assert callable(getattr(F, name)), name


def test_linear_matches_numpy_and_gradchecks():
    x, w, b = t64(4, 3), t64(2, 3), t64(2)
    expected = x.detach().numpy() @ w.detach().numpy().T + b.detach().numpy()
    np.testing.assert_allclose(F.linear(x, w, b).detach().numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(F.linear(x, w).detach().numpy(), expected - b.detach().numpy(), rtol=1e-12)
    assert gradcheck(F.linear, [x, w, b])


@pytest.mark.parametrize(
    "fn,module",
    [
        (F.relu, nn.ReLU()),
        (lambda x: F.leaky_relu(x, 0.1), nn.LeakyReLU(0.1)),
        (F.sigmoid, nn.Sigmoid()),
        (F.tanh, nn.Tanh()),
        (F.gelu, nn.GELU()),
        (F.softplus, nn.Softplus()),
        (lambda x: F.softmax(x, dim=-1), nn.Softmax(dim=-1)),
        (lambda x: F.log_softmax(x, dim=0), nn.LogSoftmax(dim=0)),
    ],
)
def test_functional_activations_equal_modules(fn, module):
    x = t64(3, 5)
    np.testing.assert_array_equal(fn(x).detach().numpy(), module(x).detach().numpy())


def test_softmax_needs_a_dim():
    with pytest.raises(TypeError, match="dim"):
        F.softmax(autograd.randn(2, 3))
    with pytest.raises(TypeError, match="dim"):
        nn.Softmax()(autograd.randn(2, 3))


def test_one_hot():
    out = F.one_hot(autograd.tensor([[0, 2], [1, 2]]))
    assert out.dtype == np.int64 and out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out.numpy(), np.eye(3, dtype=np.int64)[[[0, 2], [1, 2]]])
    assert F.one_hot(autograd.tensor([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    with pytest.raises(RuntimeError, match="smaller than num_classes"):
        F.one_hot(autograd.tensor([4]), num_classes=3)
    with pytest.raises(RuntimeError, match="integer"):
        F.one_hot(autograd.tensor([1.0]))


def test_batch_norm_functional_updates_given_running_stats_in_place():
    a = rng.standard_normal((10, 3)) * 2 + 1
    rm, rv = autograd.zeros(3, dtype=autograd.float64), autograd.ones(3, dtype=autograd.float64)
    out = F.batch_norm(autograd.tensor(a), rm, rv, training=True, momentum=0.5)
    np.testing.assert_allclose(out.numpy(), (a - a.mean(0)) / np.sqrt(a.var(0) + 1e-5), rtol=1e-10)
    np.testing.assert_allclose(rm.numpy(), 0.5 * a.mean(0), rtol=1e-12)
    np.testing.assert_allclose(rv.numpy(), 0.5 + 0.5 * a.var(0, ddof=1), rtol=1e-12)
    out = F.batch_norm(autograd.tensor(a), rm, rv)  # eval: running statistics
    np.testing.assert_allclose(out.numpy(), (a - rm.numpy()) / np.sqrt(rv.numpy() + 1e-5), rtol=1e-10)
    with pytest.raises(RuntimeError, match="must be defined in evaluation mode"):
        F.batch_norm(autograd.tensor(a), None, None)
    with pytest.raises(RuntimeError, match=r"weight must be a Tensor of shape \(3,\)"):
        F.batch_norm(autograd.tensor(a), rm, rv, weight=autograd.ones(4))


def test_layer_norm_functional_gradcheck():
    x, w, b = t64(2, 5), t64(5), t64(5)
    assert gradcheck(lambda x, w, b: F.layer_norm(x, (5,), w, b), [x, w, b])


def test_cross_entropy_equals_log_softmax_then_nll_loss():
    x = t64(5, 4)
    t = autograd.tensor([3, 0, 1, 1, 2])
    np.testing.assert_allclose(
        F.cross_entropy(x, t).detach().numpy(), F.nll_loss(F.log_softmax(x, dim=1), t).detach().numpy(), rtol=1e-12
    )
    assert F.cross_entropy(x, t).grad_fn.name() == "CrossEntropyBackward"


def test_dropout_functional_in_training_loop_is_reproducible():
    autograd.manual_seed(5)
    a = F.dropout(autograd.ones(4, 4), p=0.5).numpy().copy()
    autograd.manual_seed(5)
    np.testing.assert_array_equal(F.dropout(autograd.ones(4, 4), p=0.5).numpy(), a)


def test_small_mlp_learns_two_spirals_style_data():
    autograd.manual_seed(0)
    n = 200
    angle = rng.uniform(0, 3 * np.pi, n)
    label = rng.integers(0, 2, n)
    radius = angle / (3 * np.pi)
    points = np.stack([radius * np.cos(angle + np.pi * label), radius * np.sin(angle + np.pi * label)], axis=1)
    x, y = autograd.tensor(points.astype(np.float32)), autograd.tensor(label)
    model = nn.Sequential(nn.Linear(2, 32), nn.BatchNorm1d(32), nn.Tanh(), nn.Linear(32, 32), nn.GELU(), nn.Linear(32, 2))
    criterion = nn.CrossEntropyLoss()
    params = list(model.parameters())
    moments = [np.zeros(p.shape, dtype=np.float32) for p in params]
    for step in range(300):
        loss = criterion(model(x), y)
        model.zero_grad()
        loss.backward()
        with autograd.no_grad():
            for p, m in zip(params, moments):  # SGD with momentum, written out
                m *= 0.9
                m += p.grad.numpy()
                p -= 0.1 * m
    model.eval()
    accuracy = (model(x).argmax(dim=1).numpy() == label).mean()
    assert accuracy >= 0.95, accuracy
