"""CronJob controller: cron arithmetic (pure) and Jobs made on a live cluster as time moves.

Every cluster case uses its own namespace in a module-wide cluster; expected Job names are
computed from the cluster's clock at the time the CronJob is applied."""
from __future__ import annotations

import datetime as dt

import pytest

from kcore.controllers.cronjob import ScheduleError, Schedule, job_name

from .conftest import apply, events, get_json, items, namespace

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 1, 1, 0, 0, tzinfo=UTC)       # a Thursday


def nexts(schedule, start=T0, n=3, tz=UTC):
    out, t = [], start
    for _ in range(n):
        t = Schedule(schedule).next(t, tz)
        out.append(t.strftime("%m-%d %H:%M"))
    return out


@pytest.mark.parametrize("schedule, expected", [
    pytest.param("*/10 * * * *", ["01-01 00:10", "01-01 00:20", "01-01 00:30"],
                 id="a step in the minute field fires every ten minutes"),
    pytest.param("@hourly", ["01-01 01:00", "01-01 02:00", "01-01 03:00"],
                 id="@hourly fires at the top of every hour"),
    pytest.param("@daily", ["01-02 00:00", "01-03 00:00", "01-04 00:00"],
                 id="@daily fires at midnight"),
    pytest.param("@weekly", ["01-04 00:00", "01-11 00:00", "01-18 00:00"],
                 id="@weekly fires on Sunday midnight"),
    pytest.param("@monthly", ["02-01 00:00", "03-01 00:00", "04-01 00:00"],
                 id="@monthly fires on the first of the month"),
    pytest.param("0 9 * * mon-fri", ["01-01 09:00", "01-02 09:00", "01-05 09:00"],
                 id="weekday names and ranges skip the weekend"),
    pytest.param("15,45 2 * * *", ["01-01 02:15", "01-01 02:45", "01-02 02:15"],
                 id="a list fires at each listed minute"),
    pytest.param("0 0 1,15 * 5", ["01-02 00:00", "01-09 00:00", "01-15 00:00"],
                 id="restricted day of month and day of week fire on either"),
    pytest.param("0 0 */1 * 5", ["01-02 00:00", "01-09 00:00", "01-16 00:00"],
                 id="a day of month of */1 is unrestricted so only Fridays fire"),
    pytest.param("0 0 */2 * 5", ["01-02 00:00", "01-03 00:00", "01-05 00:00"],
                 id="a stepped day of month is restricted so odd days or Fridays fire"),
    pytest.param("0 12 * feb *", ["02-01 12:00", "02-02 12:00", "02-03 12:00"],
                 id="a month name skips to that month"),
    pytest.param("@every 90m", ["01-01 01:30", "01-01 03:00", "01-01 04:30"],
                 id="@every fires at a fixed interval"),
])
def test_schedule_next(schedule, expected):
    assert nexts(schedule) == expected


@pytest.mark.parametrize("schedule, tz, expected", [
    pytest.param("0 9 * * *", "Asia/Tokyo", "01-01 00:00",
                 id="nine in Tokyo is midnight UTC"),
    pytest.param("30 * * * *", "Asia/Kolkata", "01-01 00:00",
                 id="half past in Kolkata is the top of the hour in UTC"),
    pytest.param("0 9 * * *", "America/New_York", "01-01 14:00",
                 id="nine in New York is fourteen UTC in winter"),
])
def test_schedule_in_time_zone(schedule, tz, expected):
    from zoneinfo import ZoneInfo
    start = T0 - dt.timedelta(minutes=1)
    assert nexts(schedule, start=start, n=1, tz=ZoneInfo(tz)) == [expected]


@pytest.mark.parametrize("schedule", [
    pytest.param("* * * *", id="four fields are refused"),
    pytest.param("61 * * * *", id="minute 61 is out of range"),
    pytest.param("* * * * mon-xyz", id="an unknown weekday name is refused"),
    pytest.param("@fortnightly", id="an unknown descriptor is refused"),
    pytest.param("*/0 * * * *", id="a zero step is refused"),
    pytest.param("0 0 * * 7", id="day of week 7 is refused as robfig/cron refuses it"),
])
def test_bad_schedules_raise(schedule):
    with pytest.raises(ScheduleError):
        Schedule(schedule)


@pytest.mark.parametrize("when, expected", [
    pytest.param(T0, "hello-29453760", id="the job name is minutes since the epoch"),
    pytest.param(T0 + dt.timedelta(minutes=10), "hello-29453770",
                 id="ten minutes later the suffix grows by ten"),
])
def test_job_name(when, expected):
    assert job_name("hello", when) == expected


# ---------------------------------------------------------------------------- on a cluster

