"""nn.l1_penalty / nn.l2_penalty (values, gradients, relation to weight_decay) and nn.EarlyStopping."""
import math

import numpy as np
import pytest

import autograd
import nn
import optim
from nn.module import Module, Parameter

W = np.array([[0.5, -1.5], [2.0, -0.25]])
B = np.array([-3.0, 0.75, 0.1])


def leaves(dtype=np.float64):
    return [autograd.tensor(W, dtype=dtype, requires_grad=True), autograd.tensor(B, dtype=dtype, requires_grad=True)]


# ------------------------------------------------------------------ penalties
def test_l1_penalty_value_and_gradient_is_sign():
    w, b = leaves()
    penalty = nn.l1_penalty([w, b])
    assert penalty.shape == ()
    np.testing.assert_allclose(penalty.item(), np.abs(W).sum() + np.abs(B).sum())
    penalty.backward()
    np.testing.assert_array_equal(w.grad.numpy(), np.sign(W))
    np.testing.assert_array_equal(b.grad.numpy(), np.sign(B))
    assert autograd.gradcheck(lambda w, b: nn.l1_penalty([w, b]), leaves())


def test_l2_penalty_value_and_gradient_is_two_w():
    w, b = leaves()
    penalty = nn.l2_penalty(p for p in [w, b])
    np.testing.assert_allclose(penalty.item(), (W ** 2).sum() + (B ** 2).sum())
    penalty.backward()
    np.testing.assert_allclose(w.grad.numpy(), 2 * W)
    np.testing.assert_allclose(b.grad.numpy(), 2 * B)
    assert autograd.gradcheck(lambda w, b: nn.l2_penalty([w, b]), leaves())


def test_penalties_of_a_single_tensor_and_of_nothing():
    w, _ = leaves(np.float32)
    assert nn.l2_penalty(w).dtype == np.float32
    np.testing.assert_allclose(nn.l2_penalty(w).item(), (W ** 2).sum(), rtol=1e-6)
    assert nn.l1_penalty([]).item() == 0.0 and nn.l2_penalty([]).item() == 0.0
    with pytest.raises(TypeError, match="got a ndarray"):
        nn.l2_penalty([W])


def test_l2_penalty_with_lam_equals_sgd_weight_decay_two_lam():
    lam, lr = 0.3, 0.1

    def one_step(weight_decay, use_penalty):
        w, b = leaves()
        opt = optim.SGD([w, b], lr=lr, weight_decay=weight_decay)
        loss = (w.sum() * b.sum()) ** 2
        if use_penalty:
            loss = loss + lam * nn.l2_penalty([w, b])
        loss.backward()
        opt.step()
        return w.detach().numpy(), b.detach().numpy()

    with_penalty, with_decay = one_step(0.0, True), one_step(2 * lam, False)
    for a, b in zip(with_penalty, with_decay):
        np.testing.assert_allclose(a, b, rtol=1e-12)
    assert not np.allclose(one_step(0.0, False)[0], with_decay[0])


# ------------------------------------------------------------- EarlyStopping
def decisions(stopper, metrics):
    return [stopper.step(m) for m in metrics]


def test_min_mode_patience_sequence():
    stopper = nn.EarlyStopping(patience=2)
    assert decisions(stopper, [1.0, 0.8, 0.9, 0.7, 0.75, 0.71]) == [False, False, False, False, False, True]
    assert stopper.best == 0.7 and stopper.best_epoch == 3 and stopper.stopped
    assert stopper.num_bad_epochs == stopper.counter == 2


def test_improvement_resets_the_counter():
    stopper = nn.EarlyStopping(patience=3)
    decisions(stopper, [5.0, 6.0, 6.0])
    assert stopper.counter == 2 and not stopper.stopped
    stopper.step(4.0)
    assert stopper.counter == 0 and stopper.best_epoch == 3


def test_min_delta_requires_a_large_enough_improvement():
    stopper = nn.EarlyStopping(patience=2, min_delta=0.1)
    # 0.95 is within min_delta of the best 1.0; 0.85 beats 1.0 - 0.1; 0.8 and 0.76 do not beat 0.85 - 0.1.
    assert decisions(stopper, [1.0, 0.95, 0.85, 0.8, 0.76]) == [False, False, False, False, True]
    assert stopper.best == 0.85 and stopper.best_epoch == 2


def test_max_mode():
    stopper = nn.EarlyStopping(patience=1, min_delta=0.01, mode="max")
    assert decisions(stopper, [0.5, 0.6, 0.605]) == [False, False, True]
    assert stopper.best == 0.6 and stopper.best_epoch == 1


