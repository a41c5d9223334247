"""The training step's fast paths in nn behave exactly as the general code they shortcut.

Linear and CrossEntropyLoss read their registries directly, cross_entropy / nll_loss check the
targets with one look at the largest one seen as unsigned, parameters() walks the tree itself and
zero_grad() sets every grad to None: each is checked here against what the general path gives.
"""
import numpy as np
import pytest

import autograd
import nn
import nn.functional as F

rng = np.random.default_rng(0)


def x_and_w(out_features=3, in_features=4):
    return autograd.randn(2, in_features), autograd.randn(out_features, in_features)


# --------------------------------------------------------------------- Linear
def test_linear_subclass_redefining_weight_uses_it():
    class Doubled(nn.Linear):  # as a parametrization would: ``weight`` computed from the parameter
        @property
        def weight(self):
            return self._parameters["weight"] * 2

    layer = Doubled(4, 3)
    x = autograd.randn(2, 4)
    raw, bias = layer._parameters["weight"], layer._parameters["bias"]
    np.testing.assert_allclose(layer(x).detach().numpy(), autograd.linear(x, raw * 2, bias).detach().numpy())


def test_linear_weight_replaced_by_a_plain_attribute_is_used():
    layer = nn.Linear(4, 3)
    x, w = x_and_w()
    del layer.weight  # weight norm's way: the parameter goes, a computed tensor takes its name
    layer.weight = w
    assert "weight" not in layer._parameters
    np.testing.assert_allclose(layer(x).detach().numpy(), autograd.linear(x, w, layer.bias).detach().numpy())


def test_linear_without_bias_and_with_bias_deleted():
    layer = nn.Linear(4, 3, bias=False)
    x = autograd.randn(2, 4)
    np.testing.assert_allclose(layer(x).detach().numpy(), x.numpy() @ layer.weight.detach().numpy().T)
    del layer.bias
    with pytest.raises(AttributeError, match="'Linear' object has no attribute 'bias'"):
        layer(x)


def test_linear_reassigned_parameter_is_used():
    layer = nn.Linear(4, 3)
    x, w = x_and_w()
    layer.weight = nn.Parameter(w)
    np.testing.assert_allclose(layer(x).detach().numpy(), autograd.linear(x, w, layer.bias).detach().numpy())


# ------------------------------------------------------------ CrossEntropyLoss
def test_cross_entropy_loss_weight_assigned_later_or_deleted():
    x, y = autograd.randn(5, 3), autograd.tensor([0, 2, 1, 1, 0])
    w = autograd.tensor([0.2, 1.0, 3.0])
    criterion = nn.CrossEntropyLoss()
    criterion.weight = w  # a registered buffer: reassigning keeps it one
    assert criterion(x, y).item() == pytest.approx(F.cross_entropy(x, y, w).item())
    del criterion.weight
    with pytest.raises(AttributeError, match="'CrossEntropyLoss' object has no attribute 'weight'"):
        criterion(x, y)

    class Weighted(nn.CrossEntropyLoss):
        @property
        def weight(self):  # raises AttributeError until class_weight is set, so the buffer registers too
            return self.class_weight

    criterion = Weighted()
    criterion.class_weight = w
    assert "weight" in criterion._buffers
    assert criterion(x, y).item() == pytest.approx(F.cross_entropy(x, y, w).item())


# ------------------------------------------------------------ target checking
def reference_cross_entropy(x, t, ignore_index):
    """Mean of -log softmax(x)[i, t_i] over the samples whose target is not ignore_index."""
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    kept = t != ignore_index
    return -logp[np.arange(len(t))[kept], t[kept]].mean()


DTYPES = ["<i8", ">i8", "<i4", ">i4", "i2", ">i2", "i1", "u1", "<u2", ">u8"]


@pytest.mark.parametrize("dtype", DTYPES)
def test_targets_of_every_integer_dtype_and_byte_order(dtype):
    x = rng.standard_normal((6, 5))
    t = np.array([0, 4, 2, 1, 3, 4])
    expected = reference_cross_entropy(x, t, -100)
    for fn in (F.cross_entropy, lambda a, b: F.nll_loss(F.log_softmax(a, 1), b)):
        got = fn(autograd.tensor(x), autograd.from_numpy(t.astype(dtype)))
        assert got.item() == pytest.approx(expected)


