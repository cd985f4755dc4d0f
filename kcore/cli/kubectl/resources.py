"""Resource arguments: `pods`, `pod web db`, `pod/web svc/api`, `pods,svc`, `all`.

Turns the positionals of get/describe/delete/label/... into a list of (type, name) requests,
and fetches them, with kubectl's errors for every malformed shape."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError

ALL_TYPES = ["pods", "replicationcontrollers", "services", "daemonsets.apps", "deployments.apps",
             "replicasets.apps", "statefulsets.apps", "horizontalpodautoscalers.autoscaling",
             "cronjobs.batch", "jobs.batch"]


def lookup(name: str):
    from kcore.api import kinds
    try:
        return kinds.lookup(name)
    except kinds.UnknownResource:
        raise KubectlError(f'the server doesn\'t have a resource type "{name.split(".")[0]}"'
                           if "." not in name or True else "") from None


def parse_args(args: list[str], *, allow_empty_names: bool = True) -> list[tuple[object, str | None]]:
    """[(ResourceType, name or None)]. Raises KubectlError with kubectl's wording."""
    if not args:
        return []
    if any("/" in a for a in args):
        out = []
        for a in args:
            if "/" not in a:
                raise KubectlError(
                    "there is no need to specify a resource type as a separate argument when "
                    "passing arguments in resource/name form (e.g. 'kubectl get resource/"
                    "<resource_name>' instead of 'kubectl get resource resource/<resource_name>'")
            t, _, n = a.partition("/")
            if not n:
                raise KubectlError(f"arguments in resource/name form must have a single resource "
                                   f"and name")
            out.append((lookup(t), n))
        return out
    types = []
    for t in args[0].split(","):
        if not t:
            continue
        if t == "all":
            types.extend(lookup(x) for x in ALL_TYPES)
        else:
            types.append(lookup(t))
    names = args[1:]
    if names and len(types) > 1:
        raise KubectlError("you may only specify a single resource type")
    if not names:
        return [(rt, None) for rt in types]
    return [(types[0], n) for n in names]


def type_label(rt) -> str:
    """`pod`, `deployment.apps`: the prefix of `kind/name`."""
    return (rt.kind.lower() + ("." + rt.group if rt.group else ""))


def ref(rt, name: str) -> str:
    return f"{type_label(rt)}/{name}"


def qualified(rt) -> str:
    return rt.plural + ("." + rt.group if rt.group else "")
