"""BackwardStepper: step order, the arithmetic shown, final gradients equal to backward(), Tensor graphs."""
import re
import shutil

import numpy as np
import pytest

import autograd
import nn
from autograd import BackwardStepper, Value


def lecture_graph():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = Value(10.0, label="c")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    f = Value(-2.0, label="f")
    L = d * f
    L.label = "L"
    return L, dict(a=a, b=b, c=c, d=d, e=e, f=f)


def test_steps_follow_the_engines_topological_order():
    L, v = lecture_graph()
    stepper = BackwardStepper(L)
    assert len(stepper) == 7
    order = [step.node for step in stepper]
    expected = autograd.graph.topological_order([L], lambda n: n._prev)
    assert [id(n) for n in order] == [id(n) for n in expected]
    assert [n.label for n in order] == ["L", "f", "d", "c", "e", "b", "a"]
    assert stepper.done
    # every node comes after all the nodes that consumed it
    position = {id(n): k for k, n in enumerate(order)}
    for node in order:
        for child in node._prev:
            assert position[id(child)] > position[id(node)]


def test_each_step_shows_the_chain_rule_arithmetic():
    L, v = lecture_graph()
    stepper = BackwardStepper(L)
    first = stepper.step()
    assert first.node is L and first.grad == 1.0
    assert str(first).splitlines() == [
        "step 1 of 7: L = d * f, upstream gradient L.grad = 1.0",
        "  d.grad += -2.0 * 1.0 = -2.0",
        "  f.grad += 4.0 * 1.0 = 4.0",
    ]
    step = stepper.run_to(v["e"])
    assert step.node is v["e"] and step.grad == -2.0
    assert str(step).splitlines() == [
        "step 5 of 7: e = a * b, upstream gradient e.grad = -2.0",
        "  a.grad += -3.0 * -2.0 = 6.0",
        "  b.grad += 2.0 * -2.0 = -4.0",
    ]
    (ca, cb) = step.contributions
    assert (ca.input, ca.local, ca.added, ca.grad_after) == (v["a"], -3.0, 6.0, 6.0)
    assert (cb.input, cb.local, cb.added) == (v["b"], 2.0, -4.0)
    leaf = stepper.step()
    assert str(leaf) == "step 6 of 7: b is a leaf; its gradient is complete: b.grad = -4.0"


def test_accumulation_into_a_reused_node_is_shown_with_the_running_total():
    x = Value(3.0, label="x")
    y = x * x
    y.label = "y"
    step = BackwardStepper(y).step()
    assert str(step).splitlines()[1:] == ["  x.grad += 3.0 * 1.0 = 3.0", "  x.grad += 3.0 * 1.0 = 3.0   (now 6.0)"]
    assert x.grad == 6.0


def test_unlabeled_nodes_are_named_by_their_position():
    x = Value(2.0, label="x")
    out = (x**2).tanh()
    stepper = BackwardStepper(out)
    assert str(stepper.step()).startswith("step 1 of 3: #0 = tanh(#1), upstream gradient #0.grad = 1.0")
    assert str(stepper.step()).splitlines()[0] == "step 2 of 3: #1 = x**2, upstream gradient #1.grad = " + \
        f"{1 - np.tanh(4.0) ** 2:.6g}"


def test_final_gradients_equal_backward_bit_for_bit():
    def build(seed):
        autograd.manual_seed(seed)
        model = nn.MLP(3, [5, 4, 1])
        xs = [[0.3, -1.2, 0.7], [1.1, 0.4, -0.5], [-0.9, 0.2, 0.05]]
        ys = [1.0, -1.0, 1.0]
        scores = [model(x) for x in xs]
        loss = sum(((1 + -y * s).relu() + (s - y).tanh() ** 2 + (s * 0.3).exp() for y, s in zip(ys, scores)))
        loss = loss / len(xs) + 1e-3 * sum(p * p for p in model.parameters())
        return model, loss

    model, loss = build(5)
    loss.backward()
    expected = [p.grad for p in model.parameters()]

    model, loss = build(5)
    stepper = BackwardStepper(loss)
    for _ in stepper:
        pass
    got = [p.grad for p in model.parameters()]
    assert any(g != 0.0 for g in got)
    assert [g.hex() for g in got] == [g.hex() for g in expected]


def test_reset_puts_gradients_back_and_replays_the_same_steps():
    L, v = lecture_graph()
    v["a"].grad = 0.5  # leaves accumulate, so reset must restore what was there
    stepper = BackwardStepper(L)
    first_pass = [str(s) for s in stepper]
    assert v["a"].grad == 6.5
    stepper.reset()
    assert v["a"].grad == 0.5 and stepper.current is None and not stepper.done
    assert [str(s) for s in stepper] == first_pass
    assert v["a"].grad == 6.5
    with pytest.raises(RuntimeError, match="backward pass is complete"):
        stepper.step()


def test_run_to_a_node_outside_the_graph_raises():
    L, _ = lecture_graph()
    with pytest.raises(ValueError, match="is not in the graph of the root"):
        BackwardStepper(L).run_to(Value(1.0))


