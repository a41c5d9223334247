"""Tests for optim.lr_scheduler: each schedule against its closed form and against PyTorch's values."""
import copy
import math
import re
import warnings

import numpy as np
import pytest

import autograd
import nn
import optim
from optim import lr_scheduler as L

# get_last_lr() after creation and after each of 15 steps, for two param groups (lr 0.1 and 0.05,
# SGD with momentum 0.9 unless noted), and the groups' momentum (SGD) or beta1 (Adam) for OneCycleLR.
# Produced once with torch 2.13 (/tmp/torchenv/bin/python) by the same loop as `run` below and
# hard-coded here; the project's tests never import torch.
TORCH = {
    'lambda': [[0.1, 0.05], [0.05, 0.025], [0.03333333333333333, 0.016666666666666666], [0.025, 0.0125], [0.020000000000000004, 0.010000000000000002], [0.016666666666666666, 0.008333333333333333], [0.014285714285714285, 0.007142857142857143], [0.0125, 0.00625], [0.011111111111111112, 0.005555555555555556], [0.010000000000000002, 0.005000000000000001], [0.009090909090909092, 0.004545454545454546], [0.008333333333333333, 0.004166666666666667], [0.007692307692307693, 0.0038461538461538464], [0.007142857142857143, 0.0035714285714285713], [0.006666666666666667, 0.0033333333333333335], [0.00625, 0.003125]],
    'step': [[0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.05, 0.025], [0.05, 0.025], [0.05, 0.025], [0.05, 0.025], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.0125, 0.00625], [0.0125, 0.00625], [0.0125, 0.00625], [0.0125, 0.00625]],
    'multistep': [[0.1, 0.05], [0.1, 0.05], [0.03, 0.015], [0.03, 0.015], [0.03, 0.015], [0.0026999999999999997, 0.0013499999999999999], [0.0026999999999999997, 0.0013499999999999999], [0.0026999999999999997, 0.0013499999999999999], [0.0026999999999999997, 0.0013499999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999], [0.0008099999999999998, 0.0004049999999999999]],
    'exponential': [[0.1, 0.05], [0.09000000000000001, 0.045000000000000005], [0.08100000000000002, 0.04050000000000001], [0.07290000000000002, 0.03645000000000001], [0.06561000000000002, 0.03280500000000001], [0.05904900000000002, 0.02952450000000001], [0.05314410000000002, 0.02657205000000001], [0.04782969000000002, 0.02391484500000001], [0.043046721000000024, 0.021523360500000012], [0.03874204890000002, 0.01937102445000001], [0.03486784401000002, 0.01743392200500001], [0.03138105960900001, 0.015690529804500006], [0.028242953648100012, 0.014121476824050006], [0.025418658283290013, 0.012709329141645007], [0.022876792454961013, 0.011438396227480507], [0.020589113209464913, 0.010294556604732457]],
    'cosine': [[0.1, 0.05], [0.09336825748732973, 0.046717622392718754], [0.07525000000000001, 0.037750000000000006], [0.0505, 0.025500000000000002], [0.025750000000000012, 0.013250000000000005], [0.007631742512670284, 0.004282377607281252], [0.001, 0.001], [0.007631742512670284, 0.004282377607281252], [0.025750000000000002, 0.013250000000000001], [0.05050000000000004, 0.02550000000000002], [0.07525000000000008, 0.03775000000000004], [0.0933682574873298, 0.04671762239271879], [0.1000000000000001, 0.05000000000000005], [0.09336825748732981, 0.046717622392718795], [0.07525000000000011, 0.037750000000000054], [0.050500000000000114, 0.025500000000000054]],
    'linear': [[0.025, 0.0125], [0.035833333333333335, 0.017916666666666668], [0.046666666666666676, 0.023333333333333338], [0.057500000000000016, 0.028750000000000008], [0.06833333333333334, 0.03416666666666667], [0.07916666666666669, 0.039583333333333345], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001], [0.09000000000000002, 0.04500000000000001]],
    'onecycle_cos': [[0.040000000000000036, 0.020000000000000018], [0.2207248951078079, 0.11036244755390395], [0.6268100482990309, 0.31340502414951543], [0.9524650565931612, 0.4762325282965806], [0.9944154354509117, 0.49720771772545586], [0.9504846320134737, 0.47524231600673683], [0.8665264698111694, 0.4332632349055847], [0.750001, 0.3750005], [0.6112620219362893, 0.30563101096814466], [0.46263710266697505, 0.23131855133348753], [0.31733221849885124, 0.15866610924942562], [0.18825834605023697, 0.09412917302511849], [0.08688426531955129, 0.043442132659775645], [0.02221750825254118, 0.01110875412627059], [4e-06, 2e-06], [0.022217508252541235, 0.011108754126270617]],
    'onecycle_cos_momentum': [[0.95, 0.95], [0.9311744900929366, 0.9311744900929366], [0.8888739533021842, 0.8888739533021842], [0.854951556604879, 0.854951556604879], [0.8505584586887436, 0.8505584586887436], [0.854951556604879, 0.854951556604879], [0.8633474064085087, 0.8633474064085087], [0.875, 0.875], [0.8888739533021842, 0.8888739533021842], [0.9037365046793212, 0.9037365046793212], [0.9182670512183198, 0.9182670512183198], [0.9311744900929366, 0.9311744900929366], [0.9413119387157997, 0.9413119387157997], [0.947778640289307, 0.947778640289307], [0.95, 0.95], [0.947778640289307, 0.947778640289307]],
    'onecycle_linear3': [[0.04, 0.04], [0.232, 0.232], [0.424, 0.424], [0.616, 0.616], [0.808, 0.808], [1.0, 1.0], [0.808, 0.808], [0.616, 0.616], [0.42400000000000004, 0.42400000000000004], [0.23199999999999998, 0.23199999999999998], [0.040000000000000036, 0.040000000000000036], [0.030001, 0.030001], [0.020002, 0.020002], [0.010002999999999998, 0.010002999999999998], [3.9999999999970615e-06, 3.9999999999970615e-06], [-0.009995000000000004, -0.009995000000000004]],
    'onecycle_linear3_momentum': [[0.95, 0.95], [0.9299999999999999, 0.9299999999999999], [0.9099999999999999, 0.9099999999999999], [0.89, 0.89], [0.87, 0.87], [0.85, 0.85], [0.87, 0.87], [0.89, 0.89], [0.9099999999999999, 0.9099999999999999], [0.9299999999999999, 0.9299999999999999], [0.95, 0.95], [0.95, 0.95], [0.95, 0.95], [0.95, 0.95], [0.95, 0.95], [0.95, 0.95]],
    'onecycle_adam': [[0.01200000000000001, 0.01200000000000001], [0.06621746853234237, 0.06621746853234237], [0.18804301448970928, 0.18804301448970928], [0.2857395169779483, 0.2857395169779483], [0.29832463063527354, 0.29832463063527354], [0.2851453896040421, 0.2851453896040421], [0.25995794094335084, 0.25995794094335084], [0.22500030000000001, 0.22500030000000001], [0.18337860658088678, 0.18337860658088678], [0.13879113080009253, 0.13879113080009253], [0.09519966554965538, 0.09519966554965538], [0.05647750381507109, 0.05647750381507109], [0.02606527959586539, 0.02606527959586539], [0.006665252475762353, 0.006665252475762353], [1.2e-06, 1.2e-06], [0.0066652524757623705, 0.0066652524757623705]],
    'onecycle_adam_beta1': [[0.9, 0.9], [0.8811744900929367, 0.8811744900929367], [0.8388739533021843, 0.8388739533021843], [0.804951556604879, 0.804951556604879], [0.8005584586887436, 0.8005584586887436], [0.804951556604879, 0.804951556604879], [0.8133474064085088, 0.8133474064085088], [0.8250000000000001, 0.8250000000000001], [0.8388739533021843, 0.8388739533021843], [0.8537365046793213, 0.8537365046793213], [0.8682670512183198, 0.8682670512183198], [0.8811744900929367, 0.8811744900929367], [0.8913119387157997, 0.8913119387157997], [0.8977786402893071, 0.8977786402893071], [0.9, 0.9], [0.8977786402893071, 0.8977786402893071]],
    'plateau_min': [[0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.05, 0.025], [0.05, 0.025], [0.05, 0.025], [0.05, 0.025], [0.05, 0.025], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.02, 0.00625], [0.02, 0.00625]],
    'plateau_max_abs': [[0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.010000000000000002, 0.005000000000000001], [0.010000000000000002, 0.005000000000000001], [0.010000000000000002, 0.005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001], [0.0010000000000000002, 0.0005000000000000001]],
}

