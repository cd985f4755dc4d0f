"""Field errors render like apimachinery's field.Error; Invalid statuses like errors.NewInvalid."""
from __future__ import annotations

import pytest

from kcore.api import errors as fe
from kcore.api.errors import FieldError


@pytest.mark.parametrize("error, text", [
    pytest.param(fe.required("spec.containers[0].image"), "spec.containers[0].image: Required value",
                 id="required shows no value"),
    pytest.param(fe.required("metadata.name", "name or generateName is required"),
                 "metadata.name: Required value: name or generateName is required", id="required with detail"),
    pytest.param(fe.invalid("metadata.name", "Bad_Name", "bad"), 'metadata.name: Invalid value: "Bad_Name": bad',
                 id="strings are quoted"),
    pytest.param(fe.invalid("spec.replicas", -1, "must be greater than or equal to 0"),
                 "spec.replicas: Invalid value: -1: must be greater than or equal to 0", id="numbers are bare"),
    pytest.param(fe.invalid("spec.paused", True, "x"), "spec.paused: Invalid value: true: x", id="bools are bare"),
    pytest.param(fe.invalid("spec.template.metadata.labels", {"b": "2", "a": "1"}, "`selector` does not match template `labels`"),
                 'spec.template.metadata.labels: Invalid value: {"a":"1","b":"2"}: `selector` does not match template `labels`',
                 id="maps are JSON with sorted keys"),
    pytest.param(fe.invalid("x", None, "d"), "x: Invalid value: null: d", id="nil is null"),
    pytest.param(fe.not_supported("spec.restartPolicy", "Sometimes", ["Always", "OnFailure", "Never"]),
                 'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
                 id="unsupported lists quoted values"),
    pytest.param(fe.duplicate("spec.containers[1].name", "app"), 'spec.containers[1].name: Duplicate value: "app"',
                 id="duplicate shows the value"),
    pytest.param(fe.forbidden("spec", "no"), "spec: Forbidden: no", id="forbidden shows no value"),
    pytest.param(fe.too_long("metadata.annotations", 262144),
                 "metadata.annotations: Too long: may not be more than 262144 bytes", id="too long shows the limit"),
    pytest.param(FieldError(fe.NOT_FOUND, "spec.containers[0].volumeMounts[0].name", "data"),
                 'spec.containers[0].volumeMounts[0].name: Not found: "data"', id="not found shows the value"),
    pytest.param(fe.invalid("x", 'say "hi"\n', "d"), 'x: Invalid value: "say \\"hi\\"\\n": d', id="quoting escapes like Go"),
])
def test_field_error_text(error, text):
    assert str(error) == text


def test_invalid_message_single_error_has_no_brackets():
    errs = [fe.required("spec.containers[0].image")]
    assert fe.invalid_message("Pod", "x", errs) == 'Pod "x" is invalid: spec.containers[0].image: Required value'


def test_invalid_message_several_errors_are_bracketed_and_deduplicated():
    errs = [fe.required("spec.selector"), fe.required("spec.selector"), fe.required("spec.template")]
    assert fe.invalid_message("Deployment.apps", "web", errs) == \
        'Deployment.apps "web" is invalid: [spec.selector: Required value, spec.template: Required value]'


def test_kubectl_reformats_invalid_one_cause_per_line():
    errs = [fe.required("spec.containers[0].image"), fe.invalid("metadata.name", "X", "bad")]
    assert fe.kubectl_invalid("Pod", "x", errs) == (
        'The Pod "x" is invalid: \n* spec.containers[0].image: Required value\n'
        '* metadata.name: Invalid value: "X": bad')
    assert fe.kubectl_invalid("Pod", "x", errs[:1]) == 'The Pod "x" is invalid: spec.containers[0].image: Required value'


def test_cause_is_a_status_cause():
    assert fe.required("spec.selector").cause() == {
        "reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"}


def test_invalid_status_is_a_422_with_causes():
    status = fe.invalid_status("apps", "Deployment", "web", [fe.required("spec.selector")])
    assert status == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": 'Deployment.apps "web" is invalid: spec.selector: Required value', "reason": "Invalid",
        "details": {"name": "web", "group": "apps", "kind": "Deployment", "causes": [
            {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"}]},
        "code": 422}
    assert "group" not in fe.invalid_status("", "Pod", "x", [])["details"]


def test_strict_decoding_message_and_bad_request_status():
    errs = [FieldError(fe.UNKNOWN_FIELD, "spec.x", 1, 'unknown field "spec.x"')]
    message = fe.strict_decoding_message("Pod", "v1", errs)
    assert message == 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.x"'
    assert fe.bad_request_status(message)["code"] == 400
