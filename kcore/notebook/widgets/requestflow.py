"""RequestFlow: the path one command took through the cluster, drawn from what actually
happened — the cluster's trail (`cluster.trail()`) — and stepped through in virtual time.

The trail comes in two shapes, both accepted:
  * API requests, as the API server audits them: {"t", "verb", "resource", "namespace",
    "name", "user", "revision"}. The user names the component (system:kube-scheduler is the
    scheduler, system:node:node01 the kubelet on node01, a person is kubectl); every request
    goes component → apiserver, and each write lands in etcd at a new revision.
  * component steps: {"t", "component", "action", "object"}, drawn as a chain.

    RequestFlow(command="run web --image=nginx")   run it, then show the steps it caused
    RequestFlow(object="pod/default/web")          every recorded step about one object

Components stand in the order a change flows (kubectl → apiserver → etcd → scheduler →
kubelet → runtime, then whatever else took part); numbered arrows follow the steps. The
slider picks the step being looked at: earlier arrows are drawn, later ones faded."""
from __future__ import annotations

from typing import Any

from kcore.notebook.widgets.render import LiveView, h, html_table, human_seconds, q

ORDER = ("kubectl", "apiserver", "etcd", "controller-manager", "scheduler", "kubelet", "runtime",
         "kube-proxy", "coredns")


_SINGULAR_EXCEPTIONS = {"endpoints": "endpoints", "ingresses": "ingress"}


def singular(resource: str) -> str:
    if resource in _SINGULAR_EXCEPTIONS:
        return _SINGULAR_EXCEPTIONS[resource]
    if resource.endswith("ies"):
        return resource[:-3] + "y"
    return resource[:-1] if resource.endswith("s") else resource


def component_of_user(user: str) -> str:
    """The component behind an API user name."""
    if user == "system:kube-scheduler":
        return "scheduler"
    if user == "system:kube-controller-manager" or user.startswith("system:serviceaccount:kube-system:"):
        return "controller-manager"
    if user.startswith("system:node:"):
        return "kubelet " + user.split(":", 2)[2]
    if user == "system:kube-proxy":
        return "kube-proxy"
    return "kubectl"


def normalize(entry: dict) -> dict:
    """One trail entry as {"t", "component", "action", "object", "revision"?, "api": bool}."""
    if "component" in entry:
        return {"api": False, **entry}
    resource, name, ns = entry.get("resource", ""), entry.get("name", ""), entry.get("namespace") or ""
    verb = {"create/binding": "bind", "update/status": "update status", "patch/status": "patch status"}.get(
        entry.get("verb", ""), str(entry.get("verb", "")).replace("/", " "))
    obj = f"{singular(resource)}/{ns}/{name}" if ns else f"{singular(resource)}/{name}"
    return {"t": entry.get("t", 0), "component": component_of_user(str(entry.get("user", ""))),
            "action": f"{verb} {resource}/{name}", "object": obj, "revision": entry.get("revision"), "api": True}


def select(trail: list[dict], object: str | None = None, start: int = 0) -> list[dict]:
    """The steps from index `start` on, normalized, about `object` if given
    ("pod/default/web", or a prefix such as "pod/default/")."""
    steps = [normalize(e) for e in trail[start:]]
    if object:
        steps = [s for s in steps if str(s.get("object", "")).startswith(object)]
    return steps


def components(steps: list[dict]) -> list[str]:
    """Components taking part, in the canonical order, unknown ones after in order of use."""
    seen = list(dict.fromkeys(["kubectl"] + (["apiserver", "etcd"] if any(s.get("api") for s in steps) else [])
                              + [str(s.get("component")) for s in steps]))

    def rank(component: str) -> tuple[int, str]:
        base = component.split(" ", 1)[0]
        return (ORDER.index(base) if base in ORDER else len(ORDER), component)
    return sorted(seen, key=rank)


def since(seconds: float) -> str:
    """Time since the first step: +0.2s, +12.5s, +3m5s."""
    return f"+{seconds:.1f}s" if seconds < 60 else "+" + human_seconds(seconds)


