"""PyTorch code that chooses a device runs unchanged on the CPU; any other device is one clear error."""
import numpy as np
import pytest

import autograd as ag
import nn

CPU_ONLY = "chainrule runs on the CPU only"


def test_the_usual_device_choice_gives_the_cpu():
    device = ag.device("cuda" if ag.cuda.is_available() else "cpu")
    assert ag.cuda.is_available() is False and ag.cuda.device_count() == 0 and not ag.mps.is_available()
    assert str(device) == "cpu" and repr(device) == "device(type='cpu')" and device == "cpu"
    x = ag.randn(2, 3, device=device)
    assert x.device == device and not x.is_cuda and x.cpu() is x
    assert x.to(device) is x and x.to("cpu") is x


@pytest.mark.parametrize("make", [
    lambda d: ag.tensor([1.0], device=d), lambda d: ag.zeros(2, device=d), lambda d: ag.ones(2, device=d),
    lambda d: ag.full((2,), 3.0, device=d), lambda d: ag.arange(3, device=d), lambda d: ag.eye(2, device=d),
    lambda d: ag.rand(2, device=d), lambda d: ag.randn(2, device=d), lambda d: ag.randint(0, 3, (2,), device=d),
    lambda d: ag.randperm(3, device=d), lambda d: ag.zeros_like(ag.ones(2), device=d),
    lambda d: ag.full_like(ag.ones(2), 1.0, device=d), lambda d: ag.linspace(0, 1, 3, device=d),
])
def test_factories_take_device(make):
    assert make("cpu").device == "cpu" and make(ag.device("cpu:0")).device == "cpu"
    with pytest.raises(RuntimeError, match=CPU_ONLY):
        make("cuda")


def test_to_accepts_pytorch_forms():
    x = ag.tensor([1.0, 2.0])
    assert x.to("cpu", ag.float64).dtype == np.float64
    assert x.to(device="cpu", dtype=ag.float64).dtype == np.float64
    assert x.to(ag.zeros(1, dtype=ag.float64)).dtype == np.float64
    with pytest.raises(RuntimeError, match=f"to: {CPU_ONLY}"):
        x.to("cuda:0")
    with pytest.raises(RuntimeError, match=CPU_ONLY):
        x.cuda()
    with pytest.raises(RuntimeError, match=CPU_ONLY):
        ag.device("mps")


def test_modules_move_to_the_cpu_and_refuse_other_devices():
    model = nn.Linear(2, 1)
    assert model.to("cpu") is model and model.to(ag.device("cpu")) is model and model.cpu() is model
    assert model.to("cpu", ag.float64).weight.dtype == np.float64
    with pytest.raises(RuntimeError, match=CPU_ONLY):
        model.to("cuda")
