"""Losses: values against numpy formulas and PyTorch, gradients by gradcheck, reductions, bad targets."""
import warnings

import numpy as np
import pytest

import autograd
import nn
import nn.functional as F
from autograd import gradcheck

rng = np.random.default_rng(0)


def t64(array, requires_grad=True):
    return autograd.tensor(np.asarray(array, dtype=np.float64), dtype=autograd.float64, requires_grad=requires_grad)


def reduce(values, reduction):
    return {"none": values, "sum": values.sum(), "mean": values.mean()}[reduction]


# ----------------------------------------------------------------- regression
REGRESSION = [
    (F.mse_loss, nn.MSELoss, lambda d: d**2),
    (F.l1_loss, nn.L1Loss, np.abs),
    (F.huber_loss, nn.HuberLoss, lambda d: np.where(np.abs(d) < 1, 0.5 * d**2, np.abs(d) - 0.5)),
]


@pytest.mark.parametrize("fn,module,formula", REGRESSION, ids=["mse", "l1", "huber"])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_values_and_gradients(fn, module, formula, reduction):
    x, y = t64(rng.standard_normal((4, 3)) * 2), t64(rng.standard_normal((4, 3)), requires_grad=True)
    expected = reduce(formula(x.detach().numpy() - y.detach().numpy()), reduction)
    np.testing.assert_allclose(fn(x, y, reduction=reduction).detach().numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(module(reduction=reduction)(x, y).detach().numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda a, b: fn(a, b, reduction=reduction), [x, y])


def test_huber_delta_matches_pytorch():
    out = F.huber_loss(autograd.tensor([0.0, 1.0, 3.0]), autograd.tensor([0.5, -1.0, 0.0]), delta=1.5)
    assert abs(out.item() - 1.7916666269302368) < 1e-6  # torch 2.13: F.huber_loss(..., delta=1.5)
    assert nn.HuberLoss(delta=1.5).delta == 1.5


def test_elementwise_losses_refuse_a_target_of_another_shape():
    with pytest.raises(ValueError, match=r"expected a target of shape \(4, 1\)"):
        F.mse_loss(autograd.randn(4, 1), autograd.randn(4))
    with pytest.raises(ValueError, match=r"target of shape \(3,\) differs from input of shape \(3, 1\)"):
        nn.BCELoss()(autograd.rand(3, 1), autograd.rand(3))
    with pytest.raises(ValueError, match="not a valid value for reduction"):
        nn.MSELoss(reduction="avg")


def test_legacy_size_average_and_reduce_arguments():
    x, y = autograd.randn(3), autograd.randn(3)
    assert np.isclose(F.mse_loss(x, y, size_average=False).item(), F.mse_loss(x, y, reduction="sum").item())
    assert F.mse_loss(x, y, reduce=False).shape == (3,)


@pytest.mark.parametrize("beta", [1.0, 0.5, 2.5, 0.0])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_smooth_l1_loss_module_values_and_gradients(beta, reduction):
    x, y = t64(rng.standard_normal((4, 3)) * 2), t64(rng.standard_normal((4, 3)))
    d = x.detach().numpy() - y.detach().numpy()
    values = np.abs(d) if beta == 0 else np.where(np.abs(d) < beta, 0.5 * d**2 / beta, np.abs(d) - 0.5 * beta)
    loss = nn.SmoothL1Loss(reduction=reduction, beta=beta)
    np.testing.assert_allclose(loss(x, y).detach().numpy(), reduce(values, reduction), rtol=1e-12)
    loss(x, y).sum().backward()
    slope = np.sign(d) if beta == 0 else np.where(np.abs(d) < beta, d / beta, np.sign(d))
    np.testing.assert_allclose(x.grad.numpy(), slope / (d.size if reduction == "mean" else 1), rtol=1e-12)
    assert gradcheck(lambda a, b: loss(a, b), [x, y])


def test_smooth_l1_loss_matches_pytorch_and_checks_beta():
    x, y = autograd.tensor([0.0, 1.0, 3.0, -0.25], requires_grad=True), autograd.tensor([0.5, -1.0, 0.0, 0.0])
    out = nn.SmoothL1Loss(beta=1.5)(x, y)
    assert abs(out.item() - 0.9010416865348816) < 1e-6  # torch 2.13: nn.SmoothL1Loss(beta=1.5)(x, y)
    assert repr(nn.SmoothL1Loss(beta=0.5)) == "SmoothL1Loss()" and nn.SmoothL1Loss(beta=0.5).beta == 0.5
    # At |d| = beta the slope is 1 (PyTorch's d / beta there), at d = 0 with beta = 0 it is 0.
    v = autograd.tensor([0.5, -0.5, 0.0], dtype=autograd.float64, requires_grad=True)
    F.smooth_l1_loss(v, autograd.zeros(3, dtype=autograd.float64), beta=0.5, reduction="sum").backward()
    np.testing.assert_array_equal(v.grad.numpy(), [1.0, -1.0, 0.0])
    with pytest.raises(RuntimeError, match="smooth_l1_loss does not support negative values for beta"):
        F.smooth_l1_loss(x, y, beta=-1.0)
    with pytest.raises(ValueError, match="SmoothL1Loss: 'avg' is not a valid value for reduction"):
        nn.SmoothL1Loss(reduction="avg")


# -------------------------------------------------------------------- KL divergence
# torch 2.13, float64: F.kl_div(KL_INPUT, KL_TARGET, reduction=...) and its gradients for reduction='sum'.
KL_INPUT = [[-1.0, -0.5, -2.0], [-0.3, -1.2, -0.7]]
KL_TARGET = [[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]]
KL_TORCH = {
    "none": [[0.0, -0.09657359027997264, 0.6534264097200273],
             [-0.2618875824868201, -0.0011918412977808268, 0.0034264097200273347]],
    "sum": 0.2971998053754811,
    "mean": 0.04953330089591351,
    "batchmean": 0.14859990268774054,
}
KL_TORCH_GRAD_TARGET = [[float("nan"), 0.8068528194400547, 2.3068528194400546],
                        [-0.3094379124341003, 0.9960271956740638, 1.0068528194400548]]
KL_TORCH_LOG_TARGET_SUM = 11.384479562734692  # F.kl_div(KL_INPUT, KL_TARGET, reduction='sum', log_target=True)


@pytest.mark.parametrize("reduction", ["none", "sum", "mean", "batchmean"])
def test_kl_div_matches_pytorch(reduction):
    x, t = t64(KL_INPUT), t64(KL_TARGET)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(F.kl_div(x, t, reduction=reduction).detach().numpy(), KL_TORCH[reduction], rtol=1e-14)
        np.testing.assert_allclose(
            nn.KLDivLoss(reduction=reduction)(x, t).detach().numpy(), KL_TORCH[reduction], rtol=1e-14
        )


def test_kl_div_gradients_match_pytorch_including_nan_at_a_zero_target():
    x, t = t64(KL_INPUT), t64(KL_TARGET)
    F.kl_div(x, t, reduction="sum").backward()
    np.testing.assert_array_equal(x.grad.numpy(), -np.array(KL_TARGET))  # d/dx = -t
    # d/dt = log t + 1 - x; PyTorch's xlogy(t, t) gives nan at t = 0 (its t/t term), and so does this.
    np.testing.assert_allclose(t.grad.numpy(), KL_TORCH_GRAD_TARGET, rtol=1e-13)
    x, t = t64(KL_INPUT), t64(KL_TARGET)
    out = F.kl_div(x, t, reduction="sum", log_target=True)
    assert abs(out.item() - KL_TORCH_LOG_TARGET_SUM) < 1e-12
    out.backward()
    e = np.exp(KL_TARGET)
    np.testing.assert_allclose(x.grad.numpy(), -e, rtol=1e-14)
    np.testing.assert_allclose(t.grad.numpy(), e * (np.array(KL_TARGET) - KL_INPUT + 1), rtol=1e-14)


@pytest.mark.parametrize("log_target", [False, True])
@pytest.mark.parametrize("reduction", ["none", "sum", "batchmean"])
def test_kl_div_against_its_formula_and_gradcheck(reduction, log_target):
    p = rng.dirichlet(np.ones(5), size=4)
    q = rng.dirichlet(np.ones(5), size=4)
    x = t64(np.log(p))
    t = t64(np.log(q) if log_target else q)
    pointwise = q * (np.log(q) - np.log(p))
    expected = {"none": pointwise, "sum": pointwise.sum(), "batchmean": pointwise.sum() / 4}[reduction]
    out = F.kl_div(x, t, reduction=reduction, log_target=log_target)
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-12, atol=1e-15)
    if reduction == "batchmean":  # the true KL(q || p) per sample: sum_c q_c log(q_c / p_c), averaged
        assert np.isclose(out.item(), np.mean([np.sum(qi * np.log(qi / pi)) for pi, qi in zip(p, q)]))
    assert gradcheck(lambda a, b: nn.KLDivLoss(reduction=reduction, log_target=log_target)(a, b), [x, t])


