"""Static pods: the kubelet runs whatever is in /etc/kubernetes/manifests.

No scheduler and no API server are involved: the kubelet reads every non-hidden file in the
directory, runs each Pod it finds, and publishes a read-only *mirror pod* named
`<name>-<node>` so that `kubectl get pods -n kube-system` shows it. Edit a file and the pod
is recreated from it; delete the file and the pod goes; break the YAML and the kubelet logs
the error and the pod is gone — which is how the control plane is repaired in the exam.
The directory is re-read every 20 s, and at once when the node shell writes into it (inotify).
"""
from __future__ import annotations

from kcore.machinery.objects import clone
import hashlib
import os

import yaml

from kcore.apiserver import ApiError

FILE_CHECK = 20.0


class StaticPods:
    def __init__(self, kubelet, manifest_dir: str = "/etc/kubernetes/manifests"):
        self.kubelet = kubelet
        self.loop = kubelet.loop
        self.dir = manifest_dir
        self.running: dict[str, tuple[str, object]] = {}  # pod key -> (hash, worker)
        self._timer = None
        self.active = False

    def start(self) -> None:
        self.active = True
        self.scan()

    def stop(self) -> None:
        self.active = False
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _read(self) -> dict[str, tuple[str, dict, str]]:
        """file -> (hash, pod, error)."""
        host = self.kubelet.host_path(self.dir)
        out = {}
        try:
            names = sorted(os.listdir(host))
        except OSError:
            return out
        for fname in names:
            if fname.startswith("."):
                continue
            path = os.path.join(host, fname)
            if not os.path.isfile(path):
                continue
            try:
                with open(path, encoding="utf-8") as fh:
                    text = fh.read()
            except (OSError, UnicodeDecodeError) as exc:
                out[fname] = ("", {}, str(exc))
                continue
            digest = hashlib.md5(text.encode()).hexdigest()
            try:
                pod = yaml.load(text, Loader=yaml.CSafeLoader)
                err = _check(pod)
            except yaml.YAMLError as exc:
                pod, err = {}, f"error converting YAML to JSON: {exc}".replace("\n", " ")
            out[fname] = (digest, pod if isinstance(pod, dict) else {}, err)
        return out

    def scan(self) -> None:
        if not self.active:
            return
        if self._timer is not None:
            self._timer.cancel()
        self._timer = self.loop.call_later(FILE_CHECK, self.scan, background=True)
        node = self.kubelet.node_name
        desired: dict[str, tuple[str, dict, str]] = {}
        for fname, (digest, pod, err) in self._read().items():
            path = f"{self.dir}/{fname}"
            if err:
                self.kubelet.journal(f'"Could not process manifest file" err="{err}" path="{path}"')
                continue
            md = pod.setdefault("metadata", {})
            ns = md.get("namespace") or "default"
            key = f"{ns}/{md.get('name', '')}-{node}"
            desired[key] = (digest, pod, path)
        for key in list(self.running):
            if key not in desired or desired[key][0] != self.running[key][0]:
                self._remove(key)
        for key, (digest, pod, path) in sorted(desired.items()):
            if key not in self.running:
                self._add(key, digest, pod)

    def _add(self, key: str, digest: str, pod: dict) -> None:
        from kcore.api import defaults
        from kcore.kubelet.podworker import PodWorker
        kl = self.kubelet
        node = kl.node_name
        pod = clone(pod)
        md = pod["metadata"]
        ns = md.get("namespace") or "default"
        name = f"{md.get('name', '')}-{node}"
        md["name"] = name
        md["namespace"] = ns
        ann = md.setdefault("annotations", {})
        ann.update({"kubernetes.io/config.hash": digest, "kubernetes.io/config.mirror": digest,
                    "kubernetes.io/config.seen": self.loop.timestamp().replace("Z", ".000000000Z"),
                    "kubernetes.io/config.source": "file"})
        spec = pod.setdefault("spec", {})
        spec["nodeName"] = node
        spec.setdefault("tolerations", [{"effect": "NoExecute", "operator": "Exists"}])
        try:
            defaults.apply(pod)
        except Exception:  # noqa: BLE001 - a strange file still runs as far as it can
            pass
        node_obj = kl.client.try_get("nodes", None, node)
        if node_obj is not None:
            md["ownerReferences"] = [{"apiVersion": "v1", "controller": True, "kind": "Node",
                                      "name": node, "uid": node_obj["metadata"]["uid"]}]
        md["uid"] = digest   # a static pod's UID is its config hash (the mirror annotation)
        worker = PodWorker(kl, pod)
        worker.static = True
        worker.static_uid = md["uid"]
        if spec.get("hostNetwork"):
            worker.host_network = True
        self.running[key] = (digest, worker)
        kl.workers[md["uid"]] = worker
        self._publish_mirror(pod)
        worker.start()

    def _publish_mirror(self, pod: dict) -> None:
        kl = self.kubelet
        body = clone(pod)
        body["metadata"].pop("uid", None)
        body.pop("status", None)
        try:
            kl.client.create("pods", body["metadata"]["namespace"], body)
        except ApiError as exc:
            if exc.reason == "AlreadyExists":
                try:
                    kl.client.delete("pods", body["metadata"]["namespace"], body["metadata"]["name"],
                                     grace_period=0)
                    kl.client.create("pods", body["metadata"]["namespace"], body)
                except ApiError:
                    pass

    def _remove(self, key: str) -> None:
        digest, worker = self.running.pop(key)
        kl = self.kubelet
        worker.terminate(0)
        worker.stop()
        kl.workers.pop(worker.static_uid, None)
        ns, name = key.split("/", 1)
        try:
            kl.client.delete("pods", ns, name, grace_period=0)
        except ApiError:
            pass


def _check(pod) -> str:
    if not isinstance(pod, dict):
        return "invalid pod: not an object"
    if pod.get("kind") != "Pod":
        return f'invalid pod: kind "{pod.get("kind")}" is not "Pod"'
    md = pod.get("metadata") or {}
    if not md.get("name"):
        return "invalid pod: [metadata.name: Required value: name or generateName is required]"
    containers = (pod.get("spec") or {}).get("containers") or []
    if not containers:
        return "invalid pod: [spec.containers: Required value]"
    for i, c in enumerate(containers):
        if not isinstance(c, dict) or not c.get("image"):
            return f"invalid pod: [spec.containers[{i}].image: Required value]"
    return ""
