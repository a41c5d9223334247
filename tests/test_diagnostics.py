"""GradientMonitor: recorded numbers against numpy, and each finding of diagnose() on a network built
to show it (none on a healthy one)."""
import io
import math
import sys

import numpy as np
import pytest

import autograd
import nn
import optim
from nn.diagnostics import ActivationStats, Finding, Findings, GradientStats, StepRecord


def moons(n=200):
    X, y = nn.data.make_moons(n, noise=0.1, seed=0)
    return autograd.tensor(X), autograd.tensor(y.astype(np.float32)).reshape(-1, 1)


def train(model, optimizer, steps, X, Y, monitor=None, batch=None):
    """Full-batch (or mini-batch) training with BCE-with-logits, recording each step."""
    monitor = monitor or nn.GradientMonitor(model)
    loss_fn = nn.BCEWithLogitsLoss()
    n = X.shape[0]
    for i in range(steps):
        if batch:
            start = (i * batch) % n
            xb, yb = X[start:start + batch], Y[start:start + batch]
        else:
            xb, yb = X, Y
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        monitor.step(loss)
        optimizer.step()
    return monitor


def kinds(findings):
    return [f.kind for f in findings]


def mlp(sizes, activation, init_std=None, bias=None):
    layers = []
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        linear = nn.Linear(fan_in, fan_out)
        if init_std is not None:
            nn.init.normal_(linear.weight, 0.0, init_std)
        if bias is not None and i < len(sizes) - 2:
            nn.init.constant_(linear.bias, bias)
        layers.append(linear)
        if i < len(sizes) - 2:
            layers.append(activation())
    return nn.Sequential(*layers)


# ------------------------------------------------------------------ recorded numbers
def test_gradient_norms_equal_numpy_norms_of_weight_grads():
    autograd.manual_seed(0)
    X, Y = moons(40)
    model = mlp([2, 8, 8, 1], nn.Tanh)
    monitor = nn.GradientMonitor(model)
    loss = nn.BCEWithLogitsLoss()(model(X), Y)
    loss.backward()
    record = monitor.step(loss)
    assert isinstance(record, StepRecord) and record.step == 0
    assert record.loss == pytest.approx(loss.item())
    assert sorted(record.gradients) == ["0", "2", "4"]
    for name in ("0", "2", "4"):
        weight = model.get_submodule(name).weight
        g = np.linalg.norm(weight.grad.numpy())
        w = np.linalg.norm(weight.detach().numpy())
        stats = record.gradients[name]
        assert isinstance(stats, GradientStats) and stats.type == "Linear"
        assert stats.grad_norm == pytest.approx(g, rel=1e-6)
        assert stats.weight_norm == pytest.approx(w, rel=1e-6)
        assert stats.ratio == pytest.approx(g / w, rel=1e-6)
    np.testing.assert_allclose(monitor.series("grad_norm")["2"], [record.gradients["2"].grad_norm])


def test_relu_zero_and_dead_fractions_computed_by_hand():
    linear = nn.Linear(3, 4)
    with autograd.no_grad():
        linear.weight.copy_(autograd.tensor([[1.0, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]))
        linear.bias.copy_(autograd.tensor([0.0, 0.0, 0.0, -1.0]))
    model = nn.Sequential(linear, nn.ReLU())
    monitor = nn.GradientMonitor(model, dead_min_samples=3)
    x = np.array([[1.0, -1.0, -2.0], [2.0, 3.0, -1.0], [-1.0, 1.0, -3.0]], dtype=np.float32)
    model(autograd.tensor(x)).sum().backward()
    record = monitor.step()
    out = np.maximum(x @ np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 0, 0]]).T + [0, 0, 0, -1], 0)
    relu = record.activations["1"]
    assert isinstance(relu, ActivationStats) and relu.kind == "relu" and relu.samples == 3
    assert relu.mean == pytest.approx(out.mean()) and relu.std == pytest.approx(out.std())
    assert relu.zero_fraction == pytest.approx(np.mean(out == 0))  # 7 of 12
    # units 2 (input always negative) and 3 (bias -1) never fire: 2 of 4 dead
    assert relu.dead_fraction == pytest.approx(0.5)
    assert relu.saturated_fraction is None
    pre = record.activations["0"]
    assert pre.kind == "layer" and pre.dead_fraction is None and pre.zero_fraction is None
    assert monitor.diagnose() == []  # 50% dead is not above dead_fraction = 0.6
    monitor.dead_fraction = 0.4
    (finding,) = monitor.diagnose()
    assert finding.kind == "dead_relus" and finding.evidence["dead_fractions"] == {"1": 0.5}


