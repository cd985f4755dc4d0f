"""Re-execute the course notebooks in place so their committed outputs match the engine.

Runs each course/NN-*.ipynb top to bottom in a fresh kernel, then drops the per-cell execution
timestamps Jupyter records, so two runs of the same engine give byte-identical files (the
nbval tests replay these outputs). Usage: python scripts/refresh_course.py [notebook ...]"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parent.parent


def strip_execution_metadata(path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((REPO / "course").glob("[0-9][0-9]-*.ipynb"))
    for path in paths:
        subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                        "--inplace", str(path)], check=True, cwd=REPO)
        strip_execution_metadata(path)
        print(f"refreshed {path.relative_to(REPO) if path.is_absolute() else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
