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


# ---------------------------------------------------------------------------------------------------
# MultiplicativeLR, ConstantLR, PolynomialLR, CosineAnnealingWarmRestarts, CyclicLR, SequentialLR,
# ChainedScheduler. get_last_lr() after creation and after each of 15 steps (two groups, lr 0.1 and
# 0.05, SGD with momentum 0.9 or Adam), and the groups' momentum / beta1 for CyclicLR: produced once
# with torch 2.13 (/tmp/torchenv/bin/python, the loop of `run` over the same NEW_CASES) and hard-coded.
# A differential run against torch over 60 steps, one and two groups, SGD/Adam/RMSprop, matched bit for
# bit, state_dict() included; the tests below check 60 steps against the closed forms instead.
TORCH_NEW = {
    'multiplicative': [[0.1, 0.05], [0.09000000000000001, 0.045000000000000005], [0.0855, 0.04275], [0.07695, 0.038475], [0.0731025, 0.03655125], [0.06579225, 0.032896125], [0.0625026375, 0.03125131875], [0.05625237375, 0.028126186875], [0.0534397550625, 0.02671987753125], [0.048095779556249996, 0.024047889778124998], [0.04569099057843749, 0.022845495289218747], [0.04112189152059374, 0.02056094576029687], [0.03906579694456405, 0.019532898472282026], [0.03515921725010765, 0.017579608625053825], [0.03340125638760227, 0.016700628193801133], [0.030061130748842042, 0.015030565374421021]],
    'constant': [[0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.025, 0.0125], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05], [0.1, 0.05]],
    'polynomial': [[0.1, 0.05], [0.08100000000000002, 0.04050000000000001], [0.06400000000000002, 0.03200000000000001], [0.048999999999999995, 0.024499999999999997], [0.036000000000000004, 0.018000000000000002], [0.025000000000000005, 0.012500000000000002], [0.016000000000000007, 0.008000000000000004], [0.009000000000000008, 0.004500000000000004], [0.004, 0.002], [0.001, 0.0005], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]],
    'warm_restarts': [[0.1, 0.05], [0.07525000000000001, 0.037750000000000006], [0.025750000000000012, 0.013250000000000005], [0.1, 0.05], [0.09336825748732973, 0.046717622392718754], [0.07525000000000001, 0.037750000000000006], [0.0505, 0.025500000000000002], [0.025750000000000012, 0.013250000000000005], [0.007631742512670284, 0.004282377607281252], [0.1, 0.05], [0.09831332840130888, 0.04916518274408217], [0.09336825748732973, 0.046717622392718754], [0.0855017856687341, 0.04282411613907042], [0.07525000000000001, 0.037750000000000006], [0.06331154273257478, 0.03184106660501176], [0.0505, 0.025500000000000002]],
    'cyclic_triangular': [[0.01, 0.01], [0.040000000000000015, 0.040000000000000015], [0.06999999999999999, 0.06999999999999999], [0.1, 0.1], [0.07000000000000003, 0.07000000000000003], [0.03999999999999998, 0.03999999999999998], [0.01, 0.01], [0.040000000000000056, 0.040000000000000056], [0.06999999999999995, 0.06999999999999995], [0.1, 0.1], [0.06999999999999995, 0.06999999999999995], [0.040000000000000056, 0.040000000000000056], [0.01, 0.01], [0.03999999999999998, 0.03999999999999998], [0.07000000000000003, 0.07000000000000003], [0.1, 0.1]],
    'cyclic_triangular_momentum': [[0.9, 0.9], [0.8666666666666667, 0.8666666666666667], [0.8333333333333334, 0.8333333333333334], [0.8, 0.8], [0.8333333333333334, 0.8333333333333334], [0.8666666666666667, 0.8666666666666667], [0.9, 0.9], [0.8666666666666666, 0.8666666666666666], [0.8333333333333335, 0.8333333333333335], [0.8, 0.8], [0.8333333333333335, 0.8333333333333335], [0.8666666666666666, 0.8666666666666666], [0.9, 0.9], [0.8666666666666667, 0.8666666666666667], [0.8333333333333334, 0.8333333333333334], [0.8, 0.8]],
    'cyclic_triangular2': [[0.01, 0.02], [0.055, 0.15999999999999995], [0.09999999999999999, 0.29999999999999993], [0.06999999999999999, 0.2066666666666666], [0.039999999999999994, 0.11333333333333331], [0.01, 0.02], [0.03250000000000002, 0.09000000000000005], [0.055, 0.15999999999999995], [0.039999999999999994, 0.11333333333333331], [0.025000000000000015, 0.06666666666666671], [0.01, 0.02], [0.021250000000000012, 0.05500000000000002], [0.0325, 0.08999999999999998], [0.024999999999999998, 0.06666666666666665], [0.01750000000000001, 0.04333333333333335], [0.01, 0.02]],
    'cyclic_triangular2_momentum': [[0.9, 0.9], [0.8500000000000001, 0.8500000000000001], [0.8, 0.8], [0.8333333333333334, 0.8333333333333334], [0.8666666666666667, 0.8666666666666667], [0.9, 0.9], [0.875, 0.875], [0.8500000000000001, 0.8500000000000001], [0.8666666666666667, 0.8666666666666667], [0.8833333333333333, 0.8833333333333333], [0.9, 0.9], [0.8875000000000001, 0.8875000000000001], [0.875, 0.875], [0.8833333333333334, 0.8833333333333334], [0.8916666666666667, 0.8916666666666667], [0.9, 0.9]],
    'cyclic_exp_range_adam': [[0.01, 0.01], [0.03700000000000001, 0.03700000000000001], [0.0586, 0.0586], [0.07561000000000001, 0.07561000000000001], [0.04936600000000002, 0.04936600000000002], [0.027714699999999988, 0.027714699999999988], [0.01, 0.01], [0.02434890700000003, 0.02434890700000003], [0.03582803259999999, 0.03582803259999999], [0.04486784401000001, 0.04486784401000001], [0.03092070640599999, 0.03092070640599999], [0.019414317882700018, 0.019414317882700018], [0.01, 0.01], [0.017625597484986995, 0.017625597484986995], [0.023726075472976615, 0.023726075472976615], [0.028530201888518417, 0.028530201888518417]],
    'cyclic_exp_range_adam_momentum': [[0.95, 0.95], [0.8749999999999999, 0.8749999999999999], [0.815, 0.815], [0.7677499999999999, 0.7677499999999999], [0.8406499999999999, 0.8406499999999999], [0.9007925, 0.9007925], [0.95, 0.95], [0.9101419249999999, 0.9101419249999999], [0.878255465, 0.878255465], [0.8531448777499999, 0.8531448777499999], [0.89188692665, 0.89188692665], [0.9238491169924999, 0.9238491169924999], [0.95, 0.95], [0.928817784763925, 0.928817784763925], [0.9118720125750649, 0.9118720125750649], [0.8985272169763376, 0.8985272169763376]],
    'sequential': [[0.010000000000000002, 0.005000000000000001], [0.03250000000000001, 0.016250000000000004], [0.055000000000000014, 0.027500000000000007], [0.07750000000000003, 0.038750000000000014], [0.1, 0.05], [0.0962320368593087, 0.048135048546526525], [0.0855017856687341, 0.04282411613907041], [0.06944282990207196, 0.0348757440929447], [0.0505, 0.0255], [0.03155717009792806, 0.0161242559070553], [0.0154982143312659, 0.008175883860929586], [0.004767963140691306, 0.002864951453473475], [0.001, 0.001], [0.004767963140691307, 0.002864951453473475], [0.01549821433126591, 0.008175883860929593], [0.03155717009792807, 0.016124255907055313]],
    'chained': [[0.010000000000000002, 0.005000000000000001], [0.009000000000000003, 0.004500000000000001], [0.008100000000000003, 0.0040500000000000015], [0.007290000000000003, 0.0036450000000000015], [0.006561000000000003, 0.0032805000000000013], [0.059049000000000025, 0.029524500000000013], [0.05314410000000002, 0.02657205000000001], [0.04782969000000002, 0.02391484500000001], [0.043046721000000024, 0.021523360500000012], [0.03874204890000002, 0.01937102445000001], [0.03486784401000002, 0.01743392200500001], [0.03138105960900001, 0.015690529804500006], [0.028242953648100012, 0.014121476824050006], [0.025418658283290013, 0.012709329141645007], [0.022876792454961013, 0.011438396227480507], [0.020589113209464913, 0.010294556604732457]],
}