def test_saturated_fraction_of_sigmoid_and_tanh():
    x = np.array([[-10.0, -1.0, 0.0, 1.0, 2.5, 10.0]], dtype=np.float32).T  # 6 samples, 1 unit
    model = nn.Sequential(nn.Sigmoid(), nn.Tanh())
    monitor = nn.GradientMonitor(model)
    model(autograd.tensor(x))
    record = monitor.step()
    s = 1 / (1 + np.exp(-x))
    t = np.tanh(s)
    assert record.activations["0"].saturated_fraction == pytest.approx(np.mean((s < 0.01) | (s > 0.99)))  # 2/6
    assert record.activations["0"].saturated_fraction == pytest.approx(2 / 6)
    assert record.activations["1"].saturated_fraction == pytest.approx(np.mean(np.abs(t) > 0.99))
    assert record.activations["1"].mean == pytest.approx(t.mean(), rel=1e-6)
    monitor = nn.GradientMonitor(nn.Sequential(nn.Tanh()), saturation=0.7)
    monitor.model(autograd.tensor(x))
    assert monitor.step().activations["0"].saturated_fraction == pytest.approx(np.mean(np.abs(np.tanh(x)) > 0.7))


def test_statistics_accumulate_over_calls_of_a_step_and_skip_no_grad_passes():
    model = nn.Sequential(nn.ReLU())
    monitor = nn.GradientMonitor(model)
    a = np.array([[1.0, 0.0], [2.0, 0.0]], dtype=np.float32)
    b = np.array([[-1.0, 0.0], [3.0, -2.0], [0.0, 0.0]], dtype=np.float32)
    model(autograd.tensor(a))
    model(autograd.tensor(b))
    with autograd.no_grad():
        model(autograd.tensor(np.ones((5, 2), dtype=np.float32)))  # an evaluation pass: not counted
    stats = monitor.step().activations["0"]
    both = np.maximum(np.concatenate([a, b]), 0)
    assert stats.samples == 5
    assert stats.mean == pytest.approx(both.mean()) and stats.std == pytest.approx(both.std())
    assert stats.dead_fraction == pytest.approx(0.5)  # the second unit never fired
    assert monitor.step().activations == {}  # reset after each step


def test_layers_follow_the_forward_call_order():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.head = nn.Linear(4, 1)  # registered first, called last
            self.act = nn.ReLU()
            self.body = nn.Linear(2, 4)

        def forward(self, x):
            return self.head(self.act(self.body(x)))

    monitor = nn.GradientMonitor(Net())
    assert monitor.layers == ["head", "act", "body"]
    monitor.model(autograd.randn(3, 2)).sum().backward()
    monitor.step()
    assert monitor.layers == ["body", "act", "head"]


def test_losses_and_series():
    monitor = nn.GradientMonitor(nn.Sequential(nn.Linear(2, 1)))
    monitor.step(autograd.tensor(0.5))
    monitor.step()
    monitor.step(np.float32(0.25))
    np.testing.assert_array_equal(monitor.losses, [0.5, np.nan, 0.25])
    assert monitor.series("grad_norm") == {}  # no backward ran
    with pytest.raises(ValueError, match="series"):
        monitor.series("bogus")


# ------------------------------------------------------------------ findings
def test_vanishing_gradients_in_a_deep_sigmoid_network_with_small_init():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2] + [16] * 8 + [1], nn.Sigmoid, init_std=0.1)
    monitor = train(model, optim.SGD(model.parameters(), lr=0.1), 5, X, Y)
    findings = monitor.diagnose()
    assert kinds(findings) == ["vanishing_gradients"]
    evidence = findings[0].evidence
    grads = monitor.history[-1].gradients
    assert evidence["layer"] == "0" and evidence["last_layer"] == "16"
    assert evidence["ratio"] < 1e-3
    assert grads["0"].grad_norm < 1e-3 * grads["16"].grad_norm
    assert "ReLU" in findings[0].advice and "Batch Norm" in findings[0].advice and "He" in findings[0].advice
    # the threshold is a knob
    assert nn.GradientMonitor.vanishing_ratio == 1e-3
    relaxed = nn.GradientMonitor(model, vanishing_ratio=1e-12)
    relaxed.history = monitor.history
    assert relaxed.diagnose() == []


