"""The engine's and grad mode's entry points as PyTorch has them: ``autograd.backward(tensors, grad_tensors,
..., inputs)``, ``Tensor.backward(inputs=)``, a user Function's keywords and broadcast gradients, grad-mode
decorators on generators and without parentheses. (Each case was compared with torch 2.13 by hand; the tests
never import torch.)"""
import numpy as np
import pytest

import autograd as ag
from autograd import Function


def leaf(values, dtype=np.float64):
    return ag.tensor(np.array(values, dtype=dtype), requires_grad=True)


def values(t):
    return t.detach().numpy()


# ------------------------------------------------------------------ backward(), grad()
def test_too_few_or_too_many_gradients_for_the_outputs_raise():
    a = leaf([1.0, 2.0])
    outputs = [(a * 2).sum(), (a * 3).sum()]
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        ag.grad(outputs, a, grad_outputs=[ag.tensor(1.0)])
    with pytest.raises(RuntimeError, match="got 2 tensors and 1 gradients"):
        ag.backward([(a * 2).sum(), (a * 3).sum()], grad_tensors=[ag.tensor(1.0)])
    with pytest.raises(RuntimeError, match="got 1 tensors and 2 gradients"):
        ag.grad([(a * 2).sum()], a, grad_outputs=[ag.tensor(1.0), ag.tensor(1.0)])
    assert a.grad is None


def test_backward_takes_one_tensor_or_a_sequence_with_grad_tensors():
    a = leaf([1.0, 2.0])
    ag.backward((a * 2).sum())  # one 0-d tensor, as in torch.autograd.backward
    np.testing.assert_array_equal(values(a.grad), [2.0, 2.0])
    a.grad = None
    ag.backward((a * 2).sum(), ag.tensor(3.0, dtype=ag.float64))
    np.testing.assert_array_equal(values(a.grad), [6.0, 6.0])
    a.grad = None
    ag.backward(a * a, grad_tensors=ag.tensor([1.0, 10.0], dtype=ag.float64))  # one tensor with dimensions
    np.testing.assert_array_equal(values(a.grad), [2.0, 40.0])
    a.grad = None
    ag.backward([(a * 2).sum(), (a * a).sum()], [None, ag.tensor(2.0, dtype=ag.float64)])
    np.testing.assert_array_equal(values(a.grad), [6.0, 10.0])


def test_backward_inputs_accumulates_only_into_the_given_tensors():
    a, c = leaf([1.0, 2.0]), leaf([5.0, 7.0])
    b = a * 2
    loss = (b * b * c).sum()
    loss.backward(inputs=[b], retain_graph=True)  # a non-leaf gets a .grad; the leaves are left alone
    np.testing.assert_array_equal(values(b.grad), [20.0, 56.0])
    assert a.grad is None and c.grad is None
    loss.backward(inputs=c, retain_graph=True)
    np.testing.assert_array_equal(values(c.grad), [4.0, 16.0])
    assert a.grad is None
    ag.backward(loss, inputs=[a, c])  # accumulates, like backward()
    np.testing.assert_array_equal(values(a.grad), [40.0, 112.0])
    np.testing.assert_array_equal(values(c.grad), [8.0, 32.0])


def test_backward_inputs_errors_and_unused_inputs():
    a, unused = leaf([1.0, 2.0]), leaf([3.0])
    (a * 2).sum().backward(inputs=[unused])  # not in the graph: its .grad stays None, as in PyTorch
    assert unused.grad is None and a.grad is None
    with pytest.raises(RuntimeError, match="`inputs` argument to `backward\\(\\)` cannot be empty"):
        (a * 2).sum().backward(inputs=[])
    with pytest.raises(RuntimeError, match=r"inputs\[0\] does not require grad"):
        (a * 2).sum().backward(inputs=[ag.tensor([1.0])])


def test_backward_inputs_with_create_graph_gives_a_differentiable_grad():
    a = leaf([1.0, 2.0])
    (a * a * a).sum().backward(inputs=[a], create_graph=True)
    assert a.grad.requires_grad
    np.testing.assert_array_equal(values(a.grad), [3.0, 12.0])
    (h,) = ag.grad(a.grad.sum(), a)
    np.testing.assert_array_equal(values(h), [6.0, 12.0])


