"""Layers: values against numpy formulas, gradients by gradcheck in float64, train/eval behaviour."""
import math

import numpy as np
import pytest

import autograd
import nn
from autograd import gradcheck
from nn.activation import erf_array

rng = np.random.default_rng(0)


def t64(*shape, requires_grad=True, scale=1.0):
    return autograd.tensor(rng.standard_normal(shape) * scale, dtype=autograd.float64, requires_grad=requires_grad)


# --------------------------------------------------------------------- Linear
def test_linear_shapes_default_init_bounds_and_forward():
    autograd.manual_seed(0)
    layer = nn.Linear(400, 30)
    assert layer.weight.shape == (30, 400) and layer.bias.shape == (30,)
    assert layer.weight.dtype == np.float32 and layer.weight.requires_grad
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(in), 1/sqrt(in))
    w = layer.weight.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.95 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.05 * bound
    assert np.abs(layer.bias.detach().numpy()).max() <= bound
    x = autograd.randn(7, 400)
    expected = x.numpy() @ w.T + layer.bias.detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-5, atol=1e-5)
    assert layer(autograd.randn(2, 3, 400)).shape == (2, 3, 30)
    assert nn.Linear(3, 2, bias=False).bias is None


def test_linear_is_seeded_and_uses_the_fused_op():
    autograd.manual_seed(3)
    a = nn.Linear(4, 3)
    autograd.manual_seed(3)
    b = nn.Linear(4, 3)
    np.testing.assert_array_equal(a.weight.detach().numpy(), b.weight.detach().numpy())
    assert a(autograd.randn(2, 4)).grad_fn.name() == "LinearBackward"


def test_linear_gradcheck_and_errors():
    layer = nn.Linear(3, 2).double()
    x = t64(4, 3)
    assert gradcheck(lambda x, w, b: nn.functional.linear(x, w, b), [x, layer.weight, layer.bias])
    with pytest.raises(RuntimeError, match="expects 3"):
        layer(autograd.randn(4, 5, dtype=autograd.float64))
    assert nn.Linear(2, 2, device="cpu", dtype=autograd.float64).weight.dtype == np.float64
    with pytest.raises(RuntimeError, match="CPU only"):
        nn.Linear(2, 2, device="cuda")


# ------------------------------------------------------------------ Embedding
def test_embedding_lookup_gradient_and_padding():
    autograd.manual_seed(0)
    emb = nn.Embedding(5, 3, padding_idx=1)
    assert np.all(emb.weight.detach().numpy()[1] == 0)
    idx = autograd.tensor([[0, 1, 4], [4, 4, 2]])
    out = emb(idx)
    assert out.shape == (2, 3, 3)
    np.testing.assert_array_equal(out.detach().numpy(), emb.weight.detach().numpy()[idx.numpy()])
    out.sum().backward()
    counts = np.array([1, 0, 1, 0, 3])  # index 1 is padding: no gradient
    np.testing.assert_array_equal(emb.weight.grad.numpy(), np.repeat(counts[:, None], 3, axis=1))
    assert repr(emb) == "Embedding(5, 3, padding_idx=1)"
    weight = t64(5, 3)
    assert gradcheck(lambda w: nn.functional.embedding(idx, w), [weight])
    with pytest.raises(IndexError, match="out of range"):
        emb(autograd.tensor([5]))
    with pytest.raises(TypeError, match="integer"):
        emb(autograd.tensor([0.0]))


# ---------------------------------------------------------------- activations
ACTIVATIONS = [
    (nn.ReLU(), lambda a: np.maximum(a, 0)),
    (nn.LeakyReLU(), lambda a: np.where(a > 0, a, 0.01 * a)),
    (nn.LeakyReLU(0.2), lambda a: np.where(a > 0, a, 0.2 * a)),
    (nn.Sigmoid(), lambda a: 1 / (1 + np.exp(-a))),
    (nn.Tanh(), np.tanh),
    (nn.GELU(), lambda a: 0.5 * a * (1 + erf_array(a / math.sqrt(2)))),
    (nn.GELU("tanh"), lambda a: 0.5 * a * (1 + np.tanh(math.sqrt(2 / math.pi) * (a + 0.044715 * a**3)))),
    (nn.Softplus(), lambda a: np.log1p(np.exp(a))),
    (nn.Softplus(beta=2.0), lambda a: np.log1p(np.exp(2 * a)) / 2),
    (nn.Softmax(dim=1), lambda a: np.exp(a) / np.exp(a).sum(1, keepdims=True)),
    (nn.LogSoftmax(dim=1), lambda a: a - np.log(np.exp(a).sum(1, keepdims=True))),
]


@pytest.mark.parametrize("module,formula", ACTIVATIONS, ids=lambda v: repr(v) if isinstance(v, nn.Module) else "")
def test_activation_values_and_gradients(module, formula):
    x = t64(3, 4)
    np.testing.assert_allclose(module(x).detach().numpy(), formula(x.detach().numpy()), rtol=1e-10, atol=1e-12)
    assert gradcheck(module, [x])


