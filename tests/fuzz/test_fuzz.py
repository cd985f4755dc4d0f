"""Bad input gets a kubectl-style error and changes nothing.

Hypothesis generates manifests (valid ones, then mutated: wrong types, unknown fields, bad
names, missing fields, nonsense kinds, broken YAML) and command lines (real verbs with random
flags and arguments). Every run must end with exit code 0 or 1, print no Python traceback,
and — when the command was refused — leave etcd's revision where it was."""
from __future__ import annotations

import string

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kcore

SETTINGS = settings(max_examples=600, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def cluster():
    c = kcore.Cluster()
    c.kubectl("create namespace fuzz")
    return c


KINDS = [("v1", "Pod"), ("v1", "Service"), ("v1", "ConfigMap"), ("v1", "Secret"),
         ("apps/v1", "Deployment"), ("apps/v1", "ReplicaSet"), ("apps/v1", "DaemonSet"),
         ("batch/v1", "Job"), ("batch/v1", "CronJob"), ("v1", "Namespace"),
         ("rbac.authorization.k8s.io/v1", "Role"), ("networking.k8s.io/v1", "NetworkPolicy"),
         ("v1", "PersistentVolumeClaim"), ("v1", "ResourceQuota"), ("v1", "Nope"), ("v9", "Pod")]

names = st.one_of(st.sampled_from(["web", "db", "a", "x-1", "Bad_Name", "", "-x", "a" * 70,
                                   "UPPER", "dot.name", "ü"]),
                  st.text(alphabet=string.ascii_lowercase + "-._", min_size=1, max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 70000), st.floats(allow_nan=False),
                    st.text(max_size=8), st.lists(st.integers(), max_size=2))


@st.composite
def manifests(draw):
    api, kind = draw(st.sampled_from(KINDS))
    obj = {"apiVersion": api, "kind": kind, "metadata": {"name": draw(names)}}
    container = {"name": draw(st.sampled_from(["app", "App", "", "c1"])),
                 "image": draw(st.sampled_from(["nginx", "busybox", "", "nginx:nope"]))}
    if draw(st.booleans()):
        container["ports"] = [{"containerPort": draw(scalars)}]
    if draw(st.booleans()):
        container["resources"] = {"requests": {"cpu": draw(st.sampled_from(["100m", "1", "x", "-1", 5]))},
                                  "limits": {"memory": draw(st.sampled_from(["64Mi", "1Gx", "10"]))}}
    pod_spec = {"containers": [container]}
    if kind == "Pod":
        obj["spec"] = pod_spec
    elif kind in ("Deployment", "ReplicaSet", "DaemonSet"):
        labels = {"app": draw(st.sampled_from(["web", "db"]))}
        sel = {"app": draw(st.sampled_from(["web", "db"]))}
        obj["spec"] = {"selector": {"matchLabels": sel},
                       "template": {"metadata": {"labels": labels}, "spec": pod_spec}}
        if kind != "DaemonSet":
            obj["spec"]["replicas"] = draw(st.one_of(st.integers(-1, 3), st.text(max_size=2)))
    elif kind == "Job":
        obj["spec"] = {"template": {"spec": dict(pod_spec, restartPolicy=draw(
            st.sampled_from(["Never", "Always", "Sometimes"])))}}
    elif kind == "Service":
        obj["spec"] = {"ports": [{"port": draw(scalars)}], "selector": {"app": "web"},
                       "type": draw(st.sampled_from(["ClusterIP", "NodePort", "Bogus"]))}
    elif kind in ("ConfigMap", "Secret"):
        obj["data"] = {draw(st.sampled_from(["k", "bad key", "a.b"])): draw(st.sampled_from(["v", "!!", "dmFsdWU="]))}
    # mutations
    for _ in range(draw(st.integers(0, 2))):
        where = draw(st.sampled_from(["top", "metadata", "spec"]))
        key = draw(st.sampled_from(["bogus", "spec", "metadata", "labels", "namespace", "replicas"]))
        target = obj if where == "top" else obj.setdefault(where, {}) if isinstance(obj.get(where, {}), dict) else obj
        if isinstance(target, dict):
            target[key] = draw(scalars)
    if draw(st.integers(0, 9)) == 0:
        obj["metadata"] = draw(scalars)
    return obj


@SETTINGS
@given(obj=manifests(), verb=st.sampled_from(["apply", "create"]), broken=st.integers(0, 14))
def test_bad_manifests_give_kubectl_errors_and_change_nothing(cluster, obj, verb, broken):
    text = yaml.safe_dump(obj)
    if broken == 0:
        text = text.replace(":", "", 1)          # broken YAML
    elif broken == 1:
        text = "\t" + text                        # tab indentation
    before = cluster.store.revision
    cluster.last_traceback = None
    r = cluster.kubectl(["-n", "fuzz", verb, "-f", "-"], stdin=text, settle=False)
    assert r.returncode in (0, 1), (r.returncode, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    assert "internal error in kcore" not in r.stderr, (r.stderr, cluster.last_traceback)
    if r.returncode == 1:
        assert r.stderr.strip(), "a refusal must say why"
        assert cluster.store.revision == before, (r.stderr, "a refused request changed etcd")
    # leave the cluster clean for the next example
    if r.returncode == 0:
        cluster.kubectl(["-n", "fuzz", "delete", "-f", "-", "--wait=false"], stdin=text, settle=False)


VERBS = ["get", "describe", "delete", "label", "annotate", "scale", "rollout", "set", "taint",
         "cordon", "logs", "exec", "expose", "run", "create", "patch", "auth", "config", "top",
         "explain", "api-resources", "edit", "wait", "drain", "version", "bogus"]
words = st.sampled_from(["pods", "pod/x", "deploy", "svc", "nodes", "node01", "web", "-o",
                         "yaml", "json", "wide", "--replicas=2", "--all", "-l", "app=web",
                         "--image=nginx", "status", "history", "undo", "image", "x=nginx",
                         "-n", "fuzz", "--", "echo", "hi", "can-i", "get", "--bogus", "-A",
                         "jsonpath={.items[*]", "--field-selector", "status.phase=Running",
                         "key=value:NoSchedule", "key-", "--port=80", "deployment", "x",
                         "--dry-run=client", "--force", "--grace-period=0", "view", "-p", "{}"])


@SETTINGS
@given(verb=st.sampled_from(VERBS), args=st.lists(words, max_size=6))
def test_random_command_lines_never_crash(cluster, verb, args):
    cluster.last_traceback = None
    r = cluster.kubectl([verb] + args, settle=False)
    assert r.returncode in (0, 1), (verb, args, r.returncode, r.stderr)
    assert "Traceback" not in r.stdout + r.stderr
    assert "internal error in kcore" not in r.stderr, (verb, args, r.stderr, cluster.last_traceback)