PLATEAU_MIN_METRICS = [1.0, 0.9, 0.95, 0.95, 0.95, 0.95, 0.8, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85, 0.85]
PLATEAU_MAX_METRICS = [1.0, 1.05, 1.2, 1.2001, 1.2002, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3, 1.3]


def make_optimizer(cls_name="SGD"):
    params = [autograd.zeros(1, requires_grad=True), autograd.zeros(1, requires_grad=True)]
    kw = {"lr": 0.1, "momentum": 0.9} if cls_name == "SGD" else {"lr": 0.1}
    return getattr(optim, cls_name)([{"params": [params[0]]}, {"params": [params[1]], "lr": 0.05}], **kw)


def momenta(opt):
    return [g["betas"][0] if "betas" in g else g["momentum"] for g in opt.param_groups]


def run(make, cls_name="SGD", steps=15, metrics=None):
    opt = make_optimizer(cls_name)
    scheduler = make(opt)
    lrs, moms = [scheduler.get_last_lr()], [momenta(opt)]
    for i in range(steps):
        opt.step()
        scheduler.step() if metrics is None else scheduler.step(metrics[i])
        lrs.append(scheduler.get_last_lr())
        moms.append(momenta(opt))
    return lrs, moms


CASES = {
    "lambda": lambda o: L.LambdaLR(o, lambda e: 1.0 / (1 + e)),
    "step": lambda o: L.StepLR(o, step_size=4, gamma=0.5),
    "multistep": lambda o: L.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "exponential": lambda o: L.ExponentialLR(o, gamma=0.9),
    "cosine": lambda o: L.CosineAnnealingLR(o, T_max=6, eta_min=0.001),
    "linear": lambda o: L.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=6),
    "onecycle_cos": lambda o: L.OneCycleLR(o, max_lr=[1.0, 0.5], total_steps=15),
    "onecycle_linear3": lambda o: L.OneCycleLR(
        o, max_lr=1.0, total_steps=15, anneal_strategy="linear", three_phase=True, pct_start=0.4
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_schedule_matches_pytorch_step_by_step(name):
    lrs, moms = run(CASES[name])
    np.testing.assert_allclose(lrs, TORCH[name], rtol=1e-13, atol=1e-16)
    if name.startswith("onecycle"):
        np.testing.assert_allclose(moms, TORCH[name + "_momentum"], rtol=1e-13)


def test_onecycle_cycles_adams_beta1_and_keeps_beta2():
    make = lambda o: L.OneCycleLR(o, max_lr=0.3, epochs=3, steps_per_epoch=5, base_momentum=0.8, max_momentum=0.9)
    lrs, moms = run(make, cls_name="Adam")
    np.testing.assert_allclose(lrs, TORCH["onecycle_adam"], rtol=1e-13)
    np.testing.assert_allclose(moms, TORCH["onecycle_adam_beta1"], rtol=1e-13)
    opt = make_optimizer("Adam")
    make(opt)
    assert opt.param_groups[0]["betas"][1] == 0.999 and isinstance(opt.param_groups[0]["betas"], tuple)


def test_reduce_on_plateau_matches_pytorch():
    make = lambda o: L.ReduceLROnPlateau(o, factor=0.5, patience=2, cooldown=1, min_lr=[0.02, 0.0])
    lrs, _ = run(make, metrics=PLATEAU_MIN_METRICS)
    np.testing.assert_allclose(lrs, TORCH["plateau_min"], rtol=1e-15)
    make = lambda o: L.ReduceLROnPlateau(
        o, mode="max", factor=0.1, patience=1, threshold=0.01, threshold_mode="abs", eps=1e-3
    )
    lrs, _ = run(make, metrics=PLATEAU_MAX_METRICS)
    np.testing.assert_allclose(lrs, TORCH["plateau_max_abs"], rtol=1e-15)


# ---------------------------------------------------------------------------------------------------
# Closed forms, over longer runs.
CLOSED_FORMS = {
    "lambda": (lambda o: L.LambdaLR(o, lambda e: 0.95**e * (1 + e % 3)), lambda b, t: b * 0.95**t * (1 + t % 3)),
    "step": (lambda o: L.StepLR(o, step_size=3, gamma=0.7), lambda b, t: b * 0.7 ** (t // 3)),
    "multistep": (
        lambda o: L.MultiStepLR(o, milestones=[4, 10, 10, 25], gamma=0.5),
        lambda b, t: b * 0.5 ** sum(m <= t for m in [4, 10, 10, 25]),
    ),
    "exponential": (lambda o: L.ExponentialLR(o, gamma=0.97), lambda b, t: b * 0.97**t),
    "cosine": (
        lambda o: L.CosineAnnealingLR(o, T_max=10, eta_min=0.002),
        lambda b, t: 0.002 + (b - 0.002) * (1 + math.cos(math.pi * t / 10)) / 2,
    ),
    "linear": (
        lambda o: L.LinearLR(o, start_factor=0.1, end_factor=1.0, total_iters=8),
        lambda b, t: b * (0.1 + 0.9 * min(t, 8) / 8),
    ),
}


@pytest.mark.parametrize("name", sorted(CLOSED_FORMS))
def test_schedule_follows_its_closed_form(name):
    make, closed = CLOSED_FORMS[name]
    lrs, _ = run(make, steps=30)
    expected = [[closed(0.1, t), closed(0.05, t)] for t in range(31)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12, atol=1e-15)


def test_onecycle_closed_form_endpoints():
    opt = make_optimizer()
    sched = L.OneCycleLR(opt, max_lr=0.8, total_steps=20, div_factor=8.0, final_div_factor=100.0, pct_start=0.25)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(19):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    assert lrs[0] == pytest.approx(0.1)  # max_lr / div_factor
    assert max(lrs) == pytest.approx(0.8) and int(np.argmax(lrs)) == 4  # peak at pct_start * total - 1
    assert lrs[-1] == pytest.approx(0.1 / 100.0)  # initial_lr / final_div_factor
    assert opt.param_groups[0]["initial_lr"] == 0.1 and opt.param_groups[0]["min_lr"] == pytest.approx(1e-3)
    opt.step()
    sched.step()  # step 20 = total_steps is allowed (PyTorch), 21 is not
    with pytest.raises(ValueError, match="Tried to step 21 times"):
        sched.step()


def test_step_with_epoch_uses_the_closed_form_and_warns():
    opt = make_optimizer()
    sched = L.StepLR(opt, step_size=2, gamma=0.5)
    opt.step()
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(5)
    assert sched.last_epoch == 5 and sched.get_last_lr() == [0.025, 0.0125]


# ---------------------------------------------------------------------------------------------------
# Scheduler mechanics.
def test_creating_a_scheduler_records_initial_lr_and_base_lrs():
    opt = make_optimizer()
    sched = L.ExponentialLR(opt, gamma=0.5)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]
    assert sched.base_lrs == [0.1, 0.05] and sched.last_epoch == 0
    opt.step()
    sched.step()
    assert [g["lr"] for g in opt.param_groups] == [0.05, 0.025]
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]
    assert "initial_lr" in opt.state_dict()["param_groups"][0]


def test_resuming_needs_initial_lr():
    with pytest.raises(KeyError, match="initial_lr"):
        L.StepLR(make_optimizer(), step_size=2, last_epoch=3)


def test_scheduler_state_dict_round_trip_continues_identically():
    def fresh():
        opt = make_optimizer()
        return opt, L.CosineAnnealingLR(opt, T_max=7, eta_min=0.01)

    opt, sched = fresh()
    history = []
    for t in range(12):
        opt.step()
        sched.step()
        history.append(sched.get_last_lr())
        if t == 4:
            saved_opt, saved_sched = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
    assert "optimizer" not in saved_sched and saved_sched["last_epoch"] == 5
    opt2, sched2 = fresh()
    opt2.load_state_dict(saved_opt)
    sched2.load_state_dict(saved_sched)
    for _ in range(7):
        opt2.step()
        sched2.step()
        assert sched2.get_last_lr() == history[sched2.last_epoch - 1]


@pytest.mark.parametrize("name", ["multistep", "onecycle_cos", "linear"])
def test_scheduler_state_saved_with_nn_save_round_trips(name, tmp_path):
    if not hasattr(nn, "save"):
        pytest.skip("nn.save is not available yet (nn/serialization.py)")
    make = CASES[name]
    opt = make_optimizer()
    sched = make(opt)
    expected = []
    for t in range(10):
        opt.step()
        sched.step()
        expected.append(sched.get_last_lr())
        if t == 3:
            nn.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, tmp_path / "ckpt")
    opt2 = make_optimizer()
    sched2 = make(opt2)
    loaded = nn.load(tmp_path / "ckpt")
    opt2.load_state_dict(loaded["optimizer"])
    sched2.load_state_dict(loaded["scheduler"])
    for t in range(4, 10):
        opt2.step()
        sched2.step()
        np.testing.assert_allclose(sched2.get_last_lr(), expected[t], rtol=0, atol=0)