NEW_CASES = {
    "multiplicative": (lambda o: L.MultiplicativeLR(o, lambda e: 0.9 if e % 2 else 0.95), "SGD"),
    "constant": (lambda o: L.ConstantLR(o, factor=0.25, total_iters=6), "SGD"),
    "polynomial": (lambda o: L.PolynomialLR(o, total_iters=10, power=2.0), "SGD"),
    "warm_restarts": (lambda o: L.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001), "SGD"),
    "cyclic_triangular": (lambda o: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3), "SGD"),
    "cyclic_triangular2": (lambda o: L.CyclicLR(
        o, base_lr=[0.01, 0.02], max_lr=[0.1, 0.3], step_size_up=2, step_size_down=3, mode="triangular2"), "SGD"),
    "cyclic_exp_range_adam": (lambda o: L.CyclicLR(
        o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.9, base_momentum=0.7,
        max_momentum=0.95), "Adam"),
    "sequential": (lambda o: L.SequentialLR(
        o, [L.LinearLR(o, start_factor=0.1, total_iters=4), L.CosineAnnealingLR(o, T_max=8, eta_min=0.001)],
        milestones=[4]), "SGD"),
    "chained": (lambda o: L.ChainedScheduler([L.ConstantLR(o, factor=0.1, total_iters=5), L.ExponentialLR(o, gamma=0.9)]), "SGD"),
}


