"""nn.Module, Parameter and the containers: registration, traversal, modes, dtypes, state dicts, hooks, repr."""
import copy

import numpy as np
import pytest

import autograd
import nn


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 4)
        self.scale = nn.Parameter(autograd.ones(4))
        self.register_buffer("count", autograd.zeros(1))
        self.register_buffer("cache", autograd.zeros(2), persistent=False)
        self.plain = 5  # not a parameter

    def forward(self, x):
        return self.fc(x) * self.scale


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.head = nn.Sequential(nn.ReLU(), nn.Linear(4, 2))

    def forward(self, x):
        return self.head(self.block(x))


def test_parameter_is_a_tensor_requiring_grad_and_shares_memory():
    t = autograd.tensor([1.0, 2.0])
    p = nn.Parameter(t)
    assert isinstance(p, autograd.Tensor) and p.requires_grad and p.is_leaf
    p.detach().numpy()[0] = 7.0
    assert t.tolist() == [7.0, 2.0]
    assert not nn.Parameter(t, requires_grad=False).requires_grad
    assert repr(nn.Parameter(autograd.tensor([1.0, 2.0]))) == (
        "Parameter containing:\ntensor([1., 2.], requires_grad=True)"
    )
    assert not hasattr(p, "__dict__")  # Tensor's __slots__ are kept


def test_parameter_results_of_ops_are_plain_tensors():
    p = nn.Parameter(autograd.ones(2))
    assert type(p * 2) is autograd.Tensor
    assert type(p.detach()) is autograd.Tensor


def test_registration_by_assignment_and_traversal_order():
    net = Net()
    names = [name for name, _ in net.named_parameters()]
    assert names == ["block.scale", "block.fc.weight", "block.fc.bias", "head.1.weight", "head.1.bias"]
    assert [n for n, _ in net.named_buffers()] == ["block.count", "block.cache"]
    assert [n for n, _ in net.named_children()] == ["block", "head"]
    assert [n for n, _ in net.named_modules()] == ["", "block", "block.fc", "head", "head.0", "head.1"]
    assert len(list(net.modules())) == 6 and list(net.children())[0] is net.block
    assert len(list(net.parameters())) == 5
    assert len(list(net.parameters(recurse=False))) == 0
    assert [p.shape for p in net.block.parameters(recurse=False)] == [(4,)]
    assert net.block.plain == 5 and "plain" not in dict(net.block.named_parameters())
    assert net.get_submodule("head.1") is net.head[1]


def test_shared_parameter_listed_once():
    a = nn.Linear(2, 2)
    seq = nn.Sequential(a, nn.ReLU(), a)
    assert len(list(seq.parameters())) == 2
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_assignment_errors_and_reassignment():
    m = nn.Linear(2, 3)
    with pytest.raises(TypeError, match="cannot assign 'Tensor' as parameter 'weight'"):
        m.weight = autograd.zeros(3, 2)
    m.bias = None
    assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight"]
    with pytest.raises(AttributeError, match="has no attribute 'nothing'"):
        m.nothing

    class Early(nn.Module):
        def __init__(self):
            self.w = nn.Parameter(autograd.ones(1))

    with pytest.raises(AttributeError, match="before Module.__init__"):
        Early()
    with pytest.raises(KeyError, match="contain"):
        m.register_buffer("a.b", autograd.zeros(1))
    with pytest.raises(TypeError, match="buffer"):
        m.register_buffer("x", np.zeros(1))
    del m.weight
    assert list(m.parameters()) == []


def test_forward_missing_raises():
    with pytest.raises(NotImplementedError, match='missing the required "forward"'):
        nn.Module()(autograd.zeros(1))


def test_train_eval_propagate_and_return_self():
    net = Net()
    assert net.training and net.head[0].training
    assert net.eval() is net
    assert not any(m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())
    with pytest.raises(ValueError):
        net.train("yes")


