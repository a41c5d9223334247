"""nn.save / nn.load: exact round trips, atomic writes, and refusal of anything that is not a checkpoint."""
import collections
import json
import math
import os
import pathlib
import pickle
import zipfile

import numpy as np
import pytest

import autograd
import nn
from nn import serialization
from nn.module import Module, Parameter


def bits(array):
    """The raw bytes of an array (so nan payloads and -0.0 compare exactly)."""
    return np.ascontiguousarray(array).view(np.uint8).tobytes()


def assert_same_tensor(a, b):
    assert isinstance(b, autograd.Tensor)
    assert a.dtype == b.dtype and a.shape == b.shape and a.requires_grad == b.requires_grad
    assert bits(a.detach().numpy()) == bits(b.detach().numpy())


# ---------------------------------------------------------------- round trips
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "int8", "int16", "int32", "int64", "uint8", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (2, 0, 3), (5,), (3, 4)])
def test_tensor_round_trip_is_bit_exact(tmp_path, dtype, shape):
    rng = np.random.default_rng(0)
    raw = rng.integers(0, 256, size=int(np.prod(shape)) * np.dtype(dtype).itemsize, dtype=np.uint8)
    array = raw.view(dtype).reshape(shape) if dtype != "bool" else (raw % 2).astype(bool).reshape(shape)
    t = autograd.from_numpy(array)
    nn.save({"t": t}, tmp_path / "t.ckpt")
    assert_same_tensor(t, nn.load(tmp_path / "t.ckpt")["t"])


def test_special_float_values_survive(tmp_path):
    values = np.array([0.0, -0.0, np.nan, -np.inf, np.inf, 5e-324, np.finfo(np.float64).max], dtype=np.float64)
    payload_nan = np.array([0x7FF8DEADBEEF0001], dtype=np.uint64).view(np.float64)
    t = autograd.from_numpy(np.concatenate([values, payload_nan]))
    nn.save([t], str(tmp_path / "f.ckpt"))
    assert_same_tensor(t, nn.load(str(tmp_path / "f.ckpt"))[0])


def test_requires_grad_kept_and_parameter_comes_back_as_plain_tensor(tmp_path):
    p = Parameter(autograd.tensor([[1.0, 2.0], [3.0, 4.0]]))
    t = autograd.tensor([1.0], dtype=autograd.float64, requires_grad=True)
    nn.save({"p": p, "t": t}, tmp_path / "p.ckpt")
    loaded = nn.load(tmp_path / "p.ckpt")
    assert type(loaded["p"]) is autograd.Tensor and loaded["p"].requires_grad and loaded["p"].is_leaf
    assert_same_tensor(t, loaded["t"])
    np.testing.assert_array_equal(loaded["p"].detach().numpy(), [[1.0, 2.0], [3.0, 4.0]])


def test_nested_structure_and_key_types_round_trip(tmp_path):
    obj = {
        "state": {0: {"step": 7, "exp_avg": np.arange(6, dtype=np.float32).reshape(2, 3)}, 1: {}},
        "param_groups": [{"lr": 1e-3, "betas": (0.9, 0.999), "params": [0, 1], "nesterov": False,
                          "foreach": None, "name": "héllo ✓"}],
        "floats": [math.nan, math.inf, -math.inf, 0.1, -0.0, 1e308],
        "big": 2**80, "neg": -3, "flag": True,
        "numpy_scalars": [np.float32(1.5), np.int64(-4), np.bool_(True), np.float64(np.nan)],
        "empty": ([], (), {}),
        1.5: "float key", None: "none key", True: "bool key", -2: "int key",
        "ordered": collections.OrderedDict([("b", 1), ("a", 2)]),
    }
    path = tmp_path / "nested.ckpt"
    nn.save(obj, path)
    loaded = nn.load(path)
    assert list(loaded) == list(obj)
    assert [type(k) for k in loaded] == [type(k) for k in obj]
    assert list(loaded["state"]) == [0, 1] and all(type(k) is int for k in loaded["state"])
    assert loaded["state"][0]["step"] == 7 and type(loaded["state"][0]["step"]) is int
    exp_avg = loaded["state"][0]["exp_avg"]
    assert isinstance(exp_avg, np.ndarray) and exp_avg.dtype == np.float32
    np.testing.assert_array_equal(exp_avg, obj["state"][0]["exp_avg"])
    group = loaded["param_groups"][0]
    assert group == obj["param_groups"][0] and type(group["betas"]) is tuple and type(group["params"]) is list
    floats = loaded["floats"]
    assert math.isnan(floats[0]) and floats[1:3] == [math.inf, -math.inf] and floats[3] == 0.1
    assert math.copysign(1.0, floats[4]) == -1.0 and floats[5] == 1e308
    assert loaded["big"] == 2**80 and loaded["neg"] == -3 and loaded["flag"] is True
    scalars = loaded["numpy_scalars"]
    assert [type(s) for s in scalars] == [np.float32, np.int64, np.bool_, np.float64]
    assert scalars[0] == 1.5 and scalars[1] == -4 and scalars[2] and np.isnan(scalars[3])
    assert loaded["empty"] == ([], (), {}) and type(loaded["empty"]) is tuple
    assert loaded[1.5] == "float key" and loaded[None] == "none key" and loaded[True] == "bool key"
    assert loaded[-2] == "int key"
    assert type(loaded["ordered"]) is collections.OrderedDict and list(loaded["ordered"]) == ["b", "a"]


