"""Jobs: run pods until enough of them succeed.

Up to `parallelism` pods run at once until `completions` have succeeded; each failed pod
counts toward `backoffLimit`. Success is recorded as the SuccessCriteriaMet and Complete
conditions (`Job completed` event); too many failures as FailureTarget and Failed
(`BackoffLimitExceeded`: "Job has reached the specified backoff limit"). TTLAfterFinished
deletes finished Jobs after `ttlSecondsAfterFinished`."""
from __future__ import annotations

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, key_of, split_key
from kcore.controllers.podcontrol import OwnedPods, is_ready, pod_from_template


def finished(job) -> str | None:
    for c in (job.get("status") or {}).get("conditions") or []:
        if c.get("type") in ("Complete", "Failed") and c.get("status") == "True":
            return c["type"]
    return None


class JobController(Controller):
    name = "job"
    component_name = "job-controller"

    def setup(self) -> None:
        self.owned = OwnedPods("Job")
        self.jobs = self.informer("jobs")
        self.pods = self.informer("pods")
        self.jobs.add_handler(lambda et, j, old: et != "DELETED" and self.enqueue(key_of(j)))
        self.pods.add_handler(self._on_pod)

    def _on_pod(self, etype, pod, old):
        self.owned.observe(pod, deleted=etype == "DELETED")
        self.enqueue_owner(pod, "Job")

    def reconcile(self, key: str):
        ns, name = split_key(key)
        job = self.jobs.get(ns, name)
        if job is None or job["metadata"].get("deletionTimestamp") or finished(job):
            return None
        spec = job.get("spec") or {}
        if spec.get("suspend"):
            return self._status(job, [], 0, 0)
        pods = self.owned.pods(job["metadata"]["uid"])
        succeeded = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Succeeded")
        failed = sum(1 for p in pods if (p.get("status") or {}).get("phase") == "Failed")
        # container restarts under OnFailure count toward the backoff limit too
        restarts = sum(cs.get("restartCount", 0) for p in pods
                       for cs in (p.get("status") or {}).get("containerStatuses") or [])
        active = [p for p in pods if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
                  and not p["metadata"].get("deletionTimestamp")]
        completions = spec.get("completions", 1)
        parallelism = spec.get("parallelism", 1)
        backoff = spec.get("backoffLimit", 6)
        if failed + restarts > backoff:
            for p in active:
                try:
                    self.client.delete("pods", ns, p["metadata"]["name"])
                except ApiError:
                    pass
            self.event(job, "BackoffLimitExceeded", "Job has reached the specified backoff limit",
                       "Warning")
            return self._status(job, [], succeeded, failed, end=("Failed", "BackoffLimitExceeded",
                                                                  "Job has reached the specified backoff limit"))
        if completions is not None and succeeded >= completions:
            for p in active:
                try:
                    self.client.delete("pods", ns, p["metadata"]["name"])
                except ApiError:
                    pass
            self.event(job, "Completed", "Job completed")
            return self._status(job, [], succeeded, failed, end=("Complete", "", ""))
        want = parallelism if completions is None else min(parallelism, completions - succeeded)
        if failed and want > len(active):
            # pod failure back-off: 10 s, 20 s, 40 s … capped at 6 minutes since the last failure
            last = max((self.loop.parse_timestamp(c["state"]["terminated"]["finishedAt"])
                        for p in pods if (p.get("status") or {}).get("phase") == "Failed"
                        for c in (p.get("status") or {}).get("containerStatuses") or []
                        if (c.get("state") or {}).get("terminated", {}).get("finishedAt")),
                       default=self.loop.now)
            delay = min(10 * 2 ** (failed - 1), 360)
            if self.loop.now < last + delay:
                self.enqueue_after(key, last + delay - self.loop.now, background=True)
                return self._status(job, active, succeeded, failed)
        for _ in range(max(0, want - len(active))):
            body = pod_from_template(job, (spec.get("template") or {}))
            body["metadata"]["generateName"] = f"{name}-"
            body["metadata"].setdefault("finalizers", []).append("batch.kubernetes.io/job-tracking")
            try:
                pod = self.client.create("pods", ns, body)
            except ApiError as exc:
                self.event(job, "FailedCreate", f"Error creating: {exc.message}", "Warning")
                return 10
            self.owned.observe(pod)
            active.append(pod)
            self.event(job, "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}")
        self._release_finalizers(pods)
        return self._status(job, active, succeeded, failed)

    def _release_finalizers(self, pods) -> None:
        for p in pods:
            if (p.get("status") or {}).get("phase") in ("Succeeded", "Failed") and \
                    "batch.kubernetes.io/job-tracking" in (p["metadata"].get("finalizers") or []):
                body = dict(p)
                body["metadata"] = dict(p["metadata"])
                body["metadata"]["finalizers"] = [f for f in p["metadata"]["finalizers"]
                                                  if f != "batch.kubernetes.io/job-tracking"]
                try:
                    self.owned.observe(self.client.update("pods", p["metadata"]["namespace"], body))
                except ApiError:
                    pass

    def _status(self, job, active, succeeded, failed, end=None):
        old = job.get("status") or {}
        now = self.loop.timestamp()
        st = {}
        st["startTime"] = old.get("startTime", now)
        if active:
            st["active"] = len(active)
        if succeeded:
            st["succeeded"] = succeeded
        if failed:
            st["failed"] = failed
        st["ready"] = sum(1 for p in active if is_ready(p))
        st["terminating"] = 0
        st["uncountedTerminatedPods"] = {}
        conds = list(old.get("conditions") or [])
        if end is not None:
            self._release_finalizers(self.owned.pods(job["metadata"]["uid"]))
            kind, reason, message = end
            if kind == "Complete":
                conds.append({"type": "SuccessCriteriaMet", "status": "True", "reason": "CompletionsReached",
                              "message": "Reached expected number of succeeded pods",
                              "lastProbeTime": now, "lastTransitionTime": now})
                conds.append({"type": "Complete", "status": "True", "reason": "CompletionsReached",
                              "message": "Reached expected number of succeeded pods",
                              "lastProbeTime": now, "lastTransitionTime": now})
                st["completionTime"] = now
            else:
                conds.append({"type": "FailureTarget", "status": "True", "reason": reason,
                              "message": message, "lastProbeTime": now, "lastTransitionTime": now})
                conds.append({"type": "Failed", "status": "True", "reason": reason,
                              "message": message, "lastProbeTime": now, "lastTransitionTime": now})
            st["ready"] = 0
        if conds:
            st["conditions"] = conds
        if st != old:
            body = dict(job)
            body["status"] = st
            self.client.update_status("jobs", job["metadata"]["namespace"], body)
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if end is not None and ttl is not None:
            self.loop.call_later(ttl, self._ttl_delete, job["metadata"]["namespace"],
                                 job["metadata"]["name"], background=True)
        return None

    def _ttl_delete(self, ns, name):
        try:
            self.client.delete("jobs", ns, name, propagation_policy="Background")
        except ApiError:
            pass


class TTLAfterFinishedController(Controller):
    """Kept for the --controllers name; the Job controller schedules the TTL deletion."""
    name = "ttl-after-finished"

    def setup(self) -> None:
        pass

    def reconcile(self, key):
        return None
