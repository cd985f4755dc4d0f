"""The metrics pipeline metrics-server provides: CPU and memory usage per pod and node.

Usage comes from the kubelets (each container's program reports what it uses; an idle web
server a little, a memory hog what it allocated) and is only *available* once a
metrics-server pod runs, as with the real aggregated metrics.k8s.io API."""
from __future__ import annotations

import hashlib

# typical idle usage per image (millicores, MiB), before a small deterministic jitter
BASE = {"kube-apiserver": (48, 260), "etcd": (22, 45), "kube-controller-manager": (15, 55),
        "kube-scheduler": (4, 22), "coredns": (2, 14), "kube-proxy": (1, 16), "flannel": (3, 12),
        "nginx": (0, 3), "httpd": (1, 6), "redis": (2, 3), "busybox": (0, 0), "alpine": (0, 0),
        "ubuntu": (0, 1), "perl": (1, 4), "metrics-server": (3, 18), "stress": (1, 0)}


class Metrics:
    def __init__(self, cluster):
        self.cluster = cluster

    @property
    def available(self) -> bool:
        return bool(getattr(self.cluster, "metrics_available", False))

    def _jitter(self, key: str, span: int) -> int:
        h = int(hashlib.md5(key.encode()).hexdigest()[:6], 16)
        return h % (span + 1)

    def container_usage(self, pod, cs) -> tuple[int, int]:
        c = cs.container
        if c is None or c.process is None or not c.process.alive:
            return 0, 0
        name = c.image.repository.rsplit("/", 1)[-1]
        cpu, mem = BASE.get(name, (1, 4))
        key = f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}/{cs.name}"
        cpu += self._jitter(key + "cpu", max(1, cpu // 3))
        mem_b = (mem + self._jitter(key + "mem", max(1, mem // 4))) * 1024 * 1024 + c.memory
        hog = getattr(c.process, "state", {}).get("cpu_millis")
        if hog:
            cpu = hog
        return cpu, mem_b

    def pod_usage(self, namespace, name):
        """[(container, cpu_millis, memory_bytes)] or None if the pod is not running."""
        for kl in self.cluster.hosts.values():
            for w in kl.workers.values():
                md = w.pod["metadata"]
                if md.get("namespace") == namespace and md["name"] == name:
                    return [(cs.name, *self.container_usage(w.pod, cs)) for cs in w.containers]
        return None

    def node_usage(self, node):
        kl = self.cluster.hosts.get(node)
        if kl is None or not kl.running:
            return None
        cpu, mem = 60 + self._jitter(node + "cpu", 40), (700 + self._jitter(node + "mem", 200)) * 1024 * 1024
        for w in kl.workers.values():
            for cs in w.containers:
                c, m = self.container_usage(w.pod, cs)
                cpu += c
                mem += m
        return cpu, mem
