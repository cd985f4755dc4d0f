"""kubeadm on a node, and the packages it upgrades (apt-get, apt-mark, apt-cache).

The cluster upgrade as the CKA does it, one minor version at a time: upgrade the kubeadm
package, `kubeadm upgrade plan`, `kubeadm upgrade apply vX` on the control plane (rewrites
the static pod manifests, so the kubelet restarts each component on the new image), then on
every node the kubelet package and `systemctl restart kubelet` — only then does the node's
VERSION change. Workers run `kubeadm upgrade node`. Also token create/list and
certs check-expiration."""
from __future__ import annotations

import datetime as _dt
import base64
import hashlib
import re

from kcore.cli.nodeshell import Out, register_external

PACKAGES = ("kubeadm", "kubelet", "kubectl")
from kcore.cluster.versions import COREDNS_FOR, ETCD_FOR, PATCHES, available, minor


def packages(cluster, node) -> dict:
    pk = cluster.__dict__.setdefault("_packages", {})
    if node not in pk:
        v = cluster.version.lstrip("v")
        pk[node] = {p: {"version": v, "held": True} for p in PACKAGES}
    return pk[node]


def _now(cluster):
    return _dt.datetime.fromtimestamp(int(cluster.loop.wall()), tz=_dt.timezone.utc)


@register_external("apt-get")
@register_external("apt")
def apt_get(sh, words, stdin):
    args = [w for w in words[1:] if not w.startswith("-")]
    if not args:
        return Out("", "E: Invalid operation\n", 100)
    if args[0] == "update":
        return Out("Hit:1 https://pkgs.k8s.io/core:/stable:/v" + minor(sh.cluster.version) +
                   "/deb  InRelease\nReading package lists... Done\n")
    if args[0] != "install":
        return Out("", f"E: Invalid operation {args[0]}\n", 100)
    pk = packages(sh.cluster, sh.node)
    out = ["Reading package lists... Done", "Building dependency tree... Done",
           "Reading state information... Done"]
    for spec in args[1:]:
        name, _, ver = spec.partition("=")
        ver = ver.strip("'\"").rstrip("*").rstrip("-").split("-")[0]
        if name not in PACKAGES:
            return Out("\n".join(out) + "\n", f"E: Unable to locate package {name}\n", 100)
        # apt resolves the requested version first; holds only matter for one it can install
        if not ver:
            ver = available(minor(pk[name]["version"]))[-1]
        if ver.count(".") == 1:
            ver = available(ver)[-1] if ver in PATCHES else ver + ".0"
        if ver not in available(minor(ver)):
            return Out("\n".join(out) + "\n", f"E: Version '{spec.partition('=')[2]}' for '{name}' was not found\n", 100)
        if pk[name]["held"] and "--allow-change-held-packages" not in words:
            return Out("\n".join(out) + "\n" + "The following held packages will be changed:\n"
                       f"  {name}\n", "E: Held packages were changed and -y was used.\n", 100)
        old = pk[name]["version"]
        pk[name]["version"] = ver
        out.append(f"The following packages will be upgraded:\n  {name}")
        out.append(f"Unpacking {name} ({ver}-1.1) over ({old}-1.1) ...")
        out.append(f"Setting up {name} ({ver}-1.1) ...")
    return Out("\n".join(out) + "\n")


@register_external("apt-mark")
def apt_mark(sh, words, stdin):
    pk = packages(sh.cluster, sh.node)
    if len(words) >= 2 and words[1] == "showhold":
        return Out("".join(f"{n}\n" for n in sorted(pk) if pk[n]["held"]))
    if len(words) < 3 or words[1] not in ("hold", "unhold"):
        return Out("", "E: Invalid operation\n", 100)
    out = []
    for name in words[2:]:
        if name not in pk:
            return Out("", f"E: Unable to locate package {name}\n", 100)
        held = words[1] == "hold"
        if pk[name]["held"] == held:
            out.append(f"{name} was already {'set on hold' if held else 'not on hold'}.")
        else:
            out.append(f"{name} set on hold." if held else f"Canceled hold on {name}.")
        pk[name]["held"] = held
    return Out("".join(l + "\n" for l in out))


