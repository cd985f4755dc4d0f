"""Decisions the Scheduler returns and the Evaluation behind them.

`Bind` and `Failed` carry everything the owner needs to act (event text, PodScheduled
condition, nominated node, victims, volume decisions). `Evaluation` keeps what one cycle looked
at — statuses per node, the per-plugin raw/normalized scores with weights, totals — and turns
it into rows for the SchedulerExplainer widget only when asked (`rows()`), so the hot path pays
nothing for it."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import messages
from .framework import Status

@dataclass
class Evaluation:
    """What one cycle looked at: the data behind the explainer's node x plugin table."""
    pod: str
    profile: str
    num_nodes: int = 0
    evaluated: list = field(default_factory=list)        # node names, in evaluation order
    statuses: dict = field(default_factory=dict)         # node -> first rejecting Status
    filter_detail: dict = field(default_factory=dict)    # node -> {plugin: Status|None} (explain)
    prefilter: Status | None = None
    feasible_nodes: list = field(default_factory=list)   # NodeInfos that passed, in order
    scores: dict = field(default_factory=dict)           # plugin -> (raw, normalized, weight)
    totals: list = field(default_factory=list)           # aligned with feasible
    selected: str = ""
    filter_plugins: list = field(default_factory=list)   # Filter plugins that ran, in order
    node_infos: list = field(default_factory=list)       # the cache's node list at the time

    @property
    def feasible(self) -> list[str]:
        return [ni.name for ni in self.feasible_nodes]

    @property
    def all_nodes(self) -> list[str]:
        return [ni.name for ni in self.node_infos[: self.num_nodes]]

    def rows(self) -> list[dict]:
        """One row per node: filter verdicts, scores (raw, normalized, weight, weighted), total."""
        index = {n: i for i, n in enumerate(self.feasible)}
        evaluated = set(self.evaluated)
        out = []
        for name in self.all_nodes:
            row = {"node": name, "evaluated": name in evaluated or self.prefilter is not None,
                   "feasible": name in index, "selected": name == self.selected,
                   "filters": {}, "scores": {}, "total": None}
            if self.prefilter is not None:
                row["filters"][self.prefilter.plugin] = str(self.prefilter.message())
            for plugin, st in (self.filter_detail.get(name) or {}).items():
                row["filters"][plugin] = "pass" if st is None else st.message()
            st = self.statuses.get(name)
            if not row["filters"] and row["evaluated"] and self.prefilter is None:
                # the normal path stops at the first rejection: earlier plugins passed,
                # later ones did not run
                verdict = "pass"
                for plugin in self.filter_plugins:
                    if st is not None and plugin == st.plugin:
                        row["filters"][plugin] = st.message()
                        verdict = "not run"
                    else:
                        row["filters"][plugin] = verdict
            if st is not None and st.plugin not in row["filters"]:
                row["filters"][st.plugin] = st.message()
            if name in index:
                i = index[name]
                for plugin, (raw, norm, weight) in self.scores.items():
                    row["scores"][plugin] = {"raw": raw[i], "normalized": norm[i], "weight": weight,
                                             "weighted": norm[i] * weight}
                row["total"] = self.totals[i] if self.totals else None
            out.append(row)
        return out


@dataclass
class Bind:
    pod: dict
    node: str
    evaluation: Evaluation | None = None
    volume_decisions: list = field(default_factory=list)
    bound: bool = False            # True when the bind callback already ran

    @property
    def message(self) -> str:
        meta = self.pod.get("metadata") or {}
        return messages.scheduled(meta.get("namespace") or "default", meta.get("name", ""), self.node)

    def event(self) -> tuple[str, str, str]:
        return ("Normal", "Scheduled", self.message)


@dataclass
class Failed:
    pod: dict
    message: str
    nominated_node: str = ""
    victims: list = field(default_factory=list)
    evaluation: Evaluation | None = None
    reason: str = "Unschedulable"          # or "SchedulerError"
    clear_nomination: bool = False

    def event(self) -> tuple[str, str, str]:
        return ("Warning", "FailedScheduling", self.message)

    def condition(self) -> dict:
        return {"type": "PodScheduled", "status": "False", "reason": self.reason,
                "message": self.message}


class _Evaluated:
    """The names of the `count` nodes examined from `start` on the ring of the first `n`
    entries of the cache's node list — computed only when read, so a Decision does not pin a
    copy of a 5,000-node list."""
    __slots__ = ("nodes", "n", "start", "count")

    def __init__(self, nodes, n, start, count):
        self.nodes, self.n, self.start, self.count = nodes, n, start, count

    def __iter__(self):
        nodes, n = self.nodes, self.n
        return (nodes[(self.start + i) % n].name for i in range(self.count))

    def __len__(self):
        return self.count

    def append(self, name):
        raise TypeError("evaluated nodes are fixed once filtering is done")
