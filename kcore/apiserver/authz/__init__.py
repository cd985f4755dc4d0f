"""Authorization: a chain of authorizers asked in order (Node, RBAC, AlwaysAllow ...).

Each says allow, deny or no-opinion; the first opinion wins; no opinion means Forbidden —
exactly the kube-apiserver `--authorization-mode` chain."""
from __future__ import annotations

from dataclasses import dataclass

ALLOW, DENY, NO_OPINION = "allow", "deny", "no-opinion"


@dataclass(frozen=True)
class Attributes:
    user: object
    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""  # non-resource requests (/healthz)

    @property
    def is_resource(self) -> bool:
        return not self.path


class AlwaysAllow:
    name = "AlwaysAllow"

    def authorize(self, attrs: Attributes) -> tuple[str, str]:
        return ALLOW, ""


class AlwaysDeny:
    name = "AlwaysDeny"

    def authorize(self, attrs: Attributes) -> tuple[str, str]:
        return NO_OPINION, ""


class Chain:
    def __init__(self, authorizers):
        self.authorizers = list(authorizers)

    def authorize(self, attrs: Attributes) -> tuple[str, str]:
        if getattr(attrs.user, "is_privileged", lambda: False)():
            return ALLOW, ""
        for a in self.authorizers:
            decision, reason = a.authorize(attrs)
            if decision != NO_OPINION:
                return decision, reason
        return DENY, ""

    @property
    def modes(self) -> list[str]:
        return [a.name for a in self.authorizers]


def forbidden_detail(attrs: Attributes) -> str:
    """The apiserver's sentence: User "jane" cannot list resource "pods" in API group "" ..."""
    u = attrs.user.name
    if not attrs.is_resource:
        return f'User "{u}" cannot {attrs.verb} path "{attrs.path}"'
    res = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
    where = f'in the namespace "{attrs.namespace}"' if attrs.namespace else "at the cluster scope"
    return f'User "{u}" cannot {attrs.verb} resource "{res}" in API group "{attrs.group}" {where}'