@pytest.mark.parametrize("name", sorted(NEW_CASES))
def test_new_schedule_matches_pytorch_step_by_step(name):
    make, cls_name = NEW_CASES[name]
    lrs, moms = run(make, cls_name=cls_name)
    np.testing.assert_allclose(lrs, TORCH_NEW[name], rtol=1e-13, atol=1e-16)
    if name.startswith("cyclic"):
        np.testing.assert_allclose(moms, TORCH_NEW[name + "_momentum"], rtol=1e-13)


def make_groups(n_groups, cls_name="SGD"):
    """An optimizer with one group (lr 0.1) or two (0.1 and 0.05)."""
    params = [autograd.zeros(1, requires_grad=True) for _ in range(n_groups)]
    kw = {"lr": 0.1, "momentum": 0.9} if cls_name == "SGD" else {"lr": 0.1}
    groups = [{"params": [params[0]]}, {"params": params[1:], "lr": 0.05}][:n_groups]
    return getattr(optim, cls_name)(groups, **kw)


def warm_restart_position(t, T_0, T_mult):
    """(T_cur, T_i) at epoch t of SGDR: walk the cycles T_0, T_0 T_mult, ..."""
    T_i = T_0
    while t >= T_i:
        t -= T_i
        T_i *= T_mult
    return t, T_i


def cosine_restart(b, t, T_0, T_mult, eta):
    T_cur, T_i = warm_restart_position(t, T_0, T_mult)
    return eta + (b - eta) * (1 + math.cos(math.pi * T_cur / T_i)) / 2


def cyclic(b, m, t, up, down, scale):
    """CyclicLR's closed form: position x in the cycle, triangle height h, lr = b + (m - b) h scale(cycle, t)."""
    total = up + down
    cycle = math.floor(1 + t / total)
    x = 1 + t / total - cycle
    h = x / (up / total) if x <= up / total else (x - 1) / (up / total - 1)
    return b + (m - b) * h * scale(cycle, t)


