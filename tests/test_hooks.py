"""Tensor gradient hooks, PyTorch's ``register_hook`` and ``register_post_accumulate_grad_hook``: when
they run, what a returned gradient replaces, their order with ``retain_grad``, removal, errors, and the
engine's modes (arrays, create_graph, the stepper, in-place gradient reuse). (Values were compared with
torch 2.13 by hand; the tests never import torch.)"""
import numpy as np
import pytest

import autograd as ag


def leaf(values, dtype=np.float64):
    return ag.tensor(np.array(values, dtype=dtype), requires_grad=True)


def values(t):
    return t.detach().numpy()


def test_hooks_see_and_replace_gradients_in_order_and_retain_grad_keeps_the_result():
    log = []
    a = leaf([1.0, 2.0])
    b = a * 3
    b.register_hook(lambda g: log.append(("b", values(g).tolist())))
    b.register_hook(lambda g: g * 10)
    b.retain_grad()
    a.register_hook(lambda g: log.append(("a", values(g).tolist())) or g + 1)
    (b * b).sum().backward()  # dL/db = 2b = [6, 12], times 10 by the hook; dL/da = 3 * that
    assert log == [("b", [6.0, 12.0]), ("a", [180.0, 360.0])]
    np.testing.assert_array_equal(values(b.grad), [60.0, 120.0])  # after the hooks, as PyTorch
    np.testing.assert_array_equal(values(a.grad), [181.0, 361.0])  # a leaf's hook runs before .grad


def test_a_removed_hook_no_longer_runs_and_handles_work_as_context_managers():
    a = leaf([1.0, 2.0])
    handle = a.register_hook(lambda g: g * 0)
    (a * 2).sum().backward()
    np.testing.assert_array_equal(values(a.grad), [0.0, 0.0])
    handle.remove()
    handle.remove()  # idempotent
    a.grad = None
    (a * 2).sum().backward()
    np.testing.assert_array_equal(values(a.grad), [2.0, 2.0])
    a.grad = None
    with a.register_hook(lambda g: g * 5):
        (a * 2).sum().backward()
    (a * 2).sum().backward()
    np.testing.assert_array_equal(values(a.grad), [12.0, 12.0])  # 10 inside the with, 2 after it


def test_a_hook_runs_once_per_backward_with_the_complete_gradient():
    seen = []
    a = leaf([1.0, 2.0])
    b = a * 2
    b.register_hook(lambda g: seen.append(values(g).copy()))
    (b * 3 + b * b).sum().backward()  # two consumers: one call, with their sum 3 + 2b
    assert len(seen) == 1
    np.testing.assert_array_equal(seen[0], [7.0, 11.0])