def test_kl_div_mean_warns_like_pytorch_and_bad_input_raises():
    x, t = t64(KL_INPUT), t64(KL_TARGET)
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        F.kl_div(x, t)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.kl_div(x, t, reduction="batchmean")
        F.kl_div(x, t, size_average=True)  # the legacy arguments choose 'mean' without the warning (PyTorch's)
    assert F.kl_div(autograd.tensor(-1.0), autograd.tensor(0.5), reduction="batchmean").item() == pytest.approx(
        0.1534264087677002  # torch 2.13: a 0-d input's 'batchmean' is its sum
    )
    with pytest.raises(ValueError, match="kl_div: 'avg' is not a valid value for reduction .*'batchmean'"):
        F.kl_div(x, t, reduction="avg")
    with pytest.raises(ValueError, match="KLDivLoss: 'avg' is not a valid value for reduction"):
        nn.KLDivLoss(reduction="avg")
    with pytest.raises(ValueError, match=r"kl_div: target of shape \(1, 3\) differs from input of shape \(2, 3\)"):
        F.kl_div(x, t[:1], reduction="sum")
    with pytest.raises(TypeError, match="kl_div: input must have a floating point dtype"):
        F.kl_div(autograd.tensor([1, 2]), t64([0.5, 0.5]), reduction="sum")
    loss = nn.KLDivLoss(reduction="batchmean", log_target=True)
    assert repr(loss) == "KLDivLoss()" and loss.log_target and loss.reduction == "batchmean"