@pytest.mark.parametrize("dtype", [d for d in DTYPES if np.dtype(d).kind == "i"])
@pytest.mark.parametrize("op", ["cross_entropy", "nll_loss"])
def test_negative_and_too_large_targets_are_named(dtype, op):
    x = autograd.randn(3, 5)
    for bad in (-1, -2, 5, 7):
        t = autograd.from_numpy(np.array([0, bad, 1], dtype=dtype))
        with pytest.raises(IndexError, match=rf"{op}: Target {bad} is out of bounds: expected class indices in \[0, 4\]"):
            getattr(F, op)(x, t)


@pytest.mark.parametrize("classes", [127, 128, 129, 200, 255, 256, 300])
def test_more_classes_than_a_small_signed_dtype_can_hold_positive(classes):
    # int8 -1 seen as uint8 is 255: a class when there are 256 or more; -128 is 128: a class from 129
    x = rng.standard_normal((4, classes))
    for dtype in ("i1", "u1", "i2"):
        info = np.iinfo(dtype)
        for values in ([0, 1, 2, info.max], [0, info.min, 1, 2], [-1, 0, 1, 2], [0, 1, classes - 1, 2]):
            t = np.array(values)
            if (t < info.min).any() or (t > info.max).any():
                continue
            target = autograd.from_numpy(t.astype(dtype))
            if (t < 0).any() or (t >= classes).any():
                bad = t[(t < 0) | (t >= classes)][0]
                with pytest.raises(IndexError, match=f"Target {bad} is out of bounds"):
                    F.cross_entropy(autograd.tensor(x), target)
            else:
                got = F.cross_entropy(autograd.tensor(x), target).item()
                assert got == pytest.approx(reference_cross_entropy(x, t, -100))


def test_ignore_index_outside_and_inside_the_classes():
    x = rng.standard_normal((5, 4))
    for t, ignore_index in (([0, -100, 3, 1, -100], -100), ([0, 2, 3, 2, 1], 2), ([0, 1, 3, 1, 7], 7),
                            ([0, 1, 3, 1, 2], -1), ([0, 1, 3, 1, 2], 9), ([0, 1, 3, 1, 2], None), ([0, 1, 3, 1, 2], 1.0)):
        t = np.array(t)
        expected = reference_cross_entropy(x, t, ignore_index)
        for dtype in ("<i8", ">i8", "i1"):
            target = autograd.from_numpy(t.astype(dtype))
            assert F.cross_entropy(autograd.tensor(x), target, ignore_index=ignore_index).item() == pytest.approx(expected)
            got = F.nll_loss(F.log_softmax(autograd.tensor(x), 1), target, ignore_index=ignore_index).item()
            assert got == pytest.approx(expected)


def test_ignored_targets_get_no_gradient_with_every_reduction():
    x = autograd.tensor(rng.standard_normal((4, 3)), requires_grad=True)
    for ignore_index in (-100, 1):
        t = autograd.tensor([0, ignore_index, 2, ignore_index])
        for reduction in ("mean", "sum", "none"):
            x.grad = None
            F.cross_entropy(x, t, ignore_index=ignore_index, reduction=reduction).sum().backward()
            assert not x.grad.numpy()[[1, 3]].any() and x.grad.numpy()[[0, 2]].any()


def test_spatial_non_contiguous_and_empty_targets():
    x = rng.standard_normal((6, 3, 4))
    t = rng.integers(0, 3, size=(4, 6)).T  # (6, 4), not contiguous
    logp = x - np.log(np.exp(x).sum(axis=1, keepdims=True))
    expected = -np.take_along_axis(logp, t[:, None], axis=1).mean()
    assert F.cross_entropy(autograd.tensor(x), autograd.from_numpy(t)).item() == pytest.approx(expected)
    t[2, 1] = -3
    with pytest.raises(IndexError, match="Target -3 is out of bounds"):
        F.cross_entropy(autograd.tensor(x), autograd.from_numpy(t))
    empty = F.cross_entropy(autograd.zeros(0, 3), autograd.tensor(np.zeros(0, dtype=np.int64)), reduction="sum")
    assert empty.item() == 0