def test_draw_highlights_current_node_and_blanks_unprocessed_gradients():
    L, v = lecture_graph()
    stepper = BackwardStepper(L)
    src = stepper.draw().source
    assert "before the first step" in src
    assert "fillcolor" not in src
    assert len(re.findall(r"\| grad \}", src)) == 7  # every gradient blank
    stepper.run_to(v["d"])
    src = stepper.draw().source
    lines = {m[0]: m[1] for m in re.findall(r'\[label="\{ (\w+) \| data [-\d.]+ \| (.*?) \}"', src)}
    assert lines == {"L": "grad 1.0000", "f": "grad 4.0000", "d": "grad -2.0000",
                     "e": "grad so far -2.0000", "c": "grad so far -2.0000", "a": "grad", "b": "grad"}
    gold = re.findall(r'label="\{ (\w+) [^\n]*fillcolor=gold', src)
    assert gold == ["d"]
    assert "step 3 of 7: d = e + c" in src
    bundle_method = getattr(stepper, "_repr_mimebundle_")
    assert callable(bundle_method)


def tensor_graph():
    x = autograd.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=autograd.float64, requires_grad=True)
    w = autograd.tensor([0.5, -1.0], dtype=autograd.float64, requires_grad=True)
    h = (x * w).tanh()
    y = (h * h).sum() + w.sum()
    return x, w, h, y


def test_tensor_graph_steps_shapes_and_gradients():
    x, w, h, y = tensor_graph()
    stepper = BackwardStepper(y, names={"x": x, "w": w, "h": h, "y": y})
    steps = list(stepper)
    names = [stepper.name(s.node) for s in steps]
    assert names[0] == "y" and set(names) >= {"x", "w", "h"}
    assert names.index("h") < names.index("x") and names.index("h") < names.index("w")
    h_step = steps[names.index("h")]
    hv = np.tanh(np.array([[1.0, 2.0], [3.0, 4.0]]) * np.array([0.5, -1.0]))
    np.testing.assert_allclose(h_step.grad.detach().numpy(), 2 * hv)
    text = str(h_step)
    assert text.splitlines()[0].startswith(f"step {names.index('h') + 1} of ")
    assert "h = Tanh(" in text and "(shape (2, 2))" in text
    assert f"{steps[names.index('x')]}".endswith("(shape (2, 2))")
    src = stepper.draw().source
    assert "(2, 2) float64" in src


def test_tensor_gradients_equal_backward_bit_for_bit_and_reset_replays():
    x, w, h, y = tensor_graph()
    y.backward()
    expected = (x.grad.detach().numpy().copy(), w.grad.detach().numpy().copy())
    x2, w2, h2, y2 = tensor_graph()
    stepper = BackwardStepper(y2)
    for _ in stepper:
        pass
    assert x2.grad.detach().numpy().tobytes() == expected[0].tobytes()
    assert w2.grad.detach().numpy().tobytes() == expected[1].tobytes()
    stepper.reset()
    assert x2.grad is None and w2.grad is None
    stepper.run_to(x2)
    assert x2.grad.detach().numpy().tobytes() == expected[0].tobytes()


def test_tensor_steps_follow_the_engines_order_each_node_after_its_consumers():
    # built out of order: b's second consumer (d) is made after c, which consumes a first
    a = autograd.tensor([0.5, -1.0], dtype=autograd.float64, requires_grad=True)
    w = autograd.tensor([2.0, 3.0], dtype=autograd.float64, requires_grad=True)
    b = a * w
    c = a.exp()
    d = b.tanh() + c
    root = (d * b).sum()
    stepper = BackwardStepper(root)
    steps = list(stepper)
    assert [id(s.node) for s in steps] == [id(n) for n in stepper._order]
    assert stepper.done and len(steps) == len(stepper) == 8  # root, d*b, d, tanh, c, b, then leaves a, w
    position = {id(s.node): k for k, s in enumerate(steps)}
    for step in steps:
        for contribution in step.contributions:
            assert position[id(contribution.input)] > position[id(step.node)]
    assert [id(s.node) for s in steps[-2:]] == [id(a), id(w)]  # leaves last, in the order reached
    assert stepper.name(steps[3].node) == "#3"  # unlabeled nodes are numbered in step order


def test_widget_slider_moves_the_stepper():
    pytest.importorskip("ipywidgets")
    L, v = lecture_graph()
    stepper = BackwardStepper(L)
    if shutil.which("dot") is None:
        pytest.skip("the widget displays the rendered picture: needs Graphviz's dot")
    box = stepper.widget()
    slider = box.children[0]
    assert (slider.min, slider.max, slider.value) == (0, 7, 0)
    slider.value = 5
    assert len(stepper.steps) == 5 and stepper.current.node is v["e"]
    slider.value = 2  # backwards: replayed from the start
    assert len(stepper.steps) == 2 and v["a"].grad == 0.0
    slider.value = 7
    assert len(stepper.steps) == 7
    assert v["a"].grad == 6.0


def test_stepper_displays_as_svg_in_jupyter():
    if shutil.which("dot") is None:
        pytest.skip("needs Graphviz's dot")
    L, _ = lecture_graph()
    stepper = BackwardStepper(L)
    stepper.step()
    assert "<svg" in stepper._repr_mimebundle_()["image/svg+xml"]


def test_stepper_rejects_a_root_without_a_graph():
    with pytest.raises(RuntimeError, match="does not require grad"):
        BackwardStepper(autograd.ones(2).sum())
    with pytest.raises(TypeError, match="gradient= is for Tensor roots"):
        BackwardStepper(Value(1.0), gradient=1.0)