# ------------------------------------------------------------------------ BCE
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_bce_values_and_gradients(reduction):
    p, t = t64(rng.uniform(0.05, 0.95, (4, 2))), t64(rng.uniform(0, 1, (4, 2)))
    w = t64(rng.uniform(0.5, 2, (4, 2)), requires_grad=False)
    a, b = p.detach().numpy(), t.detach().numpy()
    expected = reduce(-w.numpy() * (b * np.log(a) + (1 - b) * np.log(1 - a)), reduction)
    np.testing.assert_allclose(F.binary_cross_entropy(p, t, w, reduction=reduction).detach().numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda x, y: nn.BCELoss(weight=w, reduction=reduction)(x, y), [p, t])


def test_bce_clamps_log_at_minus_100_like_pytorch():
    x, y = autograd.tensor([0.0, 1.0, 0.5], requires_grad=True), autograd.tensor([1.0, 0.0, 0.3])
    # torch 2.13: F.binary_cross_entropy gives 66.89771270751953 ('mean'), [100, 100, 0.6931] ('none')
    assert abs(F.binary_cross_entropy(x, y).item() - 66.89771270751953) < 1e-4
    np.testing.assert_allclose(F.binary_cross_entropy(x, y, reduction="none").detach().numpy(), [100, 100, 0.6931472], rtol=1e-6)
    F.binary_cross_entropy(x, y, reduction="sum").backward()
    # PyTorch's gradient (x - t) / max(x (1 - x), 1e-12): torch 2.13 gives -1e12 and 1e12 at the ends
    np.testing.assert_allclose(x.grad.numpy(), [-1e12, 1e12, 0.2 / 0.25], rtol=1e-6)
    with pytest.raises(RuntimeError, match="between 0 and 1"):
        F.binary_cross_entropy(autograd.tensor([1.5]), autograd.tensor([1.0]))


