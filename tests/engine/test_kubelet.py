"""The kubelet, judged by what the API shows: phases, container states, env, volumes, probes.

One cluster serves the whole module. Every pod of the STATUS table is created in one apply,
pinned to node01 so it skips scheduling, the clock moves 40 s, and each case reads one
JSONPath of its pod — exactly what `kubectl get pod -o jsonpath=` shows on a real v1.35 node.
Later tests change pods after they start (set image, delete a mirror pod) and look again."""
from __future__ import annotations

import json

import pytest


def bug(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


def pod(name, *containers, restart="Always", init=(), volumes=(), **spec):
    body = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": {"t": name}},
            "spec": {"restartPolicy": restart, "nodeName": "node01", "containers": list(containers),
                     **spec}}
    if init:
        body["spec"]["initContainers"] = list(init)
    if volumes:
        body["spec"]["volumes"] = list(volumes)
    return body


def sh(script, name="c", image="busybox", **extra):
    return {"name": name, "image": image, "command": ["sh", "-c", script], **extra}


FIRST = "{.status.containerStatuses[0]"

# (pod, jsonpath, expected)
STATUS = [
    pytest.param(pod("ok-never", sh("exit 0"), restart="Never"), "{.status.phase}", "Succeeded",
                 id="a container that exits 0 under restartPolicy Never leaves the pod Succeeded"),
    pytest.param(pod("fail-never", sh("exit 3"), restart="Never"),
                 FIRST + ".state.terminated.reason}/{.status.phase}", "Error/Failed",
                 id="a non-zero exit under Never is reason Error and phase Failed"),
    pytest.param(pod("onfailure", sh("exit 1"), restart="OnFailure"), FIRST + ".state.waiting.reason}",
                 "CrashLoopBackOff",
                 id="OnFailure restarts a failing container into CrashLoopBackOff"),
    pytest.param(pod("onfailure-ok", sh("exit 0"), restart="OnFailure"), "{.status.phase}", "Succeeded",
                 id="OnFailure does not restart a container that succeeded"),
    pytest.param(pod("inits", sh("sleep 3600", name="main"),
                     init=[sh("echo one", name="first"), sh("echo two", name="second")]),
                 "{.status.initContainerStatuses[*].state.terminated.reason} {.status.phase}",
                 "Completed Completed Running",
                 id="init containers run to completion one by one before the main container"),
    pytest.param(pod("init-fails", sh("sleep 3600", name="main"), init=[sh("exit 1", name="setup")]),
                 "{.status.initContainerStatuses[0].state.waiting.reason}", "CrashLoopBackOff",
                 id="a failing init container backs off and the pod never starts"),
    pytest.param(pod("init-fails-never", sh("sleep 3600", name="main"), init=[sh("exit 1", name="setup")],
                     restart="Never"),
                 "{.status.phase}", "Failed",
                 id="a failing init container under Never fails the pod"),
    pytest.param(pod("args-expand", {"name": "c", "image": "busybox", "command": ["echo"],
                                     "args": ["$(GREETING)", "$$(GREETING)", "$(MISSING)"],
                                     "env": [{"name": "GREETING", "value": "hi"}]}, restart="Never"),
                 "logs", "hi $(GREETING) $(MISSING)\n",
                 id="$(VAR) in args expands, $$ escapes and an unknown reference stays as written"),
    pytest.param(pod("downward", sh("echo $POD $NS $MEM", env=[
        {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        {"name": "NS", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
        {"name": "MEM", "valueFrom": {"resourceFieldRef": {"resource": "limits.memory", "divisor": "1Mi"}}}],
        resources={"limits": {"memory": "64Mi"}}), restart="Never"),
                 "logs", "downward default 64\n",
                 id="the downward API fills name, namespace and a memory limit in Mi"),
    pytest.param(pod("missing-secret", sh("sleep 3600", env=[
        {"name": "P", "valueFrom": {"secretKeyRef": {"name": "nope", "key": "k"}}}])),
                 FIRST + ".state.waiting.reason}: {.status.containerStatuses[0].state.waiting.message}",
                 'CreateContainerConfigError: secret "nope" not found',
                 id="a missing Secret is a CreateContainerConfigError"),
    pytest.param(pod("optional-cm", sh("echo [$X]", env=[
        {"name": "X", "valueFrom": {"configMapKeyRef": {"name": "nope", "key": "k", "optional": True}}}]),
                     restart="Never"),
                 "logs", "[]\n",
                 id="an optional missing ConfigMap key leaves the variable unset"),
    pytest.param(pod("never-pull", {"name": "c", "image": "redis:6", "imagePullPolicy": "Never"}),
                 FIRST + ".state.waiting.reason}", "ErrImageNeverPull",
                 id="pull policy Never with an absent image is ErrImageNeverPull"),
    pytest.param(pod("hostnet", sh("sleep 3600"), hostNetwork=True), "{.status.podIP}", "192.168.1.11",
                 id="a hostNetwork pod takes its node's IP"),
    pytest.param(pod("ready-fails", sh("sleep 3600", readinessProbe={
        "exec": {"command": ["cat", "/nope"]}, "periodSeconds": 5})),
                 FIRST + ".ready} {.status.phase} {.status.conditions[?(@.type==\"Ready\")].reason}",
                 "false Running ContainersNotReady",
                 id="a failing readiness probe keeps the pod Running but not Ready"),
    pytest.param(pod("tcp-ready", {"name": "web", "image": "nginx:1.27", "readinessProbe": {
        "tcpSocket": {"port": 80}, "periodSeconds": 5}}),
                 FIRST + ".ready}", "true",
                 id="a TCP readiness probe on nginx's port passes"),
    pytest.param(pod("startup", sh("sleep 3600", startupProbe={
        "exec": {"command": ["cat", "/nope"]}, "periodSeconds": 10, "failureThreshold": 30})),
                 FIRST + ".started} " + FIRST + ".ready} " + FIRST + ".restartCount}", "false false 0",
                 id="a startup probe that has not passed keeps the container unstarted and unready"),
    pytest.param(pod("startup-ok", sh("sleep 3600", startupProbe={"exec": {"command": ["true"]}})),
                 FIRST + ".started} " + FIRST + ".ready} {.status.conditions[?(@.type==\"Ready\")].status}",
                 "true true True",
                 id="a startup probe that passes starts the container; with no readiness probe it is ready"),
    pytest.param(pod("startup-gates", sh("sleep 3600", startupProbe={
        "exec": {"command": ["cat", "/nope"]}, "periodSeconds": 10, "failureThreshold": 30}, livenessProbe={
        "exec": {"command": ["cat", "/nope"]}, "periodSeconds": 5, "failureThreshold": 1})),
                 FIRST + ".restartCount}", "0",
                 id="a failing liveness probe does not run before the startup probe has passed"),
    pytest.param(pod("startup-fails", sh("sleep 3600", startupProbe={
        "exec": {"command": ["cat", "/nope"]}, "periodSeconds": 5, "failureThreshold": 2})),
                 FIRST + ".lastState.terminated.exitCode} " + FIRST + ".started}", "137 false",
                 id="failureThreshold startup failures kill the container; it comes back unstarted"),
    pytest.param(pod("no-startup", sh("sleep 3600")),
                 FIRST + ".started} " + FIRST + ".ready}", "true true",
                 id="a container without a startup probe is started as soon as it runs"),
    pytest.param(pod("cm-volume-missing", sh("sleep 3600", volumeMounts=[
        {"name": "cfg", "mountPath": "/etc/cfg"}]), volumes=[{"name": "cfg", "configMap": {"name": "nope"}}]),
                 FIRST + ".state.waiting.reason}", "ContainerCreating",
                 id="a volume from a missing ConfigMap keeps the pod ContainerCreating"),
    pytest.param(pod("native-sidecar", {"name": "app", "image": "nginx:1.27"},
                     init=[sh("tail -f /dev/null", name="shipper", restartPolicy="Always")]),
                 "{.status.phase} " + FIRST + ".ready} {.status.initContainerStatuses[0].started}",
                 "Running true true",
                 id="a native sidecar starts and the app container follows it"),
    pytest.param(pod("sidecar-job", sh("echo done", name="main"), restart="Never",
                     init=[sh("sleep 3600", name="side", restartPolicy="Always")]),
                 "{.status.phase}", "Succeeded",
                 id="a pod with a native sidecar succeeds when its main container exits 0"),
    pytest.param(pod("resolv", sh("cat /etc/resolv.conf"), restart="Never"), "logs",
                 "search default.svc.cluster.local svc.cluster.local cluster.local\n"
                 "nameserver 10.96.0.10\noptions ndots:5\n",
                 id="a ClusterFirst pod sees the cluster DNS in /etc/resolv.conf"),
    pytest.param(pod("subpath", sh("cat /etc/app.conf", volumeMounts=[
        {"name": "cfg", "mountPath": "/etc/app.conf", "subPath": "app.conf"}]), restart="Never",
                     volumes=[{"name": "cfg", "configMap": {"name": "app"}}]),
                 "logs", "color=blue\n",
                 id="a subPath mount shows one ConfigMap key as a file"),
]


@pytest.fixture(scope="module")
def cluster():
    import kcore
    c = kcore.Cluster()
    c.kubectl("create configmap app --from-literal=app.conf=color=blue")
    items = [p.values[0] for p in STATUS]
    r = c.kubectl("apply -f -", stdin=json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    assert r.returncode == 0, r.stderr
    c.advance(40)
    return c


@pytest.mark.parametrize("body, path, expected", STATUS)
def test_pod_status(cluster, body, path, expected):
    name = body["metadata"]["name"]
    if path == "logs":
        got = cluster.kubectl(["logs", name]).stdout
    else:
        got = cluster.kubectl(["get", "pod", name, "-o", f"jsonpath={path}"]).stdout
    assert got == expected


def test_crashloop_backoff_doubles(cluster):
    """Restarts at ~0, 10, 20+10... : 40 s after it first ran, an always-failing container has
    restarted 3 times."""
    cluster.kubectl("apply -f -", stdin=json.dumps(pod("backoff", sh("exit 1"), restart="OnFailure")))
    body = json.loads(cluster.kubectl("get pod backoff -o json").stdout)
    started = cluster.loop.parse_timestamp(body["status"]["startTime"])
    cluster.advance(started + 40 - cluster.loop.now)
    got = cluster.kubectl(["get", "pod", "backoff", "-o",
                           "jsonpath={.status.containerStatuses[0].restartCount}"]).stdout
    assert got == "3"


def _service_for(cluster, name, label):
    cluster.kubectl(f"expose pod {label} --name={name} --port=80")


def test_a_ready_pod_is_an_endpoint_address(cluster):
    _service_for(cluster, "tcp-svc", "tcp-ready")
    ready = cluster.kubectl(["get", "endpoints", "tcp-svc", "-o",
                             "jsonpath={.subsets[0].addresses[0].ip}"]).stdout
    assert ready.startswith("10.244.1.")


def test_an_unready_pod_is_a_not_ready_address(cluster):
    _service_for(cluster, "probe-svc", "ready-fails")
    not_ready = cluster.kubectl(["get", "endpoints", "probe-svc", "-o",
                                 "jsonpath={.subsets[0].notReadyAddresses[0].ip}"]).stdout
    assert not_ready.startswith("10.244.1.")


def test_unhealthy_events_name_the_probe(cluster):
    got = cluster.kubectl(["get", "events", "--field-selector",
                           "involvedObject.name=ready-fails,reason=Unhealthy", "-o",
                           "jsonpath={.items[0].message}"]).stdout
    assert got == "Readiness probe failed: cat: can't open '/nope': No such file or directory"


def test_a_failed_startup_probe_says_so_before_the_kill(cluster):
    got = cluster.kubectl(["get", "events", "--field-selector", "involvedObject.name=startup-fails", "-o",
                           "jsonpath={range .items[?(@.reason==\"Unhealthy\")]}{.message}{\"\\n\"}{end}"
                           "{range .items[?(@.reason==\"Killing\")]}{.type} {.message}{\"\\n\"}{end}"]).stdout
    lines = got.splitlines()
    assert (lines[0], lines[-1]) == ("Startup probe failed: cat: can't open '/nope': No such file or directory",
                                     "Normal Container c failed startup probe, will be restarted")


def test_a_startup_probe_holds_readiness_until_it_passes(cluster):
    """initialDelaySeconds 20: running but unstarted and unready for 20 s, then started and, once
    the readiness probe (which only runs after startup) passes, ready. No settling: settle() would
    wait for the first probe."""
    passes = {"exec": {"command": ["true"]}}
    body = pod("slow-start", sh("sleep 3600", startupProbe={**passes, "initialDelaySeconds": 20},
                                readinessProbe={**passes, "periodSeconds": 5}))
    cluster.kubectl("apply -f -", stdin=json.dumps(body), settle=False)
    path = "jsonpath={.status.phase} " + FIRST + ".started} " + FIRST + ".ready}"
    cluster.advance(10)
    before = cluster.kubectl(["get", "pod", "slow-start", "-o", path], settle=False).stdout
    cluster.advance(30)
    after = cluster.kubectl(["get", "pod", "slow-start", "-o", path], settle=False).stdout
    assert (before, after) == ("Running false false", "Running true true")


def test_events_of_one_pod_come_in_time_order(cluster):
    cluster.kubectl("run ordered --image=nginx:1.27")
    got = cluster.kubectl(["get", "events", "--field-selector", "involvedObject.name=ordered", "-o",
                           "jsonpath={.items[*].reason}"]).stdout
    assert got == "Scheduled Pulling Pulled Created Started"


def test_set_image_fixes_an_image_pull_backoff(cluster):
    cluster.kubectl("run typo --image=nginx:1.277")
    cluster.advance(5)
    cluster.kubectl("set image pod/typo typo=nginx:1.27")
    cluster.advance(30)
    got = cluster.kubectl(["get", "pod", "typo", "-o", "jsonpath={.status.phase}"]).stdout
    assert got == "Running"


def test_set_image_restarts_a_running_container(cluster):
    cluster.kubectl("run swap --image=nginx:1.27")
    cluster.kubectl("set image pod/swap swap=nginx:1.26")
    cluster.advance(20)
    got = cluster.kubectl(["get", "pod", "swap", "-o",
                           "jsonpath={.status.containerStatuses[0].image} "
                           "{.status.containerStatuses[0].restartCount}"]).stdout
    assert got == "docker.io/library/nginx:1.26 1"
    events = cluster.kubectl(["get", "events", "--field-selector", "reason=Killing,involvedObject.name=swap",
                              "-o", "jsonpath={.items[*].message}"]).stdout
    assert events == "Container swap definition changed, will be restarted"


def test_a_new_image_does_not_bring_back_a_completed_container(cluster):
    cluster.kubectl("run once --image=busybox:1.36 --restart=Never -- echo hi")
    cluster.advance(10)
    cluster.kubectl("set image pod/once once=busybox:1.37")
    cluster.advance(30)
    got = cluster.kubectl(["get", "pod", "once", "-o",
                           "jsonpath={.status.phase} {.status.containerStatuses[0].restartCount} "
                           "{.status.containerStatuses[0].image}"]).stdout
    assert got.split()[:2] == ["Succeeded", "0"] and got.endswith("busybox:1.36")


def test_deleting_a_pod_stops_it_within_its_grace_period(cluster):
    cluster.kubectl("run shortlived --image=nginx:1.27")
    r = cluster.kubectl("delete pod shortlived")
    gone = cluster.kubectl("get pod shortlived")
    assert (r.returncode, gone.stderr) == (0, 'Error from server (NotFound): pods "shortlived" not found\n')


def test_deleting_a_mirror_pod_brings_it_back(cluster):
    cluster.ssh("node01", "cat > /etc/kubernetes/manifests/mirror.yaml", stdin=(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: mirror\nspec:\n  containers:\n"
        "  - name: web\n    image: nginx:1.27\n"))
    cluster.advance(20)
    cluster.kubectl("delete pod mirror-node01 --wait=false")
    cluster.advance(10)
    got = cluster.kubectl(["get", "pod", "mirror-node01", "-o",
                           "jsonpath={.status.phase} {.metadata.deletionTimestamp}"]).stdout
    cluster.ssh("node01", "rm /etc/kubernetes/manifests/mirror.yaml")
    assert got == "Running "


@pytest.fixture(scope="module")
def logs_cluster(cluster):
    cluster.kubectl(["run", "crash-pinned", "--image=busybox:1.36", "--", "sh", "-c", "echo run; exit 1"])
    cluster.kubectl(["run", "crash-latest", "--image=busybox", "--", "sh", "-c", "echo run; exit 1"])
    cluster.kubectl(["run", "steady", "--image=busybox:1.36", "--", "sleep", "3600"])
    cluster.kubectl(["run", "badtag", "--image=nginx:1.277"])
    cluster.advance(20)
    return cluster


@pytest.mark.parametrize("args, stdout, stderr", [
    pytest.param("logs crash-pinned --previous", "run\n", "",
                 id="logs --previous shows the container that crashed"),
    pytest.param("logs crash-latest --previous", "run\n", "",
                 id="logs --previous works for an image that is pulled again on restart"),
    pytest.param("logs steady --previous", "",
                 'Error from server (BadRequest): previous terminated container "steady" in pod "steady" not found\n',
                 id="logs --previous of a container that never restarted is a BadRequest"),
    pytest.param("logs badtag", "",
                 'Error from server (BadRequest): container "badtag" in pod "badtag" is waiting to start: '
                 "trying and failing to pull image\n",
                 id="logs of a pod stuck pulling says the image cannot be pulled"),
])
def test_logs(logs_cluster, args, stdout, stderr):
    r = logs_cluster.kubectl(args)
    assert (r.stdout, r.stderr) == (stdout, stderr)


def test_a_sleeping_busybox_takes_its_grace_period_to_die(cluster):
    cluster.kubectl(["run", "stubborn", "--image=busybox:1.36", "--", "sleep", "3600"])
    cluster.kubectl("delete pod stubborn --wait=false")
    cluster.advance(5)
    during = cluster.kubectl("get pod stubborn -o name").stdout
    cluster.advance(30)
    after = cluster.kubectl("get pod stubborn -o name").returncode
    assert (during, after) == ("pod/stubborn\n", 1)


def test_nginx_stops_at_once_on_sigterm(cluster):
    cluster.kubectl("run polite --image=nginx:1.27")
    cluster.kubectl("delete pod polite --wait=false")
    cluster.advance(2)
    assert cluster.kubectl("get pod polite").returncode == 1


@pytest.fixture(scope="module")
def volumes_cluster(cluster):
    cluster.kubectl("create secret generic creds --from-literal=user=admin")
    cluster.kubectl("create configmap live --from-literal=a=1 --from-literal=b=2")
    body = pod("vols", {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"], "volumeMounts": [
        {"name": "s", "mountPath": "/etc/creds"}, {"name": "h", "mountPath": "/data"},
        {"name": "i", "mountPath": "/etc/items"}, {"name": "d", "mountPath": "/etc/podinfo"},
        {"name": "cm", "mountPath": "/etc/cm"}]}, volumes=[
        {"name": "s", "secret": {"secretName": "creds"}},
        {"name": "h", "hostPath": {"path": "/srv/data", "type": "DirectoryOrCreate"}},
        {"name": "i", "configMap": {"name": "live", "items": [{"key": "a", "path": "renamed"}]}},
        {"name": "d", "downwardAPI": {"items": [{"path": "labels", "fieldRef": {"fieldPath": "metadata.labels"}}]}},
        {"name": "cm", "configMap": {"name": "live"}}])
    cluster.kubectl("apply -f -", stdin=json.dumps(body))
    cluster.advance(10)
    return cluster


# (shell command in the pod, stdout, exit code)
VOLUMES = [
    pytest.param("cat /etc/creds/user", "admin\n", 0, id="a secret volume shows decoded values"),
    pytest.param("cat /etc/items/renamed", "1\n", 0, id="configMap items put a key at the path they name"),
    pytest.param("cat /etc/items/a", "", 1, id="with items only the listed keys appear"),
    pytest.param("cat /var/run/secrets/kubernetes.io/serviceaccount/namespace", "default\n", 0,
                 id="the service account volume holds the pod's namespace"),
    pytest.param("cat /etc/podinfo/labels", 't="vols"\n', 0,
                 id="a downwardAPI volume writes the pod's labels"),
    pytest.param("ls /etc/cm", "a\nb\n", 0,
                 id="ls lists a configMap volume's keys"),
    pytest.param("echo x > /etc/cm/new", "", 1,
                 id="a configMap volume is read-only"),
]


@pytest.mark.parametrize("command, stdout, code", VOLUMES)
def test_volume_contents(volumes_cluster, command, stdout, code):
    r = volumes_cluster.kubectl(["exec", "vols", "--", "sh", "-c", command])
    assert (r.stdout, r.returncode) == (stdout, code)


def test_a_host_path_write_lands_on_the_node(volumes_cluster):
    volumes_cluster.kubectl(["exec", "vols", "--", "sh", "-c", "echo from-pod > /data/x"])
    assert volumes_cluster.ssh("node01", "cat /srv/data/x").stdout == "from-pod\n"


def test_a_mounted_configmap_follows_updates(volumes_cluster):
    volumes_cluster.kubectl(["patch", "configmap", "live", "-p", '{"data":{"b":"changed"}}'])
    volumes_cluster.advance(90)
    r = volumes_cluster.kubectl(["exec", "vols", "--", "cat", "/etc/cm/b"])
    assert r.stdout == "changed\n"


def test_a_configmap_update_reaches_the_files_at_the_next_sync_not_at_once(cluster):
    cluster.kubectl("create configmap slow --from-literal=k=old")
    body = pod("reader", {"name": "c", "image": "busybox:1.36", "command": ["sleep", "3600"],
                          "env": [{"name": "K", "valueFrom": {"configMapKeyRef": {"name": "slow", "key": "k"}}}],
                          "volumeMounts": [{"name": "cm", "mountPath": "/etc/cm"},
                                           {"name": "cm", "mountPath": "/etc/k.conf", "subPath": "k"}]},
               volumes=[{"name": "cm", "configMap": {"name": "slow"}}])
    cluster.kubectl("apply -f -", stdin=json.dumps(body))
    cluster.advance(10)
    cluster.kubectl(["patch", "configmap", "slow", "-p", '{"data":{"k":"new"}}'])

    def read():
        return [cluster.kubectl(["exec", "reader", "--", "sh", "-c", cmd]).stdout.strip()
                for cmd in ("cat /etc/cm/k", "cat /etc/k.conf", "echo $K")]
    soon = read()
    cluster.advance(70)
    assert (soon, read()) == (["old", "old", "old"], ["new", "old", "old"])


def _node_resources(cluster, field):
    return json.loads(cluster.kubectl(["get", "node", "node01", "-o", f"jsonpath={{.status.{field}}}"]).stdout)


def test_allocatable_memory_keeps_the_eviction_threshold(cluster):
    """evictionHard memory.available<100Mi: allocatable is capacity minus 100Mi; CPU and pods stay."""
    cap, alloc = _node_resources(cluster, "capacity"), _node_resources(cluster, "allocatable")
    cap_ki, alloc_ki = int(cap["memory"].removesuffix("Ki")), int(alloc["memory"].removesuffix("Ki"))
    assert (cap_ki - alloc_ki, alloc["cpu"], alloc["pods"]) == (102400, cap["cpu"], "110")


def test_allocatable_ephemeral_storage_keeps_ten_percent(cluster):
    cap, alloc = _node_resources(cluster, "capacity"), _node_resources(cluster, "allocatable")
    cap_bytes = int(cap["ephemeral-storage"].removesuffix("Ki")) * 1024
    assert abs(int(alloc["ephemeral-storage"]) - cap_bytes * 0.9) < 1024



def test_a_sidecar_with_a_startup_probe_holds_back_the_app_until_it_passes(cluster):
    side = sh("sleep 3600", name="proxy", restartPolicy="Always",
              startupProbe={"exec": {"command": ["true"]}, "initialDelaySeconds": 20, "periodSeconds": 5})
    cluster.kubectl("apply -f -", stdin=json.dumps(pod("gated", sh("sleep 3600", name="app"), init=[side])))
    got = cluster.kubectl(["get", "pod", "gated", "-o", "jsonpath={.status.initContainerStatuses[0].state.running.startedAt} "
                           "{.status.containerStatuses[0].state.running.startedAt}"]).stdout.split()
    side_start, app_start = (cluster.loop.parse_timestamp(t) for t in got)
    assert app_start - side_start >= 20
