"""HorizontalPodAutoscaler (autoscaling/v2): size a workload from its pods' resource use.

Every 15 seconds (kube-controller-manager's --horizontal-pod-autoscaler-sync-period) each
HPA reads its target's scale subresource, the pods the scale's selector picks, and their
usage from the resource metrics API. For a Resource metric with a Utilization target:

    utilization  = 100 * sum(usage) / sum(requests)          over the running pods
    ratio        = utilization / target
    desired      = ceil(ratio * pods)      unless |ratio - 1| <= 0.1 (the tolerance)

(AverageValue targets divide total usage by the target value). The largest proposal over all
metrics wins. It is then stabilized (scale-down takes the highest recommendation of the last
300 seconds, scale-up the lowest of `behavior.scaleUp.stabilizationWindowSeconds`, 0 by
default; a new HPA counts its target's current size as its first recommendation, so it never
shrinks the target in its first five minutes), limited by the scaling policies (by default up
by max(4 pods, 100 %) and down by 100 % per 15 s; `selectPolicy` Max, Min or Disabled) and
clamped to [minReplicas, maxReplicas]; the ScalingLimited condition says which rule bit. A
target outside [minReplicas, maxReplicas] is moved to the nearest bound first, metrics or not. A change is written to the scale
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
        self.scale_events: dict[tuple[str, str], list[tuple[float, int]]] = {}
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
            want = max(1, int(target.get("averageUtilization", 80)))
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
        lo, hi = int(spec.get("minReplicas", 1)), int(spec.get("maxReplicas", 1))
        if current > hi or current < lo:
            # outside the bounds: go to the nearest bound before looking at any metric
            desired = hi if current > hi else lo
            why = ("Current number of replicas above Spec.MaxReplicas" if current > hi
                   else "Current number of replicas below Spec.MinReplicas")
            scale["spec"]["replicas"] = desired
            self.client.update(rt, ns, scale, subresource="scale")
            self._record_scale(key, current, desired)
            self.event(hpa, "SuccessfulRescale", f"New size: {desired}; reason: {why}")
            self._set_cond(conds, "AbleToScale", "True", "SucceededRescale",
                           f"the HPA controller was able to update the target scale to {desired}", now)
            status.update(desiredReplicas=desired, lastScaleTime=now)
            return self._write(hpa, old, status, conds, old.get("currentMetrics"))
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
            except (MetricError, ValueError) as exc:     # ValueError: an unreadable quantity
                rname = (m.get("resource") or m.get("containerResource") or {}).get("name", "cpu")
                errors.append((rname, str(exc)))
                metrics.append({"type": ""})     # what the real controller leaves: a zero value
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
                # desiredReplicas keeps its last value (0 for a new HPA: "1 current / 0 desired")
                status["desiredReplicas"] = int(old.get("desiredReplicas", 0))
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
            self._record_scale(key, current, desired)
            reason = f"{desc} above target" if desired > current else "All metrics below target"
            self.event(hpa, "SuccessfulRescale", f"New size: {desired}; reason: {reason}")
            self._set_cond(conds, "AbleToScale", "True", "SucceededRescale",
                           f"the HPA controller was able to update the target scale to {desired}", now)
            status["lastScaleTime"] = now
        elif conds.get("AbleToScale", {}).get("reason") not in ("ScaleDownStabilized",
                                                                 "ScaleUpStabilized"):
            self._set_cond(conds, "AbleToScale", "True", "ReadyForNewScale",
                           "recommended size matches current size", now)
        return self._write(hpa, old, status, conds, metrics)

    def _rules(self, spec, direction: str) -> tuple[int, list[dict], str]:
        """(stabilization window, policies, selectPolicy) with the controller's defaults."""
        rules = (spec.get("behavior") or {}).get(direction) or {}
        if direction == "scaleUp":
            window, policies = 0, [{"type": "Pods", "value": 4, "periodSeconds": 15},
                                   {"type": "Percent", "value": 100, "periodSeconds": 15}]
        else:
            window, policies = DOWNSCALE_WINDOW, [{"type": "Percent", "value": 100,
                                                   "periodSeconds": 15}]
        window = int(rules.get("stabilizationWindowSeconds", window))
        return window, rules.get("policies") or policies, rules.get("selectPolicy", "Max")

    def _changed_within(self, key, direction, period) -> int:
        return sum(n for t, n in self.scale_events.get((key, direction), [])
                   if self.loop.now - t < period)

    def _rate_limit(self, key, spec, direction, current) -> int:
        _, policies, select = self._rules(spec, direction)
        if select == "Disabled":
            return current
        limits = []
        for p in policies:
            start = current - self._changed_within(key, direction, int(p.get("periodSeconds", 15))) \
                if direction == "scaleUp" else \
                current + self._changed_within(key, direction, int(p.get("periodSeconds", 15)))
            value = int(p.get("value", 0))
            if direction == "scaleUp":
                limits.append(start + value if p.get("type") == "Pods"
                              else math.ceil(start * (1 + value / 100)))
            else:
                limits.append(start - value if p.get("type") == "Pods"
                              else int(start * (1 - value / 100)))
        if not limits:
            return current
        if direction == "scaleUp":
            return max(limits) if select == "Max" else min(limits)
        return min(limits) if select == "Max" else max(limits)

    def _normalize(self, key, hpa, current, proposal, conds, now) -> int:
        """Stabilize the proposal, then apply rate limits and min/max (the v2 behavior rules)."""
        spec = hpa.get("spec") or {}
        lo, hi = int(spec.get("minReplicas", 1)), int(spec.get("maxReplicas", 1))
        up_window = self._rules(spec, "scaleUp")[0]
        down_window = self._rules(spec, "scaleDown")[0]
        # a new HPA starts from the current size, so it cannot scale down at once
        recs = self.recommendations.get(key, [(self.loop.now, current)])
        recs = [(t, r) for t, r in recs if self.loop.now - t < max(up_window, down_window, 1)]
        up, down = proposal, proposal
        for t, r in recs:
            if self.loop.now - t < up_window:
                up = min(up, r)
            if self.loop.now - t < down_window:
                down = max(down, r)
        recs.append((self.loop.now, proposal))
        self.recommendations[key] = recs
        stabilized = min(max(current, up), down)
        if stabilized != proposal:
            reason, msg = (("ScaleDownStabilized", "recent recommendations were higher than "
                            "current one, applying the highest recent recommendation")
                           if stabilized > proposal else
                           ("ScaleUpStabilized", "recent recommendations were lower than "
                            "current one, applying the lowest recent recommendation"))
            self._set_cond(conds, "AbleToScale", "True", reason, msg, now)
        desired, reason, msg = stabilized, "DesiredWithinRange", \
            "the desired count is within the acceptable range"
        if stabilized > current:
            limit = max(self._rate_limit(key, spec, "scaleUp", current), current)
            if hi > limit:
                cap, why, text = limit, "ScaleUpLimit", ("the desired replica count is increasing "
                                                         "faster than the maximum scale rate")
            else:
                cap, why, text = hi, "TooManyReplicas", ("the desired replica count is more than "
                                                         "the maximum replica count")
            if stabilized > cap:
                desired, reason, msg = cap, why, text
        elif stabilized < current:
            limit = min(self._rate_limit(key, spec, "scaleDown", current), current)
            if lo < limit:
                floor, why, text = limit, "ScaleDownLimit", ("the desired replica count is "
                                                             "decreasing faster than the maximum "
                                                             "scale rate")
            else:
                floor, why, text = lo, "TooFewReplicas", ("the desired replica count is less "
                                                          "than the minimum replica count")
            if stabilized < floor:
                desired, reason, msg = floor, why, text
        self._set_cond(conds, "ScalingLimited", "False" if reason == "DesiredWithinRange" else "True",
                       reason, msg, now)
        return desired

    def _record_scale(self, key, current, desired) -> None:
        direction = "scaleUp" if desired > current else "scaleDown"
        events = [(t, n) for t, n in self.scale_events.get((key, direction), [])
                  if self.loop.now - t < 1800]
        events.append((self.loop.now, abs(desired - current)))
        self.scale_events[(key, direction)] = events

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
