"""Every notebook in ``notebooks/`` executes, cell by cell, without an error.

The notebooks are jupytext MyST markdown files (``notebooks/*.md``, the source of truth;
``.ipynb`` files are not committed). Each one is read with jupytext, executed in a fresh
IPython kernel (the venv's own Python, through ipykernel) with ``notebooks/`` as the
working directory, and must finish inside the 60-second budget the figures issue sets.
Outputs are thrown away.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

jupytext = pytest.importorskip("jupytext")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
BUDGET_SECONDS = 60.0  # each notebook, on 2 cores (issue 6)
NOTEBOOK_FILES = sorted(p for p in NOTEBOOKS.glob("*.md") if p.name != "README.md")


def test_there_are_notebooks():
    assert NOTEBOOK_FILES, f"no jupytext notebooks in {NOTEBOOKS}"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_notebook_executes(path: Path, tmp_path: Path):
    nb = jupytext.read(path)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python", f"{path.name}: no Python kernelspec"
    assert any(c.cell_type == "code" for c in nb.cells), f"{path.name}: no code cells"
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",  # ipykernel's native kernel: this interpreter, this venv
        timeout=int(BUDGET_SECONDS),  # per cell; the whole notebook is checked below
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        allow_errors=False,
    )
    start = time.perf_counter()
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}", pytrace=False)
    finally:
        elapsed = time.perf_counter() - start
        # keep the executed copy for a look after a failure (pytest's tmp_path)
        jupytext.write(nb, tmp_path / f"{path.stem}.ipynb")
    print(f"{path.name}: {elapsed:.1f} s")
    assert elapsed < BUDGET_SECONDS, f"{path.name} took {elapsed:.1f} s (budget {BUDGET_SECONDS:.0f} s)"
