"""Progressive hints, shown only when a learner asks.

Each task id (the same id a scenario and its graded cells use, e.g. "ch02-taints") owns an
ordered list of hints, from a nudge to nearly the answer. `hint(task)` reveals the next one
not yet seen in this kernel; `hint(task, n)` shows hint n again. Content is registered by
the scenario modules that define the tasks (`register("ch02-taints", "...", "...")`), so
this module holds only the mechanism."""
from __future__ import annotations

import html
from typing import Any

_HINTS: dict[str, tuple[str, ...]] = {}
_seen: dict[str, int] = {}


class UnknownTask(KeyError):
    """No hints are registered under that task id."""

    def __str__(self) -> str:
        return self.args[0] if self.args else "unknown task"


def register(task: str, *hints: str) -> None:
    """Register the hints of one task, easiest nudge first (replaces earlier ones)."""
    if not hints:
        raise ValueError(f"task {task!r}: at least one hint is required")
    _HINTS[task] = tuple(h.strip() for h in hints)
    _seen.pop(task, None)


def tasks() -> list[str]:
    """Task ids that have hints, sorted."""
    _load_content()
    return sorted(_HINTS)


def count(task: str) -> int:
    """How many hints `task` has (0 if none)."""
    _load_content()
    return len(_HINTS.get(task, ()))


def text(task: str, level: int | None = None) -> str:
    """The hint text a call to hint() would show, with its 'Hint n/N' heading; advances the
    'next hint' counter when `level` is None."""
    _load_content()
    if task not in _HINTS:
        known = ", ".join(sorted(_HINTS)) or "none registered yet"
        raise UnknownTask(f"no hints for task {task!r}; tasks with hints: {known}")
    hints = _HINTS[task]
    if level is None:
        level = min(_seen.get(task, 0) + 1, len(hints))
    if not 1 <= level <= len(hints):
        raise UnknownTask(f"task {task!r} has hints 1 to {len(hints)}; there is no hint {level}")
    _seen[task] = max(_seen.get(task, 0), level)
    more = " (that was the last one)" if level == len(hints) else f" — hint({task!r}) for the next"
    return f"Hint {level}/{len(hints)} for {task}{more}:\n{hints[level - 1]}"


def hint(task: str, level: int | None = None) -> None:
    """Show the next hint for `task` (or hint number `level`); never raises for a learner."""
    try:
        message = text(task, level)
    except UnknownTask as exc:
        message = str(exc)
    _display(message)


def reset(task: str | None = None) -> None:
    """Forget which hints were shown (for one task, or all)."""
    if task is None:
        _seen.clear()
    else:
        _seen.pop(task, None)


def _display(message: str) -> None:
    head, _, body = message.partition("\n")
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # plain Python: print it
        print(message)
        return
    if get_ipython() is None:
        print(message)
        return
    display(HTML(f"<details open><summary><b>{html.escape(head)}</b></summary>"
                 f"<div style='white-space:pre-wrap'>{html.escape(body)}</div></details>"),
            metadata={"kcore": "hint"})


def _load_content() -> None:
    """Scenario modules register hints at import; make sure they have been imported."""
    from kcore.notebook import scenarios

    scenarios.load_content()


def button(task: str) -> Any:
    """An ipywidgets button that reveals the next hint each time it is pressed."""
    import ipywidgets as widgets

    out = widgets.Output()
    press = widgets.Button(description="Show a hint", icon="lightbulb-o")

    def _on_click(_b: Any) -> None:
        with out:
            hint(task)

    press.on_click(_on_click)
    return widgets.VBox([press, out])
