"""Shared fixtures: the real kubectl oracle for differential tests.

The oracle is fetched by ../shared/tools/real-kubectl (once, cached). Where it cannot be had
(no npm, no network, not Linux x86_64) every test that asks for it is skipped with the reason."""
from __future__ import annotations

import functools
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@functools.lru_cache(maxsize=1)
def _find_real_kubectl() -> tuple[str | None, str]:
    explicit = os.environ.get("KCORE_REAL_KUBECTL")
    if explicit:
        return (explicit, "") if os.access(explicit, os.X_OK) else (None, f"{explicit} is not executable")
    script = REPO.parent / "shared" / "tools" / "real-kubectl"
    if not script.exists():
        return None, f"{script} not found"
    try:
        proc = subprocess.run(["bash", str(script)], capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"real-kubectl could not run: {exc}"
    if proc.returncode != 0:
        return None, proc.stderr.strip() or "real-kubectl failed"
    return proc.stdout.strip(), ""


@pytest.fixture(scope="session")
def real_kubectl() -> str:
    """Path of a real kubectl v1.35 binary; skips the test where it cannot be had."""
    path, why = _find_real_kubectl()
    if path is None:
        pytest.skip(f"real kubectl unavailable: {why}")
    return path


def run_real_kubectl(binary: str, args: list[str], stdin: str = "", cwd: str | None = None):
    """Run the oracle offline (KUBECONFIG=/dev/null) and return the CompletedProcess."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/tmp"),
           "KUBECONFIG": "/dev/null"}
    return subprocess.run([binary, *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=60)