def cronjob(name, schedule="*/10 * * * *", command="echo hi", **spec):
    extra = "".join(f"  {k}: {v}\n" for k, v in spec.items())
    return f"""apiVersion: batch/v1
kind: CronJob
metadata:
  name: {name}
spec:
  schedule: "{schedule}"
{extra}  jobTemplate:
    metadata:
      labels: {{app: {name}}}
    spec:
      backoffLimit: 0
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox
            command: ["sh", "-c", "{command}"]
"""


def minute_now(c) -> int:
    return int(c.loop.wall()) // 60


def boundaries(c, step: int, seconds: float) -> list[int]:
    """Minute stamps of the */step firings in (now, now + seconds]."""
    start, end = c.loop.wall(), c.loop.wall() + seconds
    m = minute_now(c) + 1
    out = []
    while m * 60 <= end:
        if m % step == 0 and m * 60 > start:
            out.append(m)
        m += 1
    return out


def job_names(c, ns):
    return sorted(j["metadata"]["name"] for j in items(c, "jobs", ns))


def test_an_hour_of_ten_minute_schedule_creates_six_jobs_named_by_minute(cluster):
    ns = namespace(cluster, "cj-hour")
    before = cluster.loop.now
    apply(cluster, cronjob("hello", successfulJobsHistoryLimit=10), ns)
    assert cluster.loop.now - before < 60, "a cron timer must not drag settle() forward"
    expected = [f"hello-{m}" for m in boundaries(cluster, 10, 3600)]
    cluster.advance(3600)
    assert len(expected) == 6
    assert job_names(cluster, ns) == expected
    cj = get_json(cluster, "cronjob hello", ns)
    last = expected[-1].split("-")[1]
    assert cj["status"]["lastScheduleTime"] == dt.datetime.fromtimestamp(
        int(last) * 60, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert "lastSuccessfulTime" in cj["status"]
    assert not cj["status"].get("active")
    job = get_json(cluster, f"job {expected[0]}", ns)
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("CronJob", "hello", True)
    assert job["metadata"]["labels"]["app"] == "hello"
    stamp = dt.datetime.fromtimestamp(int(expected[0].split("-")[1]) * 60, tz=UTC)
    assert job["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"] == \
        stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    created = [e["message"] for e in events(cluster, ns, "SuccessfulCreate")
               if e["involvedObject"]["kind"] == "CronJob"]
    assert f"Created job {expected[0]}" in created
    saw = [e["message"] for e in events(cluster, ns, "SawCompletedJob")]
    assert f"Saw completed job: {expected[0]}, condition: Complete" in saw


@pytest.mark.parametrize("ns, spec, command, remaining, reason", [
    pytest.param("cj-hist-default", {}, "echo hi", 3, "SuccessfulDelete",
                 id="three successful jobs are kept by default"),
    pytest.param("cj-hist-one", {"successfulJobsHistoryLimit": 1}, "echo hi", 1, "SuccessfulDelete",
                 id="successfulJobsHistoryLimit trims completed jobs"),
    pytest.param("cj-hist-failed", {"failedJobsHistoryLimit": 2}, "exit 1", 2, "SuccessfulDelete",
                 id="failedJobsHistoryLimit trims failed jobs"),
    pytest.param("cj-hist-zero", {"successfulJobsHistoryLimit": 0}, "echo hi", 0, "SuccessfulDelete",
                 id="a zero limit keeps no finished job"),
])
def test_history_limits(cluster, ns, spec, command, remaining, reason):
    ns = namespace(cluster, ns)
    apply(cluster, cronjob("hist", command=command, **spec), ns)
    cluster.advance(3600)
    assert len(job_names(cluster, ns)) == remaining
    deleted = [e["message"] for e in events(cluster, ns, reason)
               if e["involvedObject"]["kind"] == "CronJob"]
    assert deleted and all(m.startswith("Deleted job hist-") for m in deleted)


@pytest.mark.parametrize("policy, active, total", [
    pytest.param("Allow", 3, 3, id="Allow lets long jobs pile up"),
    pytest.param("Forbid", 1, 1, id="Forbid skips a run while the previous one is active"),
    pytest.param("Replace", 1, 1, id="Replace deletes the running job and starts a new one"),
])
def test_concurrency_policy(cluster, policy, active, total):
    ns = namespace(cluster, f"cj-{policy.lower()}")
    apply(cluster, cronjob("long", command="sleep 100000", concurrencyPolicy=policy), ns)
    expected = boundaries(cluster, 10, 1800)
    cluster.advance(1800)
    names = job_names(cluster, ns)
    cj = get_json(cluster, "cronjob long", ns)
    assert len(cj["status"].get("active") or []) == active
    live = [j for j in items(cluster, "jobs", ns) if not j["metadata"].get("deletionTimestamp")]
    assert len(live) == total
    if policy == "Forbid":
        assert names == [f"long-{expected[0]}"]
        assert events(cluster, ns, "JobAlreadyActive")[0]["message"] == \
            "Not starting job because prior execution is running and concurrency policy is Forbid"
    if policy == "Replace":
        assert [j["metadata"]["name"] for j in live] == [f"long-{expected[-1]}"]
        deleted = [e["message"] for e in events(cluster, ns, "SuccessfulDelete")
                   if e["involvedObject"]["kind"] == "CronJob"]
        assert f"Deleted job long-{expected[0]}" in deleted


def test_a_suspended_cronjob_creates_nothing(cluster):
    ns = namespace(cluster, "cj-suspend")
    apply(cluster, cronjob("idle", suspend="true"), ns)
    cluster.advance(1800)
    assert job_names(cluster, ns) == []
    assert "lastScheduleTime" not in (get_json(cluster, "cronjob idle", ns).get("status") or {})


@pytest.mark.parametrize("deadline, created", [
    pytest.param(None, 1, id="resuming without a deadline runs the most recent missed time"),
    pytest.param(60, 0, id="resuming past startingDeadlineSeconds skips the missed time"),
])
def test_starting_deadline_on_resume(cluster, deadline, created):
    ns = namespace(cluster, f"cj-deadline-{deadline or 'none'}")
    extra = {"suspend": "true"}
    if deadline is not None:
        extra["startingDeadlineSeconds"] = deadline
    apply(cluster, cronjob("late", schedule="*/5 * * * *", **extra), ns)
    cluster.advance(420)          # a firing passes while suspended
    wall = cluster.loop.wall() % 300
    if wall < 120:                # keep the missed firing more than 60 s in the past
        cluster.advance(130 - wall)
    r = cluster.kubectl(["patch", "cronjob", "late", "-n", ns, "--type=merge", "-p",
                         '{"spec":{"suspend":false}}'])
    assert r.returncode == 0, r.stderr
    assert len(job_names(cluster, ns)) == created


def test_time_zone_shifts_the_firing_and_the_annotation(cluster):
    ns = namespace(cluster, "cj-tz")
    apply(cluster, cronjob("tz", schedule="30 * * * *", timeZone="Asia/Kolkata"), ns)
    start = cluster.loop.wall()
    cluster.advance(3600)
    jobs = items(cluster, "jobs", ns)
    assert len(jobs) == 1
    minute = int(jobs[0]["metadata"]["name"].split("-")[1])
    assert minute % 60 == 0 and minute * 60 > start      # the top of a UTC hour
    stamp = jobs[0]["metadata"]["annotations"]["batch.kubernetes.io/cronjob-scheduled-timestamp"]
    assert stamp.endswith(":30:00+05:30")


def test_an_unknown_time_zone_is_reported(cluster):
    ns = namespace(cluster, "cj-badtz")
    r = cluster.kubectl("apply -n cj-badtz -f -", stdin=cronjob("tzx", timeZone="Mars/Olympus"))
    if r.returncode != 0:
        assert "timeZone" in r.stderr        # refused by validation: equally right
        return
    cluster.advance(900)
    assert job_names(cluster, ns) == []
    assert events(cluster, ns, "UnknownTimeZone")


def test_a_manually_created_job_is_reported_not_adopted(cluster):
    ns = namespace(cluster, "cj-manual")
    apply(cluster, cronjob("hello", command="sleep 100000"), ns)
    r = cluster.kubectl(f"create job manual --from=cronjob/hello -n {ns}")
    if r.returncode != 0:
        pytest.skip(f"kubectl create job --from is not available: {r.stderr.strip()}")
    cluster.advance(660)
    cj = get_json(cluster, "cronjob hello", ns)
    assert [a["name"] for a in cj["status"].get("active") or []] == \
        [n for n in job_names(cluster, ns) if n != "manual"]
    msgs = [e["message"] for e in events(cluster, ns, "UnexpectedJob")]
    assert msgs == ["Saw a job that the controller did not create or forgot: manual"]


@pytest.fixture(autouse=True)
def _quiet_cronjobs(request):
    """Delete each test's CronJobs afterwards, so later advances do not run them too."""
    yield
    if "cluster" not in request.fixturenames:
        return
    c = request.getfixturevalue("cluster")
    for ns in sorted({j["metadata"]["namespace"] for j in items(c, "cronjobs -A")}):
        c.kubectl(f"delete cronjobs --all -n {ns}")


def test_an_unparseable_schedule_is_reported(cluster):
    ns = namespace(cluster, "cj-badsched")
    r = cluster.kubectl(f"apply -n {ns} -f -", stdin=cronjob("bad", schedule="61 * * * *"))
    if r.returncode != 0:
        assert "spec.schedule" in r.stderr        # refused by validation: equally right
        return
    cluster.advance(120)
    assert job_names(cluster, ns) == []
    ev = events(cluster, ns, "UnparseableSchedule")
    assert ev[-1]["message"] == ('unparseable schedule: "61 * * * *" : end of range (61) above '
                                 'maximum (59): 61')
    assert ev[-1]["type"] == "Warning"
