"""The API server pipeline, table by table: what is stored, what is refused, and that a
refused request changes nothing."""
from __future__ import annotations

import pytest

from kcore.apiserver import ApiError, APIServer
from kcore.apiserver.authn import User
from kcore.apiserver.authz import Chain
from kcore.apiserver.authz.rbac import RBAC
from kcore.etcd.store import Store
from kcore.sim import Loop


def pod(name, **spec):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec}}


@pytest.fixture
def api():
    a = APIServer(Store(), Loop())
    for ns in ("default", "dev"):
        a.create("namespaces", None, {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns}})
        a.create("serviceaccounts", ns, {"apiVersion": "v1", "kind": "ServiceAccount",
                                         "metadata": {"name": "default"}})
    return a


def test_create_sets_server_fields_and_defaults(api):
    p = api.create("pods", "default", pod("web"))
    md = p["metadata"]
    assert md["namespace"] == "default" and md["uid"] and md["creationTimestamp"]
    assert md["resourceVersion"] == str(api.store.revision)
    assert p["spec"]["restartPolicy"] == "Always"
    assert p["spec"]["serviceAccountName"] == "default"
    assert p["status"]["phase"] == "Pending"
    assert api.store.get("/registry/pods/default/web") is not None


@pytest.mark.parametrize("body, reason, text", [
    pytest.param(pod("Bad_Name"), "Invalid", 'Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
                 id="an invalid name is refused as Invalid"),
    pytest.param({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                  "spec": {"containers": [{"name": "c"}]}}, "Invalid",
                 "spec.containers[0].image: Required value", id="a container without an image is Invalid"),
    pytest.param({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"},
                  "spec": {"containerz": []}}, "BadRequest", 'strict decoding error: unknown field "spec.containerz"',
                 id="an unknown field is a strict decoding error"),
])
def test_bad_objects_are_refused_and_change_nothing(api, body, reason, text):
    before = api.store.revision
    with pytest.raises(ApiError) as err:
        api.create("pods", "default", body)
    assert err.value.reason == reason
    assert text in err.value.message
    assert api.store.revision == before


def test_a_second_create_is_already_exists(api):
    api.create("pods", "default", pod("web"))
    with pytest.raises(ApiError) as err:
        api.create("pods", "default", pod("web"))
    assert err.value.reason == "AlreadyExists" and err.value.code == 409
    assert err.value.message == 'pods "web" already exists'


def test_creating_in_a_missing_namespace_is_not_found(api):
    with pytest.raises(ApiError) as err:
        api.create("pods", "nowhere", pod("web"))
    assert err.value.message == 'namespaces "nowhere" not found'


def test_a_stale_update_is_a_conflict(api):
    p = api.create("pods", "default", pod("web"))
    fresh = api.get("pods", "default", "web")
    fresh["metadata"]["labels"] = {"a": "b"}
    api.update("pods", "default", fresh)
    p["metadata"]["labels"] = {"a": "c"}
    with pytest.raises(ApiError) as err:
        api.update("pods", "default", p)
    assert err.value.reason == "Conflict"
    assert "the object has been modified" in err.value.message


def test_generate_name_gets_a_random_suffix(api):
    body = pod("")
    body["metadata"] = {"generateName": "web-"}
    p = api.create("pods", "default", body)
    assert p["metadata"]["name"].startswith("web-") and len(p["metadata"]["name"]) == 9


def test_label_and_field_selectors_filter_lists(api):
    a = pod("a")
    a["metadata"]["labels"] = {"app": "web"}
    api.create("pods", "default", a)
    api.create("pods", "default", pod("b", nodeName="node01"))
    names = lambda lst: [o["metadata"]["name"] for o in lst["items"]]
    assert names(api.list("pods", "default", label_selector="app=web")) == ["a"]
    assert names(api.list("pods", "default", field_selector="spec.nodeName=node01")) == ["b"]
    with pytest.raises(ApiError) as err:
        api.list("pods", "default", field_selector="spec.bogus=x")
    assert err.value.reason == "BadRequest"


