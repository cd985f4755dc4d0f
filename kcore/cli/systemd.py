"""systemctl, journalctl and ps on a node: the kubelet as a systemd service.

`systemctl stop kubelet` really stops the node's kubelet (no heartbeats: the node goes
NotReady after the grace period); `start`/`restart` bring it back. journalctl shows the
kubelet's log lines with klog/journald prefixes."""
from __future__ import annotations

import datetime as _dt

from kcore.cli.nodeshell import Out
from kcore.cluster import kubeletservice

UNITS = ("kubelet", "containerd")


def _unit(args):
    names = [a for a in args if not a.startswith("-")]
    return names[0].removesuffix(".service") if names else ""


def _when(cluster, t) -> str:
    dt = _dt.datetime.fromtimestamp(int(cluster.loop.wall(t)), tz=_dt.timezone.utc)
    return dt.strftime("%a %Y-%m-%d %H:%M:%S UTC")


def systemctl(sh, args):
    if not args:
        return Out("", "systemctl: missing command\n", 1)
    verb, rest = args[0], args[1:]
    unit = _unit(rest)
    kl = sh.cluster.hosts.get(sh.node)
    if verb in ("daemon-reload", "daemon-reexec"):
        return Out()
    if unit and unit not in UNITS:
        return Out("", f"Unit {unit}.service could not be found.\n" if verb == "status" else
                   f"Failed to {verb} {unit}.service: Unit {unit}.service not found.\n", 4 if verb == "status" else 5)
    if unit == "containerd":
        if verb == "status":
            return Out("● containerd.service - containerd container runtime\n"
                       "     Loaded: loaded (/usr/lib/systemd/system/containerd.service; enabled; preset: enabled)\n"
                       f"     Active: active (running) since {_when(sh.cluster, 0)}\n")
        return Out()
    if kl is None:
        return Out("", "Failed to connect to bus: No such file or directory\n", 1)
    if verb == "stop":
        kubeletservice.stop(sh.cluster, kl)
        return Out()
    if verb in ("start", "restart"):
        pk = sh.cluster.__dict__.get("_packages", {}).get(sh.node)
        if pk:
            kl.version = "v" + pk["kubelet"]["version"]
    if verb == "start":
        if not (kl.running or kl.unreachable):
            kubeletservice.start(sh.cluster, kl, sh.node)
        return Out()
    if verb == "restart":
        if kl.running or kl.unreachable:
            kubeletservice.stop(sh.cluster, kl)
        kubeletservice.start(sh.cluster, kl, sh.node)
        return Out()
    if verb in ("enable", "disable"):
        return Out()
    if verb == "is-enabled":
        return Out("enabled\n")
    active = kl.running or bool(kl.unreachable)
    if verb == "is-active":
        state = "active" if active else "activating" if kl.failed else "inactive"
        return Out(state + "\n", "", 0 if active else 3)
    if verb == "status":
        return Out(status_text(sh.cluster, kl), "", 0 if active else 3)
    return Out("", f'Unknown command verb {verb}.\n', 1)