def test_lambda_lr_saves_state_of_callable_objects_only():
    class Warmup:
        def __init__(self):
            self.factor = 2.0

        def __call__(self, epoch):
            return self.factor * epoch

    opt = make_optimizer()
    obj = Warmup()
    sched = L.LambdaLR(opt, [obj, lambda e: 1.0])
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [{"factor": 2.0}, None]
    sd["lr_lambdas"][0] = {"factor": 3.0}
    sched.load_state_dict(sd)
    assert obj.factor == 3.0


def test_warns_when_scheduler_steps_before_optimizer():
    opt = make_optimizer()
    sched = L.StepLR(opt, step_size=1)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`"):
        sched.step()
    opt2 = make_optimizer()
    sched2 = L.StepLR(opt2, step_size=1)
    opt2.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched2.step()


def test_get_lr_outside_step_warns_like_pytorch():
    sched = L.StepLR(make_optimizer(), step_size=1)
    with pytest.warns(UserWarning, match="get_last_lr"):
        sched.get_lr()


def test_reduce_on_plateau_cooldown_and_state():
    opt = make_optimizer()
    sched = L.ReduceLROnPlateau(opt, patience=0, cooldown=2, factor=0.5)
    for metric in [1.0, 2.0, 2.0, 2.0, 2.0]:
        sched.step(metric)
    # epoch 2 is bad (> patience 0): reduce; epochs 3-4 in cooldown; epoch 5 bad again: reduce.
    assert sched.get_last_lr() == [0.025, 0.0125]
    sd = sched.state_dict()
    assert sd["best"] == 1.0 and sd["last_epoch"] == 5 and "optimizer" not in sd
    sched.step(autograd.tensor(0.5))  # a one-element tensor is accepted
    assert sched.best == 0.5


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: L.StepLR(object(), step_size=1), TypeError, "object is not an Optimizer"),
        (lambda o: L.LambdaLR(o, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas, but got 1"),
        (lambda o: L.LinearLR(o, start_factor=0.0), ValueError, "Starting multiplicative factor"),
        (lambda o: L.LinearLR(o, end_factor=1.5), ValueError, "Ending multiplicative factor"),
        (lambda o: L.OneCycleLR(o, max_lr=0.1), ValueError, "You must define either total_steps OR"),
        (lambda o: L.OneCycleLR(o, max_lr=0.1, total_steps=0), ValueError, "Expected positive integer total_steps"),
        (lambda o: L.OneCycleLR(o, max_lr=0.1, total_steps=10, pct_start=1.5), ValueError, "pct_start"),
        (lambda o: L.OneCycleLR(o, max_lr=0.1, total_steps=10, anneal_strategy="exp"), ValueError, "anneal_strategy"),
        (lambda o: L.OneCycleLR(o, max_lr=[0.1], total_steps=10), ValueError, "max_lr must have the same length"),
        (lambda o: L.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0."),
        (lambda o: L.ReduceLROnPlateau(o, mode="median"), ValueError, "mode median is unknown!"),
        (lambda o: L.ReduceLROnPlateau(o, threshold_mode="x"), ValueError, "threshold mode x is unknown!"),
        (lambda o: L.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "expected 2 min_lrs, got 1"),
    ],
)
def test_bad_scheduler_arguments_raise_pytorchs_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make(make_optimizer())


def test_onecycle_needs_momentum_to_cycle():
    p = autograd.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        L.OneCycleLR(optim.Adagrad([p]), max_lr=0.1, total_steps=10)
    L.OneCycleLR(optim.Adagrad([p]), max_lr=0.1, total_steps=10, cycle_momentum=False)
