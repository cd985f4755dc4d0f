"""RequestFlow: the path one command took through the cluster, drawn from what actually
happened — the cluster's trail of steps (`cluster.trail()`, a list of
{"t", "component", "action", "object"}) — and stepped through in virtual time.

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


def select(trail: list[dict], object: str | None = None, start: int = 0) -> list[dict]:
    """The steps from index `start` on, about `object` if given ("pod/default/web", or a
    prefix such as "pod/default/")."""
    steps = trail[start:]
    if object:
        steps = [s for s in steps if str(s.get("object", "")).startswith(object)]
    return steps


def components(steps: list[dict]) -> list[str]:
    """Components taking part, in the canonical order, unknown ones after in order of use."""
    seen = ["kubectl"] + [str(s.get("component")) for s in steps]
    known = [c for c in ORDER if c in seen]
    return known + [c for c in dict.fromkeys(seen) if c not in ORDER]


def build_dot(steps: list[dict], upto: int | None = None) -> str:
    """Numbered arrows between components for `steps`; arrows after step `upto` (1-based) are
    faded and the current step is bold."""
    upto = len(steps) if upto is None else max(0, min(upto, len(steps)))
    current = steps[upto - 1]["component"] if upto else "kubectl"
    lines = ["digraph requestflow {",
             '  graph [rankdir=LR, fontname="Helvetica", nodesep=0.5, ranksep=0.9];',
             '  node [fontname="Helvetica", fontsize=11, shape=box, style="rounded,filled"];',
             '  edge [fontname="Helvetica", fontsize=9];']
    for comp in components(steps):
        fill = "#fde68a" if comp == current else ("#e0e7ff" if comp != "kubectl" else "#f3f4f6")
        lines.append(f"  {q(comp)} [fillcolor={q(fill)}];")
    previous = "kubectl"
    for index, step in enumerate(steps, start=1):
        comp = str(step.get("component"))
        label = f"{index}. {step.get('action', '')}\n{human_seconds(float(step.get('t', 0)))}"
        if index < upto:
            style = 'color="#374151"'
        elif index == upto:
            style = 'color="#b45309", penwidth=2.2, fontcolor="#b45309"'
        else:
            style = 'color="#d1d5db", fontcolor="#9ca3af", style=dashed'
        lines.append(f"  {q(previous)} -> {q(comp)} [label={q(label)}, {style}];")
        previous = comp
    if not steps:
        lines.append('  "nothing" [label="no recorded steps", shape=plaintext, style=""];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def build_html(steps: list[dict], upto: int | None = None) -> str:
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
