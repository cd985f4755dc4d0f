"""CSR approver and signer: what gets approved automatically, what gets signed, and how."""
from __future__ import annotations

import base64
import datetime as dt

import pytest

from kcore.pki import cert_info, derive_key, make_csr

from .conftest import apply, get_json

CLIENT = "kubernetes.io/kube-apiserver-client"
KUBELET = "kubernetes.io/kube-apiserver-client-kubelet"
SERVING = "kubernetes.io/kubelet-serving"


NODE_CLIENT = ("digital signature", "key encipherment", "client auth")


def csr_yaml(name, cn, orgs=(), signer=CLIENT, usages=("client auth",), seconds=None,
             username=None, groups=(), sans=()):
    pem = make_csr(derive_key("tests", name), cn, list(orgs), list(sans))
    lines = [f"apiVersion: certificates.k8s.io/v1", "kind: CertificateSigningRequest",
             f"metadata: {{name: {name}}}", "spec:",
             f"  request: {base64.b64encode(pem).decode()}",
             f"  signerName: {signer}",
             f"  usages: [{', '.join(usages)}]"]
    if seconds is not None:
        lines.append(f"  expirationSeconds: {seconds}")
    if username:
        lines.append(f"  username: \"{username}\"")
    if groups:
        lines.append(f"  groups: [{', '.join(groups)}]")
    return "\n".join(lines) + "\n"


def set_condition(c, name, ctype, reason, message):
    """What `kubectl certificate approve|deny` does (through the approval subresource)."""
    verb = {"Approved": "approve", "Denied": "deny"}[ctype]
    r = c.kubectl(f"certificate {verb} {name}")
    if r.returncode == 0:
        return
    obj = c.api.get("certificatesigningrequests", None, name)
    obj.setdefault("status", {}).setdefault("conditions", []).append(
        {"type": ctype, "status": "True", "reason": reason, "message": message,
         "lastUpdateTime": c.loop.timestamp(), "lastTransitionTime": c.loop.timestamp()})
    c.api.update("certificatesigningrequests", None, obj, subresource="approval")
    c.advance(1)


def approve(c, name):
    set_condition(c, name, "Approved", "KubectlApprove",
                  "This CSR was approved by kubectl certificate approve.")


def conditions(c, name):
    return {x["type"]: x for x in (get_json(c, f"csr {name}").get("status") or {}).get("conditions") or []}


def certificate(c, name):
    pem = (get_json(c, f"csr {name}").get("status") or {}).get("certificate")
    return cert_info(base64.b64decode(pem)) if pem else None


@pytest.mark.parametrize("name, seconds, lifetime", [
    pytest.param("jane-day", 86400, dt.timedelta(days=1, minutes=5),
                 id="expirationSeconds sets the lifetime and it is backdated five minutes"),
    pytest.param("jane-hour", 3600, dt.timedelta(hours=1),
                 id="a certificate of eight hours or less is not backdated"),
    pytest.param("jane-year", None, dt.timedelta(days=365, minutes=5),
                 id="without expirationSeconds a certificate lasts a year"),
    pytest.param("jane-long", 10 * 365 * 86400, dt.timedelta(days=365, minutes=5),
                 id="a lifetime is capped at a year"),
])
def test_an_approved_client_request_is_signed_by_the_cluster_ca(cluster, name, seconds, lifetime):
    apply(cluster, csr_yaml(name, "jane", ["devs"], seconds=seconds))
    assert certificate(cluster, name) is None
    approve(cluster, name)
    info = certificate(cluster, name)
    assert info is not None
    assert (info["common_name"], info["organizations"]) == ("jane", ["devs"])
    assert info["issuer_common_name"] == "kubernetes"
    assert info["ext_key_usages"] == ["client auth"]
    now = dt.datetime.fromtimestamp(int(cluster.loop.wall()), tz=dt.timezone.utc)
    assert abs((info["not_after"] - info["not_before"]) - lifetime) < dt.timedelta(seconds=5)
    assert info["not_before"] <= now


def test_a_pending_request_is_not_signed(cluster):
    apply(cluster, csr_yaml("waiting", "bob"))
    cluster.advance(30)
    assert certificate(cluster, "waiting") is None
    assert conditions(cluster, "waiting") == {}


