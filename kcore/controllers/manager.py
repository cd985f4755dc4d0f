"""kube-controller-manager: one process, many controllers, shared informers.

REGISTRY maps the names `--controllers` uses to the modules that implement them (one module
per controller). The manager is started by the kube-controller-manager static pod's image
and configured from its flags; stopping that pod stops every controller in it."""
from __future__ import annotations

import importlib

from kcore.client import Client, Informer

# --controllers name -> "module:Class"
REGISTRY = {
    "replicaset": "replicaset:ReplicaSetController",
    "replicationcontroller": "replicationcontroller:ReplicationControllerController",
    "deployment": "deployment:DeploymentController",
    "daemonset": "daemonset:DaemonSetController",
    "statefulset": "statefulset:StatefulSetController",
    "job": "job:JobController",
    "cronjob": "cronjob:CronJobController",
    "nodelifecycle": "nodelifecycle:NodeLifecycleController",
    "nodeipam": "nodeipam:NodeIpamController",
    "endpoints": "endpoints:EndpointsController",
    "endpointslice": "endpointslice:EndpointSliceController",
    "namespace": "namespace:NamespaceController",
    "serviceaccount": "serviceaccount:ServiceAccountController",
    "root-ca-certificate-publisher": "rootca:RootCAPublisher",
    "garbagecollector": "garbagecollector:GarbageCollector",
    "resourcequota": "resourcequota:ResourceQuotaController",
    "persistentvolume-binder": "pvbinder:PersistentVolumeBinder",
    "disruption": "disruption:DisruptionController",
    "csrsigning": "csr:CSRSigningController",
    "csrapproving": "csr:CSRApprovingController",
    "horizontalpodautoscaling": "hpa:HPAController",
    "ttl-after-finished": "job:TTLAfterFinishedController",
}

# what `--controllers=*` turns on (all of the above that exist)
DEFAULT = list(REGISTRY)


class ControllerManager:
    def __init__(self, api, user, *, controllers=None, options=None):
        self.client = Client(api, user)
        self.loop = api.loop
        self.api = api
        self.options = dict(options or {})
        self.informers: dict[str, Informer] = {}
        self.controllers: dict[str, object] = {}
        self.errors: list = []
        self.running = False
        self.wanted = list(controllers or DEFAULT)

    def informer(self, resource) -> Informer:
        inf = self.informers.get(resource)
        if inf is None:
            inf = Informer(self.client, resource)
            self.informers[resource] = inf
        return inf

    def start(self) -> None:
        self.running = True
        for name in self.wanted:
            spec = REGISTRY.get(name)
            if spec is None:
                continue
            mod_name, _, cls_name = spec.partition(":")
            try:
                mod = importlib.import_module(f"kcore.controllers.{mod_name}")
            except ModuleNotFoundError as exc:
                if exc.name == f"kcore.controllers.{mod_name}":
                    continue  # controller not built (yet)
                raise
            ctrl = getattr(mod, cls_name)(self)
            self.controllers[name] = ctrl
            ctrl.setup()

    def stop(self) -> None:
        self.running = False
        for c in self.controllers.values():
            c.stop()
        for inf in self.informers.values():
            inf.stop()
        self.controllers.clear()
        self.informers.clear()