# (scheduler factory, closed form of (group index, base lr, t)) over 60 steps.
NEW_CLOSED_FORMS = {
    "multiplicative": (
        lambda o: L.MultiplicativeLR(o, lambda e: 1.0 - 0.01 * (e % 4)),
        lambda i, b, t: b * math.prod(1.0 - 0.01 * (k % 4) for k in range(1, t + 1)),
    ),
    "constant": (lambda o: L.ConstantLR(o, factor=0.3, total_iters=17), lambda i, b, t: b * (0.3 if t < 17 else 1.0)),
    "polynomial": (
        lambda o: L.PolynomialLR(o, total_iters=40, power=0.9),
        lambda i, b, t: b * (1 - min(t, 40) / 40) ** 0.9,
    ),
    "warm_restarts": (
        lambda o: L.CosineAnnealingWarmRestarts(o, T_0=7, eta_min=0.001),
        lambda i, b, t: cosine_restart(b, t, 7, 1, 0.001),
    ),
    "warm_restarts_mult": (
        lambda o: L.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=3, eta_min=0.002),
        lambda i, b, t: cosine_restart(b, t, 3, 3, 0.002),
    ),
    "cyclic_triangular": (
        lambda o: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=5),
        lambda i, b, t: cyclic(0.01, 0.1, t, 5, 5, lambda c, t: 1.0),
    ),
    "cyclic_triangular2": (
        lambda o: L.CyclicLR(o, base_lr=[0.01, 0.02], max_lr=[0.1, 0.3], step_size_up=4, step_size_down=7,
                             mode="triangular2")
        if len(o.param_groups) == 2 else L.CyclicLR(o, 0.01, 0.1, step_size_up=4, step_size_down=7, mode="triangular2"),
        lambda i, b, t: cyclic([0.01, 0.02][i], [0.1, 0.3][i], t, 4, 7, lambda c, t: 1 / 2 ** (c - 1)),
    ),
    "cyclic_exp_range": (
        lambda o: L.CyclicLR(o, base_lr=0.01, max_lr=0.1, step_size_up=3, mode="exp_range", gamma=0.98),
        lambda i, b, t: cyclic(0.01, 0.1, t, 3, 3, lambda c, t: 0.98**t),
    ),
    "sequential_warmup_cosine": (
        lambda o: L.SequentialLR(
            o, [L.LinearLR(o, start_factor=0.1, total_iters=10), L.CosineAnnealingLR(o, T_max=50, eta_min=0.001)],
            milestones=[10],
        ),
        lambda i, b, t: b * (0.1 + 0.9 * t / 10) if t < 10
        else 0.001 + (b - 0.001) * (1 + math.cos(math.pi * (t - 10) / 50)) / 2,
    ),
    "chained": (
        lambda o: L.ChainedScheduler([L.ConstantLR(o, factor=0.1, total_iters=20), L.ExponentialLR(o, gamma=0.95)]),
        lambda i, b, t: b * 0.95**t * (0.1 if t < 20 else 1.0),
    ),
}


@pytest.mark.parametrize("n_groups", [1, 2])
@pytest.mark.parametrize("name", sorted(NEW_CLOSED_FORMS))
def test_new_schedule_follows_its_closed_form(name, n_groups):
    make, closed = NEW_CLOSED_FORMS[name]
    opt = make_groups(n_groups)
    sched = make(opt)
    lrs = [sched.get_last_lr()]
    for _ in range(60):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    expected = [[closed(i, b, t) for i, b in enumerate([0.1, 0.05][:n_groups])] for t in range(61)]
    np.testing.assert_allclose(lrs, expected, rtol=1e-12, atol=1e-15)
    assert [g["lr"] for g in opt.param_groups] == lrs[-1]


