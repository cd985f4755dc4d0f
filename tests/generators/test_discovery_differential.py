"""`create role/clusterrole`, `create job --from`, `run` and `expose` against the real kubectl.

These need a server (API discovery, or the object to expose), so a loopback stub serves
discovery from kcore's kinds table and a few fixed objects. The builders get the same
knowledge as plain Python: `kinds_resolver` and the object dicts."""
from __future__ import annotations

import shlex
from concurrent.futures import ThreadPoolExecutor

import pytest

from kcore.cli.kubectl.generators import (GENERATORS, RUN_EXPOSE_SEPARATOR, GeneratorError,
                                          gen_expose, gen_job_from_cronjob, gen_run,
                                          gen_run_service, kinds_resolver, struct_ordered)
from kcore.cli.kubectl.printers.yamlout import to_json, to_yaml
from tests.conftest import run_real_kubectl
from tests.generators.cli import parse
from tests.generators.stub_server import StubServer


def _pod(name, labels=None, ports=(), namespace="default"):
    containers = [{"name": "c", "image": "nginx",
                   "ports": [{"containerPort": p, "protocol": proto} for p, proto in ports]}]
    meta = {"name": name, "namespace": namespace, "uid": f"uid-{name}"}
    if labels:
        meta["labels"] = labels
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": {"containers": containers}}


def _workload(kind, api, name, match_labels, ports=(), expressions=None):
    selector = {"matchLabels": match_labels}
    if expressions:
        selector["matchExpressions"] = expressions
    return {"apiVersion": api, "kind": kind,
            "metadata": {"name": name, "namespace": "default", "labels": {"app": name, "team": "a"}},
            "spec": {"replicas": 1, "selector": selector,
                     "template": {"metadata": {"labels": match_labels},
                                  "spec": {"containers": [{"name": "c", "image": "nginx", "ports": [
                                      {"containerPort": p, "protocol": "TCP"} for p in ports]}]}}}}


OBJECTS = {
    "/api/v1/namespaces/default/pods/nginx": _pod("nginx", {"run": "nginx"}, [(80, "TCP")]),
    "/api/v1/namespaces/default/pods/bare": _pod("bare", None, [(80, "TCP")]),
    "/api/v1/namespaces/default/pods/noport": _pod("noport", {"run": "noport"}),
    "/api/v1/namespaces/default/pods/dns": _pod("dns", {"k8s-app": "dns"}, [(53, "UDP"), (53, "TCP"), (9153, "TCP")]),
    "/apis/apps/v1/namespaces/default/deployments/web": _workload("Deployment", "apps/v1", "web", {"app": "web"}, [8080]),
    "/apis/apps/v1/namespaces/default/deployments/multi": _workload("Deployment", "apps/v1", "multi", {"app": "multi"}, [80, 443]),
    "/apis/apps/v1/namespaces/default/deployments/expr": _workload(
        "Deployment", "apps/v1", "expr", {"app": "expr"}, [80],
        [{"key": "tier", "operator": "In", "values": ["web"]}]),
    "/apis/apps/v1/namespaces/default/replicasets/rs1": _workload("ReplicaSet", "apps/v1", "rs1", {"app": "rs1"}, [80]),
    "/api/v1/namespaces/default/services/front": {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "front", "namespace": "default", "labels": {"app": "front"}},
        "spec": {"selector": {"app": "front"}, "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
                 "type": "ClusterIP", "clusterIP": "10.96.0.20"}},
    "/apis/batch/v1/namespaces/default/cronjobs/hello": {
        "apiVersion": "batch/v1", "kind": "CronJob",
        "metadata": {"name": "hello", "namespace": "default", "uid": "0d4c5d3e-7a55-4b51-9a1c-1f0c3f1d2a11"},
        "spec": {"schedule": "*/1 * * * *", "jobTemplate": {
            "metadata": {"labels": {"job": "hello"}, "annotations": {"note": "x"}},
            "spec": {"backoffLimit": 6, "template": {"metadata": {}, "spec": {
                "containers": [{"name": "hello", "image": "busybox", "command": ["date"], "resources": {}}],
                "restartPolicy": "OnFailure"}}}}}},
}