def test_a_denied_request_is_not_signed(cluster):
    apply(cluster, csr_yaml("refused", "eve"))
    set_condition(cluster, "refused", "Denied", "KubectlDeny",
                  "This CSR was denied by kubectl certificate deny.")
    assert certificate(cluster, "refused") is None


def test_a_kubelet_serving_request_is_signed_for_server_auth(cluster):
    apply(cluster, csr_yaml("serving", "system:node:node01", ["system:nodes"], signer=SERVING,
                            usages=("digital signature", "key encipherment", "server auth"),
                            sans=("node01", "192.168.1.11")))
    approve(cluster, "serving")
    info = certificate(cluster, "serving")
    assert info["ext_key_usages"] == ["server auth"]
    assert info["dns_names"] == ["node01"] and info["ip_addresses"] == ["192.168.1.11"]


@pytest.mark.parametrize("name, cn, orgs, signer, usages, sans, message", [
    pytest.param("bad-usage", "jane", (), CLIENT, ("server auth",), (),
                 "invalid usage for client certificate: server auth",
                 id="a client signer refuses server auth"),
    pytest.param("no-client-auth", "jane", (), CLIENT, ("digital signature",), (),
                 "missing required usage for client certificate: client auth",
                 id="a client signer needs client auth"),
    pytest.param("bad-serving", "jane", (), SERVING, ("server auth",), ("node01",),
                 "subject organization is not system:nodes",
                 id="kubelet-serving refuses a subject that is not a node"),
    pytest.param("serving-no-san", "system:node:x", ("system:nodes",), SERVING,
                 ("digital signature", "server auth"), (),
                 "DNS or IP subjectAltName is required",
                 id="kubelet-serving needs a DNS or IP name"),
    pytest.param("bad-kubelet", "system:node:x", ("system:nodes",), KUBELET, ("server auth",), (),
                 "usages did not match [client auth digital signature key encipherment]",
                 id="a kubelet client certificate must be for client auth"),
    pytest.param("kubelet-san", "system:node:x", ("system:nodes",), KUBELET, NODE_CLIENT, ("x",),
                 "DNS subjectAltNames are not allowed",
                 id="a kubelet client certificate carries no names"),
])
def test_requests_breaking_their_signer_rules_fail(cluster, name, cn, orgs, signer, usages,
                                                   sans, message):
    apply(cluster, csr_yaml(name, cn, orgs, signer=signer, usages=usages, sans=sans))
    approve(cluster, name)
    cond = conditions(cluster, name)
    assert cond["Failed"]["reason"] == "SignerValidationFailure"
    assert cond["Failed"]["message"] == message
    assert certificate(cluster, name) is None


def test_a_request_for_an_unknown_signer_is_left_alone(cluster):
    apply(cluster, csr_yaml("custom", "jane", signer="example.com/custom"))
    approve(cluster, "custom")
    assert certificate(cluster, "custom") is None
    assert "Failed" not in conditions(cluster, "custom")


@pytest.mark.parametrize("name, cn, orgs, signer, username, groups, approved", [
    pytest.param("node-bootstrap", "system:node:node09", ("system:nodes",), KUBELET,
                 "system:bootstrap:abcdef", ("system:bootstrappers",), True,
                 id="a kubelet's bootstrap request is approved and issued"),
    pytest.param("node-renewal", "system:node:node09", ("system:nodes",), KUBELET,
                 "system:node:node09", ("system:nodes",), True,
                 id="a node renewing its own client certificate is approved"),
    pytest.param("user-request", "jane", ("devs",), CLIENT,
                 "jane", ("system:authenticated",), False,
                 id="a person's request is never auto-approved"),
    pytest.param("node-by-stranger", "system:node:node09", ("system:nodes",), KUBELET,
                 "mallory", ("system:authenticated",), False,
                 id="a node request made by someone else is not approved"),
])
def test_auto_approval(cluster, name, cn, orgs, signer, username, groups, approved):
    usages = NODE_CLIENT if signer == KUBELET else ("client auth",)
    apply(cluster, csr_yaml(name, cn, orgs, signer=signer, usages=usages, username=username,
                            groups=groups))
    cluster.advance(5)
    cond = conditions(cluster, name)
    assert ("Approved" in cond) is approved
    if approved:
        assert cond["Approved"]["reason"] == "AutoApproved"
        assert certificate(cluster, name)["common_name"] == cn