def test_cyclic_momentum_moves_against_the_rate():
    for cls_name, key in [("SGD", "momentum"), ("Adam", "betas")]:
        opt = make_groups(2, cls_name)
        sched = L.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=4, base_momentum=0.8, max_momentum=0.9)
        assert [g["lr"] for g in opt.param_groups] == [0.01, 0.01] and sched.base_lrs == [0.01, 0.01]
        for t in range(1, 20):
            opt.step()
            sched.step()
            h = cyclic(0.0, 1.0, t, 4, 4, lambda c, t: 1.0)  # the triangle's height in [0, 1]
            for group in opt.param_groups:
                momentum = group["betas"][0] if key == "betas" else group["momentum"]
                assert momentum == pytest.approx(0.9 - 0.1 * h, rel=1e-12)
                assert group["lr"] == pytest.approx(0.01 + 0.09 * h, rel=1e-12)
        if key == "betas":
            assert opt.param_groups[0]["betas"][1] == 0.999 and isinstance(opt.param_groups[0]["betas"], tuple)
        assert opt.param_groups[0]["max_momentum"] == 0.9 and opt.param_groups[0]["base_momentum"] == 0.8


def test_cyclic_custom_scale_fn_and_its_state():
    class Decay:
        def __init__(self):
            self.rate = 0.5

        def __call__(self, x):
            return self.rate**x

    opt = make_groups(1)
    fn = Decay()
    sched = L.CyclicLR(opt, 0.0, 1.0, step_size_up=2, scale_fn=fn, scale_mode="iterations", cycle_momentum=False)
    opt.step()
    sched.step()  # t = 1: halfway up, scale 0.5^1
    assert sched.get_last_lr() == [0.5 * 0.5]
    sd = sched.state_dict()
    assert sd["_scale_fn_custom"] == {"rate": 0.5} and sd["scale_mode"] == "iterations"
    sd["_scale_fn_custom"] = {"rate": 0.25}
    sched.load_state_dict(sd)
    assert fn.rate == 0.25
    assert L.CyclicLR(make_groups(1), 0.0, 1.0, scale_fn=lambda x: 1.0).state_dict()["_scale_fn_custom"] is None
    # A built-in mode sets its own scale_mode, whatever was passed (PyTorch's behaviour).
    assert L.CyclicLR(make_groups(1), 0.0, 1.0, mode="exp_range", scale_mode="cycle").scale_mode == "iterations"


def test_warm_restarts_fractional_epochs_follow_the_closed_form():
    """scheduler.step(epoch + i / iters) per batch, as PyTorch documents; T_mult 1 and 2."""
    for T_mult in (1, 2):
        opt = make_groups(2)
        sched = L.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=T_mult, eta_min=0.01)
        for epoch in range(12):
            for i in range(5):
                opt.step()
                sched.step(epoch + i / 5)
                e = epoch + i / 5
                if T_mult == 1:
                    T_cur, T_i = e % 2, 2
                else:
                    n = int(math.log2(e / 2 + 1))  # cycles 2, 4, 8, ... start at 2 (2^n - 1)
                    T_cur, T_i = e - 2 * (2**n - 1), 2 * 2**n
                expected = [0.01 + (b - 0.01) * (1 + math.cos(math.pi * T_cur / T_i)) / 2 for b in (0.1, 0.05)]
                np.testing.assert_allclose(sched.get_last_lr(), expected, rtol=1e-12)
                assert sched.last_epoch == epoch and sched.T_i == T_i


def test_warm_restarts_step_after_a_jump_continues_from_there():
    # PyTorch's documented example: step(26) then step() is step(27). With T_0=4, T_mult=2 the cycles
    # start at 0, 4, 12, 28: epoch 26.5 is 14.5 into the 16-epoch cycle; one step later the fraction is
    # kept (T_cur 15.5), and the next step restarts at T_cur 0.5 of a 32-epoch cycle (torch 2.13 agrees).
    opt = make_groups(1)
    sched = L.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=2)
    sched.step(26.5)
    assert (sched.T_cur, sched.T_i, sched.last_epoch) == (14.5, 16, 26)
    sched.step()
    assert (sched.T_cur, sched.T_i, sched.last_epoch) == (15.5, 16, 27)
    sched.step()
    assert (sched.T_cur, sched.T_i, sched.last_epoch) == (0.5, 32, 28)
    assert sched.get_last_lr() == [pytest.approx(0.1 * (1 + math.cos(math.pi * 0.5 / 32)) / 2)]


