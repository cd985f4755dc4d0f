"""The generic outputs of `kubectl get`: -o name, custom columns, --sort-by, JSONPath over a
single object or the List kubectl builds, and the "No resources found" messages."""
import json

import pytest

from kcore.cli.kubectl.printers import (PrinterError, resource_name, print_names, as_list, output_object,
                                        print_custom_columns, parse_custom_columns,
                                        parse_custom_columns_file, sort_objects, natural_less,
                                        print_jsonpath, no_resources_message, print_json, print_yaml)
from tests.printers.builders import pod


@pytest.mark.parametrize("obj, kind, group, expected", [
    pytest.param({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "nginx"}}, None, None, "pod/nginx",
                 id="a core object has no group"),
    pytest.param({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}}, None, None,
                 "deployment.apps/web", id="a grouped object names its group"),
    pytest.param({"metadata": {"name": "pi"}}, "Job", "batch", "job.batch/pi",
                 id="the resource type can be given instead of apiVersion"),
    pytest.param({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole", "metadata": {"name": "view"}},
                 None, None, "clusterrole.rbac.authorization.k8s.io/view", id="long groups are kept whole"),
])
def test_resource_name(obj, kind, group, expected):
    assert resource_name(obj, kind, group) == expected


def test_names_of_several_types():
    text = print_names([(("Pod", "", True), [pod("a").obj()]),
                        (("Service", "", True), [{"metadata": {"name": "web"}}])])
    assert text == "pod/a\nservice/web\n"


PODS = [
    {"metadata": {"name": "web-10", "labels": {"app": "web"}},
     "spec": {"containers": [{"image": "nginx"}, {"image": "busybox"}]},
     "status": {"containerStatuses": [{"restartCount": 3}]}},
    {"metadata": {"name": "web-9"}, "spec": {"containers": [{"image": "redis"}]},
     "status": {"containerStatuses": [{"restartCount": 12}]}},
]


@pytest.mark.parametrize("spec, expected", [
    pytest.param("NAME:.metadata.name,IMAGES:.spec.containers[*].image",
                 "NAME     IMAGES\nweb-10   nginx,busybox\nweb-9    redis\n",
                 id="several results of one column are joined with commas"),
    pytest.param("NAME:metadata.name,APP:{.metadata.labels.app}",
                 "NAME     APP\nweb-10   web\nweb-9    <none>\n",
                 id="relaxed paths work and a missing field prints none"),
    pytest.param("L:.metadata.labels", "L\nmap[app:web]\n<none>\n",
                 id="a map prints the way Go prints maps"),
])
def test_custom_columns(spec, expected):
    assert print_custom_columns(spec, PODS) == expected


def test_custom_columns_without_headers():
    assert print_custom_columns("N:.metadata.name", PODS, no_headers=True) == "web-10\nweb-9\n"


@pytest.mark.parametrize("spec, message", [
    pytest.param("", "custom-columns format specified but no custom columns given",
                 id="an empty spec is rejected"),
    pytest.param("NAME", "unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>",
                 id="a column without a path is rejected"),
])
def test_custom_columns_errors(spec, message):
    with pytest.raises(PrinterError) as err:
        parse_custom_columns(spec)
    assert str(err.value) == message


def test_custom_columns_file():
    columns = parse_custom_columns_file("NAME          IMAGE\n.metadata.name .spec.containers[0].image\n")
    assert columns == [("NAME", "{.metadata.name}"), ("IMAGE", "{.spec.containers[0].image}")]
    with pytest.raises(PrinterError, match=r"number of headers \(2\) and field specifications \(1\) don't match"):
        parse_custom_columns_file("A B\n.a\n")


def names(objs):
    return [o["metadata"]["name"] for o in objs]


@pytest.mark.parametrize("field, expected", [
    pytest.param(".metadata.name", ["web-10", "web-9"], id="names sort byte by byte as kubectl does"),
    pytest.param(".status.containerStatuses[0].restartCount", ["web-10", "web-9"], id="numbers sort as numbers"),
    pytest.param("{.spec.containers[0].image}", ["web-10", "web-9"], id="braced paths are accepted"),
])
def test_sort_by(field, expected):
    assert names(sort_objects(PODS, field)) == expected


