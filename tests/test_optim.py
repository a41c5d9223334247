"""Tests for optim's optimizers: update rules written out in numpy, PyTorch's trajectories,
convergence, state round trips, scalar Value parameters, and PyTorch's errors."""
import copy
import math
import re

import numpy as np
import pytest

import autograd
import nn
import optim
from autograd import Tensor, Value

# ---------------------------------------------------------------------------------------------------
# A small problem with known gradients: f(θ) = Σ a θ²/2 + sin θ, so ∇f(θ) = a θ + cos θ (elementwise).
THETA0 = np.array([[0.5, -1.0, 2.0], [-0.3, 0.8, -1.5]])
A = np.array([[1.0, 2.0, 0.5], [3.0, 0.1, 1.0]])
STEPS = 6


def grad_of(theta):
    return A * theta + np.cos(theta)


CONFIGS = {
    "sgd_plain": ("SGD", dict(lr=0.1)),
    "sgd_momentum": ("SGD", dict(lr=0.1, momentum=0.9)),
    "sgd_dampening": ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.5)),
    "sgd_nesterov": ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True)),
    "sgd_weight_decay": ("SGD", dict(lr=0.1, momentum=0.5, weight_decay=0.1)),
    "sgd_maximize": ("SGD", dict(lr=0.01, momentum=0.9, weight_decay=0.1, maximize=True)),
    "adam": ("Adam", dict(lr=0.1)),
    "adam_amsgrad": ("Adam", dict(lr=0.1, betas=(0.8, 0.9), amsgrad=True)),
    "adam_weight_decay": ("Adam", dict(lr=0.1, weight_decay=0.1)),
    "adam_maximize": ("Adam", dict(lr=0.05, weight_decay=0.1, maximize=True)),
    "adamw": ("AdamW", dict(lr=0.1, weight_decay=0.1)),
    "adamw_amsgrad": ("AdamW", dict(lr=0.1, betas=(0.8, 0.9), amsgrad=True)),
    "rmsprop": ("RMSprop", dict()),
    "rmsprop_centered": ("RMSprop", dict(lr=0.01, centered=True)),
    "rmsprop_momentum": ("RMSprop", dict(lr=0.01, momentum=0.9)),
    "rmsprop_all": ("RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)),
    "adagrad": ("Adagrad", dict(lr=0.1)),
    "adagrad_decay": ("Adagrad", dict(lr=0.1, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.5)),
}