def test_bce_with_logits_values_gradients_and_pos_weight():
    x, t = t64(rng.standard_normal((5, 3)) * 3), t64(rng.uniform(0, 1, (5, 3)))
    pw = t64([1.0, 2.0, 0.5], requires_grad=False)
    w = t64(rng.uniform(0.5, 2, (5, 3)), requires_grad=False)
    a, b = x.detach().numpy(), t.detach().numpy()
    s = 1 / (1 + np.exp(-a))
    expected = -w.numpy() * (pw.numpy() * b * np.log(s) + (1 - b) * np.log(1 - s))
    out = F.binary_cross_entropy_with_logits(x, t, weight=w, pos_weight=pw, reduction="none")
    np.testing.assert_allclose(out.detach().numpy(), expected, rtol=1e-10)
    assert gradcheck(lambda x, t: nn.BCEWithLogitsLoss(weight=w, pos_weight=pw)(x, t), [x, t])


def test_bce_with_logits_is_exact_at_huge_logits():
    z = autograd.tensor([1e4, -1e4, 1e4, -1e4, 0.5], requires_grad=True)
    t = autograd.tensor([1.0, 1.0, 0.0, 0.0, 0.3])
    loss = F.binary_cross_entropy_with_logits(z, t, reduction="none", pos_weight=autograd.tensor(3.0))
    # torch 2.13: [0, 3e4, 1e4, 0, 1.1085] and gradient [0, -3, 1, 0, 0.0959]
    np.testing.assert_allclose(loss.detach().numpy(), [0.0, 3e4, 1e4, 0.0, 1.1085], rtol=1e-4, atol=1e-6)
    loss.sum().backward()
    np.testing.assert_allclose(z.grad.numpy(), [0.0, -3.0, 1.0, 0.0, 0.0959], rtol=1e-3, atol=1e-6)
    assert np.isfinite(F.binary_cross_entropy_with_logits(z, t).item())


# ------------------------------------------------------------ class losses
LOGITS = [[1.0, 2.0, 0.5], [0.1, -1.0, 3.0], [2.0, 2.0, -2.0], [0.0, 1.0, 0.0]]
TARGET = [1, 2, -100, 0]
WEIGHT = [0.2, 1.0, 3.0]


def with_weight_tensor(kwargs):
    return {k: t64(v, requires_grad=False) if k == "weight" else v for k, v in kwargs.items()}


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        # torch 2.13: F.cross_entropy(LOGITS (float64), TARGET, **kwargs)
        ({}, 0.6955292390001624),
        ({"weight": WEIGHT}, 0.2349953294704355),
        ({"label_smoothing": 0.1}, 0.7888625723334958),
        ({"weight": WEIGHT, "label_smoothing": 0.1}, 0.34676300613769384),
        ({"weight": WEIGHT, "label_smoothing": 0.1, "reduction": "sum"}, 1.4564046257783145),
        ({"weight": WEIGHT, "label_smoothing": 0.1, "reduction": "none"},
         [0.6396102021389294, 0.353665448514462, 0.0, 0.463128975124923]),
    ],
)
def test_cross_entropy_class_indices_match_pytorch(kwargs, expected):
    kwargs = with_weight_tensor(kwargs)
    x, t = t64(LOGITS), autograd.tensor(TARGET)
    np.testing.assert_allclose(F.cross_entropy(x, t, **kwargs).detach().numpy(), expected, rtol=1e-12)
    np.testing.assert_allclose(nn.CrossEntropyLoss(**kwargs)(x, t).detach().numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda a: F.cross_entropy(a, t, **kwargs), [x])