def test_post_accumulate_grad_hook_sees_the_accumulated_leaf():
    seen = []
    w = leaf([1.0, 2.0])
    w.register_post_accumulate_grad_hook(lambda t: seen.append(values(t.grad).copy()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    np.testing.assert_array_equal(seen[0], [2.0, 2.0])
    np.testing.assert_array_equal(seen[1], [5.0, 5.0])
    ag.grad((w * 4).sum(), w)  # autograd.grad leaves .grad alone: no accumulation, no call
    assert len(seen) == 2


def test_post_accumulate_grad_hook_can_update_a_parameter_in_backward():
    w = leaf([1.0, 2.0])

    def sgd(param):
        with ag.no_grad():
            param -= 0.5 * param.grad
        param.grad = None

    w.register_post_accumulate_grad_hook(sgd)
    (w * w).sum().backward()
    np.testing.assert_array_equal(values(w), [0.0, 0.0])
    assert w.grad is None


def test_hooks_and_autograd_grad_capture():
    a = leaf([1.0, 2.0])
    c = a * 2
    c.register_hook(lambda g: g * 100)
    ga, gc = ag.grad((c * c).sum(), [a, c])
    np.testing.assert_array_equal(values(gc), [4.0, 8.0])  # a non-leaf is captured as it arrives
    np.testing.assert_array_equal(values(ga), [800.0, 1600.0])  # the hooked gradient flows on
    a.register_hook(lambda g: g * 0 + 7)
    (g,) = ag.grad((a * a).sum(), a)
    np.testing.assert_array_equal(values(g), [7.0, 7.0])  # a leaf's hooks run before capture
    assert a.grad is None


def test_hook_errors():
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        ag.tensor([1.0]).register_hook(lambda g: g)
    with pytest.raises(RuntimeError, match="post accumulate grad hooks cannot be registered on non-leaf tensors"):
        (leaf([1.0]) * 2).register_post_accumulate_grad_hook(lambda t: None)
    with pytest.raises(TypeError, match="a hook must be callable"):
        leaf([1.0]).register_hook(3)
    x = leaf([1.0, 2.0])
    x.register_hook(lambda g: ag.ones(3, dtype=ag.float64))
    with pytest.raises(RuntimeError, match=r"hook '<lambda>' has changed the size of value: got shape \(3,\), expected \(2,\)"):
        (x * 2).sum().backward()
    y = leaf([1.0, 2.0], np.float32)
    y.register_hook(lambda g: g.double())
    with pytest.raises(RuntimeError, match="hook '<lambda>' has changed the type of value \\(was float32 got float64\\)"):
        (y * 2).sum().backward()
    z = leaf([1.0])
    z.register_hook(lambda g: 3.0)
    with pytest.raises(TypeError, match="returned a float; expected a Tensor or None"):
        (z * 2).sum().backward()


def test_hooks_run_without_recording_unless_create_graph():
    x = leaf([1.0, 2.0])
    y = x * x
    modes = []

    def scale_by_x(g):
        modes.append(ag.is_grad_enabled())
        return g * x

    y.register_hook(scale_by_x)
    y.sum().backward(retain_graph=True)
    assert modes == [False]
    np.testing.assert_array_equal(values(x.grad), [2.0, 8.0])  # 2x * x
    assert not x.grad.requires_grad
    (g,) = ag.grad(y.sum(), x, create_graph=True)
    assert modes == [False, True] and g.requires_grad
    (h,) = ag.grad(g.sum(), x)  # d/dx sum(2x^2) = 4x
    np.testing.assert_array_equal(values(h), [4.0, 8.0])


def test_a_hook_keeping_a_gradient_stops_relu_from_overwriting_it():
    x = leaf([[1.0, -2.0], [3.0, -4.0]])
    pre = x * 1.0
    h = pre.relu()
    c = ag.tensor(np.array([[5.0, 6.0], [7.0, 8.0]]))
    kept = []
    h.register_hook(lambda g: kept.append(g))
    (h * c).sum().backward()
    np.testing.assert_array_equal(values(kept[0]), [[5.0, 6.0], [7.0, 8.0]])  # relu masks a copy
    np.testing.assert_array_equal(values(x.grad), [[5.0, 0.0], [7.0, 0.0]])


def test_the_stepper_shows_hooked_gradients_and_ends_equal_to_backward():
    def build():
        a = leaf([1.0, 2.0])
        b = a * 3
        b.register_hook(lambda g: g * 10)
        return a, b, (b * b).sum()

    a1, _, loss1 = build()
    loss1.backward()
    a2, b2, loss2 = build()
    stepper = ag.BackwardStepper(loss2)
    steps = list(stepper)
    np.testing.assert_array_equal(values(a2.grad), values(a1.grad))
    np.testing.assert_array_equal(values(a2.grad), [180.0, 360.0])
    (b_step,) = [step for step in steps if step.node is b2]
    np.testing.assert_array_equal(values(ag.engine.as_tensor(b_step.grad)), [60.0, 120.0])  # what b's node uses


def test_retains_grad_property_and_hooks_on_parameters():
    import nn

    a = leaf([1.0])
    b = a * 2
    assert not b.retains_grad
    b.retain_grad()
    assert b.retains_grad and not a.retains_grad
    layer = nn.Linear(2, 1)
    norms = []
    layer.weight.register_hook(lambda g: norms.append(float(g.norm())))
    layer(ag.ones(4, 2)).sum().backward()
    assert norms == [pytest.approx(float(layer.weight.grad.norm()))] and norms[0] > 0
