"""Strict decoding against the v1.35 definitions: unknown fields and wrong JSON types."""
from __future__ import annotations

import json

import pytest
from api_builders import deployment, pod, simple

from kcore.api import kinds, schema


@pytest.mark.parametrize("obj, messages", [
    pytest.param(pod().obj(), [], id="a plain pod decodes"),
    pytest.param(pod().set("spec.containers.0.imagePullPolice", "Always").obj(),
                 ['unknown field "spec.containers[0].imagePullPolice"'],
                 id="a misspelt container field is reported with its index"),
    pytest.param(pod().set("metadata.labelz", {}).set("spec.restartPolicyy", "Never").obj(),
                 ['unknown field "metadata.labelz"', 'unknown field "spec.restartPolicyy"'],
                 id="every unknown field is reported in key order"),
    pytest.param(pod().set("foo", 1).obj(), ['unknown field "foo"'], id="a top-level unknown field has no dot"),
    pytest.param(deployment().set("spec.template.spec.containers.0.resources", {"limit": {"cpu": "1"}}).obj(),
                 ['unknown field "spec.template.spec.containers[0].resources.limit"'],
                 id="limit instead of limits is unknown deep in a template"),
    pytest.param(pod().set("metadata.labels", {"any-key": "v"}).obj(), [],
                 id="map keys are not fields"),
    pytest.param(pod().set("spec.containers.0.ports", [{"containerPort": "80"}]).obj(),
                 ["json: cannot unmarshal string into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"],
                 id="a quoted port number is a wrong type"),
    pytest.param(pod().set("spec.containers.0.ports", [{"containerPort": 80.5}]).obj(),
                 ["json: cannot unmarshal number 80.5 into Go struct field ContainerPort.spec.containers.ports.containerPort of type int32"],
                 id="a fractional port is a wrong number"),
    pytest.param(pod().set("spec.containers", {"name": "x"}).obj(),
                 ["json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container"],
                 id="a map where a list belongs is a wrong type"),
    pytest.param(pod().set("metadata.labels", {"app": 1}).obj(),
                 ["json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string"],
                 id="an unquoted label value is a number"),
    pytest.param(pod().set("spec.hostNetwork", "yes").obj(),
                 ["json: cannot unmarshal string into Go struct field PodSpec.spec.hostNetwork of type bool"],
                 id="a string where a bool belongs is a wrong type"),
    pytest.param(pod().set("spec", "x").obj(),
                 ["json: cannot unmarshal string into Go struct field Pod.spec of type v1.PodSpec"],
                 id="a string where a struct belongs is a wrong type"),
    pytest.param(pod().resources(limits={"cpu": "1x"}).obj(),
                 ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
                 id="a bad quantity is rejected with the quantity message"),
    pytest.param(pod().resources(limits={"cpu": 1, "memory": "64Mi"}, requests={"cpu": 0.5}).obj(), [],
                 id="quantities may be numbers or strings"),
    pytest.param(deployment().set("spec.strategy", {"rollingUpdate": {"maxSurge": 1, "maxUnavailable": "25%"}}).obj(), [],
                 id="int-or-string takes either"),
    pytest.param(deployment().set("spec.strategy", {"rollingUpdate": {"maxSurge": True}}).obj(),
                 ["json: cannot unmarshal bool into Go value of type int32"],
                 id="int-or-string rejects other types as IntOrString.UnmarshalJSON does"),
    pytest.param(pod().resources(limits={"cpu": True}).obj(),
                 ["quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"],
                 id="a bool quantity is a badly formed quantity"),
    pytest.param(simple("Secret", data={"k": "not base64!"}).obj(),
                 ["illegal base64 data at input byte 3"], id="secret data must be base64"),
    pytest.param(simple("Secret", data={"k": "YWRtaW4="}).obj(), [], id="base64 secret data decodes"),
    pytest.param(pod().set("spec.nodeName", None).obj(), [], id="null is accepted anywhere"),
])
def test_decode_errors(obj, messages):
    assert [str(e) for e in schema.decode_errors(obj)] == messages


