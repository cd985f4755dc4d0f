"""kubeadm's PKI: subjects, SANs, usages, validity, determinism, CSR signing."""
from __future__ import annotations

import datetime as dt

import pytest

from kcore.pki import (PKIError, cert_info, derive_key, issue, kubeadm_cas, kubeadm_pki, load_cert,
                       load_key, make_ca, make_csr, sign_csr)
from kcore.pki.ca import RSA_2048

NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc)
NODE, IP = "controlplane", "192.168.121.10"


@pytest.fixture(scope="module")
def pki():
    return kubeadm_pki(NODE, IP, NOW, seed="lab")


@pytest.fixture(scope="module")
def cas():
    return kubeadm_cas(NOW, seed="lab")


def test_the_tree_has_kubeadms_22_files(pki):
    assert sorted(pki) == sorted([
        "apiserver.crt", "apiserver.key", "apiserver-etcd-client.crt", "apiserver-etcd-client.key",
        "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key", "ca.crt", "ca.key",
        "front-proxy-ca.crt", "front-proxy-ca.key", "front-proxy-client.crt", "front-proxy-client.key",
        "sa.key", "sa.pub", "etcd/ca.crt", "etcd/ca.key", "etcd/healthcheck-client.crt",
        "etcd/healthcheck-client.key", "etcd/peer.crt", "etcd/peer.key", "etcd/server.crt",
        "etcd/server.key"])


@pytest.mark.parametrize("path, subject, issuer, ext_usages, dns, ips", [
    pytest.param("ca.crt", "CN=kubernetes", "kubernetes", [], ["kubernetes"], [],
                 id="the cluster CA is self-signed CN=kubernetes"),
    pytest.param("apiserver.crt", "CN=kube-apiserver", "kubernetes", ["server auth"],
                 ["controlplane", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
                  "kubernetes.default.svc.cluster.local"], ["10.96.0.1", IP],
                 id="the apiserver serves the kubernetes names, the service IP and the node IP"),
    pytest.param("apiserver-kubelet-client.crt", "CN=kube-apiserver-kubelet-client,O=kubeadm:cluster-admins",
                 "kubernetes", ["client auth"], [], [],
                 id="the apiserver's kubelet client is in group kubeadm:cluster-admins"),
    pytest.param("front-proxy-client.crt", "CN=front-proxy-client", "front-proxy-ca", ["client auth"], [], [],
                 id="the front proxy client is signed by the front-proxy CA"),
    pytest.param("etcd/server.crt", "CN=controlplane", "etcd-ca", ["server auth", "client auth"],
                 ["controlplane", "localhost"], [IP, "127.0.0.1", "::1"],
                 id="the etcd server cert names the node, localhost and loopbacks"),
    pytest.param("etcd/peer.crt", "CN=controlplane", "etcd-ca", ["server auth", "client auth"],
                 ["controlplane", "localhost"], [IP, "127.0.0.1", "::1"],
                 id="the etcd peer cert has the server's names"),
    pytest.param("etcd/healthcheck-client.crt", "CN=kube-etcd-healthcheck-client", "etcd-ca",
                 ["client auth"], [], [], id="the etcd healthcheck client is an etcd-ca client"),
    pytest.param("apiserver-etcd-client.crt", "CN=kube-apiserver-etcd-client", "etcd-ca",
                 ["client auth"], [], [], id="the apiserver reaches etcd with an etcd-ca client cert"),
])
def test_kubeadm_certificates(pki, path, subject, issuer, ext_usages, dns, ips):
    info = cert_info(pki[path])
    assert info["subject"] == subject
    assert info["issuer_common_name"] == issuer
    assert info["ext_key_usages"] == ext_usages
    assert (info["dns_names"], info["ip_addresses"]) == (dns, ips)


@pytest.mark.parametrize("path, not_after, is_ca", [
    pytest.param("ca.crt", dt.datetime(2036, 1, 13, 9, 0, tzinfo=dt.timezone.utc), True,
                 id="a CA lives 87600h: Jan 15 2026 to Jan 13 2036"),
    pytest.param("apiserver.crt", dt.datetime(2027, 1, 15, 9, 0, tzinfo=dt.timezone.utc), False,
                 id="a leaf lives 8760h"),
])
def test_validity_is_kubeadms(pki, path, not_after, is_ca):
    info = cert_info(pki[path])
    assert info["not_before"] == NOW - dt.timedelta(minutes=5)
    assert info["not_after"] == not_after
    assert info["is_ca"] is is_ca