@register_external("apt-cache")
def apt_cache(sh, words, stdin):
    if len(words) >= 3 and words[1] == "madison":
        name = words[2]
        m = minor(packages(sh.cluster, sh.node)[name]["version"] if name in PACKAGES else sh.cluster.version)
        rows = [f"   {name} | {v}-1.1 | https://pkgs.k8s.io/core:/stable:/v{m}/deb  Packages"
                for v in reversed(available(m))]
        nxt = f"{m.split('.')[0]}.{int(m.split('.')[1]) + 1}"
        if nxt in PATCHES:
            rows = [f"   {name} | {v}-1.1 | https://pkgs.k8s.io/core:/stable:/v{nxt}/deb  Packages"
                    for v in reversed(available(nxt))] + rows
        return Out("".join(r + "\n" for r in rows))
    return Out("", "E: Invalid operation\n", 100)


def kubelet_version(cluster, node) -> str:
    return "v" + packages(cluster, node)["kubelet"]["version"]


@register_external("kubeadm")
def kubeadm(sh, words, stdin):
    args = words[1:]
    c = sh.cluster
    pk = packages(c, sh.node)
    kver = "v" + pk["kubeadm"]["version"]
    if not args or args[0] in ("-h", "--help"):
        return Out("Usage:\n  kubeadm [command]\n")
    if args[0] == "version":
        if "-o" in args and "short" in args:
            return Out(kver + "\n")
        mj, mi = kver.lstrip("v").split(".")[:2]
        return Out(f'kubeadm version: &version.Info{{Major:"{mj}", Minor:"{mi}", EmulationMajor:"", '
                   f'EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", '
                   f'GitVersion:"{kver}", GitCommit:"", GitTreeState:"clean", '
                   f'BuildDate:"2026-01-01T00:00:00Z", GoVersion:"go1.25.5", Compiler:"gc", '
                   f'Platform:"linux/amd64"}}\n')
    if args[0] == "upgrade" and len(args) > 1:
        if args[1] == "plan":
            return _plan(sh, kver)
        if args[1] == "apply":
            target = next((a for a in args[2:] if a.startswith("v") or a[0].isdigit()), "")
            return _apply(sh, kver, target if target.startswith("v") else "v" + target)
        if args[1] == "node":
            return _upgrade_node(sh)
    if args[0] == "token":
        return _token(sh, args[1:])
    if args[0] == "certs" and len(args) > 1 and args[1] == "check-expiration":
        return _check_expiration(sh)
    return Out("", f'unknown command "{args[0]}" for "kubeadm"\n' if args[0] not in ("upgrade", "token", "certs")
               else f"kcore: `kubeadm {' '.join(args)}` is not modelled\n", 1)


def _component_versions(c):
    return c.version, c.version