def test_zero_grad_and_requires_grad_():
    net = Net()
    net(autograd.randn(5, 3)).sum().backward()
    assert all(p.grad is not None for p in net.parameters())
    net.zero_grad(set_to_none=False)
    assert all(p.grad is not None and not p.grad.numpy().any() for p in net.parameters())
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())
    net.requires_grad_(False)
    assert not any(p.requires_grad for p in net.parameters())


def test_apply_visits_children_first_then_self():
    seen = []
    net = Net()
    assert net.apply(lambda m: seen.append(type(m).__name__)) is net
    assert seen == ["Linear", "Block", "ReLU", "Linear", "Sequential", "Net"]


def test_to_double_float_cast_parameters_and_float_buffers_in_place():
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    weight = net[0].weight
    assert net.double() is net
    assert net[0].weight is weight and weight.dtype == np.float64
    assert net[1].running_mean.dtype == np.float64
    assert net[1].num_batches_tracked.dtype == np.int64
    out = net(autograd.randn(4, 2, dtype=autograd.float64))
    assert out.dtype == np.float64
    net.to(autograd.float32)
    assert all(p.dtype == np.float32 for p in net.parameters())
    net.to("cpu")
    with pytest.raises(TypeError, match="floating point"):
        net.to(autograd.int64)


def test_state_dict_keys_values_and_memory_sharing():
    net = Net()
    state = net.state_dict()
    assert list(state) == [
        "block.scale", "block.count", "block.fc.weight", "block.fc.bias", "head.1.weight", "head.1.bias",
    ]  # non-persistent "cache" excluded; per module: parameters, then buffers, then children
    value = state["block.fc.weight"]
    assert type(value) is autograd.Tensor and not value.requires_grad
    with autograd.no_grad():
        net.block.fc.weight.fill_(3.0)
    assert np.all(value.numpy() == 3.0)  # shares memory, like PyTorch
    assert state["block.scale"] is not net.block.scale
    assert net.state_dict(keep_vars=True)["block.scale"] is net.block.scale


def test_load_state_dict_round_trip_with_tensors_and_numpy_arrays():
    a, b = Net(), Net()
    result = b.load_state_dict(a.state_dict())
    assert result.missing_keys == [] and result.unexpected_keys == []
    assert repr(result) == "<All keys matched successfully>"
    for (name, pa), (_, pb) in zip(a.state_dict().items(), b.state_dict().items()):
        np.testing.assert_array_equal(pa.numpy(), pb.numpy(), err_msg=name)
    arrays = {k: v.numpy() * 0 + 2 for k, v in a.state_dict().items()}
    b.load_state_dict(arrays)
    assert np.all(b.block.fc.weight.detach().numpy() == 2)
    assert b.block.fc.weight.dtype == np.float32


def test_load_state_dict_strict_error_names_every_key_and_changes_nothing():
    m = nn.Linear(3, 2)
    before = m.weight.detach().numpy().copy()
    state = {"weight": autograd.zeros(2, 2), "foo": autograd.zeros(1)}
    with pytest.raises(RuntimeError) as info:
        m.load_state_dict(state)
    # PyTorch's layout of the message
    assert str(info.value) == (
        "Error(s) in loading state_dict for Linear:\n"
        '\tMissing key(s) in state_dict: "bias". \n'
        '\tUnexpected key(s) in state_dict: "foo". \n'
        "\tsize mismatch for weight: copying a param with shape (2, 2) from checkpoint, "
        "the shape in current model is (2, 3)."
    )
    np.testing.assert_array_equal(m.weight.detach().numpy(), before)


def test_load_state_dict_non_strict_reports_keys_but_shape_mismatch_still_raises():
    m = nn.Linear(3, 2)
    result = m.load_state_dict({"weight": np.ones((2, 3)), "extra": np.ones(1)}, strict=False)
    assert result.missing_keys == ["bias"] and result.unexpected_keys == ["extra"]
    assert np.all(m.weight.detach().numpy() == 1)
    with pytest.raises(RuntimeError, match="size mismatch for weight"):
        m.load_state_dict({"weight": np.ones((3, 3))}, strict=False)
    with pytest.raises(TypeError, match="dict-like"):
        m.load_state_dict([1, 2])