def test_gelu_matches_pytorch_values_and_gradient():
    x = autograd.tensor([-3.0, -1.0, -0.1, 0.0, 0.5, 2.0, 6.0], dtype=autograd.float64, requires_grad=True)
    # from torch 2.13: F.gelu(x), F.gelu(x, approximate='tanh') and d/dx sum(F.gelu(x))
    torch_gelu = [-0.00404969409489031, -0.15865525393145702, -0.0460172162722971, 0.0, 0.34573123063700656,
                  1.9544997361036416, 5.999999994080474]
    torch_tanh = [-0.0036373920817729943, -0.15880800939172324, -0.04601724895456484, 0.0, 0.34571400982514394,
                  1.954597694087775, 5.9999999999156035]
    torch_grad = [-0.01194564720418392, -0.08331547058768635, 0.4204769079752698, 0.5, 0.8674951246561629,
                  1.085231801078197, 1.0000000354687093]
    np.testing.assert_allclose(nn.GELU()(x).detach().numpy(), torch_gelu, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(nn.GELU("tanh")(x).detach().numpy(), torch_tanh, rtol=1e-12, atol=1e-15)
    nn.GELU()(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), torch_grad, rtol=1e-12, atol=1e-15)
    assert repr(nn.GELU("tanh")) == "GELU(approximate='tanh')"
    with pytest.raises(ValueError, match="approximate"):
        nn.GELU("fast")


def test_erf_matches_math_erf_and_its_gradient():
    points = np.concatenate([np.linspace(-7, 7, 2001), [0.0, 1e-300, 0.46875, -0.46875, 4.0, 30.0, -np.inf, np.inf]])
    expected = np.array([math.erf(v) for v in points])
    got = erf_array(points)
    np.testing.assert_allclose(got, expected, rtol=1e-15, atol=0)
    assert np.isnan(erf_array(np.array([np.nan]))[0])
    x = t64(6)
    assert gradcheck(nn.functional.erf, [x])
    assert nn.functional.erf(autograd.tensor([0.5])).dtype == np.float32


# -------------------------------------------------------------------- Dropout
def test_dropout_scales_kept_values_and_is_identity_in_eval():
    autograd.manual_seed(0)
    layer = nn.Dropout(p=0.25)
    x = autograd.ones(200, 100)
    out = layer(x).numpy()
    kept = out != 0
    assert np.allclose(out[kept], 1 / 0.75)
    assert abs(kept.mean() - 0.75) < 0.01
    layer.eval()
    assert layer(x) is x
    assert nn.functional.dropout(x, 0.5, training=False) is x
    assert repr(layer) == "Dropout(p=0.25, inplace=False)"


def test_dropout_gradient_uses_the_same_mask_and_is_seeded():
    autograd.manual_seed(1)
    x = t64(50, 4)
    out = nn.functional.dropout(x, p=0.5)
    out.backward(autograd.ones(50, 4, dtype=autograd.float64))
    mask = out.detach().numpy() / x.detach().numpy()
    np.testing.assert_allclose(x.grad.numpy(), mask)
    assert set(np.round(np.unique(mask), 12)) <= {0.0, 2.0}
    autograd.manual_seed(1)
    again = nn.functional.dropout(x, p=0.5)
    np.testing.assert_array_equal(again.detach().numpy(), out.detach().numpy())


def test_dropout_edge_probabilities_and_errors():
    x = autograd.randn(10, 10)
    assert not nn.functional.dropout(x, p=1.0).numpy().any()
    assert nn.functional.dropout(x, p=0.0) is x
    with pytest.raises(ValueError, match="between 0 and 1"):
        nn.Dropout(1.5)


# ------------------------------------------------------------------ BatchNorm
def numpy_batch_norm(a, gamma, beta, axes, eps=1e-5):
    mean = a.mean(axis=axes, keepdims=True)
    var = a.var(axis=axes, keepdims=True)
    shape = [1] * a.ndim
    shape[1] = -1
    return (a - mean) / np.sqrt(var + eps) * gamma.reshape(shape) + beta.reshape(shape)


@pytest.mark.parametrize("shape,axes", [((8, 3), (0,)), ((4, 3, 5), (0, 2))])
def test_batchnorm_training_forward_and_running_stats_after_several_steps(shape, axes):
    layer = nn.BatchNorm1d(3, momentum=0.3)
    with autograd.no_grad():
        layer.weight.copy_(np.array([0.5, 1.0, 2.0]))
        layer.bias.copy_(np.array([0.1, -0.2, 0.3]))
    running_mean, running_var = np.zeros(3), np.ones(3)
    n = int(np.prod([shape[a] for a in axes]))
    for step in range(4):
        a = rng.standard_normal(shape) * (step + 1) + step
        out = layer(autograd.tensor(a))
        expected = numpy_batch_norm(a, np.array([0.5, 1.0, 2.0]), np.array([0.1, -0.2, 0.3]), axes)
        np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-4, atol=1e-5)
        running_mean = 0.7 * running_mean + 0.3 * a.mean(axis=axes)
        running_var = 0.7 * running_var + 0.3 * a.var(axis=axes) * n / (n - 1)  # unbiased
    np.testing.assert_allclose(layer.running_mean.numpy(), running_mean, rtol=1e-5)
    np.testing.assert_allclose(layer.running_var.numpy(), running_var, rtol=1e-5)
    assert layer.num_batches_tracked.item() == 4
    layer.eval()
    a = rng.standard_normal(shape)
    view = (1, 3) + (1,) * (len(shape) - 2)
    expected = (a - running_mean.reshape(view)) / np.sqrt(running_var.reshape(view) + 1e-5)
    expected = expected * np.array([0.5, 1.0, 2.0]).reshape(view) + np.array([0.1, -0.2, 0.3]).reshape(view)
    np.testing.assert_allclose(layer(autograd.tensor(a)).detach().numpy(), expected, rtol=1e-4, atol=1e-5)
    assert layer.num_batches_tracked.item() == 4