def _plan(sh, kver):
    c = sh.cluster
    if sh.node != c.controlplane:
        return Out("", "[upgrade/config] FATAL: this node is not a control plane node\n", 1)
    cur = c.version
    target_minor = minor(kver)
    target = "v" + available(target_minor)[-1] if minor(kver) != minor(cur) else "v" + available(minor(cur))[-1]
    if target > kver and minor(target) == minor(kver):
        target = kver
    lines = ["[preflight] Running pre-flight checks.",
             '[upgrade/config] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
             "[upgrade/config] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.",
             "[upgrade] Running cluster health checks",
             "[upgrade] Fetching available versions to upgrade to",
             f"[upgrade/versions] Cluster version: {cur.lstrip('v')}",
             f"[upgrade/versions] kubeadm version: {kver}",
             f"[upgrade/versions] Target version: {target}",
             f"[upgrade/versions] Latest version in the v{minor(cur)} series: v{available(minor(cur))[-1]}", ""]
    if target == cur:
        lines.append("Awesome, you're up-to-date! Enjoy!")
        return Out("\n".join(lines) + "\n")
    rows = [("COMPONENT", "NODE", "CURRENT", "TARGET")]
    for n in c.node_names:
        rows.append(("kubelet", n, kubelet_version(c, n), target))
    lines.append("Components that must be upgraded manually after you have upgraded the control plane with 'kubeadm upgrade apply':")
    lines += _table(rows)
    lines.append("")
    lines.append("Upgrade to the latest stable version:" if minor(target) != minor(cur)
                 else f"Upgrade to the latest version in the v{minor(cur)} series:")
    lines.append("")
    cp = c.controlplane
    rows = [("COMPONENT", "NODE", "CURRENT", "TARGET")]
    for comp in ("kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        rows.append((comp, cp, cur, target))
    rows.append(("kube-proxy", "", cur.lstrip("v"), target))
    rows.append(("CoreDNS", "", COREDNS_FOR.get(minor(cur), "v1.13.1"), COREDNS_FOR.get(minor(target), "v1.13.1")))
    rows.append(("etcd", cp, ETCD_FOR.get(minor(cur), "3.6.6-0"), ETCD_FOR.get(minor(target), "3.6.6-0")))
    lines += _table(rows)
    lines += ["", "You can now apply the upgrade by executing the following command:", "",
              f"\tkubeadm upgrade apply {target}", "",
              "_____________________________________________________________________", "", "",
              "The table below shows the current state of component configs as understood by this version of kubeadm.",
              'Configs that have a "yes" mark in the "MANUAL UPGRADE REQUIRED" column require manual config upgrade or',
              "resetting to kubeadm defaults before a successful upgrade can be performed. The version to manually",
              'upgrade to is denoted in the "PREFERRED VERSION" column.', ""]
    lines += _table([("API GROUP", "CURRENT VERSION", "PREFERRED VERSION", "MANUAL UPGRADE REQUIRED"),
                     ("kubeproxy.config.k8s.io", "v1alpha1", "v1alpha1", "no"),
                     ("kubelet.config.k8s.io", "v1beta1", "v1beta1", "no")])
    lines += ["_____________________________________________________________________", ""]
    return Out("\n".join(lines) + "\n")


def _table(rows):
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return ["   ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def _apply(sh, kver, target):
    c = sh.cluster
    if sh.node != c.controlplane:
        return Out("", "couldn't create a Kubernetes client from file \"/etc/kubernetes/admin.conf\": "
                   "failed to load admin kubeconfig: open /etc/kubernetes/admin.conf: no such file or directory\n"
                   "To see the stack trace of this error execute with --v=5 or higher\n", 1)
    cur = c.version
    if not re.fullmatch(r"v\d+\.\d+\.\d+", target):
        return Out("", f'[upgrade/version] FATAL: unable to parse version "{target}"\n', 1)
    tmaj = int(minor(target).split(".")[1])
    cmaj = int(minor(cur).split(".")[1])
    kmaj = int(minor(kver).split(".")[1])
    head = ['[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
            "[upgrade] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.",
            "[upgrade/preflight] Running preflight checks", "[upgrade] Running cluster health checks",
            f'[upgrade/preflight] You have chosen to upgrade the cluster version to "{target}"',
            f"[upgrade/versions] Cluster version: {cur}", f"[upgrade/versions] kubeadm version: {kver}"]
    if (tmaj, int(target.lstrip("v").split(".")[2])) < (cmaj, int(cur.lstrip("v").split(".")[2])):
        return Out("\n".join(head) + "\n", f'[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "{target}" is lower than the cluster version "{cur}". Downgrades are not supported yet\n\nPlease fix the misalignments highlighted above and try upgrading again\nTo see the stack trace of this error execute with --v=5 or higher\n', 1)
    if tmaj > cmaj + 1:
        return Out("\n".join(head) + "\n", f'[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "{target}" is too high; kubeadm can upgrade only 1 minor version at a time\n\nPlease fix the misalignments highlighted above and try upgrading again\nTo see the stack trace of this error execute with --v=5 or higher\n', 1)
    if tmaj > kmaj or (tmaj == kmaj and target > kver):
        return Out("\n".join(head) + "\n", f'[upgrade/version] FATAL: the --version argument is invalid due to these fatal errors:\n\n\t- Specified version to upgrade to "{target}" is higher than the kubeadm version "{kver}". Upgrade kubeadm first using the tool you used to install kubeadm\n\nPlease fix the misalignments highlighted above and try upgrading again\nTo see the stack trace of this error execute with --v=5 or higher\n', 1)
    if target.lstrip("v") not in available(minor(target)):
        return Out("\n".join(head) + "\n", f'[upgrade/version] FATAL: the version "{target}" was not found\n', 1)
    lines = list(head)
    for comp in ("etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler"):
        path = f"/etc/kubernetes/manifests/{comp}.yaml"
        host = c.host_path(c.controlplane, path)
        with open(host, encoding="utf-8") as fh:
            text = fh.read()
        if comp == "etcd":
            text = re.sub(r"(registry\.k8s\.io/etcd:)[\w.\-]+", r"\g<1>" + ETCD_FOR.get(minor(target), "3.6.6-0"), text)
        else:
            text = re.sub(rf"(registry\.k8s\.io/{comp}:)v[\w.\-]+", r"\g<1>" + target, text)
        with open(host, "w", encoding="utf-8") as fh:
            fh.write(text)
        lines += [f'[upgrade/staticpods] Preparing for "{comp}" upgrade',
                  f'[upgrade/staticpods] Moving new manifest to "{path}" and backing up old manifest to "/etc/kubernetes/tmp/kubeadm-backup-manifests/{comp}.yaml"',
                  "[upgrade/staticpods] Waiting for the kubelet to restart the component",
                  "[upgrade/staticpods] This can take up to 5m0s",
                  f"[apiclient] Found 1 Pods for label selector component={comp}",
                  f'[upgrade/staticpods] Component "{comp}" upgraded successfully!']
    sh.touched("/etc/kubernetes/manifests/x")
    c.version = target
    # add-ons follow the new version
    c.kubectl(["-n", "kube-system", "set", "image", "daemonset/kube-proxy",
               f"kube-proxy=registry.k8s.io/kube-proxy:{target}"])
    c.kubectl(["-n", "kube-system", "set", "image", "deployment/coredns",
               f"coredns=registry.k8s.io/coredns/coredns:{COREDNS_FOR.get(minor(target), 'v1.13.1')}"])
    lines += ["[upgrade/control-plane] The control plane instance for this node was successfully upgraded!",
              '[upload-config] Storing the configuration used in ConfigMap "kubeadm-config" in the "kube-system" Namespace',
              '[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
              "[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!",
              "[addons] Applied essential addon: CoreDNS", "[addons] Applied essential addon: kube-proxy", "",
              f'[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "{target}".', "",
              "[upgrade] Now please proceed with upgrading the rest of the nodes by following the right order."]
    return Out("\n".join(lines) + "\n")


def _upgrade_node(sh):
    lines = ['[upgrade] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
             "[upgrade] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.",
             "[upgrade/preflight] Running pre-flight checks"]
    if sh.node != sh.cluster.controlplane:
        lines += ["[upgrade/preflight] Skipping prepull. Not a control plane node.",
                  "[upgrade/control-plane] Skipping phase. Not a control plane node.",
                  "[upgrade/kubeconfig] Skipping phase. Not a control plane node."]
    lines += ['[kubelet-start] Writing kubelet configuration to file "/var/lib/kubelet/config.yaml"',
              "[upgrade/kubelet-config] The kubelet configuration for this node was successfully upgraded!"]
    if sh.node != sh.cluster.controlplane:
        lines += ["[upgrade/addon] Skipping the addon/coredns phase. Not a control plane node.",
                  "[upgrade/addon] Skipping the addon/kube-proxy phase. Not a control plane node."]
    return Out("\n".join(lines) + "\n")


BOOTSTRAP_TOKEN = "bootstrap.kubernetes.io/token"


def _token(sh, args):
    """`kubeadm token create|list`. A token is a Secret kube-system/bootstrap-token-<id> of
    type bootstrap.kubernetes.io/token (what `kubeadm join` authenticates with); the list
    reads those Secrets, so deleting one with kubectl revokes the token."""
    c = sh.cluster
    if not args or args[0] not in ("create", "list"):
        return Out("", "kcore: kubeadm token supports create and list\n", 1)
    if args[0] == "create":
        tid, secret = c.loop.rand_hex(6), c.loop.rand_hex(16)
        tok = f"{tid}.{secret}"
        data = {"token-id": tid, "token-secret": secret,
                "expiration": c.loop.timestamp(c.loop.now + 24 * 3600),
                "usage-bootstrap-authentication": "true", "usage-bootstrap-signing": "true",
                "auth-extra-groups": "system:bootstrappers:kubeadm:default-node-token"}
        c.admin.create("secrets", "kube-system", {
            "apiVersion": "v1", "kind": "Secret", "type": BOOTSTRAP_TOKEN,
            "metadata": {"name": f"bootstrap-token-{tid}", "namespace": "kube-system"},
            "data": {k: base64.b64encode(v.encode()).decode() for k, v in data.items()}})
        if "--print-join-command" in args:
            from kcore import pki
            from kcore.cluster import bootstrap
            cert = pki.load_cert(c.cas["ca"].cert_pem)
            from cryptography.hazmat.primitives import serialization
            spki = cert.public_key().public_bytes(serialization.Encoding.DER,
                                                  serialization.PublicFormat.SubjectPublicKeyInfo)
            digest = hashlib.sha256(spki).hexdigest()
            ip = bootstrap.node_ip(c, c.controlplane)
            return Out(f"kubeadm join {ip}:6443 --token {tok} --discovery-token-ca-cert-hash sha256:{digest} \n")
        return Out(tok + "\n")
    rows = [("TOKEN", "TTL", "EXPIRES", "USAGES", "DESCRIPTION", "EXTRA GROUPS")]
    for secret in c.admin.list("secrets", "kube-system")["items"]:
        if secret.get("type") != BOOTSTRAP_TOKEN:
            continue
        d = {k: base64.b64decode(v).decode(errors="replace") for k, v in (secret.get("data") or {}).items()}
        expires = d.get("expiration", "")
        left = ""
        if expires:
            seconds = c.loop.parse_timestamp(expires) - c.loop.now
            if seconds <= 0:
                continue   # kubeadm skips expired tokens
            left = f"{int(seconds) // 3600}h"
        usages = ",".join(k[len("usage-bootstrap-"):] for k in sorted(d)
                          if k.startswith("usage-bootstrap-") and d[k] == "true")
        rows.append((f"{d.get('token-id', '')}.{d.get('token-secret', '')}", left or "<forever>",
                     expires or "<never>", usages, d.get("description") or "<none>",
                     d.get("auth-extra-groups") or "<none>"))
    return Out("".join(l + "\n" for l in _table(rows)))


def _check_expiration(sh):
    from kcore import pki
    c = sh.cluster
    now = _now(c)
    rows = [("CERTIFICATE", "EXPIRES", "RESIDUAL TIME", "CERTIFICATE AUTHORITY", "EXTERNALLY MANAGED")]
    certs = [("admin.conf", None, "ca"), ("apiserver", "apiserver.crt", "ca"),
             ("apiserver-etcd-client", "apiserver-etcd-client.crt", "etcd-ca"),
             ("apiserver-kubelet-client", "apiserver-kubelet-client.crt", "ca"),
             ("controller-manager.conf", None, "ca"), ("etcd-healthcheck-client", "etcd/healthcheck-client.crt", "etcd-ca"),
             ("etcd-peer", "etcd/peer.crt", "etcd-ca"), ("etcd-server", "etcd/server.crt", "etcd-ca"),
             ("front-proxy-client", "front-proxy-client.crt", "front-proxy-ca"),
             ("scheduler.conf", None, "ca"), ("super-admin.conf", None, "ca")]

    def fmt(t):
        return t.strftime("%b %d, %Y %H:%M UTC")

    def residual(t):
        d = t - now
        if d.total_seconds() <= 0:
            return "<invalid>"
        days = d.days
        return f"{days // 365}y" if days >= 365 else f"{days}d" if days >= 1 else f"{int(d.total_seconds() // 3600)}h"
    for name, rel, ca in certs:
        if rel is not None:
            host = c.host_path(c.controlplane, f"/etc/kubernetes/pki/{rel}")
            info = pki.cert_info(open(host, "rb").read())
        else:
            import base64
            import yaml
            host = c.host_path(c.controlplane, f"/etc/kubernetes/{name}")
            kc = yaml.safe_load(open(host, encoding="utf-8"))
            data = base64.b64decode(kc["users"][0]["user"]["client-certificate-data"])
            info = pki.cert_info(data)
        rows.append((name, fmt(info["not_after"]), residual(info["not_after"]), ca, "no"))
    out = _table(rows) + [""]
    rows = [("CERTIFICATE AUTHORITY", "EXPIRES", "RESIDUAL TIME", "EXTERNALLY MANAGED")]
    for ca, rel in (("ca", "ca.crt"), ("etcd-ca", "etcd/ca.crt"), ("front-proxy-ca", "front-proxy-ca.crt")):
        info = pki.cert_info(open(c.host_path(c.controlplane, f"/etc/kubernetes/pki/{rel}"), "rb").read())
        rows.append((ca, fmt(info["not_after"]), residual(info["not_after"]), "no"))
    out += _table(rows)
    pre = ['[check-expiration] Reading configuration from the "kubeadm-config" ConfigMap in namespace "kube-system"...',
           "[check-expiration] Use 'kubeadm init phase upload-config kubeadm --config your-config-file' to re-upload it.", ""]
    return Out("\n".join(pre + out) + "\n")
