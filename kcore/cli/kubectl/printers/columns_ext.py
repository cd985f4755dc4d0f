"""Row cells for the grouped kinds (apps, batch, rbac, networking, storage, policy, ...).

Same contract as columns_core: (object, now) -> (default cells, wide cells)."""
from __future__ import annotations

from .common import g, age, since, human_duration, parse_time, format_selector, format_labels, \
    quantity_str
from .columns_core import lb_ingress_string


def container_cells(containers):
    containers = containers or []
    return (",".join(c.get("name", "") for c in containers),
            ",".join(c.get("image", "") for c in containers))


def _name(obj):
    return g(obj, "metadata", "name", default="")


def _int(value) -> str:
    return str(int(value or 0))


def deployment_cells(d, now):
    spec, status = d.get("spec") or {}, d.get("status") or {}
    replicas = spec.get("replicas", 1)
    cells = [_name(d), f"{_int(status.get('readyReplicas'))}/{_int(replicas)}",
             _int(status.get("updatedReplicas")), _int(status.get("availableReplicas")), age(d, now)]
    names, images = container_cells(g(spec, "template", "spec", "containers"))
    from .common import selector_string
    return cells, [names, images, selector_string(spec.get("selector"))]


def replicaset_cells(rs, now):
    spec, status = rs.get("spec") or {}, rs.get("status") or {}
    cells = [_name(rs), _int(spec.get("replicas", 1)), _int(status.get("replicas")),
             _int(status.get("readyReplicas")), age(rs, now)]
    names, images = container_cells(g(spec, "template", "spec", "containers"))
    return cells, [names, images, format_selector(spec.get("selector"))]


def daemonset_cells(ds, now):
    spec, status = ds.get("spec") or {}, ds.get("status") or {}
    cells = [_name(ds), _int(status.get("desiredNumberScheduled")),
             _int(status.get("currentNumberScheduled")), _int(status.get("numberReady")),
             _int(status.get("updatedNumberScheduled")), _int(status.get("numberAvailable")),
             format_labels(g(spec, "template", "spec", "nodeSelector")), age(ds, now)]
    names, images = container_cells(g(spec, "template", "spec", "containers"))
    return cells, [names, images, format_selector(spec.get("selector"))]


def statefulset_cells(sts, now):
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    cells = [_name(sts), f"{_int(status.get('readyReplicas'))}/{_int(spec.get('replicas', 1))}",
             age(sts, now)]
    return cells, list(container_cells(g(spec, "template", "spec", "containers")))


def _condition_true(obj, kind):
    return any(c.get("type") == kind and c.get("status") == "True"
               for c in g(obj, "status", "conditions", default=[]))


def job_status(job) -> str:
    if _condition_true(job, "Complete"):
        return "Complete"
    if _condition_true(job, "Failed"):
        return "Failed"
    if g(job, "metadata", "deletionTimestamp"):
        return "Terminating"
    for kind in ("Suspended", "FailureTarget", "SuccessCriteriaMet"):
        if _condition_true(job, kind):
            return kind
    return "Running"


def job_duration(job, now) -> str:
    start = parse_time(g(job, "status", "startTime"))
    if start is None:
        return ""
    done = parse_time(g(job, "status", "completionTime"))
    return human_duration((done if done is not None else now) - start)


def job_cells(job, now):
    spec, status = job.get("spec") or {}, job.get("status") or {}
    succeeded = _int(status.get("succeeded"))
    if spec.get("completions") is not None:
        completions = f"{succeeded}/{spec['completions']}"
    elif (spec.get("parallelism") or 0) > 1:
        completions = f"{succeeded}/1 of {spec['parallelism']}"
    else:
        completions = f"{succeeded}/1"
    cells = [_name(job), job_status(job), completions, job_duration(job, now), age(job, now)]
    names, images = container_cells(g(spec, "template", "spec", "containers"))
    return cells, [names, images, format_selector(spec.get("selector"))]


def _bool_ptr(value) -> str:
    if value is None:
        return "<unset>"
    return "true" if value else "false"


