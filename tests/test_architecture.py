"""The architecture is enforced, not hoped for: layers point downward, and only the loop
reads the wall clock or draws random numbers."""
from __future__ import annotations

import ast
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
KCORE = ROOT / "kcore"

FORBIDDEN = {"time", "random", "uuid", "secrets"}


def _imports(path: pathlib.Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name.split(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0], node.lineno


def _now_calls(path: pathlib.Path):
    text = path.read_text(encoding="utf-8")
    for i, line in enumerate(text.splitlines(), 1):
        if "datetime.now(" in line or ".utcnow(" in line or "date.today(" in line:
            yield i


MODULES = sorted(p for p in KCORE.rglob("*.py") if "sim" not in p.relative_to(KCORE).parts[:1])


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_loop_reads_the_clock_or_draws_chance(path):
    bad = [f"import {m} (line {ln})" for m, ln in _imports(path) if m in FORBIDDEN]
    bad += [f"wall-clock call (line {ln})" for ln in _now_calls(path)]
    assert not bad, f"{path.relative_to(ROOT)} must take time and chance from kcore.sim: {bad}"


def test_layers_point_downward():
    """import-linter's layers contract from pyproject.toml holds."""
    proc = subprocess.run([sys.executable, "-m", "importlinter.cli"], cwd=ROOT,
                          capture_output=True, text=True)
    if proc.returncode != 0 and "No module named" in proc.stderr:
        proc = subprocess.run(["lint-imports"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
