"""CronJobs: create a Job at every time a cron schedule names.

The schedule is standard five-field cron (minute hour day-of-month month day-of-week, with
lists, ranges, steps, month and weekday names) or a descriptor (@hourly, @daily, @midnight,
@weekly, @monthly, @yearly/@annually, @every 1h30m), read in `spec.timeZone` (UTC when unset),
parsed as robfig/cron v3 (Kubernetes' parser) does: day of week is 0-6 (7 is refused), and
when both day fields are restricted a day matching *either* one fires.

Each reconcile is level-triggered, like kube-controller-manager's cronjob controller v2:
sync `status.active` with the Jobs this CronJob owns (SawCompletedJob for ones that finished),
then find the most recent scheduled time not yet met since `status.lastScheduleTime` (or the
CronJob's creation), honour suspend, startingDeadlineSeconds (MissSchedule) and
concurrencyPolicy (Forbid: JobAlreadyActive; Replace: delete the running Jobs), create the Job
`<cronjob>-<scheduled time in minutes since the epoch>` annotated with
`batch.kubernetes.io/cronjob-scheduled-timestamp`, trim finished Jobs to the history limits,
and sleep until the next scheduled time. That sleep is a *background* timer: a settling
cluster does not run the clock forward to the next firing; `cluster.advance()` does."""
from __future__ import annotations

import copy
import datetime as _dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, controller_of, key_of, owner_ref, split_key
from kcore.controllers.job import finished

SCHEDULED_ANNOTATION = "batch.kubernetes.io/cronjob-scheduled-timestamp"
MAX_MISSED = 100
UTC = _dt.timezone.utc

# --------------------------------------------------------------------------- cron schedules

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"))}
_DAYS = {d: i for i, d in enumerate(("sun", "mon", "tue", "wed", "thu", "fri", "sat"))}
_FIELDS = (("minute", 0, 59, {}), ("hour", 0, 23, {}), ("day of month", 1, 31, {}),
           ("month", 1, 12, _MONTHS), ("day of week", 0, 6, _DAYS))
_DESCRIPTORS = {"@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
                "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *",
                "@hourly": "0 * * * *"}


class ScheduleError(ValueError):
    """An unparseable schedule; the text is robfig/cron's complaint."""


def _number(text: str, names: dict, lo: int, hi: int, what: str) -> int:
    low = text.lower()
    if low in names:
        return names[low]
    try:
        n = int(text)
    except ValueError:
        raise ScheduleError(f"failed to parse int from {text}: strconv.Atoi: parsing "
                            f"\"{text}\": invalid syntax") from None
    if n < lo or n > hi:
        raise ScheduleError(f"end of range ({n}) above maximum ({hi}): {text}" if n > hi
                            else f"beginning of range ({n}) below minimum ({lo}): {text}")
    return n


def _field(text: str, lo: int, hi: int, names: dict, what: str) -> tuple[frozenset, bool]:
    """The values one field allows, and whether it was a bare `*`/`?` (unrestricted)."""
    out = set()
    star = False
    for part in text.split(","):
        rng, _, step_text = part.partition("/")
        step = 1
        if step_text:
            try:
                step = int(step_text)
            except ValueError:
                raise ScheduleError(f"failed to parse int from {step_text}: strconv.Atoi: "
                                    f"parsing \"{step_text}\": invalid syntax") from None
            if step <= 0:
                raise ScheduleError(f"step of range should be a positive number: {part}")
        if rng in ("*", "?"):
            start, end = lo, hi
            star = star or step == 1          # "*/2" restricts the field, "*" and "*/1" do not
        elif "-" in rng:
            a, _, b = rng.partition("-")
            start, end = _number(a, names, lo, hi, what), _number(b, names, lo, hi, what)
            if start > end:
                raise ScheduleError(f"beginning of range ({start}) beyond end of range "
                                    f"({end}): {part}")
        else:
            start = _number(rng, names, lo, hi, what)
            end = hi if step_text else start
        out.update(range(start, end + 1, step))
    return frozenset(out), star


