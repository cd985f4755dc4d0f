"""The pod row: READY, STATUS and RESTARTS as printPod computes them.

STATUS is a small state machine over the status block: it starts at the phase (or
`status.reason`), lets the first unfinished init container speak (`Init:0/2`,
`Init:CrashLoopBackOff`), then lets the containers speak, scanning from the last one so the
first container with something to say wins. Deletion overrides it all (`Terminating`).
RESTARTS adds `(5s ago)` from the newest last-termination time."""
from __future__ import annotations

from .common import g, parse_time, human_duration, age

__all__ = ["pod_cells", "POD_HEADERS", "POD_WIDE_HEADERS", "is_restartable_init"]

POD_HEADERS = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
POD_WIDE_HEADERS = ["IP", "NODE", "NOMINATED NODE", "READINESS GATES"]


def is_restartable_init(container) -> bool:
    return bool(container) and container.get("restartPolicy") == "Always"


def _terminated_reason(term: dict, prefix: str) -> str:
    if term.get("reason"):
        return prefix + term["reason"]
    if term.get("signal"):
        return f"{prefix}Signal:{term['signal']}"
    return f"{prefix}ExitCode:{term.get('exitCode', 0)}"


def _last_finished(status: dict) -> float | None:
    return parse_time(g(status, "lastState", "terminated", "finishedAt"))


def _condition_true(pod: dict, kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in g(pod, "status", "conditions", default=[]))


def pod_cells(pod: dict, now: float) -> tuple[list[str], list[str]]:
    """(default cells, wide cells) of one pod."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    phase = status.get("phase") or ""
    reason = status.get("reason") or phase
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    init_specs = {c.get("name"): c for c in spec.get("initContainers") or []}
    total = len(spec.get("containers") or [])
    total += sum(1 for c in init_specs.values() if is_restartable_init(c))
    ready = 0
    restarts = 0
    last_restart = None
    sidecar_restarts = 0
    sidecar_last = None

    def newer(a, b):
        return b if a is None or (b is not None and b > a) else a

    initializing = False
    init_statuses = status.get("initContainerStatuses") or []
    for i, cs in enumerate(init_statuses):
        restarts += int(cs.get("restartCount") or 0)
        last_restart = newer(last_restart, _last_finished(cs))
        sidecar = is_restartable_init(init_specs.get(cs.get("name")))
        if sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
            sidecar_last = newer(sidecar_last, _last_finished(cs))
        state = cs.get("state") or {}
        term, waiting = state.get("terminated"), state.get("waiting")
        if term is not None and int(term.get("exitCode") or 0) == 0:
            continue
        if sidecar and cs.get("started"):
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            reason = _terminated_reason(term, "Init:")
        elif waiting is not None and waiting.get("reason") and waiting["reason"] != "PodInitializing":
            reason = "Init:" + waiting["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break

    if not initializing or _condition_true(pod, "Initialized"):
        restarts, last_restart = sidecar_restarts, sidecar_last
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            last_restart = newer(last_restart, _last_finished(cs))
            state = cs.get("state") or {}
            waiting, term = state.get("waiting"), state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None:
                reason = _terminated_reason(term, "")
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            reason = "Running" if _condition_true(pod, "Ready") else "NotReady"

    deleting = g(pod, "metadata", "deletionTimestamp") is not None
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_text = str(restarts)
    if restarts and last_restart is not None:
        restarts_text = f"{restarts} ({human_duration(now - last_restart)} ago)"

    cells = [g(pod, "metadata", "name", default=""), f"{ready}/{total}", reason, restarts_text,
             age(pod, now)]

    ips = status.get("podIPs") or []
    ip = (ips[0].get("ip") if ips else "") or "<none>"
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        conds = status.get("conditions") or []
        true = 0
        for gate in gates:
            for cond in conds:
                if cond.get("type") == gate.get("conditionType"):
                    true += cond.get("status") == "True"
                    break
        gates_text = f"{true}/{len(gates)}"
    wide = [ip, spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
            gates_text]
    return cells, wide
