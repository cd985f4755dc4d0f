"""Which columns each kind prints, and `table_rows()` that fills them for one object.

The registry mirrors the server-side printers: a kind maps to its default headers, the
headers `-o wide` adds, and the cell function. A kind without a printer (roles, limit
ranges, custom resources) gets the API server's default table: NAME and CREATED AT.

Pod rows are cached per object: `kubectl get` lists share the API server's read-only
decoded objects, so an unchanged pod is the very same dict on the next listing, and its row
is reused with only AGE computed afresh (a RESTARTS cell that says `(5s ago)` is never
reused). The cache keeps one entry per pod name, so it is bounded by the live pods; objects without a resourceVersion and uid
(not from the store) are never cached."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import columns_core as core
from . import columns_ext as ext
from .pods import pod_cells, POD_HEADERS, POD_WIDE_HEADERS
from .common import age, without_nulls

__all__ = ["Printer", "PRINTERS", "printer_for", "table_rows", "custom_resource_rows", "DEFAULT_PRINTER"]


@dataclass(frozen=True)
class Printer:
    headers: list
    wide_headers: list
    cells: Callable
    wide_replaces: bool = False   # events: the wide row is a different column order
    needs_wide: bool = False      # services/ingresses truncate addresses unless wide


_CONTAINERS = ["CONTAINERS", "IMAGES", "SELECTOR"]

PRINTERS: dict[str, Printer] = {
    "Pod": Printer(POD_HEADERS, POD_WIDE_HEADERS, pod_cells),
    "Node": Printer(["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
                    ["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
                    core.node_cells),
    "Namespace": Printer(["NAME", "STATUS", "AGE"], [], core.namespace_cells),
    "Deployment": Printer(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], _CONTAINERS,
                          ext.deployment_cells),
    "ReplicaSet": Printer(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], _CONTAINERS,
                          ext.replicaset_cells),
    "ReplicationController": Printer(["NAME", "DESIRED", "CURRENT", "READY", "AGE"], _CONTAINERS,
                                     core.replicationcontroller_cells),
    "DaemonSet": Printer(["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE",
                          "NODE SELECTOR", "AGE"], _CONTAINERS, ext.daemonset_cells),
    "StatefulSet": Printer(["NAME", "READY", "AGE"], ["CONTAINERS", "IMAGES"], ext.statefulset_cells),
    "Job": Printer(["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"], _CONTAINERS, ext.job_cells),
    "CronJob": Printer(["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE"],
                       _CONTAINERS, ext.cronjob_cells),
    "Service": Printer(["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], ["SELECTOR"],
                       core.service_cells, needs_wide=True),
    "Endpoints": Printer(["NAME", "ENDPOINTS", "AGE"], [], core.endpoints_cells),
    "EndpointSlice": Printer(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], [],
                             core.endpointslice_cells),
    "ConfigMap": Printer(["NAME", "DATA", "AGE"], [], core.configmap_cells),
    "Secret": Printer(["NAME", "TYPE", "DATA", "AGE"], [], core.secret_cells),
    "ServiceAccount": Printer(["NAME", "SECRETS", "AGE"], [], core.serviceaccount_cells),
    "Event": Printer(["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
                     ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE",
                      "FIRST SEEN", "COUNT", "NAME"], core.event_cells, wide_replaces=True),
    "PersistentVolume": Printer(["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS",
                                 "CLAIM", "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
                                ["VOLUMEMODE"], core.pv_cells),
    "PersistentVolumeClaim": Printer(["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES",
                                      "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "AGE"],
                                     ["VOLUMEMODE"], core.pvc_cells),
    "StorageClass": Printer(["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE",
                             "ALLOWVOLUMEEXPANSION", "AGE"], [], ext.storageclass_cells),
    "RoleBinding": Printer(["NAME", "ROLE", "AGE"], ["USERS", "GROUPS", "SERVICEACCOUNTS"],
                           ext.rolebinding_cells),
    "ClusterRoleBinding": Printer(["NAME", "ROLE", "AGE"], ["USERS", "GROUPS", "SERVICEACCOUNTS"],
                                  ext.rolebinding_cells),
    "NetworkPolicy": Printer(["NAME", "POD-SELECTOR", "AGE"], [], ext.networkpolicy_cells),
    "Ingress": Printer(["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], [], ext.ingress_cells,
                       needs_wide=True),
    "IngressClass": Printer(["NAME", "CONTROLLER", "PARAMETERS", "AGE"], [], ext.ingressclass_cells),
    "ResourceQuota": Printer(["NAME", "REQUEST", "LIMIT", "AGE"], [], ext.resourcequota_cells),
    "PriorityClass": Printer(["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"], [],
                             ext.priorityclass_cells),
    "PodDisruptionBudget": Printer(["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS",
                                    "AGE"], [], ext.pdb_cells),
    "CertificateSigningRequest": Printer(["NAME", "AGE", "SIGNERNAME", "REQUESTOR",
                                          "REQUESTEDDURATION", "CONDITION"], [], ext.csr_cells),
    "Lease": Printer(["NAME", "HOLDER", "AGE"], [], ext.lease_cells),
    "HorizontalPodAutoscaler": Printer(["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS",
                                        "REPLICAS", "AGE"], [], ext.hpa_cells),
    "ControllerRevision": Printer(["NAME", "CONTROLLER", "REVISION", "AGE"], [],
                                  ext.controllerrevision_cells),
}

DEFAULT_PRINTER = Printer(["NAME", "CREATED AT"], [], ext.created_at_cells)

_BY_LOWER = {kind.lower(): kind for kind in PRINTERS}


def printer_for(kind: str) -> Printer:
    """The printer of a Kind (case-insensitive); the NAME/CREATED AT table for any other."""
    return PRINTERS.get(_BY_LOWER.get((kind or "").lower(), ""), DEFAULT_PRINTER)


_AGE_COLUMN = [{"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]


def _custom_cell(column, obj, now) -> str:
    from kcore.machinery import jsonpath
    from kcore.machinery.jsonpath.engine import Engine
    from kcore.machinery.jsonpath.gofmt import fmt_v
    try:
        results = Engine(jsonpath.parse(jsonpath.relaxed(column.get("jsonPath", ""))), True).find_results(obj)
    except jsonpath.JSONPathError:
        return "<none>"
    if not results or not results[0]:
        return "<none>"
    value = results[0][0]
    if column.get("type") == "date":
        from .common import since
        return since(value, now) if isinstance(value, str) else "<unknown>"
    if column.get("type") == "string":
        return " ".join(fmt_v(v) for v in results[0]) if len(results[0]) > 1 else fmt_v(value)
    return fmt_v(value)


def custom_resource_rows(columns, obj: dict, now: float, wide: bool = False):
    """(headers, rows) of a custom resource: NAME plus the CRD's additionalPrinterColumns
    (priority > 0 only with -o wide); a CRD without columns gets NAME and AGE."""
    obj = without_nulls(obj if isinstance(obj, dict) else {})
    columns = list(columns) or _AGE_COLUMN
    shown = [c for c in columns if wide or not c.get("priority")]
    headers = ["NAME"] + [c.get("name", "").upper() for c in shown]
    cells = [obj.get("metadata", {}).get("name", "")] + [_custom_cell(c, obj, now) for c in shown]
    return headers, [cells]


def table_rows(kind: str, obj: dict, now: float, wide: bool = False, columns=None):
    """(headers, rows) for one object: the server-side Table that kubectl would receive.

    `columns` (a CRD version's additionalPrinterColumns, possibly empty) marks a custom resource."""
    if columns is not None:
        return custom_resource_rows(columns, obj, now, wide)
    printer = printer_for(kind)
    if printer.cells is pod_cells and isinstance(obj, dict):
        cells, wide_cells = _pod_row(obj, now)
        if not wide:
            return list(printer.headers), [cells]
        return list(printer.headers) + list(printer.wide_headers), [cells + wide_cells]
    obj = without_nulls(obj if isinstance(obj, dict) else {})
    if printer.needs_wide:
        cells, wide_cells = printer.cells(obj, now, wide)
    else:
        cells, wide_cells = printer.cells(obj, now)
    if not wide:
        return list(printer.headers), [cells]
    if printer.wide_replaces:
        return list(printer.wide_headers), [wide_cells]
    return list(printer.headers) + list(printer.wide_headers), [cells + wide_cells]


_POD_ROWS: dict = {}   # (namespace, name) -> (object, resourceVersion, cells, wide, reusable)
_POD_ROWS_MAX = 50_000
_AGE = POD_HEADERS.index("AGE")
_RESTARTS = POD_HEADERS.index("RESTARTS")


def _pod_row(obj: dict, now: float):
    """pod_cells through the per-object cache (identity, not equality: shared objects are
    never changed in place, so the same dict means the same revision)."""
    md = obj.get("metadata") or {}
    rv = md.get("resourceVersion")
    if not rv or not md.get("uid"):             # not a stored object: nothing to key on
        return pod_cells(without_nulls(obj), now)
    key = (md.get("namespace"), md.get("name"))
    got = _POD_ROWS.get(key)
    if got is not None and got[0] is obj and got[1] == rv and got[4]:
        cells = list(got[2])
        cells[_AGE] = age(obj, now)
        return cells, list(got[3])
    cells, wide_cells = pod_cells(without_nulls(obj), now)
    if len(_POD_ROWS) >= _POD_ROWS_MAX:
        _POD_ROWS.clear()
    _POD_ROWS[key] = (obj, rv, tuple(cells), tuple(wide_cells),
                      not cells[_RESTARTS].endswith(" ago)"))
    return cells, wide_cells

