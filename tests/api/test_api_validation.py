"""Validation after defaulting, with the apiserver's words; immutability on update."""
from __future__ import annotations

import copy

import pytest
from api_builders import cronjob, deployment, job, pod, service, simple, workload

from kcore.api import defaults, errors, validation

SUBDOMAIN = ("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
             "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
             "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
LABEL = ("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
         "and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')")
DNS1035 = ("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
           "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "
           "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")
LABEL_VALUE = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
               "must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
               "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def check(builder):
    obj = builder.obj() if hasattr(builder, "obj") else builder
    defaults.apply(obj)
    return [str(e) for e in validation.validate(obj)]


@pytest.mark.parametrize("builder, expected", [
    pytest.param(pod(), [], id="a plain pod is valid"),
    pytest.param(pod(image=None).container("c", None), ["spec.containers[0].image: Required value"],
                 id="a container without an image is rejected"),
    pytest.param(pod(image=None), ["spec.containers: Required value"], id="a pod without containers is rejected"),
    pytest.param(pod("Bad_Name", image=None).container("c"), [f'metadata.name: Invalid value: "Bad_Name": {SUBDOMAIN}'],
                 id="a pod name must be a DNS subdomain"),
    pytest.param(pod().set("metadata.name", ""), ["metadata.name: Required value: name or generateName is required"],
                 id="a pod needs a name"),
    pytest.param(pod().set("metadata.generateName", "web-").set("metadata.name", ""), [],
                 id="generateName stands in for a name"),
    pytest.param(pod().set("metadata.generateName", "Web-").set("metadata.name", ""),
                 [f'metadata.generateName: Invalid value: "Web-": {SUBDOMAIN}'], id="generateName is checked as a prefix"),
    pytest.param(pod().container("web", "busybox"), ['spec.containers[1].name: Duplicate value: "web"'],
                 id="container names are unique"),
    pytest.param(pod(image=None).container("Web"), [f'spec.containers[0].name: Invalid value: "Web": {LABEL}'],
                 id="container names are DNS labels"),
    pytest.param(pod().resources(requests={"cpu": "2"}, limits={"cpu": "1"}),
                 ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
                 id="requests may not exceed limits"),
    pytest.param(pod().resources(requests={"memory": "1024Mi"}, limits={"memory": "512Mi"}),
                 ['spec.containers[0].resources.requests: Invalid value: "1Gi": must be less than or equal to memory limit of 512Mi'],
                 id="quantities are printed canonically"),
    pytest.param(pod().resources(limits={"cpus": "1"}),
                 ['spec.containers[0].resources.limits[cpus]: Invalid value: "cpus": must be a standard resource for containers',
                  'spec.containers[0].resources.requests[cpus]: Invalid value: "cpus": must be a standard resource for containers'],
                 id="resource names must be standard"),
    pytest.param(pod().set("spec.containers.0.ports", [{"containerPort": 70000}]),
                 ["spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
                 id="container ports are in range"),
    pytest.param(pod().set("spec.containers.0.ports", [{"containerPort": 80, "protocol": "HTTP"}]),
                 ['spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'],
                 id="port protocols are TCP UDP or SCTP"),
    pytest.param(pod().set("spec.containers.0.ports", [{"containerPort": 80, "name": "http"},
                                                       {"containerPort": 81, "name": "http"}]),
                 ['spec.containers[0].ports[1].name: Duplicate value: "http"'], id="port names are unique"),
    pytest.param(pod().set("spec.restartPolicy", "Sometimes"),
                 ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'],
                 id="restart policies are a fixed set"),
    pytest.param(pod().set("spec.containers.0.volumeMounts", [{"name": "data", "mountPath": "/data"}]),
                 ['spec.containers[0].volumeMounts[0].name: Not found: "data"'], id="mounts name a volume"),
    pytest.param(pod().set("spec.volumes", [{"name": "a", "emptyDir": {}}, {"name": "a", "emptyDir": {}}]),
                 ['spec.volumes[1].name: Duplicate value: "a"'], id="volume names are unique"),
    pytest.param(pod().set("metadata.labels", {"app": "bad value!"}),
                 [f'metadata.labels: Invalid value: "bad value!": {LABEL_VALUE}'], id="label values are checked"),
    pytest.param(pod().set("spec.tolerations", [{"key": "k", "operator": "Gt", "value": "9"}]),
                 ['spec.tolerations[0].operator: Unsupported value: "Gt": supported values: "Equal", "Exists"'],
                 id="numeric toleration operators are off in 1.35"),
    pytest.param(deployment(), [], id="a plain deployment is valid"),
    pytest.param(deployment(selector=None),
                 ["spec.selector: Required value",
                  'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
                 id="a deployment without a selector fails twice"),
    pytest.param(deployment(selector={"matchLabels": {"app": "other"}}),
                 ['spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`'],
                 id="the selector must match the template labels"),
    pytest.param(deployment(selector={}),
                 ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
                 id="an empty selector is invalid"),
    pytest.param(deployment().set("spec.replicas", -1),
                 ["spec.replicas: Invalid value: -1: must be greater than or equal to 0"], id="replicas are not negative"),
    pytest.param(deployment().set("spec.template.spec.restartPolicy", "Never"),
                 ['spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'],
                 id="deployment pods always restart"),
    pytest.param(deployment().set("spec.strategy", {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0, "maxUnavailable": 0}}),
                 ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
                 id="a rollout must be able to move"),
    pytest.param(deployment().set("spec.strategy", {"type": "Recreate"}), [], id="Recreate is a valid strategy"),
    pytest.param(workload("StatefulSet").set("spec.template.spec.containers.0.volumeMounts", [{"name": "www", "mountPath": "/w"}])
                 .set("spec.volumeClaimTemplates", [{"metadata": {"name": "www"}, "spec": {
                     "accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}}]),
                 [], id="statefulset mounts may name claim templates"),
    pytest.param(workload("StatefulSet", "db.main"), ['metadata.name: Invalid value: "db.main": must not contain dots'],
                 id="statefulset names are DNS labels"),
    pytest.param(workload("StatefulSet").set("spec.template.spec.containers.0.image", ""), [],
                 id="a statefulset's pod spec is left to its pods"),
    pytest.param(workload("StatefulSet").set("spec.podManagementPolicy", "Random"),
                 ['spec.podManagementPolicy: Invalid value: "Random": must be \'OrderedReady\' or \'Parallel\''],
                 id="pod management is ordered or parallel"),
    pytest.param(workload("DaemonSet").set("spec.updateStrategy", {"type": "RollingUpdate",
                                                                   "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 1}}),
                 ["spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"],
                 id="a daemonset surges or drains, not both"),
    pytest.param(workload("DaemonSet").drop("spec.selector"),
                 ['spec.template.metadata.labels: Invalid value: {"app":"w"}: `selector` does not match template `labels`'],
                 id="a daemonset without a selector matches nothing"),
    pytest.param(workload("ReplicaSet").set("spec.selector", {}),
                 ["spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
                 id="a replicaset's empty selector message names deployments as the source does"),
    pytest.param(deployment().set("spec.template.spec.activeDeadlineSeconds", 30),
                 ["spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"],
                 id="deployment pods have no deadline"),
    pytest.param(deployment().set("spec.strategy", {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": "150%", "maxUnavailable": "0"}}),
                 ["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"0\": a valid percent string must be a numeric "
                  "string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
                 id="a percent needs its percent sign and surge may exceed 100 percent"),
    pytest.param(job(), [], id="a plain job is valid"),
    pytest.param(job(restart=None), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"'],
                 id="a job must not restart Always"),
    pytest.param(cronjob(), [], id="a plain cronjob is valid"),
    pytest.param(cronjob(schedule="* * *"), ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]'],
                 id="a cron schedule has five fields"),
    pytest.param(cronjob(name="c" * 53), [f'metadata.name: Invalid value: "{"c" * 53}": must be no more than 52 characters'],
                 id="cronjob names leave room for the job suffix"),
    pytest.param(service(), [], id="a plain service is valid"),
    pytest.param(service(name="1web"), [f'metadata.name: Invalid value: "1web": {DNS1035}'],
                 id="service names are DNS-1035 labels"),
    pytest.param(service(ports=[]), ["spec.ports: Required value"], id="a service needs ports"),
    pytest.param(service(ports=[]).set("spec.clusterIP", "None"), [], id="a headless service needs none"),
    pytest.param(service(ports=[{"port": 80}, {"port": 443}]),
                 ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"],
                 id="several ports must be named"),
    pytest.param(service(ports=[{"port": 0}]).set("spec.ports.0.targetPort", 80),
                 ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
                 id="service ports are in range"),
    pytest.param(service(type_="Balanced"),
                 ['spec.type: Unsupported value: "Balanced": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'],
                 id="service types are a fixed set"),
    pytest.param(service(type_="ExternalName", ports=[]).set("spec.externalName", "db.example.com."), [],
                 id="an ExternalName service needs no ports and may end in a dot"),
    pytest.param(service().set("spec.ports.0.nodePort", 30080),
                 ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
                 id="ClusterIP services have no node ports"),
    pytest.param(service(ports=[{"port": 80, "name": "a"}, {"port": 80, "name": "b"}]),
                 ['spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}'], id="ports are unique per protocol"),
    pytest.param(simple("Namespace", "Dev"), [f'metadata.name: Invalid value: "Dev": {LABEL}'],
                 id="namespace names are DNS labels"),
    pytest.param(simple("Namespace", "a.b"), ['metadata.name: Invalid value: "a.b": must not contain dots'],
                 id="namespace names have no dots"),
    pytest.param(simple("ClusterRole", "system:aggregate-to-edit", api_version="rbac.authorization.k8s.io/v1",
                        rules=[{"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}]), [],
                 id="rbac names may contain colons"),
    pytest.param(simple("Role", "r", api_version="rbac.authorization.k8s.io/v1", rules=[{"apiGroups": [""], "resources": ["pods"]}]),
                 ["rules[0].verbs: Required value: verbs must contain at least one value"], id="a rule needs verbs"),
    pytest.param(simple("RoleBinding", "rb", api_version="rbac.authorization.k8s.io/v1",
                        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                        subjects=[{"kind": "Robot", "name": "x"}]),
                 ['subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"'],
                 id="subjects are users groups or service accounts"),
    pytest.param(simple("ConfigMap", data={"bad key": "v"}),
                 ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, "
                  "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
                 id="config map keys are checked"),
    pytest.param(simple("Secret", type="kubernetes.io/tls", data={"tls.crt": "YQ=="}), ["data[tls.key]: Required value"],
                 id="a TLS secret needs a key"),
    pytest.param(simple("Secret", type="kubernetes.io/basic-auth", stringData={}),
                 ["data[username]: Required value", "data[password]: Required value"],
                 id="a basic-auth secret needs a username or a password"),
    pytest.param(simple("Secret", type="kubernetes.io/basic-auth", stringData={"username": "admin"}), [],
                 id="stringData counts as data"),
    pytest.param(simple("Secret", stringData={"bad key": "v"}),
                 ["data[bad key]: Invalid value: \"bad key\": a valid config key must consist of alphanumeric characters, "
                  "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"],
                 id="stringData keys are reported as data keys"),
    pytest.param(simple("ConfigMap", data={"a": "1"}, binaryData={"a": "MQ=="}),
                 ['data[a]: Invalid value: "a": duplicate of key present in binaryData'],
                 id="a key may not be in data and binaryData"),
    pytest.param(simple("PersistentVolumeClaim", spec={"resources": {"requests": {"storage": "1Gi"}}}),
                 ["spec.accessModes: Required value: at least 1 access mode is required"], id="a claim needs an access mode"),
    pytest.param(simple("Ingress", api_version="networking.k8s.io/v1", spec={"rules": [{"http": {"paths": [
        {"path": "/", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}),
                 ["spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
                 id="ingress paths need a pathType"),
    pytest.param(simple("Node", "node01", spec={"taints": [{"key": "gpu", "value": "true", "effect": "NoSchedule"}]}), [],
                 id="a tainted node is valid"),
    pytest.param(simple("Node", "node01", spec={"taints": [{"key": "gpu", "effect": "NoRun"}]}),
                 ['metadata.taints[0].effect: Unsupported value: "NoRun": supported values: "NoSchedule", '
                  '"PreferNoSchedule", "NoExecute"'], id="taint effects are a fixed set"),
    pytest.param(simple("Node", "node01", spec={"taints": [{"key": "gpu", "effect": "NoSchedule"},
                                                           {"key": "gpu", "value": "x", "effect": "NoSchedule"}]}),
                 ['metadata.taints[1]: Duplicate value: {"effect":"NoSchedule","key":"gpu","value":"x"}: '
                  'taints must be unique by key and effect pair'], id="taints are unique by key and effect"),
])
def test_validate(builder, expected):
    assert check(builder) == expected


def update(builder, change):
    old = builder.obj()
    defaults.apply(old)
    new = copy.deepcopy(old)
    change(new)
    defaults.apply(new)
    return [str(e) for e in validation.validate(new, old)]


def _set(path, value):
    def change(obj):
        node = obj
        parts = path.split(".")
        for p in parts[:-1]:
            node = node[int(p)] if isinstance(node, list) else node.setdefault(p, {})
        if isinstance(node, list):
            node[int(parts[-1])] = value
        else:
            node[parts[-1]] = value
    return change


@pytest.mark.parametrize("builder, change, expected", [
    pytest.param(pod(), _set("spec.containers.0.image", "nginx:1.26"), [], id="a pod's image may change"),
    pytest.param(pod(), _set("spec.activeDeadlineSeconds", 30), [], id="a deadline may be added"),
    pytest.param(pod(), _set("spec.tolerations", [{"key": "k", "operator": "Exists"}]), [],
                 id="tolerations may be added"),
    pytest.param(pod(), _set("metadata.labels", {"app": "x"}), [], id="labels may change"),
    pytest.param(deployment(), _set("spec.replicas", 5), [], id="a deployment may scale"),
    pytest.param(deployment(), _set("spec.template.spec.containers.0.image", "nginx:1.26"), [],
                 id="a deployment's template may change"),
    pytest.param(job(), _set("spec.parallelism", 3), [], id="a job's parallelism may change"),
    pytest.param(workload("StatefulSet"), _set("spec.replicas", 3), [], id="a statefulset may scale"),
])
def test_allowed_updates(builder, change, expected):
    assert update(builder, change) == expected


@pytest.mark.parametrize("builder, change, first", [
    pytest.param(deployment(), lambda o: (_set("spec.selector", {"matchLabels": {"app": "web", "tier": "x"}})(o),
                                          _set("spec.template.metadata.labels.tier", "x")(o)),
                 'spec.selector: Invalid value: {"matchLabels":{"app":"web","tier":"x"}}: field is immutable',
                 id="a deployment's selector is immutable"),
    pytest.param(pod(), _set("spec.containers.0.resources", {"limits": {"cpu": "1"}}),
                 "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
                 "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions "
                 "to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was "
                 "previously negative)",
                 id="a pod's resources may not change"),
    pytest.param(pod(), lambda o: o["spec"]["containers"].append({"name": "b", "image": "busybox"}),
                 "spec.containers: Forbidden: pod updates may not add or remove containers",
                 id="a pod may not gain containers"),
    pytest.param(job(), _set("spec.template.spec.containers.0.image", "perl:5.36"),
                 "spec.template: Invalid value: ", id="a job's template is immutable"),
    pytest.param(workload("StatefulSet"), _set("spec.serviceName", "other"),
                 "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', "
                 "'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
                 id="a statefulset's service name is immutable"),
    pytest.param(simple("PersistentVolumeClaim", spec={"accessModes": ["ReadWriteOnce"],
                                                       "resources": {"requests": {"storage": "1Gi"}}}),
                 _set("spec.accessModes", ["ReadWriteMany"]),
                 "spec: Forbidden: spec is immutable after creation except resources.requests and "
                 "volumeAttributesClassName for bound claims", id="a claim's spec is immutable"),
    pytest.param(simple("Secret", immutable=True, data={"a": "YQ=="}), _set("data", {"a": "Yg=="}),
                 "data: Forbidden: field is immutable when `immutable` is set", id="an immutable secret's data is frozen"),
    pytest.param(service().set("spec.clusterIP", "10.96.0.20"), _set("spec.clusterIP", "10.96.0.21"),
                 'spec.clusterIPs[0]: Invalid value: ["10.96.0.21"]: may not change once set',
                 id="a service's cluster IP may not change"),
    pytest.param(simple("Secret", data={"a": "YQ=="}), _set("type", "kubernetes.io/tls"),
                 'type: Invalid value: "kubernetes.io/tls": field is immutable', id="a secret's type is immutable"),
    pytest.param(pod(), _set("metadata.name", "other"), 'metadata.name: Invalid value: "other": field is immutable',
                 id="a name is immutable"),
    pytest.param(simple("ConfigMap", immutable=True, data={"a": "1"}), _set("immutable", False),
                 "immutable: Forbidden: field is immutable when `immutable` is set",
                 id="an immutable config map stays immutable"),
    pytest.param(simple("RoleBinding", "rb", api_version="rbac.authorization.k8s.io/v1",
                        roleRef={"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "a"}),
                 _set("roleRef.name", "b"),
                 'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"b"}: field is immutable',
                 id="a binding's roleRef is immutable"),
])
def test_forbidden_updates(builder, change, first):
    errs = update(builder, change)
    assert errs and errs[0].startswith(first), errs


def test_rendered_invalid_message_for_a_pod_without_an_image():
    obj = pod("noimage", image=None).container("c", None).obj()
    defaults.apply(obj)
    errs = validation.validate(obj)
    assert errors.kubectl_invalid("Pod", "noimage", errs) == \
        'The Pod "noimage" is invalid: spec.containers[0].image: Required value'


@pytest.mark.parametrize("bad", [
    pytest.param("not a dict", id="a string is not an object"),
    pytest.param({"apiVersion": "v1", "kind": "Pod", "metadata": "x", "spec": []}, id="wrong shapes never crash"),
    pytest.param({"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"template": "x"}}, id="a string template never crashes"),
])
def test_bad_input_never_crashes(bad):
    assert isinstance(validation.validate(bad), list)
