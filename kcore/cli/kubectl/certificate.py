"""kubectl certificate approve|deny: decide a CertificateSigningRequest."""
from __future__ import annotations

from kcore.cli.kubectl import KubectlError
from kcore.cli.kubectl.flags import Flag

FLAGS = [Flag("force", kind="bool"), Flag("filename", "f", kind="list"), Flag("output", "o"),
         Flag("recursive", "R", kind="bool")]


def run(ctx, p):
    if not p.args or p.args[0] not in ("approve", "deny"):
        raise KubectlError("Modify certificate resources.", prefix="")
    action = p.args[0]
    names = p.args[1:]
    if not names:
        raise KubectlError("one or more CSRs must be specified as <name> or -f <filename>")
    for name in names:
        csr = ctx.client.get("certificatesigningrequests", None, name)
        conds = [c for c in (csr.get("status") or {}).get("conditions") or []]
        want = "Approved" if action == "approve" else "Denied"
        if any(c.get("type") == want for c in conds) and not p["force"]:
            ctx.out(f"certificatesigningrequest.certificates.k8s.io/{name} {action}d")
            continue
        if any(c.get("type") in ("Approved", "Denied") and c.get("type") != want for c in conds):
            raise KubectlError(f"certificatesigningrequest {name} is already {'denied' if action == 'approve' else 'approved'}")
        now = ctx.cluster.loop.timestamp()
        conds.append({"type": want, "status": "True",
                      "reason": "KubectlApprove" if action == "approve" else "KubectlDeny",
                      "message": "This CSR was approved by kubectl certificate approve." if action == "approve"
                      else "This CSR was denied by kubectl certificate deny.",
                      "lastUpdateTime": now, "lastTransitionTime": now})
        csr.setdefault("status", {})["conditions"] = conds
        ctx.cluster.api.update("certificatesigningrequests", None, csr, user=ctx.client.user,
                               subresource="status", field_validation="Ignore")
        ctx.out(f"certificatesigningrequest.certificates.k8s.io/{name} {action}d")
    ctx.settle()
    return 0
