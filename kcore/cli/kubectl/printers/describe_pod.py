"""`kubectl describe pod`, and the container/volume/pod-template blocks other describers reuse.

Field order and wording follow describe.go: header block, Init Containers, Containers (state,
last state, resources, probes, env, mounts), Conditions with their trailing spaces, Volumes,
QoS Class, Node-Selectors, Tolerations, Topology Spread Constraints, Events."""
from __future__ import annotations

from .common import g, since, quantity_str, format_selector
from .describe_writer import (Writer, labels_multiline, annotations_multiline,
                              tolerations_multiline, describe_events, time_or_zero,
                              controller_of, sorted_resource_names, bool_title)

__all__ = ["describe_pod", "describe_pod_template", "describe_containers", "describe_volumes",
           "pod_qos", "pod_requests_and_limits"]


def _ports(ports, attr) -> str:
    """`80/TCP (http)`: the port, its protocol and, when named, its name (describe.go)."""
    return ", ".join(f"{p.get(attr, 0)}/{p.get('protocol') or 'TCP'}" + (f" ({p['name']})" if p.get("name") else "")
                     for p in ports or [])


def _probe(probe) -> str:
    attrs = (f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 1)}s "
             f"period={probe.get('periodSeconds', 10)}s #success={probe.get('successThreshold', 1)} "
             f"#failure={probe.get('failureThreshold', 3)}")
    if probe.get("exec") is not None:
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet") is not None:
        http = probe["httpGet"]
        scheme = (http.get("scheme") or "HTTP").lower()
        port = str(http.get("port", ""))
        host = http.get("host", "")
        hostport = (f"[{host}]:{port}" if ":" in host else f"{host}:{port}") if port else host
        return f"http-get {scheme}://{hostport}{http.get('path', '')} {attrs}"
    if probe.get("tcpSocket") is not None:
        tcp = probe["tcpSocket"]
        return f"tcp-socket {tcp.get('host', '')}:{tcp.get('port', '')} {attrs}"
    if probe.get("grpc") is not None:
        grpc = probe["grpc"]
        return f"grpc <pod>:{grpc.get('port', 0)} {grpc.get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _state(w: Writer, name: str, state) -> None:
    state = state or {}
    if state.get("running") is not None:
        w.write(2, f"{name}:\tRunning\n")
        w.write(3, f"Started:\t{time_or_zero(state['running'].get('startedAt'))}\n")
    elif state.get("waiting") is not None:
        w.write(2, f"{name}:\tWaiting\n")
        if state["waiting"].get("reason"):
            w.write(3, f"Reason:\t{state['waiting']['reason']}\n")
    elif state.get("terminated") is not None:
        term = state["terminated"]
        w.write(2, f"{name}:\tTerminated\n")
        if term.get("reason"):
            w.write(3, f"Reason:\t{term['reason']}\n")
        if term.get("message"):
            w.write(3, f"Message:\t{term['message']}\n")
        w.write(3, f"Exit Code:\t{term.get('exitCode', 0)}\n")
        if (term.get("signal") or 0) > 0:
            w.write(3, f"Signal:\t{term['signal']}\n")
        w.write(3, f"Started:\t{time_or_zero(term.get('startedAt'))}\n")
        w.write(3, f"Finished:\t{time_or_zero(term.get('finishedAt'))}\n")
    else:
        w.write(2, f"{name}:\tWaiting\n")


def _resources(w: Writer, resources, level: int) -> None:
    resources = resources or {}
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = resources.get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted_resource_names(values):
            w.write(level + 1, f"{name}:\t{quantity_str(values[name])}\n")


def _field_value(pod, path: str) -> str:
    if pod is None:
        return ""
    # kubectl's describe resolves only these two (resourcehelper.ExtractFieldPathAsString is
    # given the pod's metadata); everything else prints empty
    simple = {"metadata.name": ("metadata", "name"), "metadata.namespace": ("metadata", "namespace")}
    if path in simple:
        return str(g(pod, *simple[path], default=""))
    for prefix, key in (("metadata.labels['", "labels"), ("metadata.annotations['", "annotations")):
        if path.startswith(prefix) and path.endswith("']"):
            return str(g(pod, "metadata", key, default={}).get(path[len(prefix):-2], ""))
    return ""