def test_cross_entropy_against_numpy_formula_and_second_derivative():
    a = rng.standard_normal((6, 4))
    t = rng.integers(0, 4, 6)
    logp = a - np.log(np.exp(a).sum(1, keepdims=True))
    x = t64(a)
    assert np.isclose(F.cross_entropy(x, autograd.tensor(t)).item(), -logp[np.arange(6), t].mean())
    F.cross_entropy(x, autograd.tensor(t)).backward()
    onehot = np.eye(4)[t]
    np.testing.assert_allclose(x.grad.numpy(), (np.exp(logp) - onehot) / 6, rtol=1e-10)
    w = t64([1.0, 2.0, 0.5, 1.5], requires_grad=False)

    def gradient(a):
        return autograd.grad(F.cross_entropy(a, autograd.tensor(t), weight=w), [a], create_graph=True)[0]

    assert gradcheck(gradient, [t64(a)])


@pytest.mark.parametrize(
    "kwargs,expected",
    [
        # torch 2.13: F.cross_entropy(LOGITS, softmax(PROBS_LOGITS, 1), **kwargs)
        ({}, 1.6928331176787208),
        ({"weight": WEIGHT}, 2.3498558933519047),
        ({"label_smoothing": 0.2}, 1.7003757127316221),
        ({"weight": WEIGHT, "label_smoothing": 0.2, "reduction": "none"},
         [3.6704107023373775, 1.7964420009786777, 2.346875180001585, 1.838689266171538]),
    ],
)
def test_cross_entropy_probability_targets_match_pytorch(kwargs, expected):
    kwargs = with_weight_tensor(kwargs)
    probs = F.softmax(t64([[1.0, 0, 2], [0.5, 0.5, 0], [3, 1, 1], [0, 0, 0]], requires_grad=False), 1)
    x = t64(LOGITS)
    np.testing.assert_allclose(F.cross_entropy(x, probs, **kwargs).detach().numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda a, p: F.cross_entropy(a, p, **kwargs), [x, probs.detach().requires_grad_()])


def test_cross_entropy_spatial_and_unbatched_inputs():
    a = rng.standard_normal((3, 4, 5))  # (N, C, d)
    t = rng.integers(0, 4, (3, 5))
    logp = a - np.log(np.exp(a).sum(1, keepdims=True))
    picked = np.take_along_axis(logp, t[:, None], 1)[:, 0]
    x = t64(a)
    np.testing.assert_allclose(F.cross_entropy(x, autograd.tensor(t), reduction="none").detach().numpy(), -picked, rtol=1e-12)
    assert gradcheck(lambda v: F.cross_entropy(v, autograd.tensor(t), label_smoothing=0.3), [x])
    single = F.cross_entropy(t64(a[0, :, 0]), autograd.tensor(t[0, 0]), reduction="none")
    assert single.shape == () and np.isclose(single.item(), -picked[0, 0])


def test_cross_entropy_all_ignored_is_nan_like_pytorch():
    assert np.isnan(F.cross_entropy(t64(LOGITS), autograd.tensor([-100] * 4)).item())
    np.testing.assert_allclose(
        F.cross_entropy(t64(LOGITS), autograd.tensor([0, 1, 1, 2]), ignore_index=1).item(),
        F.cross_entropy(t64([LOGITS[0], LOGITS[3]]), autograd.tensor([0, 2])).item(),
    )


@pytest.mark.parametrize("loss", ["cross_entropy", "smoothed", "weighted", "nll"])
def test_ignored_targets_get_no_gradient_even_when_all_are_ignored(loss):
    """PyTorch: a batch of padding alone has loss nan (0/0) but gradient 0, so a step leaves the weights
    as they are; an ignored sample among others gets exactly 0 too."""
    def run(target):
        x = t64(LOGITS)
        t = autograd.tensor(target)
        if loss == "nll":
            value = F.nll_loss(x.log_softmax(1), t)
        else:
            weight = t64([0.5, 2.0, 1.5], requires_grad=False) if loss == "weighted" else None
            value = F.cross_entropy(x, t, weight=weight, label_smoothing=0.2 if loss == "smoothed" else 0.0)
        value.backward()
        return value.item(), x.grad.numpy()

    value, grad = run([-100] * 4)
    assert np.isnan(value)
    np.testing.assert_array_equal(grad, np.zeros_like(LOGITS))
    value, grad = run([0, -100, 2, -100])
    assert np.isfinite(value)
    np.testing.assert_array_equal(grad[[1, 3]], 0.0)
    assert np.all(np.isfinite(grad)) and np.abs(grad[[0, 2]]).sum() > 0