def cronjob_cells(cj, now):
    spec, status = cj.get("spec") or {}, cj.get("status") or {}
    last = status.get("lastScheduleTime")
    cells = [_name(cj), spec.get("schedule", ""), spec.get("timeZone") or "<none>",
             _bool_ptr(spec.get("suspend")), str(len(status.get("active") or [])),
             since(last, now) if last else "<none>", age(cj, now)]
    tmpl = g(spec, "jobTemplate", "spec", default={})
    names, images = container_cells(g(tmpl, "template", "spec", "containers"))
    return cells, [names, images, format_selector(tmpl.get("selector"))]


def _subjects(obj):
    users, groups, sas = [], [], []
    for subject in obj.get("subjects") or []:
        kind = subject.get("kind")
        if kind == "User":
            users.append(subject.get("name", ""))
        elif kind == "Group":
            groups.append(subject.get("name", ""))
        elif kind == "ServiceAccount":
            sas.append(f"{subject.get('namespace', '')}/{subject.get('name', '')}")
    return ", ".join(users), ", ".join(groups), ", ".join(sas)


def rolebinding_cells(rb, now):
    ref = rb.get("roleRef") or {}
    return [_name(rb), f"{ref.get('kind', '')}/{ref.get('name', '')}", age(rb, now)], list(_subjects(rb))


def created_at_cells(obj, now):
    return [_name(obj), g(obj, "metadata", "creationTimestamp", default="<unknown>")], []


def networkpolicy_cells(np, now):
    return [_name(np), format_selector(g(np, "spec", "podSelector")), age(np, now)], []


def ingress_cells(ing, now, wide=False):
    spec = ing.get("spec") or {}
    rules = spec.get("rules") or []
    hosts, more = [], False
    for rule in rules:
        if len(hosts) == 3:
            more = True
        if not more and rule.get("host"):
            hosts.append(rule["host"])
    if not hosts:
        hosts_text = "*"
    elif more:
        hosts_text = f"{','.join(hosts)} + {len(rules) - 3} more..."
    else:
        hosts_text = ",".join(hosts)
    address = lb_ingress_string(g(ing, "status", "loadBalancer", "ingress"), wide)
    ports = "80, 443" if spec.get("tls") else "80"
    return [_name(ing), spec.get("ingressClassName") or "<none>", hosts_text, address, ports,
            age(ing, now)], []


def ingressclass_cells(ic, now):
    params = g(ic, "spec", "parameters")
    text = "<none>"
    if params:
        text = params.get("kind", "")
        if params.get("apiGroup"):
            text += "." + params["apiGroup"]
        text += "/" + params.get("name", "")
    return [_name(ic), g(ic, "spec", "controller", default=""), text, age(ic, now)], []


def storageclass_cells(sc, now):
    annotations = g(sc, "metadata", "annotations", default={})
    name = _name(sc)
    if "true" in (annotations.get("storageclass.kubernetes.io/is-default-class"),
                  annotations.get("storageclass.beta.kubernetes.io/is-default-class")):
        name += " (default)"
    return [name, sc.get("provisioner", ""), sc.get("reclaimPolicy") or "Delete",
            sc.get("volumeBindingMode") or "Immediate",
            "true" if sc.get("allowVolumeExpansion") else "false", age(sc, now)], []


def resourcequota_cells(rq, now):
    hard = g(rq, "status", "hard", default={})
    used = g(rq, "status", "used", default={})
    requests, limits = [], []
    for resource in sorted(hard):
        piece = f"{resource}: {quantity_str(used.get(resource))}/{quantity_str(hard[resource])}"
        (limits if resource.split(".")[0] == "limits" and "." in resource else requests).append(piece)
    return [_name(rq), ", ".join(requests), ", ".join(limits), age(rq, now)], []


def priorityclass_cells(pc, now):
    return [_name(pc), str(pc.get("value", 0)), "true" if pc.get("globalDefault") else "false",
            age(pc, now), pc.get("preemptionPolicy") or "PreemptLowerPriority"], []


