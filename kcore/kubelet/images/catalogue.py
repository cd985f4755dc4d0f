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

# control plane and add-ons: these images start real kcore components (images/components.py)
K8S_TAGS = tuple(f"v1.{m}.{p}" for m, n in ((33, 7), (34, 3), (35, 2), (36, 0)) for p in range(n + 1))
for name, tags, size, ports in (
        ("registry.k8s.io/kube-apiserver", K8S_TAGS, 27_000_000, (6443,)),
        ("registry.k8s.io/kube-controller-manager", K8S_TAGS, 22_000_000, (10257,)),
        ("registry.k8s.io/kube-scheduler", K8S_TAGS, 17_000_000, (10259,)),
        ("registry.k8s.io/kube-proxy", K8S_TAGS, 27_000_000, (10256,)),
        ("registry.k8s.io/etcd", ("3.5.21-0", "3.6.4-0", "3.6.5-0", "3.6.6-0"), 23_000_000, (2379, 2381)),
        ("registry.k8s.io/coredns/coredns", ("v1.11.3", "v1.12.0", "v1.12.1", "v1.13.1"), 21_000_000, (53, 8080, 8181, 9153)),
        ("registry.k8s.io/metrics-server/metrics-server", ("v0.7.2", "v0.8.0"), 19_000_000, (10250,)),
        ("ghcr.io/flannel-io/flannel", ("v0.26.7", "v0.27.0", "v0.27.4"), 32_000_000, ()),
        ("ghcr.io/flannel-io/flannel-cni-plugin", ("v1.6.2-flannel1", "v1.7.1-flannel1", "v1.8.0-flannel1"), 4_800_000, ()),
        ("docker.io/weaveworks/weave-kube", ("2.8.1", "latest"), 30_000_000, ()),
        ("docker.io/calico/node", ("v3.29.3", "v3.30.0"), 150_000_000, ()),
        ("docker.io/calico/cni", ("v3.29.3", "v3.30.0"), 90_000_000, ())):
    register(Image(name, size=size, tags=tags, ports=ports, program="component"))

# other images CKA labs and the Kubernetes docs use; servers answer on their port
for repo, tags, size, ports, program, cmd in (
        ("docker.io/library/mysql", ("latest", "8", "8.0", "8.4", "9", "5.7"), 170_000_000, (3306,), "daemon", ("mysqld",)),
        ("docker.io/library/postgres", ("latest", "13", "14", "15", "16", "17", "alpine"), 150_000_000, (5432,), "daemon", ("postgres",)),
        ("docker.io/library/memcached", ("latest", "1.6", "alpine"), 30_000_000, (11211,), "daemon", ("memcached",)),
        ("docker.io/library/mongo", ("latest", "6", "7", "8"), 250_000_000, (27017,), "daemon", ("mongod",)),
        ("docker.io/library/rabbitmq", ("latest", "3", "4", "management"), 110_000_000, (5672,), "daemon", ("rabbitmq-server",)),
        ("docker.io/library/python", ("latest", "3", "3.11", "3.12", "3.13", "alpine", "slim"), 360_000_000, (), "shell", ("python3",)),
        ("docker.io/library/node", ("latest", "18", "20", "22", "alpine"), 380_000_000, (), "shell", ("node",)),
        ("docker.io/library/golang", ("latest", "1.22", "1.23", "1.24", "alpine"), 300_000_000, (), "shell", ("bash",)),
        ("docker.io/library/centos", ("latest", "7", "8"), 75_000_000, (), "shell", ("/bin/bash",)),
        ("docker.io/library/fedora", ("latest", "40", "41", "42"), 60_000_000, (), "shell", ("/bin/bash",)),
        ("docker.io/kodekloud/webapp-color", ("latest", "v1", "v2", "v3"), 32_000_000, (8080,), "httpd", ("python", "app.py")),
        ("docker.io/kodekloud/simple-webapp", ("latest", "blue", "green", "red"), 32_000_000, (8080,), "httpd", ("python", "app.py")),
        ("docker.io/kodekloud/event-simulator", ("latest",), 20_000_000, (), "shell", ("sh", "-c", "while true; do echo event; sleep 5; done")),
        ("docker.io/hashicorp/http-echo", ("latest", "1.0", "0.2.3"), 4_000_000, (5678,), "httpd", ("/http-echo",)),
        ("registry.k8s.io/e2e-test-images/agnhost", ("2.39", "2.43", "2.52", "2.53"), 50_000_000, (8080,), "httpd", ("/agnhost",)),
        ("docker.io/library/wordpress", ("latest", "6", "php8.3-apache"), 250_000_000, (80,), "httpd", ("apache2-foreground",)),
        ("registry.k8s.io/busybox", ("latest", "1.24", "1.27", "1.27.2", "1.28"), 1_300_000, (), "shell", ("sh",)),
        ("docker.io/curlimages/curl", ("latest", "8.10.1", "8.11.0"), 12_000_000, (), "shell", ("curl",)),
        ("docker.io/nicolaka/netshoot", ("latest", "v0.13"), 190_000_000, (), "shell", ("zsh",))):
    register(Image(repo, cmd=cmd, size=size, tags=tags, ports=ports, program=program))

register(Image("registry.k8s.io/ingress-nginx/controller", entrypoint=("/usr/bin/dumb-init", "--"),
               cmd=("/nginx-ingress-controller",), size=105_000_000, ports=(80, 443),
               tags=("v1.12.1", "v1.13.0", "v1.14.0"), program="ingress-nginx"))
