"""Reading a kubeconfig the way kubectl does: current context -> cluster, user, namespace.

The user's credentials decide who the API server thinks we are: a client certificate's
CN/O (verified against the cluster CA), a bearer token, or nothing (anonymous)."""
from __future__ import annotations

import base64
from dataclasses import dataclass, field

import yaml


class KubeconfigError(Exception):
    pass


@dataclass
class KubeconfigView:
    path: str
    context_name: str = ""
    cluster_name: str = ""
    user_name: str = ""
    namespace: str = ""
    server: str = ""
    user: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict)
    missing: bool = False

    def client_certificate(self) -> bytes | None:
        data = self.user.get("client-certificate-data")
        if data:
            try:
                return base64.b64decode(data)
            except (ValueError, TypeError):
                return None
        return None

    def token(self) -> str | None:
        return self.user.get("token")


def load(path: str, host_path: str, context: str | None = None) -> KubeconfigView:
    try:
        with open(host_path, encoding="utf-8") as fh:
            raw = yaml.load(fh, Loader=yaml.CSafeLoader) or {}
    except FileNotFoundError:
        return KubeconfigView(path=path, missing=True)
    except yaml.YAMLError as exc:
        raise KubeconfigError(f"error loading config file \"{path}\": {exc}") from None
    if not isinstance(raw, dict):
        raise KubeconfigError(f'error loading config file "{path}": couldn\'t get version/kind; '
                              "json parse error")
    name = context or raw.get("current-context") or ""
    ctx = next((c.get("context") or {} for c in raw.get("contexts") or []
                if c.get("name") == name), None)
    if context and ctx is None:
        raise KubeconfigError(f'context was not found for specified context: {context}')
    ctx = ctx or {}
    cluster = next((c.get("cluster") or {} for c in raw.get("clusters") or []
                    if c.get("name") == ctx.get("cluster")), {})
    user = next((u.get("user") or {} for u in raw.get("users") or []
                 if u.get("name") == ctx.get("user")), {})
    return KubeconfigView(path=path, context_name=name, cluster_name=ctx.get("cluster", ""),
                          user_name=ctx.get("user", ""), namespace=ctx.get("namespace", ""),
                          server=cluster.get("server", ""), user=user, raw=raw,
                          missing=not name)