def test_wrong_type_stops_decoding_before_unknown_fields():
    obj = pod().set("spec.bogus", 1).set("spec.containers.0.ports", [{"containerPort": "80"}]).obj()
    errs = schema.decode_errors(obj)
    assert len(errs) == 1 and errs[0].type == schema.WRONG_TYPE


@pytest.mark.parametrize("obj, line", [
    pytest.param(pod("x").set("spec.containers.0.imagePullPolice", "Always").obj(),
                 'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be '
                 'handled as a Pod: strict decoding error: unknown field "spec.containers[0].imagePullPolice"',
                 id="kubectl's line for an unknown field"),
    pytest.param(pod("x").set("a", 1).set("b", 2).obj(),
                 'Error from server (BadRequest): error when creating "x.yaml": Pod in version "v1" cannot be '
                 'handled as a Pod: strict decoding error: unknown field "a", unknown field "b"',
                 id="several unknown fields are joined with a comma"),
    pytest.param(deployment().set("spec.replicas", "3").obj(),
                 'Error from server (BadRequest): error when creating "x.yaml": Deployment in version "v1" cannot be '
                 'handled as a Deployment: json: cannot unmarshal string into Go struct field '
                 'DeploymentSpec.spec.replicas of type int32',
                 id="a wrong type is the unmarshal error alone"),
    pytest.param(pod().obj(), "", id="a valid object has no error line"),
])
def test_kubectl_strict_line(obj, line):
    assert schema.kubectl_strict_line(obj, "x.yaml") == line


def test_unknown_kind_raises_the_documented_exception():
    with pytest.raises(kinds.UnknownResource):
        schema.decode_errors({"apiVersion": "v1", "kind": "Podz"})


def test_resource_type_supplies_a_missing_kind():
    assert schema.decode_errors({"metadata": {"name": "x"}, "spec": {"containers": []}},
                                kinds.lookup("pods")) == []


def test_generated_data_covers_every_kind_and_is_self_contained():
    data = schema.data()
    assert data["version"] == "v1.35.0"
    for rt in kinds.ALL:
        assert schema.root_type(rt.api_version, rt.kind), rt
    for name, td in data["types"].items():
        for prop in td["p"].values():
            spec = prop
            while spec.get("t") in ("array", "object") and (spec.get("i") or spec.get("a")):
                spec = spec.get("i") or spec.get("a")
            if spec.get("t") == "ref":
                assert spec["r"] in data["types"], (name, spec["r"])


def test_generator_reproduces_the_committed_file():
    gen = pytest.importorskip("kubernetes_validate")  # the generator's input, not a runtime need
    del gen
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
    import gen_schemas
    data = gen_schemas.generate(gen_schemas.default_source())
    assert json.loads(json.dumps(data)) == schema.data()


@pytest.mark.parametrize("api_version, kind, path, expected", [
    pytest.param("v1", "Pod", ["spec", "containers"], ("merge", "name"), id="containers merge by name"),
    pytest.param("apps/v1", "Deployment", ["spec", "template", "spec", "containers", "ports"], ("merge", "containerPort"),
                 id="container ports merge by containerPort inside a template"),
    pytest.param("v1", "Pod", ["spec", "containers", "env"], ("merge", "name"), id="env vars merge by name"),
    pytest.param("v1", "Pod", ["spec", "tolerations"], ("", ""), id="tolerations are replaced whole"),
    pytest.param("v1", "Pod", ["spec", "nope"], ("", ""), id="an unknown path has no strategy"),
    pytest.param("v1", "Podz", ["spec"], ("", ""), id="an unknown kind has no strategy"),
])
def test_patch_strategy(api_version, kind, path, expected):
    assert schema.patch_strategy(api_version, kind, path) == expected


def test_field_spec_carries_the_description():
    assert schema.field_spec("v1", "Pod", ["spec", "containers", "image"])["d"].startswith("Container image name.")
