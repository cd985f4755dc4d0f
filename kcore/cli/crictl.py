"""crictl on a node: the CRI view of containers, sandboxes and images (cri-tools v1.35).

Tables follow crictl's tabwriter (minwidth 20, padding 3), IDs are cut to 13 characters,
CREATED is a human duration plus ` ago`."""
from __future__ import annotations

from kcore.cli.nodeshell import Out

WARN = ("WARN[0000] runtime connect using default endpoints: [unix:///run/containerd/containerd.sock "
        "unix:///run/crio/crio.sock unix:///var/run/cri-dockerd.sock]. As the default settings are "
        "now deprecated, you should set the endpoint instead.\n")


def _table(rows):
    if not rows:
        return ""
    widths = [max(20, max(len(r[i]) for r in rows) + 3) for i in range(len(rows[0]) - 1)]
    out = []
    for r in rows:
        out.append("".join(c.ljust(w) for c, w in zip(r, widths)) + r[-1])
    return "".join(l.rstrip() + "\n" for l in out)


def _ago(seconds: float) -> str:
    s = int(seconds)
    if s < 1:
        return "Less than a second ago"
    if s < 60:
        return f"{s} seconds ago" if s != 1 else "1 second ago"
    m = s // 60
    if m < 60:
        return f"{m} minutes ago" if m != 1 else "About a minute ago"
    h = m // 60
    return f"{h} hours ago" if h != 1 else "About an hour ago"


def run(sh, args):
    kl = sh.cluster.hosts.get(sh.node)
    if kl is None:
        return Out("", "crictl: runtime not available\n", 1)
    sub = args[0] if args else ""
    rest = args[1:]
    now = sh.cluster.loop.now
    workers = list(kl.workers.values())
    name_filter = ""
    for i, a in enumerate(rest):
        if a == "--name" and i + 1 < len(rest):
            name_filter = rest[i + 1]
        elif a.startswith("--name="):
            name_filter = a.split("=", 1)[1]
    import re as _re
    match = (lambda text: bool(_re.search(name_filter, text))) if name_filter else (lambda text: True)
    if sub == "ps":
        show_all = "-a" in rest or "--all" in rest
        quiet = "-q" in rest or "--quiet" in rest
        ids = []
        rows = [["CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD", "NAMESPACE"]]
        for w in workers:
            for cs in w.inits + w.containers:
                c = cs.container
                if c is None:
                    continue
                alive = c.process is not None and c.process.alive
                if not alive and not show_all:
                    continue
                if not match(cs.name):
                    continue
                ids.append(c.id)
                pod_id = (w.pod["metadata"].get("uid") or "").replace("-", "")[:13]
                rows.append([c.id[:13], c.image.digest("x").split(":")[1][:13], _ago(now - (c.started_at or now)),
                             "Running" if alive else "Exited", cs.name, str(cs.restarts), pod_id,
                             w.pod["metadata"]["name"], w.pod["metadata"].get("namespace", "")])
        if quiet:
            return Out("".join(i + "\n" for i in ids), WARN)
        return Out(_table(rows), WARN)
    if sub == "pods":
        rows = [["POD ID", "CREATED", "STATE", "NAME", "NAMESPACE", "ATTEMPT", "RUNTIME"]]
        for w in workers:
            if not match(w.pod["metadata"]["name"]):
                continue
            rows.append([(w.pod["metadata"].get("uid") or "").replace("-", "")[:13],
                         _ago(now - (w.start_time or now)), "Ready" if w.sandbox_ready else "NotReady",
                         w.pod["metadata"]["name"], w.pod["metadata"].get("namespace", ""), "0", "(default)"])
        return Out(_table(rows), WARN)
    if sub == "images":
        rows = [["IMAGE", "TAG", "IMAGE ID", "SIZE"]]
        for full, info in sorted(kl.runtime.images.items()):
            ref = info["ref"]
            rows.append([ref.repository, ref.tag or "<none>", info["id"].split(":")[1][:13],
                         _size(info["size"])])
        return Out(_table(rows), WARN)
    if sub == "logs":
        tail, args, i = -1, [], 0
        while i < len(rest):  # crictl logs [--tail N | --tail=N | -p] ID
            a = rest[i]
            if a in ("--tail", "-tail") and i + 1 < len(rest):
                tail, i = int(rest[i + 1]) if rest[i + 1].lstrip("-").isdigit() else -1, i + 2
                continue
            if a.startswith("--tail="):
                tail = int(a.split("=", 1)[1]) if a.split("=", 1)[1].lstrip("-").isdigit() else -1
            elif not a.startswith("-"):
                args.append(a)
            i += 1
        cid = args[0] if args else ""
        for w in workers:
            for cs in w.inits + w.containers:
                if cs.container is not None and cs.container.id.startswith(cid) and cid:
                    lines = list(cs.container.logs)
                    if tail >= 0:
                        lines = lines[-tail:] if tail else []
                    return Out("".join(line + "\n" for _, s, line in lines if s == "stdout"),
                               WARN + "".join(line + "\n" for _, s, line in lines if s == "stderr"))
        return Out("", WARN + f'E0101 00:00:00.000000    9999 log.go:32] "Failed to get container status" err="rpc error: code = NotFound desc = an error occurred when try to find container \\"{cid}\\": not found" containerID="{cid}"\n', 1)
    return Out("", f"crictl: unknown command \"{sub}\"\n", 1)


def _size(n: int) -> str:
    for unit, div in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= div:
            v = n / div
            return f"{v:.3g}{unit}"
    return f"{n}B"
