"""A loopback HTTP server that answers API discovery from kcore's kinds table, and GETs of a
few fixed objects, so the real kubectl can run `create role`, `run` and `expose` offline."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler

from kcore.api import kinds
from tests.loopback import LoopbackServer


def _resource_list(group_version: str, rows) -> dict:
    resources = []
    for rt in rows:
        entry = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced,
                 "kind": rt.kind, "verbs": list(rt.verbs)}
        if rt.short_names:
            entry["shortNames"] = list(rt.short_names)
        resources.append(entry)
        for sub in rt.subresources:
            resources.append({"name": f"{rt.plural}/{sub}", "singularName": "", "namespaced": rt.namespaced,
                              "kind": rt.kind, "verbs": ["get", "patch", "update"]})
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": group_version,
            "resources": resources}


def discovery_documents() -> dict[str, dict]:
    docs: dict[str, dict] = {"/api": {"kind": "APIVersions", "versions": ["v1"],
                                      "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                                                      "serverAddress": "127.0.0.1"}]}}
    by_gv: dict[tuple[str, str], list] = {}
    for rt in kinds.ALL:
        by_gv.setdefault((rt.group, rt.version), []).append(rt)
    groups = []
    for (group, version), rows in by_gv.items():
        if group == "":
            docs["/api/v1"] = _resource_list("v1", rows)
            continue
        gv = f"{group}/{version}"
        docs[f"/apis/{gv}"] = _resource_list(gv, rows)
        existing = next((g for g in groups if g["name"] == group), None)
        if existing is None:
            groups.append({"name": group, "versions": [{"groupVersion": gv, "version": version}],
                           "preferredVersion": {"groupVersion": gv, "version": version}})
        else:
            existing["versions"].append({"groupVersion": gv, "version": version})
    docs["/apis"] = {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    return docs


class StubServer:
    def __init__(self, objects: dict[str, dict] | None = None):
        self.docs = discovery_documents()
        self.objects = dict(objects or {})
        docs, objects_ = self.docs, self.objects

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                path = self.path.split("?")[0]
                body = docs.get(path) or objects_.get(path)
                if body is None:
                    body = {"kind": "Status", "apiVersion": "v1", "status": "Failure",
                            "message": f"the server could not find the requested resource",
                            "reason": "NotFound", "code": 404}
                    code = 404
                else:
                    code = 200
                data = json.dumps(body).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.httpd = LoopbackServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