class Schedule:
    """A parsed cron schedule. next(t) is the first firing strictly after t (an aware datetime)."""

    def __init__(self, text: str):
        self.text = text
        spec = text.strip()
        self.every = None
        self.zone = None            # a CRON_TZ=/TZ= prefix (Kubernetes' API refuses it)
        if spec.startswith(("TZ=", "CRON_TZ=")):
            prefix, _, spec = spec.partition(" ")
            self.zone = prefix.split("=", 1)[1]
            spec = spec.strip()
        if spec.startswith("@every "):
            self.every = _parse_every(spec[len("@every "):].strip())
            return
        if spec.startswith("@"):
            if spec not in _DESCRIPTORS:
                raise ScheduleError(f"unrecognized descriptor: {spec}")
            spec = _DESCRIPTORS[spec]
        parts = spec.split()
        if len(parts) != 5:
            raise ScheduleError(f"expected exactly 5 fields, found {len(parts)}: {spec}")
        parsed = [_field(p, lo, hi, names, what)
                  for p, (what, lo, hi, names) in zip(parts, _FIELDS)]
        (self.minutes, _), (self.hours, _), (self.dom, dom_star), (self.months, _), \
            (self.dow, dow_star) = parsed
        self.dom_star, self.dow_star = dom_star, dow_star

    def _day_ok(self, d: _dt.datetime) -> bool:
        dom_ok = d.day in self.dom
        dow_ok = (d.isoweekday() % 7) in self.dow
        if self.dom_star or self.dow_star:
            return dom_ok and dow_ok
        return dom_ok or dow_ok

    def next(self, t: _dt.datetime, tz=UTC) -> _dt.datetime | None:
        if self.every is not None:
            secs = int(t.timestamp()) + self.every
            return _dt.datetime.fromtimestamp(secs, tz=UTC)
        local = t.astimezone(tz).replace(tzinfo=None, second=0, microsecond=0) + \
            _dt.timedelta(minutes=1)
        limit = local.year + 5
        while local.year <= limit:
            if local.month not in self.months:
                y, m = (local.year + 1, 1) if local.month == 12 else (local.year, local.month + 1)
                local = local.replace(year=y, month=m, day=1, hour=0, minute=0)
                continue
            if not self._day_ok(local):
                local = (local + _dt.timedelta(days=1)).replace(hour=0, minute=0)
                continue
            if local.hour not in self.hours:
                local = (local + _dt.timedelta(hours=1)).replace(minute=0)
                continue
            if local.minute not in self.minutes:
                local += _dt.timedelta(minutes=1)
                continue
            return local.replace(tzinfo=tz).astimezone(UTC)
        return None


def _parse_every(text: str) -> int:
    total, num = 0.0, ""
    units = {"h": 3600, "m": 60, "s": 1}
    for ch in text:
        if ch.isdigit() or ch == ".":
            num += ch
        elif ch in units and num:
            total += float(num) * units[ch]
            num = ""
        else:
            raise ScheduleError(f"failed to parse duration {text}: time: invalid duration \"{text}\"")
    if num or total <= 0:
        raise ScheduleError(f"failed to parse duration {text}: time: invalid duration \"{text}\"")
    return max(1, int(total))


def parse_schedule(text: str) -> Schedule:
    return Schedule(text)


def job_name(cronjob_name: str, scheduled: _dt.datetime) -> str:
    """`hello-29412345`: the scheduled time in minutes since the Unix epoch."""
    return f"{cronjob_name}-{int(scheduled.timestamp()) // 60}"


def _rfc3339(t: _dt.datetime) -> str:
    text = t.strftime("%Y-%m-%dT%H:%M:%S%z")
    if text.endswith("+0000"):
        return text[:-5] + "Z"
    return text[:-2] + ":" + text[-2:]


# --------------------------------------------------------------------------- the controller