def status_text(cluster, kl) -> str:
    alive = kl.running or bool(kl.unreachable) or bool(kl.failed)
    head = ("● kubelet.service - kubelet: The Kubernetes Node Agent\n" if alive else
            "○ kubelet.service - kubelet: The Kubernetes Node Agent\n")
    lines = [head,
             "     Loaded: loaded (/usr/lib/systemd/system/kubelet.service; enabled; preset: enabled)\n",
             "    Drop-In: /usr/lib/systemd/system/kubelet.service.d\n",
             "             └─10-kubeadm.conf\n"]
    if kl.failed:
        since = getattr(kl, "failed_at", cluster.loop.now)
        lines.append(f"     Active: activating (auto-restart) (Result: exit-code) since "
                     f"{_when(cluster, since)}; {_ago(cluster.loop.now - since)} ago\n")
        lines.append("       Docs: https://kubernetes.io/docs/\n")
        lines.append("    Process: 1748 ExecStart=/usr/bin/kubelet $KUBELET_KUBECONFIG_ARGS "
                     "$KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS "
                     "(code=exited, status=1/FAILURE)\n")
        lines.append("   Main PID: 1748 (code=exited, status=1/FAILURE)\n")
        lines.append("        CPU: 93ms\n")
    elif kl.running or kl.unreachable:
        since = getattr(kl, "started_at", 0.0)
        lines.append(f"     Active: active (running) since {_when(cluster, since)}; "
                     f"{_ago(cluster.loop.now - since)} ago\n")
        lines.append("       Docs: https://kubernetes.io/docs/\n")
        lines.append("   Main PID: 14362 (kubelet)\n")
        lines.append("     CGroup: /system.slice/kubelet.service\n")
        lines.append("             └─14362 /usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/"
                     "bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf "
                     "--config=/var/lib/kubelet/config.yaml\n")
    else:
        since = getattr(kl, "stopped_at", cluster.loop.now)
        lines.append(f"     Active: inactive (dead) since {_when(cluster, since)}; "
                     f"{_ago(cluster.loop.now - since)} ago\n")
        lines.append("       Docs: https://kubernetes.io/docs/\n")
    return "".join(lines)


def _ago(seconds: float) -> str:
    s = int(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}min {s % 60}s" if s % 60 else f"{s // 60}min"
    return f"{s // 3600}h {(s % 3600) // 60}min"


# the file:line klog prints for the messages kcore logs under another source than kubelet.go
KLOG_SOURCES = {'"command failed"': "run.go:72",
                '"Failed to ensure lease exists, will retry"': "controller.go:145"}


def journalctl(sh, args):
    kl = sh.cluster.hosts.get(sh.node)
    unit = None
    n = None
    it = iter(args)
    for a in it:
        if a == "-u":
            unit = next(it, "")
        elif a.startswith("-u"):
            unit = a[2:]
        elif a.startswith("--unit="):
            unit = a.split("=", 1)[1]
        elif a == "-n":
            n = int(next(it, "10"))
        elif a.startswith("--lines="):
            n = int(a.split("=", 1)[1])
    unit = (unit or "").removesuffix(".service")
    if unit != "kubelet" or kl is None:
        return Out("-- No entries --\n")
    out = []
    for t, line in kl.log:
        dt = _dt.datetime.fromtimestamp(int(sh.cluster.loop.wall(t)), tz=_dt.timezone.utc)
        stamp = dt.strftime("%b %d %H:%M:%S")
        if line.startswith(("Started ", "Stopping ", "Stopped ", "kubelet.service: ")):
            out.append(f"{stamp} {sh.node} systemd[1]: {line}")
        else:
            sev = "E" if "err=" in line or "failed" in line.lower() else "I"
            klog = dt.strftime("%m%d %H:%M:%S.000000")
            source = KLOG_SOURCES.get(line.split(" err=", 1)[0], "kubelet.go:1")
            out.append(f"{stamp} {sh.node} kubelet[14362]: {sev}{klog}   14362 {source}] {line}")
    if n is not None:
        out = out[-n:]
    return Out("".join(l + "\n" for l in out) or "-- No entries --\n")


def ps(sh, args):
    kl = sh.cluster.hosts.get(sh.node)
    rows = ["USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND"]
    pid = 1000
    if kl is not None and (kl.running or kl.unreachable):
        rows.append("root       14362  1.2  2.1 2043564 86100 ?      Ssl  00:00   0:10 /usr/bin/kubelet "
                    "--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf "
                    "--kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml "
                    "--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock "
                    "--pod-infra-container-image=registry.k8s.io/pause:3.10.1")
    if kl is not None:
        for c in kl.runtime.containers.values():
            if c.process is None or not c.process.alive:
                continue
            pid += 17
            rows.append(f"root       {pid:>5}  0.5  1.0 1000000 40000 ?      Ssl  00:00   0:01 "
                        + " ".join(c.process.argv))
    return Out("".join(r + "\n" for r in rows))
