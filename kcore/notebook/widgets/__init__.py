"""Live views of the cluster, one module per widget. Each is an ipywidgets VBox that reads the
cluster through its public methods, draws graphviz DOT built by pure functions
(`build_dot`, tested on plain dicts) and falls back to an HTML table, with a note on how to
install graphviz, where the `dot` program is missing. Views redraw after every magic and
every cell when what they show has changed; `.image()` gives a static picture for committed
outputs."""
from kcore.notebook.widgets.clusterview import ClusterView
from kcore.notebook.widgets.requestflow import RequestFlow
from kcore.notebook.widgets.rollouttimeline import RolloutTimeline
from kcore.notebook.widgets.schedulerexplainer import SchedulerExplainer

__all__ = ["ClusterView", "RequestFlow", "SchedulerExplainer", "RolloutTimeline"]
