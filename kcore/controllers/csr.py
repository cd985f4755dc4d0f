"""CertificateSigningRequests: the approver and the signer of kube-controller-manager.

Approval is a decision, signing is a mechanism. `kubectl certificate approve` (or, for a
kubelet's bootstrap request, the CSRApprovingController) adds the condition Approved; the
CSRSigningController then signs every approved request whose signer it serves with the
cluster CA (`manager.options["signing_ca"]`, a kcore.pki CA) and writes the PEM, base64
encoded, to `status.certificate` — the field `kubectl get csr` turns into CONDITION
`Approved,Issued`.

Signers served, with the rules kube-controller-manager applies before signing:

    kubernetes.io/kube-apiserver-client          client auth (+ digital signature, key
                                                 encipherment); any subject
    kubernetes.io/kube-apiserver-client-kubelet  exactly client auth + digital signature
                                                 (+ key encipherment); subject system:node:<name>
                                                 in organization system:nodes; no SANs
    kubernetes.io/kubelet-serving                exactly server auth + digital signature
                                                 (+ key encipherment); the same node subject;
                                                 at least one DNS or IP SAN

A request that breaks its signer's rules gets the condition Failed (SignerValidationFailure).
Certificates are valid until now + `spec.expirationSeconds` (at least 600 s) or one year, never
past the CA's own expiry, and from five minutes before now (the real signer's backdate against
clock skew) unless they live 8 hours or less, which start now.

The approver approves only node client requests: signer kube-apiserver-client-kubelet, a
`system:node:<name>` subject in `system:nodes`, made by a bootstrap token
(`system:bootstrappers`) or by that node renewing its own certificate. A person's request is
never auto-approved."""
from __future__ import annotations

import base64
import copy
import datetime as _dt

from cryptography import x509
from cryptography.x509.oid import NameOID

from kcore.apiserver import ApiError
from kcore.controllers.base import Controller, key_of
from kcore.pki import PKIError, sign_csr

CLIENT = "kubernetes.io/kube-apiserver-client"
KUBELET_CLIENT = "kubernetes.io/kube-apiserver-client-kubelet"
KUBELET_SERVING = "kubernetes.io/kubelet-serving"
SIGNERS = (CLIENT, KUBELET_CLIENT, KUBELET_SERVING)
DEFAULT_SECONDS = 365 * 24 * 3600
MIN_SECONDS = 600
BACKDATE = 300
SHORT = 8 * 3600          # certificates this short are not backdated

SIGNERS = (CLIENT, KUBELET_CLIENT, KUBELET_SERVING)
DEFAULT_SECONDS = 365 * 24 * 3600
MIN_SECONDS = 600
BACKDATE = 300
SHORT = 8 * 3600          # certificates this short are not backdated

_KUBELET_USAGES = {
    KUBELET_CLIENT: ({"client auth", "digital signature", "key encipherment"},
                     {"client auth", "digital signature"}),
    KUBELET_SERVING: ({"server auth", "digital signature", "key encipherment"},
                      {"server auth", "digital signature"})}


def conditions(csr: dict) -> dict[str, dict]:
    return {c.get("type"): c for c in (csr.get("status") or {}).get("conditions") or []
            if c.get("status", "True") == "True"}


def parse_request(csr: dict):
    """The x509 request inside spec.request (base64 PEM); raises ValueError."""
    raw = (csr.get("spec") or {}).get("request") or ""
    try:
        pem = base64.b64decode(raw, validate=False)
    except (ValueError, TypeError):
        raise ValueError("PEM block type must be CERTIFICATE REQUEST") from None
    try:
        return x509.load_pem_x509_csr(pem)
    except ValueError:
        raise ValueError("PEM block type must be CERTIFICATE REQUEST") from None


