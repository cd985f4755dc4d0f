"""kubectl describe: a readable account of objects, with what they relate to and their events.

The describers (printers/describe*.py) are pure; this verb fetches what each one shows —
events about the object, a Node's pods, a Deployment's ReplicaSets, a Service's Endpoints."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, resources
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("selector", "l"), Flag("all-namespaces", "A", kind="bool"),
         Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
         Flag("show-events", kind="bool", default=True), Flag("chunk-size", kind="int")]


def _events_for(ctx, obj):
    md = obj["metadata"]
    ns = md.get("namespace") or "default"
    evs = ctx.client.list("events", None if not md.get("namespace") else ns,
                          field_selector=f"involvedObject.name={md['name']}")["items"]
    uid = md.get("uid")
    kind = obj.get("kind")
    if kind == "Pod":
        # kubectl's pod describer searches without a kind, and for a mirror pod with the
        # static pod's UID (the kubernetes.io/config.mirror annotation) instead of its own
        kind = None
        uid = (md.get("annotations") or {}).get("kubernetes.io/config.mirror") or uid
    evs = [e for e in evs if (kind is None or (e.get("involvedObject") or {}).get("kind") == kind)
           and (not uid or (e.get("involvedObject") or {}).get("uid") in (uid, None))]
    return evs  # in the server's order; the printer sorts them as kubectl's sort.Sort does


def _related(ctx, rt, obj):
    client = ctx.client
    md = obj["metadata"]
    ns = md.get("namespace")
    if rt.plural == "nodes":
        pods = client.list("pods", None, field_selector=f"spec.nodeName={md['name']}")["items"]
        lease = client.try_get("leases", "kube-node-lease", md["name"])
        return {"pods": pods, "lease": lease}
    if rt.plural == "deployments":
        sets = [rs for rs in client.list("replicasets", ns)["items"]
                if any(r.get("uid") == md.get("uid") for r in rs["metadata"].get("ownerReferences") or [])]
        return {"replicasets": sets}
    if rt.plural == "services":
        return {"endpoints": client.try_get("endpoints", ns, md["name"]),
                "endpointslices": [s for s in client.list("endpointslices", ns)["items"]
                                   if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") == md["name"]]}
    if rt.plural in ("replicasets", "replicationcontrollers", "daemonsets", "statefulsets", "jobs"):
        pods = [p for p in client.list("pods", ns)["items"]
                if any(r.get("uid") == md.get("uid") for r in p["metadata"].get("ownerReferences") or [])]
        return {"pods": pods}
    if rt.plural == "namespaces":
        return {"resourcequotas": client.list("resourcequotas", md["name"])["items"],
                "limitranges": client.list("limitranges", md["name"])["items"]}
    if rt.plural == "serviceaccounts":
        return {"secrets": []}
    if rt.plural == "persistentvolumeclaims":
        pods = [p for p in client.list("pods", ns)["items"]
                if any((v.get("persistentVolumeClaim") or {}).get("claimName") == md["name"]
                       for v in (p.get("spec") or {}).get("volumes") or [])]
        return {"pods": pods}
    if rt.plural == "ingresses":
        names = set()
        spec = obj.get("spec") or {}
        dflt = ((spec.get("defaultBackend") or {}).get("service") or {}).get("name")
        if dflt:
            names.add(dflt)
        for rule in spec.get("rules") or []:
            for pth in ((rule.get("http") or {}).get("paths") or []):
                n = (((pth.get("backend") or {}).get("service")) or {}).get("name")
                if n:
                    names.add(n)
        services = {}
        for n in sorted(names):
            svc = client.try_get("services", ns, n)
            if svc is not None:
                services[n] = svc
        return {"services": services,
                "endpointslices": [s for s in client.list("endpointslices", ns)["items"]
                                   if (s["metadata"].get("labels") or {}).get("kubernetes.io/service-name") in names]}
    if rt.plural == "cronjobs":
        return {"jobs": [j for j in client.list("jobs", ns)["items"]
                         if any(r.get("uid") == md.get("uid") for r in j["metadata"].get("ownerReferences") or [])]}
    return None


def run(ctx, p):
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl import format_api_error
    from kcore.cli.kubectl.printers.describe import describe
    if not p.args and not p["filename"]:
        raise KubectlError("You must specify the type of resource to describe. Use \"kubectl "
                           "api-resources\" for a complete list of supported resources.")
    objs = []
    code = 0
    if p["filename"]:
        from kcore.cli.kubectl import targets
        objs = targets.select(ctx, p)
    else:
        reqs = resources.parse_args(p.args)
        for rt, name in reqs:
            ns = None if (p["all-namespaces"] or not rt.namespaced) else ctx.namespace
            if name:
                try:
                    objs.append((rt, ctx.client.get(rt, ns, name)))
                except ApiError as exc:
                    if exc.reason != "NotFound":
                        raise
                    # describe accepts a name prefix: `describe pod web` finds web-7c5d…
                    cands = [o for o in ctx.client.list(rt, ns)["items"]
                             if o["metadata"]["name"].startswith(name)]
                    if not cands:
                        ctx.err(format_api_error(exc))
                        code = 1
                    objs.extend((rt, o) for o in cands)
            else:
                lst = ctx.client.list(rt, ns, label_selector=p["selector"] or "")["items"]
                if not lst:
                    from kcore.cli.kubectl.printers.output import no_resources_message
                    ctx.err(no_resources_message(ctx.namespace, all_namespaces=p["all-namespaces"],
                                                 namespaced=rt.namespaced), end="")
                objs.extend((rt, o) for o in lst)
    texts = []
    for rt, obj in objs:
        events = _events_for(ctx, obj) if p["show-events"] else None
        texts.append(describe(rt.kind, obj, events, ctx.now(), related=_related(ctx, rt, obj)))
    if texts:
        from kcore.cli.kubectl.printers.describe import join_descriptions
        ctx.out(join_descriptions(texts), end="")
    return code