def test_cross_entropy_with_zero_total_weight_has_nan_gradient_for_present_targets_only():
    x = t64(LOGITS)
    F.cross_entropy(x, autograd.tensor([0, -100, 0, 0]), weight=t64([0.0, 1.0, 1.0], requires_grad=False)).backward()
    assert np.isnan(x.grad.numpy()[[0, 2, 3]]).all()  # 0 * (1 / 0), as in PyTorch
    np.testing.assert_array_equal(x.grad.numpy()[1], 0.0)


def test_cross_entropy_bad_targets_name_the_expected_shape_and_dtype():
    x = autograd.randn(4, 3)
    with pytest.raises(ValueError, match=r"integer dtype.*use target.long\(\)"):
        F.cross_entropy(x, autograd.tensor([0.0, 1.0, 2.0, 0.0]))
    with pytest.raises(ValueError, match=r"integer tensor of shape \(4,\).*input's shape \(4, 3\).*shape \(3,\)"):
        F.cross_entropy(x, autograd.tensor([0.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match=r"class indices with shape \(4,\)"):
        F.cross_entropy(x, autograd.tensor([0, 1]))
    with pytest.raises(IndexError, match="Target 5 is out of bounds"):
        F.cross_entropy(x, autograd.tensor([0, 1, 5, 0]))
    with pytest.raises(IndexError, match="Target -1 is out of bounds"):
        nn.NLLLoss()(x, autograd.tensor([0, -1, 1, 0]))
    with pytest.raises(RuntimeError, match="ignore_index is not supported"):
        F.cross_entropy(x, F.softmax(x, 1), ignore_index=0)
    with pytest.raises(ValueError, match=r"weight must have shape \(3,\)"):
        F.cross_entropy(x, autograd.tensor([0, 1, 2, 0]), weight=autograd.ones(4))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_weighted_values_and_gradients(reduction):
    logp = t64(rng.standard_normal((5, 3)))
    t = np.array([0, 2, 1, 2, -100])
    w = np.array([0.5, 1.0, 2.0])
    kept = t != -100
    picked = -logp.detach().numpy()[np.arange(5), np.where(kept, t, 0)] * w[np.where(kept, t, 0)] * kept
    expected = {"none": picked, "sum": picked.sum(), "mean": picked.sum() / (w[t[kept]]).sum()}[reduction]
    loss = nn.NLLLoss(weight=t64(w, requires_grad=False), reduction=reduction)
    np.testing.assert_allclose(loss(logp, autograd.tensor(t)).detach().numpy(), expected, rtol=1e-12)
    assert gradcheck(lambda a: loss(a, autograd.tensor(t)), [logp])
    # torch 2.13: F.nll_loss(LOGITS, [0, 1, 2, 0], weight=WEIGHT) = 1.5455
    out = F.nll_loss(t64(LOGITS), autograd.tensor([0, 1, 2, 0]), weight=t64(WEIGHT, requires_grad=False))
    assert abs(out.item() - 1.5454545454545454) < 1e-9


def test_loss_modules_register_weights_as_buffers_and_repr():
    loss = nn.CrossEntropyLoss(weight=autograd.ones(3))
    assert list(loss.state_dict()) == ["weight"]
    assert repr(nn.CrossEntropyLoss()) == "CrossEntropyLoss()"
    assert list(nn.BCEWithLogitsLoss(pos_weight=autograd.ones(2)).state_dict()) == ["pos_weight"]