def test_a_leaf_whose_requires_grad_was_switched_off_after_the_forward_gets_no_grad():
    x, w = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    y = (x * w).sum()
    x.requires_grad_(False)
    y.backward()
    assert x.grad is None
    np.testing.assert_array_equal(values(w.grad), [1.0, 2.0])


@pytest.mark.parametrize("make", [lambda a: (a * a).sum(), lambda a: (a * a * a).sum()])
def test_create_graph_records_inside_no_grad(make):
    # The engine's own sums of two contributions (a * a gives a two) are recorded too.
    a = leaf([1.0, 2.0])
    y = make(a)
    with ag.no_grad():
        (g,) = ag.grad(y, a, create_graph=True)
        assert not ag.is_grad_enabled()
    assert g.requires_grad and g.grad_fn is not None
    (h,) = ag.grad(g.sum(), a)
    power = 2 if np.allclose(values(g), 2 * values(a)) else 3
    np.testing.assert_allclose(values(h), [2.0, 2.0] if power == 2 else [6.0, 12.0])


def test_create_graph_accumulation_into_grad_is_recorded_inside_no_grad():
    a = leaf([1.0, 2.0])
    (a * a).sum().backward(create_graph=True)
    cube = (a * a * a).sum()
    with ag.no_grad():
        cube.backward(create_graph=True)  # a.grad = 2a + 3a^2, a graph of a
    assert a.grad.requires_grad
    np.testing.assert_array_equal(values(a.grad), [5.0, 16.0])
    (h,) = ag.grad(a.grad.sum(), a)
    np.testing.assert_array_equal(values(h), [8.0, 14.0])  # 2 + 6a


def test_grad_materializes_unused_inputs_as_zeros():
    a, unused = leaf([1.0, 2.0]), leaf([[3.0], [4.0]])
    ga, gu = ag.grad((a * 2).sum(), [a, unused], materialize_grads=True)
    np.testing.assert_array_equal(values(ga), [2.0, 2.0])
    assert gu.shape == (2, 1) and gu.dtype == np.float64 and not gu.requires_grad
    np.testing.assert_array_equal(values(gu), [[0.0], [0.0]])
    assert ag.grad((a * 2).sum(), [a, unused], allow_unused=True)[1] is None
    with pytest.raises(RuntimeError, match="was not used in the graph"):
        ag.grad((a * 2).sum(), [a, unused])
    with pytest.raises(ValueError, match="Expected allow_unused to be True or not passed when materialize_grads=True"):
        ag.grad((a * 2).sum(), [a, unused], allow_unused=False, materialize_grads=True)