def test_batch_norm_fixes_the_vanishing_gradients():
    autograd.manual_seed(0)
    X, Y = moons(64)
    layers = []
    for fan_in in [2] + [16] * 7:
        linear = nn.Linear(fan_in, 16)
        nn.init.normal_(linear.weight, 0.0, 0.1)
        layers += [linear, nn.BatchNorm1d(16), nn.Sigmoid()]
    model = nn.Sequential(*layers, nn.Linear(16, 1))
    monitor = train(model, optim.SGD(model.parameters(), lr=0.1), 5, X, Y)
    assert monitor.diagnose() == []
    grads = monitor.history[-1].gradients
    assert grads["1"].type == "BatchNorm1d"  # recorded, but not compared: its weight is a per-channel scale
    assert grads["0"].grad_norm > 1e-2 * grads["24"].grad_norm


def test_exploding_gradients_in_a_deep_network_with_large_init():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2] + [32] * 6 + [1], nn.ReLU, init_std=1.5)
    monitor = nn.GradientMonitor(model)
    loss = nn.BCEWithLogitsLoss()(model(X), Y)
    loss.backward()
    monitor.step(loss)
    findings = monitor.diagnose()
    assert kinds(findings) == ["exploding_gradients"]
    largest = max(np.linalg.norm(m.weight.grad.numpy()) for m in model if isinstance(m, nn.Linear))
    assert np.isfinite(largest) and largest > 1e3
    assert findings[0].evidence["grad_norm"] == pytest.approx(largest, rel=1e-6)
    assert "clip_grad_norm_" in findings[0].advice and "learning rate" in findings[0].advice


def test_exploding_gradients_and_diverging_loss_with_a_huge_learning_rate():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 16, 16, 1], nn.ReLU)
    optimizer = optim.SGD(model.parameters(), lr=1e3)
    monitor = nn.GradientMonitor(model)
    with np.errstate(all="ignore"):
        for _ in range(4):
            optimizer.zero_grad()
            loss = ((model(X) - Y) ** 2).mean()
            loss.backward()
            monitor.step(loss)
            optimizer.step()
    assert not np.isfinite(monitor.losses[-1])
    found = kinds(monitor.diagnose())
    assert "exploding_gradients" in found and "diverging_loss" in found
    assert "vanishing_gradients" not in found


def _norm_history(norms):
    return [StepRecord(i, None, {"0": GradientStats("0", "Linear", g, 1.0, g)}, {}) for i, g in enumerate(norms)]


def test_exploding_gradients_growing_fast():
    monitor = nn.GradientMonitor(nn.Sequential(nn.Linear(2, 2)))
    monitor.history = _norm_history([0.01, 0.02, 0.01, 0.02, 20.0, 40.0, 30.0, 50.0])
    (finding,) = monitor.diagnose()
    # medians of the two halves: 0.015 -> 35
    assert finding.kind == "exploding_gradients" and finding.evidence["growth"] == pytest.approx(35 / 0.015)
    monitor.history = _norm_history([0.01, 0.02, 0.01, 0.02, 1.0, 2.0, 3.0, 5.0])  # only 200x
    assert monitor.diagnose() == []


def test_one_large_batch_after_convergence_is_not_an_explosion():
    # A converged network: gradient norms near 0, then one mini-batch with a misclassified point.
    monitor = nn.GradientMonitor(nn.Sequential(nn.Linear(2, 2)))
    monitor.history = _norm_history([1.7e-4, 3e-4, 2e-4, 5e-4, 1e-3, 2e-4, 4e-4, 3e-4, 6e-4, 2.07])
    assert monitor.diagnose() == []


def test_dead_relus_with_a_large_negative_bias():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 32, 1], nn.ReLU, bias=-10.0)
    monitor = train(model, optim.Adam(model.parameters(), lr=1e-2), 3, X, Y)
    findings = monitor.diagnose()
    assert "dead_relus" in kinds(findings)
    dead = next(f for f in findings if f.kind == "dead_relus")
    with autograd.no_grad():
        hidden = model[:2](X).numpy()
    assert dead.evidence["dead_fractions"] == {"1": pytest.approx(np.mean((hidden == 0).all(axis=0)))}
    assert dead.evidence["dead_fractions"]["1"] == 1.0
    assert "Leaky ReLU" in dead.advice and "learning rate" in dead.advice


