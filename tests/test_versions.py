"""Saved values changed in place before backward raise, also through views and detach(), as in PyTorch."""
import numpy as np
import pytest

import autograd as ag

MODIFIED = "modified by an inplace operation"


def mul_graph():
    x = ag.tensor([1.0, 2.0, 3.0, 4.0], requires_grad=True)
    w = ag.tensor([1.0, 2.0, 3.0, 4.0])
    return x, w, (x * w).sum()  # Mul saves w for d/dx


@pytest.mark.parametrize("through", [
    lambda w: w,
    lambda w: w[0:2],
    lambda w: w[::2],
    lambda w: w.reshape(2, 2),
    lambda w: w.unsqueeze(0),
    lambda w: w.reshape(2, 2).T,
    lambda w: w.detach(),
    lambda w: w.view(4).detach()[1:],
])
def test_in_place_change_of_a_saved_tensor_raises(through):
    x, w, loss = mul_graph()
    with ag.no_grad():
        through(w).mul_(10)
    with pytest.raises(RuntimeError, match=MODIFIED):
        loss.backward()


def test_a_copy_does_not_share_the_version():
    x, w, loss = mul_graph()
    for copy in (w.clone(), w[[0, 1]], w.to(ag.float64)):
        with ag.no_grad():
            copy.mul_(10)
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [1.0, 2.0, 3.0, 4.0])


def test_data_is_the_documented_escape_hatch():
    # Like PyTorch, .data does not share the version counter: changes through it go unseen.
    x, w, loss = mul_graph()
    w.data.mul_(10)
    loss.backward()
    np.testing.assert_array_equal(x.grad.numpy(), [10.0, 20.0, 30.0, 40.0])


def test_version_counts_changes_through_any_view():
    w = ag.zeros(4)
    view = w[1:3]
    assert w.version == view.version == 0
    with ag.no_grad():
        view.add_(1)
        w[0] = 5.0
        w.detach().zero_()
    assert w.version == view.version == 3


def test_retained_graph_after_optimizer_step_raises_like_pytorch():
    import optim

    w = ag.tensor([1.0, -1.0], requires_grad=True)
    loss = (w * w).sum()
    loss.backward(retain_graph=True)
    optim.SGD([w], lr=0.1).step()
    with pytest.raises(RuntimeError, match=MODIFIED):
        loss.backward()