def test_non_contiguous_and_big_endian_arrays(tmp_path):
    base = np.arange(12, dtype=np.float64).reshape(3, 4)
    big_endian = np.arange(5, dtype=">i4")
    nn.save({"T": base.T, "be": big_endian, "tensor_T": autograd.from_numpy(base).T}, tmp_path / "a.ckpt")
    loaded = nn.load(tmp_path / "a.ckpt")
    np.testing.assert_array_equal(loaded["T"], base.T)
    assert loaded["be"].dtype == np.dtype(">i4")
    np.testing.assert_array_equal(loaded["be"], big_endian)
    np.testing.assert_array_equal(loaded["tensor_T"].numpy(), base.T)


class TwoLayer(Module):
    def __init__(self):
        super().__init__()
        self.w1 = Parameter(autograd.randn(3, 2))
        self.b1 = Parameter(autograd.zeros(3))
        self.register_buffer("count", autograd.tensor(4))


def test_module_state_dict_round_trip_into_a_fresh_module(tmp_path):
    autograd.manual_seed(0)
    source, target = TwoLayer(), TwoLayer()
    nn.save(source.state_dict(), tmp_path / "model.ckpt")
    loaded = nn.load(tmp_path / "model.ckpt")
    assert isinstance(loaded, collections.OrderedDict) and list(loaded) == ["w1", "b1", "count"]
    target.load_state_dict(loaded)
    for name in ("w1", "b1", "count"):
        a, b = getattr(source, name), getattr(target, name)
        assert bits(a.detach().numpy()) == bits(b.detach().numpy()) and a.dtype == b.dtype
    assert target.count.dtype == np.int64


def test_file_is_a_plain_npz_at_exactly_the_given_path(tmp_path):
    path = tmp_path / "weights"  # no suffix is added
    nn.save({"x": np.ones(2)}, path)
    assert path.exists() and not (tmp_path / "weights.npz").exists()
    with np.load(path, allow_pickle=False) as archive:
        header = json.loads(archive[serialization.HEADER_MEMBER].tobytes())
    assert header["format"] == "chainrule-checkpoint" and header["version"] == serialization.FORMAT_VERSION


class PathLike:
    def __init__(self, path):
        self.path = path

    def __fspath__(self):
        return str(self.path)


def test_accepts_any_os_pathlike(tmp_path):
    nn.save([1, 2], PathLike(tmp_path / "x"))
    assert nn.load(PathLike(tmp_path / "x")) == [1, 2]


def test_saving_a_module_itself_points_to_state_dict(tmp_path):
    with pytest.raises(TypeError, match=r"type TwoLayer at obj \(save its .state_dict\(\) instead\)"):
        nn.save(TwoLayer(), tmp_path / "m.ckpt")


@pytest.mark.parametrize("bad, where", [
    ({"a": [1, {2, 3}]}, "obj['a'][1]"),
    ({"m": TwoLayer}, "obj['m']"),
    ({"s": np.array(["text"])}, "obj['s']"),
    ({"o": np.array([None], dtype=object)}, "obj['o']"),
    ({(1, 2): 3}, "obj"),
    ({"c": 1 + 2j}, "obj['c']"),
])
def test_unsupported_values_raise_typeerror_naming_where_and_write_nothing(tmp_path, bad, where):
    path = tmp_path / "bad.ckpt"
    with pytest.raises(TypeError, match=r"nn\.save: cannot save") as info:
        nn.save(bad, path)
    assert where in str(info.value)
    assert os.listdir(tmp_path) == []


# --------------------------------------------------------------------- atomic
def _break_write_after(monkeypatch, n_members):
    """Make nn.save fail with OSError while writing member number ``n_members`` (after a partial write)."""
    real = serialization._write_member
    calls = []

    def failing(archive, name, array):
        calls.append(name)
        if len(calls) > n_members:
            with archive.open(name + ".npy", "w") as member:
                member.write(b"\x93NUMPY partial")
            raise OSError("No space left on device")
        real(archive, name, array)

    monkeypatch.setattr(serialization, "_write_member", failing)
    return calls


