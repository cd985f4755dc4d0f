#!/usr/bin/env python3
"""Check the course in a real browser: headless Chromium against a running JupyterLab.

    python scripts/browser_check.py                                  # chapter 01, build/browser-check.png
    python scripts/browser_check.py --notebook course/02-scheduling.ipynb --out shot.png
    python scripts/browser_check.py --install                        # apt-get install chromium first (root)

Steps: copy the chapter to build/browser-check/ (the course file is never touched); start
JupyterLab on a free localhost port with a fresh token; drive headless Chromium through the
DevTools protocol: open the notebook, run all cells in the live kernel, wait until every cell
ran, check that a widget drew (an SVG diagram, or the graphviz fallback table) and that no
output holds a Python traceback, scroll to the first widget and take a screenshot; stop the
browser and the server. Exit 0 when every check holds.

Chromium runs with --headless --no-sandbox --disable-gpu --disable-quic --no-first-run
--disable-background-networking --disable-component-update --disable-sync and a throwaway
--user-data-dir. It is a manual (or nightly) check, not part of .ci/run."""
from __future__ import annotations

import argparse
import base64
import json
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
                  "--hide-scrollbars", "--window-size=1400,1100"]  # plus --user-data-dir=<tmp>


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


class DevTools:
    """A minimal Chrome DevTools Protocol client over tornado's websocket (a Jupyter dependency)."""

    def __init__(self, ws_url: str):
        from tornado.ioloop import IOLoop
        from tornado.websocket import websocket_connect

        self.loop = IOLoop.current()
        self.conn = self.loop.run_sync(lambda: websocket_connect(ws_url, max_message_size=64 * 2**20))
        self.next_id = 0

    def call(self, method: str, **params):
        self.next_id += 1
        msg_id = self.next_id

        async def roundtrip():
            await self.conn.write_message(json.dumps({"id": msg_id, "method": method, "params": params}))
            while True:
                raw = await self.conn.read_message()
                if raw is None:
                    raise SystemExit("browser_check: Chromium closed the DevTools connection")
                reply = json.loads(raw)
                if reply.get("id") == msg_id:
                    return reply
        reply = self.loop.run_sync(roundtrip, timeout=120)
        if "error" in reply:
            raise SystemExit(f"browser_check: {method} failed: {reply['error']}")
        return reply["result"]

    def js(self, expression: str, wait_promise: bool = False):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=wait_promise)
        return result.get("result", {}).get("value")

    def wait(self, expression: str, seconds: float, what: str) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.js(expression):
                print(f"ok   {what}")
                return True
            time.sleep(0.5)
        print(f"FAIL {what} (waited {seconds:.0f}s)")
        return False


def page_websocket(port: int, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as response:
                pages = [t for t in json.load(response) if t.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("browser_check: Chromium's DevTools endpoint did not come up")


WIDGET_DRAWN = ("document.querySelectorAll('.widget-html-content svg, .widget-html-content table').length")
KERNEL = ("(() => { for (const w of window.jupyterapp.shell.widgets('main')) {"
          " if (w.sessionContext) return w.sessionContext.session?.kernel; } })()")
BUSY = "document.querySelectorAll('.jp-InputArea-prompt').length && [...document.querySelectorAll('.jp-InputArea-prompt')].some(p => p.textContent.includes('*'))"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebook", default="course/01-core-concepts.ipynb")
    parser.add_argument("--out", default="build/browser-check.png")
    parser.add_argument("--install", action="store_true", help="apt-get install chromium when missing")
    parser.add_argument("--timeout", type=float, default=240, help="seconds to wait for the notebook to run")
    options = parser.parse_args()

    binary = find_chromium(options.install)
    source = (REPO / options.notebook).resolve()
    if not source.is_file():
        sys.exit(f"browser_check: {options.notebook} does not exist")
    shown = REPO / "build" / "browser-check" / source.name      # a copy: the course file stays untouched
    shown.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, shown)
    out = (REPO / options.out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)

    port, token, debug_port = free_port(), secrets.token_hex(16), free_port()
    with tempfile.TemporaryDirectory(prefix="kcore-browser-") as tmp:
        settings = Path(tmp) / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text('{"fetchNews": "false", "checkForUpdates": false}')
        server = subprocess.Popen(
            [sys.executable, "-m", "jupyter", "lab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
             f"--ServerApp.root_dir={REPO}", f"--IdentityProvider.token={token}", "--LabApp.expose_app_in_browser=True",
             *(["--allow-root"] if os.geteuid() == 0 else [])],
            stdout=open(Path(tmp) / "lab.log", "w"), stderr=subprocess.STDOUT,
            env={**os.environ, "JUPYTERLAB_SETTINGS_DIR": str(Path(tmp) / "settings"),
                 "JUPYTERLAB_WORKSPACES_DIR": str(Path(tmp) / "workspaces")},
            start_new_session=True)
        browser = None
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/api/status?token={token}", 180)
            url = f"{base}/lab/tree/{shown.relative_to(REPO).as_posix()}?reset&token={token}"
            browser = subprocess.Popen([binary, *CHROMIUM_FLAGS, f"--user-data-dir={Path(tmp) / 'profile'}",
                                        f"--remote-debugging-port={debug_port}", "about:blank"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            tools = DevTools(page_websocket(debug_port))
            tools.call("Page.enable")
            tools.call("Page.navigate", url=url)
            ok = tools.wait("!!document.querySelector('.jp-Notebook .jp-Cell') && !!window.jupyterapp", 120,
                            "JupyterLab opened the notebook")
            ok = ok and tools.wait(f"{KERNEL}?.status === 'idle'", 120, "the kernel is up and idle")
            if ok:
                tools.js("(() => { for (const w of window.jupyterapp.shell.widgets('main')) {"
                         " if (w.sessionContext) { window.jupyterapp.shell.activateById(w.id); } }"
                         " window.jupyterapp.commands.execute('notebook:run-all-cells'); return true; })()")
                time.sleep(1)
                ok = tools.wait(f"!({BUSY})", options.timeout, "every cell ran")
                ok = tools.wait(f"{WIDGET_DRAWN} > 0", 60, "a widget rendered (SVG diagram or fallback table)") and ok
                errors = tools.js("document.querySelectorAll('[data-mime-type=\"application/vnd.jupyter.stderr\"]').length")
                tracebacks = tools.js("[...document.querySelectorAll('.jp-RenderedText')].filter(e => e.textContent.includes('Traceback (most recent call last)')).length")
                print(f"{'ok  ' if not tracebacks else 'FAIL'} no Python traceback in any output ({errors} stderr outputs)")
                ok = ok and not tracebacks
                tools.js("(() => { const w = document.querySelector('.widget-html-content svg, .widget-html-content table');"
                         " if (w) w.closest('.jp-Cell').scrollIntoView(); })()")
                time.sleep(1)
            shot = tools.call("Page.captureScreenshot", format="png")
            out.write_bytes(base64.b64decode(shot["data"]))
            print(f"screenshot: {out}")
            if not ok:
                print(f"server log (tail): {(Path(tmp) / 'lab.log').read_text()[-1500:]}")
            return 0 if ok else 1
        finally:
            for process in (browser, server):
                if process is None:
                    continue
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


if __name__ == "__main__":
    sys.exit(main())
