"""ReplicationController: the ReplicaSet's ancestor, with an equality-only selector map.

Same reconcile as the ReplicaSet controller; only the selector's shape differs."""
from __future__ import annotations

from kcore.controllers.replicaset import ReplicaSetController


class ReplicationControllerController(ReplicaSetController):
    name = "replicationcontroller"
    resource = "replicationcontrollers"
    kind = "ReplicationController"
    component_name = "replication-controller"

    def _selector(self, rc):
        from kcore.machinery import labels
        sel = (rc.get("spec") or {}).get("selector") or \
            (((rc.get("spec") or {}).get("template") or {}).get("metadata") or {}).get("labels") or {}
        return labels.from_label_selector({"matchLabels": sel})
