"""The worlds the differential tests look at, built on a live kcore cluster by kubectl alone.

`world()` is one cluster holding one of everything the brief lists (pods in every common
state, workloads, networking, storage, RBAC, a namespace with quota and limits);
`rollout()` is a Deployment caught mid-rollout and again after it. Each is built once per
test session and frozen with `oracle.capture` for the commands the tests will ask about."""
from __future__ import annotations

import functools

import kcore

from tests.differential.oracle import capture

MANIFESTS = """
apiVersion: v1
kind: ConfigMap
metadata: {name: app-config}
data: {MODE: production, LOG_LEVEL: debug, app.properties: "color=blue\\nsize=3\\n"}
---
apiVersion: v1
kind: Secret
metadata: {name: db-secret}
type: Opaque
stringData: {username: admin, password: s3cr3t}
---
apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web, tier: front}}
spec:
  containers:
  - name: nginx
    image: nginx:1.27
    ports: [{containerPort: 80}]
    resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {memory: 128Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: crash}
spec:
  containers:
  - name: crash
    image: busybox
    command: [sh, -c, "echo boom; exit 1"]
---
apiVersion: v1
kind: Pod
metadata: {name: hungry}
spec:
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: "16"}}
---
apiVersion: v1
kind: Pod
metadata: {name: gated}
spec:
  initContainers:
  - name: wait
    image: busybox
    command: [sh, -c, "sleep 5"]
  containers:
  - name: app
    image: nginx
---
apiVersion: v1
kind: Pod
metadata: {name: configured}
spec:
  containers:
  - name: app
    image: busybox
    command: [sh, -c, "sleep 3600"]
    env:
    - {name: GREETING, value: hello}
    - name: MODE
      valueFrom: {configMapKeyRef: {name: app-config, key: MODE}}
    - name: DB_PASSWORD
      valueFrom: {secretKeyRef: {name: db-secret, key: password}}
    envFrom:
    - configMapRef: {name: app-config}
    - secretRef: {name: db-secret}
      prefix: DB_
    volumeMounts:
    - {name: config, mountPath: /etc/app}
    - {name: creds, mountPath: /etc/creds, readOnly: true}
    - {name: scratch, mountPath: /scratch}
  volumes:
  - name: config
    configMap: {name: app-config}
  - name: creds
    secret: {secretName: db-secret}
  - name: scratch
    emptyDir: {}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: frontend, labels: {app: frontend}}
spec:
  replicas: 2
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec:
      containers: [{name: httpd, image: httpd}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: busybox, command: [sh, -c, "sleep 3600"]}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  completions: 2
  template:
    spec:
      restartPolicy: Never
      containers: [{name: pi, image: busybox, command: [sh, -c, "echo 3.14"]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "*/1 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: tick, image: busybox, command: [sh, -c, date]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80, nodePort: 30080, name: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: shop}
spec:
  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow-front}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
  - from: [{podSelector: {matchLabels: {tier: front}}}]
    ports: [{protocol: TCP, port: 80}]
---
apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: {name: manual}
provisioner: kubernetes.io/no-provisioner
volumeBindingMode: Immediate
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-data}
spec:
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  storageClassName: manual
  hostPath: {path: /mnt/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-reader}
rules:
- apiGroups: [""]
  resources: [pods, pods/log]
  verbs: [get, list, watch]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods}
subjects:
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: robot, namespace: default}
roleRef: {kind: Role, name: pod-reader, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: robot}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: team}
spec:
  hard: {pods: "10", requests.cpu: "4", limits.memory: 8Gi}
---
apiVersion: v1
kind: LimitRange
metadata: {name: defaults, namespace: team}
spec:
  limits:
  - type: Container
    default: {cpu: 500m, memory: 256Mi}
    defaultRequest: {cpu: 100m, memory: 128Mi}
    max: {cpu: "1"}
"""

# (describe kind, name, namespace) of every object the tests look at in world()
WORLD_OBJECTS = [
    ("pod", "web", None), ("pod", "crash", None), ("pod", "hungry", None), ("pod", "gated", None),
    ("pod", "configured", None), ("replicaset", "frontend", None), ("daemonset", "agent", None),
    ("job", "pi", None), ("cronjob", "tick", None), ("service", "web", None), ("service", "web-np", None),
    ("node", "node01", None), ("node", "controlplane", None), ("namespace", "team", None),
    ("configmap", "app-config", None), ("secret", "db-secret", None), ("serviceaccount", "robot", None),
    ("ingress", "shop", None), ("networkpolicy", "allow-front", None), ("persistentvolume", "pv-data", None),
    ("persistentvolumeclaim", "data", None), ("storageclass", "manual", None), ("role", "pod-reader", None),
    ("rolebinding", "read-pods", None),
]

ROLLOUT_OBJECTS = [("deployment", "web", None), ("replicaset", "web", None)]


def commands_for(kind, name, namespace):
    ns = ["-n", namespace] if namespace else []
    return [("describe", kind, name, *ns), ("get", kind, name, "-o", "yaml", *ns),
            ("get", kind, name, "-o", "json", *ns)]


def _all_commands(objects):
    return [argv for obj in objects for argv in commands_for(*obj)]


def _ok(cluster, argv, stdin=""):
    r = cluster.kubectl(argv, stdin)
    assert r.returncode == 0, (argv, r.stderr)
    return r


@functools.lru_cache(maxsize=None)
def world():
    c = kcore.Cluster()
    _ok(c, ["apply", "-f", "-"], MANIFESTS)
    c.advance(90)  # the crash loop backs off, the cron job fires, the job completes
    return capture(c, _all_commands(WORLD_OBJECTS))


@functools.lru_cache(maxsize=None)
def rollout():
    """({'during': snapshot, 'after': snapshot}) of a Deployment moving from nginx:1.27 to 1.28."""
    c = kcore.Cluster()
    _ok(c, ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"])
    c.advance(30)
    _ok(c, ["set", "image", "deployment/web", "nginx=nginx:1.28"])
    return c
