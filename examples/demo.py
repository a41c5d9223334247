"""chainrule's demo: train a small MLP on the two-moons toy data and print its progress.

Run: python examples/demo.py
"""
import textwrap

import autograd
import nn
import optim
from nn.data import make_moons

autograd.manual_seed(0)
X, y = make_moons(n_samples=200, noise=0.1, seed=0)
X, y = autograd.tensor(X), autograd.tensor(y)

model = nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 2))
optimizer = optim.Adam(model.parameters(), lr=0.03)
loss_fn = nn.CrossEntropyLoss()

print(model)
for epoch in range(1, 151):
    optimizer.zero_grad()
    logits = model(X)
    loss = loss_fn(logits, y)
    loss.backward()
    optimizer.step()
    if epoch % 15 == 0:
        accuracy = (logits.argmax(dim=1) == y).float().mean().item()
        print(f"epoch {epoch:3d}   loss {loss.item():.4f}   train accuracy {accuracy:6.1%}")

# The chain rule on one scalar neuron, one node at a time.
x, w, b = autograd.Value(1.0, label="x"), autograd.Value(-0.5, label="w"), autograd.Value(0.8, label="b")
y = (x * w + b).tanh()
y.label = "y"
print("\nbackprop through y = tanh(x*w + b), one node at a time:")
for step in autograd.BackwardStepper(y):
    print(textwrap.indent(str(step), "  "))
