"""Pod status as the kubelet reports it, computed from what the pod worker knows.

Phase, the five conditions in kubelet order (PodReadyToStartContainers, Initialized, Ready,
ContainersReady, PodScheduled), per-container states (waiting/running/terminated, lastState,
restartCount, ready, started), pod and host IPs, start time and QoS class."""
from __future__ import annotations


def container_status(worker, cs) -> dict:
    loop = worker.loop
    spec = cs.spec
    st = {"name": cs.name, "image": spec.get("image", ""), "imageID": cs.image_id,
          "ready": cs.ready, "restartCount": cs.restarts, "started": cs.started}
    if cs.container is not None and (cs.running_since is not None or cs.terminated):
        st["containerID"] = f"containerd://{cs.container.id}"
    if cs.image_ref and cs.running_since is not None:
        st["image"] = _display_image(spec.get("image", ""), cs.image_ref)
    if cs.running_since is not None:
        st["state"] = {"running": {"startedAt": loop.timestamp(cs.running_since)}}
    elif cs.waiting is not None:
        reason, message = cs.waiting
        w = {"reason": reason}
        if message:
            w["message"] = message
        st["state"] = {"waiting": w}
    elif cs.terminated is not None:
        st["state"] = {"terminated": dict(cs.terminated)}
    else:
        st["state"] = {"waiting": {"reason": "PodInitializing"}}
    st["lastState"] = {"terminated": dict(cs.last_terminated)} if cs.last_terminated else {}
    if cs.kind == "init":
        st.pop("started", None) if cs.running_since is None and not cs.started else None
    mounts = [{"name": m.get("name"), "mountPath": m.get("mountPath"),
               **({"readOnly": True} if m.get("readOnly") else {}),
               **({"recursiveReadOnly": "Disabled"} if m.get("readOnly") else {})}
              for m in spec.get("volumeMounts") or []]
    if mounts:
        st["volumeMounts"] = mounts
    res = spec.get("resources") or {}
    if res:
        st["resources"] = {k: dict(v) for k, v in res.items() if k in ("requests", "limits") and v}
    st["user"] = {"linux": {"gid": 0, "supplementalGroups": [0], "uid": 0}}
    return st


def _display_image(spec_image: str, full_ref: str) -> str:
    return full_ref


def pod_status(worker, pod: dict) -> dict:
    loop = worker.loop
    old = pod.get("status") or {}
    inits = worker.inits
    conts = worker.containers
    init_done = worker.init_index >= len(inits)
    policy = (pod.get("spec") or {}).get("restartPolicy", "Always")
    # phase
    if worker.finished or (init_done and conts and all(
            c.terminated is not None and c.running_since is None and
            (policy == "Never" or (policy == "OnFailure" and c.terminated["exitCode"] == 0))
            for c in conts)):
        if inits and not init_done:
            phase = "Failed"
        elif all(c.terminated is not None and c.terminated["exitCode"] == 0 for c in conts):
            phase = "Succeeded"
        else:
            phase = "Failed"
    elif init_done and any(c.running_since is not None for c in conts):
        phase = "Running"
    elif init_done and conts and all(c.terminated is not None or c.last_terminated is not None
                                     for c in conts) and policy == "Always":
        phase = "Running"
    else:
        phase = "Pending"
    if worker.terminating and phase == "Running" and not any(c.running_since is not None for c in conts):
        phase = "Running"
    containers_ready = bool(conts) and all(c.ready for c in conts)
    now = loop.timestamp()
    conds = []

    def cond(type_, ok, reason=None, message=None):
        status = "True" if ok else "False"
        prev = worker.conditions_since.get(type_)
        if prev is None or prev[0] != status:
            worker.conditions_since[type_] = (status, now)
        c = {"type": type_, "status": status, "lastProbeTime": None,
             "lastTransitionTime": worker.conditions_since[type_][1]}
        if not ok and reason:
            c["reason"] = reason
        if not ok and message:
            c["message"] = message
        if ok and reason == "PodCompleted":
            c["reason"] = reason
        conds.append(c)

    not_ready = [c.name for c in conts if not c.ready]
    cond("PodReadyToStartContainers", worker.sandbox_ready)
    if phase == "Succeeded" or (phase == "Failed" and init_done):
        cond("Initialized", True, "PodCompleted")
    elif inits and not init_done:
        pending = [c.name for c in inits[worker.init_index:]]
        cond("Initialized", False, "ContainersNotInitialized",
             f"containers with incomplete status: [{' '.join(pending)}]")
    else:
        cond("Initialized", True)
    if phase in ("Succeeded", "Failed"):
        cond("Ready", False, "PodCompleted")
        cond("ContainersReady", False, "PodCompleted")
    else:
        msg = f"containers with unready status: [{' '.join(not_ready)}]"
        cond("Ready", containers_ready, "ContainersNotReady", msg)
        cond("ContainersReady", containers_ready, "ContainersNotReady", msg)
    sched = next((c for c in old.get("conditions") or [] if c.get("type") == "PodScheduled"), None)
    conds.append(sched or {"type": "PodScheduled", "status": "True", "lastProbeTime": None,
                           "lastTransitionTime": loop.timestamp(worker.start_time)})
    for c in conds:
        if c.get("reason") == "PodCompleted" and c["status"] == "True":
            pass
    status = {"observedGeneration": pod["metadata"].get("generation", 1), "phase": phase,
              "conditions": conds, "hostIP": worker.kubelet.node_ip,
              "hostIPs": [{"ip": worker.kubelet.node_ip}]}
    if worker.ip:
        status["podIP"] = worker.ip
        status["podIPs"] = [{"ip": worker.ip}]
    status["startTime"] = loop.timestamp(worker.start_time)
    if inits:
        status["initContainerStatuses"] = [container_status(worker, c) for c in inits]
    status["containerStatuses"] = [container_status(worker, c) for c in conts]
    status["qosClass"] = old.get("qosClass", "BestEffort")
    if old.get("nominatedNodeName"):
        pass
    return status
