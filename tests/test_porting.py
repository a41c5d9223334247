"""A PyTorch script ports by changing its imports: code bodies keep PyTorch's spellings."""
from collections import OrderedDict

import numpy as np
import pytest

import autograd as torch  # the one changed line a PyTorch user writes
import nn
import nn.functional as F
from nn.data import DataLoader, Dataset


class Exp(torch.autograd.Function):  # PyTorch's documented example, verbatim
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class Points(Dataset):
    def __init__(self):
        rng = np.random.default_rng(0)
        self.x = rng.standard_normal((60, 2)).astype(np.float32)
        self.y = (self.x[:, 0] > 0).astype(np.int64)

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return self.x[i], self.y[i]


def test_a_tutorial_training_loop_runs_with_pytorch_spellings():
    torch.manual_seed(0)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    loader = torch.utils.data.DataLoader(Points(), batch_size=10, shuffle=True, num_workers=2, pin_memory=True)
    net = nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 16)), ("act", nn.ReLU()), ("fc2", nn.Linear(16, 2))])).to(device)
    opt = torch.optim.SGD(net.parameters(), lr=0.2, momentum=0.9)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, "min", patience=1)
    for epoch in range(15):
        correct = total = 0
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            opt.zero_grad()
            outputs = net(inputs)
            loss = F.nll_loss(F.log_softmax(outputs, dim=1), labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            _, predicted = torch.max(outputs.data, 1)
            total += labels.size(0)
            correct += predicted.eq(labels).sum().item()
        sched.step(loss.item())
    assert total == 60 and correct / total > 0.9
    x = torch.tensor([0.5, 1.0], requires_grad=True)
    Exp.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([0.5, 1.0]), rtol=1e-6)
    with torch.no_grad():
        assert (net(inputs).argmax(dim=1) == predicted).all().item() in (True, False)


def test_unknown_torch_spelling_is_a_clear_attribute_error():
    with pytest.raises(AttributeError, match="module 'autograd' has no attribute 'fft'"):
        torch.fft


def test_dataloader_takes_pytorch_arguments():
    batches = [y.tolist() for _, y in DataLoader(Points(), batch_size=30, num_workers=4, pin_memory=True,
                                                 persistent_workers=True, prefetch_factor=2, timeout=0)]
    assert len(batches) == 2 and len(batches[0]) == 30
    a = [y.tolist() for _, y in DataLoader(Points(), batch_size=30, shuffle=True, generator=np.random.default_rng(3))]
    b = [y.tolist() for _, y in DataLoader(Points(), batch_size=30, shuffle=True, generator=np.random.default_rng(3))]
    assert a == b
    with pytest.raises(NotImplementedError, match="sampler and batch_sampler are not supported"):
        DataLoader(Points(), sampler=[0, 1])
    with pytest.raises(ValueError, match="num_workers option should be non-negative"):
        DataLoader(Points(), num_workers=-1)
