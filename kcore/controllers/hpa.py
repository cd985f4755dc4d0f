"""HorizontalPodAutoscaler (autoscaling/v2): size a workload from its pods' resource use.

Every 15 seconds (kube-controller-manager's --horizontal-pod-autoscaler-sync-period) each
HPA reads its target's scale subresource, the pods the scale's selector picks, and their
usage from the resource metrics API. For a Resource metric with a Utilization target:

    utilization  = 100 * sum(usage) / sum(requests)          over the running pods
    ratio        = utilization / target
    desired      = ceil(ratio * pods)      unless |ratio - 1| <= 0.1 (the tolerance)

(AverageValue targets divide total usage by the target value). The largest proposal over all
metrics wins; it is clamped to [minReplicas, maxReplicas], scale-up is limited to
max(2 x current, current + 4) per period, and scale-down takes the highest recommendation of
the last 300 seconds (the default stabilization window; a new HPA counts its target's current
size as its first recommendation, so it never shrinks the target in its first five minutes). A change is written to the scale
subresource with the event `SuccessfulRescale` ("New size: 4; reason: cpu resource
utilization (percentage of request) above target").

The metrics come from `manager.options["cluster"].metrics.pod_usage(ns, name)`, either
`(cpu_millis, memory_bytes)` or per container `[(name, cpu_millis, memory_bytes)]`, and only while metrics-server runs (`cluster.metrics_available`).
Without them the HPA reports what a cluster without metrics-server shows: ScalingActive False,
FailedGetResourceMetric, and `<unknown>` in kubectl's TARGETS column."""
from __future__ import annotations

import math

from kcore.apiserver import ApiError
from kcore.api import kinds
from kcore.controllers.base import Controller, key_of, split_key
from kcore.machinery import labels as labels_mod
from kcore.machinery import quantity

SYNC_PERIOD = 15
TOLERANCE = 0.1
DOWNSCALE_WINDOW = 300
NO_METRICS = "unable to get metrics for resource {r}: no metrics returned from resource metrics API"


class MetricError(Exception):
    pass


def _q(text) -> quantity.Quantity:
    return quantity.parse(str(text))


