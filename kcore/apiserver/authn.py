"""Who is asking: users and the authenticators that recognise them.

The API server trusts an identity only through an authenticator: a client certificate's
CN and O (user and groups), a bearer token (static token file or a ServiceAccount token), or
the in-process components' own identities. kubectl presents what its kubeconfig holds."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class User:
    name: str
    groups: tuple[str, ...] = ()
    uid: str = ""
    extra: tuple = field(default=())

    @property
    def all_groups(self) -> tuple[str, ...]:
        gs = self.groups
        if self.name != "system:anonymous" and "system:authenticated" not in gs:
            gs = gs + ("system:authenticated",)
        return gs

    def is_privileged(self) -> bool:
        """system:masters bypasses authorization entirely, as in Kubernetes."""
        return "system:masters" in self.groups


ADMIN = User("kubernetes-admin", ("kubeadm:cluster-admins",))
SUPER_ADMIN = User("kubernetes-super-admin", ("system:masters",))
ANONYMOUS = User("system:anonymous", ("system:unauthenticated",))


def component(name: str) -> User:
    """An in-process control-plane identity (scheduler, controllers, kubelets)."""
    return User(name, ("system:masters",))


def service_account(namespace: str, name: str) -> User:
    return User(f"system:serviceaccount:{namespace}:{name}",
                ("system:serviceaccounts", f"system:serviceaccounts:{namespace}"))


def node(name: str) -> User:
    return User(f"system:node:{name}", ("system:nodes",))


class TokenAuthenticator:
    """Static bearer tokens: token -> User (the --token-auth-file mechanism)."""

    def __init__(self):
        self.tokens: dict[str, User] = {}

    def add(self, token: str, user: User) -> None:
        self.tokens[token] = user

    def authenticate(self, token: str) -> User | None:
        return self.tokens.get(token)
