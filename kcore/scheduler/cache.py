"""The scheduler's picture of the cluster, fed by its owner (informers, tests, the benchmark).

Nodes become NodeInfos, assigned pods are added to the NodeInfo of their node, and a pod the
scheduler has just placed is *assumed* there before the API server confirms the binding — so the
next pod already sees it. Volumes, storage classes, namespaces and priority classes are kept
as plain dicts for the plugins that read them. Nothing here copies a pod or node dict."""
from __future__ import annotations

from .nodeinfo import NodeInfo, PodInfo


class Cache:
    def __init__(self):
        self.node_infos: dict[str, NodeInfo] = {}   # includes nodes only known through pods
        self.node_list: list[NodeInfo] = []         # nodes that exist, in insertion order
        self.pod_nodes: dict[str, str] = {}         # pod key -> node name
        self.assumed: set[str] = set()
        self.namespaces: dict[str, dict] = {}
        self.pvs: dict[str, dict] = {}
        self.pvcs: dict[tuple[str, str], dict] = {}
        self.storage_classes: dict[str, dict] = {}
        self.priority_classes: dict[str, dict] = {}
        self.image_nodes: dict[str, dict[str, int]] = {}   # image -> {node: size}
        self.pods_with_affinity = 0
        self.affinity_nodes: dict[str, int] = {}    # node -> how many of its pods have affinity
        self.pods_with_required_anti_affinity = 0
        self.node_epoch = 0
        self._stats = (-1, 0, 0, 0)
        self._images: dict = {}
        self._static_scores: dict = {}

    # -- nodes ----------------------------------------------------------------------------
    def set_node(self, node: dict) -> NodeInfo:
        name = node["metadata"]["name"]
        ni = self.node_infos.get(name)
        if ni is None:
            ni = NodeInfo(node)
            self.node_infos[name] = ni
            ni.index = len(self.node_list)
            self.node_list.append(ni)
        else:
            self._forget_images(ni)
            if ni.node is None:
                ni.index = len(self.node_list)
                self.node_list.append(ni)
            ni.set_node(node)
        for img in ni.image_sizes:
            self.image_nodes.setdefault(img, {})[name] = ni.image_sizes[img]
        self.node_epoch += 1
        return ni

    def remove_node(self, name: str) -> None:
        ni = self.node_infos.get(name)
        if ni is None:
            return
        self._forget_images(ni)
        self.node_epoch += 1
        if ni.node is not None:
            self.node_list = [n for n in self.node_list if n is not ni]
            for i, n in enumerate(self.node_list):
                n.index = i
        if ni.pods:
            ni.set_node(None)        # pods stay accounted until they are deleted
        else:
            del self.node_infos[name]

    def _forget_images(self, ni: NodeInfo) -> None:
        for img in ni.image_sizes:
            nodes = self.image_nodes.get(img)
            if nodes is not None:
                nodes.pop(ni.name, None)
                if not nodes:
                    del self.image_nodes[img]

    def image_summary(self, image: str) -> tuple[dict, tuple]:
        """({node: size} of the nodes holding `image`, its distinct sizes), cached per node epoch."""
        got = self._images.get(image)
        if got is None or got[0] != self.node_epoch:
            holders = self.image_nodes.get(image) or {}
            got = self._images[image] = (self.node_epoch, holders, tuple(set(holders.values())))
        return got[1], got[2]

    def static_scores(self, key, fn) -> list:
        """fn(node_info) for every node, in node_list order, computed once per (key, node epoch):
        for scores that depend only on the node object and the pod's `key`."""
        got = self._static_scores.get(key)
        if got is None or got[0] != self.node_epoch:
            if len(self._static_scores) >= 64:
                self._static_scores.clear()
            got = self._static_scores[key] = (self.node_epoch, [fn(ni) for ni in self.node_list])
        return got[1]

    def node_stats(self) -> tuple[int, int, int]:
        """(cordoned, with NoSchedule/NoExecute taints, with PreferNoSchedule taints) node
        counts, recomputed only when a node changed — lets plugins skip whole passes."""
        if self._stats[0] != self.node_epoch:
            nl = self.node_list
            self._stats = (self.node_epoch, sum(1 for n in nl if n.unschedulable),
                           sum(1 for n in nl if n.hard_taints), sum(1 for n in nl if n.prefer_taints))
        return self._stats[1:]

    def get(self, name: str) -> NodeInfo | None:
        return self.node_infos.get(name)

    def nodes_with_affinity_pods(self) -> list[NodeInfo]:
        """The existing nodes holding a pod with (anti-)affinity, in node-list order
        (kube-scheduler's HavePodsWithAffinityList): a few, not the whole cluster."""
        get = self.node_infos.get
        out = [ni for ni in map(get, self.affinity_nodes) if ni is not None and ni.node is not None]
        out.sort(key=lambda ni: ni.index)
        return out

    # -- pods -----------------------------------------------------------------------------
    def add_pod(self, pi: PodInfo, node_name: str) -> None:
        self.remove_pod(pi.key)
        ni = self.node_infos.get(node_name)
        if ni is None:
            ni = NodeInfo(None, node_name)
            self.node_infos[node_name] = ni
        ni.add_pod(pi)
        self.pod_nodes[pi.key] = node_name
        if pi.has_affinity:
            self.pods_with_affinity += 1
            self.affinity_nodes[node_name] = self.affinity_nodes.get(node_name, 0) + 1
            if pi.required_anti_affinity:
                self.pods_with_required_anti_affinity += 1

    def remove_pod(self, key: str) -> PodInfo | None:
        node_name = self.pod_nodes.pop(key, None)
        self.assumed.discard(key)
        if node_name is None:
            return None
        ni = self.node_infos.get(node_name)
        pi = ni.remove_pod(key) if ni is not None else None
        if pi is not None and pi.has_affinity:
            self.pods_with_affinity -= 1
            left = self.affinity_nodes.get(node_name, 0) - 1
            if left > 0:
                self.affinity_nodes[node_name] = left
            else:
                self.affinity_nodes.pop(node_name, None)
            if pi.required_anti_affinity:
                self.pods_with_required_anti_affinity -= 1
        if ni is not None and ni.node is None and not ni.pods:
            del self.node_infos[node_name]
        return pi

    def assume(self, pi: PodInfo, node_name: str) -> None:
        self.add_pod(pi, node_name)
        self.assumed.add(pi.key)

    def pod_info(self, key: str) -> PodInfo | None:
        node = self.pod_nodes.get(key)
        return self.node_infos[node].pods.get(key) if node is not None else None

    # -- other kinds ----------------------------------------------------------------------
    def ns_labels(self, namespace: str) -> dict:
        ns = self.namespaces.get(namespace)
        return ((ns or {}).get("metadata") or {}).get("labels") or {}

    def pvc(self, namespace: str, name: str) -> dict | None:
        return self.pvcs.get((namespace, name))
