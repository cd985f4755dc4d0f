"""openssl as CKA learners use it; differential against a real OpenSSL 3 where one is installed."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest

from kcore.cli.openssl import openssl
from kcore.pki import cert_info, issue, kubeadm_pki, load_cert, make_ca
from kcore.pki.ca import BACKDATE, RSA_2048
from kcore.pki.certs import apiserver_sans

NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc)
REAL = shutil.which("openssl")
needs_real = pytest.mark.skipif(
    REAL is None or not subprocess.run([REAL or "openssl", "version"], capture_output=True,
                                       text=True).stdout.startswith("OpenSSL 3."),
    reason="a real OpenSSL 3 is not installed")


@pytest.fixture(scope="module")
def pki_dir(tmp_path_factory):
    """ec/: kubeadm's whole tree (ECDSA); rsa/: the cluster CA and apiserver cert in RSA-2048,
    as default kubeadm makes them (RSA keys are slow to derive, so only these two)."""
    root = tmp_path_factory.mktemp("pki")
    files = {f"ec/{rel}": data for rel, data in
             kubeadm_pki("controlplane", "192.168.121.10", NOW, seed="osl").items()}
    ca = make_ca("kubernetes", NOW - BACKDATE, seed="osl", algorithm=RSA_2048,
                 not_after=NOW + dt.timedelta(days=3650))
    api = issue(ca, "kube-apiserver", (), apiserver_sans("controlplane", "192.168.121.10"), ["server auth"],
                not_before=NOW - BACKDATE, not_after=NOW + dt.timedelta(days=365), algorithm=RSA_2048)
    files.update({"rsa/ca.crt": ca.cert_pem, "rsa/ca.key": ca.key_pem,
                  "rsa/apiserver.crt": api.cert_pem, "rsa/apiserver.key": api.key_pem})
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return root


def ours(root, argv, stdin=""):
    return openssl(["openssl", *argv], resolve=lambda p: str(root / p), stdin=stdin, seed="osl", now=NOW)


def real(root, argv, stdin=""):
    p = subprocess.run([REAL, *argv], capture_output=True, text=True, cwd=root, input=stdin)
    return p.stdout, p.stderr, p.returncode


CERTS = [pytest.param(f"ec/{c}", id=f"ecdsa {c}") for c in
         ["ca.crt", "apiserver.crt", "apiserver-kubelet-client.crt", "etcd/server.crt", "front-proxy-ca.crt"]]
CERTS += [pytest.param(f"rsa/{c}", id=f"rsa {c}") for c in ["ca.crt", "apiserver.crt"]]


@needs_real
@pytest.mark.parametrize("cert", CERTS)
@pytest.mark.parametrize("flags", [
    pytest.param(["-text", "-noout"], id="-text -noout renders like OpenSSL 3"),
    pytest.param(["-noout", "-subject", "-issuer", "-dates"], id="subject, issuer and dates lines"),
    pytest.param(["-noout", "-serial", "-fingerprint", "-ext", "subjectAltName"], id="serial, fingerprint, SAN"),
    pytest.param(["-enddate"], id="without -noout the PEM follows"),
])
def test_x509_matches_real_openssl(pki_dir, cert, flags):
    argv = ["x509", "-in", cert, *flags]
    assert ours(pki_dir, argv) == real(pki_dir, argv)


def test_apiserver_text_has_kubeadms_sans(pki_dir):
    out, _, code = ours(pki_dir, ["x509", "-in", "rsa/apiserver.crt", "-text", "-noout"])
    assert code == 0
    assert "                DNS:controlplane, DNS:kubernetes, DNS:kubernetes.default, DNS:kubernetes.default.svc, " \
           "DNS:kubernetes.default.svc.cluster.local, IP Address:10.96.0.1, IP Address:192.168.121.10\n" in out
    assert "            Not Before: Jan 15 08:55:00 2026 GMT\n            Not After : Jan 15 09:00:00 2027 GMT\n" in out
    assert "                Public-Key: (2048 bit)\n" in out


@pytest.mark.parametrize("argv, stdout", [
    pytest.param(["x509", "-in", "ec/apiserver.crt", "-noout", "-subject"], "subject=CN = kube-apiserver\n",
                 id="subject prints OpenSSL 3's spaced form"),
    pytest.param(["x509", "-in", "ec/ca.crt", "-noout", "-enddate"], "notAfter=Jan 13 09:00:00 2036 GMT\n",
                 id="the CA expires after 3650 days"),
    pytest.param(["x509", "-in", "ec/apiserver.crt", "-noout", "-checkend", "86400"], "Certificate will not expire\n",
                 id="checkend within validity"),
    pytest.param(["version"], "OpenSSL 3.0.13 30 Jan 2024 (Library: OpenSSL 3.0.13 30 Jan 2024)\n",
                 id="version is Ubuntu 24.04's OpenSSL"),
])
def test_x509_lines(pki_dir, argv, stdout):
    assert ours(pki_dir, argv) == (stdout, "", 0)


def test_the_user_certificate_workflow(pki_dir, tmp_path):
    run = lambda argv: openssl(argv, resolve=lambda p: str(tmp_path / p) if not p.startswith("/") else  # noqa: E731
                               str(pki_dir / "ec" / p.rsplit("/pki/", 1)[1]), seed="osl", now=NOW)
    assert run(["genrsa", "-out", "jane.key", "2048"]) == ("", "", 0)
    assert (tmp_path / "jane.key").read_text().startswith("-----BEGIN PRIVATE KEY-----\n")
    assert run(["req", "-new", "-key", "jane.key", "-subj", "/CN=jane/O=developers", "-out", "jane.csr"]) == ("", "", 0)
    out, err, code = run(["x509", "-req", "-in", "jane.csr", "-CA", "/etc/kubernetes/pki/ca.crt",
                          "-CAkey", "/etc/kubernetes/pki/ca.key", "-CAcreateserial", "-out", "jane.crt", "-days", "500"])
    assert (out, err, code) == ("", "Certificate request self-signature ok\nsubject=CN = jane, O = developers\n", 0)
    cert = load_cert((tmp_path / "jane.crt").read_bytes())
    cert.verify_directly_issued_by(load_cert((pki_dir / "ec/ca.crt").read_bytes()))
    info = cert_info(cert)
    assert info["subject"] == "O=developers,CN=jane" and cert.version.name == "v1"
    assert info["not_after"] - info["not_before"] == dt.timedelta(days=500)
    assert int((pki_dir / "ec/ca.srl").read_text(), 16) == cert.serial_number
    again = run(["genrsa", "-out", "jane.key", "2048"])
    assert again == ("", "", 0)
    one_line, _, _ = run(["base64", "-A", "-in", "jane.csr"])
    assert "\n" not in one_line and one_line.startswith("LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K")


@needs_real
def test_our_user_certificate_reads_the_same_in_real_openssl(pki_dir, tmp_path):
    res = lambda p: str(tmp_path / p)  # noqa: E731
    (tmp_path / "ca.crt").write_bytes((pki_dir / "rsa/ca.crt").read_bytes())
    (tmp_path / "ca.key").write_bytes((pki_dir / "rsa/ca.key").read_bytes())
    openssl(["genrsa", "-out", "jane.key"], resolve=res, seed="osl")
    openssl(["req", "-new", "-key", "jane.key", "-subj", "/CN=jane", "-out", "jane.csr"], resolve=res, seed="osl")
    openssl(["x509", "-req", "-in", "jane.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
             "-out", "jane.crt"], resolve=res, seed="osl", now=NOW)
    for argv in (["x509", "-in", "jane.crt", "-text", "-noout"], ["req", "-in", "jane.csr", "-noout", "-text"]):
        assert ours(tmp_path, argv) == real(tmp_path, argv)
    at = str(int(NOW.timestamp()) + 3600)
    assert real(tmp_path, ["verify", "-attime", at, "-CAfile", "ca.crt", "jane.crt"])[0] == "jane.crt: OK\n"


@pytest.mark.parametrize("argv, stderr_start", [
    pytest.param(["x509", "-in", "nope.crt", "-noout", "-text"],
                 "Could not open file or uri for loading certificate from nope.crt\n",
                 id="a missing certificate file"),
    pytest.param(["x509", "-in", "ec/apiserver.key", "-noout", "-subject"],
                 "Could not read certificate from ec/apiserver.key\n", id="a key is not a certificate"),
    pytest.param(["req", "-new", "-key", "ec/apiserver.key", "-subj", "CN=jane"],
                 "req: subject name is expected to be in the format /type0=value0/type1=value1/type2=... ",
                 id="-subj must start with a slash"),
    pytest.param(["x509", "-req", "-in", "nope.csr", "-CA", "ec/ca.crt", "-CAkey", "ec/ca.key"],
                 "Can't open \"nope.csr\" for reading, No such file or directory\n", id="a missing CSR"),
    pytest.param(["genrsa", "-out", "/nonexistent/x.key"],
                 "genrsa: Can't open \"/nonexistent/x.key\" for writing, No such file or directory\n",
                 id="genrsa into a missing folder"),
    pytest.param(["frobnicate"], "Invalid command 'frobnicate'; type \"help\" for a list.\n", id="an unknown command"),
])
def test_errors(pki_dir, argv, stderr_start):
    out, err, code = ours(pki_dir, argv)
    assert (out, code) == ("", 1) and err.startswith(stderr_start)


@needs_real
@pytest.mark.parametrize("argv", [
    pytest.param(["x509", "-in", "nope.crt", "-noout", "-text"], id="missing certificate, same lines"),
    pytest.param(["req", "-new", "-key", "ec/apiserver.key", "-subj", "CN=jane"], id="bad -subj, same message"),
    pytest.param(["x509", "-req", "-in", "nope.csr", "-CA", "ec/ca.crt", "-CAkey", "ec/ca.key"], id="missing CSR"),
    pytest.param(["x509", "-req", "-in", "x.csr", "-CA", "ec/ca.crt", "-CAkey", "rsa/ca.key"],
                 id="a CA key of another type"),
])
def test_errors_match_real_openssl_but_thread_ids(pki_dir, argv):
    if "x.csr" in argv:
        openssl(["req", "-new", "-key", "rsa/apiserver.key", "-subj", "/CN=x", "-out", "x.csr"],
                resolve=lambda p: str(pki_dir / p))
    mine, theirs = ours(pki_dir, argv), real(pki_dir, argv)
    strip = lambda text: "\n".join(line.split(":", 1)[-1] if line[:16].isalnum() and ":error:" in line else line  # noqa: E731
                                   for line in text.splitlines())
    assert (mine[0], strip(mine[1]), mine[2]) == (theirs[0], strip(theirs[1]), theirs[2])


def test_base64_round_trip():
    enc, _, _ = openssl(["base64", "-A"], stdin="hello\n")
    assert enc == "aGVsbG8K"
    assert openssl(["base64", "-d"], stdin=enc + "\n") == ("hello\n", "", 0)