CASES = [
    ("create role pod-reader --verb=get,list,watch --resource=pods", "a role over pods"),
    ("create role r --verb=get,update --resource=replicasets.apps,deployments.apps/scale,rs,deploy,pods "
     "--resource-name=web", "resources are grouped by API group and short names expand"),
    ("create role r --verb=get,get,list --resource=pods,pods", "verbs and resources are de-duplicated"),
    ("create role r --verb=* --verb=get --resource=*", "a star verb and a star resource stand alone"),
    ("create role r --verb=get --resource=foo", "an unknown resource is reported without error prefix"),
    ("create role r --verb=get", "a role needs a resource"),
    ("create role r --resource=pods", "a role needs a verb"),
    ("create role r --verb=use --resource=pods", "a special verb on the wrong resource"),
    ("create role r --verb=bind --resource=roles", "bind is allowed on roles"),
    ("create role r --verb=get --resource=.apps", "a group without a resource"),
    ("create role r --verb=get --resource-name=a --resource-name=a,b --resource=pods",
     "resource names are not split at commas"),
    ("create clusterrole node-reader --verb=get,list,watch --resource=nodes", "a cluster role"),
    ("create clusterrole h --verb=get --non-resource-url=/healthz,/logs/*", "non-resource URLs"),
    ("create clusterrole h --verb=get --resource=pods --non-resource-url=/healthz",
     "resource and non-resource rules together"),
    ("create clusterrole mon --aggregation-rule=rbac.example.com/aggregate-to-monitoring=true",
     "an aggregated cluster role has null rules"),
    ("create clusterrole mon --aggregation-rule=a=b --verb=get", "aggregation stands alone"),
    ("create clusterrole h --verb=list --non-resource-url=/healthz", "list is not a non-resource verb"),
    ("create clusterrole h --verb=get --non-resource-url=healthz", "a URL must start with a slash"),
    ("create clusterrole h --verb=get --non-resource-url=/a*b", "a star only at the end"),
    ("create clusterrole h --verb=get", "a cluster role needs resources or URLs"),
    ("create clusterrole h --verb=get --non-resource-url=/x --resource-name=a", "names need resources"),
    ("create job manual --from=cronjob/hello", "a job from a cronjob copies its template"),
    ("run nginx --image=nginx", "run makes a pod labelled run=NAME"),
    ("run bb --image=busybox --restart=Never --labels=tier=x --port=80 --env=A=1 -- sleep 3600",
     "labels, env, port and args"),
    ("run bb --image=busybox --command -- sh -c date", "--command puts the words in command"),
    ("run bb --image=busybox --image-pull-policy=IfNotPresent --annotations=a=b -l a=b,c=d",
     "pull policy, annotations and several labels"),
    ("run bb --image=busybox --restart=Sometimes", "a bad restart policy"),
    ("run bb --image=busybox --env=A", "an env var needs a value"),
    ("run nginx --image=nginx --port=80 --expose", "run --expose prints the service and the pod"),
    ("run x --image=y -n foo", "an explicit namespace is printed"),
    ("run x", "run needs an image"),
    ("run x --image=y --port=0", "any given port is put on the container, even zero"),
    ("run x --image=y --env=1A=b", "env names must be variable names"),
    ("run x --image=y --labels=a=b=c", "a label spec has one equals sign"),
    ("run x --image=y --labels=bad", "a label needs a value"),
    ("run x --image=y --port=abc", "a port must be a number"),
    ("run x --image=y --image-pull-policy=Sometimes", "a bad pull policy"),
    ("run x --image=y --expose", "--expose needs --port"),
    ("create role r --verb=get --resource=pods -n foo", "a role in an explicit namespace"),
    ("create clusterrole r --verb=get --resource=pods -n foo", "a cluster role ignores the namespace"),
    ("create job x --from=deployment/web", "a job only comes from a cronjob"),
    ("expose deployment web --port=80 --type=Foo", "the service type is not checked client-side"),
    ("expose deployment web --port=abc", "a port must be a number when exposing"),
    ("expose deployment web --port=80 --session-affinity=x", "session affinity is checked"),
    ("expose deployment web --port=80 --target-port=8080", "expose a deployment"),
    ("expose deployment web", "the port comes from the container"),
    ("expose deployment multi", "several container ports are named port-1, port-2"),
    ("expose deployment web --port=80 --type=NodePort --name=web-np", "a named NodePort service"),
    ("expose deployment web --port=53 --protocol=UDP --selector=app=other", "protocol and selector"),
    ("expose deployment expr --port=80", "match expressions cannot be exposed"),
    ("expose pod nginx", "expose a pod by its labels"),
    ("expose pod bare --port=80", "a pod without labels cannot be exposed"),
    ("expose pod noport", "a pod without ports needs --port"),
    ("expose pod dns", "a port with two protocols gets one entry per protocol"),
    ("expose pod dns --port=53", "protocols come from the pod even with --port"),
    ("expose pod dns --protocol=TCP", "--protocol overrides the pod's protocols"),
    ("expose service front --port=443 --target-port=https", "expose a service"),
    ("expose service front", "a service's own port is reused"),
    ("expose replicaset rs1 --port=80 --cluster-ip=None", "a headless service from a replica set"),
]


