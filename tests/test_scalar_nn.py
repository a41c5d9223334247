"""Scalar models nn.Neuron / nn.Layer / nn.MLP on autograd.Value: micrograd's API, seeding, math."""
import numpy as np
import pytest

import autograd
import nn
from autograd import Value


def test_neuron_computes_relu_of_affine_map_and_its_gradient():
    autograd.manual_seed(0)
    n = nn.Neuron(3)
    w = [p.data for p in n.w]
    assert all(-1.0 <= wi < 1.0 for wi in w) and n.b.data == 0.0
    n.b.data = 0.25
    x = [0.5, -1.0, 2.0]
    act = 0.25 + sum(wi * xi for wi, xi in zip(w, x))
    out = n(x)
    assert isinstance(out, Value)
    assert out.data == pytest.approx(max(act, 0.0), rel=1e-12)
    out.backward()
    expected = [xi if act > 0 else 0.0 for xi in x]
    assert [p.grad for p in n.w] == pytest.approx(expected)
    assert n.b.grad == (1.0 if act > 0 else 0.0)


def test_linear_neuron_has_no_relu():
    n = nn.Neuron(2, nonlin=False)
    for p, v in zip(n.parameters(), [-3.0, 1.0, 0.5]):
        p.data = v
    assert n([1.0, 2.0]).data == -3.0 + 2.0 + 0.5
    assert repr(n) == "LinearNeuron(2)" and repr(nn.Neuron(4)) == "ReLUNeuron(4)"


def test_weights_come_from_the_seeded_generator():
    autograd.manual_seed(123)
    first = [p.data for p in nn.MLP(2, [4, 1]).parameters()]
    autograd.manual_seed(123)
    second = [p.data for p in nn.MLP(2, [4, 1]).parameters()]
    assert first == second
    expected = np.random.default_rng(123).uniform(-1.0, 1.0, size=2).tolist()
    autograd.manual_seed(123)
    assert [p.data for p in nn.Neuron(2).w] == expected


def test_mlp_structure_parameters_and_repr_like_micrograd():
    model = nn.MLP(3, [4, 4, 1])
    assert len(model.parameters()) == (3 * 4 + 4) + (4 * 4 + 4) + (4 + 1)
    assert repr(model) == (
        "MLP of [Layer of [ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3), ReLUNeuron(3)], "
        "Layer of [ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4), ReLUNeuron(4)], "
        "Layer of [LinearNeuron(4)]]"
    )
    layer = nn.Layer(2, 3)
    out = layer([1.0, -1.0])
    assert isinstance(out, list) and len(out) == 3
    assert isinstance(nn.Layer(2, 1)([1.0, 2.0]), Value)


def test_mlp_forward_matches_numpy():
    autograd.manual_seed(7)
    model = nn.MLP(2, [3, 1])
    w1 = np.array([[p.data for p in n.w] for n in model.layers[0].neurons])
    b1 = np.array([n.b.data for n in model.layers[0].neurons])
    w2 = np.array([p.data for p in model.layers[1].neurons[0].w])
    x = np.array([0.3, -0.8])
    expected = w2 @ np.maximum(w1 @ x + b1, 0.0)
    assert model(x.tolist()).data == pytest.approx(expected, rel=1e-12)


def test_zero_grad_and_manual_sgd_step_reduce_the_loss():
    autograd.manual_seed(1)
    model = nn.MLP(2, [8, 1])
    xs = [[1.0, 2.0], [-1.0, 0.5], [0.5, -2.0]]
    ys = [1.0, -1.0, 1.0]

    def loss():
        return sum(((model(x) - y) ** 2 for x, y in zip(xs, ys)), Value(0.0))

    first = loss()
    first.backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    for p in model.parameters():
        p.data -= 0.05 * p.grad
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
    assert loss().data < first.data


def test_bad_sizes_and_inputs_raise():
    with pytest.raises(ValueError, match="Neuron: nin must be a positive int"):
        nn.Neuron(0)
    with pytest.raises(ValueError, match="MLP: nouts must list at least one layer size"):
        nn.MLP(2, [])
    with pytest.raises(ValueError, match="Neuron: expected 2 inputs, got 3"):
        nn.Neuron(2)([1.0, 2.0, 3.0])


def test_optimizers_update_value_parameters_like_tensor_parameters():
    import optim

    if not hasattr(optim, "SGD"):
        pytest.skip("optim.SGD is not available yet")
    autograd.manual_seed(3)
    model = nn.MLP(2, [3, 1])
    model([1.0, -2.0]).backward()
    before = [(p.data, p.grad) for p in model.parameters()]
    opt = optim.SGD(model.parameters(), lr=0.1)
    opt.step()
    assert [p.data for p in model.parameters()] == [d - 0.1 * g for d, g in before]
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())