def test_sort_by_quantities_and_timestamps():
    pvs = [{"metadata": {"name": n, "creationTimestamp": t}, "spec": {"capacity": {"storage": s}}}
           for n, s, t in [("a", "300Mi", "2026-01-02T00:00:00Z"), ("b", "40Mi", "2026-01-01T00:00:00Z"),
                           ("c", "1Gi", "2026-01-03T00:00:00Z"), ("d", "200Mi", "2025-12-31T00:00:00Z")]]
    assert names(sort_objects(pvs, ".spec.capacity.storage")) == ["b", "d", "a", "c"]
    assert names(sort_objects(pvs, ".metadata.creationTimestamp")) == ["d", "b", "a", "c"]


def test_sort_by_puts_objects_without_the_field_first():
    objs = [{"metadata": {"name": "x"}, "v": 2}, {"metadata": {"name": "y"}}, {"metadata": {"name": "z"}, "v": 1}]
    assert names(sort_objects(objs, ".v")) == ["y", "z", "x"]


def test_sort_by_an_unknown_field_fails():
    with pytest.raises(PrinterError) as err:
        sort_objects(PODS, ".spec.nope")
    assert str(err.value) == 'couldn\'t find any field with path "{.spec.nope}" in the list of objects'


def test_sort_by_a_single_table_row_never_fails():
    assert sort_objects(PODS[:1], ".spec.nope", for_table=True) == PODS[:1]


@pytest.mark.parametrize("a, b, less", [
    pytest.param("pod9", "pod10", True, id="digit runs compare by value"),
    pytest.param("pod010", "pod10", False, id="more leading zeros sort later"),
    pytest.param("a", "ab", True, id="a prefix sorts first"),
    pytest.param("1a", "a", True, id="digits sort before other characters"),
])
def test_natural_less(a, b, less):
    assert natural_less(a, b) is less


def test_a_named_object_is_printed_alone_and_a_listing_as_a_list():
    one = pod("nginx").obj()
    assert output_object([one], single=True) is one
    assert output_object([one], single=False) == {"apiVersion": "v1", "items": [one], "kind": "List",
                                                  "metadata": {"resourceVersion": ""}}
    assert as_list([])["items"] == []


@pytest.mark.parametrize("template, single, expected", [
    pytest.param("{.metadata.name}", True, "nginx", id="a named object is the template's root"),
    pytest.param("{.items[*].metadata.name}", False, "nginx web", id="a listing is wrapped in items"),
    pytest.param("{.metadata.name}", False, "", id="a listing has no name of its own"),
    pytest.param("{.metadata}", False, '{"resourceVersion":""}', id="the List carries an empty resourceVersion"),
])
def test_jsonpath(template, single, expected):
    objs = [pod("nginx").obj()] if single else [pod("nginx").obj(), pod("web").obj()]
    out, err, code = print_jsonpath(template, objs, single)
    assert (out, err, code) == (expected, "", 0)


def test_yaml_and_json_of_a_listing_are_a_list():
    objs = [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a"}}]
    assert json.loads(print_json(objs))["kind"] == "List"
    assert print_yaml(objs).endswith("kind: List\nmetadata:\n  resourceVersion: \"\"\n")


@pytest.mark.parametrize("args, expected", [
    pytest.param(("default",), "No resources found in default namespace.\n", id="a namespaced listing names it"),
    pytest.param(("dev",), "No resources found in dev namespace.\n", id="any namespace is named"),
    pytest.param(("default", True, True), "No resources found\n", id="all namespaces names none"),
    pytest.param(("default", False, False), "No resources found\n", id="a cluster-scoped type names none"),
])
def test_no_resources_message(args, expected):
    namespace, *rest = args
    kwargs = dict(zip(("all_namespaces", "namespaced"), rest))
    assert no_resources_message(namespace, **kwargs) == expected
