"""Profiles: which plugins a scheduler name runs, with which weights and arguments.

DEFAULT_PLUGINS is v1.35's getDefaultPlugins() MultiPoint list, in order (the order is the
Filter order, which decides the one reason a node reports). Plugins kube-scheduler enables but
kcore does not simulate (volume limits, VolumeZone, VolumeRestrictions) are listed in
registry.NOT_SIMULATED and skipped. `from_config()` reads a KubeSchedulerConfiguration profile
(`schedulerName`, `plugins.multiPoint.enabled/disabled`, `pluginConfig`)."""
from __future__ import annotations

from . import registry
from .framework import Framework

DEFAULT_SCHEDULER_NAME = "default-scheduler"

DEFAULT_PLUGINS: list[tuple[str, int]] = [
    ("SchedulingGates", 0),
    ("PrioritySort", 0),
    ("NodeUnschedulable", 0),
    ("NodeName", 0),
    ("TaintToleration", 3),
    ("NodeAffinity", 2),
    ("NodePorts", 0),
    ("NodeResourcesFit", 1),
    ("VolumeRestrictions", 0),
    ("EBSLimits", 0),
    ("GCEPDLimits", 0),
    ("NodeVolumeLimits", 0),
    ("AzureDiskLimits", 0),
    ("VolumeBinding", 0),
    ("VolumeZone", 0),
    ("PodTopologySpread", 2),
    ("InterPodAffinity", 2),
    ("DynamicResources", 0),
    ("DefaultPreemption", 0),
    ("NodeResourcesBalancedAllocation", 1),
    ("ImageLocality", 1),
    ("DefaultBinder", 0),
]

DEFAULT_PLUGIN_ARGS: dict[str, dict] = {
    "NodeResourcesFit": {"scoringStrategy": {"type": "LeastAllocated", "resources": [
        {"name": "cpu", "weight": 1}, {"name": "memory", "weight": 1}]}},
    "InterPodAffinity": {"hardPodAffinityWeight": 1},
}


def build(cache, scheduler_name: str = DEFAULT_SCHEDULER_NAME, plugins=None, plugin_args=None,
          disabled=(), bind=None, percentage_of_nodes_to_score: int = 0) -> Framework:
    """A Framework for one profile. `plugins` is [(name, weight)]; default: DEFAULT_PLUGINS."""
    specs = list(DEFAULT_PLUGINS if plugins is None else plugins)
    args = dict(DEFAULT_PLUGIN_ARGS)
    args.update(plugin_args or {})
    disabled = set(disabled)
    instances = []
    for name, weight in specs:
        if name in disabled or "*" in disabled or name in registry.NOT_SIMULATED:
            continue
        cls = registry.lookup(name)
        instances.append((cls(None, args.get(name)), weight))
    return Framework(scheduler_name, instances, cache, bind=bind,
                     percentage_of_nodes_to_score=percentage_of_nodes_to_score)


def from_config(cache, profile: dict, bind=None, percentage_of_nodes_to_score: int = 0) -> Framework:
    """Build from one entry of KubeSchedulerConfiguration.profiles."""
    mp = ((profile.get("plugins") or {}).get("multiPoint")) or {}
    disabled = {p["name"] for p in mp.get("disabled") or ()}
    enabled = [(p["name"], p.get("weight", 0)) for p in mp.get("enabled") or ()]
    base = [] if "*" in disabled else [(n, w) for n, w in DEFAULT_PLUGINS if n not in disabled]
    names = [n for n, _ in base]
    for name, weight in enabled:
        if name in names:
            base[names.index(name)] = (name, weight or dict(DEFAULT_PLUGINS).get(name, 0))
        else:
            base.append((name, weight))
            names.append(name)
    args = {c["name"]: c.get("args") or {} for c in profile.get("pluginConfig") or ()}
    pct = profile.get("percentageOfNodesToScore", percentage_of_nodes_to_score) or 0
    return build(cache, profile.get("schedulerName") or DEFAULT_SCHEDULER_NAME, base, args,
                 bind=bind, percentage_of_nodes_to_score=pct)
