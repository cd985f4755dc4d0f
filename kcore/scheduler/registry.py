"""Plugin name -> plugin class, the way kube-scheduler's in-tree registry.go maps names to
factories. A profile (profile.py) names plugins; this is the one lookup that finds them."""
from __future__ import annotations

from .plugins.defaultbinder import DefaultBinder
from .plugins.defaultpreemption import DefaultPreemption
from .plugins.dynamicresources import DynamicResources
from .plugins.imagelocality import ImageLocality
from .plugins.interpodaffinity import InterPodAffinity
from .plugins.nodeaffinity import NodeAffinity
from .plugins.nodename import NodeName
from .plugins.nodeports import NodePorts
from .plugins.noderesourcesbalancedallocation import NodeResourcesBalancedAllocation
from .plugins.noderesourcesfit import NodeResourcesFit
from .plugins.nodeunschedulable import NodeUnschedulable
from .plugins.podtopologyspread import PodTopologySpread
from .plugins.prioritysort import PrioritySort
from .plugins.schedulinggates import SchedulingGates
from .plugins.tainttoleration import TaintToleration
from .plugins.volumebinding import VolumeBinding

REGISTRY: dict[str, type] = {cls.name: cls for cls in (
    SchedulingGates, PrioritySort, NodeUnschedulable, NodeName, TaintToleration, NodeAffinity,
    NodePorts, NodeResourcesFit, VolumeBinding, PodTopologySpread, InterPodAffinity,
    DynamicResources, DefaultPreemption, NodeResourcesBalancedAllocation, ImageLocality,
    DefaultBinder,
)}

# In the v1.35 default profile but without an effect on anything kcore simulates.
NOT_SIMULATED = ("VolumeRestrictions", "EBSLimits", "GCEPDLimits", "NodeVolumeLimits",
                 "AzureDiskLimits", "VolumeZone")


class UnknownPlugin(KeyError):
    def __str__(self) -> str:
        return f'"{self.args[0]}" does not exist'


def lookup(name: str) -> type:
    try:
        return REGISTRY[name]
    except KeyError:
        raise UnknownPlugin(name) from None