def test_failed_save_midway_leaves_old_file_intact_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.ckpt"
    nn.save({"w": autograd.tensor([1.0, 2.0])}, path)
    before = path.read_bytes()
    calls = _break_write_after(monkeypatch, 2)
    with pytest.raises(OSError, match="No space left"):
        nn.save({"w": autograd.tensor([9.0, 9.0]), "v": np.zeros(1000), "u": np.ones(3)}, path)
    assert len(calls) == 3  # the header and one array were written before the failure
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["model.ckpt"]
    np.testing.assert_array_equal(nn.load(path)["w"].numpy(), [1.0, 2.0])


def test_failed_fsync_or_rename_leaves_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.ckpt"
    nn.save([1], path)
    before = path.read_bytes()
    for name in ("fsync", "replace"):
        with monkeypatch.context() as patch:
            def fail(*args):
                raise OSError(f"{name} failed")
            patch.setattr(serialization.os, name, fail)
            with pytest.raises(OSError, match=f"{name} failed"):
                nn.save([2], path)
        assert path.read_bytes() == before and os.listdir(tmp_path) == ["model.ckpt"]


def test_failed_first_save_leaves_no_file(tmp_path, monkeypatch):
    _break_write_after(monkeypatch, 0)
    with pytest.raises(OSError):
        nn.save({"w": np.ones(3)}, tmp_path / "new.ckpt")
    assert os.listdir(tmp_path) == []


def test_save_replaces_an_existing_checkpoint(tmp_path):
    path = tmp_path / "c.ckpt"
    nn.save({"v": 1}, path)
    nn.save({"v": 2}, path)
    assert nn.load(path) == {"v": 2} and os.listdir(tmp_path) == ["c.ckpt"]


# -------------------------------------------------------------------- refusal
def _checkpoint(tmp_path):
    path = tmp_path / "good.ckpt"
    nn.save({"w": autograd.randn(50, 20), "step": 3}, path)
    return path


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9, 0.999])
def test_truncated_file_raises_checkpoint_error(tmp_path, keep):
    path = _checkpoint(tmp_path)
    data = path.read_bytes()
    path.write_bytes(data[: max(2, int(len(data) * keep))])
    with pytest.raises(nn.CheckpointError, match="good.ckpt"):
        nn.load(path)


def test_corrupted_array_bytes_raise_checkpoint_error(tmp_path):
    path = _checkpoint(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF  # inside the 50x20 float32 array: the zip CRC no longer matches
    path.write_bytes(bytes(data))
    with pytest.raises(nn.CheckpointError, match="corrupted"):
        nn.load(path)


def test_not_a_checkpoint_raises_one_clear_error(tmp_path):
    cases = {
        "plain.npz": lambda p: np.savez(p, x=np.ones(3)),
        "text.txt": lambda p: p.write_text("hello, I am not a checkpoint\n"),
        "empty.bin": lambda p: p.write_bytes(b""),
        "data.pkl": lambda p: p.write_bytes(pickle.dumps({"w": [1.0, 2.0]})),
        "array.npy": lambda p: np.save(p, np.ones(3)),
    }
    for name, write in cases.items():
        path = tmp_path / name
        write(path)
        with pytest.raises(nn.CheckpointError) as info:
            nn.load(path)
        assert name in str(info.value) and isinstance(info.value, ValueError)
        error = info.value  # no raw zipfile/numpy traceback chained on
        assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    with pytest.raises(nn.CheckpointError, match="no __chainrule_header__"):
        nn.load(tmp_path / "plain.npz")


def test_missing_file_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        nn.load(tmp_path / "nope.ckpt")


def _write_zip(path, members):
    """Write an .npz-like zip by hand: ``members`` maps names to ndarrays (written with pickle allowed)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, array in members.items():
            with archive.open(name + ".npy", "w") as member:
                np.lib.format.write_array(member, array, allow_pickle=True)


def _header(root, version=serialization.FORMAT_VERSION):
    text = json.dumps({"format": "chainrule-checkpoint", "version": version, "root": root})
    return np.frombuffer(text.encode(), dtype=np.uint8)


def test_newer_format_version_is_refused(tmp_path):
    path = tmp_path / "future.ckpt"
    _write_zip(path, {serialization.HEADER_MEMBER: _header({"type": "none"}, version=99)})
    with pytest.raises(nn.CheckpointError, match="version 99"):
        nn.load(path)


@pytest.mark.parametrize("root", [
    {"type": "tensor", "member": "a0", "dtype": "<f4", "shape": [3]},  # no requires_grad
    {"type": "tensor", "member": "a0", "dtype": "<f4", "shape": [4], "requires_grad": False},
    {"type": "tensor", "member": "a0", "dtype": "<i8", "shape": [3], "requires_grad": False},
    {"type": "ndarray", "member": "zz", "dtype": "<f4", "shape": [3]},
    {"type": "list", "items": [{"type": "ndarray", "member": "a0", "dtype": "<f4", "shape": [3]}] * 2},
    {"type": "dict", "items": [[{"type": "list", "items": []}, {"type": "none"}]]},
    {"type": "eval", "value": "__import__('os')"},
    {"type": "float", "value": "not a number"},
    {"type": "int", "value": True},
])
def test_malformed_headers_are_refused(tmp_path, root):
    path = tmp_path / "bad.ckpt"
    _write_zip(path, {serialization.HEADER_MEMBER: _header(root), "a0": np.ones(3, np.float32)})
    with pytest.raises(nn.CheckpointError, match="not a valid chainrule checkpoint"):
        nn.load(path)


class Payload:
    """Unpickling this creates the marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))


