"""etcdctl / etcdutl as a learner types them on the control plane (reference §4.2)."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from kcore.cli.etcdctl import etcdctl, etcdutl, table
from kcore.etcd import Store
from kcore.etcd.members import Cluster
from kcore.pki import kubeadm_pki

NOW = dt.datetime(2026, 1, 15, 9, 0, tzinfo=dt.timezone.utc)
PKI = "/etc/kubernetes/pki"
TLS = [f"--cacert={PKI}/etcd/ca.crt", f"--cert={PKI}/etcd/server.crt", f"--key={PKI}/etcd/server.key"]
EP = ["--endpoints=https://127.0.0.1:2379"]
DEADLINE = "Error: context deadline exceeded\n"


@pytest.fixture(scope="module")
def pki_files():
    return kubeadm_pki("controlplane", "192.168.121.10", NOW, seed="etcdctl")


@pytest.fixture
def node(tmp_path, pki_files):
    for rel, data in pki_files.items():
        path = tmp_path / "etc/kubernetes/pki" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (tmp_path / "opt/backup").mkdir(parents=True)
    (tmp_path / "var/lib").mkdir(parents=True)
    return tmp_path


@pytest.fixture
def store():
    s = Store()
    s.put("/registry/namespaces/default", b'{"kind":"Namespace"}')
    s.put("/registry/pods/default/web", b'{"kind":"Pod"}')
    s.put("/registry/services/specs/default/kubernetes", b'{"kind":"Service"}')
    return s


def run(target, node, pki_files, argv, env=None, **kw):
    resolve = lambda p: str(node / p.lstrip("/"))  # noqa: E731
    return etcdctl(target, ["etcdctl", *argv], env or {}, resolve=resolve,
                   etcd_ca_pem=pki_files["etcd/ca.crt"], **kw)


@pytest.mark.parametrize("argv, stdout", [
    pytest.param(["get", "/registry", "--prefix", "--keys-only"],
                 "/registry/namespaces/default\n\n/registry/pods/default/web\n\n"
                 "/registry/services/specs/default/kubernetes\n\n",
                 id="keys-only prints each key followed by an empty line, in byte order"),
    pytest.param(["get", "/registry/pods/default/web"], '/registry/pods/default/web\n{"kind":"Pod"}\n',
                 id="get KEY prints the key then the value"),
    pytest.param(["get", "/registry/pods/default/web", "--print-value-only"], '{"kind":"Pod"}\n',
                 id="print-value-only drops the key line"),
    pytest.param(["get", "/nothing"], "", id="a missing key prints nothing and succeeds"),
    pytest.param(["get", "/registry/", "--prefix", "--count-only", "-w", "fields"],
                 '"ClusterID" : 13774038171237115211\n"MemberID" : 15349424390014873070\n"Revision" : 4\n'
                 '"RaftTerm" : 2\n"More" : false\n"Count" : 3\n',
                 id="count-only with -w fields prints the header and the count"),
    pytest.param(["get", "/registry/", "--prefix", "--limit=1", "--keys-only"], "/registry/namespaces/default\n\n",
                 id="limit caps the keys printed"),
    pytest.param(["put", "/x", "y"], "OK\n", id="put prints OK"),
    pytest.param(["del", "/registry/pods/", "--prefix"], "1\n", id="del prints how many keys went"),
    pytest.param(["member", "list"],
                 "d5041c28718dadee, started, controlplane, https://192.168.121.10:2380, https://192.168.121.10:2379, false\n",
                 id="member list prints the comma-separated row with etcd's member ID"),
    pytest.param(["member", "list", "-w", "table"],
                 "+------------------+---------+--------------+-----------------------------+-----------------------------+------------+\n"
                 "|        ID        | STATUS  |     NAME     |         PEER ADDRS          |        CLIENT ADDRS         | IS LEARNER |\n"
                 "+------------------+---------+--------------+-----------------------------+-----------------------------+------------+\n"
                 "| d5041c28718dadee | started | controlplane | https://192.168.121.10:2380 | https://192.168.121.10:2379 |      false |\n"
                 "+------------------+---------+--------------+-----------------------------+-----------------------------+------------+\n",
                 id="member list -w table matches the reference byte for byte"),
    pytest.param(["version"], "etcdctl version: 3.6.6\nAPI version: 3.6\n", id="version names 3.6.6"),
])
def test_commands(store, node, pki_files, argv, stdout):
    out, err, code = run(store, node, pki_files, EP + TLS + argv)
    assert (out, err, code) == (stdout, "", 0)


@pytest.mark.parametrize("argv, stderr", [
    pytest.param(["get", "/registry/", "--prefix", "--count-only"],
                 "Error: --count-only is only for `--write-out=fields`\n", id="etcd 3.6 wants -w fields for count-only"),
    pytest.param(["get", "/registry/", "--prefix", "--print-value-only", "-w", "json"],
                 "Error: print-value-only is only for `--write-out=simple`\n", id="print-value-only is a simple-format flag"),
])
def test_format_only_flags(store, node, pki_files, argv, stderr):
    assert run(store, node, pki_files, EP + TLS + argv) == ("", stderr, 128)


def test_get_json_has_header_and_base64(store, node, pki_files):
    out, _, code = run(store, node, pki_files, EP + TLS + ["get", "/registry/pods/default/web", "-w", "json"])
    doc = json.loads(out)
    assert code == 0 and doc["header"]["revision"] == 4 and doc["count"] == 1
    assert doc["kvs"][0] == {"key": "L3JlZ2lzdHJ5L3BvZHMvZGVmYXVsdC93ZWI=", "create_revision": 3,
                             "mod_revision": 3, "version": 1, "value": "eyJraW5kIjoiUG9kIn0="}


def test_get_fields(store, node, pki_files):
    out, _, _ = run(store, node, pki_files, EP + TLS + ["get", "/registry/pods/default/web", "-w", "fields"])
    assert out.splitlines()[2:] == ['"Revision" : 4', '"RaftTerm" : 2', '"Key" : "/registry/pods/default/web"',
                                    '"CreateRevision" : 3', '"ModRevision" : 3', '"Version" : 1',
                                    '"Value" : "{\\"kind\\":\\"Pod\\"}"', '"Lease" : 0', '"More" : false',
                                    '"Count" : 1']


def test_endpoint_status_table_has_the_36_columns(store, node, pki_files):
    out, _, code = run(store, node, pki_files, EP + TLS + ["endpoint", "status", "-w", "table"])
    header = out.splitlines()[1]
    assert code == 0 and [c.strip() for c in header.strip("|").split("|")] == [
        "ENDPOINT", "ID", "VERSION", "STORAGE VERSION", "DB SIZE", "IN USE", "PERCENTAGE NOT IN USE",
        "QUOTA", "IS LEADER", "IS LEARNER", "RAFT TERM", "RAFT INDEX", "RAFT APPLIED INDEX", "ERRORS",
        "DOWNGRADE TARGET VERSION", "DOWNGRADE ENABLED"]
    row = [c.strip() for c in out.splitlines()[3].strip("|").split("|")]
    assert row[:4] == ["https://127.0.0.1:2379", "d5041c28718dadee", "3.6.6", "3.6.0"] and row[7] == "2.1 GB"


def test_endpoint_health(store, node, pki_files):
    out, err, code = run(store, node, pki_files, EP + TLS + ["endpoint", "health"])
    assert code == 0 and err == ""
    assert out.startswith("https://127.0.0.1:2379 is healthy: successfully committed proposal: took = ")


@pytest.mark.parametrize("tls, error, code", [
    pytest.param(None, "connection closed before server preface received", 1,
                 id="no flags at all: plaintext to 127.0.0.1:2379, etcd drops the connection"),
    pytest.param([], "x509: certificate signed by unknown authority", 1,
                 id="an https endpoint without --cacert cannot verify etcd's certificate"),
    pytest.param([f"--cacert={PKI}/etcd/ca.crt"], "remote error: tls: certificate required", 1,
                 id="a CA but no client certificate: etcd requires one"),
    pytest.param([f"--cacert={PKI}/ca.crt", f"--cert={PKI}/etcd/server.crt", f"--key={PKI}/etcd/server.key"],
                 "x509: certificate signed by unknown authority", 1,
                 id="the cluster CA instead of the etcd CA cannot verify etcd"),
    pytest.param([f"--cacert={PKI}/etcd/ca.crt", f"--cert={PKI}/apiserver-kubelet-client.crt",
                  f"--key={PKI}/apiserver-kubelet-client.key"], "remote error: tls: bad certificate", 1,
                 id="a client cert from the wrong CA is rejected by etcd"),
])
def test_bad_tls_ends_in_a_deadline(store, node, pki_files, tls, error, code):
    flags = [] if tls is None else EP + tls
    out, err, rc = run(store, node, pki_files, flags + ["get", "/registry", "--prefix", "--keys-only"])
    assert (out, rc) == ("", code)
    first, last = err.splitlines(keepends=True)
    assert '"msg":"retrying of unary invoker failed"' in first and error in first
    assert last == DEADLINE


@pytest.mark.parametrize("tls, stderr, code", [
    pytest.param([f"--cacert={PKI}/etcd/ca.crt", f"--cert={PKI}/etcd/server.crt", f"--key={PKI}/etcd/peer.key"],
                 "Error: tls: private key does not match public key\n", 128,
                 id="a key that does not match the certificate fails before connecting"),
    pytest.param([f"--cacert={PKI}/etcd/ca.crt", f"--cert={PKI}/etcd/srv.crt", f"--key={PKI}/etcd/server.key"],
                 f"Error: open {PKI}/etcd/srv.crt: no such file or directory\n", 128,
                 id="a mistyped certificate path names the file"),
    pytest.param([f"--cert={PKI}/etcd/server.crt"],
                 f"Error: KeyFile and CertFile must both be present[key: , cert: {PKI}/etcd/server.crt]\n", 128,
                 id="a certificate without its key is refused"),
    pytest.param(["--bogus"], "Error: unknown flag: --bogus\n", 1, id="an unknown flag is refused"),
])
def test_bad_flags(store, node, pki_files, tls, stderr, code):
    assert run(store, node, pki_files, EP + tls + ["get", "/x"]) == ("", stderr, code)


def test_env_vars_replace_flags_and_etcdctl_api_is_unrecognised(store, node, pki_files):
    env = {"ETCDCTL_API": "3", "ETCDCTL_CACERT": f"{PKI}/etcd/ca.crt", "ETCDCTL_CERT": f"{PKI}/etcd/server.crt",
           "ETCDCTL_KEY": f"{PKI}/etcd/server.key"}
    out, err, code = run(store, node, pki_files, ["get", "/registry/pods/default/web", "--print-value-only"], env)
    assert (out, code) == ('{"kind":"Pod"}\n', 0)
    assert json.loads(err) == {"level": "warn", "ts": "2026-01-15T10:41:16.457422Z", "caller": "flags/flag.go:94",
                               "msg": "unrecognized environment variable",
                               "environment-variable": "ETCDCTL_API=3"}


def test_snapshot_save_then_etcdutl_status_and_restore(store, node, pki_files):
    out, err, code = run(store, node, pki_files, EP + TLS + ["snapshot", "save", "/opt/backup/etcd.db"])
    assert (out, code) == ("Snapshot saved at /opt/backup/etcd.db\nServer version 3.6.0\n", 0)
    assert [json.loads(line)["msg"] for line in err.splitlines()] == [
        "created temporary db file", "opened snapshot stream; downloading", "fetching snapshot",
        "completed snapshot read; closing", "fetched snapshot", "saved"]
    resolve = lambda p: str(node / p.lstrip("/"))  # noqa: E731
    out, _, code = etcdutl(["snapshot", "status", "/opt/backup/etcd.db", "-w", "table"], resolve=resolve)
    lines = out.splitlines()
    assert code == 0 and lines[1] == "|   HASH   | REVISION | TOTAL KEYS | TOTAL SIZE | VERSION |"
    assert [c.strip() for c in lines[3].strip("|").split("|")][1:3] == ["4", "3"]
    argv = ["snapshot", "restore", "/opt/backup/etcd.db", "--data-dir", "/var/lib/etcd-from-backup"]
    out, err, code = etcdutl(argv, resolve=resolve)
    assert (out, code) == ("", 0) and "\trestored snapshot\t" in err
    assert (node / "var/lib/etcd-from-backup/member/snap/db").exists()
    from kcore.etcd.snapshot import read_data_dir
    assert read_data_dir(node / "var/lib/etcd-from-backup").range("/") == store.range("/")
    assert etcdutl(argv, resolve=resolve) == (
        "", 'Error: data-dir "/var/lib/etcd-from-backup" not empty or could not be read\n', 1)


def test_snapshot_save_into_a_missing_folder(store, node, pki_files):
    out, err, code = run(store, node, pki_files, EP + TLS + ["snapshot", "save", "/nope/etcd.db"])
    assert (out, code) == ("", 5)
    assert err.endswith("Error: could not open /nope/etcd.db.part (open /nope/etcd.db.part: no such file or directory)\n")


def test_corrupt_snapshot_restore_fails_with_etcdutls_message(store, node, pki_files):
    run(store, node, pki_files, EP + TLS + ["snapshot", "save", "/opt/backup/etcd.db"])
    path = node / "opt/backup/etcd.db"
    data = bytearray(path.read_bytes())
    data[100] ^= 1
    path.write_bytes(bytes(data))
    out, err, code = etcdutl(["snapshot", "restore", "/opt/backup/etcd.db", "--data-dir", "/var/lib/r"],
                             resolve=lambda p: str(node / p.lstrip("/")))
    assert code == 1 and err.startswith("Error: expected sha256 [")


@pytest.mark.parametrize("version, argv, stdout_start, stderr_start, code", [
    pytest.param("3.6.6", ["snapshot", "restore", "/opt/backup/etcd.db"], "NAME:\n\tsnapshot - Manages etcd node snapshots\n",
                 "", 0, id="etcd 3.6 removed snapshot restore: it prints the snapshot help"),
    pytest.param("3.6.6", ["snapshot", "restore", "/opt/backup/etcd.db", "--data-dir", "/var/lib/r"], "",
                 "Error: unknown flag: --data-dir\n", 1, id="etcd 3.6 does not know --data-dir"),
    pytest.param("3.5.21", ["snapshot", "restore", "/opt/backup/etcd.db", "--data-dir", "/var/lib/r"], "",
                 "Deprecated: Use `etcdutl snapshot restore` instead.\n\n", 0,
                 id="etcd 3.5 restores with a deprecation note"),
])
def test_snapshot_restore_through_etcdctl(store, node, pki_files, version, argv, stdout_start, stderr_start, code):
    run(store, node, pki_files, EP + TLS + ["snapshot", "save", "/opt/backup/etcd.db"])
    out, err, rc = run(store, node, pki_files, EP + TLS + argv, version=version)
    assert rc == code and out.startswith(stdout_start) and err.startswith(stderr_start)


def test_snapshot_help_columns_are_tab_aligned(store, node, pki_files):
    out, _, _ = run(store, node, pki_files, ["snapshot"])
    assert "\nCOMMANDS:\n\tsave\tStores an etcd node backend snapshot to a given file\n" in out
    assert "\n      --cacert=\"\"\t\t\tverify certificates" in out


@pytest.mark.parametrize("failed, stderr", [
    pytest.param(["controlplane2", "controlplane3"], "Error: etcdserver: request timed out\n",
                 id="a leader without quorum times out"),
    pytest.param(["controlplane", "controlplane3"], None, id="the local member down refuses the connection"),
])
def test_reads_without_quorum(tmp_path, failed, stderr):
    c = Cluster.of(3)
    c.put("/a", b"1")
    for name in failed:
        c.fail(name)
    out, err, code = etcdctl(c, ["get", "/a"], {})
    assert code == 1 and out == ""
    if stderr:
        assert err == stderr
        assert etcdctl(c, ["get", "/a", "--consistency=s", "--print-value-only"], {})[0] == "1\n"
    else:
        assert err.endswith(DEADLINE) and "connection refused" in err


def test_tablewriter_centres_headers_and_right_aligns_cells():
    assert table(["a", "status"], [["x", "started"]]) == (
        "+---+---------+\n|   | STATUS  |\n+---+---------+\n| x | started |\n+---+---------+\n".replace(
            "|   |", "| A |"))


@pytest.mark.parametrize("argv, stderr", [
    pytest.param(["get", "/registry/pods/default/web", "--rev=2"],
                 "Error: etcdserver: mvcc: required revision has been compacted\n",
                 id="reading below the compaction shows the server's error"),
    pytest.param(["compaction", "2"], "Error: etcdserver: mvcc: required revision has been compacted\n",
                 id="compacting twice at the same point fails"),
    pytest.param(["get", "/x", "--rev=99"], "Error: etcdserver: mvcc: required revision is a future revision\n",
                 id="reading the future fails"),
])
def test_revisions_through_etcdctl(store, argv, stderr):
    assert etcdctl(store, ["compaction", "3"], {}) == ("compacted revision 3\n", "", 0)
    assert etcdctl(store, argv, {}) == ("", stderr, 1)
