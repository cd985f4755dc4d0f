"""kube-scheduler v1.35's scheduling logic as pure Python over API dicts.

    from kcore.scheduler import Scheduler, Bind, Failed
    s = Scheduler(bind=None, clock=lambda: loop.now, rng=loop.random)
    s.handle("Node", "ADDED", node); s.handle("Pod", "ADDED", pod)
    decision = s.schedule_one()          # Bind | Failed | None

See scheduler.py for the cycle, framework.py for the plugin API, messages.py for the texts."""
from .framework import CycleState, Status
from .messages import Reason
from .nodeinfo import NodeInfo, PodInfo
from .scheduler import Bind, Evaluation, Failed, Scheduler, num_feasible_nodes_to_find

__all__ = ["Scheduler", "Bind", "Failed", "Evaluation", "Status", "CycleState", "NodeInfo",
           "PodInfo", "Reason", "num_feasible_nodes_to_find"]