def _malicious_array(marker):
    array = np.empty(1, dtype=object)
    array[0] = Payload(marker)
    return array


def test_payload_is_live_when_pickle_is_allowed(tmp_path):
    """Control: the crafted file really runs code under np.load(allow_pickle=True)."""
    marker = tmp_path / "pwned"
    _write_zip(tmp_path / "evil.npz", {"x": _malicious_array(marker)})
    with np.load(tmp_path / "evil.npz", allow_pickle=True) as archive:
        archive["x"]
    assert marker.exists()


def test_malicious_pickle_inside_npz_is_refused_without_running(tmp_path):
    marker = tmp_path / "pwned"
    evil = _malicious_array(marker)
    float_node = {"type": "tensor", "member": "a0", "dtype": "<f4", "shape": [1], "requires_grad": False}
    object_node = {"type": "ndarray", "member": "a0", "dtype": "|O", "shape": [1]}
    files = {
        "no_header.npz": {"a0": evil},
        "lying_header.ckpt": {serialization.HEADER_MEMBER: _header(float_node), "a0": evil},
        "object_header.ckpt": {serialization.HEADER_MEMBER: _header(object_node), "a0": evil},
        "extra_member.ckpt": {serialization.HEADER_MEMBER: _header({"type": "none"}), "a0": evil},
        "pickled_header.ckpt": {serialization.HEADER_MEMBER: evil},
    }
    for name, members in files.items():
        _write_zip(tmp_path / name, members)
        with pytest.raises(nn.CheckpointError, match=name):
            nn.load(tmp_path / name)
        assert not marker.exists(), name
    raw_pickle = tmp_path / "raw.pkl"
    raw_pickle.write_bytes(pickle.dumps(Payload(marker)))
    with pytest.raises(nn.CheckpointError):
        nn.load(raw_pickle)
    assert not marker.exists()


def test_checkpoint_error_is_a_value_error():
    assert issubclass(nn.CheckpointError, ValueError)


def test_pathlib_and_str_paths_are_equivalent(tmp_path):
    nn.save({"a": 1}, str(tmp_path / "s.ckpt"))
    assert nn.load(pathlib.Path(tmp_path / "s.ckpt")) == {"a": 1}


def test_training_resumes_bit_for_bit_from_model_and_optimizer_checkpoint(tmp_path):
    import optim

    X = autograd.tensor(np.random.default_rng(0).standard_normal((8, 2)))

    def step(model, opt):
        opt.zero_grad()
        loss = ((X @ model.w1.T + model.b1) ** 2).mean()
        loss.backward()
        opt.step()

    autograd.manual_seed(1)
    model = TwoLayer()
    opt = optim.Adam(model.parameters(), lr=0.01, betas=(0.8, 0.99))
    for _ in range(3):
        step(model, opt)
    nn.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "epoch": 3}, tmp_path / "run.ckpt")
    checkpoint = nn.load(tmp_path / "run.ckpt")
    assert list(checkpoint["optimizer"]["state"]) == [0, 1]
    assert checkpoint["optimizer"]["param_groups"][0]["betas"] == (0.8, 0.99)

    resumed = TwoLayer()
    resumed.load_state_dict(checkpoint["model"])
    resumed_opt = optim.Adam(resumed.parameters(), lr=0.5)
    resumed_opt.load_state_dict(checkpoint["optimizer"])
    assert resumed_opt.param_groups[0]["lr"] == 0.01
    for _ in range(2):
        step(model, opt)
        step(resumed, resumed_opt)
    for a, b in zip(model.parameters(), resumed.parameters()):
        assert bits(a.detach().numpy()) == bits(b.detach().numpy())