# θ after 6 steps of torch.optim (torch 2.13 CPU) on the problem above, in float64 and float32 (the
# gradient computed in float64 from the current θ, then cast). Produced once by running
# /tmp/torchenv/bin/python on the same loop (p.grad = torch.tensor(grad_of(p)); opt.step()) and
# hard-coded here: the project's tests never import torch.
TORCH_TRAJECTORY_END = {
    'sgd_plain': [[-0.18839610400768983, -0.5435620511826926, 1.6080867010176823], [-0.3152461633130163, 0.27179724883551964, -0.9671801559297643]],
    'sgd_plain_f32': [[-0.18839609622955322, -0.5435620546340942, 1.6080867052078247], [-0.3152461647987366, 0.2717972695827484, -0.9671801328659058]],
    'sgd_momentum': [[-1.2567946144240034, -0.02008650650885815, 0.7891770672919453], [-0.32664032753646943, -0.7562664119050483, -0.20535914313508233]],
    'sgd_momentum_f32': [[-1.2567945718765259, -0.020086515694856644, 0.7891770005226135], [-0.3266403377056122, -0.7562663555145264, -0.20535925030708313]],
    'sgd_dampening': [[-0.8135261565129643, -0.06381340776002017, 1.282412094993229], [-0.3302855920104388, -0.15498222677732407, -0.41799967838778423]],
    'sgd_dampening_f32': [[-0.8135260939598083, -0.06381341069936752, 1.2824119329452515], [-0.33028557896614075, -0.15498214960098267, -0.4179997742176056]],
    'sgd_nesterov': [[-1.1645513034953507, -0.265578405819703, 0.3559699855990421], [-0.3188226350797231, -1.1313339096929511, -0.3981690035053785]],
    'sgd_nesterov_f32': [[-1.1645512580871582, -0.26557838916778564, 0.3559700548648834], [-0.31882262229919434, -1.131333827972412, -0.39816904067993164]],
    'sgd_weight_decay': [[-0.5613334552710134, -0.3628826606041131, 1.1198117602013589], [-0.30835578090409116, -0.14943303183585946, -0.6730999226613876]],
    'sgd_weight_decay_f32': [[-0.5613334774971008, -0.3628826439380646, 1.1198116540908813], [-0.30835577845573425, -0.1494329571723938, -0.6730998754501343]],
    'sgd_maximize': [[0.7397072188758826, -1.2656446789407205, 2.0672956057000227], [-0.2830956360034011, 0.9211960916094186, -1.7429123985369293]],
    'sgd_maximize_f32': [[0.7397070527076721, -1.2656447887420654, 2.067295789718628], [-0.28309565782546997, 0.9211961030960083, -1.7429124116897583]],
    'adam': [[-0.09470571317629053, -0.4454220026506314, 1.39660774855504], [-0.2978188865815356, 0.19714860895171815, -0.9247295074409392]],
    'adam_f32': [[-0.09470567852258682, -0.44542190432548523, 1.3966076374053955], [-0.2978188991546631, 0.19714868068695068, -0.9247294664382935]],
    'adam_amsgrad': [[-0.09418158479865067, -0.45872948772761685, 1.3961306253042294], [-0.32064954875150986, 0.1968245424392603, -0.9292795487557971]],
    'adam_amsgrad_f32': [[-0.09418162703514099, -0.45872947573661804, 1.3961305618286133], [-0.32064956426620483, 0.19682446122169495, -0.9292794466018677]],
    'adam_weight_decay': [[-0.09396712224621527, -0.44265395959022874, 1.3974942294190318], [-0.27896484165187635, 0.1977195075953769, -0.9225482621277243]],
    'adam_weight_decay_f32': [[-0.09396715462207794, -0.44265395402908325, 1.3974940776824951], [-0.2789648175239563, 0.19771946966648102, -0.922548234462738]],
    'adam_maximize': [[0.8004265297420756, -1.3018416599122387, 2.2966897632736427], [-0.014898335336245273, 1.0970070275433805, -1.801635539291314]],
    'adam_maximize_f32': [[0.8004266023635864, -1.3018416166305542, 2.296689987182617], [-0.014898348599672318, 1.0970070362091064, -1.8016353845596313]],
    'adamw': [[-0.10890230015145863, -0.4095892282619921, 1.2941824731247282], [-0.3027627583077851, 0.16511918430857872, -0.8580488672896156]],
    'adamw_f32': [[-0.10890230536460876, -0.4095892012119293, 1.294182538986206], [-0.3027626872062683, 0.1651192009449005, -0.8580489158630371]],
    'adamw_amsgrad': [[-0.09564744340498593, -0.4552311755269861, 1.3856266703460738], [-0.32103332747650554, 0.19353204086151332, -0.9227507300170581]],
    'adamw_amsgrad_f32': [[-0.09564746916294098, -0.4552311599254608, 1.3856269121170044], [-0.3210333287715912, 0.19353201985359192, -0.92275071144104]],
    'rmsprop': [[0.1464471194444598, -0.6912648656398909, 1.6165425011686054], [-0.31674082726792363, 0.4194669815043506, -1.1738348804118532]],
    'rmsprop_f32': [[0.14644712209701538, -0.6912648677825928, 1.6165424585342407], [-0.31674084067344666, 0.4194670021533966, -1.1738348007202148]],
    'rmsprop_centered': [[0.14137095197181493, -0.687818251878949, 1.6104339585008711], [-0.3167418847355476, 0.41351717736496457, -1.1697359710739514]],
    'rmsprop_centered_f32': [[0.1413709670305252, -0.6878182291984558, 1.6104339361190796], [-0.3167418837547302, 0.4135172367095947, -1.1697359085083008]],
    'rmsprop_momentum': [[-0.6314507286384876, -0.1375021408779199, 0.6902953623824262], [-0.280660491737091, -0.4754341621394479, -0.5238905615113987]],
    'rmsprop_momentum_f32': [[-0.6314507126808167, -0.13750217854976654, 0.6902954578399658], [-0.2806605100631714, -0.4754340946674347, -0.5238906145095825]],
    'rmsprop_all': [[0.2597534579759746, -0.7739227769043043, 1.751838596190518], [-0.31240969804754154, 0.5510618840951127, -1.2680363936455725]],
    'rmsprop_all_f32': [[0.2597534656524658, -0.7739227414131165, 1.7518386840820312], [-0.3124096989631653, 0.5510618686676025, -1.2680363655090332]],
    'adagrad': [[0.14820785720100088, -0.6927719467456811, 1.618363366668966], [-0.31674394882715795, 0.4212642789871353, -1.1754716607656326]],
    'adagrad_f32': [[0.1482078731060028, -0.6927719116210938, 1.618363380432129], [-0.316743940114975, 0.42126426100730896, -1.1754716634750366]],
    'adagrad_decay': [[0.21693624860072058, -0.741285051192768, 1.732163246720869], [-0.307086259570991, 0.524914325206432, -1.2297027120140038]],
    'adagrad_decay_f32': [[0.21693627536296844, -0.7412850856781006, 1.7321633100509644], [-0.3070862591266632, 0.5249143242835999, -1.2297027111053467]],
}


