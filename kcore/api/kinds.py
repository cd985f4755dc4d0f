"""The kinds table: every resource type kcore serves, as `kubectl api-resources` lists it.

One row per resource, in api-resources order (core group first, then groups alphabetically,
then by plural name). A row knows what discovery tells a client (group, version, plural,
singular, short names, namespaced, verbs, categories, subresources) and one thing only the
server knows: the etcd key prefix (`/registry/minions` for nodes, `/registry/services/specs`
for services ...).

`lookup()` resolves every spelling kubectl accepts for a resource argument -- plural,
singular, short name, Kind (case-insensitive), `plural.group`, `singular.group`,
`short.group` and `plural.version.group` -- and raises `UnknownResource` with kubectl's
wording otherwise. `for_kind()` maps an object's apiVersion/kind to its row."""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ResourceType", "UnknownResource", "UnknownKind", "ALL", "lookup", "for_kind", "by_group_resource"]

FULL = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
NO_COLLECTION = ("create", "delete", "get", "list", "patch", "update", "watch")


@dataclass(frozen=True)
class ResourceType:
    kind: str
    group: str
    version: str
    plural: str
    singular: str
    short_names: tuple[str, ...] = ()
    namespaced: bool = True
    verbs: tuple[str, ...] = FULL
    subresources: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    etcd_prefix: str = ""

    @property
    def api_version(self) -> str:
        """"apps/v1" for a named group, "v1" for the core group."""
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def group_resource(self) -> str:
        """The qualified name Kubernetes uses in messages: "deployments.apps", "pods"."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    @property
    def list_kind(self) -> str:
        """"PodList": the kind of a list response."""
        return f"{self.kind}List"

    @property
    def group_kind(self) -> str:
        """"Deployment.apps" as the apiserver names it in Invalid messages; "Pod" for core."""
        return f"{self.kind}.{self.group}" if self.group else self.kind

    def etcd_key(self, namespace: str | None, name: str) -> str:
        """/registry/<resource>/<namespace>/<name>, or /registry/<resource>/<name> if cluster-scoped."""
        if self.namespaced:
            return f"{self.etcd_prefix}/{namespace}/{name}"
        return f"{self.etcd_prefix}/{name}"

    def __str__(self) -> str:
        return self.group_resource


class UnknownResource(LookupError):
    """A resource name the server does not serve; str() is kubectl's message."""

    def __init__(self, name: str, group: str | None = None, version: str | None = None):
        self.name, self.group, self.version = name, group, version
        self.arg = name  # the argument as given (`deployments.batch`); name is its resource part
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f'the server doesn\'t have a resource type "{self.name}"'
        if self.group is not None and self.version is not None:
            return f'{text} in group "{self.group}" and version "{self.version}"'
        if self.group is not None:
            return f'{text} in group "{self.group}"'
        return text


class UnknownKind(UnknownResource):
    """An apiVersion/kind pair nobody serves; str() is the REST mapper's message."""

    def __init__(self, api_version: str, kind: str):
        self.api_version, self.kind = api_version, kind
        group, _, version = api_version.rpartition("/")
        super().__init__(kind, group, version)

    def __str__(self) -> str:
        return f'no matches for kind "{self.kind}" in version "{self.api_version}"'


def _rt(kind, group, version, plural, short=(), namespaced=True, verbs=FULL, sub=(),
        categories=(), prefix=None) -> ResourceType:
    return ResourceType(kind=kind, group=group, version=version, plural=plural,
                        singular=kind.lower(), short_names=tuple(short), namespaced=namespaced,
                        verbs=tuple(verbs), subresources=tuple(sub), categories=tuple(categories),
                        etcd_prefix=prefix or f"/registry/{plural}")


_ALL = ("all",)

