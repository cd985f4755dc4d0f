"""Builders and the printer checked against outputs quoted in the fidelity reference (§5),
so the essentials hold even where the real kubectl cannot be had."""
from __future__ import annotations

import base64

import pytest

from kcore.cli.kubectl.generators import (FLAGS, GENERATORS, GeneratorError, content_hash,
                                          gen_clusterrole, gen_deployment, gen_expose,
                                          gen_job_from_cronjob, gen_role, gen_run,
                                          gen_secret_docker_registry, kinds_resolver)
from kcore.cli.kubectl.printers.yamlout import to_json, to_yaml, to_yaml_documents

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  labels:
    app: nginx
  name: nginx
spec:
  replicas: 1
  selector:
    matchLabels:
      app: nginx
  strategy: {}
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"""

CRONJOB = """apiVersion: batch/v1
kind: CronJob
metadata:
  name: my-cron
spec:
  jobTemplate:
    metadata:
      name: my-cron
    spec:
      template:
        metadata: {}
        spec:
          containers:
          - command:
            - date
            image: busybox
            name: my-cron
            resources: {}
          restartPolicy: OnFailure
  schedule: '*/1 * * * *'
status: {}
"""

POD = """apiVersion: v1
kind: Pod
metadata:
  labels:
    run: nginx
  name: nginx
spec:
  containers:
  - image: nginx
    name: nginx
    resources: {}
  dnsPolicy: ClusterFirst
  restartPolicy: Always
status: {}
"""

ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: pod-reader
rules:
- apiGroups:
  - ""
  resources:
  - pods
  verbs:
  - get
  - list
  - watch
"""


@pytest.mark.parametrize("build, expected", [
    pytest.param(lambda: gen_deployment("nginx", image=["nginx"]), DEPLOYMENT,
                 id="create deployment prints the reference's deployment"),
    pytest.param(lambda: GENERATORS["cronjob"]("my-cron", image="busybox", schedule="*/1 * * * *",
                                               command=["date"]), CRONJOB,
                 id="a schedule starting with a star is single-quoted"),
    pytest.param(lambda: gen_run("nginx", image="nginx"), POD, id="run builds a pod labelled run=NAME"),
    pytest.param(lambda: gen_role("pod-reader", verb=["get", "list", "watch"], resource=["pods"],
                                  resolve=kinds_resolver), ROLE,
                 id="the core group is printed as an empty quoted string"),
])
def test_reference_outputs(build, expected):
    assert to_yaml(build()) == expected


def test_docker_registry_json_is_go_compact_json():
    obj = gen_secret_docker_registry("regcred", docker_server="registry.example.com",
                                     docker_username="user", docker_password="pass",
                                     docker_email="user@example.com")
    decoded = base64.b64decode(obj["data"][".dockerconfigjson"]).decode()
    assert decoded == ('{"auths":{"registry.example.com":{"username":"user","password":"pass",'
                       '"email":"user@example.com","auth":"dXNlcjpwYXNz"}}}')


@pytest.mark.parametrize("build, message", [
    pytest.param(lambda: gen_deployment("x"), 'required flag(s) "image" not set',
                 id="a deployment without an image"),
    pytest.param(lambda: GENERATORS["service clusterip"]("s"), "at least one tcp port specifier must be provided",
                 id="a service without ports"),
    pytest.param(lambda: gen_clusterrole("c", verb=["list"], non_resource_url=["/healthz"]),
                 "invalid verb: 'list' for nonResourceURL", id="list is not a non-resource verb"),
    pytest.param(lambda: gen_expose({"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": []}},
                                    port="80"),
                 "couldn't retrieve selectors via --selector flag or introspection: the pod has no labels "
                 "and cannot be exposed\nSee 'kubectl expose -h' for help and examples",
                 id="a pod without labels cannot be exposed"),
    pytest.param(lambda: gen_job_from_cronjob("j", {"kind": "Deployment"}), "unknown object type *v1.Deployment",
                 id="a job comes only from a cronjob"),
])
def test_refusals_use_kubectls_words(build, message):
    with pytest.raises(GeneratorError) as info:
        build()
    assert info.value.message == message
    assert str(info.value) == "error: " + message


def test_role_with_unknown_resource_has_no_error_prefix():
    with pytest.raises(GeneratorError) as info:
        gen_role("r", verb=["get"], resource=["foo"], resolve=kinds_resolver)
    assert str(info.value) == 'the server doesn\'t have a resource type "foo"'


def test_expose_deployment_copies_labels_and_selector():
    deploy = gen_deployment("web", image=["nginx"], port=8080)
    svc = gen_expose(deploy, port="80", target_port="8080")
    assert svc["metadata"] == {"name": "web", "labels": {"app": "web"}}
    assert svc["spec"] == {"ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080}],
                           "selector": {"app": "web"}}


def test_sanitised_container_names_take_the_injected_suffix():
    obj = gen_deployment("d", image=["my_app.v2"], rand_suffix=lambda: "abcde")
    assert obj["spec"]["template"]["spec"]["containers"][0]["name"] == "my-app-v2-abcde"


def test_append_hash_matches_the_reference_value():
    obj = GENERATORS["configmap"]("c", from_literal=["a=b"])
    assert content_hash(obj) == "m4h6ctkgb2"


def test_every_flag_table_has_a_builder_or_is_a_verb():
    assert set(FLAGS) - set(GENERATORS) == {"run", "expose"}


@pytest.mark.parametrize("value, text", [
    pytest.param({"a": "true"}, 'a: "true"\n', id="a boolean-looking string is double-quoted"),
    pytest.param({"a": ""}, 'a: ""\n', id="the empty string is double-quoted"),
    pytest.param({"a": "x\ny\n"}, "a: |\n  x\n  y\n", id="a multi-line string is a literal block"),
    pytest.param({"a": "x\ny"}, "a: |-\n  x\n  y\n", id="without a final newline the block is stripped"),
    pytest.param({"a": []}, "a: []\n", id="an empty list is flow style"),
    pytest.param({"a": [{"b": 1, "c": [2]}]}, "a:\n- b: 1\n  c:\n  - 2\n", id="sequences are not indented"),
    pytest.param({"a": None}, "a: null\n", id="null prints as null"),
    pytest.param({"a": 1.5, "b": 2.0, "c": 1234567.5}, "a: 1.5\nb: 2\nc: 1.2345675e+06\n",
                 id="floats print like Go's shortest g format"),
])
def test_yaml_rules(value, text):
    assert to_yaml(value) == text


def test_json_is_go_marshal_indent():
    assert to_json({"b": [1, {}], "a": "<x>"}) == ('{\n    "a": "\\u003cx\\u003e",\n    "b": [\n        1,\n'
                                                   '        {}\n    ]\n}\n')


def test_documents_are_joined_with_dashes():
    assert to_yaml_documents([{"a": 1}, {"b": 2}]) == "a: 1\n---\nb: 2\n"