# ---------------------------------------------------------------------------------------------------
# Each update rule written out in numpy, straight from the math in the class docstrings.
def reference_trajectory(cls_name, kw, steps=STEPS, theta0=THETA0):
    lr = kw.get("lr", {"SGD": 1e-3, "Adam": 1e-3, "AdamW": 1e-3, "RMSprop": 1e-2, "Adagrad": 1e-2}[cls_name])
    wd = kw.get("weight_decay", 1e-2 if cls_name == "AdamW" else 0.0)
    sign = -1.0 if kw.get("maximize") else 1.0
    theta = theta0.copy()
    m = np.zeros_like(theta)  # momentum buffer / first moment
    v = np.zeros_like(theta)  # second moment / square average / sum of squares
    v_max = np.zeros_like(theta)
    g_avg = np.zeros_like(theta)
    if cls_name == "Adagrad":
        v[...] = kw.get("initial_accumulator_value", 0.0)
    out = []
    for t in range(1, steps + 1):
        g = sign * grad_of(theta)
        if cls_name == "SGD":
            mu, tau = kw.get("momentum", 0.0), kw.get("dampening", 0.0)
            g = g + wd * theta
            if mu != 0:
                m = g.copy() if t == 1 else mu * m + (1 - tau) * g
                g = g + mu * m if kw.get("nesterov") else m
            theta = theta - lr * g
        elif cls_name in ("Adam", "AdamW"):
            b1, b2 = kw.get("betas", (0.9, 0.999))
            eps = kw.get("eps", 1e-8)
            if cls_name == "AdamW":
                theta = theta * (1 - lr * wd)
            else:
                g = g + wd * theta
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g**2
            m_hat = m / (1 - b1**t)
            if kw.get("amsgrad"):
                v_max = np.maximum(v_max, v)
                v_hat = v_max / (1 - b2**t)
            else:
                v_hat = v / (1 - b2**t)
            theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        elif cls_name == "RMSprop":
            alpha, eps, mu = kw.get("alpha", 0.99), kw.get("eps", 1e-8), kw.get("momentum", 0.0)
            g = g + wd * theta
            v = alpha * v + (1 - alpha) * g**2
            v_tilde = v
            if kw.get("centered"):
                g_avg = alpha * g_avg + (1 - alpha) * g
                v_tilde = v - g_avg**2
            if mu > 0:
                m = mu * m + g / (np.sqrt(v_tilde) + eps)
                theta = theta - lr * m
            else:
                theta = theta - lr * g / (np.sqrt(v_tilde) + eps)
        elif cls_name == "Adagrad":
            eps, decay = kw.get("eps", 1e-10), kw.get("lr_decay", 0.0)
            g = g + wd * theta
            clr = lr / (1 + (t - 1) * decay)
            v = v + g**2
            theta = theta - clr * g / (np.sqrt(v) + eps)
        out.append(theta)
    return out


def run_ours(cls_name, kw, dtype=np.float64, steps=STEPS):
    p = autograd.tensor(THETA0, dtype=dtype, requires_grad=True)
    opt = getattr(optim, cls_name)([p], **kw)
    out = []
    for _ in range(steps):
        p.grad = autograd.tensor(grad_of(p.detach().numpy().astype(np.float64)), dtype=dtype)
        opt.step()
        out.append(p.detach().numpy().copy())
    return p, opt, out


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_update_rule_matches_numpy_math_step_by_step(name):
    cls_name, kw = CONFIGS[name]
    _, _, ours = run_ours(cls_name, kw)
    expected = reference_trajectory(cls_name, kw)
    for t, (got, want) in enumerate(zip(ours, expected), start=1):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14, err_msg=f"{name}, step {t}")


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_trajectory_matches_pytorch_float64(name):
    cls_name, kw = CONFIGS[name]
    _, _, ours = run_ours(cls_name, kw)
    np.testing.assert_allclose(ours[-1], TORCH_TRAJECTORY_END[name], rtol=1e-13, atol=1e-15)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_trajectory_matches_pytorch_float32(name):
    cls_name, kw = CONFIGS[name]
    p, opt, ours = run_ours(cls_name, kw, dtype=np.float32)
    assert p.dtype == np.float32
    for state in opt.state.values():
        for key, value in state.items():
            assert value.dtype == np.float32, key  # state follows the parameter; step is float32 too
    np.testing.assert_allclose(ours[-1], TORCH_TRAJECTORY_END[name + "_f32"], rtol=2e-6, atol=2e-7)


def test_first_momentum_step_uses_the_gradient_itself_not_dampened():
    p = autograd.tensor([1.0, 2.0], dtype=autograd.float64, requires_grad=True)
    opt = optim.SGD([p], lr=0.5, momentum=0.9, dampening=0.5)
    p.grad = autograd.tensor([0.2, -0.4], dtype=autograd.float64)
    opt.step()
    np.testing.assert_array_equal(opt.state[p]["momentum_buffer"].numpy(), [0.2, -0.4])
    np.testing.assert_array_equal(p.detach().numpy(), [1.0 - 0.1, 2.0 + 0.2])
    opt.step()  # b = 0.9 b + 0.5 g
    np.testing.assert_allclose(opt.state[p]["momentum_buffer"].numpy(), [0.9 * 0.2 + 0.1, 0.9 * -0.4 - 0.2])


def test_adam_state_holds_moments_with_bias_correction_applied_in_the_step():
    p = autograd.tensor([3.0], dtype=autograd.float64, requires_grad=True)
    opt = optim.Adam([p], lr=0.1, eps=0.0)
    p.grad = autograd.tensor([2.0], dtype=autograd.float64)
    opt.step()
    state = opt.state[p]
    assert sorted(state) == ["exp_avg", "exp_avg_sq", "step"]
    assert state["step"].item() == 1.0
    np.testing.assert_allclose(state["exp_avg"].numpy(), [0.2])
    np.testing.assert_allclose(state["exp_avg_sq"].numpy(), [0.004])
    # m̂ = v̂^½ = |g| at the first step, so the first step has size lr whatever the gradient's scale.
    np.testing.assert_allclose(p.detach().numpy(), [2.9], rtol=1e-14)


# ---------------------------------------------------------------------------------------------------
# Convergence from a fixed start within a stated number of steps.
QUAD_A = np.array([[3.0, 1.0], [1.0, 2.0]])
QUAD_B = np.array([1.0, -1.0])
QUAD_MIN = np.linalg.solve(QUAD_A, QUAD_B)  # (0.6, -0.8)