def test_graceful_pod_deletion_marks_then_removes(api):
    api.create("pods", "default", pod("web", nodeName="node01"))
    api.delete("pods", "default", "web")
    p = api.get("pods", "default", "web")
    assert p["metadata"]["deletionTimestamp"] and p["metadata"]["deletionGracePeriodSeconds"] == 30
    api.delete("pods", "default", "web", grace_period=0)
    with pytest.raises(ApiError):
        api.get("pods", "default", "web")


def test_finalizers_hold_an_object_until_removed(api):
    cm = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c", "finalizers": ["x/y"]}}
    api.create("configmaps", "default", cm)
    api.delete("configmaps", "default", "c")
    live = api.get("configmaps", "default", "c")
    assert live["metadata"]["deletionTimestamp"]
    live["metadata"]["finalizers"] = []
    api.update("configmaps", "default", live)
    with pytest.raises(ApiError):
        api.get("configmaps", "default", "c")


def test_binding_assigns_a_node_once(api):
    api.create("pods", "default", pod("web"))
    binding = {"apiVersion": "v1", "kind": "Binding", "metadata": {"name": "web"},
               "target": {"apiVersion": "v1", "kind": "Node", "name": "node01"}}
    api.create("pods", "default", binding, subresource="binding", name="web")
    assert api.get("pods", "default", "web")["spec"]["nodeName"] == "node01"
    with pytest.raises(ApiError) as err:
        api.create("pods", "default", binding, subresource="binding", name="web")
    assert 'is already assigned to node "node01"' in err.value.message


def test_watchers_hear_changes_in_revision_order(api):
    seen = []
    api.watch("pods", "default", lambda et, o: seen.append((et, o["metadata"]["name"],
                                                            int(o["metadata"]["resourceVersion"]))))
    api.create("pods", "default", pod("a"))
    api.create("pods", "default", pod("b"))
    api.delete("pods", "default", "a")
    api.loop.run_ready()
    assert [(e, n) for e, n, _ in seen] == [("ADDED", "a"), ("ADDED", "b"), ("DELETED", "a")]
    revs = [r for _, _, r in seen]
    assert revs == sorted(revs)


def test_rbac_forbids_with_kubernetes_wording(api):
    api.authorizer = Chain([RBAC(api.lister)])
    jane = User("jane")
    with pytest.raises(ApiError) as err:
        api.list("pods", "dev", user=jane)
    assert err.value.reason == "Forbidden"
    assert err.value.message == ('pods is forbidden: User "jane" cannot list resource "pods" in '
                                 'API group "" in the namespace "dev"')
    api.create("roles", "dev", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
                                "metadata": {"name": "r"},
                                "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["list"]}]},
               user=User("admin", ("system:masters",)))
    api.create("rolebindings", "dev", {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                                       "metadata": {"name": "rb"},
                                       "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "r"},
                                       "subjects": [{"kind": "User", "name": "jane"}]},
               user=User("admin", ("system:masters",)))
    assert api.list("pods", "dev", user=jane)["items"] == []


def test_scale_subresource_reads_and_writes_replicas(api):
    dep = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "d"},
           "spec": {"replicas": 1, "selector": {"matchLabels": {"a": "b"}},
                    "template": {"metadata": {"labels": {"a": "b"}},
                                 "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}
    api.create("deployments", "default", dep)
    scale = api.get("deployments", "default", "d", subresource="scale")
    assert scale["kind"] == "Scale" and scale["spec"]["replicas"] == 1
    assert scale["status"]["selector"] == "a=b"
    scale["spec"]["replicas"] = 4
    api.update("deployments", "default", scale, subresource="scale")
    assert api.get("deployments", "default", "d")["spec"]["replicas"] == 4