class CronJobController(Controller):
    name = "cronjob"
    component_name = "cronjob-controller"

    def setup(self) -> None:
        self.cronjobs = self.informer("cronjobs")
        self.jobs = self.informer("jobs")
        self.owned: dict[str, dict[str, dict]] = {}   # cronjob uid -> job name -> job
        self.cronjobs.add_handler(self._on_cronjob)
        self.jobs.add_handler(self._on_job)

    def _on_cronjob(self, etype, cj, old) -> None:
        if etype == "DELETED":
            self.owned.pop(cj["metadata"]["uid"], None)
            return
        self.enqueue(key_of(cj))

    def _on_job(self, etype, job, old) -> None:
        ref = controller_of(job)
        if ref is None or ref.get("kind") != "CronJob":
            return
        jobs = self.owned.setdefault(ref["uid"], {})
        if etype == "DELETED":
            jobs.pop(job["metadata"]["name"], None)
        else:
            jobs[job["metadata"]["name"]] = job
        self.enqueue(f"{job['metadata']['namespace']}/{ref['name']}")

    # -- time helpers -------------------------------------------------------------------
    def _now(self) -> _dt.datetime:
        return _dt.datetime.fromtimestamp(int(self.loop.wall()), tz=UTC)

    def _at(self, ts: str | None) -> _dt.datetime | None:
        if not ts:
            return None
        return _dt.datetime.fromtimestamp(self.loop.epoch + self.loop.parse_timestamp(ts), tz=UTC)

    def _stamp(self, t: _dt.datetime) -> str:
        return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- reconcile ----------------------------------------------------------------------
    def reconcile(self, key: str):
        ns, name = split_key(key)
        cj = self.cronjobs.get(ns, name)
        if cj is None:
            return None
        cj = copy.deepcopy(cj)
        uid = cj["metadata"]["uid"]
        status = cj.setdefault("status", {})
        before = copy.deepcopy(status)
        jobs = dict(self.owned.get(uid, {}))
        self._sync_active(cj, jobs)
        if cj["metadata"].get("deletionTimestamp"):
            self._write_status(cj, before)
            return None
        self._cleanup(cj, jobs)
        spec = cj.get("spec") or {}
        try:
            sched = parse_schedule(spec.get("schedule", ""))
        except ScheduleError as exc:
            self.event(cj, "UnparseableSchedule",
                       f"unparseable schedule: \"{spec.get('schedule', '')}\" : {exc}", "Warning")
            self._write_status(cj, before)
            return None
        tz = UTC
        zone = spec.get("timeZone") or sched.zone
        if zone:
            try:
                tz = ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                self.event(cj, "UnknownTimeZone",
                           f"invalid timeZone: \"{zone}\": unknown time zone {zone}", "Warning")
                self._write_status(cj, before)
                return None
        now = self._now()
        if not spec.get("suspend"):
            self._schedule(cj, sched, tz, now, jobs)
        self._write_status(cj, before)
        self._requeue(cj, sched, tz, now)
        return None

    def _sync_active(self, cj, jobs) -> None:
        status = cj["status"]
        active = []
        names = set()
        for ref in status.get("active") or []:
            job = jobs.get(ref.get("name"))
            if job is None or job["metadata"]["uid"] != ref.get("uid"):
                current = self.client.try_get("jobs", cj["metadata"]["namespace"], ref.get("name"))
                if current is None or current["metadata"]["uid"] != ref.get("uid"):
                    self.event(cj, "MissingJob", f"Active job went missing: {ref.get('name')}")
                    continue
                job = current
            cond = finished(job)
            if cond:
                self._saw_completed(cj, job, cond)
                continue
            active.append(ref)
            names.add(ref.get("name"))
        for jname, job in sorted(jobs.items()):
            if jname in names or job["metadata"].get("deletionTimestamp"):
                continue
            cond = finished(job)
            if cond:
                self._saw_last_success(cj, job, cond)
                continue
            if SCHEDULED_ANNOTATION in (job["metadata"].get("annotations") or {}):
                active.append(self._ref(job))       # ours, but the status write was lost
            else:
                # e.g. `kubectl create job --from=cronjob/...`: owned, yet not scheduled by us
                self.event(cj, "UnexpectedJob",
                           f"Saw a job that the controller did not create or forgot: {jname}",
                           "Warning")
        if active:
            status["active"] = active
        else:
            status.pop("active", None)

    def _saw_completed(self, cj, job, cond) -> None:
        self.event(cj, "SawCompletedJob",
                   f"Saw completed job: {job['metadata']['name']}, condition: {cond}")
        self._saw_last_success(cj, job, cond)

    def _saw_last_success(self, cj, job, cond) -> None:
        if cond != "Complete":
            return
        done = (job.get("status") or {}).get("completionTime")
        last = cj["status"].get("lastSuccessfulTime")
        if done and (last is None or self._at(done) > self._at(last)):
            cj["status"]["lastSuccessfulTime"] = done

    @staticmethod
    def _ref(job) -> dict:
        md = job["metadata"]
        return {"kind": "Job", "namespace": md["namespace"], "name": md["name"],
                "uid": md["uid"], "apiVersion": "batch/v1",
                "resourceVersion": md.get("resourceVersion")}

    def _most_recent(self, cj, sched, tz, now):
        """(most recent unmet scheduled time or None, how many were missed)."""
        status = cj["status"]
        earliest = self._at(status.get("lastScheduleTime")) or \
            self._at(cj["metadata"].get("creationTimestamp")) or now
        deadline = (cj.get("spec") or {}).get("startingDeadlineSeconds")
        if deadline is not None:
            cutoff = now - _dt.timedelta(seconds=int(deadline))
            if cutoff > earliest:
                earliest = cutoff
        if earliest > now:
            return None, 0
        t = sched.next(earliest, tz)
        if t is None or t > now:
            return None, 0
        missed, recent = 0, None
        while t is not None and t <= now:
            missed += 1
            recent = t
            if missed > MAX_MISSED:
                return self._latest_before(sched, tz, now, recent), missed
            t = sched.next(t, tz)
        return recent, missed

    @staticmethod
    def _latest_before(sched, tz, now, floor):
        """The last firing at or before now, searching back in widening windows."""
        for span in (3600, 86400, 32 * 86400, 367 * 86400, 5 * 367 * 86400):
            start = max(floor, now - _dt.timedelta(seconds=span))
            t, last = sched.next(start, tz), None
            while t is not None and t <= now:
                last, t = t, sched.next(t, tz)
            if last is not None:
                return last
        return floor

    def _schedule(self, cj, sched, tz, now, jobs) -> None:
        ns, name = cj["metadata"]["namespace"], cj["metadata"]["name"]
        spec = cj.get("spec") or {}
        scheduled, missed = self._most_recent(cj, sched, tz, now)
        if scheduled is None:
            return
        if missed > MAX_MISSED:
            self.event(cj, "TooManyMissedTimes",
                       f"too many missed start times: {missed}. Set or decrease "
                       ".spec.startingDeadlineSeconds or check clock skew", "Warning")
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None and scheduled + _dt.timedelta(seconds=int(deadline)) < now:
            self.event(cj, "MissSchedule", "Missed scheduled time to start a job: "
                       + scheduled.strftime("%a, %d %b %Y %H:%M:%S +0000"), "Warning")
            return
        jname = job_name(name, scheduled)
        if jname in jobs or any(r.get("name") == jname for r in cj["status"].get("active") or []):
            return
        policy = spec.get("concurrencyPolicy", "Allow")
        active = cj["status"].get("active") or []
        if policy == "Forbid" and active:
            self.event(cj, "JobAlreadyActive", "Not starting job because prior execution is "
                       "running and concurrency policy is Forbid")
            return
        if policy == "Replace":
            for ref in list(active):
                self._delete_job(cj, ref["name"])
            cj["status"].pop("active", None)
        body = self._job_from_template(cj, scheduled, tz)
        try:
            job = self.client.create("jobs", ns, body)
        except ApiError as exc:
            if exc.reason == "AlreadyExists":
                return
            self.event(cj, "FailedCreate", f"Error creating job: {exc.message}", "Warning")
            return
        self.owned.setdefault(cj["metadata"]["uid"], {})[job["metadata"]["name"]] = job
        self.event(cj, "SuccessfulCreate", f"Created job {job['metadata']['name']}")
        cj["status"].setdefault("active", []).append(self._ref(job))
        cj["status"]["lastScheduleTime"] = self._stamp(scheduled)

    def _job_from_template(self, cj, scheduled, tz) -> dict:
        tmpl = copy.deepcopy((cj.get("spec") or {}).get("jobTemplate") or {})
        md = tmpl.get("metadata") or {}
        annotations = dict(md.get("annotations") or {})
        annotations[SCHEDULED_ANNOTATION] = _rfc3339(scheduled.astimezone(tz))
        meta = {"name": job_name(cj["metadata"]["name"], scheduled),
                "namespace": cj["metadata"]["namespace"],
                "annotations": annotations,
                "ownerReferences": [owner_ref(cj)]}
        if md.get("labels"):
            meta["labels"] = dict(md["labels"])
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
                "spec": tmpl.get("spec") or {}}

    def _delete_job(self, cj, jname) -> bool:
        try:
            self.client.delete("jobs", cj["metadata"]["namespace"], jname,
                               propagation_policy="Background")
        except ApiError as exc:
            if exc.reason != "NotFound":
                self.event(cj, "FailedDelete", f"Deleted job: {exc.message}", "Warning")
                return False
        self.owned.get(cj["metadata"]["uid"], {}).pop(jname, None)
        self.event(cj, "SuccessfulDelete", f"Deleted job {jname}")
        return True

    def _cleanup(self, cj, jobs) -> None:
        spec = cj.get("spec") or {}
        for cond, limit_key in (("Complete", "successfulJobsHistoryLimit"),
                                ("Failed", "failedJobsHistoryLimit")):
            limit = spec.get(limit_key)
            if limit is None:
                continue
            done = [j for j in jobs.values()
                    if finished(j) == cond and not j["metadata"].get("deletionTimestamp")]
            if len(done) <= limit:
                continue
            done.sort(key=self._start_key)
            for job in done[:len(done) - int(limit)]:
                if self._delete_job(cj, job["metadata"]["name"]):
                    jobs.pop(job["metadata"]["name"], None)

    def _start_key(self, job):
        start = (job.get("status") or {}).get("startTime")
        return (start is None, self._at(start) if start else 0, job["metadata"]["name"])

    def _write_status(self, cj, before) -> None:
        if cj["status"] == before:
            return
        self.client.update_status("cronjobs", cj["metadata"]["namespace"], cj)

    def _requeue(self, cj, sched, tz, now) -> None:
        spec = cj.get("spec") or {}
        if spec.get("suspend"):
            return
        nxt = sched.next(now, tz)
        if nxt is None:
            return
        delay = (nxt - now).total_seconds() + 0.1
        self.enqueue_after(key_of(cj), max(0.1, delay), background=True)