def test_dead_units_need_enough_samples():
    model = mlp([2, 4, 1], nn.ReLU, bias=-10.0)
    monitor = nn.GradientMonitor(model)
    model(autograd.randn(3, 2))
    monitor.step()
    assert monitor.history[-1].activations["1"].dead_fraction == 1.0
    assert monitor.diagnose() == []  # 3 samples < dead_min_samples


def test_flat_loss_with_learning_rate_zero():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 16, 1], nn.ReLU)
    monitor = train(model, optim.SGD(model.parameters(), lr=0.0), 20, X, Y)
    findings = monitor.diagnose()
    assert kinds(findings) == ["flat_loss"]
    assert findings[0].evidence["relative_change"] == 0.0
    assert "1e-3" in findings[0].advice and "Batch Norm" in findings[0].advice
    assert "stuck" not in findings[0].message and findings[0].evidence["largest_grad_norm"] > 1e-2


def test_flat_loss_of_a_stuck_network_says_so():
    autograd.manual_seed(0)
    X, Y = moons(128)
    model = mlp([2] + [16] * 6 + [1], nn.Sigmoid)  # collapses to a constant output, loss log 2
    monitor = train(model, optim.SGD(model.parameters(), lr=0.5), 40, X, Y)
    (finding,) = monitor.diagnose()
    assert finding.kind == "flat_loss" and "stuck" in finding.message
    assert finding.evidence["largest_grad_norm"] < 1e-4
    assert monitor.losses[-1] == pytest.approx(math.log(2), rel=1e-3)
    assert "ReLU" in finding.advice and "Batch Norm" in finding.advice


def test_flat_loss_needs_enough_steps():
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 16, 1], nn.ReLU)
    monitor = train(model, optim.SGD(model.parameters(), lr=0.0), 19, X, Y)
    assert monitor.diagnose() == []


def losses_only(values):
    monitor = nn.GradientMonitor(nn.Sequential(nn.Linear(1, 1)))
    for value in values:
        monitor.step(value)
    return monitor


def test_loss_findings_on_loss_curves():
    falling = [1.0 / (1 + 0.2 * i) for i in range(30)]
    assert losses_only(falling).diagnose() == []
    rising = falling[:15] + [falling[14] * 1.3 ** k for k in range(1, 16)]
    (finding,) = losses_only(rising).diagnose()
    assert finding.kind == "diverging_loss" and "1e-3" in finding.advice
    assert finding.evidence["last"] > 1.5 * finding.evidence["best"]
    # noise around a loss near 0 gives back almost none of the progress: not divergence
    converged = falling[:20] + [1e-4, 3e-4] * 5
    assert losses_only(converged).diagnose() == []
    assert kinds(losses_only([0.7] * 20).diagnose()) == ["flat_loss"]
    assert losses_only([0.0] * 20).diagnose() == []  # already at 0: nothing to learn
    (finding,) = losses_only([0.7, 0.6, float("nan")]).diagnose()
    assert finding.kind == "diverging_loss" and "detect_anomaly" in finding.advice


def test_a_healthy_network_raises_no_finding():
    autograd.manual_seed(0)
    X, Y = moons(200)
    model = mlp([2, 32, 1], nn.ReLU)
    monitor = train(model, optim.Adam(model.parameters(), lr=1e-2), 60, X, Y, batch=50)
    assert monitor.diagnose() == []
    assert monitor.losses[-5:].mean() < 0.6 * monitor.losses[:5].mean()  # it did learn
    assert str(monitor.diagnose()) == "diagnosis: no problems found"


def test_a_healthy_deeper_network_raises_no_finding():
    autograd.manual_seed(0)
    X, Y = moons(200)
    model = mlp([2, 32, 32, 1], nn.ReLU)
    monitor = train(model, optim.Adam(model.parameters(), lr=1e-2), 60, X, Y, batch=50)
    for k in range(monitor.window, len(monitor.history) + 1):  # at every point of training
        partial = nn.GradientMonitor(model)
        partial.history = monitor.history[:k]
        assert partial.diagnose() == [], k
    assert monitor.losses[-5:].mean() < 0.3 * monitor.losses[:5].mean()


