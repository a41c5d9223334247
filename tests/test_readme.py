"""The README is the front door: its example runs, and its test command is the one CI runs."""
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_example_runs_and_trains(tmp_path, monkeypatch, capsys):
    example = re.search(r"```python\n(.*?)```", README, re.S).group(1)
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(compile(example, "README.md", "exec"), namespace)
    assert namespace["loss"].item() < 0.1
    printed = capsys.readouterr().out
    assert "step 1 of 4" in printed and "a.grad +=" in printed
    assert "->" in namespace["autograd"].draw_graph(namespace["c"]).source


def test_readme_commands_are_marked_for_ci():
    for name, runs in (("demo-command", "examples/demo.py"), ("test-command", "pytest")):
        block = re.search(rf"<!-- {name} -->\n```bash\n(.*?)\n```\n<!-- /{name} -->", README, re.S)
        assert block and runs in block.group(1), name
        assert name in (ROOT / ".ci" / "run").read_text()


def test_readme_links_every_notebook():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        assert f"(notebooks/{notebook.name})" in README, f"README does not link {notebook.name}"


def test_every_op_the_readme_lists_exists():
    import autograd

    section = README.split("## What is inside", 1)[1].split("**`autograd.Value`**", 1)[0]
    names = set()
    for quoted in re.findall(r"`([^`]+)`", section):
        names.update(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", re.sub(r"'[^']*'", "", quoted)))
    assert {"log1p", "einsum", "scatter_add_", "movedim", "uniform_", "register_hook"} <= names
    not_names = {"autograd", "Tensor", "dim", "keepdim", "axis", "keepdims", "rounding_mode", "decimals", "fn",
                 "grad", "gradient", "retain_graph", "create_graph", "inputs", "tensors", "grad_tensors", "ctx",
                 "forward", "backward", "T", "mT", "copy", "memory_format", "None", "arc", "torch", "no_grad",
                 "enable_grad", "set_grad_enabled", "save_for_backward", "apply", "t", "Function", "True", "_like"}
    missing = sorted(n for n in names - not_names
                     if not hasattr(autograd, n) and not hasattr(autograd.Tensor, n) and not hasattr(autograd.Function, n))
    assert not missing, f"README lists names autograd does not have: {missing}"