def _fmt_milli(m: int) -> str:
    return f"{m}m" if m % 1000 else str(m // 1000)


class HPAController(Controller):
    name = "horizontalpodautoscaling"
    component_name = "horizontal-pod-autoscaler"

    def setup(self) -> None:
        self.hpas = self.informer("horizontalpodautoscalers")
        self.pods = self.informer("pods")
        self.recommendations: dict[str, list[tuple[float, int]]] = {}
        self.hpas.add_handler(self._on_hpa)

    def _on_hpa(self, etype, hpa, old) -> None:
        key = key_of(hpa)
        if etype == "DELETED":
            self.recommendations.pop(key, None)
            return
        if old is None or (old.get("spec") != hpa.get("spec")):
            self.enqueue(key)

    # -- metrics ------------------------------------------------------------------------
    def _source(self):
        cluster = self.manager.options.get("cluster")
        if cluster is None or not getattr(cluster, "metrics_available", False):
            return None
        src = getattr(cluster, "metrics", None)
        return src if src is not None and hasattr(src, "pod_usage") else None

    def _pod_metric(self, src, pod, resource: str):
        md = pod["metadata"]
        try:
            got = src.pod_usage(md["namespace"], md["name"])
        except (KeyError, LookupError):
            got = None
        if got is None:
            return None
        if isinstance(got, list):           # per container: [(name, cpu_millis, memory_bytes)]
            cpu, mem = sum(int(x[1]) for x in got), sum(int(x[2]) for x in got)
        else:
            cpu, mem = got
        return int(cpu) if resource == "cpu" else int(mem) * 1000   # memory in milli-bytes

    @staticmethod
    def _request(pod, resource: str) -> int | None:
        total = 0
        for c in (pod.get("spec") or {}).get("containers") or []:
            req = ((c.get("resources") or {}).get("requests") or {}).get(resource)
            if req is None:
                raise MetricError(f"missing request for {resource} in container {c.get('name')} "
                                  f"of Pod {pod['metadata']['name']}")
            total += _q(req).milli_value()
        return total

    def _resource_replicas(self, metric, pods, current: int):
        """(proposed replicas, currentMetric status entry, description) for one metric."""
        res = metric.get("resource") or metric.get("containerResource") or {}
        rname = res.get("name", "cpu")
        target = res.get("target") or {}
        src = self._source()
        if src is None:
            raise MetricError(f"failed to get {rname} utilization: " + NO_METRICS.format(r=rname))
        running = [p for p in pods if (p.get("status") or {}).get("phase") == "Running"
                   and not p["metadata"].get("deletionTimestamp")]
        usage: dict[str, int] = {}
        for p in running:
            u = self._pod_metric(src, p, rname)
            if u is not None:
                usage[p["metadata"]["name"]] = u
        if not usage:
            raise MetricError(f"failed to get {rname} utilization: " + NO_METRICS.format(r=rname))
        counted = [p for p in running if p["metadata"]["name"] in usage]
        total_usage = sum(usage.values())
        avg_milli = total_usage // len(counted)
        avg_value = _fmt_milli(avg_milli) if rname == "cpu" else str(avg_milli // 1000)
        if target.get("type", "Utilization") == "Utilization":
            requests = 0
            for p in counted:
                try:
                    requests += self._request(p, rname)
                except MetricError as exc:
                    raise MetricError(f"failed to get {rname} utilization: {exc}") from None
            if requests <= 0:
                raise MetricError(f"failed to get {rname} utilization: no requests")
            utilization = int(total_usage * 100 / requests)
            want = int(target.get("averageUtilization", 80))
            ratio = (total_usage * 100 / requests) / want
            desc = f"{rname} resource utilization (percentage of request)"
            current_status = {"averageUtilization": utilization, "averageValue": avg_value}
        else:
            want_milli = _q(target.get("averageValue", "0")).milli_value()
            if rname != "cpu":
                want_milli = _q(target.get("averageValue", "0")).milli_value()
            ratio = (total_usage / len(counted)) / want_milli if want_milli else 1.0
            desc = f"{rname} resource"
            current_status = {"averageValue": avg_value}
        if abs(ratio - 1.0) <= TOLERANCE:
            proposal = current
        else:
            proposal = math.ceil(ratio * len(counted))
        entry = {"type": "Resource", "resource": {"name": rname, "current": current_status}}
        return proposal, entry, desc, ratio

    # -- reconcile ----------------------------------------------------------------------
    def reconcile(self, key: str):
        ns, name = split_key(key)
        hpa = self.hpas.get(ns, name)
        if hpa is None:
            return None
        self.enqueue_after(key, SYNC_PERIOD, background=True)
        spec = hpa.get("spec") or {}
        ref = spec.get("scaleTargetRef") or {}
        old = hpa.get("status") or {}
        now = self.loop.timestamp()
        conds = {c["type"]: c for c in old.get("conditions") or []}
        try:
            rt = kinds.lookup(ref.get("kind", ""))
            scale = self.client.get(rt, ns, ref.get("name", ""), subresource="scale")
        except (ApiError, kinds.UnknownResource) as exc:
            group = ""
            plural = (ref.get("kind") or "").lower() + "s"
            try:
                rt = kinds.lookup(ref.get("kind", ""))
                plural, group = rt.plural, rt.group
            except kinds.UnknownResource:
                pass
            what = f"{plural}/scale" + (f".{group}" if group else "")
            msg = (f"the HPA controller was unable to get the target's current scale: "
                   f"{what} \"{ref.get('name', '')}\" not found") \
                if not isinstance(exc, ApiError) or exc.reason == "NotFound" else \
                f"the HPA controller was unable to get the target's current scale: {exc}"
            self.event(hpa, "FailedGetScale", msg.split(": ", 1)[1], "Warning")
            self._set_cond(conds, "AbleToScale", "False", "FailedGetScale", msg, now)
            return self._write(hpa, old, {"currentReplicas": old.get("currentReplicas", 0),
                                          "desiredReplicas": old.get("desiredReplicas", 0)},
                               conds, old.get("currentMetrics"))
        current = int((scale.get("spec") or {}).get("replicas", 0))
        status = {"currentReplicas": int((scale.get("status") or {}).get("replicas", 0)),
                  "desiredReplicas": current}
        if old.get("lastScaleTime"):
            status["lastScaleTime"] = old["lastScaleTime"]
        self._set_cond(conds, "AbleToScale", "True", "SucceededGetScale",
                       "the HPA controller was able to get the target's current scale", now)
        if current == 0 and int(spec.get("minReplicas", 1)) != 0:
            self._set_cond(conds, "ScalingActive", "False", "ScalingDisabled",
                           "scaling is disabled since the replica count of the target is zero", now)
            return self._write(hpa, old, status, conds, None)
        try:
            sel = labels_mod.parse((scale.get("status") or {}).get("selector") or "")
        except labels_mod.SelectorError:
            sel = None
        pods = [p for p in self.pods.list(ns)
                if sel is not None and not sel.empty and sel.matches(p["metadata"].get("labels") or {})]
        proposal, desc, metrics, errors = None, "", [], []
        above = False
        for m in spec.get("metrics") or []:
            if m.get("type") not in ("Resource", "ContainerResource"):
                errors.append((m.get("type", ""), f"unsupported metric type {m.get('type')}"))
                continue
            try:
                p, entry, d, ratio = self._resource_replicas(m, pods, current)
            except MetricError as exc:
                rname = (m.get("resource") or m.get("containerResource") or {}).get("name", "cpu")
                errors.append((rname, str(exc)))
                metrics.append({"type": "Resource", "resource": {"name": rname, "current": {}}})
                continue
            metrics.append(entry)
            if proposal is None or p > proposal:
                proposal, desc, above = p, d, ratio > 1
        if errors:
            rname, first = errors[0]
            self.event(hpa, "FailedGetResourceMetric", first, "Warning")
            self.event(hpa, "FailedComputeMetricsReplicas",
                       f"invalid metrics ({len(errors)} invalid out of "
                       f"{len(spec.get('metrics') or [])}), first error is: failed to get "
                       f"{rname} resource metric value: {first}", "Warning")
            if proposal is None:
                self._set_cond(conds, "ScalingActive", "False", "FailedGetResourceMetric",
                               f"the HPA was unable to compute the replica count: {first}", now)
                return self._write(hpa, old, status, conds, metrics)
        self._set_cond(conds, "ScalingActive", "True", "ValidMetricFound",
                       f"the HPA was able to successfully calculate a replica count from {desc}", now)
        desired = self._normalize(key, hpa, current, proposal, conds, now)
        status["desiredReplicas"] = desired
        if desired != current:
            try:
                scale["spec"]["replicas"] = desired
                self.client.update(rt, ns, scale, subresource="scale")
            except ApiError as exc:
                self._set_cond(conds, "AbleToScale", "False", "FailedUpdateScale",
                               f"the HPA controller was unable to update the target scale: {exc.message}",
                               now)
                self.event(hpa, "FailedRescale", f"New size: {desired}; reason: {desc} "
                           f"{'above' if above else 'below'} target; error: {exc.message}", "Warning")
                return self._write(hpa, old, status, conds, metrics)
            reason = f"{desc} above target" if desired > current else "All metrics below target"
            self.event(hpa, "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
            self._set_cond(conds, "AbleToScale", "True", "SucceededRescale",
                           f"the HPA controller was able to update the target scale to {desired}", now)
            status["lastScaleTime"] = now
        else:
            self._set_cond(conds, "AbleToScale", "True", "ReadyForNewScale",
                           "recommended size matches current size", now)
        return self._write(hpa, old, status, conds, metrics)

    def _normalize(self, key, hpa, current, proposal, conds, now) -> int:
        spec = hpa.get("spec") or {}
        lo, hi = int(spec.get("minReplicas", 1)), int(spec.get("maxReplicas", 1))
        # a new HPA starts from the current size, so it cannot scale down at once
        recs = [(t, r) for t, r in self.recommendations.get(key, [(self.loop.now, current)])
                if self.loop.now - t < DOWNSCALE_WINDOW]
        recs.append((self.loop.now, proposal))
        self.recommendations[key] = recs
        stabilized = proposal if proposal >= current else min(current, max(r for _, r in recs))
        up_limit = max(2 * current, current + 4)
        desired = min(stabilized, up_limit)
        if desired > hi:
            self._set_cond(conds, "ScalingLimited", "True", "TooManyReplicas",
                           "the desired replica count is more than the maximum replica count", now)
            return hi
        if desired < lo:
            self._set_cond(conds, "ScalingLimited", "True", "TooFewReplicas",
                           "the desired replica count is less than the minimum replica count", now)
            return lo
        if desired < stabilized:
            self._set_cond(conds, "ScalingLimited", "True", "ScaleUpLimit",
                           "the desired replica count is increasing faster than the maximum scale rate",
                           now)
            return desired
        self._set_cond(conds, "ScalingLimited", "False", "DesiredWithinRange",
                       "the desired count is within the acceptable range", now)
        return desired

    @staticmethod
    def _set_cond(conds, ctype, status, reason, message, now) -> None:
        prev = conds.get(ctype)
        since = prev["lastTransitionTime"] if prev and prev.get("status") == status else now
        conds[ctype] = {"type": ctype, "status": status, "lastTransitionTime": since,
                        "reason": reason, "message": message}

    def _write(self, hpa, old, status, conds, metrics):
        order = ("AbleToScale", "ScalingActive", "ScalingLimited")
        status["conditions"] = [conds[t] for t in order if t in conds] + \
            [c for t, c in conds.items() if t not in order]
        if metrics:
            status["currentMetrics"] = metrics
        if status != old:
            body = dict(hpa)
            body["status"] = status
            self.client.update_status("horizontalpodautoscalers", hpa["metadata"]["namespace"], body)
        return None