def _words(line: str) -> list[str]:
    return shlex.split(line)


@pytest.fixture(scope="module")
def oracle(real_kubectl):
    with StubServer(OBJECTS) as server:
        def run(job):
            line, fmt = job
            words = _words(line)
            cut = words.index("--") if "--" in words else len(words)
            words[cut:cut] = ["--dry-run=client", "-o", fmt]
            proc = run_real_kubectl(real_kubectl, ["--server", server.url, *words])
            return proc.returncode, proc.stdout, proc.stderr
        jobs = [(c[0], fmt) for c in CASES for fmt in ("yaml", "json")]
        with ThreadPoolExecutor(max_workers=8) as pool:
            return dict(zip(jobs, pool.map(run, jobs)))


def _get(kind: str, name: str) -> dict:
    plural = kinds_resolver(kind, "")[1]
    for path, obj in OBJECTS.items():
        if path.endswith(f"/{plural}/{name}"):
            return obj
    raise KeyError(name)


def ours(line: str, fmt: str = "yaml") -> tuple[int, str, str]:
    words = _words(line)

    def show(obj):
        return to_json(struct_ordered(obj), sort_keys=False) if fmt == "json" else to_yaml(obj)
    warnings: list[str] = []
    try:
        if words[0] == "run":
            positional, options = parse("run", words[1:])
            expose = options.pop("expose", False)
            options["args"] = options.pop("command", None) if isinstance(options.get("command"), list) else []
            if "--command" in words:
                options["command"] = True
                options["args"] = words[words.index("--") + 1:]
            else:
                options["command"] = False
            pod = gen_run(positional[0], expose=expose, **options)
            if expose:
                svc = gen_run_service(pod, port=options["port"])
                return 0, to_yaml(svc) + RUN_EXPOSE_SEPARATOR + to_yaml(pod), ""
            return 0, show(pod), ""
        if words[0] == "expose":
            positional, options = parse("expose", words[1:])
            return 0, show(gen_expose(_get(positional[0], positional[1]), **options)), ""
        sub = words[1]
        positional, options = parse(sub, words[2:])
        if sub == "job":
            kind, _, name = options["from"].partition("/")
            obj = gen_job_from_cronjob(positional[0], _get(kind, name), namespace=options.get("namespace"))
        else:
            obj = GENERATORS[sub](positional[0], resolve=kinds_resolver, warnings=warnings, **options)
    except GeneratorError as exc:
        return 1, "", str(exc) + "\n"
    return 0, show(obj), "".join(w + "\n" for w in warnings)


@pytest.mark.parametrize("line", [pytest.param(c[0], id=c[1]) for c in CASES if "--expose" not in c[0]])
def test_json_follows_go_struct_order(oracle, line):
    code, out, err = oracle[(line, "json")]
    if code == 0:
        assert ours(line, "json")[:2] == (0, out)


@pytest.mark.parametrize("line", [pytest.param(c[0], id=c[1]) for c in CASES])
def test_matches_kubectl(oracle, line):
    code, out, err = oracle[(line, "yaml")]
    mine = ours(line)
    if code == 0:
        assert mine == (0, out, err)
    else:
        assert mine[0] == 1
        assert mine[2].splitlines()[0] == err.splitlines()[0]
