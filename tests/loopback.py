"""The HTTP server class behind every loopback API stub that the real kubectl talks to."""
from __future__ import annotations

from http.server import ThreadingHTTPServer


class LoopbackServer(ThreadingHTTPServer):
    """Eight kubectl processes at once each open a connection per API group during discovery:
    with the default listen backlog of 5 the kernel drops SYNs and a client can wait past
    kubectl's 32 s timeout. A deep backlog keeps every connection."""
    request_queue_size = 256
    daemon_threads = True
