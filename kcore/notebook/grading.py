"""Checks for graded cells that explain themselves.

    from kcore.notebook.grading import check
    check.pod("web").is_running().runs_on("node01")
    check.deployment("web", namespace="prod").has_replicas(3).has_image("nginx:1.27")
    check.service("web").has_type("NodePort").has_endpoints()
    check.answer(answer, "kube-scheduler")

Checks are layered, like a person debugging: does the object exist (and if not, is there one
with that name in another namespace, of another kind, or with a near-miss name?), is it the
right kind, is it in the right state. The first layer that fails raises CheckFailed, an
AssertionError whose message says what was expected, what was found, and what to look at
next — the scheduler's reason, the last warning event, the field:

    Pod 'web' should be Running; it is Pending.
    Scheduler: 0/3 nodes are available: 3 node(s) had untolerated taint(s).
    Look at: kubectl describe pod web -n default (Events); kubectl describe nodes | grep Taints

In a notebook the traceback of a CheckFailed is that message and nothing else, so nbgrader's
feedback never shows a hidden test's source. The cluster is read only through
`cluster.kubectl([... "-o", "json"])`, so the same checks could grade any cluster that
kubectl can reach."""
from __future__ import annotations

from typing import Any

from kcore.notebook.feedback import CheckFailed, GraderError, Reader, _where, dig, explain, same_quantity
from kcore.notebook.subjects import (DaemonSet, Deployment, Node, Pod, ReplicaSet, Service, Subject)

__all__ = ["check", "Checks", "CheckFailed", "GraderError", "Reader", "explain", "dig", "same_quantity", "Subject",
           "Pod", "Deployment", "ReplicaSet", "DaemonSet", "Service", "Node"]