def _resource_field_value(container, resource: str, divisor: str) -> str:
    """resourcehelper.ExtractContainerResourceValue: the value scaled by the divisor, rounded up."""
    from kcore.machinery.quantity import parse, QuantityError
    kind, _, name = resource.partition(".")
    try:
        value = parse(g(container, "resources", kind, name, default="0"))
        div = parse(divisor)
        if name == "cpu":
            return str(-(-value.milli_value() // max(div.milli_value(), 1)))
        return str(-(-value.value() // max(div.value(), 1)))
    except (QuantityError, ValueError):
        return ""


def _env(w: Writer, container, pod) -> None:
    env = container.get("env") or []
    w.write(2, "Environment:" + ("" if env else "\t<none>") + "\n")
    for e in env:
        source = e.get("valueFrom")
        if source is None:
            for i, piece in enumerate(str(e.get("value", "")).split("\n")):
                w.write(3, f"{e.get('name', '')}:\t{piece}\n" if i == 0 else f"\t{piece}\n")
            continue
        name = e.get("name", "")
        if source.get("fieldRef") is not None:
            ref = source["fieldRef"]
            value = _field_value(pod, ref.get("fieldPath", ""))
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:{ref.get('fieldPath', '')})\n")
        elif source.get("resourceFieldRef") is not None:
            ref = source["resourceFieldRef"]
            resource = ref.get("resource", "")
            text = _resource_field_value(container, resource, ref.get("divisor") or "1")
            if text == "0" and resource in ("limits.cpu", "limits.memory"):
                text = "node allocatable"
            w.write(3, f"{name}:\t{text} ({resource})\n")
        elif source.get("secretKeyRef") is not None:
            ref = source["secretKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' in secret '{ref.get('name', '')}'>"
                       f"\tOptional: {'true' if ref.get('optional') else 'false'}\n")
        elif source.get("configMapKeyRef") is not None:
            ref = source["configMapKeyRef"]
            w.write(3, f"{name}:\t<set to the key '{ref.get('key', '')}' of config map '{ref.get('name', '')}'>"
                       f"\tOptional: {'true' if ref.get('optional') else 'false'}\n")


def _env_from(w: Writer, container) -> None:
    sources = container.get("envFrom") or []
    if not sources:
        return
    w.write(2, "Environment Variables from:\n")
    for e in sources:
        kind, ref = ("ConfigMap", e.get("configMapRef")) if e.get("configMapRef") is not None \
            else ("Secret", e.get("secretRef") or {})
        optional = "true" if (ref or {}).get("optional") else "false"
        name = (ref or {}).get("name", "")
        if e.get("prefix"):
            w.write(3, f"{name}\t{kind} with prefix '{e['prefix']}'\tOptional: {optional}\n")
        else:
            w.write(3, f"{name}\t{kind}\tOptional: {optional}\n")


def _mounts(w: Writer, container) -> None:
    mounts = container.get("volumeMounts") or []
    none = "" if mounts else "\t<none>"
    w.write(2, f"Mounts:{none}\n")
    for m in sorted(mounts, key=lambda m: m.get("mountPath", "")):
        flags = ["ro" if m.get("readOnly") else "rw"]
        if m.get("subPath"):
            flags.append(f'path="{m["subPath"]}"')
        w.write(3, f"{m.get('mountPath', '')} from {m.get('name', '')} ({','.join(flags)})\n")
    devices = container.get("volumeDevices") or []
    if devices:
        w.write(2, f"Devices:{none}\n")
        for d in sorted(devices, key=lambda d: d.get("devicePath", "")):
            w.write(3, f"{d.get('devicePath', '')} from {d.get('name', '')}\n")


def describe_containers(w: Writer, label: str, containers, statuses, space: str, pod=None) -> None:
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{label}:{'' if containers else ' <none>'}\n")
    name_indent = " " if space else ""
    for c in containers or []:
        status = by_name.get(c.get("name"))
        w.write(1, f"{name_indent}{c.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{c.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = _ports(c.get("ports"), "containerPort")
        w.write(2, f"Ports:\t{ports}\n" if "," in ports else f"Port:\t{ports or '<none>'}\n")
        host_ports = _ports(c.get("ports"), "hostPort")
        w.write(2, f"Host Ports:\t{host_ports}\n" if "," in host_ports
                else f"Host Port:\t{host_ports or '<none>'}\n")
        seccomp = g(c, "securityContext", "seccompProfile")
        if seccomp:
            w.write(2, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
            if seccomp.get("type") == "Localhost":
                w.write(3, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
        for title, key in (("Command", "command"), ("Args", "args")):
            if c.get(key):
                w.write(2, f"{title}:\n")
                for item in c[key]:
                    for piece in str(item).split("\n"):
                        w.write(3, f"{piece}\n")
        if status is not None:
            _state(w, "State", status.get("state"))
            if g(status, "lastState", "terminated") is not None:
                _state(w, "Last State", status.get("lastState"))
            w.write(2, f"Ready:\t{bool_title(status.get('ready'))}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _resources(w, c.get("resources"), 2)
        for title, key in (("Liveness", "livenessProbe"), ("Readiness", "readinessProbe"),
                           ("Startup", "startupProbe")):
            if c.get(key) is not None:
                w.write(2, f"{title}:\t{_probe(c[key])}\n")
        _env_from(w, c)
        _env(w, c, pod)
        _mounts(w, c)


def _optional(source) -> str:
    return "true" if (source or {}).get("optional") else "false"


def describe_volumes(w: Writer, volumes, space: str) -> None:
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    name_indent = " " if space else ""
    for v in volumes:
        w.write(1, f"{name_indent}{v.get('name', '')}:\n")
        if v.get("hostPath") is not None:
            hp = v["hostPath"]
            w.write(2, "Type:\tHostPath (bare host directory volume)\n"
                       f"    Path:\t{hp.get('path', '')}\n    HostPathType:\t{'<none>' if hp.get('type') is None else hp['type']}\n")
        elif v.get("emptyDir") is not None:
            ed = v["emptyDir"]
            limit = ed.get("sizeLimit")
            size = quantity_str(limit) if limit not in (None, "", "0") else "<unset>"
            w.write(2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                       f"    Medium:\t{ed.get('medium', '')}\n    SizeLimit:\t{size}\n")
        elif v.get("secret") is not None:
            s = v["secret"]
            w.write(2, "Type:\tSecret (a volume populated by a Secret)\n"
                       f"    SecretName:\t{s.get('secretName', '')}\n    Optional:\t{_optional(s)}\n")
        elif v.get("configMap") is not None:
            cm = v["configMap"]
            w.write(2, "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                       f"    Name:\t{cm.get('name', '')}\n    Optional:\t{_optional(cm)}\n")
        elif v.get("nfs") is not None:
            nfs = v["nfs"]
            w.write(2, "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
                       f"    Server:\t{nfs.get('server', '')}\n    Path:\t{nfs.get('path', '')}\n"
                       f"    ReadOnly:\t{'true' if nfs.get('readOnly') else 'false'}\n")
        elif v.get("persistentVolumeClaim") is not None:
            pvc = v["persistentVolumeClaim"]
            w.write(2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n"
                       f"    ClaimName:\t{pvc.get('claimName', '')}\n"
                       f"    ReadOnly:\t{'true' if pvc.get('readOnly') else 'false'}\n")
        elif v.get("downwardAPI") is not None:
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in v["downwardAPI"].get("items") or []:
                if item.get("fieldRef"):
                    w.write(3, f"{item['fieldRef'].get('fieldPath', '')} -> {item.get('path', '')}\n")
                if item.get("resourceFieldRef"):
                    w.write(3, f"{item['resourceFieldRef'].get('resource', '')} -> {item.get('path', '')}\n")
        elif v.get("projected") is not None:
            w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
            for src in v["projected"].get("sources") or []:
                if src.get("secret") is not None:
                    w.write(2, f"SecretName:\t{src['secret'].get('name', '')}\n    Optional:\t{_optional(src['secret'])}\n")
                elif src.get("downwardAPI") is not None:
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif src.get("configMap") is not None:
                    w.write(2, f"ConfigMapName:\t{src['configMap'].get('name', '')}\n"
                               f"    Optional:\t{_optional(src['configMap'])}\n")
                elif src.get("serviceAccountToken") is not None:
                    w.write(2, f"TokenExpirationSeconds:\t{src['serviceAccountToken'].get('expirationSeconds', 3600)}\n")
        elif v.get("csi") is not None:
            csi = v["csi"]
            w.write(2, "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
                       f"    Driver:\t{csi.get('driver', '')}\n    FSType:\t{csi.get('fsType', '')}\n"
                       f"    ReadOnly:\t{'true' if csi.get('readOnly') else 'false'}\n")
            labels_multiline(w, "VolumeAttributes", csi.get("volumeAttributes"), "    ")
        elif v.get("image") is not None:
            w.write(2, "Type:\tImage (a container image or OCI artifact)\n"
                       f"    Reference:\t{v['image'].get('reference', '')}\n"
                       f"    PullPolicy:\t{v['image'].get('pullPolicy', '')}\n")
        else:
            w.write(1, "<unknown>\n")


def _topology(w: Writer, constraints, space: str) -> None:
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda t: t.get("topologyKey", ""))):
        if i:
            w.write(0, space)
            w.write(0, "\t")
        text = f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')} when max skew {tsc.get('maxSkew', 0)} is exceeded"
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_selector(tsc['labelSelector'])}"
        w.write(0, text + "\n")


_QOS_RESOURCES = ("cpu", "memory")


def pod_qos(pod) -> str:
    """status.qosClass, or the QoS class computed the way the kubelet does."""
    if g(pod, "status", "qosClass"):
        return pod["status"]["qosClass"]
    from kcore.machinery.quantity import parse
    containers = list(g(pod, "spec", "containers", default=[])) + \
        list(g(pod, "spec", "initContainers", default=[]))
    requests, limits = {}, {}
    guaranteed = True
    for c in containers:
        reqs = {k: v for k, v in (g(c, "resources", "requests", default={})).items() if k in _QOS_RESOURCES}
        lims = {k: v for k, v in (g(c, "resources", "limits", default={})).items() if k in _QOS_RESOURCES}
        for k, v in reqs.items():
            if not parse(v).is_zero():
                requests[k] = True
        for k, v in lims.items():
            if not parse(v).is_zero():
                limits[k] = True
        if set(lims) != set(_QOS_RESOURCES):
            guaranteed = False
        for k, v in reqs.items():
            if k in lims and parse(v) != parse(lims[k]):
                guaranteed = False
    if not requests and not limits:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def pod_requests_and_limits(pod) -> tuple[dict, dict]:
    """kubectl's resourcehelper.PodRequestsAndLimits: {resource: Quantity} for requests, limits."""
    from kcore.machinery.quantity import parse

    def add(total, res):
        for k, v in (res or {}).items():
            total[k] = total[k] + parse(v) if k in total else parse(v)

    result = []
    for kind in ("requests", "limits"):
        total: dict = {}
        for c in g(pod, "spec", "containers", default=[]):
            add(total, g(c, "resources", kind))
        sidecars: dict = {}
        for c in g(pod, "spec", "initContainers", default=[]):
            res = g(c, "resources", kind) or {}
            if c.get("restartPolicy") == "Always":
                add(total, res)
                add(sidecars, res)
                continue
            need = dict(sidecars)
            add(need, res)
            for k, v in need.items():
                if k not in total or v > total[k]:
                    total[k] = v
        add(total, g(pod, "spec", "overhead"))
        result.append(total)
    return result[0], result[1]


def describe_pod(pod: dict, events, now: float, related=None) -> str:
    spec, status, meta = pod.get("spec") or {}, pod.get("status") or {}, pod.get("metadata") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{time_or_zero(status['startTime'])}\n")
    labels_multiline(w, "Labels", meta.get("labels"))
    annotations_multiline(w, "Annotations", meta.get("annotations"))
    if meta.get("deletionTimestamp") and status.get("phase") not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {since(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    seccomp = g(spec, "securityContext", "seccompProfile")
    if seccomp:
        w.write(0, f"SeccompProfile:\t{seccomp.get('type', '')}\n")
        if seccomp.get("type") == "Localhost":
            w.write(0, f"LocalhostProfile:\t{seccomp.get('localhostProfile', '')}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    ips = status.get("podIPs") or []
    if not ips:
        w.write(0, "IPs:\t<none>\n")
    else:
        w.write(0, "IPs:\n")
        for ip in ips:
            w.write(1, f"IP:\t{ip.get('ip', '')}\n")
    controlled_by = controller_of(pod)
    if controlled_by:
        w.write(0, f"Controlled By:\t{controlled_by}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("resources") is not None:
        w.write(0, "Resources:\n")
        _resources(w, spec["resources"], 1)
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"],
                            status.get("initContainerStatuses"), "", pod)
    describe_containers(w, "Containers", spec.get("containers"), status.get("containerStatuses"), "", pod)
    if spec.get("ephemeralContainers"):
        describe_containers(w, "Ephemeral Containers", spec["ephemeralContainers"],
                            status.get("ephemeralContainerStatuses"), "", pod)
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            found = next((c.get("status", "") for c in conditions
                          if c.get("type") == gate.get("conditionType")), "<none>")
            w.write(1, f"{gate.get('conditionType', '')} \t{found} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')} \n")
    describe_volumes(w, spec.get("volumes"), "")
    w.write(0, f"QoS Class:\t{pod_qos(pod)}\n")
    labels_multiline(w, "Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "Tolerations", spec.get("tolerations"))
    _topology(w, spec.get("topologySpreadConstraints"), "")
    describe_events(w, events, now)
    return w.render()


def describe_pod_template(w: Writer, template) -> None:
    w.write(0, "Pod Template:\n")
    if template is None:
        w.write(1, "<unset>")
        return
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    labels_multiline(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        annotations_multiline(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        describe_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    describe_containers(w, "Containers", spec.get("containers"), None, "  ")
    describe_volumes(w, spec.get("volumes"), "  ")
    _topology(w, spec.get("topologySpreadConstraints"), "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    labels_multiline(w, "  Node-Selectors", spec.get("nodeSelector"))
    tolerations_multiline(w, "  Tolerations", spec.get("tolerations"))
