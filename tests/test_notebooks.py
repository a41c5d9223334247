"""Execute every notebook in notebooks/ from a fresh in-memory copy and fail on any cell error.

The notebooks assert the course's claims (a regularized network generalizes better, BatchNorm
tolerates a larger learning rate, ...), so a claim that stops being true fails here. Needs the
``notebooks`` extra (nbclient, ipykernel, matplotlib, scikit-learn): ``pip install -e .[notebooks]``.
"""
import pathlib
import re

import pytest

NOTEBOOKS = pathlib.Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOK_FILES = sorted(NOTEBOOKS.glob("*.ipynb"))
TIMEOUT_PER_NOTEBOOK = 300  # seconds; each notebook aims for well under a minute

def _missing_modules():
    import importlib.util

    return [name for name in ("nbformat", "nbclient", "ipykernel", "matplotlib") if importlib.util.find_spec(name) is None]


def test_the_course_has_eight_numbered_notebooks():
    numbers = {int(m.group(1)) for path in NOTEBOOK_FILES if (m := re.match(r"(\d\d)_", path.name))}
    assert set(range(1, 9)) <= numbers, f"missing notebooks numbered {sorted(set(range(1, 9)) - numbers)} in {NOTEBOOKS}"


def _error_text(error):
    """The failing cell's source and its error output (traceback with ANSI colour codes removed)."""
    text = str(error)
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[path.name for path in NOTEBOOK_FILES])
def test_notebook_executes_without_error(path, monkeypatch):
    missing = _missing_modules()
    if missing:
        pytest.skip(f"executing notebooks needs {', '.join(missing)}: pip install -e .[notebooks]")
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    # The notebooks multiply small matrices; a multi-threaded BLAS on a busy machine spends more time
    # spinning its threads than computing, so the kernel runs single-threaded BLAS.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, "1")
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(
        notebook, kernel_name="python3", timeout=TIMEOUT_PER_NOTEBOOK,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
    )
    try:
        client.execute()
    except CellExecutionError as error:
        pytest.fail(f"{path.name} failed:\n{_error_text(error)}", pytrace=False)