class Checks:
    """The `check` object: `check.pod(...)`, `check.deployment(...)`, ..., `check(kind, name)`."""

    def __init__(self, cluster: Any = None):
        self.reader = Reader(cluster)

    def on(self, cluster: Any) -> "Checks":
        """The same checks against a given cluster instead of the current one."""
        return Checks(cluster)

    def __call__(self, resource: str, name: str, namespace: str | None = "default",
                 hint: str | None = None) -> Subject:
        kinds = {"pod": Pod, "pods": Pod, "po": Pod, "deployment": Deployment, "deployments": Deployment,
                 "deploy": Deployment, "replicaset": ReplicaSet, "replicasets": ReplicaSet, "rs": ReplicaSet,
                 "daemonset": DaemonSet, "daemonsets": DaemonSet, "ds": DaemonSet, "service": Service,
                 "services": Service, "svc": Service, "node": Node, "nodes": Node, "no": Node}
        cls = kinds.get(resource.lower())
        if cls is None:
            cls = type("Generic", (Subject,), {"resource": resource, "kind": resource})
        return cls(self.reader, name, namespace, hint)

    def pod(self, name: str, namespace: str = "default", hint: str | None = None) -> Pod:
        return Pod(self.reader, name, namespace, hint)

    def static_pod(self, name: str, node: str, namespace: str = "default", hint: str | None = None) -> Pod:
        """A static pod from a manifest in `node`'s /etc/kubernetes/manifests: the API shows
        its mirror pod '<name>-<node>', owned by the Node."""
        mirror = f"{name}-{node}"
        if self.reader.get("pods", mirror, namespace) is None:
            others = [dig(p, "metadata.name") for p in self.reader.list("pods", all_namespaces=True)
                      if str(dig(p, "metadata.name") or "").startswith(f"{name}-")
                      and any(o.get("kind") == "Node" for o in dig(p, "metadata.ownerReferences") or [])]
            details = [f"A static pod of that name exists on another node: {', '.join(others)}."] if others else []
            raise CheckFailed(explain(
                f"Expected a static pod '{name}' on {node} (the API shows it as '{mirror}'{_where(namespace)})",
                "there is none", details + ["The kubelet creates static pods from files in its staticPodPath."],
                f"the manifests on the node: ssh {node} ls /etc/kubernetes/manifests "
                f"(staticPodPath in /var/lib/kubelet/config.yaml)", hint))
        pod = Pod(self.reader, mirror, namespace, hint)
        pod.owned_by("Node", node, hint=hint)
        return pod

    def deployment(self, name: str, namespace: str = "default", hint: str | None = None) -> Deployment:
        return Deployment(self.reader, name, namespace, hint)

    def replicaset(self, name: str, namespace: str = "default", hint: str | None = None) -> ReplicaSet:
        return ReplicaSet(self.reader, name, namespace, hint)

    def daemonset(self, name: str, namespace: str = "default", hint: str | None = None) -> DaemonSet:
        return DaemonSet(self.reader, name, namespace, hint)

    def service(self, name: str, namespace: str = "default", hint: str | None = None) -> Service:
        return Service(self.reader, name, namespace, hint)

    def node(self, name: str, hint: str | None = None) -> Node:
        return Node(self.reader, name, None, hint)

    def namespace(self, name: str, hint: str | None = None) -> Subject:
        cls = type("Namespace", (Subject,), {"resource": "namespaces", "kind": "Namespace", "namespaced": False})
        return cls(self.reader, name, None, hint)

    # -- answers given as text ------------------------------------------------------------------
    @staticmethod
    def answer(given: Any, expected: Any, what: str = "answer", hint: str | None = None,
               normalize: bool = True) -> None:
        """A value answer (a name, a number, a command's output). Whitespace and case are
        forgiven when normalize=True."""
        def norm(v: Any) -> str:
            text = str(v).strip()
            return " ".join(text.split()).lower() if normalize else text
        if given is None or str(given).strip() in ("", "...", "YOUR ANSWER HERE"):
            raise CheckFailed(explain(f"Expected your {what}", "it is still empty", (),
                                      "the task's answer cell", hint))
        if norm(given) != norm(expected):
            raise CheckFailed(explain(f"Your {what} should be {str(expected).strip()!r}",
                                      f"it is {str(given).strip()!r}", (), "", hint))

    def variable(self, name: str, hint: str | None = None) -> Any:
        """Read a learner's variable from the notebook; a clear failure when it is not set."""
        try:
            from IPython import get_ipython
            shell = get_ipython()
        except ImportError:
            shell = None
        namespace = shell.user_ns if shell is not None else {}
        if name not in namespace:
            raise CheckFailed(explain(f"Expected a variable named '{name}'", "it is not defined",
                                      ["Run the cell where you set it (and check the spelling)."], "", hint))
        return namespace[name]

    def output(self, command: str | list[str], expected: str, what: str = "output", hint: str | None = None) -> None:
        """Run `kubectl <command>` (a learner's answer) and compare what it prints."""
        from kcore.notebook.magics import split_line
        args = split_line(command) if isinstance(command, str) else list(command)
        if args and args[0] == "kubectl":
            args = args[1:]
        result = self.reader.kubectl(args)
        if result.returncode != 0:
            raise CheckFailed(explain(f"Your command should print {expected.strip()!r}",
                                      f"it failed: {result.stderr.strip()}", (), "", hint))
        if result.stdout.strip() != expected.strip():
            raise CheckFailed(explain(f"Your command should print {expected.strip()!r}",
                                      f"it prints {result.stdout.strip()!r}", (), "", hint))

    def jsonpath(self, template: str, target: str | list[str], expected_template: str,
                 hint: str | None = None) -> None:
        """A learner's JSONPath template, graded by its output against the expected template's
        on the same objects (`target` is what follows `kubectl get`, e.g. "nodes")."""
        if not template or not str(template).strip():
            raise CheckFailed(explain("Expected a JSONPath template", "it is empty", (), "", hint))
        base = target.split() if isinstance(target, str) else list(target)
        want = self.reader.kubectl(["get", *base, "-o", f"jsonpath={expected_template}"])
        got = self.reader.kubectl(["get", *base, "-o", f"jsonpath={template}"])
        if got.returncode != 0:
            raise CheckFailed(explain("Your template should print the requested values",
                                      f"kubectl rejects it: {got.stderr.strip()}", (), "", hint))
        if got.stdout != want.stdout:
            raise CheckFailed(explain(f"Your template should print {want.stdout!r}",
                                      f"it prints {got.stdout!r}", (),
                                      f"kubectl get {' '.join(base)} -o json, and the path to the field", hint))


check = Checks()