# (optimizer, hyper-parameters, steps, tolerance on max |θ - θ*|)
QUADRATIC_RUNS = [
    ("SGD", dict(lr=0.1), 60, 1e-3),
    ("SGD", dict(lr=0.1, momentum=0.9), 150, 1e-3),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True), 60, 1e-3),
    ("Adam", dict(lr=0.1), 200, 1e-3),
    ("Adam", dict(lr=0.1, amsgrad=True), 200, 1e-3),
    ("AdamW", dict(lr=0.1, weight_decay=1e-4), 200, 1e-3),
    ("RMSprop", dict(lr=0.01), 600, 1e-3),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True), 300, 1e-3),
    ("Adagrad", dict(lr=0.5), 150, 1e-3),
]

ROSENBROCK_RUNS = [
    ("SGD", dict(lr=2e-3), 6000, 1e-3),
    ("SGD", dict(lr=1e-3, momentum=0.9), 2000, 1e-3),
    ("SGD", dict(lr=1e-3, momentum=0.9, nesterov=True), 2000, 1e-3),
    ("Adam", dict(lr=0.02, betas=(0.9, 0.99)), 1000, 1e-3),
    ("Adam", dict(lr=0.05, amsgrad=True), 2500, 1e-3),
    ("AdamW", dict(lr=0.05, weight_decay=1e-4), 2000, 1e-3),
    ("RMSprop", dict(lr=3e-4, momentum=0.9), 2500, 1e-3),
    ("RMSprop", dict(lr=1e-3, momentum=0.5, centered=True), 3500, 1e-3),
    ("Adagrad", dict(lr=1.0), 14000, 1e-3),
]


def _run_id(run):
    cls_name, kw, steps, _ = run
    return cls_name + "-" + "-".join(f"{k}={v}" for k, v in kw.items())


@pytest.mark.parametrize("run", QUADRATIC_RUNS, ids=_run_id)
def test_minimizes_a_quadratic_through_autograd_and_a_closure(run):
    # f(x) = ½ xᵀAx - bᵀx, minimum at A⁻¹b; the gradient comes from backward() inside the closure.
    cls_name, kw, steps, tol = run
    x = autograd.tensor([2.0, 2.0], dtype=autograd.float64, requires_grad=True)
    A, b = autograd.tensor(QUAD_A), autograd.tensor(QUAD_B)
    opt = getattr(optim, cls_name)([x], **kw)

    def closure():
        opt.zero_grad()
        loss = 0.5 * (x * (A @ x)).sum() - (b * x).sum()
        loss.backward()
        return loss

    for _ in range(steps):
        loss = opt.step(closure)
    assert np.abs(x.detach().numpy() - QUAD_MIN).max() < tol
    assert float(loss) == pytest.approx(-0.5 * QUAD_B @ QUAD_MIN, abs=1e-5)


def rosenbrock_grad(v):
    x, y = v
    return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)])


@pytest.mark.parametrize("run", ROSENBROCK_RUNS, ids=_run_id)
def test_minimizes_rosenbrock_from_a_fixed_start(run):
    # f(x, y) = (1 - x)² + 100 (y - x²)², minimum at (1, 1), start (-1.5, 2); analytic gradient (fast).
    cls_name, kw, steps, tol = run
    p = autograd.tensor([-1.5, 2.0], dtype=autograd.float64, requires_grad=True)
    opt = getattr(optim, cls_name)([p], **kw)
    for _ in range(steps):
        p.grad = autograd.tensor(rosenbrock_grad(p.detach().numpy()), dtype=autograd.float64)
        opt.step()
    assert np.abs(p.detach().numpy() - 1.0).max() < tol


# ---------------------------------------------------------------------------------------------------
# State: save mid-run, load into a fresh optimizer, continue: bit-for-bit the uninterrupted run.
ROUND_TRIP = [
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.05, amsgrad=True, weight_decay=0.01)),
    ("AdamW", dict(lr=0.05)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)),
]


def _two_group_params(dtype=np.float32):
    rng = np.random.default_rng(0)
    w = autograd.tensor(rng.standard_normal((3, 4)), dtype=dtype, requires_grad=True)
    b = autograd.tensor(rng.standard_normal(4), dtype=dtype, requires_grad=True)
    c = autograd.tensor(rng.standard_normal(2), dtype=dtype, requires_grad=True)
    return [w, b, c]


def _set_grads(params, t):
    for i, p in enumerate(params):
        values = p.detach().numpy()
        p.grad = autograd.tensor(np.sin(values * (i + 1) + t) + 0.1 * values, dtype=p.dtype)


def _make(cls_name, kw, params):
    return getattr(optim, cls_name)(
        [{"params": params[:2]}, {"params": params[2:], "lr": kw["lr"] / 2}], **kw
    )


def _uninterrupted(cls_name, kw, steps):
    params = _two_group_params()
    opt = _make(cls_name, kw, params)
    for t in range(steps):
        _set_grads(params, t)
        opt.step()
    return [p.detach().numpy().copy() for p in params]


def _resumed(cls_name, kw, steps, split, save, load):
    params = _two_group_params()
    opt = _make(cls_name, kw, params)
    for t in range(split):
        _set_grads(params, t)
        opt.step()
    checkpoint = save({"optimizer": opt.state_dict(), "params": [p.detach().numpy().copy() for p in params]})
    del opt, params
    loaded = load(checkpoint)
    params = [autograd.tensor(np.asarray(a), requires_grad=True) for a in loaded["params"]]
    fresh = _make(cls_name, kw, params)
    fresh.load_state_dict(loaded["optimizer"])
    for t in range(split, steps):
        _set_grads(params, t)
        fresh.step()
    return [p.detach().numpy().copy() for p in params]