def test_findings_print_kind_message_and_advice():
    finding = Finding("flat_loss", "the loss has not moved", "try 1e-3", {"steps": 20})
    text = str(Findings([finding]))
    assert "[flat_loss] the loss has not moved" in text and "advice: try 1e-3" in text


# ------------------------------------------------------------------ report, plot, hooks
def test_report_names_each_layer_and_returns_the_text(capsys):
    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 8, 1], nn.ReLU, bias=-10.0)
    monitor = train(model, optim.SGD(model.parameters(), lr=0.1), 3, X, Y)
    text = monitor.report()
    assert capsys.readouterr().out.strip() == text.strip()
    for name in ("Linear", "ReLU", "grad norm", "dead", "[dead_relus]", "step 2"):
        assert name in text
    rows = {line.split()[0]: line for line in text.splitlines()[3:6]}
    assert set(rows) == {"0", "1", "2"} and "100.0%" in rows["1"]
    summary = monitor.report(summary=True, echo=False)
    assert capsys.readouterr().out == ""
    assert "3 steps" in summary and "Linear" in summary
    buffer = io.StringIO()
    monitor.report(step=0, file=buffer)
    assert "step 0" in buffer.getvalue()
    empty = nn.GradientMonitor(model).report(echo=False)
    assert "nothing recorded" in empty


def test_plot_returns_a_figure():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    autograd.manual_seed(0)
    X, Y = moons(64)
    model = mlp([2, 8, 8, 1], nn.Sigmoid)
    monitor = train(model, optim.SGD(model.parameters(), lr=0.1), 12, X, Y)
    fig = monitor.plot()
    try:
        assert isinstance(fig, Figure)
        flow, loss_ax = fig.axes
        assert flow.get_yscale() == "log"
        assert [t.get_text().split("\n")[0] for t in flow.get_xticklabels()] == ["0", "2", "4"]
        assert len(flow.lines) == 8  # 8 of the 12 steps
        np.testing.assert_allclose(flow.lines[-1].get_ydata(), [monitor.history[-1].gradients[n].grad_norm for n in "024"])
        np.testing.assert_allclose(loss_ax.lines[0].get_ydata(), monitor.losses)
    finally:
        plt.close(fig)


def test_plot_without_matplotlib_says_what_to_install(monkeypatch):
    monitor = nn.GradientMonitor(nn.Sequential(nn.Linear(1, 1)))
    monitor.step(1.0)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        monitor.plot()


def test_remove_detaches_the_hooks():
    model = mlp([2, 4, 1], nn.ReLU)
    monitor = nn.GradientMonitor(model)
    assert all(len(m._forward_hooks) == 1 for m in model)
    monitor.remove()
    monitor.remove()  # idempotent
    assert all(len(m._forward_hooks) == 0 for m in model)
    model(autograd.randn(5, 2)).sum().backward()
    record = monitor.step()
    assert record.activations == {} and set(record.gradients) == {"0", "2"}
    with nn.GradientMonitor(model) as watching:
        model(autograd.randn(5, 2))
        assert set(watching.step().activations) == {"0", "1", "2"}
    assert all(len(m._forward_hooks) == 0 for m in model)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(TypeError, match="nn.Module"):
        nn.GradientMonitor(nn.MLP(2, [3, 1]))
    with pytest.raises(ValueError, match="no module"):
        nn.GradientMonitor(nn.Sequential(nn.Dropout()))
    with pytest.raises(TypeError, match="unknown threshold 'vanishing'"):
        nn.GradientMonitor(nn.Linear(2, 1), vanishing=1e-3)
    with pytest.raises(ValueError, match="window must be a positive int"):
        nn.GradientMonitor(nn.Linear(2, 1), window=0)
    with pytest.raises(ValueError, match="saturation"):
        nn.GradientMonitor(nn.Linear(2, 1), saturation=1.5)
    monitor = nn.GradientMonitor(nn.Linear(2, 1))
    with pytest.raises(ValueError, match="one-element"):
        monitor.step(autograd.ones(3))
    with pytest.raises(TypeError, match="loss must be a number"):
        monitor.step("0.5")
    assert nn.diagnostics.GradientMonitor is nn.GradientMonitor
