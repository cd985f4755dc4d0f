#!/usr/bin/env python3
"""Check the course in a real browser: headless Chromium against a running JupyterLab.

    python scripts/browser_check.py                                  # chapter 01, build/browser-check.png
    python scripts/browser_check.py --notebook course/02-scheduling.ipynb --out shot.png
    python scripts/browser_check.py --install                        # apt-get install chromium first (root)

Steps: execute the chapter into build/browser-check/ with widget state stored (so its widgets
render from saved state, without a kernel); start JupyterLab on a free localhost port with a
fresh token; load the notebook in headless Chromium, dump the DOM and check that the notebook,
its outputs and a rendered widget (an SVG diagram, or the graphviz fallback table) are there;
take a screenshot; stop the server. Exit 0 when every check holds.

Chromium runs with --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync and a throwaway
--user-data-dir. It is a manual (or nightly) check, not part of .ci/run."""
from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1400,1100"]


def find_chromium(install: bool) -> str:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(candidate)
        if path:
            return path
    if install:
        if os.geteuid() != 0:
            sys.exit("browser_check: --install needs root (apt-get install -y chromium)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        return find_chromium(False)
    sys.exit("browser_check: Chromium not found; install it with `apt-get install -y chromium` "
             "(or run this script with --install as root)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def execute_with_widget_state(source: Path, target: Path) -> None:
    """Run the notebook top to bottom and save it with the widget state embedded."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(source, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3", store_widget_state=True,
                   resources={"metadata": {"path": str(source.parent)}}).execute()
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)


def wait_for(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"browser_check: JupyterLab did not answer at {url}")


def chromium(binary: str, profile: str, url: str, *extra: str, budget_ms: int = 25000) -> subprocess.CompletedProcess:
    args = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--virtual-time-budget={budget_ms}", *extra, url]
    return subprocess.run(args, capture_output=True, text=True, timeout=budget_ms / 1000 + 90)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="course/01-core-concepts.ipynb")
    parser.add_argument("--out", default="build/browser-check.png")
    parser.add_argument("--no-execute", action="store_true", help="open the notebook as committed")
    parser.add_argument("--install", action="store_true", help="apt-get install chromium when missing")
    parser.add_argument("--budget-ms", type=int, default=25000, help="virtual time Chromium waits for the page")
    options = parser.parse_args()

    binary = find_chromium(options.install)
    source = (REPO / options.notebook).resolve()
    if not source.is_file():
        sys.exit(f"browser_check: {options.notebook} does not exist")
    if options.no_execute:
        shown = source
    else:
        shown = REPO / "build" / "browser-check" / source.name
        print(f"executing {options.notebook} with widget state -> {shown.relative_to(REPO)}")
        execute_with_widget_state(source, shown)
    out = (REPO / options.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)

    port, token = free_port(), secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="kcore-browser-") as tmp:
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--ServerApp.root_dir={REPO}", f"--IdentityProvider.token={token}",
             "--ServerApp.open_browser=False", "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=open(Path(tmp) / "lab.log", "w"), stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(Path(tmp) / "config"),
                 "JUPYTERLAB_WORKSPACES_DIR": str(Path(tmp) / "workspaces")},
            start_new_session=True)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/status?token={token}", 180)
            url = f"{base}/lab/tree/{shown.relative_to(REPO).as_posix()}?reset&token={token}"
            dom = chromium(binary, str(Path(tmp) / "profile-dom"), url, "--dump-dom", budget_ms=options.budget_ms)
            checks = {
                "JupyterLab loaded the notebook": "jp-Notebook" in dom.stdout,
                "cells have outputs": "jp-OutputArea-output" in dom.stdout,
                "a widget rendered (SVG diagram or fallback table)":
                    "widget-html-content" in dom.stdout and ("<svg" in dom.stdout or "<table" in dom.stdout),
            }
            shot = chromium(binary, str(Path(tmp) / "profile-shot"), url, f"--screenshot={out}",
                            budget_ms=options.budget_ms)
            checks["a screenshot was written"] = out.is_file() and out.stat().st_size > 10_000
            for what, ok in checks.items():
                print(f"{'ok  ' if ok else 'FAIL'} {what}")
            if not all(checks.values()):
                print((dom.stderr or "")[-2000:], (shot.stderr or "")[-2000:], sep="\n")
                print(f"server log: {(Path(tmp) / 'lab.log').read_text()[-2000:]}")
                return 1
            print(f"screenshot: {out}")
            return 0
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