@pytest.mark.parametrize("cls_name, kw", ROUND_TRIP, ids=[c for c, _ in ROUND_TRIP])
def test_state_dict_round_trip_in_memory_continues_bitwise(cls_name, kw):
    expected = _uninterrupted(cls_name, kw, 10)
    got = _resumed(cls_name, kw, 10, 4, save=copy.deepcopy, load=lambda c: c)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


@pytest.mark.parametrize("cls_name, kw", ROUND_TRIP, ids=[c for c, _ in ROUND_TRIP])
def test_state_saved_with_nn_save_continues_bitwise(cls_name, kw, tmp_path):
    if not hasattr(nn, "save"):
        pytest.skip("nn.save is not available yet (nn/serialization.py)")
    path = tmp_path / "checkpoint"

    def save(obj):
        nn.save(obj, path)
        return path

    expected = _uninterrupted(cls_name, kw, 10)
    got = _resumed(cls_name, kw, 10, 4, save=save, load=nn.load)
    for g, e in zip(got, expected):
        np.testing.assert_array_equal(g, e)


def test_state_dict_format_is_pytorchs():
    params = _two_group_params()
    opt = optim.SGD([{"params": params[:2]}, {"params": params[2:], "lr": 0.5}], lr=0.1, momentum=0.9)
    _set_grads(params, 0)
    params[1].grad = None  # skipped: gets no state
    opt.step()
    sd = opt.state_dict()
    assert sorted(sd) == ["param_groups", "state"]
    assert [g["params"] for g in sd["param_groups"]] == [[0, 1], [2]]
    assert sd["param_groups"][1]["lr"] == 0.5 and sd["param_groups"][0]["lr"] == 0.1
    assert sorted(sd["state"]) == [0, 2]
    assert sorted(sd["state"][0]) == ["momentum_buffer"]
    assert isinstance(sd["state"][0]["momentum_buffer"], Tensor)
    assert sd["param_groups"][0] == {
        "lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0, "nesterov": False, "maximize": False,
        "params": [0, 1],
    }


def test_load_state_dict_copies_casts_and_restores_hyper_parameters():
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    p.grad = autograd.tensor([0.5, 0.5])
    opt.step()
    sd = copy.deepcopy(opt.state_dict())
    sd["param_groups"][0]["lr"] = 0.01
    sd["param_groups"][0]["betas"] = [0.5, 0.6]  # as after a JSON round trip
    sd["state"] = {"0": {k: v.numpy().astype(np.float64) for k, v in sd["state"][0].items()}}
    q = autograd.tensor([1.0, 2.0], requires_grad=True)
    fresh = optim.Adam([q], lr=0.1)
    fresh.load_state_dict(sd)
    assert fresh.param_groups[0]["lr"] == 0.01 and fresh.param_groups[0]["betas"] == (0.5, 0.6)
    assert fresh.param_groups[0]["params"][0] is q
    state = fresh.state[q]
    assert state["exp_avg"].dtype == np.float32 and state["step"].item() == 1.0
    sd["state"]["0"]["exp_avg"][...] = 123.0  # the loaded state owns its memory
    assert state["exp_avg"].numpy()[0] != 123.0


def test_load_state_dict_rejects_mismatched_groups():
    params = _two_group_params()
    opt = optim.SGD([{"params": params[:2]}, {"params": params[2:]}], lr=0.1)
    one_group = optim.SGD(params, lr=0.1)
    with pytest.raises(ValueError, match="different number of parameter groups"):
        one_group.load_state_dict(opt.state_dict())
    other = optim.SGD([{"params": params[:1]}, {"params": params[1:]}], lr=0.1)
    with pytest.raises(ValueError, match="doesn't match the size"):
        other.load_state_dict(opt.state_dict())


def test_load_state_dict_rejects_state_of_the_wrong_shape():
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    sd = {"state": {0: {"momentum_buffer": np.zeros(3, np.float32)}}, "param_groups": opt.state_dict()["param_groups"]}
    with pytest.raises(ValueError, match=r"momentum_buffer.*shape \(3,\).*\(2,\)"):
        opt.load_state_dict(sd)


