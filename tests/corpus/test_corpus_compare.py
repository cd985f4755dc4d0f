"""The read-back comparison forgives exactly what a real API server rewrites, and nothing else.

corpus_support.missing_or_different(author, live) lists every field the author wrote that the
live object lacks or holds differently. These cases pin each rule its docstring states."""
from __future__ import annotations

import pytest

from corpus_support import expected_view, missing_or_different


def pod_spec(**spec):
    return {"kind": "Pod", "spec": spec}


@pytest.mark.parametrize("author, live, kind, problems", [
    pytest.param({"a": 1, "b": {"c": "x"}}, {"a": 1, "b": {"c": "x", "d": 2}, "e": 3}, "", [],
                 id="fields the server adds are not problems"),
    pytest.param({"a": {"b": "x"}}, {"a": {}}, "", ["a.b: wrote 'x', missing"],
                 id="a field the author wrote and the server lost is reported by its path"),
    pytest.param({"port": "8080"}, {"port": 8080}, "", ["port: wrote '8080', got 8080"],
                 id="an int-or-string keeps the type the author wrote"),
    pytest.param({"replicas": 1}, {"replicas": 1.0}, "", [],
                 id="numbers compare by value"),
    pytest.param({"enabled": True}, {"enabled": 1}, "", ["enabled: wrote True, got 1"],
                 id="a boolean is not a number"),
    pytest.param({"args": [], "labels": {}, "x": None}, {}, "", [],
                 id="empty lists and maps and nulls may be omitted"),
    pytest.param({"l": ["a", "b"]}, {"l": ["b", "a"]}, "",
                 ["l[0]: wrote 'a', got 'b'", "l[1]: wrote 'b', got 'a'"],
                 id="lists are compared by position"),
    pytest.param({"l": ["a"]}, {"l": ["a", "b"]}, "", ["l: wrote ['a'], got ['a', 'b']"],
                 id="an ordinary list may not grow"),
    pytest.param({"resources": {"requests": {"cpu": 0.5}}}, {"resources": {"requests": {"cpu": "500m"}}},
                 "", [], id="a quantity reads back in canonical form"),
    pytest.param({"resources": {"limits": {"cpu": "1.5"}}}, {"resources": {"limits": {"cpu": "1.5"}}},
                 "", ["resources.limits.cpu: wrote '1.5', got '1.5' (a server returns the canonical '1500m')"],
                 id="a quantity kept in the author's non-canonical spelling is reported"),
    pytest.param({"resources": {"limits": {"memory": "1Gi"}}}, {"resources": {"limits": {"memory": "1024Mi"}}},
                 "", ["resources.limits.memory: wrote '1Gi', got '1024Mi' (a server returns the canonical '1Gi')"],
                 id="a canonical quantity must not be respelled"),
    pytest.param({"env": [{"name": "CPU", "value": "0.5"}]}, {"env": [{"name": "CPU", "value": "500m"}]},
                 "", ["env[0].value: wrote '0.5', got '500m'"],
                 id="a string that merely looks like a quantity is compared exactly"),
])
def test_missing_or_different(author, live, kind, problems):
    assert missing_or_different(author, live, kind=kind) == problems


@pytest.mark.parametrize("author, live, problems", [
    pytest.param(pod_spec(volumes=[{"name": "v"}]), pod_spec(volumes=[{"name": "v"}, {"name": "kube-api-access-x"}]),
                 [], id="a pod's volumes may gain the service-account token volume at the end"),
    pytest.param(pod_spec(volumes=[{"name": "v"}]), pod_spec(volumes=[{"name": "kube-api-access-x"}, {"name": "v"}]),
                 ["spec.volumes[0].name: wrote 'v', got 'kube-api-access-x'"],
                 id="but the author's volumes must still come first"),
    pytest.param(pod_spec(containers=[{"volumeMounts": [{"name": "v"}]}]),
                 pod_spec(containers=[{"volumeMounts": [{"name": "v"}, {"name": "token"}]}]),
                 [], id="a container's volumeMounts may gain the token mount"),
    pytest.param(pod_spec(tolerations=[{"key": "k"}]), pod_spec(tolerations=[{"key": "k"}, {"key": "t"}]),
                 [], id="a pod's tolerations may gain the default not-ready and unreachable ones"),
    pytest.param({"kind": "Deployment", "spec": {"template": {"spec": {"volumes": [{"name": "v"}]}}}},
                 {"kind": "Deployment", "spec": {"template": {"spec": {"volumes": [{"name": "v"}, {"name": "x"}]}}}},
                 ["spec.template.spec.volumes: wrote [{'name': 'v'}], got [{'name': 'v'}, {'name': 'x'}]"],
                 id="a workload's pod template is stored as written"),
])
def test_lists_admission_appends_to(author, live, problems):
    assert missing_or_different(author, live, kind=author["kind"]) == problems


def test_secret_string_data_is_expected_in_data():
    author = {"kind": "Secret", "data": {"a": "eA=="}, "stringData": {"b": "y"}}
    assert expected_view(author) == {"kind": "Secret", "data": {"a": "eA==", "b": "eQ=="}}
    assert missing_or_different(expected_view(author), {"kind": "Secret", "data": {"a": "eA==", "b": "eQ=="}},
                                kind="Secret") == []


def test_a_cluster_scoped_objects_namespace_is_not_expected_back():
    author = {"kind": "ClusterRoleBinding", "metadata": {"name": "b", "namespace": "ns"}}
    assert expected_view(author, namespaced=False) == {"kind": "ClusterRoleBinding", "metadata": {"name": "b"}}
