"""What a container is started with: its command line and its environment.

command/args meet the image's ENTRYPOINT/CMD exactly as Docker and Kubernetes combine them:
`command` replaces ENTRYPOINT (and drops CMD), `args` replaces CMD. `$(VAR)` references are
expanded from the container's environment, `$$(VAR)` escapes. The environment is built in
kubelet order: service links, the image's ENV, `envFrom`, then `env` (later wins). A missing
ConfigMap/Secret or key is a CreateContainerConfigError with the kubelet's wording."""
from __future__ import annotations

import base64
import re


class ConfigError(Exception):
    pass


_REF = re.compile(r"\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)")


def expand(text: str, env: dict) -> str:
    def sub(m):
        if m.group(0) == "$$":
            return "$"
        name = m.group(1)
        return env[name] if name in env else m.group(0)
    return _REF.sub(sub, text)


def resolve_command(spec: dict, image, env: dict | None = None) -> list[str]:
    command = spec.get("command")
    args = spec.get("args")
    if command:
        argv = list(command) + list(args or [])
    elif args is not None and args:
        argv = list(image.entrypoint) + list(args)
    else:
        argv = list(image.entrypoint) + list(image.cmd)
    env = env or {}
    return [expand(str(a), env) for a in argv]


def resolve_env(kubelet, pod: dict, spec: dict, image) -> dict:
    ns = pod["metadata"].get("namespace") or "default"
    env: dict[str, str] = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                           "HOSTNAME": pod["metadata"]["name"]}
    env.update(kubelet.service_env(ns, (pod.get("spec") or {}).get("enableServiceLinks", True)))
    env.update(dict(image.env))
    for src in spec.get("envFrom") or []:
        prefix = src.get("prefix", "")
        if "configMapRef" in src:
            ref = src["configMapRef"]
            cm = kubelet.lookup("configmaps", ns, ref.get("name", ""))
            if cm is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'configmap "{ref.get("name")}" not found')
            for k, v in (cm.get("data") or {}).items():
                env[prefix + k] = v
        elif "secretRef" in src:
            ref = src["secretRef"]
            sec = kubelet.lookup("secrets", ns, ref.get("name", ""))
            if sec is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'secret "{ref.get("name")}" not found')
            for k, v in (sec.get("data") or {}).items():
                env[prefix + k] = _b64(v)
    for item in spec.get("env") or []:
        name = item.get("name", "")
        if "value" in item or "valueFrom" not in item:
            env[name] = expand(str(item.get("value", "")), env)
            continue
        vf = item["valueFrom"] or {}
        if "configMapKeyRef" in vf:
            ref = vf["configMapKeyRef"]
            cm = kubelet.lookup("configmaps", ns, ref.get("name", ""))
            if cm is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'configmap "{ref.get("name")}" not found')
            data = cm.get("data") or {}
            if ref.get("key") not in data:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"couldn't find key {ref.get('key')} in ConfigMap {ns}/{ref.get('name')}")
            env[name] = data[ref["key"]]
        elif "secretKeyRef" in vf:
            ref = vf["secretKeyRef"]
            sec = kubelet.lookup("secrets", ns, ref.get("name", ""))
            if sec is None:
                if ref.get("optional"):
                    continue
                raise ConfigError(f'secret "{ref.get("name")}" not found')
            data = sec.get("data") or {}
            if ref.get("key") not in data:
                if ref.get("optional"):
                    continue
                raise ConfigError(f"couldn't find key {ref.get('key')} in Secret {ns}/{ref.get('name')}")
            env[name] = _b64(data[ref["key"]])
        elif "fieldRef" in vf:
            env[name] = _field(pod, vf["fieldRef"].get("fieldPath", ""), kubelet)
        elif "resourceFieldRef" in vf:
            env[name] = _resource(spec, vf["resourceFieldRef"], kubelet)
    return env


def _b64(v: str) -> str:
    try:
        return base64.b64decode(v).decode("utf-8", "replace")
    except (ValueError, TypeError):
        return ""


def _field(pod, path, kubelet) -> str:
    md = pod["metadata"]
    spec = pod.get("spec") or {}
    m = re.fullmatch(r"metadata\.(labels|annotations)\['([^']+)'\]", path)
    if m:
        return (md.get(m.group(1)) or {}).get(m.group(2), "")
    return {
        "metadata.name": md.get("name", ""), "metadata.namespace": md.get("namespace", ""),
        "metadata.uid": md.get("uid", ""), "spec.nodeName": spec.get("nodeName", ""),
        "spec.serviceAccountName": spec.get("serviceAccountName", ""),
        "status.hostIP": kubelet.node_ip, "status.hostIPs": kubelet.node_ip,
        "status.podIP": kubelet.pod_ip_of(pod), "status.podIPs": kubelet.pod_ip_of(pod),
    }.get(path, "")


def _resource(spec, ref, kubelet) -> str:
    from kcore.machinery import quantity
    res = ref.get("resource", "")
    kind, _, name = res.partition(".")
    val = ((spec.get("resources") or {}).get(kind) or {}).get(name)
    if val is None:
        val = kubelet.allocatable.get(name, "0")
    divisor = ref.get("divisor", "1")
    try:
        q = quantity.parse(str(val))
        d = quantity.parse(str(divisor))
        ratio = q.milli_value() / max(d.milli_value(), 1)
        import math
        return str(math.ceil(ratio))
    except ValueError:
        return str(val)