def test_every_leaf_verifies_against_its_ca(pki):
    for path in pki:
        if path.endswith(".crt") and "ca" not in path.rsplit("/", 1)[-1]:
            base = "etcd/ca.crt" if path.startswith("etcd/") or "etcd-client" in path else (
                "front-proxy-ca.crt" if "front-proxy" in path else "ca.crt")
            load_cert(pki[path]).verify_directly_issued_by(load_cert(pki[base]))


def test_same_seed_same_bytes_other_seed_other_keys(pki):
    assert kubeadm_pki(NODE, IP, NOW, seed="lab") == pki
    assert kubeadm_pki(NODE, IP, NOW, seed="other")["ca.key"] != pki["ca.key"]


def test_rsa_keys_are_deterministic_too():
    a = derive_key("s", "jane", RSA_2048)
    assert a.key_size == 2048
    derive_key.__globals__["_rsa_key"].cache_clear()
    assert derive_key("s", "jane", RSA_2048).private_numbers() == a.private_numbers()


@pytest.mark.parametrize("usages, ext", [
    pytest.param(["client auth"], ["client auth"], id="a user CSR signed for client auth"),
    pytest.param(["digital signature", "key encipherment", "server auth"], ["server auth"],
                 id="a kubelet serving CSR signed for server auth"),
])
def test_sign_csr(cas, usages, ext):
    key = derive_key("lab", "jane")
    csr = make_csr(key, "jane", ["developers"])
    pem = sign_csr(cas["ca"], csr, usages, not_before=NOW, days=30)
    info = cert_info(pem)
    assert info["subject"] == "CN=jane,O=developers" and info["ext_key_usages"] == ext
    assert info["not_after"] - info["not_before"] == dt.timedelta(days=30)
    assert sign_csr(cas["ca"], csr, usages, not_before=NOW, days=30) == pem


@pytest.mark.parametrize("call, message", [
    pytest.param(lambda ca: sign_csr(ca, b"not a csr", not_before=NOW),
                 "PEM block type must be CERTIFICATE REQUEST", id="garbage is not a CSR"),
    pytest.param(lambda ca: issue(ca, "x", usages=["flying"], not_before=NOW),
                 'unsupported key usage "flying"', id="an unknown usage is refused"),
    pytest.param(lambda ca: load_key("-----BEGIN NOTHING-----"),
                 "data does not contain a valid RSA or ECDSA private key", id="a bad key PEM is refused"),
    pytest.param(lambda ca: cert_info("hello"),
                 "data does not contain any valid RSA or ECDSA certificates", id="a bad cert PEM is refused"),
])
def test_bad_input_raises_pki_error(cas, call, message):
    with pytest.raises(PKIError, match=f"^{message}$"):
        call(cas["ca"])


def test_make_ca_takes_naive_dates_as_utc():
    ca = make_ca("etcd-ca", dt.datetime(2026, 1, 1), days=10)
    assert cert_info(ca.cert_pem)["not_after"] == dt.datetime(2026, 1, 11, tzinfo=dt.timezone.utc)


def test_kubelet_pki(cas):
    from kcore.pki import kubelet_pki
    files = kubelet_pki(cas["ca"], "node01", NOW)
    assert sorted(files) == ["kubelet-client-2026-01-15-09-00-00.pem", "kubelet-client-current.pem",
                             "kubelet.crt", "kubelet.key"]
    client = cert_info(files["kubelet-client-current.pem"])
    assert client["subject_text"] == "O = system:nodes, CN = system:node:node01"
    assert client["issuer_text"] == "CN = kubernetes" and client["ext_key_usages"] == ["client auth"]
    serving = cert_info(files["kubelet.crt"])
    assert serving["common_name"] == "node01@1768467600" and serving["issuer_common_name"] == "node01-ca@1768467600"
    load_key(files["kubelet-client-current.pem"])


def test_positional_call_as_documented(cas):
    issued = issue(cas["ca"], "jane", ["dev"], [], ["client auth"], NOW, 30)
    assert cert_info(issued.cert_pem)["not_after"] == NOW + dt.timedelta(days=30)
    with pytest.raises(TypeError, match="never read the clock"):
        issue(cas["ca"], "jane")


def test_different_csrs_get_different_serials(cas):
    serials = {load_cert(sign_csr(cas["ca"], make_csr(derive_key("lab", u), u), not_before=NOW)).serial_number
               for u in ("jane", "john", "ann")}
    assert len(serials) == 3