# ---------------------------------------------------------------------------------------------------
# The Optimizer API.
def test_step_returns_the_closure_loss_and_runs_it_with_grad_enabled():
    p = autograd.tensor([1.0, -1.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.25)
    seen = []

    def closure():
        seen.append(autograd.is_grad_enabled())
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with autograd.no_grad():
        loss = opt.step(closure)
    assert seen == [True]
    assert loss.item() == 2.0
    np.testing.assert_array_equal(p.detach().numpy(), [0.5, -0.5])
    assert opt.step() is None


def test_update_is_in_place_and_records_no_graph():
    p = autograd.tensor(np.ones((2, 3)), requires_grad=True)
    array = p._array
    opt = optim.Adam([p], lr=0.1)
    p.grad = autograd.ones(2, 3)
    opt.step()
    assert p._array is array and p.grad_fn is None and p.requires_grad and p.is_leaf
    assert not np.array_equal(array, np.ones((2, 3)))


@pytest.mark.parametrize("name", ["sgd_nesterov", "sgd_maximize", "adam_amsgrad", "adam_maximize", "adamw",
                                  "rmsprop_all", "adagrad_decay"])
def test_a_step_allocates_nothing_parameter_sized_after_the_first(name):
    import tracemalloc

    cls_name, kw = CONFIGS[name]
    p = autograd.tensor(np.ones((500, 200)), requires_grad=True)  # 400 KB of float32
    p.grad = autograd.tensor(np.full((500, 200), 0.5))
    opt = getattr(optim, cls_name)([p], **kw)
    opt.step()  # creates the state buffers and the scratch workspace
    tracemalloc.start()
    try:
        opt.step()
        opt.step()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20_000, peak


def test_parameters_without_grad_are_skipped():
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    q = autograd.tensor([3.0], requires_grad=True)
    for opt in (optim.SGD([p, q], lr=0.1, momentum=0.9), optim.Adam([p, q]), optim.RMSprop([p, q]), optim.Adagrad([p, q])):
        p.grad = autograd.tensor([1.0, 1.0])
        q.grad = None
        before = q.detach().numpy().copy()
        opt.step()
        np.testing.assert_array_equal(q.detach().numpy(), before)
        assert not opt.state.get(q) or set(opt.state[q]) == {"step", "sum"}  # Adagrad's eager state
        if isinstance(opt, optim.Adagrad):
            assert opt.state[q]["step"].item() == 0.0


def test_zero_grad_sets_to_none_or_zeros_in_place():
    p = autograd.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    (p * p).sum().backward()
    opt.zero_grad()
    assert p.grad is None
    (p * p).sum().backward()
    grad = p.grad
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and np.array_equal(grad.numpy(), [0.0, 0.0])


def test_param_groups_have_their_own_hyper_parameters_and_defaults():
    a = autograd.tensor([1.0], requires_grad=True)
    b = autograd.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1, momentum=0.9)
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["momentum"] == 0.9 and opt.param_groups[1]["params"] == [b]
    a.grad = autograd.tensor([1.0])
    b.grad = autograd.tensor([1.0])
    opt.step()
    assert a.item() == pytest.approx(0.9) and b.item() == pytest.approx(0.5)
    c = autograd.tensor([1.0], requires_grad=True)
    opt.add_param_group({"params": [c], "momentum": 0.0})
    assert opt.param_groups[2]["lr"] == 0.1 and opt.param_groups[2]["momentum"] == 0.0
    assert opt.defaults["lr"] == 0.1


def test_repr_lists_each_group_like_pytorch():
    p = autograd.tensor([1.0], requires_grad=True)
    opt = optim.SGD([p], lr=0.1, momentum=0.9)
    assert repr(opt) == (
        "SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: False\n    momentum: 0.9\n"
        "    nesterov: False\n    weight_decay: 0\n)"
    )


def test_adamw_defaults_and_decoupled_flag():
    p = autograd.tensor([1.0], requires_grad=True)
    opt = optim.AdamW([p])
    group = opt.param_groups[0]
    assert group["weight_decay"] == 1e-2 and group["decoupled_weight_decay"] is True
    assert group["lr"] == 1e-3 and group["betas"] == (0.9, 0.999) and group["eps"] == 1e-8
    assert optim.Adam([p]).param_groups[0]["weight_decay"] == 0


def test_defaults_match_pytorch():
    p = autograd.tensor([1.0], requires_grad=True)
    r = optim.RMSprop([p]).defaults
    assert (r["lr"], r["alpha"], r["eps"], r["weight_decay"], r["momentum"], r["centered"]) == (1e-2, 0.99, 1e-8, 0, 0, False)
    a = optim.Adagrad([p]).defaults
    assert (a["lr"], a["lr_decay"], a["weight_decay"], a["initial_accumulator_value"], a["eps"]) == (1e-2, 0, 0, 0, 1e-10)
    assert optim.SGD([p]).defaults["lr"] == 1e-3


# ---------------------------------------------------------------------------------------------------
# Errors, with PyTorch's wording.
def _p():
    return autograd.tensor([1.0, 2.0], requires_grad=True)


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda p: optim.SGD(p, lr=0.1), TypeError, "iterable of Tensors or dicts, but got autograd.Tensor"),
        (lambda p: optim.SGD(Value(1.0), lr=0.1), TypeError, "iterable of Tensors or dicts"),
        (lambda p: optim.SGD([], lr=0.1), ValueError, "optimizer got an empty parameter list"),
        (lambda p: optim.Adam(iter([])), ValueError, "optimizer got an empty parameter list"),
        (lambda p: optim.SGD([p, p], lr=0.1), ValueError, "duplicate parameters"),
        (lambda p: optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1), ValueError,
         "some parameters appear in more than one parameter group"),
        (lambda p: optim.SGD([p], lr=-0.1), ValueError, "Invalid learning rate: -0.1"),
        (lambda p: optim.SGD([{"params": [p], "lr": -1.0}], lr=0.1), ValueError, "Invalid learning rate: -1.0"),
        (lambda p: optim.Adam([p], lr=-1e-3), ValueError, "Invalid learning rate"),
        (lambda p: optim.SGD([p], lr=0.1, momentum=-0.5), ValueError, "Invalid momentum value: -0.5"),
        (lambda p: optim.SGD([p], lr=0.1, weight_decay=-1), ValueError, "Invalid weight_decay value: -1"),
        (lambda p: optim.SGD([p], lr=0.1, nesterov=True), ValueError,
         "Nesterov momentum requires a momentum and zero dampening"),
        (lambda p: optim.SGD([p], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError,
         "Nesterov momentum requires a momentum and zero dampening"),
        (lambda p: optim.Adam([p], betas=(1.0, 0.999)), ValueError, "Invalid beta parameter at index 0: 1.0"),
        (lambda p: optim.Adam([p], betas=(0.9, -0.1)), ValueError, "Invalid beta parameter at index 1: -0.1"),
        (lambda p: optim.AdamW([p], betas=(0.9, 1.5)), ValueError, "Invalid beta parameter at index 1: 1.5"),
        (lambda p: optim.Adam([p], betas=0.9), ValueError, "betas must be a pair"),
        (lambda p: optim.Adam([p], eps=-1e-8), ValueError, "Invalid epsilon value: -1e-08"),
        (lambda p: optim.RMSprop([p], eps=-1.0), ValueError, "Invalid epsilon value"),
        (lambda p: optim.RMSprop([p], alpha=-0.1), ValueError, "Invalid alpha value: -0.1"),
        (lambda p: optim.RMSprop([p], momentum=-0.1), ValueError, "Invalid momentum value"),
        (lambda p: optim.Adagrad([p], lr_decay=-1), ValueError, "Invalid lr_decay value: -1"),
        (lambda p: optim.Adagrad([p], eps=-1), ValueError, "Invalid epsilon value"),
        (lambda p: optim.Adagrad([p], initial_accumulator_value=-1), ValueError, "Invalid initial_accumulator_value"),
        (lambda p: optim.SGD([p, 3.0], lr=0.1), TypeError, "optimizer can only optimize Tensors and Values"),
        (lambda p: optim.SGD([p * 2], lr=0.1), ValueError, "can't optimize a non-leaf Tensor"),
        (lambda p: optim.SGD({p}, lr=0.1), TypeError, "ordered collections"),
    ],
)
def test_bad_arguments_raise_clear_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make(_p())