# ------------------------------------------------------------------ autograd.Function
class BroadcastMul(Function):
    """a * b, b broadcast by forward; backward returns grad * a for b unreduced (PyTorch sums it back)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.saved_tensors
        return grad * b, grad * a


def test_a_user_gradient_of_a_broadcast_shape_is_summed_back_to_its_input():
    a, b = leaf([[1.0, 2.0], [3.0, 4.0]]), leaf([10.0])
    BroadcastMul.apply(a, b).sum().backward()
    np.testing.assert_array_equal(values(a.grad), [[10.0, 10.0], [10.0, 10.0]])
    np.testing.assert_array_equal(values(b.grad), [10.0])
    assert ag.gradcheck(BroadcastMul.apply, [leaf([[0.5, -1.5]]), leaf([[2.0], [3.0]])])


def test_a_summed_back_user_gradient_is_differentiable_under_create_graph():
    a, b = leaf([1.0, 2.0, 3.0]), leaf([2.0])
    (gb,) = ag.grad(BroadcastMul.apply(a, b).sum(), b, create_graph=True)
    np.testing.assert_array_equal(values(gb), [6.0])
    (ga,) = ag.grad(gb.sum(), a)  # d(sum a)/da
    np.testing.assert_array_equal(values(ga), [1.0, 1.0, 1.0])


def test_a_user_gradient_that_does_not_broadcast_still_raises():
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])

    class Wrong(Function):
        @staticmethod
        def forward(ctx, a, b):
            return a * b

        @staticmethod
        def backward(ctx, grad):
            return grad, ag.ones(3, dtype=ag.float64)

    with pytest.raises(RuntimeError, match=r"WrongBackward: backward returned a gradient of shape \(3,\) for input 1"):
        Wrong.apply(a, b).sum().backward()


class Scale(Function):
    """x * scale + shift."""

    @staticmethod
    def forward(ctx, x, scale=2.0, shift=0.0):
        ctx.scale = scale
        return x * scale + shift

    @staticmethod
    def backward(ctx, grad):
        return grad * ctx.scale, None, None


def test_function_apply_takes_keywords_and_defaults():
    x = leaf([1.0, 2.0])
    y = Scale.apply(x, scale=4.0)
    np.testing.assert_array_equal(values(y), [4.0, 8.0])
    y.sum().backward()
    np.testing.assert_array_equal(values(x.grad), [4.0, 4.0])
    x.grad = None
    y = Scale.apply(x)  # backward's trailing Nones for defaults not given are dropped, as in PyTorch
    y.sum().backward()
    np.testing.assert_array_equal(values(x.grad), [2.0, 2.0])
    np.testing.assert_array_equal(values(Scale.apply(x, shift=1.0)), [3.0, 5.0])
    a, b = leaf([1.0, 2.0]), leaf([3.0, 4.0])
    BroadcastMul.apply(a, b=b).sum().backward()  # a tensor given by keyword is an input like any other
    np.testing.assert_array_equal(values(b.grad), [1.0, 2.0])


def test_function_apply_refuses_unknown_repeated_and_missing_keywords():
    x = leaf([1.0])
    with pytest.raises(TypeError, match=r"Scale.apply\(\) got an unexpected or repeated keyword argument 'factor'"):
        Scale.apply(x, factor=3.0)
    with pytest.raises(TypeError, match="repeated keyword argument 'x'"):
        Scale.apply(x, x=x)
    with pytest.raises(TypeError, match=r"missing required argument 'a'"):
        BroadcastMul.apply(b=x)


def test_extra_gradients_must_be_none():
    class Extra(Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, grad):
            return grad * 2, grad

    with pytest.raises(RuntimeError, match="ExtraBackward: backward returned 2 gradients, but forward took 1 arguments"):
        Extra.apply(leaf([1.0])).sum().backward()


# ------------------------------------------------------------------ grad-mode decorators
@pytest.mark.parametrize("context, mode", [(ag.no_grad, False), (ag.enable_grad, True)])
def test_grad_mode_decorators_work_without_parentheses(context, mode):
    @context
    def probe(x):
        """Doc kept."""
        return ag.is_grad_enabled(), x

    with ag.set_grad_enabled(not mode):
        assert probe(1) == (mode, 1)
        assert ag.is_grad_enabled() is (not mode)
    assert probe.__name__ == "probe" and probe.__doc__ == "Doc kept."
    with pytest.raises(TypeError, match=r"takes no arguments \(got int\)"):
        context(3)


def test_no_grad_on_a_generator_function_applies_to_each_step_only():
    a = leaf([1.0])

    @ag.no_grad()
    def steps():
        received = yield (a * 2).requires_grad
        yield received, ag.is_grad_enabled()
        try:
            yield "waiting"
        except ValueError:
            yield "caught", ag.is_grad_enabled()

    gen = steps()
    assert next(gen) is False
    assert ag.is_grad_enabled()  # the caller's mode between steps
    assert gen.send(5) == (5, False)
    assert next(gen) == "waiting"
    assert gen.throw(ValueError("x")) == ("caught", False)
    gen.close()
    assert ag.is_grad_enabled()


def test_set_grad_enabled_decorates_a_generator_and_refuses_non_bools():
    @ag.set_grad_enabled(False)
    def modes():
        yield ag.is_grad_enabled()
        yield ag.is_grad_enabled()

    assert list(modes()) == [False, False] and ag.is_grad_enabled()
    for bad in (1, 0.0, None):
        with pytest.raises(TypeError, match="set_grad_enabled\\(\\): argument 'mode' must be bool"):
            ag.set_grad_enabled(bad)
    assert ag.is_grad_enabled()
    with ag.set_grad_enabled(np.bool_(False)):
        assert not ag.is_grad_enabled()
