"""Benchmark: executing every course notebook, and autograding one submission per assignment.

Targets (issue 3): the whole course ≤ 60 s; one autograde ≤ 3 s beyond the kernel's own
start-up (measured here as the time of an autograde minus the time to start a kernel and run
an empty notebook).

    python benchmarks/bench_course.py
"""
from __future__ import annotations

import pathlib
import shutil
import subprocess
import sys
import tempfile
import time

import nbformat
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parent.parent


def run_notebook(path: pathlib.Path) -> float:
    nb = nbformat.read(path, as_version=4)
    t = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    return time.perf_counter() - t


def empty_kernel() -> float:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1")])
    t = time.perf_counter()
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return time.perf_counter() - t


def autograde(assignment: str) -> float:
    """Copy the course, submit the solution as student 'bench', autograde it."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        for name in ("nbgrader_config.py",):
            shutil.copy(ROOT / name, tmp / name)
        shutil.copytree(ROOT / "solutions", tmp / "solutions")
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                       cwd=tmp, check=True, capture_output=True)
        sub = tmp / "submitted" / "bench" / assignment
        sub.mkdir(parents=True)
        for nb in (tmp / "solutions" / assignment).glob("*.ipynb"):
            shutil.copy(nb, sub / nb.name)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
                       cwd=tmp, check=True, capture_output=True)
        return time.perf_counter() - t


def main() -> None:
    base = empty_kernel()
    print(f"kernel start-up + trivial cell: {base:.2f}s")
    total = 0.0
    for nb in sorted((ROOT / "course").glob("*.ipynb")):
        t = run_notebook(nb)
        total += t
        print(f"{nb.name}: {t:.2f}s")
    print(f"whole course: {total:.2f}s (target <= 60 s)")
    for a in sorted(p.name for p in (ROOT / "solutions").iterdir() if p.is_dir()):
        t = autograde(a)
        print(f"autograde {a}: {t:.2f}s; beyond kernel start-up: {t - base:.2f}s (target <= 3 s)")


if __name__ == "__main__":
    main()