def subject_of(req) -> tuple[str, list[str]]:
    cn = [a.value for a in req.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    orgs = [a.value for a in req.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return (cn[0] if cn else ""), sorted(orgs)


def is_node_subject(cn: str, orgs: list[str]) -> bool:
    return cn.startswith("system:node:") and len(cn) > len("system:node:") and \
        orgs == ["system:nodes"]


def validate_for_signer(signer: str, req, usages: list[str]) -> str | None:
    """None when the signer may sign this request, else why not (Kubernetes' wording)."""
    if signer == CLIENT:
        for u in usages:
            if u not in ("digital signature", "key encipherment", "client auth"):
                return f"invalid usage for client certificate: {u}"
        if "client auth" not in usages:
            return "missing required usage for client certificate: client auth"
        return None
    cn, orgs = subject_of(req)
    if orgs != ["system:nodes"]:
        return "subject organization is not system:nodes"
    if not cn.startswith("system:node:"):
        return "subject common name does not begin with system:node:"
    try:
        san = req.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = []
    kinds_ = {type(g).__name__ for g in san}
    if signer == KUBELET_CLIENT:
        for kind, label in (("DNSName", "DNS"), ("RFC822Name", "Email"), ("IPAddress", "IP"),
                            ("UniformResourceIdentifier", "URI")):
            if kind in kinds_:
                return f"{label} subjectAltNames are not allowed"
    else:
        if not kinds_ & {"DNSName", "IPAddress"}:
            return "DNS or IP subjectAltName is required"
        if "RFC822Name" in kinds_:
            return "Email subjectAltNames are not allowed"
        if "UniformResourceIdentifier" in kinds_:
            return "URI subjectAltNames are not allowed"
    full, no_rsa = _KUBELET_USAGES[signer]
    if set(usages) not in (full, no_rsa) or len(usages) != len(set(usages)):
        return f"usages did not match [{' '.join(sorted(full))}]"
    return None


class _CSRController(Controller):
    def setup(self) -> None:
        self.csrs = self.informer("certificatesigningrequests")
        self.csrs.add_handler(lambda et, o, old: et != "DELETED" and self.enqueue(key_of(o)))

    def _write_condition(self, csr: dict, cond: dict, subresource: str) -> dict:
        body = copy.deepcopy(csr)
        st = body.setdefault("status", {})
        st["conditions"] = [c for c in st.get("conditions") or []
                            if c.get("type") != cond["type"]] + [cond]
        out = self.client.update("certificatesigningrequests", None, body,
                                 subresource=subresource)
        if cond["type"] not in conditions(out) and subresource != "status":
            body["metadata"]["resourceVersion"] = out["metadata"].get("resourceVersion")
            out = self.client.update("certificatesigningrequests", None, body,
                                     subresource="status")
        return out


class CSRSigningController(_CSRController):
    name = "csrsigning"
    component_name = "certificatesigningrequest-signing-controller"

    def reconcile(self, key: str):
        csr = self.csrs.get(None, key)
        if csr is None:
            return None
        spec, st = csr.get("spec") or {}, csr.get("status") or {}
        conds = conditions(csr)
        if "Approved" not in conds or "Denied" in conds or "Failed" in conds or \
                st.get("certificate"):
            return None
        signer = spec.get("signerName")
        if signer not in SIGNERS:
            return None
        ca = self.manager.options.get("signing_ca")
        if ca is None:
            return None
        now = self.loop.timestamp()
        try:
            req = parse_request(csr)
        except ValueError as exc:
            return self._fail(csr, "SignerValidationFailure", str(exc), now)
        usages = list(spec.get("usages") or [])
        problem = validate_for_signer(signer, req, usages)
        if problem:
            return self._fail(csr, "SignerValidationFailure", problem, now)
        wall = int(self.loop.wall())
        start = _dt.datetime.fromtimestamp(wall, tz=_dt.timezone.utc)
        seconds = spec.get("expirationSeconds")
        seconds = DEFAULT_SECONDS if seconds is None else max(MIN_SECONDS, int(seconds))
        seconds = min(seconds, DEFAULT_SECONDS)
        not_after = start + _dt.timedelta(seconds=seconds)
        ca_end = getattr(getattr(ca, "cert", None), "not_valid_after_utc", None)
        if ca_end is not None and not_after > ca_end:
            not_after = ca_end
        try:
            backdate = 0 if seconds <= SHORT else BACKDATE
            pem = sign_csr(ca, req.public_bytes(_pem()), usages,
                           not_before=start - _dt.timedelta(seconds=backdate), not_after=not_after)
        except PKIError as exc:
            return self._fail(csr, "SignerValidationFailure", str(exc), now)
        body = copy.deepcopy(csr)
        body["status"]["certificate"] = base64.b64encode(pem).decode()
        self.client.update_status("certificatesigningrequests", None, body)
        return None

    def _fail(self, csr, reason, message, now):
        cond = {"type": "Failed", "status": "True", "reason": reason, "message": message,
                "lastUpdateTime": now, "lastTransitionTime": now}
        body = copy.deepcopy(csr)
        st = body.setdefault("status", {})
        st["conditions"] = list(st.get("conditions") or []) + [cond]
        self.client.update_status("certificatesigningrequests", None, body)
        return None


def _pem():
    from cryptography.hazmat.primitives import serialization
    return serialization.Encoding.PEM


class CSRApprovingController(_CSRController):
    name = "csrapproving"
    component_name = "certificatesigningrequest-approving-controller"

    def reconcile(self, key: str):
        csr = self.csrs.get(None, key)
        if csr is None:
            return None
        spec = csr.get("spec") or {}
        conds = conditions(csr)
        if "Approved" in conds or "Denied" in conds or "Failed" in conds:
            return None
        if spec.get("signerName") != KUBELET_CLIENT:
            return None
        try:
            cn, orgs = subject_of(parse_request(csr))
        except ValueError:
            return None
        if not is_node_subject(cn, orgs):
            return None
        if validate_for_signer(KUBELET_CLIENT, parse_request(csr), list(spec.get("usages") or [])):
            return None
        groups = set(spec.get("groups") or [])
        username = spec.get("username") or ""
        if "system:bootstrappers" not in groups and username != cn:
            return None
        now = self.loop.timestamp()
        message = ("Auto approving self kubelet client certificate after SubjectAccessReview."
                   if username == cn else
                   "Auto approving kubelet client certificate after SubjectAccessReview.")
        cond = {"type": "Approved", "status": "True", "reason": "AutoApproved",
                "message": message, "lastUpdateTime": now, "lastTransitionTime": now}
        try:
            self._write_condition(csr, cond, "approval")
        except ApiError as exc:
            if exc.reason not in ("NotFound",):
                raise
        return None
