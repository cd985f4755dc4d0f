"""Long-running images: web servers, caches, and daemons that run until stopped.

nginx and httpd answer HTTP on their port and write access-log lines; redis says it is
ready; `daemon` is any process that starts, logs a line and runs until killed (control-plane
add-ons that have no behaviour of their own)."""
from __future__ import annotations

from kcore.kubelet.images import program


@program("nginx")
class Nginx:
    port = 80

    def start(self, proc):
        argv = proc.argv
        # docker-entrypoint.sh nginx -g 'daemon off;' — anything else runs as the shell would
        if argv and argv[0].rsplit("/", 1)[-1] not in ("docker-entrypoint.sh", "nginx"):
            from kcore.kubelet.images.shell import Shell
            self.delegate = Shell()
            self.delegate.start(proc)
            return
        self.delegate = None
        for line in ("/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                     "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                     "/docker-entrypoint.sh: Configuration complete; ready for start up"):
            proc.log(line)

    html_root = "/usr/share/nginx/html"
    index_page = None  # the image's own index.html (NGINX_INDEX, set below)

    def http(self, proc, method, path, client_ip="10.244.0.1"):
        status, body = self._serve(proc, path.split("?", 1)[0])
        import datetime as dt
        t = dt.datetime.fromtimestamp(int(proc.loop.wall()), tz=dt.timezone.utc)
        stamp = t.strftime("%d/%b/%Y:%H:%M:%S +0000")
        proc.log(f'{client_ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {len(body)} "-" "Wget" "-"')
        return status, body

    def _serve(self, proc, path):
        """The file under the html root (a directory serves its index.html). The image's own
        files sit in that folder unless a volume is mounted over it: a ConfigMap there replaces
        the welcome page, and a folder without index.html answers 403 for `/`."""
        files = getattr(proc, "files", None)
        target = self.html_root + path + ("index.html" if path.endswith("/") else "")
        if files is not None and target in files:
            content = files[target]
            if isinstance(content, str):
                return 200, content
        covered = files is not None and hasattr(files, "_route") and files._route(target)[0] is not files.own
        if not covered and target == self.html_root + "/index.html":
            return 200, self.index_page
        if path.endswith("/"):
            return 403, _error_page(403, "Forbidden", self.server_name)
        return 404, _error_page(404, "Not Found", self.server_name)

    server_name = "nginx"

    def exec(self, proc, argv, stdin=""):
        from kcore.kubelet.images.shell import Shell
        return Shell().exec(proc, argv, stdin)


def _error_page(code: int, text: str, server: str) -> str:
    return (f"<html>\r\n<head><title>{code} {text}</title></head>\r\n<body>\r\n"
            f"<center><h1>{code} {text}</h1></center>\r\n<hr><center>{server}</center>\r\n"
            "</body>\r\n</html>\r\n")


NGINX_INDEX = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
Nginx.index_page = NGINX_INDEX


@program("httpd")
class Httpd(Nginx):
    def start(self, proc):
        self.delegate = None
        proc.log("AH00558: httpd: Could not reliably determine the server's fully qualified domain name")
        proc.log("[mpm_event:notice] AH00489: Apache/2.4 configured -- resuming normal operations")

    def http(self, proc, method, path, client_ip="10.244.0.1"):
        return 200, "<html><body><h1>It works!</h1></body></html>\n"


@program("redis")
class Redis:
    def start(self, proc):
        proc.log("1:M * Server initialized")
        proc.log("1:M * Ready to accept connections tcp")

    def exec(self, proc, argv, stdin=""):
        if argv and argv[0] == "redis-cli":
            return "PONG\n" if argv[1:2] == ["ping"] else "OK\n", "", 0
        from kcore.kubelet.images.shell import Shell
        return Shell().exec(proc, argv, stdin)


@program("daemon")
class Daemon:
    """Runs until stopped; logs its start line."""

    def start(self, proc):
        name = proc.container.image.repository.rsplit("/", 1)[-1]
        proc.log(f"{name} started")

    def exec(self, proc, argv, stdin=""):
        from kcore.kubelet.images.shell import Shell
        return Shell().exec(proc, argv, stdin)


@program("stress")
class Stress:
    """polinux/stress: `stress --vm 1 --vm-bytes 250M --vm-hang 1` allocates memory."""

    IGNORES_SIGTERM = True  # as PID 1: the kubelet's stop takes the whole grace period

    def start(self, proc):
        argv = proc.argv
        size = 256 * 1024 * 1024
        if "--vm-bytes" in argv:
            v = argv[argv.index("--vm-bytes") + 1]
            size = _bytes(v)
        proc.log("stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd")
        proc.later(0.5, lambda: proc.allocate(size))


def _bytes(v: str) -> int:
    mult = {"K": 1024, "M": 1024 ** 2, "G": 1024 ** 3, "k": 1024, "m": 1024 ** 2, "g": 1024 ** 3}
    if v and v[-1] in mult:
        return int(float(v[:-1]) * mult[v[-1]])
    return int(v)


@program("perl")
class Perl:
    """perl: `perl -Mbignum=bpi -wle 'print bpi(2000)'` (the Job example) prints pi; the
    computation takes a few seconds, as it does in the documentation's example."""

    IGNORES_SIGTERM = True  # as PID 1: the kubelet's stop takes the whole grace period

    def start(self, proc):
        import re
        script = " ".join(proc.argv[1:])
        m = re.search(r"bpi\((\d+)\)", script)
        if m:
            digits = int(m.group(1))
            proc.later(min(10.0, 0.5 + digits / 250), lambda: (proc.log(pi_digits(digits)), proc.exit(0)))
            return
        m = re.search(r"print\s+['\"]?([^'\";]*)", script)
        if m:
            proc.log(m.group(1))
            proc.exit(0)
            return
        if "-de0" in proc.argv:
            proc.exit(0)
            return
        proc.exit(0)


def pi_digits(n: int) -> str:
    """pi to n significant digits, as bignum's bpi(n) prints it (Machin's formula)."""
    extra = 10
    scale = 10 ** (n + extra)

    def arctan_inv(x):
        total = term = scale // x
        x2 = x * x
        k = 1
        sign = -1
        while term:
            term //= x2
            total += sign * (term // (2 * k + 1))
            sign = -sign
            k += 1
        return total
    pi = 4 * (4 * arctan_inv(5) - arctan_inv(239))
    digits = str(pi)
    head, nxt = int(digits[:n]), int(digits[n])
    if nxt >= 5:
        head += 1  # bignum rounds the last digit
    s = str(head)
    return s[0] + "." + s[1:]