def build_dot(steps: list[dict], upto: int | None = None) -> str:
    """Numbered arrows between components for `steps`; arrows after step `upto` (1-based) are
    faded and the current step is bold."""
    steps = [normalize(s) for s in steps]
    upto = len(steps) if upto is None else max(0, min(upto, len(steps)))
    current = steps[upto - 1]["component"] if upto else "kubectl"
    lines = ["digraph requestflow {",
             '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.5, ranksep=0.9];',
             '  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled"];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for comp in components(steps):
        fill = "#fde68a" if comp == current else ("#e0e7ff" if comp != "kubectl" else "#f3f4f6")
        lines.append(f"  {q(comp)} [fillcolor={q(fill)}];")

    def style(index: int) -> str:
        if index < upto:
            return 'color="#374151"'
        if index == upto:
            return 'color="#b45309", penwidth=2.2, fontcolor="#b45309"'
        return 'color="#d1d5db", fontcolor="#9ca3af", style=dashed'

    previous = "kubectl"
    revisions = []
    start = float(steps[0].get("t", 0)) if steps else 0.0
    for index, step in enumerate(steps, start=1):
        comp = str(step.get("component"))
        label = f"{index}. {step.get('action', '')}\n{since(float(step.get('t', 0)) - start)}"
        if step.get("api"):
            lines.append(f"  {q(comp)} -> \"apiserver\" [label={q(label)}, {style(index)}];")
            if step.get("revision") is not None:
                revisions.append((index, step["revision"]))
        else:
            lines.append(f"  {q(previous)} -> {q(comp)} [label={q(label)}, {style(index)}];")
            previous = comp
    if revisions:
        done = [rev for i, rev in revisions if i < upto]
        now = [rev for i, rev in revisions if i == upto]
        if done:
            span = f"rev {done[0]}" if len(done) == 1 else f"revs {done[0]}–{done[-1]}"
            lines.append(f"  \"apiserver\" -> \"etcd\" [label={q(f'writes: {span}')}, color=\"#374151\"];")
        if now:
            lines.append(f"  \"apiserver\" -> \"etcd\" [label={q(f'{upto}. write rev {now[0]}')}, {style(upto)}];")
    if not steps:
        lines.append('  "nothing" [label="no recorded steps", shape=plaintext, style=""];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_html(steps: list[dict], upto: int | None = None) -> str:
    steps = [normalize(s) for s in steps]
    upto = len(steps) if upto is None else upto
    rows = [[("▶ " if i == upto else "") + str(i), human_seconds(float(s.get("t", 0))), s.get("component", ""),
             s.get("action", ""), s.get("object", "")] for i, s in enumerate(steps, start=1)]
    return html_table(["step", "t", "component", "action", "object"], rows, "Request flow")


class RequestFlow(LiveView):
    """The steps a command caused (or all steps about an object), with a step slider."""

    def __init__(self, cluster: Any = None, object: str | None = None, command: str | list[str] | None = None,
                 live: bool = True):
        import ipywidgets

        from kcore.notebook import session
        from kcore.notebook.magics import kubectl

        self.object = object
        self.start = 0
        target = session.resolve(cluster)
        if command is not None:
            self.start = len(target.trail())
            kubectl(command, cluster=target)
        self.slider = ipywidgets.IntSlider(value=0, min=0, max=0, description="step",
                                           continuous_update=True)
        self.play = ipywidgets.Play(value=0, min=0, max=0, interval=900)
        ipywidgets.jslink((self.play, "value"), (self.slider, "value"))
        self.slider.observe(self._on_slide, names="value")
        self._syncing = False
        super().__init__(target, live)

    def controls(self) -> list[Any]:
        return [self.play, self.slider]

    def model(self) -> dict:
        return {"steps": select(list(self.cluster.trail()), self.object, self.start)}

    def _on_slide(self, _change: Any) -> None:
        if not self._syncing:
            super().draw()

    def draw(self) -> None:
        """New steps arrived: stretch the slider; if it was at the end, keep it there."""
        steps = (self._model or {}).get("steps", [])
        at_end = self.slider.value == self.slider.max
        self._syncing = True
        try:
            self.slider.max = self.play.max = len(steps)
            if at_end:
                self.slider.value = len(steps)
        finally:
            self._syncing = False
        super().draw()

    def build_dot(self, model: dict) -> str:
        return build_dot(model["steps"], self.slider.value)

    def build_html(self, model: dict) -> str:
        return build_html(model["steps"], self.slider.value)