def test_add_param_group_checks_its_argument():
    opt = optim.SGD([_p()], lr=0.1)
    with pytest.raises(TypeError, match="param_group must be a dict"):
        opt.add_param_group([_p()])
    with pytest.raises(ValueError, match="Invalid momentum value"):
        opt.add_param_group({"params": [_p()], "momentum": -1})
    with pytest.raises(ValueError, match="more than one parameter group"):
        opt.add_param_group({"params": opt.param_groups[0]["params"]})


# ---------------------------------------------------------------------------------------------------
# Parameters given as model.named_parameters(): (name, parameter) pairs, names kept as 'param_names'.
def _mlp():
    autograd.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))


def _train(model, opt, steps=5):
    x = autograd.tensor([[0.5, -1.0], [2.0, 0.3], [-0.7, 0.1]])
    for _ in range(steps):
        opt.zero_grad()
        (model(x) ** 2).mean().backward()
        opt.step()
    return [p.detach().numpy().copy() for p in model.parameters()]


@pytest.mark.parametrize("cls_name, kw", [("SGD", dict(lr=0.1, momentum=0.9)), ("Adam", dict(lr=0.01))])
def test_named_parameters_train_exactly_like_parameters(cls_name, kw):
    model = _mlp()
    opt = getattr(optim, cls_name)(model.named_parameters(), **kw)
    assert opt.param_groups[0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert all(isinstance(p, nn.Parameter) for p in opt.param_groups[0]["params"])
    named = _train(model, opt)
    model = _mlp()
    plain = _train(model, getattr(optim, cls_name)(model.parameters(), **kw))
    for a, b in zip(named, plain):
        np.testing.assert_array_equal(a, b)


def test_named_parameter_groups_and_state_dict_are_pytorchs():
    model = _mlp()
    opt = optim.SGD(
        [{"params": list(model[0].named_parameters()), "lr": 0.01}, {"params": model[2].named_parameters()}],
        lr=0.1, momentum=0.9,
    )
    # Key order as in torch 2.13 (the group's own keys, then param_names, then the defaults).
    assert list(opt.param_groups[0]) == [
        "params", "lr", "param_names", "momentum", "dampening", "weight_decay", "nesterov", "maximize",
    ]
    assert list(opt.param_groups[1])[:3] == ["params", "param_names", "lr"]
    assert [g["param_names"] for g in opt.param_groups] == [["weight", "bias"], ["weight", "bias"]]
    _train(model, opt, steps=1)
    sd = opt.state_dict()
    assert sd["param_groups"][1] == {
        "param_names": ["weight", "bias"], "lr": 0.1, "momentum": 0.9, "dampening": 0, "weight_decay": 0,
        "nesterov": False, "maximize": False, "params": [2, 3],
    }
    assert sorted(sd["state"]) == [0, 1, 2, 3]
    assert "param_names: ['weight', 'bias']" in repr(opt)


def test_named_state_dict_round_trips_and_names_follow_pytorchs_rules(tmp_path):
    model = _mlp()
    opt = optim.Adam(model.named_parameters(), lr=0.01)
    _train(model, opt, steps=2)
    nn.save(opt.state_dict(), tmp_path / "opt")
    loaded = nn.load(tmp_path / "opt")
    assert loaded["param_groups"][0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    expected = _train(model, opt, steps=3)

    model2 = _mlp()
    _train(model2, optim.Adam(model2.parameters(), lr=0.01), steps=2)
    fresh = optim.Adam(model2.parameters(), lr=0.01)  # unnamed: loading a named state adds the names
    fresh.load_state_dict(loaded)
    assert fresh.param_groups[0]["param_names"] == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for a, b in zip(_train(model2, fresh, steps=3), expected):
        np.testing.assert_array_equal(a, b)

    # Saved names replace a group's; a saved state without names leaves them as they are (torch 2.13).
    named = optim.SGD(_mlp().named_parameters(), lr=0.1)
    sd = copy.deepcopy(named.state_dict())
    sd["param_groups"][0]["param_names"] = ["a", "b", "c", "d"]
    named.load_state_dict(sd)
    assert named.param_groups[0]["param_names"] == ["a", "b", "c", "d"]
    named.load_state_dict(optim.SGD(_mlp().parameters(), lr=0.3).state_dict())
    assert named.param_groups[0]["param_names"] == ["a", "b", "c", "d"] and named.param_groups[0]["lr"] == 0.3


def test_named_and_unnamed_parameters_do_not_mix():
    model = _mlp()
    w, b = model[0].weight, model[0].bias
    with pytest.raises(ValueError, match="all optimizer params should be with/without names. Some param names are missing"):
        optim.SGD([("w", w), b], lr=0.1)
    with pytest.raises(ValueError, match="cannot add param group without names to the optimizer"):
        optim.SGD([{"params": [("w", w)]}, {"params": [b]}], lr=0.1)
    opt = optim.SGD([w], lr=0.1)
    with pytest.raises(ValueError, match="cannot add param group with names to the optimizer"):
        opt.add_param_group({"params": [("b", b)]})
    with pytest.raises(ValueError, match=r"a \(name, parameter\) pair.*tuple of length 3"):
        optim.SGD([("w", w, 1)], lr=0.1)
    with pytest.raises(TypeError, match="one of the params is float"):
        optim.SGD([("w", 1.0)], lr=0.1)


def test_named_scalar_values_are_accepted():
    a, b = Value(1.0), Value(-2.0)
    opt = optim.SGD([("a", a), ("b", b)], lr=0.5)
    a.grad, b.grad = 2.0, -4.0
    opt.step()
    assert (a.data, b.data) == (0.0, 0.0) and opt.param_groups[0]["param_names"] == ["a", "b"]


# ---------------------------------------------------------------------------------------------------
# Scalar parameters: autograd.Value (plain floats) through the same code path.
class StandIn:
    """Any object with float .data and .grad is a scalar parameter."""

    def __init__(self, data):
        self.data = data
        self.grad = 0.0


@pytest.mark.parametrize("name", sorted(CONFIGS))
@pytest.mark.parametrize("kind", [Value, StandIn])
def test_scalar_parameters_follow_exactly_the_tensor_trajectory(name, kind):
    cls_name, kw = CONFIGS[name]
    values = [kind(float(x)) for x in THETA0.ravel()]
    tensors = [autograd.tensor(float(x), dtype=autograd.float64, requires_grad=True) for x in THETA0.ravel()]
    opt_v = getattr(optim, cls_name)(values, **kw)
    opt_t = getattr(optim, cls_name)(tensors, **kw)
    a = A.ravel()
    for _ in range(STEPS):
        for i, (v, t) in enumerate(zip(values, tensors)):
            v.grad = a[i] * v.data + math.cos(v.data)
            t.grad = autograd.tensor(a[i] * t.item() + math.cos(t.item()), dtype=autograd.float64)
        opt_v.step()
        opt_t.step()
        assert [v.data for v in values] == [t.item() for t in tensors]
        assert all(type(v.data) is float for v in values)
    np.testing.assert_allclose([v.data for v in values], reference_trajectory(cls_name, kw)[-1].ravel(), rtol=1e-12)


def test_scalar_value_state_round_trip_continues_bitwise():
    def run(split=None):
        values = [Value(x) for x in (0.5, -1.0, 2.0)]
        opt = optim.Adam(values, lr=0.1, amsgrad=True)
        for t in range(8):
            if t == split:
                saved = copy.deepcopy(opt.state_dict())
                data = [v.data for v in values]
                values = [Value(x) for x in data]
                opt = optim.Adam(values, lr=0.1, amsgrad=True)
                opt.load_state_dict(saved)
            for v in values:
                v.grad = math.sin(3 * v.data + t)
            opt.step()
        return [v.data for v in values]

    assert run(split=3) == run()


def test_zero_grad_on_values_sets_zero_and_none_grad_is_skipped():
    a, b = Value(1.0), Value(2.0)
    opt = optim.SGD([a, b], lr=0.5)
    a.grad, b.grad = 1.0, None
    opt.step()
    assert (a.data, b.data) == (0.5, 2.0)
    opt.zero_grad()
    assert a.grad == 0.0 and b.grad is None


def _xor_like_data():
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    ys = [1.0, -1.0, -1.0, 1.0]
    return xs, ys


@pytest.mark.parametrize(
    "cls_name, kw, steps",
    [("SGD", dict(lr=0.02), 100), ("SGD", dict(lr=0.005, momentum=0.9), 100), ("Adam", dict(lr=0.05), 100),
     ("AdamW", dict(lr=0.05), 100), ("RMSprop", dict(lr=0.01), 100), ("Adagrad", dict(lr=0.1), 100)],
)
def test_optimizers_train_the_scalar_mlp(cls_name, kw, steps):
    # micrograd's demo problem: fit 4 points with an MLP of Values; the loss must fall 50-fold.
    autograd.manual_seed(0)
    model = nn.MLP(3, [4, 4, 1])
    opt = getattr(optim, cls_name)(model.parameters(), **kw)
    xs, ys = _xor_like_data()

    def closure():
        opt.zero_grad()
        loss = sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))
        loss.backward()
        return loss

    first = opt.step(closure).data
    for _ in range(steps - 1):
        last = opt.step(closure).data
    assert last < first / 50, (first, last)