# ---------------------------------------------------------- parameters, zero_grad
def test_parameters_match_named_parameters_on_a_tree_with_sharing_and_holes():
    shared = nn.Linear(2, 2)
    inner = nn.Sequential(nn.Linear(2, 3), shared, nn.ReLU())
    root = nn.Sequential(shared, inner, nn.ModuleDict({"a": nn.Linear(3, 1), "b": inner}))
    root.add_module("empty", None)
    root[2]["a"].register_parameter("extra", None)
    root[2]["a"].tied = shared.weight  # one parameter under two names
    root.scale = nn.Parameter(autograd.ones(1))
    expected = [p for _, p in root.named_parameters()]
    assert len(expected) == 7
    got = list(root.parameters())
    assert len(got) == len(expected) and all(a is b for a, b in zip(got, expected))
    assert list(root.parameters(recurse=False)) == [root.scale]
    assert list(nn.ReLU().parameters()) == []


def test_zero_grad_sets_every_grad_to_none_or_zeros():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    frozen = nn.Linear(3, 3)
    frozen.requires_grad_(False)
    model.append(frozen)
    model[:3](autograd.randn(5, 3)).sum().backward()
    assert frozen.weight.grad is None
    model.zero_grad(set_to_none=False)
    assert frozen.weight.grad is None
    assert all(not p.grad.numpy().any() for p in model[:3].parameters())
    model.zero_grad()
    assert all(p.grad is None for p in model.parameters())


