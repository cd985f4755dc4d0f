"""What a container's filesystem shows: its own files plus its volumes, shared by mount.

An emptyDir volume is one dict per pod, seen by every container that mounts it (at whatever
path) — the sidecar pattern; a hostPath volume is the node's own folder; configMap, secret and
projected volumes are filled from the API when the container starts. `ContainerFS` maps
absolute paths onto those and behaves like a dict for the programs."""
from __future__ import annotations

import base64
import os


class HostDir:
    """A node folder as a volume (hostPath)."""

    def __init__(self, host_root: str):
        self.root = host_root

    def _p(self, rel):
        full = os.path.normpath(os.path.join(self.root, rel))
        return full if full.startswith(self.root) else self.root

    def __contains__(self, rel):
        return os.path.isfile(self._p(rel))

    def __getitem__(self, rel):
        with open(self._p(rel), encoding="utf-8", errors="replace") as fh:
            return fh.read()

    def __setitem__(self, rel, value):
        p = self._p(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w", encoding="utf-8") as fh:
            fh.write(value)

    def __delitem__(self, rel):
        os.remove(self._p(rel))

    def keys(self):
        out = []
        for root, _, files in os.walk(self.root):
            for f in files:
                out.append(os.path.relpath(os.path.join(root, f), self.root))
        return out


class ContainerFS:
    def __init__(self):
        self.own: dict[str, str] = {}
        self.mounts: list[tuple[str, object]] = []  # (mountPath, store), longest first

    def mount(self, path: str, store) -> None:
        self.mounts.append((path.rstrip("/") or "/", store))
        self.mounts.sort(key=lambda m: -len(m[0]))

    def _route(self, path: str):
        for mp, store in self.mounts:
            if path == mp or path.startswith(mp + "/"):
                return store, path[len(mp):].lstrip("/")
        return self.own, path

    def __contains__(self, path):
        store, rel = self._route(path)
        return rel in store

    def __getitem__(self, path):
        store, rel = self._route(path)
        return store[rel]

    def get(self, path, default=None):
        return self[path] if path in self else default

    def __setitem__(self, path, value):
        store, rel = self._route(path)
        store[rel] = value

    def __delitem__(self, path):
        store, rel = self._route(path)
        del store[rel]

    def keys(self):
        out = list(self.own)
        for mp, store in self.mounts:
            out += [f"{mp}/{k}" for k in store.keys()]
        return out


CLUSTER_DNS = "10.96.0.10"      # the kubelet's clusterDNS (/var/lib/kubelet/config.yaml)
CLUSTER_DOMAIN = "cluster.local"
HOST_RESOLV = "nameserver 192.168.121.1\n"  # what the node's own resolver file points at


def resolv_conf(pod) -> str:
    """/etc/resolv.conf as the kubelet writes it for the pod's dnsPolicy and dnsConfig."""
    spec = pod.get("spec") or {}
    ns = pod["metadata"].get("namespace") or "default"
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if policy == "ClusterFirst" and spec.get("hostNetwork"):
        policy = "Default"
    servers: list[str] = []
    searches: list[str] = []
    options: list[str] = []
    if policy in ("ClusterFirst", "ClusterFirstWithHostNet"):
        servers = [CLUSTER_DNS]
        searches = [f"{ns}.svc.{CLUSTER_DOMAIN}", f"svc.{CLUSTER_DOMAIN}", CLUSTER_DOMAIN]
        options = ["ndots:5"]
    elif policy == "Default":
        servers = ["192.168.121.1"]
    config = spec.get("dnsConfig") or {}
    servers += [s for s in config.get("nameservers") or [] if s not in servers]
    searches += [s for s in config.get("searches") or [] if s not in searches]
    for o in config.get("options") or []:
        text = o.get("name", "") + (f":{o['value']}" if o.get("value") else "")
        options = [x for x in options if x.split(":")[0] != o.get("name")] + [text]
    lines = []
    if searches:
        lines.append("search " + " ".join(searches))
    lines += [f"nameserver {s}" for s in servers]
    if options:
        lines.append("options " + " ".join(options))
    return "\n".join(lines) + "\n"


def etc_hosts(pod) -> str:
    """/etc/hosts as the kubelet manages it: localhost lines, the pod's own name, hostAliases."""
    spec = pod.get("spec") or {}
    out = ["# Kubernetes-managed hosts file.", "127.0.0.1\tlocalhost",
           "::1\tlocalhost ip6-localhost ip6-loopback", "fe00::0\tip6-localnet",
           "fe00::0\tip6-mcastprefix", "fe00::1\tip6-allnodes", "fe00::2\tip6-allrouters"]
    ip = (pod.get("status") or {}).get("podIP")
    name = spec.get("hostname") or pod["metadata"].get("name", "")
    if ip:
        if spec.get("subdomain"):
            ns = pod["metadata"].get("namespace") or "default"
            out.append(f"{ip}\t{name}.{spec['subdomain']}.{ns}.svc.{CLUSTER_DOMAIN}\t{name}")
        else:
            out.append(f"{ip}\t{name}")
    text = "\n".join(out) + "\n"
    aliases = spec.get("hostAliases") or []
    if aliases:
        text += "\n# Entries added by HostAliases.\n"
        for a in aliases:
            text += a.get("ip", "") + "\t" + "\t".join(a.get("hostnames") or []) + "\n"
    return text


class ReadOnlyDir(dict):
    """A ConfigMap, Secret, downwardAPI or projected volume: the kubelet mounts them read-only."""

    def __setitem__(self, key, value):
        raise PermissionError("Read-only file system")

    def __delitem__(self, key):
        raise PermissionError("Read-only file system")


def _mount_data(fs: ContainerFS, base: str, mount: dict, data: dict):
    """A ConfigMap/Secret volume: the whole folder (returned), or with subPath one key as a
    single file (a copy: None is returned)."""
    sub = mount.get("subPath")
    if sub:
        if sub in data:
            fs.own[base] = data[sub]
        return None
    folder = ReadOnlyDir(data)
    fs.mount(base, folder)
    return folder


def _format_map(m: dict) -> str:
    """fieldpath.FormatMap: sorted key="value" lines (Go %q quoting), no trailing newline."""
    import json
    return "\n".join(f"{k}={json.dumps(v)}" for k, v in sorted(m.items()))


def downward_files(pod: dict, items: list) -> dict:
    """A downwardAPI volume's files: metadata fields, labels/annotations maps, resource fields."""
    meta = pod.get("metadata") or {}
    out = {}
    for item in items or []:
        path = item.get("path", "")
        if "fieldRef" in item:
            fp = (item["fieldRef"] or {}).get("fieldPath", "")
            if fp in ("metadata.labels", "metadata.annotations"):
                out[path] = _format_map(meta.get(fp.split(".")[1]) or {})
            elif fp.startswith(("metadata.labels[", "metadata.annotations[")):
                which, key = fp.split(".", 1)[1].split("[", 1)
                out[path] = (meta.get(which) or {}).get(key.strip("]'\""), "")
            else:
                out[path] = str(meta.get(fp.split(".", 1)[-1], ""))
        elif "resourceFieldRef" in item:
            ref = item["resourceFieldRef"] or {}
            out[path] = _resource_field(pod, ref)
    return out


def _resource_field(pod: dict, ref: dict) -> str:
    from kcore.machinery import quantity
    containers = (pod.get("spec") or {}).get("containers") or []
    c = next((x for x in containers if x.get("name") == ref.get("containerName")),
             containers[0] if containers else {})
    kind, _, res = ref.get("resource", "").partition(".")
    value = ((c.get("resources") or {}).get(kind) or {}).get(res)
    if value is None:
        return "0"
    divisor = quantity.parse(str(ref.get("divisor") or "1"))
    q = quantity.parse(str(value))
    m, d = q.milli_value(), divisor.milli_value() or 1000
    return str(-(-m // d))


def source_data(kubelet, namespace, volume: dict) -> dict:
    """The files a configMap or secret volume shows: every key, or the `items` it picks."""
    if "configMap" in volume:
        src = volume["configMap"] or {}
        obj = kubelet.lookup("configmaps", namespace, src.get("name", "")) or {}
        data = dict(obj.get("data") or {})
    else:
        src = volume["secret"] or {}
        obj = kubelet.lookup("secrets", namespace, src.get("secretName", "")) or {}
        data = {}
        for k, val in (obj.get("data") or {}).items():
            try:
                data[k] = base64.b64decode(val).decode("utf-8", "replace")
            except ValueError:
                pass
    items = src.get("items")
    if items:
        data = {i.get("path", i.get("key")): data.get(i.get("key"), "") for i in items}
    return data


def refresh(kubelet, namespace, synced: dict) -> None:
    """The kubelet's periodic sync: mounted ConfigMap and Secret folders take the objects'
    current data (environment variables, read once at start, do not)."""
    for volume, folder in synced.values():
        data = source_data(kubelet, namespace, volume)
        if data != folder:
            dict.clear(folder)
            dict.update(folder, data)


def container_fs(kubelet, worker, pod, cspec) -> ContainerFS:
    fs = ContainerFS()
    if not (pod.get("spec") or {}).get("hostNetwork"):
        fs.own["/etc/hosts"] = etc_hosts(pod)
    fs.own["/etc/resolv.conf"] = resolv_conf(pod)
    vols = {v.get("name"): v for v in (pod.get("spec") or {}).get("volumes") or []}
    ns = pod["metadata"].get("namespace")
    shared = worker.__dict__.setdefault("empty_dirs", {})
    for m in cspec.get("volumeMounts") or []:
        v = vols.get(m.get("name"))
        if v is None:
            continue
        base = m.get("mountPath", "")
        if "emptyDir" in v:
            fs.mount(base, shared.setdefault(v["name"], {}))
        elif "hostPath" in v:
            fs.mount(base, HostDir(kubelet.host_path((v["hostPath"] or {}).get("path", "/"))))
        elif "configMap" in v or "secret" in v:
            folder = _mount_data(fs, base, m, source_data(kubelet, ns, v))
            if folder is not None:
                # kept fresh by the pod worker's periodic sync (a subPath file never is)
                worker.synced_volumes[(cspec.get("name"), base)] = (v, folder)
        elif "downwardAPI" in v:
            fs.mount(base, ReadOnlyDir(downward_files(pod, (v["downwardAPI"] or {}).get("items"))))
        elif "projected" in v:
            fs.mount(base, {"namespace": ns or "", "token": "eyJhbGciOiJSUzI1NiJ9.kcore-projected-token",
                            "ca.crt": ""})
    return fs