def test_sequential_restarts_the_next_schedule_at_its_epoch_0():
    opt = make_groups(2)
    warmup = L.LinearLR(opt, start_factor=0.5, total_iters=3)
    decay = L.ExponentialLR(opt, gamma=0.5)
    sched = L.SequentialLR(opt, [warmup, decay], milestones=[3])
    assert sched.get_last_lr() == [0.05, 0.025] and warmup.last_epoch == 0 and decay.last_epoch == -1
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    # warm-up 0.05 -> 0.0667 -> 0.0833, then at the milestone ExponentialLR's closed form at its epoch 0: 0.1
    np.testing.assert_allclose(lrs, [0.1 * (0.5 + 0.5 / 3), 0.1 * (0.5 + 1 / 3), 0.1, 0.05, 0.025], rtol=1e-12)
    assert decay.last_epoch == 2 and sched.last_epoch == 5


@pytest.mark.parametrize("name", sorted(NEW_CASES))
def test_new_scheduler_state_dict_round_trip_continues_identically(name, tmp_path):
    make, cls_name = NEW_CASES[name]
    opt = make_optimizer(cls_name)
    sched = make(opt)
    history = []
    for t in range(20):
        opt.step()
        sched.step()
        history.append((sched.get_last_lr(), momenta(opt)))
        if t == 6:
            saved_opt, saved_sched = copy.deepcopy(opt.state_dict()), copy.deepcopy(sched.state_dict())
            nn.save({"optimizer": opt.state_dict(), "scheduler": sched.state_dict()}, tmp_path / "ckpt")
    assert "optimizer" not in saved_sched
    for opt_state, sched_state in [(saved_opt, saved_sched), tuple(nn.load(tmp_path / "ckpt").values())]:
        opt2 = make_optimizer(cls_name)
        sched2 = make(opt2)
        opt2.load_state_dict(opt_state)
        sched2.load_state_dict(sched_state)
        for t in range(7, 20):
            opt2.step()
            sched2.step()
            assert (sched2.get_last_lr(), momenta(opt2)) == history[t]


def test_composed_schedulers_save_their_schedulers_states():
    opt = make_optimizer()
    sched = L.SequentialLR(opt, [L.ConstantLR(opt, factor=0.5, total_iters=2), L.StepLR(opt, 3)], milestones=[4])
    sd = sched.state_dict()
    assert set(sd) == {"_milestones", "last_epoch", "_last_lr", "_schedulers"}
    assert [s["total_iters"] if "total_iters" in s else s["step_size"] for s in sd["_schedulers"]] == [2, 3]
    chained = L.ChainedScheduler([L.ConstantLR(opt, factor=0.5), L.ExponentialLR(opt, 0.9)], optimizer=opt)
    assert set(chained.state_dict()) == {"_last_lr", "_schedulers"}
    assert all("optimizer" not in s for s in chained.state_dict()["_schedulers"])


def test_multiplicative_lr_saves_state_of_callable_objects_only():
    class Factor:
        def __init__(self):
            self.value = 0.5

        def __call__(self, epoch):
            return self.value

    opt = make_optimizer()
    fn = Factor()
    sched = L.MultiplicativeLR(opt, [fn, lambda e: 1.0])
    assert sched.get_last_lr() == [0.1, 0.05]  # unchanged on creation
    opt.step()
    sched.step()
    assert sched.get_last_lr() == [0.05, 0.05]
    sd = sched.state_dict()
    assert sd["lr_lambdas"] == [{"value": 0.5}, None]
    sd["lr_lambdas"][0] = {"value": 0.25}
    sched.load_state_dict(sd)
    assert fn.value == 0.25


