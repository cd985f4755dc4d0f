"""Every case in jsonpath_cases.yaml printed by real kubectl and by kcore, byte for byte.

Single objects reach kubectl through `kubectl patch --local -f obj.json --type=merge -p {}`.
Lists cannot (patch --local flattens a List and prints each item on its own), so a tiny fake
API server in this process serves them to `kubectl get pods|nodes`, which hands the whole List
to the JSONPath engine as a real cluster would. All oracle runs happen once, in a
module-scoped fixture, on a small thread pool."""
from __future__ import annotations

import http.server
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml

from kcore.machinery import jsonpath
from tests.conftest import run_real_kubectl
from tests.loopback import LoopbackServer

DATA = yaml.safe_load((Path(__file__).parent / "jsonpath_cases.yaml").read_text())
OBJECTS = DATA["objects"]
CASES = DATA["cases"]
LISTS = {"pods": "/api/v1/namespaces/default/pods", "nodes": "/api/v1/nodes"}

_DISCOVERY = {
    "/api": {"kind": "APIVersions", "versions": ["v1"],
             "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]},
    "/apis": {"kind": "APIGroupList", "apiVersion": "v1", "groups": []},
    "/api/v1": {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
        {"name": "pods", "singularName": "pod", "namespaced": True, "kind": "Pod", "verbs": ["get", "list"]},
        {"name": "nodes", "singularName": "node", "namespaced": False, "kind": "Node", "verbs": ["get", "list"]},
    ]},
}


class _FakeAPI(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        body = _DISCOVERY.get(path)
        for name, list_path in LISTS.items():
            if path == list_path:
                body = OBJECTS[name]
        if body is None:
            self.send_response(404)
            self.end_headers()
            return
        raw = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)


@pytest.fixture(scope="module")
def oracle(real_kubectl, tmp_path_factory):
    """{case id: (stdout, stderr, exit code)} from the real kubectl."""
    tmp = tmp_path_factory.mktemp("jsonpath-oracle")
    for name, obj in OBJECTS.items():
        (tmp / f"{name}.json").write_text(json.dumps(obj))
    server = LoopbackServer(("127.0.0.1", 0), _FakeAPI)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    cache = tmp / "cache"

    def args_for(case):
        template = f"{case.get('format', 'jsonpath')}={case['template']}"
        if case["data"] in LISTS:
            return ["--server", url, "--cache-dir", str(cache), "get", case["data"], "-o", template]
        return ["patch", "--local", "-f", str(tmp / f"{case['data']}.json"), "--type=merge",
                "-p", "{}", "-o", template]

    def run(case):
        proc = run_real_kubectl(real_kubectl, args_for(case))
        return case["id"], (proc.stdout, proc.stderr, proc.returncode)

    try:
        run({"id": "warm the discovery cache", "data": "pods", "template": "{.kind}"})
        with ThreadPoolExecutor(max_workers=4) as pool:
            results = dict(pool.map(run, CASES))
    finally:
        server.shutdown()
    return results


def _words(text: str) -> list[str]:
    return sorted(text.replace(";", " ").split())


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in CASES])
def test_kcore_prints_what_kubectl_prints(case, oracle):
    want_out, want_err, want_code = oracle[case["id"]]
    as_json = case.get("format") == "jsonpath-as-json"
    got_out, got_err, got_code = jsonpath.kubectl_output(case["template"], OBJECTS[case["data"]], as_json)
    assert (got_code, got_err) == (want_code, want_err)
    if case.get("unordered"):
        assert _words(got_out) == _words(want_out)
    else:
        assert got_out == want_out


def test_the_case_table_is_large_and_its_ids_are_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 150
    assert len(set(ids)) == len(ids)


def test_the_oracle_really_ran_both_successes_and_failures(oracle):
    codes = [code for _, _, code in oracle.values()]
    assert codes.count(0) >= 100 and codes.count(1) >= 40
    assert oracle["list names join with spaces"][0] == "api-0 api-1 db-0"
