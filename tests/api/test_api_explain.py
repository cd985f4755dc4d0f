"""kubectl explain layout (kubectl-fidelity.md §4.9) from the committed descriptions."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from kcore.api import kinds
from kcore.api.explain import ExplainError, explain, type_label, wrap


def test_explain_jobs_matches_the_reference_sample():
    text = explain("jobs")
    assert text.startswith(
        "GROUP:      batch\n"
        "KIND:       Job\n"
        "VERSION:    v1\n"
        "\n"
        "DESCRIPTION:\n"
        "    Job represents the configuration of a single job.\n"
        "    \n"
        "FIELDS:\n"
        "  apiVersion\t<string>\n"
        "    APIVersion defines the versioned schema of this representation of an object.\n")
    assert ("  spec\t<JobSpec>\n"
            "    Specification of the desired behavior of a job. More info:\n"
            "    https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#spec-and-status\n"
            ) in text


def test_core_kinds_have_no_group_line():
    assert explain("pods").startswith("KIND:       Pod\nVERSION:    v1\n\nDESCRIPTION:\n")


def test_a_field_path_prints_the_field_then_two_blank_lines():
    text = explain("pods", "spec.containers.image")
    assert text.startswith("KIND:       Pod\nVERSION:    v1\n\nFIELD: image <string>\n\n\nDESCRIPTION:\n"
                           "    Container image name. More info:\n")
    assert "FIELDS:" not in text


def test_a_struct_field_shows_both_descriptions_and_its_fields():
    text = explain("deploy.spec.strategy")
    assert "FIELD: strategy <DeploymentStrategy>\n" in text
    assert ("    The deployment strategy to use to replace existing pods with new ones.\n"
            "    DeploymentStrategy describes how to replace existing pods with new ones.\n") in text
    assert "FIELDS:\n  rollingUpdate\t<RollingUpdateDeployment>\n" in text


@pytest.mark.parametrize("resource, path, line", [
    pytest.param("pods", "spec", "  containers\t<[]Container> -required-\n", id="required fields are marked"),
    pytest.param("pods", "metadata", "  labels\t<map[string]string>\n", id="string maps"),
    pytest.param("pods", "spec.containers.resources", "  limits\t<map[string]Quantity>\n", id="quantity maps"),
    pytest.param("deploy", "spec.strategy.rollingUpdate", "  maxSurge\t<IntOrString>\n", id="int-or-string"),
    pytest.param("pods", "metadata", "  creationTimestamp\t<string>\n", id="timestamps are strings"),
    pytest.param("pods", "spec", "  terminationGracePeriodSeconds\t<integer>\n", id="integers"),
    pytest.param("pods", "spec", "  hostNetwork\t<boolean>\n", id="booleans"),
])
def test_type_labels(resource, path, line):
    assert line in explain(resource, path)


def test_recursive_lists_nested_fields_without_descriptions():
    text = explain("deployments", "spec.strategy", recursive=True)
    assert text.endswith("FIELDS:\n"
                         "  rollingUpdate\t<RollingUpdateDeployment>\n"
                         "    maxSurge\t<IntOrString>\n"
                         "    maxUnavailable\t<IntOrString>\n"
                         "  type\t<string>\n")


def test_recursive_terminates_on_recursive_types():
    assert "FIELDS:" in explain("pods", recursive=True)


def test_unknown_field_is_kubectls_error():
    with pytest.raises(ExplainError) as exc:
        explain("jobs", "spec.backoffLimitx")
    assert str(exc.value) == 'field "backoffLimitx" does not exist'
    assert exc.value.header.startswith("GROUP:      batch\n")


def test_unknown_resource_is_kubectls_error():
    with pytest.raises(kinds.UnknownResource, match='the server doesn\'t have a resource type "foo"'):
        explain("foo")


def test_every_kind_explains():
    for rt in kinds.ALL:
        assert f"KIND:       {rt.kind}\n" in explain(rt)


def test_wrap_keeps_long_words_and_newlines():
    assert wrap("a " * 3 + "x" * 90) == ["a a a", "x" * 90]
    assert wrap("one\ntwo") == ["one", "two"]
    assert type_label({"t": "array", "i": {"t": "ref", "r": "io.k8s.api.core.v1.Container"}}) == "[]Container"


GOLDEN = Path(__file__).with_name("golden")


@pytest.mark.parametrize("args, golden", [
    pytest.param(("jobs", ""), "explain-jobs.txt", id="explain jobs"),
    pytest.param(("pods", "spec.containers.resources"), "explain-pods.spec.containers.resources.txt",
                 id="explain pods.spec.containers.resources"),
    pytest.param(("svc", "spec.ports"), "explain-svc.spec.ports.txt", id="explain svc.spec.ports"),
    pytest.param(("netpol", "spec", True), "explain-netpol.spec-recursive.txt", id="explain netpol.spec --recursive"),
])
def test_golden_transcripts(args, golden):
    """Same input, same bytes. Regenerate with KCORE_REGEN_GOLDEN=1 after checking the diff."""
    text = explain(*args)
    path = GOLDEN / golden
    if os.environ.get("KCORE_REGEN_GOLDEN") == "1":
        path.write_text(text)
    assert text == path.read_text()