# ------------------------------------------------- Linear's column-major weight
def test_linear_weight_is_stored_column_major_and_behaves_as_row_major():
    autograd.manual_seed(3)
    layer = nn.Linear(5, 3)
    w = layer.weight.detach().numpy()
    assert layer.weight.shape == (3, 5) and w.flags.f_contiguous and not w.flags.c_contiguous
    autograd.manual_seed(3)
    row_major = autograd.empty(3, 5)
    nn.init.kaiming_uniform_(row_major, a=5 ** 0.5)
    np.testing.assert_array_equal(w, row_major.numpy())  # the same draws, in the same places
    x = autograd.randn(4, 5)
    np.testing.assert_allclose(layer(x).detach().numpy(), x.numpy() @ w.T + layer.bias.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("layout", ["column-major", "row-major"])
@pytest.mark.parametrize("x_shape", [(6, 5), (2, 3, 5), (0, 5)])
def test_linear_weight_grad_has_the_weight_layout_and_values(layout, x_shape):
    layer = nn.Linear(5, 3).double()
    if layout == "row-major":
        layer.weight = nn.Parameter(autograd.tensor(np.ascontiguousarray(layer.weight.detach().numpy())))
    x = autograd.randn(*x_shape, dtype=autograd.float64, requires_grad=True)
    g = autograd.randn(*x_shape[:-1], 3, dtype=autograd.float64)
    layer(x).backward(g)
    grad = layer.weight.grad.numpy()
    flat_g, flat_x = g.numpy().reshape(-1, 3), x.detach().numpy().reshape(-1, 5)
    np.testing.assert_allclose(grad, flat_g.T @ flat_x, rtol=1e-12, atol=1e-12)
    assert grad.flags.f_contiguous == (layout == "column-major") or grad.size == 0
    assert autograd.gradcheck(lambda x, w, b: autograd.linear(x, w, b), (x, layer.weight, layer.bias))


def test_linear_weight_grad_is_its_own_memory_across_steps():
    layer = nn.Linear(4, 2)
    x = autograd.randn(3, 4)
    layer(x).sum().backward()
    first = layer.weight.grad
    kept = first.numpy().copy()
    layer(x).sum().backward()  # accumulates into the same .grad
    np.testing.assert_allclose(layer.weight.grad.numpy(), 2 * kept, rtol=1e-6)
    layer.weight.grad.zero_()
    assert not np.shares_memory(layer.weight.grad.numpy(), layer.weight.detach().numpy())
    assert not np.shares_memory(layer.weight.grad.numpy(), layer.bias.grad.numpy())
    np.testing.assert_array_equal(layer.bias.grad.numpy(), 2 * np.full(2, 3.0, np.float32))


def test_sgd_keeps_a_column_major_weight_column_major_and_matches_row_major():
    import optim

    autograd.manual_seed(1)
    column = nn.Linear(6, 4)
    row = nn.Linear(6, 4)
    row.weight = nn.Parameter(autograd.tensor(np.ascontiguousarray(column.weight.detach().numpy())))
    row.bias = nn.Parameter(column.bias.detach().clone())
    x, y = autograd.randn(8, 6), autograd.randint(0, 4, (8,))
    for model in (column, row):
        opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
        for _ in range(3):
            opt.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            opt.step()
    assert column.weight.detach().numpy().flags.f_contiguous
    np.testing.assert_allclose(column.weight.detach().numpy(), row.weight.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_clone_keeps_the_layout_like_pytorch_preserve_format():
    t = autograd.from_numpy(np.asfortranarray(np.arange(6.0).reshape(2, 3)))
    c = t.clone()
    assert c.numpy().flags.f_contiguous and not np.shares_memory(c.numpy(), t.numpy())
    np.testing.assert_array_equal(c.numpy(), t.numpy())


def test_parameters_is_an_iterator_over_a_snapshot_each_call():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    it = model.parameters()
    assert iter(it) is it
    assert next(it) is model[0].weight
    assert [p for p in it] == [model[0].bias, model[2].weight, model[2].bias]
    assert next(it, None) is None  # exhausted, like a generator
    model.add_module("extra", nn.Linear(2, 1))  # a new call sees the new module
    assert len(list(model.parameters())) == 6


def _ids(params):
    return [id(p) for p in params]


def _walked(model):
    """The parameters found by walking the tree now (what parameters() must give)."""
    return [p for _, p in model.named_parameters()]


@pytest.mark.parametrize("change", [
    "add module", "set parameter", "delete parameter", "parameter to None", "registry dict write",
    "registry pop", "registry clear", "registry update", "registry replaced", "sequential append",
    "sequential delete", "module list insert", "module dict pop", "child of a child", "shared child", "to double",
])
def test_parameters_list_follows_every_change_of_the_tree(change):
    import copy

    inner = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    model = nn.Sequential(nn.Linear(3, 3), inner, nn.Linear(3, 2))
    holder = nn.ModuleDict({"a": nn.Linear(1, 1), "b": nn.Linear(1, 2)})
    extra = nn.ModuleList([nn.Linear(1, 1)])
    model.add_module("extra", extra)
    model.add_module("holder", holder)
    assert _ids(model.parameters()) == _ids(_walked(model))
    list(model.parameters())  # cached now
    if change == "add module":
        model.add_module("new", nn.Linear(4, 4))
    elif change == "set parameter":
        model[0].scale = nn.Parameter(autograd.ones(3))
    elif change == "delete parameter":
        del model[0].bias
    elif change == "parameter to None":
        model[2].bias = None
    elif change == "registry dict write":
        model[0]._parameters["weight"] = nn.Parameter(autograd.zeros(3, 3))
    elif change == "registry pop":
        model[0]._parameters.pop("bias")
    elif change == "registry clear":
        inner[0]._parameters.clear()
    elif change == "registry update":
        model[2]._parameters.update(extra_weight=nn.Parameter(autograd.ones(1)))
    elif change == "registry replaced":
        model[2]._parameters = {"only": nn.Parameter(autograd.ones(2))}
    elif change == "sequential append":
        inner.append(nn.Linear(3, 3))
    elif change == "sequential delete":
        del inner[0]
    elif change == "module list insert":
        extra.insert(0, nn.Linear(5, 5))
    elif change == "module dict pop":
        holder.pop("a")
    elif change == "child of a child":
        inner[0].weight = nn.Parameter(autograd.zeros(3, 2))
    elif change == "shared child":
        model.add_module("again", inner[0])  # already in the tree: listed once
    elif change == "to double":
        model.double()
    assert _ids(model.parameters()) == _ids(_walked(model))
    clone = copy.deepcopy(model)
    assert _ids(clone.parameters()) == _ids(_walked(clone)) and not set(_ids(clone.parameters())) & set(_ids(model.parameters()))