def test_new_schedulers_with_an_epoch_use_their_closed_forms():
    opt = make_optimizer()
    sched = L.PolynomialLR(opt, total_iters=10, power=2.0)
    opt.step()
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(5)
    np.testing.assert_allclose(sched.get_last_lr(), [0.1 * 0.25, 0.05 * 0.25], rtol=1e-15)
    opt = make_optimizer()
    sched = L.ConstantLR(opt, factor=0.5, total_iters=4)
    opt.step()
    with pytest.warns(UserWarning, match="epoch parameter"):
        sched.step(4)
    assert sched.get_last_lr() == [0.1, 0.05]


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda o: L.ConstantLR(o, factor=1.5), ValueError, "Constant multiplicative factor expected to be between 0 and 1"),
        (lambda o: L.MultiplicativeLR(o, 0.9), TypeError, "lr_lambda should be a function, but got float"),
        (lambda o: L.MultiplicativeLR(o, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas, but got 1"),
        (lambda o: L.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "Expected positive integer T_0, but got 0"),
        (lambda o: L.CosineAnnealingWarmRestarts(o, T_0=2.0), ValueError, "Expected positive integer T_0, but got 2.0"),
        (lambda o: L.CosineAnnealingWarmRestarts(o, 2, T_mult=0), ValueError, "Expected integer T_mult >= 1, but got 0"),
        (lambda o: L.CosineAnnealingWarmRestarts(o, 2, eta_min="0"), ValueError, "Expected float or int eta_min"),
        (lambda o: L.CosineAnnealingWarmRestarts(o, 2).step(-1), ValueError, "Expected non-negative epoch, but got -1"),
        (lambda o: L.CyclicLR(o, 0.01, 0.1, mode="cosine"), ValueError, "mode is invalid and scale_fn is None"),
        (lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=0), ValueError, "expected a positive step_size_up, got 0"),
        (lambda o: L.CyclicLR(o, [0.01], 0.1), ValueError, "base_lr must have the same length as optimizer.param_groups"),
        (lambda o: L.CyclicLR(o, 0.01, [0.1] * 3), ValueError, "max_lr must have the same length"),
        (lambda o: L.CyclicLR(o, 0.01, 0.1, scale_fn=abs, scale_mode="epochs"), ValueError, "scale_mode must be"),
        (lambda o: L.SequentialLR(o, [], []), ValueError, "SequentialLR expects at least one scheduler"),
        (lambda o: L.SequentialLR(o, [L.StepLR(o, 2)], [3]), ValueError, "expects number of schedulers provided to be one more"),
        (lambda o: L.SequentialLR(o, [object()], []), TypeError, "SequentialLR at index 0 should have `optimizer`"),
        (lambda o: L.SequentialLR(o, [L.ReduceLROnPlateau(o)], []), ValueError, "does not support `ReduceLROnPlateau`"),
        (lambda o: L.SequentialLR(o, [L.StepLR(make_optimizer(), 2)], []), ValueError, "expects all schedulers to belong to the same optimizer"),
        (lambda o: L.ChainedScheduler([]), ValueError, "ChainedScheduler expects at least one scheduler to be chained"),
        (lambda o: L.ChainedScheduler([L.StepLR(o, 2), L.StepLR(make_optimizer(), 2)]), ValueError, "ChainedScheduler expects all schedulers to belong"),
    ],
)
def test_bad_new_scheduler_arguments_raise_pytorchs_errors(make, error, message):
    with pytest.raises(error, match=re.escape(message)):
        make(make_optimizer())


def test_cyclic_needs_momentum_to_cycle():
    p = autograd.zeros(1, requires_grad=True)
    with pytest.raises(ValueError, match=r"CyclicLR: optimizer must support momentum or beta1 .*Adagrad"):
        L.CyclicLR(optim.Adagrad([p]), 0.01, 0.1)
    sched = L.CyclicLR(optim.Adagrad([p]), 0.01, 0.1, cycle_momentum=False)
    assert sched.get_last_lr() == [0.01]