def test_patience_zero_and_nan_and_tensor_metrics():
    stopper = nn.EarlyStopping(patience=0)
    assert decisions(stopper, [autograd.tensor(2.0), autograd.tensor(1.0), 1.0]) == [False, False, True]
    stopper = nn.EarlyStopping(patience=2)
    assert decisions(stopper, [1.0, math.nan, math.nan]) == [False, False, True]
    assert stopper.best == 1.0
    first_nan = nn.EarlyStopping(patience=1)
    assert decisions(first_nan, [math.nan, 3.0]) == [True, False]
    assert first_nan.best == 3.0 and first_nan.best_epoch == 1


def test_bad_arguments():
    with pytest.raises(ValueError, match="mode"):
        nn.EarlyStopping(mode="minimum")
    with pytest.raises(ValueError, match="patience"):
        nn.EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match="min_delta"):
        nn.EarlyStopping(min_delta=-0.1)
    with pytest.raises(ValueError, match="needs the model"):
        nn.EarlyStopping(restore_best_weights=True).step(1.0)


class Net(Module):
    def __init__(self):
        super().__init__()
        self.weight = Parameter(autograd.zeros(2, 2))
        self.register_buffer("steps", autograd.tensor(0))


def train_one_epoch(net, value):
    with autograd.no_grad():
        net.weight.fill_(value)
        net.steps.add_(1)


def test_restore_best_weights_into_a_module():
    net = Net()
    stopper = nn.EarlyStopping(patience=2, restore_best_weights=True)
    stopped_at = None
    for epoch, loss in enumerate([3.0, 1.0, 2.0, 2.5, 0.5]):
        train_one_epoch(net, 10.0 * epoch)
        if stopper.step(loss, net):
            stopped_at = epoch
            break
    assert stopped_at == 3 and stopper.best_epoch == 1
    np.testing.assert_array_equal(net.weight.detach().numpy(), np.full((2, 2), 10.0))
    assert net.steps.item() == 2
    assert net.weight.requires_grad and isinstance(net.weight, Parameter)
    # the snapshot is a copy: changing the model now does not change it
    train_one_epoch(net, -1.0)
    np.testing.assert_array_equal(stopper.best_state["weight"].numpy(), np.full((2, 2), 10.0))


class StandIn:
    """Any object with state_dict()/load_state_dict() works, e.g. an optimizer-like nested state."""

    def __init__(self):
        self.state = {"w": np.zeros(3), "history": [autograd.zeros(1)], "step": 0}

    def state_dict(self):
        return self.state

    def load_state_dict(self, state):
        self.state = state


def test_restore_best_weights_with_any_state_dict_object():
    obj = StandIn()
    stopper = nn.EarlyStopping(patience=1, mode="max", restore_best_weights=True)
    assert not stopper.step(0.9, obj)
    obj.state["w"] += 5  # in place: the snapshot must not see this
    obj.state["history"][0].add_(7)
    obj.state["step"] = 1
    assert stopper.step(0.8, obj)
    np.testing.assert_array_equal(obj.state["w"], np.zeros(3))
    assert obj.state["history"][0].item() == 0.0 and obj.state["step"] == 0


def test_early_stopping_in_a_moons_training_loop_restores_the_best_model(tmp_path):
    """data + penalties + clipping + early stopping + checkpoints together, on make_moons with an MLP."""
    X, y = nn.data.make_moons(400, noise=0.1, seed=0)
    dataset = nn.data.TensorDataset(autograd.tensor(X), autograd.tensor(y))
    train, val = nn.data.random_split(dataset, [0.75, 0.25], seed=0)
    loader = nn.data.DataLoader(train, batch_size=32, shuffle=True, seed=0)
    X_val, y_val = val[list(range(len(val)))]
    autograd.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    opt = optim.Adam(model.parameters(), lr=0.05)
    loss_fn = nn.CrossEntropyLoss()
    stopper = nn.EarlyStopping(patience=4, mode="max", restore_best_weights=True)

    def accuracy():
        with autograd.no_grad():
            return (model(X_val).argmax(1) == y_val).float().mean().item()

    for _ in range(60):
        for xb, yb in loader:
            opt.zero_grad()
            (loss_fn(model(xb), yb) + 1e-4 * nn.l2_penalty(model.parameters())).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
        if stopper.step(accuracy(), model):
            break
    assert stopper.stopped and stopper.best >= 0.95
    assert accuracy() == stopper.best  # the restored weights are the best epoch's
    nn.save(model.state_dict(), tmp_path / "best.ckpt")
    fresh = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2))
    fresh.load_state_dict(nn.load(tmp_path / "best.ckpt"))
    with autograd.no_grad():
        np.testing.assert_array_equal(fresh(X_val).numpy(), model(X_val).numpy())