def test_batchnorm_momentum_none_is_cumulative_average():
    layer = nn.BatchNorm1d(2, momentum=None)
    batches = [rng.standard_normal((6, 2)) + i for i in range(3)]
    for a in batches:
        layer(autograd.tensor(a))
    np.testing.assert_allclose(layer.running_mean.numpy(), np.mean([a.mean(0) for a in batches], axis=0), rtol=1e-5)
    expected_var = np.mean([a.var(0, ddof=1) for a in batches], axis=0)  # the initial 1 gets weight 0
    np.testing.assert_allclose(layer.running_var.numpy(), expected_var, rtol=1e-5)


def test_batchnorm_without_tracking_or_affine():
    layer = nn.BatchNorm1d(3, affine=False, track_running_stats=False)
    assert list(layer.parameters()) == [] and list(layer.state_dict()) == []
    a = rng.standard_normal((5, 3))
    layer.eval()  # without running statistics, eval uses the batch's
    np.testing.assert_allclose(
        layer(autograd.tensor(a)).numpy(), numpy_batch_norm(a, np.ones(3), np.zeros(3), (0,)), rtol=1e-4, atol=1e-5
    )
    assert list(nn.BatchNorm1d(2).state_dict()) == ["weight", "bias", "running_mean", "running_var", "num_batches_tracked"]
    # torch 2.13's reprs
    assert repr(nn.BatchNorm1d(3)) == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=True, track_running_stats=True)"
    no_bias = nn.BatchNorm1d(3, bias=False)
    assert repr(no_bias) == "BatchNorm1d(3, eps=1e-05, momentum=0.1, affine=True, bias=False, track_running_stats=True)"
    assert list(no_bias.state_dict()) == ["weight", "running_mean", "running_var", "num_batches_tracked"]
    np.testing.assert_allclose(
        no_bias(autograd.tensor(a)).detach().numpy(), numpy_batch_norm(a, np.ones(3), np.zeros(3), (0,)), rtol=1e-4, atol=1e-5
    )


@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 2)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_gradcheck_first_and_second_order(shape, training):
    x, w, b = t64(*shape), t64(3), t64(3)
    rm, rv = t64(3, requires_grad=False), autograd.tensor(rng.uniform(0.5, 2, 3), dtype=autograd.float64)

    def f(x, w, b):
        return nn.functional.batch_norm(x, rm, rv, w, b, training=training, momentum=0.0)

    assert gradcheck(f, [x, w, b])

    def second(x, w, b):
        out = f(x, w, b)
        gx, gw = autograd.grad((out * out * out).sum(), [x, w], create_graph=True)
        return (gx * gx).sum() + (gw * gw).sum()

    assert gradcheck(second, [x, w, b])


def test_batchnorm_errors():
    layer = nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match="3 channels"):
        layer(autograd.randn(4, 5))
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        layer(autograd.randn(1, 3))
    with pytest.raises(ValueError, match="2D or 3D"):
        layer(autograd.randn(2, 3, 4, 5))


# ------------------------------------------------------------------ LayerNorm
def test_layernorm_values_gradients_and_repr():
    layer = nn.LayerNorm((3, 4)).double()
    with autograd.no_grad():
        layer.weight.copy_(rng.uniform(0.5, 1.5, (3, 4)))
        layer.bias.copy_(rng.standard_normal((3, 4)))
    x = t64(2, 3, 4, scale=3.0)
    a = x.detach().numpy()
    mean = a.mean(axis=(1, 2), keepdims=True)
    var = a.var(axis=(1, 2), keepdims=True)
    expected = (a - mean) / np.sqrt(var + 1e-5) * layer.weight.detach().numpy() + layer.bias.detach().numpy()
    np.testing.assert_allclose(layer(x).detach().numpy(), expected, rtol=1e-10)
    assert gradcheck(layer, [x])
    assert repr(nn.LayerNorm(4)) == "LayerNorm((4,), eps=1e-05, elementwise_affine=True, bias=True)"  # torch 2.13
    with pytest.raises(RuntimeError, match="normalized_shape"):
        nn.LayerNorm(5)(autograd.randn(2, 4))
    plain = nn.LayerNorm(4, elementwise_affine=False)
    assert list(plain.parameters()) == []
