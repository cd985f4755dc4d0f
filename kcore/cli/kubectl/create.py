"""kubectl create: from files (`-f`) or from a generator (`create deployment web --image=…`).

Files are created object by object; each failure is reported and the rest still go through,
as kubectl does. Generators build the object client-side (generators.py) and send it; with
`--dry-run=client` nothing reaches the server."""
from __future__ import annotations

from kcore.machinery.objects import clone

from kcore.cli.kubectl import KubectlError, format_api_error
from kcore.cli.kubectl import output as out_fmt
from kcore.cli.kubectl.flags import Flag

COMMON = [Flag("output", "o"), Flag("dry-run", default="none", no_opt="unchanged"),
          Flag("save-config", kind="bool"), Flag("validate", default="strict", no_opt="strict"),
          Flag("field-manager", default="kubectl-create"), Flag("show-managed-fields", kind="bool"),
          Flag("allow-missing-template-keys", kind="bool", default=True), Flag("template")]
FILE_FLAGS = [Flag("filename", "f", kind="list"), Flag("recursive", "R", kind="bool"),
              Flag("selector", "l"), Flag("edit", kind="bool"), Flag("raw"),
              Flag("windows-line-endings", kind="bool")]


TOKEN_FLAGS = [Flag("duration", default="0s"), Flag("audience", kind="list"),
               Flag("bound-object-kind"), Flag("bound-object-name"), Flag("bound-object-uid")]


def flags_for(verb, rest):
    from kcore.cli.kubectl.flags import split_command
    _, sub, _ = split_command(rest)
    if sub == "token":
        return COMMON + TOKEN_FLAGS
    gen = _generator_flags(sub)
    return COMMON + (gen if gen is not None else FILE_FLAGS)


def _generator_flags(sub):
    if not sub:
        return None
    try:
        from kcore.cli.kubectl import create_generators
    except ImportError:
        return None
    return create_generators.flags(sub)


def dry_run_mode(p) -> str:
    v = p.get("dry-run") or "none"
    if v == "unchanged":
        v = "client"
    if v not in ("none", "client", "server"):
        raise KubectlError(f'Invalid dry-run value ({v}). Must be "none", "server", or "client".')
    return "" if v == "none" else v


def run(ctx, p) -> int:
    if p.args and p.args[0] == "token":
        return create_token(ctx, p)
    if p.args and not p["filename"]:
        from kcore.cli.kubectl import create_generators
        return create_generators.run(ctx, p)
    if not p["filename"]:
        raise KubectlError("must specify one of -f and -k", usage="")
    return create_from_files(ctx, p)


def create_from_files(ctx, p) -> int:
    from kcore.apiserver import ApiError
    from kcore.cli.kubectl import manifests
    fmt = out_fmt.OutputFormat.parse(p.get("output"))
    dry = dry_run_mode(p)
    code = 0
    docs = manifests.read_sources(ctx, p["filename"], p["recursive"])
    if not docs:
        raise KubectlError("no objects passed to create")
    for doc in docs:
        try:
            rt = manifests.check_kind(doc)
            ns = target_namespace(ctx, rt, doc)
            body = doc.obj
            if p["save-config"]:
                body = with_last_applied(body, ns if rt.namespaced else None)
            if dry == "client":
                obj = dict(body)
                if rt.namespaced:
                    obj.setdefault("metadata", {})
                out_fmt.success(ctx, fmt, rt, obj, "created", dry)
                continue
            if rt.plural == "bindings":
                # a Binding is the pods/binding subresource: it assigns the pod to a node
                name = (body.get("metadata") or {}).get("name", "")
                ctx.client.create("pods", ns, body, subresource="binding", name=name,
                                  dry_run=dry == "server")
                out_fmt.success(ctx, fmt, rt, body, "created", dry)
                continue
            obj = ctx.client.create(rt, ns, body, dry_run=dry == "server")
            out_fmt.success(ctx, fmt, rt, obj, "created", dry)
        except ApiError as exc:
            ctx.err(format_api_error(exc, "creating", doc.source))
            code = 1
        except KubectlError as exc:
            ctx.err(f"{exc.prefix}{exc.message}")
            code = 1
        ctx.cluster.loop.run_ready()
    ctx.settle()
    return code


def target_namespace(ctx, rt, doc) -> str | None:
    if not rt.namespaced:
        return None
    md = doc.obj.get("metadata") if isinstance(doc.obj.get("metadata"), dict) else {}
    doc_ns = md.get("namespace")
    if doc_ns and ctx.explicit_namespace and doc_ns != ctx.namespace:
        raise KubectlError(f'the namespace from the provided object "{doc_ns}" does not match the '
                           f'namespace "{ctx.namespace}". You must pass \'--namespace={doc_ns}\' to '
                           "perform this operation.")
    return doc_ns or ctx.namespace


LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"


def last_applied_text(obj: dict, namespace: str | None) -> str:
    """The annotation kubectl writes: compact JSON with sorted keys and a newline (see
    kcore.machinery.patch), with the namespace the object is applied in."""
    from kcore.machinery.patch import last_applied_configuration
    o = clone(obj)
    md = o.setdefault("metadata", {})
    if namespace and not md.get("namespace"):
        md["namespace"] = namespace
    return last_applied_configuration(o)


def with_last_applied(obj: dict, namespace: str | None) -> dict:
    o = clone(obj)
    md = o.setdefault("metadata", {})
    ann = dict(md.get("annotations") or {})
    ann[LAST_APPLIED] = last_applied_text(obj, namespace)
    md["annotations"] = ann
    return o


def create_token(ctx, p) -> int:
    """`kubectl create token SA`: a service account token (TokenRequest), printed alone.

    The token authenticates as system:serviceaccount:<ns>:<sa> (try `kubectl --token=…`)."""
    import base64
    import json
    if len(p.args) < 2:
        raise KubectlError("exactly one NAME is required, got 0")
    name = p.args[1]
    ns = ctx.namespace
    sa = ctx.client.get("serviceaccounts", ns, name)
    loop = ctx.cluster.loop
    from kcore.cli.kubectl.rollout import _seconds
    lifetime = int(_seconds(p["duration"]) or 3600)

    def b64(data):
        return base64.urlsafe_b64encode(json.dumps(data, separators=(",", ":")).encode()).decode().rstrip("=")
    claims = {"aud": p["audience"] or ["https://kubernetes.default.svc.cluster.local"],
              "exp": int(loop.wall()) + lifetime, "iat": int(loop.wall()),
              "iss": "https://kubernetes.default.svc.cluster.local",
              "jti": loop.uid(),
              "kubernetes.io": {"namespace": ns, "serviceaccount": {"name": name,
                                                                    "uid": sa["metadata"]["uid"]}},
              "nbf": int(loop.wall()), "sub": f"system:serviceaccount:{ns}:{name}"}
    token = b64({"alg": "RS256", "kid": loop.rand_hex(16)}) + "." + b64(claims) + "." + loop.rand_hex(86)
    from kcore.apiserver.authn import service_account
    ctx.cluster.tokens.add(token, service_account(ns, name))
    ctx.out(token)
    return 0
