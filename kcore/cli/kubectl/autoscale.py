"""kubectl autoscale: create a HorizontalPodAutoscaler for a Deployment/ReplicaSet/StatefulSet."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError, output as out_fmt, resources, targets
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("min", kind="int", default=-1), Flag("max", kind="int", default=-1),
         Flag("cpu-percent", kind="int", default=-1), Flag("cpu"), Flag("memory"), Flag("name"),
         Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
         Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool")]


def run(ctx, p):
    if p["max"] < 1:
        raise KubectlError("--max=MAXPODS is required and must be at least 1, max: -1" if p["max"] < 0
                           else f"--max=MAXPODS is required and must be at least 1, max: {p['max']}")
    for rt, obj in targets.select(ctx, p):
        name = p["name"] or obj["metadata"]["name"]
        spec = {"scaleTargetRef": {"apiVersion": obj["apiVersion"], "kind": obj["kind"],
                                   "name": obj["metadata"]["name"]}, "maxReplicas": p["max"]}
        if p["min"] >= 1:
            spec["minReplicas"] = p["min"]
        pct = p["cpu-percent"] if p["cpu-percent"] >= 0 else None
        if p["cpu"]:
            pct = int(p["cpu"].rstrip("%")) if p["cpu"].endswith("%") else pct
        if pct is not None:
            spec["metrics"] = [{"type": "Resource", "resource": {"name": "cpu", "target": {
                "type": "Utilization", "averageUtilization": pct}}}]
        hpa = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
               "metadata": {"name": name}, "spec": spec}
        hrt = resources.lookup("horizontalpodautoscalers")
        created = ctx.client.create(hrt, targets.ns_of(rt, obj), hpa)
        out_fmt.success(ctx, out_fmt.OutputFormat.parse(p.get("output")), hrt, created, "autoscaled")
    ctx.settle()
    return 0