def pdb_cells(pdb, now):
    spec = pdb.get("spec") or {}
    min_a = spec.get("minAvailable")
    max_u = spec.get("maxUnavailable")
    return [_name(pdb), "N/A" if min_a is None else str(min_a), "N/A" if max_u is None else str(max_u),
            _int(g(pdb, "status", "disruptionsAllowed")), age(pdb, now)], []


def csr_condition(csr) -> str:
    kinds = {c.get("type") for c in g(csr, "status", "conditions", default=[])}
    text = "Denied" if "Denied" in kinds else "Approved" if "Approved" in kinds else "Pending"
    if "Failed" in kinds:
        text += ",Failed"
    if g(csr, "status", "certificate"):
        text += ",Issued"
    return text


def csr_cells(csr, now):
    spec = csr.get("spec") or {}
    seconds = spec.get("expirationSeconds")
    return [_name(csr), age(csr, now), spec.get("signerName") or "<none>", spec.get("username", ""),
            "<none>" if seconds is None else human_duration(seconds), csr_condition(csr)], []


def lease_cells(lease, now):
    return [_name(lease), g(lease, "spec", "holderIdentity", default=""), age(lease, now)], []


def _hpa_metrics(specs, statuses) -> str:
    if not specs:
        return "<none>"
    items = []
    for i, spec in enumerate(specs):
        status = statuses[i] if i < len(statuses) else {}
        kind = spec.get("type")
        if kind == "Resource" or kind == "ContainerResource":
            key = "resource" if kind == "Resource" else "containerResource"
            target = g(spec, key, "target", default={})
            name = g(spec, key, "name", default="")
            current = "<unknown>"
            if target.get("averageValue") is not None:
                if g(status, key, "current", "averageValue") is not None:
                    current = quantity_str(g(status, key, "current", "averageValue"))
                items.append(f"{name}: {current}/{quantity_str(target['averageValue'])}")
            else:
                if g(status, key, "current", "averageUtilization") is not None:
                    current = f"{g(status, key, 'current', 'averageUtilization')}%"
                util = target.get("averageUtilization")
                items.append(f"{name}: {current}/{'<auto>' if util is None else f'{util}%'}")
        elif kind == "Pods":
            target = quantity_str(g(spec, "pods", "target", "averageValue"))
            current = g(status, "pods", "current", "averageValue")
            items.append(f"{quantity_str(current) if current is not None else '<unknown>'}/{target}")
        else:
            key = {"Object": "object", "External": "external"}.get(kind, "")
            target = g(spec, key, "target", default={})
            want = target.get("value") if target.get("value") is not None else target.get("averageValue")
            cur = g(status, key, "current", "value")
            if cur is None:
                cur = g(status, key, "current", "averageValue")
            items.append(f"{quantity_str(cur) if cur is not None else '<unknown>'}/"
                         f"{quantity_str(want)}{' (avg)' if target.get('averageValue') is not None and target.get('value') is None and kind == 'External' else ''}")
    if len(items) > 2:
        return f"{', '.join(items[:2])} + {len(items) - 2} more..."
    return ", ".join(items)


def hpa_cells(hpa, now):
    spec = hpa.get("spec") or {}
    ref = spec.get("scaleTargetRef") or {}
    min_pods = spec.get("minReplicas")
    return [_name(hpa), f"{ref.get('kind', '')}/{ref.get('name', '')}",
            _hpa_metrics(spec.get("metrics") or [], g(hpa, "status", "currentMetrics", default=[])),
            "<unset>" if min_pods is None else str(min_pods), _int(spec.get("maxReplicas")),
            _int(g(hpa, "status", "currentReplicas")), age(hpa, now)], []


def controllerrevision_cells(cr, now):
    owner = next((o for o in g(cr, "metadata", "ownerReferences", default=[]) if o.get("controller")),
                 None)
    controller = "<none>"
    if owner:
        group = owner.get("apiVersion", "").rpartition("/")[0]
        kind = owner.get("kind", "") + (f".{group}" if group else "")
        controller = f"{kind.lower()}/{owner.get('name', '')}"
    return [_name(cr), controller, str(cr.get("revision", 0)), age(cr, now)], []
