"""Validation of a pod spec, wherever it appears (Pod, pod templates of workloads).

Mirrors the parts of pkg/apis/core/validation that CKA work touches: containers (names unique
DNS-1123 labels, image required, ports, resources with requests <= limits, volume mounts that
name a volume, probes), volumes, restartPolicy and dnsPolicy, plus ValidatePodUpdate's rule
that a running pod's spec may change only in images, activeDeadlineSeconds, tolerations
(additions) and terminationGracePeriodSeconds. Every check returns FieldErrors worded as the
apiserver words them; paths are built by the caller (`spec` or `spec.template.spec`)."""
from __future__ import annotations

import json

from kcore.api import errors as fe
from kcore.api.errors import FieldError
from kcore.api.validation.common import as_dict, as_list
from kcore.machinery import names, quantity

__all__ = ["validate_pod_spec", "validate_pod_update", "validate_resources", "port_num_errors",
           "port_name_errors", "port_num_or_name", "parse_quantity", "UPDATABLE_POD_SPEC_FIELDS",
           "CHECKS", "UPDATES"]

RESTART_POLICIES = ("Always", "OnFailure", "Never")
DNS_POLICIES = ("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
PROTOCOLS = ("SCTP", "TCP", "UDP")
STANDARD_CONTAINER_RESOURCES = ("cpu", "memory", "ephemeral-storage")
OVERCOMMIT_FORBIDDEN_PREFIXES = ("hugepages-",)
VOLUME_SOURCES = (
    "emptyDir", "hostPath", "secret", "configMap", "persistentVolumeClaim", "projected",
    "downwardAPI", "nfs", "csi", "ephemeral", "image", "iscsi", "cephfs", "rbd", "fc", "flocker",
    "azureDisk", "azureFile", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo",
    "glusterfs", "cinder", "quobyte", "flexVolume", "vsphereVolume", "photonPersistentDisk",
    "portworxVolume", "scaleIO", "storageos",
)
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


def inclusive_range_error(lo: int, hi: int) -> str:
    return f"must be between {lo} and {hi}, inclusive"


def port_num_errors(port) -> list[str]:
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        return [inclusive_range_error(1, 65535)]
    return []


def port_name_errors(name: str) -> list[str]:
    """validation.IsValidPortName (an IANA_SVC_NAME)."""
    errs = []
    if len(name) > 15:
        errs.append("must be no more than 15 characters")
    if not all(c.islower() and c.isascii() or c.isdigit() or c == "-" for c in name):
        errs.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
    if not any(c.isalpha() for c in name):
        errs.append("must contain at least one letter (a-z)")
    if "--" in name:
        errs.append("must not contain consecutive hyphens")
    if name.startswith("-") or name.endswith("-"):
        errs.append("must not begin or end with a hyphen")
    return errs


def port_num_or_name(value, path: str) -> list[FieldError]:
    if isinstance(value, str):
        if value == "":
            return [fe.required(path)]
        return [fe.invalid(path, value, m) for m in port_name_errors(value)]
    if value in (None, 0):
        return [fe.required(path)]
    return [fe.invalid(path, value, m) for m in port_num_errors(value)]




def parse_quantity(value):
    """The Quantity, or None where decoding would already have failed."""
    try:
        return quantity.parse(value)
    except (quantity.QuantityError, ValueError, TypeError):
        return None


def validate_resources(resources: dict, path: str) -> list[FieldError]:
    """ValidateContainerResourceRequirements: names, non-negative quantities, requests <= limits."""
    errs: list[FieldError] = []
    resources = as_dict(resources)
    limits, requests = as_dict(resources.get("limits")), as_dict(resources.get("requests"))
    for kind, table in (("limits", limits), ("requests", requests)):
        for name in sorted(table):
            key_path = f"{path}.{kind}[{name}]"
            if "/" not in name and name not in STANDARD_CONTAINER_RESOURCES \
                    and not name.startswith("hugepages-"):
                errs.append(fe.invalid(key_path, name, "must be a standard resource for containers"))
                continue
            q = parse_quantity(table[name])
            if q is not None and q.sign() < 0:
                errs.append(fe.invalid(key_path, str(q), "must be greater than or equal to 0"))
    for name in sorted(requests):
        if name not in limits:
            continue
        req, lim = parse_quantity(requests[name]), parse_quantity(limits[name])
        if req is None or lim is None:
            continue
        if name.startswith(OVERCOMMIT_FORBIDDEN_PREFIXES) and req != lim:
            errs.append(fe.invalid(f"{path}.requests", str(req),
                                   f"must be equal to {name} limit of {lim}"))
        elif req > lim:
            errs.append(fe.invalid(f"{path}.requests", str(req),
                                   f"must be less than or equal to {name} limit of {lim}"))
    return errs


def _probe(probe, path: str) -> list[FieldError]:
    if not isinstance(probe, dict):
        return []
    errs = []
    handlers = [k for k in ("exec", "httpGet", "tcpSocket", "grpc") if probe.get(k) is not None]
    if not handlers:
        errs.append(fe.required(path, "must specify a handler type"))
    elif len(handlers) > 1:
        errs.append(fe.forbidden(f"{path}.{handlers[1]}", "may not specify more than 1 handler type"))
    for key in ("initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold",
                "failureThreshold"):
        value = probe.get(key)
        if isinstance(value, int) and value < 0:
            errs.append(fe.invalid(f"{path}.{key}", value, "must be greater than or equal to 0"))
    http = probe.get("httpGet")
    if isinstance(http, dict):
        errs += port_num_or_name(http.get("port"), f"{path}.httpGet.port")
    tcp = probe.get("tcpSocket")
    if isinstance(tcp, dict):
        errs += port_num_or_name(tcp.get("port"), f"{path}.tcpSocket.port")
    return errs


def _container(c: dict, path: str, volumes: set[str], seen: set[str], regular: bool) -> list[FieldError]:
    """validateContainerCommon, then the name-uniqueness check, then probes (regular only)."""
    errs: list[FieldError] = []
    name = c.get("name") or ""
    if not name:
        errs.append(fe.required(f"{path}.name"))
    else:
        errs += [fe.invalid(f"{path}.name", name, m) for m in names.is_dns1123_label(name)]
    if not c.get("image"):
        errs.append(fe.required(f"{path}.image"))
    errs += _ports(c, path)
    for i, env in enumerate(as_list(c.get("env"))):
        if not as_dict(env).get("name"):
            errs.append(fe.required(f"{path}.env[{i}].name"))
    errs += _mounts(c, path, volumes)
    policy = c.get("imagePullPolicy") or ""
    if not policy:
        errs.append(fe.required(f"{path}.imagePullPolicy"))
    elif policy not in PULL_POLICIES:
        errs.append(fe.not_supported(f"{path}.imagePullPolicy", policy, PULL_POLICIES))
    errs += validate_resources(c.get("resources"), f"{path}.resources")
    if name in seen:
        errs.append(fe.duplicate(f"{path}.name", name))
    seen.add(name)
    if regular:
        for key in ("livenessProbe", "readinessProbe", "startupProbe"):
            errs += _probe(c.get(key), f"{path}.{key}")
    return errs


def _ports(c: dict, path: str) -> list[FieldError]:
    """validateContainerPorts."""
    errs: list[FieldError] = []
    port_names: set[str] = set()
    for i, port in enumerate(as_list(c.get("ports"))):
        ppath = f"{path}.ports[{i}]"
        port = as_dict(port)
        if port.get("name"):
            pname = port["name"]
            errs += [fe.invalid(f"{ppath}.name", pname, m) for m in port_name_errors(pname)]
            if pname in port_names:
                errs.append(fe.duplicate(f"{ppath}.name", pname))
            port_names.add(pname)
        if not port.get("containerPort"):
            errs.append(fe.required(f"{ppath}.containerPort"))
        else:
            errs += [fe.invalid(f"{ppath}.containerPort", port["containerPort"], m)
                     for m in port_num_errors(port["containerPort"])]
        if port.get("hostPort"):
            errs += [fe.invalid(f"{ppath}.hostPort", port["hostPort"], m) for m in port_num_errors(port["hostPort"])]
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(fe.required(f"{ppath}.protocol"))
        elif protocol not in PROTOCOLS:
            errs.append(fe.not_supported(f"{ppath}.protocol", protocol, PROTOCOLS))
    return errs


def _mounts(c: dict, path: str, volumes: set[str]) -> list[FieldError]:
    """ValidateVolumeMounts: a known volume, a unique mount path."""
    errs: list[FieldError] = []
    mount_paths: set[str] = set()
    for i, mount in enumerate(as_list(c.get("volumeMounts"))):
        mpath = f"{path}.volumeMounts[{i}]"
        mount = as_dict(mount)
        mname = mount.get("name") or ""
        if not mname:
            errs.append(fe.required(f"{mpath}.name"))
        elif mname not in volumes:
            errs.append(FieldError(fe.NOT_FOUND, f"{mpath}.name", mname))
        mount_path = mount.get("mountPath") or ""
        if not mount_path:
            errs.append(fe.required(f"{mpath}.mountPath"))
        elif mount_path in mount_paths:
            errs.append(fe.invalid(f"{mpath}.mountPath", mount_path, "must be unique"))
        mount_paths.add(mount_path)
    return errs


def _volumes(spec: dict, path: str) -> tuple[list[FieldError], set[str]]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, v in enumerate(as_list(spec.get("volumes"))):
        vpath = f"{path}.volumes[{i}]"
        v = as_dict(v)
        name = v.get("name") or ""
        if not name:
            errs.append(fe.required(f"{vpath}.name"))
        else:
            errs += [fe.invalid(f"{vpath}.name", name, m) for m in names.is_dns1123_label(name)]
            if name in seen:
                errs.append(fe.duplicate(f"{vpath}.name", name))
            seen.add(name)
        sources = [k for k in VOLUME_SOURCES if v.get(k) is not None]
        if not sources:
            errs.append(fe.required(vpath, "must specify a volume type"))
        for extra in sources[1:]:
            errs.append(fe.forbidden(f"{vpath}.{extra}", "may not specify more than 1 volume type"))
        claim = v.get("persistentVolumeClaim")
        if isinstance(claim, dict) and not claim.get("claimName"):
            errs.append(fe.required(f"{vpath}.persistentVolumeClaim.claimName"))
        host_path = v.get("hostPath")
        if isinstance(host_path, dict) and not host_path.get("path"):
            errs.append(fe.required(f"{vpath}.hostPath.path"))
    return errs, seen


def validate_pod_spec(spec: dict, path: str = "spec", extra_volumes=()) -> list[FieldError]:
    """ValidatePodSpec (the CKA-relevant part) for a defaulted spec.

    extra_volumes are names mounts may refer to besides spec.volumes (a StatefulSet's
    volumeClaimTemplates, which its controller adds to each pod)."""
    if not isinstance(spec, dict):
        return [fe.required(path)]
    errs, volumes = _volumes(spec, path)
    volumes |= set(extra_volumes)
    containers = as_list(spec.get("containers"))
    seen: set[str] = set()
    if not containers:
        errs.append(fe.required(f"{path}.containers"))
    for i, c in enumerate(containers):
        errs += _container(as_dict(c), f"{path}.containers[{i}]", volumes, seen, regular=True)
    for i, c in enumerate(as_list(spec.get("initContainers"))):  # validated after the containers
        errs += _container(as_dict(c), f"{path}.initContainers[{i}]", volumes, seen, regular=False)
    restart = spec.get("restartPolicy") or ""
    if not restart:
        errs.append(fe.required(f"{path}.restartPolicy"))
    elif restart not in RESTART_POLICIES:
        errs.append(fe.not_supported(f"{path}.restartPolicy", restart, RESTART_POLICIES))
    dns = spec.get("dnsPolicy") or ""
    if not dns:
        errs.append(fe.required(f"{path}.dnsPolicy"))
    elif dns not in DNS_POLICIES:
        errs.append(fe.not_supported(f"{path}.dnsPolicy", dns, DNS_POLICIES))
    grace = spec.get("terminationGracePeriodSeconds")
    if isinstance(grace, int) and not isinstance(grace, bool) and grace < 0:
        errs.append(fe.invalid(f"{path}.terminationGracePeriodSeconds", grace,
                               "must be greater than or equal to 0"))
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and (not isinstance(deadline, int) or not 1 <= deadline <= 2 ** 31 - 1):
        errs.append(fe.invalid(f"{path}.activeDeadlineSeconds", deadline,
                               inclusive_range_error(1, 2 ** 31 - 1)))
    node_selector = as_dict(spec.get("nodeSelector"))
    for key in sorted(node_selector):
        errs += [fe.invalid(f"{path}.nodeSelector", key, m) for m in names.is_qualified_name(key)]
        errs += [fe.invalid(f"{path}.nodeSelector", node_selector[key], m)
                 for m in names.is_valid_label_value(str(node_selector[key]))]
    for i, tol in enumerate(as_list(spec.get("tolerations"))):
        errs += _toleration(as_dict(tol), f"{path}.tolerations[{i}]")
    if spec.get("serviceAccountName"):
        sa = spec["serviceAccountName"]
        errs += [fe.invalid(f"{path}.serviceAccountName", sa, m) for m in names.is_dns1123_subdomain(sa)]
    return errs


def _toleration(tol: dict, path: str) -> list[FieldError]:
    errs = []
    key, op = tol.get("key") or "", tol.get("operator") or ""
    if key:
        errs += [fe.invalid(f"{path}.key", key, m) for m in names.is_qualified_name(key)]
    if not key and op != "Exists":
        errs.append(fe.invalid(f"{path}.operator", op,
                               "operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
    if op == "Exists" and tol.get("value"):
        errs.append(fe.invalid(f"{path}.operator", tol.get("value"),
                               "value must be empty when `operator` is 'Exists'"))
    elif op not in ("", "Equal", "Exists"):
        errs.append(fe.not_supported(f"{path}.operator", op, ("Equal", "Exists")))
    if tol.get("tolerationSeconds") is not None and tol.get("effect") != "NoExecute":
        errs.append(fe.invalid(f"{path}.effect", tol.get("effect", ""),
                               "effect must be 'NoExecute' when `tolerationSeconds` is set"))
    effect = tol.get("effect") or ""
    if effect and effect not in ("NoSchedule", "PreferNoSchedule", "NoExecute"):
        errs.append(fe.not_supported(f"{path}.effect", effect, ("NoSchedule", "PreferNoSchedule", "NoExecute")))
    return errs


def _go_field(name: str) -> str:
    return name[:1].upper() + name[1:]


def _spec_diff(old: dict, new: dict) -> str:
    """A go-cmp-like diff of two pod specs (approximate: top-level fields, JSON values)."""
    lines = ["  core.PodSpec{"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) == new.get(key):
            continue
        if key in old:
            lines.append(f"- \t{_go_field(key)}: {json.dumps(old[key], separators=(',', ':'))},")
        if key in new:
            lines.append(f"+ \t{_go_field(key)}: {json.dumps(new[key], separators=(',', ':'))},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodUpdate's spec rules (after metadata, which the caller checks)."""
    errs: list[FieldError] = []
    new_spec, old_spec = as_dict(new.get("spec")), as_dict(old.get("spec"))
    for key in ("containers", "initContainers"):
        n, o = as_list(new_spec.get(key)), as_list(old_spec.get(key))
        if len(n) != len(o):
            return errs + [fe.forbidden(f"spec.{key}", "pod updates may not add or remove containers")]
        for i, c in enumerate(n):
            image = as_dict(c).get("image") or ""
            if not image:
                errs.append(fe.required(f"spec.{key}[{i}].image"))
            elif image.strip() != image:
                errs.append(fe.invalid(f"spec.{key}[{i}].image", image,
                                       "must not have leading or trailing whitespace"))
    nd, od = new_spec.get("activeDeadlineSeconds"), old_spec.get("activeDeadlineSeconds")
    if nd is not None and od is not None and od < nd:
        errs.append(fe.invalid("spec.activeDeadlineSeconds", nd, "must be less than or equal to previous value"))
        return errs
    if nd is None and od is not None:
        errs.append(FieldError(fe.INVALID, "spec.activeDeadlineSeconds", None,
                               "must not update from a positive integer to nil value"))
    old_tols = as_list(old_spec.get("tolerations"))
    for i, tol in enumerate(old_tols):
        if tol not in as_list(new_spec.get("tolerations")):
            errs.append(fe.forbidden("spec.tolerations", "existing toleration can not be modified except its tolerationSeconds"))
            break
    if new_spec == old_spec:
        return errs
    munged = json.loads(json.dumps(new_spec))
    for key in ("containers", "initContainers"):
        for c, oc in zip(as_list(munged.get(key)), as_list(old_spec.get(key))):
            if isinstance(c, dict) and isinstance(oc, dict):
                if "image" in oc:
                    c["image"] = oc["image"]
                else:
                    c.pop("image", None)
    for key in ("activeDeadlineSeconds", "tolerations", "schedulingGates"):
        if key in old_spec:
            munged[key] = old_spec[key]
        else:
            munged.pop(key, None)
    og = old_spec.get("terminationGracePeriodSeconds")
    if isinstance(og, int) and og < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = og
    if munged != old_spec:
        detail = ("pod updates may not change fields other than " + ",".join(UPDATABLE_POD_SPEC_FIELDS)
                  + "\n" + _spec_diff(old_spec, munged))
        errs.append(fe.forbidden("spec", detail))
    return errs


def _pod(obj):
    return validate_pod_spec(obj.get("spec"), "spec")


CHECKS = {("", "Pod"): _pod}
UPDATES = {("", "Pod"): validate_pod_update}
