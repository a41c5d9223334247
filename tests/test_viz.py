"""Drawing computation graphs: DOT source for a known graph, rendering, missing Graphviz, truncation."""
import re
import shutil

import graphviz
import pytest

import autograd
from autograd import Value
from autograd.viz import GraphvizNotFoundError

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot program is not installed")


def named(value, label):
    value.label = label
    return value


def lecture_graph():
    """The micrograd lecture's L = (a*b + c) * f, every value labelled."""
    a, b, c, f = (Value(x, label=n) for x, n in [(2.0, "a"), (-3.0, "b"), (10.0, "c"), (-2.0, "f")])
    return named(named(named(a * b, "e") + c, "d") * f, "L")


def records(source):
    """{label: (node id, full record text)} of the record nodes in DOT source."""
    found = {}
    for node_id, text in re.findall(r'\t(\w+) \[label="\{ (.*?) \}"', source):
        found[text.split(" | ")[0]] = (node_id, text)
    return found


def ops(source):
    """{node id: op text} of the op nodes."""
    return dict(re.findall(r"\t(\w+) \[label=\"?([^\" ]+)\"? shape=ellipse", source))


def edges(source):
    return set(re.findall(r"\t(\w+) -> (\w+)", source))


def test_dot_source_has_records_ops_and_edges_of_a_known_graph():
    L = lecture_graph()
    L.backward()
    drawing = autograd.draw_graph(L)
    assert isinstance(drawing, graphviz.Digraph)
    src = drawing.source
    assert "rankdir=LR" in src
    rec = records(src)
    assert set(rec) == {"a", "b", "c", "d", "e", "f", "L"}
    assert rec["a"][1] == "a | data 2.0000 | grad 6.0000"
    assert rec["L"][1] == "L | data -8.0000 | grad 1.0000"
    assert rec["e"][1] == "e | data -6.0000 | grad -2.0000"
    op_nodes = ops(src)
    assert sorted(op_nodes.values()) == ["*", "*", "+"]
    ids = {name: node_id for name, (node_id, _) in rec.items()}
    # data direction: inputs -> op -> result
    expected = set()
    for result, inputs in (("e", "ab"), ("d", "ec"), ("L", "df")):
        op_id = ids[result] + "op"
        expected.add((op_id, ids[result]))
        expected |= {(ids[i], op_id) for i in inputs}
    assert edges(src) == expected


def test_options_rankdir_hide_data_and_grad_names_and_micrograd_alias():
    L = lecture_graph()
    src = autograd.draw_graph(L, rankdir="TB", show_data=False, show_grad=False).source
    assert "rankdir=TB" in src
    assert records(src)["a"][1] == "a"
    x = Value(1.0)
    y = x * 2
    src = autograd.draw_graph(y, names={"x": x, "y": y}).source
    assert {"x", "y"} <= set(records(src))
    dot = autograd.draw_dot(L, format="png", rankdir="TB")
    assert dot.format == "png" and "rankdir=TB" in dot.source
    with pytest.raises(ValueError, match="rankdir must be one of"):
        autograd.draw_graph(L, rankdir="sideways")
    with pytest.raises(TypeError, match="expected a Value or a Tensor, got int"):
        autograd.draw_graph(3)


def test_record_special_characters_are_escaped():
    v = Value(1.0, label="{x|<y>}")
    src = autograd.draw_graph(v).source
    assert r"\{x\|\<y\>\}" in src


def test_tensor_graph_shows_shapes_dtypes_summaries_and_ops():
    x = autograd.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    w = autograd.tensor([0.5, -1.0], requires_grad=True)
    y = (x * w).sum()
    y.backward()
    src = autograd.draw_graph(y, names={"x": x, "w": w, "y": y}).source
    rec = records(src)
    assert rec["x"][1] == "x | (2, 2) float32 | [1, 2, 3, 4] | grad [0.5, -1, 0.5, -1]"
    assert rec["w"][1] == "w | (2,) float32 | [0.5, -1] | grad [4, 6]"
    assert rec["y"][1] == "y | () float32 | -4 | grad None"
    assert sorted(ops(src).values()) == ["Mul", "Sum"]
    big = autograd.ones(3, 4)
    assert "min 1 mean 1 max 1" in autograd.draw_graph(big).source


def test_ten_thousand_nodes_are_truncated_and_the_picture_says_so():
    x = Value(0.5)
    for _ in range(5_000):
        x = x * 1.0001 + 0.001  # two values per step
    drawing = autograd.draw_graph(x, max_nodes=50)
    src = drawing.source
    assert src.count("shape=record") == 50
    total = len(autograd.graph.topological_order([x], lambda v: v._prev))
    assert total > 10_000
    assert f"showing 50 of {total} values (max_nodes=50)" in src
    assert f"... {total - 50} more values not shown" in src
    cut = re.findall(r"\tmore -> (n\d+op) \[style=dashed\]", src)
    assert cut and all(f"\t{op} [label=" in src for op in cut)


@needs_dot
def test_render_svg_and_png_when_dot_is_present(tmp_path):
    drawing = autograd.draw_graph(lecture_graph())
    path = drawing.render(str(tmp_path / "graph"), format="svg")
    assert path.endswith(".svg")
    svg = (tmp_path / "graph.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "data 2.0000" in svg
    png = drawing.pipe(format="png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    bundle = drawing._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_missing_dot_gives_one_clear_line_but_source_still_works(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot on PATH
    drawing = autograd.draw_graph(lecture_graph())
    assert "digraph" in drawing.source
    for render in (lambda: drawing.render(str(tmp_path / "g"), format="svg"),
                   lambda: drawing.pipe(format="png")):
        with pytest.raises(GraphvizNotFoundError) as info:
            render()
        message = str(info.value)
        assert "\n" not in message
        assert "apt-get install graphviz" in message and "brew install graphviz" in message
        assert info.value.__cause__ is None and info.value.__suppress_context__
    assert isinstance(GraphvizNotFoundError(), RuntimeError)


def test_jupyter_shows_the_install_line_in_place_of_the_picture_when_dot_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no dot on PATH
    drawing = autograd.draw_graph(lecture_graph())
    assert drawing._repr_mimebundle_() == {"text/plain": str(GraphvizNotFoundError())}
    stepper = autograd.BackwardStepper(lecture_graph())
    stepper.step()
    bundle = stepper._repr_mimebundle_()
    assert list(bundle) == ["text/plain"] and "apt-get install graphviz" in bundle["text/plain"]