def test_forward_hooks_and_pre_hooks_modify_and_remove():
    m = nn.Linear(2, 2)
    calls = []
    pre = m.register_forward_pre_hook(lambda mod, args: (args[0] * 0,))
    post = m.register_forward_hook(lambda mod, args, out: calls.append(out.shape) or out + 1)
    out = m(autograd.randn(3, 2))
    expected = m.bias.detach().numpy() + 1
    np.testing.assert_allclose(out.detach().numpy(), np.broadcast_to(expected, (3, 2)), rtol=1e-6)
    assert calls == [(3, 2)]
    pre.remove()
    post.remove()
    post.remove()  # idempotent
    x = autograd.randn(3, 2)
    np.testing.assert_allclose(m(x).detach().numpy(), x.numpy() @ m.weight.detach().numpy().T + m.bias.detach().numpy(), rtol=1e-5)
    assert calls == [(3, 2)]


def test_repr_like_pytorch():
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
    # compared with torch 2.13's repr of the same model
    assert repr(seq) == (
        "Sequential(\n"
        "  (0): Linear(in_features=2, out_features=3, bias=True)\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=3, out_features=1, bias=True)\n"
        "  )\n"
        ")"
    )
    assert repr(nn.Flatten()) == "Flatten(start_dim=1, end_dim=-1)"
    assert repr(nn.Identity()) == "Identity()"


def test_sequential_indexing_slicing_append_and_forward():
    seq = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    assert len(seq) == 3 and isinstance(seq[-1], nn.Linear) and seq[0] is list(seq)[0]
    head = seq[:2]
    assert isinstance(head, nn.Sequential) and len(head) == 2 and head[0] is seq[0]
    x = autograd.randn(5, 4)
    expected = seq[2](seq[1](seq[0](x)))
    np.testing.assert_array_equal(seq(x).detach().numpy(), expected.detach().numpy())
    seq.append(nn.Sigmoid())
    assert list(seq.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert isinstance(seq[3], nn.Sigmoid)
    del seq[1]
    assert [n for n, _ in seq.named_children()] == ["0", "1", "2"]
    with pytest.raises(IndexError):
        seq[10]
    from collections import OrderedDict

    named = nn.Sequential(OrderedDict([("fc", nn.Linear(1, 1)), ("act", nn.Tanh())]))
    assert list(named.state_dict()) == ["fc.weight", "fc.bias"]


def test_modulelist_and_moduledict_register_parameters():
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(3)])
    assert len(layers) == 3 and len(list(layers.parameters())) == 6
    layers.append(nn.Linear(2, 1))
    layers.insert(0, nn.ReLU())
    assert isinstance(layers[0], nn.ReLU) and isinstance(layers[-1], nn.Linear)
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    assert list(layers.state_dict())[:2] == ["1.weight", "1.bias"]
    d = nn.ModuleDict({"enc": nn.Linear(2, 3), "dec": nn.Linear(3, 2)})
    d["act"] = nn.ReLU()
    assert list(d.keys()) == ["enc", "dec", "act"] and "enc" in d and len(d) == 3
    assert list(d.state_dict()) == ["enc.weight", "enc.bias", "dec.weight", "dec.bias"]
    assert isinstance(d.pop("act"), nn.ReLU) and len(d) == 2


def test_identity_and_flatten():
    x = autograd.randn(2, 3, 4)
    assert nn.Identity(5, key=1)(x) is x
    assert nn.Flatten()(x).shape == (2, 12)
    assert nn.Flatten(0, 1)(x).shape == (6, 4)


def test_deepcopy_gives_independent_parameters():
    net = Net()
    clone = copy.deepcopy(net)
    assert isinstance(clone.block.fc.weight, nn.Parameter)
    with autograd.no_grad():
        clone.block.fc.weight.fill_(0.0)
    assert net.block.fc.weight.detach().numpy().any()
