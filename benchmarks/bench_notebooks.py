"""Time each notebook in notebooks/ (target: under 60 s each on 2 cores, issue 6).

Run with ``python benchmarks/bench_notebooks.py``; prints one line per notebook.
"""

from __future__ import annotations

import time
from pathlib import Path

import jupytext
import nbclient

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def main() -> None:
    for path in sorted(p for p in NOTEBOOKS.glob("*.md") if p.name != "README.md"):
        nb = jupytext.read(path)
        client = nbclient.NotebookClient(nb, kernel_name="python3", timeout=600,
                                         resources={"metadata": {"path": str(NOTEBOOKS)}})
        start = time.perf_counter()
        client.execute()
        print(f"{path.name:<40} {time.perf_counter() - start:6.1f} s  target < 60 s", flush=True)


if __name__ == "__main__":
    main()
