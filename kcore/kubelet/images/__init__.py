"""Images are programs: what each simulated image does when a container starts.

REGISTRY maps an image repository (`nginx`, `busybox`, `registry.k8s.io/kube-scheduler`) to
an Image: its Dockerfile metadata (ENTRYPOINT, CMD, exposed ports, size, known tags) and a
Program class that runs inside the container. A reference like `nginx:1.27`,
`docker.io/library/nginx@sha256:…` or `busybox` is normalised first, exactly as containerd
does; an unknown repository or tag fails to pull, as a typo does on a real cluster.
"""
from __future__ import annotations

import re

import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Image:
    repository: str                 # normalised: docker.io/library/nginx
    entrypoint: tuple = ()
    cmd: tuple = ()
    ports: tuple = ()
    size: int = 10_000_000          # bytes, as `Image size:` in the Pulled event
    tags: tuple = ("latest",)       # tags that exist in the registry ("*" = any)
    program: str = "shell"          # key in PROGRAMS
    env: tuple = ()                 # ENV from the Dockerfile: (("NGINX_VERSION", "1.27.3"), ...)
    workdir: str = "/"
    user: str = "root"

    def digest(self, tag: str) -> str:
        h = hashlib.sha256(f"{self.repository}:{tag}".encode()).hexdigest()
        return f"sha256:{h}"


class ImageError(Exception):
    """A pull failure, worded as containerd words it."""


REGISTRY: dict[str, Image] = {}
PROGRAMS: dict[str, type] = {}

DEFAULT_DOMAIN = "docker.io"


def register(image: Image) -> Image:
    REGISTRY[image.repository] = image
    return image


def program(name: str):
    def deco(cls):
        PROGRAMS[name] = cls
        cls.program_name = name
        return cls
    return deco


@dataclass(frozen=True)
class Reference:
    text: str          # as written in the pod spec
    repository: str    # docker.io/library/nginx
    tag: str           # latest when none given
    digest: str = ""

    @property
    def full(self) -> str:
        return f"{self.repository}@{self.digest}" if self.digest else f"{self.repository}:{self.tag}"


_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?/)?"
    rf"{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?")


def reference_error(text: str) -> str | None:
    """Why the kubelet cannot parse an image reference (distribution's reference grammar, via
    ParseNormalizedNamed), worded as the kubelet reports it; None for a valid reference."""
    remote = text.split("@", 1)[0]
    first, _, rest = remote.partition("/")
    if rest and ("." in first or ":" in first or first == "localhost" or first.lower() != first):
        remote = rest
    elif not rest:
        remote = "library/" + remote
    remote = remote.rsplit(":", 1)[0] if ":" in remote.rsplit("/", 1)[-1] else remote
    if remote.lower() != remote:
        why = f"invalid reference format: repository name ({remote}) must be lowercase"
    elif not _REFERENCE.fullmatch(text):
        why = "invalid reference format"
    else:
        return None
    return f'Failed to apply default image tag "{text}": couldn\'t parse image name "{text}": {why}'


def parse_reference(text: str) -> Reference:
    """Normalise `nginx` -> docker.io/library/nginx:latest, keep registry hosts as given."""
    name, digest = text, ""
    if "@" in name:
        name, digest = name.split("@", 1)
    tag = ""
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
    parts = name.split("/")
    if len(parts) == 1:
        repo = f"{DEFAULT_DOMAIN}/library/{name}"
    elif "." in parts[0] or ":" in parts[0] or parts[0] == "localhost":
        repo = name
    else:
        repo = f"{DEFAULT_DOMAIN}/{name}"
    return Reference(text, repo, tag or ("" if digest else "latest"), digest)


def resolve(text: str) -> tuple[Image, Reference]:
    """The Image for a reference, or ImageError with the runtime's pull failure text."""
    ref = parse_reference(text)
    _load_catalogue()
    img = REGISTRY.get(ref.repository)
    if img is None:
        raise ImageError(
            f'failed to pull and unpack image "{ref.full}": failed to resolve reference '
            f'"{ref.full}": pull access denied, repository does not exist or may require '
            f"authorization: server message: insufficient_scope: authorization failed")
    if ref.tag and "*" not in img.tags and ref.tag not in img.tags:
        raise ImageError(
            f'failed to pull and unpack image "{ref.full}": failed to resolve reference '
            f'"{ref.full}": {ref.full}: not found')
    return img, ref


_loaded = False


def _load_catalogue() -> None:
    global _loaded
    if not _loaded:
        _loaded = True
        from kcore.kubelet.images import catalogue, components, ingress, servers, shell  # noqa: F401
