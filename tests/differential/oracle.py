"""Serve a live kcore cluster to the real kubectl, and read back what it prints.

`capture(cluster, commands)` freezes one moment of a cluster: every object the real kubectl
could fetch (all kinds the loopback stub knows, in every namespace), the cluster's virtual
"now", and kcore's own output for each command at that instant. `Oracle(kubectl)` keeps one
loopback stub (tests/printers/stub_apiserver.py, subclassed here to record what it could not
serve) for the session; `oracle.run(snapshot, argv, clocked)` serves the frozen objects and
runs the real binary.

The clock. The real kubectl reads ages off the wall clock, kcore off its virtual clock. For
`describe` every RFC 3339 timestamp in the served objects is moved by a whole number of
seconds D, so that the wall clock seen by kubectl falls in the same second as kcore's
virtual now (the run is repeated if it straddles a second boundary). Ages then match
exactly, and absolute times that kubectl prints (RFC 1123Z, RFC 3339, Go's time.String) are
moved back by D in its output, which is exact because D is known. For `get -o yaml|json`, where nothing is
computed from the clock, the objects are served unmoved."""
from __future__ import annotations

import copy
import os
import re
import subprocess
import time
from datetime import datetime, timedelta

from tests.printers.stub_apiserver import RESOURCES, StubAPI

RFC3339 = re.compile(r"\b(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z\b")
RFC1123Z = re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d\d) (\w{3}) (\d{4}) (\d\d:\d\d:\d\d) \+0000\b")
GO_DEFAULT = re.compile(r"\b(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) \+0000 UTC\b")  # time.Time.String()
ISO_FULL = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


class Snapshot:
    """Objects, virtual now (unix seconds) and kcore's output for each command, at one instant."""

    def __init__(self, objects: list[dict], now: float, ours: dict[tuple, object]):
        self.objects = objects
        self.now = now
        self.ours = ours


def export(cluster) -> list[dict]:
    """Every object of every kind the stub serves, typed as the API would return it alone."""
    objects = []
    for gv, resources in RESOURCES.items():
        for plural, kind, _ in resources:
            for obj in cluster.api.list(plural, None)["items"]:
                obj = copy.deepcopy(obj)
                obj["apiVersion"], obj["kind"] = gv, kind
                objects.append(obj)
    return objects


def capture(cluster, commands) -> Snapshot:
    """Freeze the cluster now: its objects and kcore's answer to each command (a tuple of argv)."""
    ours = {tuple(argv): cluster.kubectl(list(argv)) for argv in commands}
    return Snapshot(export(cluster), cluster.loop.wall(), ours)


# -- moving time ------------------------------------------------------------------------------
def _shift_text(text: str, delta: int) -> str:
    def move(m):
        when = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S") + timedelta(seconds=delta)
        return when.strftime("%Y-%m-%dT%H:%M:%S") + (m.group(2) or "") + "Z"
    return RFC3339.sub(move, text)


def shift_object(obj, delta: int):
    """A copy of obj with every timestamp string moved by delta seconds."""
    if isinstance(obj, dict):
        return {k: shift_object(v, delta) for k, v in obj.items()}
    if isinstance(obj, list):
        return [shift_object(v, delta) for v in obj]
    if isinstance(obj, str) and ISO_FULL.match(obj):
        return _shift_text(obj, delta)
    return obj


def unshift_output(text: str, delta: int) -> str:
    """Move the absolute times kubectl printed back by delta seconds."""
    def move(m):
        when = datetime.strptime(" ".join(m.group(2, 3, 4, 5)), "%d %b %Y %H:%M:%S") - timedelta(seconds=delta)
        return when.strftime("%a, %d %b %Y %H:%M:%S +0000")
    def move_default(m):
        when = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S") - timedelta(seconds=delta)
        return when.strftime("%Y-%m-%d %H:%M:%S") + " +0000 UTC"
    return GO_DEFAULT.sub(move_default, RFC1123Z.sub(move, _shift_text(text, -delta)))


# -- the oracle -------------------------------------------------------------------------------
class RecordingStub(StubAPI):
    """The printers' stub, remembering which paths kubectl asked for and did not find."""

    def __init__(self):
        super().__init__()
        self.misses: list[str] = []

    def handle(self, path, query=None):
        result = super().handle(path, query)
        if isinstance(result, tuple):
            self.misses.append(path)
        return result


class Oracle:
    """One loopback stub for the whole session (kubectl's discovery cache lives under its
    HOME, keyed by the server's port, so later runs skip discovery), re-filled per run."""

    def __init__(self, kubectl: str):
        self.kubectl = kubectl
        self.stub = RecordingStub()

    def __enter__(self):
        self.stub.__enter__()
        return self

    def __exit__(self, *exc):
        self.stub.__exit__(*exc)

    def _serve(self, snapshot: Snapshot, delta: int) -> None:
        self.stub.objects = {}
        self.stub.misses = []
        for obj in snapshot.objects:
            self.stub.add(shift_object(obj, delta) if delta else obj)

    def _run(self, argv):
        env = {"PATH": os.environ.get("PATH", ""), "HOME": self.stub.dir.name, "TZ": "UTC",
               "KUBECONFIG": self.stub.kubeconfig}
        return subprocess.run([self.kubectl, *argv], capture_output=True, text=True, env=env, timeout=60)

    def run(self, snapshot: Snapshot, argv, clocked: bool):
        """(stdout, stderr, returncode) of the real kubectl; clocked runs see the snapshot's now."""
        if not clocked:
            self._serve(snapshot, 0)
            proc = self._run(argv)
            return proc.stdout, proc.stderr, proc.returncode
        vsec = int(snapshot.now // 1)
        for attempt in range(5):
            wall = time.time()
            if attempt or wall % 1 > 0.7:  # start with a whole second ahead of the run
                time.sleep(1.0 - wall % 1 + 0.002)
                wall = time.time()
            delta = int(wall // 1) - vsec
            self._serve(snapshot, delta)
            proc = self._run(argv)
            # delta was taken from `wall`: the whole run, serving included, must stay in that second
            if int(wall // 1) == int(time.time() // 1):
                break
        else:
            raise RuntimeError(f"kubectl {' '.join(argv)} never ran within one wall-clock second")
        return unshift_output(proc.stdout, delta), unshift_output(proc.stderr, delta), proc.returncode
