"""The registry's contents: every image kcore can pull, with its Dockerfile metadata.

Tags are the ones that exist upstream (a typo'd tag fails to pull). Sizes are the compressed
sizes containerd reports in the Pulled event."""
from __future__ import annotations

from kcore.kubelet.images import Image, register

NGINX_TAGS = ("latest", "stable", "mainline", "alpine", "stable-alpine", "perl",
              *(f"1.{m}" for m in range(10, 30)), *(f"1.{m}-alpine" for m in range(10, 30)),
              *(f"1.{m}.{p}" for m in range(10, 30) for p in range(0, 6)),
              *(f"1.{m}.{p}-alpine" for m in range(14, 30) for p in range(0, 6)))

for repo, tags, size in (("docker.io/library/nginx", NGINX_TAGS, 72195292),):
    register(Image(repo, entrypoint=("/docker-entrypoint.sh",), cmd=("nginx", "-g", "daemon off;"),
                   ports=(80,), size=size, tags=tags, program="nginx",
                   env=(("NGINX_VERSION", "1.29.3"), ("PKG_RELEASE", "1~trixie"))))

register(Image("docker.io/library/httpd", cmd=("httpd-foreground",), ports=(80,),
               size=58_000_000, tags=("latest", "alpine", "2", "2.4", "2.4-alpine"),
               program="httpd"))
for name, size in (("busybox", 2_160_000), ("alpine", 3_640_000), ("ubuntu", 29_700_000),
                   ("debian", 48_500_000)):
    tags = {"busybox": ("latest", "1.28", "1.35", "1.36", "1.36.1", "1.37", "1.37.0", "stable",
                        "musl", "glibc", "uclibc"),
            "alpine": ("latest", "3", "3.18", "3.19", "3.20", "3.21", "3.22", "edge"),
            "ubuntu": ("latest", "20.04", "22.04", "24.04", "jammy", "noble", "focal"),
            "debian": ("latest", "bookworm", "trixie", "12", "13", "bookworm-slim")}[name]
    cmd = ("sh",) if name in ("busybox",) else ("/bin/sh",) if name == "alpine" else ("/bin/bash",)
    register(Image(f"docker.io/library/{name}", cmd=cmd, size=size, tags=tags, program="shell"))
register(Image("docker.io/library/redis", entrypoint=("docker-entrypoint.sh",),
               cmd=("redis-server",), ports=(6379,), size=45_000_000,
               tags=("latest", "alpine", "7", "7.2", "7.4", "8", "6"), program="redis"))
register(Image("docker.io/library/perl", cmd=("perl", "-de0"), size=330_000_000,
               tags=("latest", "5.34.0", "5.36", "5.38", "5.40", "slim"), program="perl"))
register(Image("docker.io/polinux/stress", entrypoint=(), cmd=("stress",), size=4_000_000,
               tags=("latest", "1.0.4"), program="stress"))
register(Image("registry.k8s.io/pause", cmd=("/pause",), size=320_000,
               tags=("3.10", "3.10.1", "3.9"), program="daemon"))
