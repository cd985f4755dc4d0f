"""Small builders for the objects the printer tests feed in: `pod("web").running().obj()`.

Times are given as seconds before NOW so a case reads like the AGE column it expects."""
from __future__ import annotations

import calendar
import copy

NOW = float(calendar.timegm((2026, 11, 26, 10, 30, 0, 0, 0, 0)))


def ts(seconds_ago: float) -> str:
    """RFC3339 text for NOW minus `seconds_ago`."""
    import datetime
    when = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc) + \
        datetime.timedelta(seconds=NOW - seconds_ago)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


class pod:
    def __init__(self, name, namespace="default", age=60, containers=("app",)):
        self._o = {"apiVersion": "v1", "kind": "Pod",
                   "metadata": {"name": name, "namespace": namespace, "creationTimestamp": ts(age)},
                   "spec": {"containers": [{"name": c, "image": "nginx"} for c in containers]},
                   "status": {"phase": "Pending"}}

    # ---- spec
    def init(self, *names, sidecar=()):
        self._o["spec"]["initContainers"] = [
            dict({"name": n, "image": "busybox"}, **({"restartPolicy": "Always"} if n in sidecar else {}))
            for n in names]
        return self

    def node(self, name):
        self._o["spec"]["nodeName"] = name
        return self

    def labels(self, **labels):
        self._o["metadata"]["labels"] = dict(labels)
        return self

    def gates(self, *types):
        self._o["spec"]["readinessGates"] = [{"conditionType": t} for t in types]
        return self

    # ---- status
    def phase(self, phase, reason=None):
        self._o["status"]["phase"] = phase
        if reason:
            self._o["status"]["reason"] = reason
        return self

    def ip(self, ip):
        self._o["status"]["podIP"] = ip
        self._o["status"]["podIPs"] = [{"ip": ip}]
        return self

    def condition(self, kind, status="True", reason=None):
        cond = {"type": kind, "status": status}
        if reason:
            cond["reason"] = reason
        self._o["status"].setdefault("conditions", []).append(cond)
        return self

    def deleting(self, seconds_ago=5):
        self._o["metadata"]["deletionTimestamp"] = ts(seconds_ago)
        self._o["metadata"]["deletionGracePeriodSeconds"] = 30
        return self

    def container(self, name, state, *, ready=False, restarts=0, last_finished=None, started=None,
                  init=False):
        key = "initContainerStatuses" if init else "containerStatuses"
        status = {"name": name, "image": "nginx", "ready": ready, "restartCount": restarts,
                  "state": state}
        if started is not None:
            status["started"] = started
        if last_finished is not None:
            status["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error",
                                                  "finishedAt": ts(last_finished)}}
        self._o["status"].setdefault(key, []).append(status)
        return self

    def running(self, ready=True):
        """Every container running (and ready), phase Running."""
        self.phase("Running")
        for c in self._o["spec"]["containers"]:
            self.container(c["name"], {"running": {"startedAt": ts(30)}}, ready=ready)
        return self

    def obj(self):
        return copy.deepcopy(self._o)


def waiting(reason):
    return {"waiting": {"reason": reason}}


def terminated(code=0, reason=None, signal=None):
    term = {"exitCode": code}
    if reason:
        term["reason"] = reason
    if signal:
        term["signal"] = signal
    return {"terminated": term}


def running():
    return {"running": {"startedAt": ts(30)}}


def meta(name, age=600, namespace=None, **extra):
    m = {"name": name, "creationTimestamp": ts(age)}
    if namespace:
        m["namespace"] = namespace
    m.update(extra)
    return m
