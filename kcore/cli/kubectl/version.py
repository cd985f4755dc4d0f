"""kubectl version: client and server versions."""
from __future__ import annotations

from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("client", kind="bool"), Flag("output", "o"), Flag("short", kind="bool")]
CLIENT = "v1.35.2"


def run(ctx, p):
    server = ctx.cluster.version
    client = getattr(ctx.cluster, "node_client_version", None) or CLIENT  # kubectl on a node
    if p["output"] in ("json", "yaml"):
        import json
        data = {"clientVersion": _info(client), "kustomizeVersion": "v5.7.1"}
        if not p["client"]:
            data["serverVersion"] = _info(server)
        if p["output"] == "json":
            ctx.out(json.dumps(data, indent=2))
        else:
            from kcore.cli.kubectl.printers.yamlout import to_yaml
            ctx.out(to_yaml(data), end="")
        return 0
    ctx.out(f"Client Version: {client}")
    ctx.out("Kustomize Version: v5.7.1")
    if not p["client"]:
        ctx.client  # connection check (refused when the API server is down)
        ctx.out(f"Server Version: {server}")
    return 0


def _info(v):
    major, minor = v.lstrip("v").split(".")[:2]
    return {"major": major, "minor": minor, "gitVersion": v, "gitCommit": "", "gitTreeState": "clean",
            "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.25.5", "compiler": "gc",
            "platform": "linux/amd64"}
