"""relu's and dropout's backward write into the incoming gradient only when the engine alone holds it.

``Op.may_overwrite_grad`` lets a formula reuse ``grad``'s memory; the engine allows it
(``ctx._on_arrays is OWNS_GRAD``) only when nothing else can see that array. Each test below builds a
graph where something else does see it (a retained ``.grad``, a captured ``autograd.grad`` result,
another input's gradient, a stepper), and checks both that the engine said no and that every
gradient equals the one computed with the reuse switched off.
"""
import numpy as np
import pytest

import autograd
import nn
from autograd.function import OWNS_GRAD
from autograd.ops.elementwise import ReLU
from nn.dropout import DropoutMask


def record_owned(monkeypatch, op):
    """The ``ctx._on_arrays is OWNS_GRAD`` each backward of ``op`` runs with, in order (a list that fills as they run)."""
    flags = []
    backward = op.backward

    def spy(ctx, grad):
        flags.append(ctx._on_arrays is OWNS_GRAD)
        return backward(ctx, grad)

    monkeypatch.setattr(op, "backward", staticmethod(spy))
    return flags


@pytest.fixture
def owned_flags(monkeypatch):
    """The ``ctx._on_arrays is OWNS_GRAD`` each relu backward ran with, in order."""
    return record_owned(monkeypatch, ReLU)


def leaves(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    x = autograd.tensor(rng.standard_normal((5, 4)).astype(dtype), requires_grad=True)
    w = autograd.tensor(rng.standard_normal((4, 3)).astype(dtype), requires_grad=True)
    return x, w


def without_reuse(monkeypatch, op, run):
    """``run()``'s result with ``op`` never overwriting a gradient (the reference)."""
    with monkeypatch.context() as m:
        m.setattr(op, "may_overwrite_grad", False)
        return run()


def test_a_gradient_only_the_engine_holds_is_overwritten_and_the_result_is_unchanged(owned_flags, monkeypatch):
    def run():
        x, w = leaves()
        ((x @ w).relu() @ w.T * 3).sum().backward()
        return x.grad.numpy(), w.grad.numpy()

    got = run()
    assert owned_flags == [True]  # a fresh product's gradient: the relu may write into it
    for a, b in zip(got, without_reuse(monkeypatch, ReLU, run)):
        np.testing.assert_array_equal(a, b)


def test_a_gradient_shared_with_another_input_is_not_overwritten(owned_flags, monkeypatch):
    # add passes one array to both inputs: the first relu must leave it for the second
    def run():
        x, w = leaves()
        a, b = x @ w, (x @ w) * 2
        ((a.relu() + b.relu()) * 5).sum().backward()
        return x.grad.numpy(), w.grad.numpy()

    got = run()
    assert owned_flags == [False, True]
    for a, b in zip(got, without_reuse(monkeypatch, ReLU, run)):
        np.testing.assert_array_equal(a, b)


def test_a_retained_grad_is_not_overwritten(owned_flags):
    x, w = leaves()
    h = (x @ w).relu()
    h.retain_grad()
    (h * 2).sum().backward()
    assert owned_flags == [False]
    np.testing.assert_array_equal(h.grad.numpy(), np.full((5, 3), 2.0))


def test_a_gradient_captured_by_autograd_grad_is_not_overwritten(owned_flags):
    x, w = leaves()
    h = (x @ w).relu()
    dh, dw = autograd.grad((h * 2).sum(), [h, w])
    assert owned_flags == [False]
    np.testing.assert_array_equal(dh.numpy(), np.full((5, 3), 2.0))
    xa, wa = x.detach().numpy(), w.detach().numpy()
    expected_dw = xa.T @ (2.0 * (xa @ wa > 0))
    np.testing.assert_allclose(dw.numpy(), expected_dw)


def test_the_stepper_shows_gradients_as_they_arrived(owned_flags):
    x, w = leaves()
    h = (x @ w).relu()
    loss = (h * 2).sum()
    steps = list(autograd.BackwardStepper(loss))
    assert owned_flags == [False]
    relu_step = next(s for s in steps if s.node is h)
    np.testing.assert_array_equal(np.asarray(relu_step.grad), np.full((5, 3), 2.0))


def test_create_graph_never_overwrites(owned_flags):
    x, w = leaves()
    (gx,) = autograd.grad(((x @ w).relu() * 2).sum(), [x], create_graph=True)
    assert owned_flags == [False]
    xa, wa = x.detach().numpy(), w.detach().numpy()
    np.testing.assert_allclose(gx.detach().numpy(), (2.0 * (xa @ wa > 0)) @ wa.T)


def test_the_same_graph_backpropagated_twice_gives_the_same_gradients(owned_flags):
    x, w = leaves()
    loss = ((x @ w).relu() @ w.T * 3).sum()
    loss.backward(retain_graph=True)
    first = x.grad.numpy().copy()
    x.grad = None
    loss.backward()
    assert owned_flags == [True, True]
    np.testing.assert_array_equal(x.grad.numpy(), first)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_the_mlp_step_overwrites_both_relu_gradients_and_matches(owned_flags, monkeypatch, dtype):
    def run():
        autograd.manual_seed(0)
        model = nn.Sequential(nn.Linear(6, 5), nn.ReLU(), nn.Linear(5, 4), nn.ReLU(), nn.Linear(4, 3)).to(dtype)
        x = autograd.tensor(np.random.default_rng(1).standard_normal((7, 6)).astype(dtype))
        nn.CrossEntropyLoss()(model(x), autograd.tensor([0, 1, 2, 0, 1, 2, 0])).backward()
        return [p.grad.numpy() for p in model.parameters()]

    got = run()
    # If a new CPython counts references differently, this fails instead of the speed-up silently going.
    assert owned_flags == [True, True]
    for a, b in zip(got, without_reuse(monkeypatch, ReLU, run)):
        assert a.dtype == dtype
        np.testing.assert_array_equal(a, b)


def test_dropout_overwrites_only_a_gradient_the_engine_alone_holds(monkeypatch):
    flags = record_owned(monkeypatch, DropoutMask)

    def run():
        autograd.manual_seed(3)
        x, w = leaves()
        (nn.functional.dropout(x @ w, p=0.5, training=True) @ w.T * 3).sum().backward()
        return x.grad.numpy(), w.grad.numpy()

    got = run()
    assert flags == [True]
    for a, b in zip(got, without_reuse(monkeypatch, DropoutMask, run)):
        np.testing.assert_array_equal(a, b)
    flags.clear()
    x, w = leaves()
    h = nn.functional.dropout(x @ w, p=0.5, training=True)
    h.retain_grad()
    (h * 3).sum().backward()
    assert flags == [False]
    np.testing.assert_array_equal(h.grad.numpy(), np.full((5, 3), 3.0))
