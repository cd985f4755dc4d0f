"""Shared drawing machinery for the views: DOT quoting, SVG rendering through graphviz, the
HTML fallback when the `dot` program is missing, and LiveView, the ipywidget every view is.

A view is three small pieces: `model()` reads plain data from the cluster (only through its
public methods), a pure `build_dot(model)` draws it, a pure `build_html(model)` tabulates it
for machines without graphviz. LiveView redraws only when the model changed, so the
after-every-cell refresh costs one read and one comparison."""
from __future__ import annotations

import html
import json
import re
import shutil
from typing import Any

import ipywidgets

from kcore.notebook import session

GRAPHVIZ_NOTE = ("Diagrams need the graphviz 'dot' program, which is not installed; showing a table "
                 "instead. Install graphviz (apt-get install graphviz / conda install graphviz / "
                 "brew install graphviz) and re-run the cell.")

PHASE_COLORS = {"Running": "#bbf7d0", "Pending": "#fde68a", "Succeeded": "#e5e7eb",
                "Failed": "#fecaca", "Unknown": "#e5e7eb", "Terminating": "#e9d5ff", "Error": "#fecaca"}


def q(text: Any) -> str:
    """A DOT double-quoted ID or string: backslashes and quotes escaped, newlines kept as \\n."""
    s = str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{s}"'


def h(text: Any) -> str:
    """HTML-escape for both graphviz HTML-like labels and HTML tables."""
    return html.escape(str(text), quote=True)


def dot_available() -> bool:
    return shutil.which("dot") is not None


def to_svg(dot: str) -> str:
    """Render DOT source to an inline SVG string (needs the dot program)."""
    import graphviz

    svg = graphviz.Source(dot).pipe(format="svg", encoding="utf-8")
    svg = re.sub(r"^.*?(?=<svg)", "", svg, flags=re.S)
    return svg.replace("<svg ", "<svg style=\"max-width:100%;height:auto\" ", 1)


def html_table(headers: list[str], rows: list[list[Any]], caption: str = "") -> str:
    head = "".join(f"<th style='text-align:left;padding:2px 8px'>{h(c)}</th>" for c in headers)
    body = "".join("<tr>" + "".join(f"<td style='padding:2px 8px'>{h(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    cap = f"<caption style='text-align:left'><b>{h(caption)}</b></caption>" if caption else ""
    return f"<table>{cap}<tr>{head}</tr>{body}</table>"


def fallback_html(table: str) -> str:
    return f"<div><p><i>{h(GRAPHVIZ_NOTE)}</i></p>{table}</div>"


def human_seconds(seconds: float) -> str:
    """Virtual seconds as 0s / 12s / 3m5s / 1h2m, for axis labels."""
    s = int(round(seconds))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60}s" if s % 60 else f"{s // 60}m"
    return f"{s // 3600}h{(s % 3600) // 60}m"


class LiveView(ipywidgets.VBox):
    """Base of every view: a VBox holding a Refresh button (plus any controls) and a canvas.

    Subclasses implement model() -> JSON-like data, build_dot(model) and build_html(model),
    and may add controls (sliders) in controls()."""

    def __init__(self, cluster: Any = None, live: bool = True):
        super().__init__()
        self._cluster = cluster
        self._key: str | None = None
        self._last_token: Any = None
        self._model: Any = None
        self.canvas = ipywidgets.HTML()
        self.button = ipywidgets.Button(description="Refresh", icon="refresh",
                                        layout=ipywidgets.Layout(width="auto"))
        self.button.on_click(lambda _b: self.refresh())
        self.children = [ipywidgets.HBox([self.button, *self.controls()]), self.canvas]
        self.refresh()
        if live:
            session.register_view(self)

    @property
    def cluster(self) -> Any:
        return session.resolve(self._cluster)

    # -- to implement ------------------------------------------------------------------------
    def model(self) -> Any:
        raise NotImplementedError

    def build_dot(self, model: Any) -> str:
        raise NotImplementedError

    def build_html(self, model: Any) -> str:
        raise NotImplementedError

    def controls(self) -> list[Any]:
        return []

    # -- drawing ---------------------------------------------------------------------------------
    def _token(self) -> Any:
        """A cheap 'has anything been written?' mark: the length of the cluster's API trail.
        Every state change is an API write, so an unchanged length means an unchanged picture
        and the after-every-cell refresh costs next to nothing. None when unavailable."""
        trail = getattr(self.cluster, "trail", None)
        try:
            return len(trail()) if callable(trail) else None
        except Exception:
            return None

    def refresh_if_changed(self) -> bool:
        token = self._token()
        if token is not None and token == self._last_token and self._key is not None:
            return False
        self._last_token = token
        try:
            model = self.model()
        except Exception as exc:  # a view explains, it never raises into the learner's cell
            model = {"error": f"{type(exc).__name__}: {exc}"}
        key = json.dumps(model, sort_keys=True, default=str)
        if key == self._key:
            return False
        self._key, self._model = key, model
        self.draw()
        return True

    def refresh(self) -> None:
        self._key = self._last_token = None
        self.refresh_if_changed()

    def draw(self) -> None:
        self.canvas.value = self.render(self._model)

    def render(self, model: Any) -> str:
        """HTML for the canvas: the SVG drawing, or the table with the install note."""
        if isinstance(model, dict) and "error" in model:
            return f"<pre>{h(model['error'])}</pre>"
        if dot_available():
            try:
                return to_svg(self.build_dot(model))
            except Exception as exc:
                return f"<pre>{h(f'graphviz failed: {exc}')}</pre>" + self.build_html(model)
        return fallback_html(self.build_html(model))

    def image(self) -> Any:
        """A static picture of the current state (SVG, or the HTML fallback) for committed
        notebook outputs, which a widget's live state is not."""
        from IPython.display import HTML, SVG

        self.refresh_if_changed()
        if dot_available() and not (isinstance(self._model, dict) and "error" in self._model):
            return SVG(to_svg(self.build_dot(self._model)))
        return HTML(self.render(self._model))
