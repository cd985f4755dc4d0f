"""Builders for the API objects the kcore.api tests feed in: plain dicts, as kubectl sends them."""
from __future__ import annotations

import copy


class Obj:
    """A fluent wrapper: pod("web").image("nginx:1.25").requests(cpu="2").obj()."""

    def __init__(self, data: dict):
        self.data = data

    def obj(self) -> dict:
        return copy.deepcopy(self.data)

    def set(self, dotted: str, value) -> "Obj":
        node = self.data
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node.setdefault(part, {})
        last = parts[-1]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
        return self

    def drop(self, dotted: str) -> "Obj":
        node = self.data
        parts = dotted.split(".")
        for part in parts[:-1]:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if isinstance(node, list):
            del node[int(parts[-1])]
        else:
            node.pop(parts[-1], None)
        return self

    # pod-ish helpers; `base` is where the pod spec lives
    def _spec(self) -> dict:
        spec = self.data["spec"]
        while "template" in spec or "jobTemplate" in spec:
            spec = (spec.get("template") or spec["jobTemplate"])["spec"]
        return spec

    def container(self, name: str, image: str | None = "nginx", **extra) -> "Obj":
        c = {"name": name, **extra}
        if image is not None:
            c["image"] = image
        self._spec().setdefault("containers", []).append(c)
        return self

    def resources(self, index: int = 0, requests=None, limits=None) -> "Obj":
        r = self._spec()["containers"][index].setdefault("resources", {})
        if requests:
            r["requests"] = requests
        if limits:
            r["limits"] = limits
        return self


def pod(name: str = "web", image: str | None = "nginx") -> Obj:
    o = Obj({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": {"containers": []}})
    if image is not None:
        o.container(name if name.islower() else "c", image)
    return o


def deployment(name: str = "web", labels=None, selector="same") -> Obj:
    labels = {"app": name} if labels is None else labels
    spec = {"template": {"metadata": {"labels": dict(labels)}, "spec": {"containers": []}}}
    if selector == "same":
        spec["selector"] = {"matchLabels": dict(labels)}
    elif selector is not None:
        spec["selector"] = selector
    o = Obj({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name}, "spec": spec})
    return o.container("app", "nginx:1.25")


def workload(kind: str, name: str = "w") -> Obj:
    group = {"ReplicaSet": "apps/v1", "DaemonSet": "apps/v1", "StatefulSet": "apps/v1"}[kind]
    spec = {"selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": {"containers": []}}}
    return Obj({"apiVersion": group, "kind": kind, "metadata": {"name": name}, "spec": spec}).container("app")


def job(name: str = "pi", restart: str | None = "Never") -> Obj:
    tspec = {"containers": []}
    if restart is not None:
        tspec["restartPolicy"] = restart
    o = Obj({"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
             "spec": {"template": {"spec": tspec}}})
    return o.container("pi", "perl:5.34")


def cronjob(name: str = "hello", schedule: str = "*/1 * * * *") -> Obj:
    o = Obj({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": {"name": name},
             "spec": {"schedule": schedule, "jobTemplate": {"spec": {"template": {
                 "spec": {"restartPolicy": "OnFailure", "containers": []}}}}}})
    return o.container("hello", "busybox:1.28")


def service(name: str = "web", type_: str | None = None, ports=None) -> Obj:
    spec = {"selector": {"app": name}, "ports": [{"port": 80}] if ports is None else ports}
    if type_:
        spec["type"] = type_
    return Obj({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})


def simple(kind: str, name: str = "x", api_version: str = "v1", **fields) -> Obj:
    return Obj({"apiVersion": api_version, "kind": kind, "metadata": {"name": name}, **fields})
