"""Every notebook in ``notebooks/`` executes, cell by cell, without an error.

The notebooks are jupytext MyST markdown files (``notebooks/*.md``, the source of truth;
``.ipynb`` files are not committed). Each one is read with jupytext, executed in a fresh
IPython kernel (the venv's own Python, through ipykernel) with ``notebooks/`` as the
working directory. Outputs are thrown away. How long each one takes (the figures issue
sets 60 s on 2 cores) is measured by ``benchmarks/bench_notebooks.py``, not asserted here;
the per-cell timeout only guards against a hang.
"""

from __future__ import annotations

from pathlib import Path

import ipykernel  # noqa: F401  (the kernel the notebooks run in: a missing one must fail, not skip)
import jupytext
import nbclient
import pytest

from costing.whatif import HEADLESS_ENV

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
HANG_SECONDS = 600  # per cell: a guard against a hang, not a performance target
NOTEBOOK_FILES = sorted(p for p in NOTEBOOKS.glob("*.md") if p.name != "README.md")


def test_there_are_notebooks():
    assert NOTEBOOK_FILES, f"no jupytext notebooks in {NOTEBOOKS}"


@pytest.mark.parametrize("path", NOTEBOOK_FILES, ids=[p.stem for p in NOTEBOOK_FILES])
def test_notebook_executes(path: Path, tmp_path: Path, monkeypatch):
    # the what-if cells draw once instead of creating widgets (costing.whatif: executing widget
    # cells headless intermittently lost the kernel's reply, jupyter/nbclient#312)
    monkeypatch.setenv(HEADLESS_ENV, "1")
    nb = jupytext.read(path)
    assert nb.metadata.get("kernelspec", {}).get("language") == "python", f"{path.name}: no Python kernelspec"
    assert any(c.cell_type == "code" for c in nb.cells), f"{path.name}: no code cells"
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",  # ipykernel's native kernel: this interpreter, this venv
        timeout=HANG_SECONDS,
        resources={"metadata": {"path": str(NOTEBOOKS)}},
        allow_errors=False,
    )
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as exc:
        pytest.fail(f"{path.name}: a cell failed\n{exc}", pytrace=False)
    finally:
        # keep the executed copy for a look after a failure (pytest's tmp_path)
        jupytext.write(nb, tmp_path / f"{path.stem}.ipynb")
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert outputs, f"{path.name}: executed, but no cell produced output"