ALL: list[ResourceType] = [
    # core ("" group, v1)
    _rt("Binding", "", "v1", "bindings", verbs=("create",)),
    _rt("ComponentStatus", "", "v1", "componentstatuses", ("cs",), namespaced=False,
        verbs=("get", "list")),
    _rt("ConfigMap", "", "v1", "configmaps", ("cm",)),
    _rt("Endpoints", "", "v1", "endpoints", ("ep",), prefix="/registry/services/endpoints"),
    _rt("Event", "", "v1", "events", ("ev",)),
    _rt("LimitRange", "", "v1", "limitranges", ("limits",)),
    _rt("Namespace", "", "v1", "namespaces", ("ns",), namespaced=False, verbs=NO_COLLECTION,
        sub=("finalize", "status")),
    _rt("Node", "", "v1", "nodes", ("no",), namespaced=False, sub=("proxy", "status"),
        prefix="/registry/minions"),
    _rt("PersistentVolumeClaim", "", "v1", "persistentvolumeclaims", ("pvc",), sub=("status",)),
    _rt("PersistentVolume", "", "v1", "persistentvolumes", ("pv",), namespaced=False,
        sub=("status",)),
    _rt("Pod", "", "v1", "pods", ("po",), categories=_ALL,
        sub=("attach", "binding", "ephemeralcontainers", "eviction", "exec", "log",
             "portforward", "proxy", "resize", "status")),
    _rt("PodTemplate", "", "v1", "podtemplates"),
    _rt("ReplicationController", "", "v1", "replicationcontrollers", ("rc",), categories=_ALL,
        sub=("scale", "status"), prefix="/registry/controllers"),
    _rt("ResourceQuota", "", "v1", "resourcequotas", ("quota",), sub=("status",)),
    _rt("Secret", "", "v1", "secrets"),
    _rt("ServiceAccount", "", "v1", "serviceaccounts", ("sa",), sub=("token",)),
    _rt("Service", "", "v1", "services", ("svc",), categories=_ALL, sub=("proxy", "status"),
        prefix="/registry/services/specs"),
    # apps
    _rt("ControllerRevision", "apps", "v1", "controllerrevisions"),
    _rt("DaemonSet", "apps", "v1", "daemonsets", ("ds",), categories=_ALL, sub=("status",)),
    _rt("Deployment", "apps", "v1", "deployments", ("deploy",), categories=_ALL,
        sub=("scale", "status")),
    _rt("ReplicaSet", "apps", "v1", "replicasets", ("rs",), categories=_ALL,
        sub=("scale", "status")),
    _rt("StatefulSet", "apps", "v1", "statefulsets", ("sts",), categories=_ALL,
        sub=("scale", "status")),
    # autoscaling
    _rt("HorizontalPodAutoscaler", "autoscaling", "v2", "horizontalpodautoscalers", ("hpa",),
        categories=_ALL, sub=("status",)),
    # batch
    _rt("CronJob", "batch", "v1", "cronjobs", ("cj",), categories=_ALL, sub=("status",)),
    _rt("Job", "batch", "v1", "jobs", categories=_ALL, sub=("status",)),
    # certificates
    _rt("CertificateSigningRequest", "certificates.k8s.io", "v1", "certificatesigningrequests",
        ("csr",), namespaced=False, sub=("approval", "status")),
    # coordination
    _rt("Lease", "coordination.k8s.io", "v1", "leases"),
    # discovery
    _rt("EndpointSlice", "discovery.k8s.io", "v1", "endpointslices"),
    # events.k8s.io shares its storage with core events
    _rt("Event", "events.k8s.io", "v1", "events", ("ev",)),
    # networking
    _rt("IngressClass", "networking.k8s.io", "v1", "ingressclasses", namespaced=False),
    _rt("Ingress", "networking.k8s.io", "v1", "ingresses", ("ing",), sub=("status",),
        prefix="/registry/ingress"),
    _rt("NetworkPolicy", "networking.k8s.io", "v1", "networkpolicies", ("netpol",)),
    # policy
    _rt("PodDisruptionBudget", "policy", "v1", "poddisruptionbudgets", ("pdb",), sub=("status",)),
    # rbac
    _rt("ClusterRoleBinding", "rbac.authorization.k8s.io", "v1", "clusterrolebindings",
        namespaced=False),
    _rt("ClusterRole", "rbac.authorization.k8s.io", "v1", "clusterroles", namespaced=False),
    _rt("RoleBinding", "rbac.authorization.k8s.io", "v1", "rolebindings"),
    _rt("Role", "rbac.authorization.k8s.io", "v1", "roles"),
    # scheduling
    _rt("PriorityClass", "scheduling.k8s.io", "v1", "priorityclasses", ("pc",), namespaced=False),
    # storage
    _rt("StorageClass", "storage.k8s.io", "v1", "storageclasses", ("sc",), namespaced=False),
]


def _index() -> tuple[dict[str, list[ResourceType]], dict[tuple[str, str], ResourceType]]:
    names: dict[str, list[ResourceType]] = {}

    def add(key: str, rt: ResourceType) -> None:
        rows = names.setdefault(key.lower(), [])
        if rt not in rows:
            rows.append(rt)

    for rt in ALL:
        spellings = (rt.plural, rt.singular, rt.kind, *rt.short_names)
        for s in spellings:
            add(s, rt)
            if rt.group:
                add(f"{s}.{rt.group}", rt)
                add(f"{s}.{rt.version}.{rt.group}", rt)
            else:
                add(f"{s}.{rt.version}", rt)
    kinds = {(rt.api_version, rt.kind): rt for rt in ALL}
    return names, kinds


_NAMES, _KINDS = _index()


def lookup(name: str) -> ResourceType:
    """Resolve any spelling kubectl accepts; the preferred (first, core-first) row wins.

    Raises UnknownResource with kubectl's message, which names the resource part only
    (`deployments.batch` -> `the server doesn't have a resource type "deployments"`).

    `events` resolves to core v1 events as kubectl does; `events.events.k8s.io` picks the other."""
    if isinstance(name, ResourceType):
        return name
    rows = _NAMES.get(str(name).strip().lower())
    if not rows:
        # kubectl names only the resource part of `resource.group`: schema.ParseGroupResource
        error = UnknownResource(str(name).strip().split(".", 1)[0])
        error.arg = str(name)
        raise error
    return rows[0]


def for_kind(api_version: str, kind: str) -> ResourceType:
    """The row serving objects of this apiVersion and kind; UnknownResource if none."""
    rt = _KINDS.get((api_version, kind))
    if rt is None:
        raise UnknownKind(api_version, kind)
    return rt


def by_group_resource(group_resource: str) -> ResourceType:
    """"deployments.apps" / "pods" exactly (no short names), as found in RBAC and messages."""
    for rt in ALL:
        if rt.group_resource == group_resource:
            return rt
    raise UnknownResource(group_resource)
