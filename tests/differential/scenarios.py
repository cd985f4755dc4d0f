"""The worlds the differential tests look at, built on a live kcore cluster by kubectl alone.

`world()` is one cluster holding one of everything the brief lists (pods in every common
state, workloads, networking, storage, RBAC, a namespace with quota and limits); `extras()`
adds harder cases (probes, sidecars, OOMKilled, ImagePullBackOff, a StatefulSet, HPA, PDB,
cluster-scoped RBAC, kubeadm's own objects) and client-side list printing; `incidents()`
has things gone wrong (a NotReady node, a failed job, an unbound claim); `variety()` has less
common shapes of the same kinds;
`rollout()` is a Deployment caught mid-rollout and again after it. Each is built once per
test session and frozen with `oracle.capture` for the commands the tests will ask about."""
from __future__ import annotations

import functools

import kcore

from tests.differential.oracle import capture, export

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
data: {username: YWRtaW4=, password: czNjcjN0}
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
  # one resource per item: kubectl's describeLimitRangeSpec walks the resource names of an
  # item through a Go map, so two resources in one item come out in random order
  limits:
  - type: Container
    default: {cpu: 500m}
    defaultRequest: {cpu: 100m}
    max: {cpu: "1"}
  - type: Pod
    max: {memory: 1Gi}
  - type: PersistentVolumeClaim
    min: {storage: 1Gi}
"""

EXTRAS = """
apiVersion: v1
kind: Pod
metadata: {name: probed, labels: {app: probed}, annotations: {team: blue}}
spec:
  nodeSelector: {kubernetes.io/hostname: node02}
  tolerations:
  - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
  - {operator: Exists}
  initContainers:
  - name: log-shipper
    image: busybox
    restartPolicy: Always
    command: [sh, -c, "sleep 3600"]
  containers:
  - name: web
    image: nginx
    ports: [{containerPort: 80, name: http}, {containerPort: 9090, protocol: UDP}]
    readinessProbe: {httpGet: {path: /, port: 80}, initialDelaySeconds: 2, periodSeconds: 5}
    livenessProbe: {tcpSocket: {port: 80}, failureThreshold: 5}
    startupProbe: {exec: {command: [cat, /etc/hostname]}}
    resources: {requests: {cpu: 250m, memory: 64Mi}, limits: {cpu: 500m, memory: 128Mi}}
  - name: helper
    image: busybox
    args: [sh, -c, "sleep 3600"]
    env:
    - name: POD_IP
      valueFrom: {fieldRef: {fieldPath: status.podIP}}
    - name: CPU_LIMIT
      valueFrom: {resourceFieldRef: {containerName: web, resource: limits.cpu}}
---
apiVersion: v1
kind: Pod
metadata: {name: hog}
spec:
  containers:
  - name: stress
    image: polinux/stress
    resources: {limits: {memory: 100Mi}}
    command: [stress]
    args: [--vm, "1", --vm-bytes, 250M, --vm-hang, "1"]
---
apiVersion: v1
kind: Pod
metadata: {name: typo}
spec:
  containers: [{name: app, image: "nginx:no-such-tag"}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{port: 6379}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: redis, image: redis}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db-pdb}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: db}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: httpd
        image: httpd
        resources: {requests: {cpu: 100m}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: api}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 1000
globalDefault: false
description: for the important things
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: node-reader}
rules:
- apiGroups: [""]
  resources: [nodes]
  verbs: [get, list]
- nonResourceURLs: [/healthz]
  verbs: [get]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read-nodes}
subjects: [{kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}]
roleRef: {kind: ClusterRole, name: node-reader, apiGroup: rbac.authorization.k8s.io}
"""

INCIDENTS = """
apiVersion: batch/v1
kind: Job
metadata: {name: doomed}
spec:
  backoffLimit: 1
  template:
    spec:
      restartPolicy: Never
      containers: [{name: fail, image: busybox, command: [sh, -c, "exit 3"]}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: paused}
spec:
  schedule: "0 3 * * *"
  suspend: true
  concurrencyPolicy: Forbid
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: backup, image: busybox, command: [sh, -c, "echo backup"]}]
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: orphan}
spec:
  storageClassName: missing
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 5Gi}}
---
apiVersion: v1
kind: Service
metadata: {name: edge, labels: {app: web}}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 443, targetPort: 80, name: https}]
"""

VARIETY = """
apiVersion: v1
kind: Secret
metadata: {name: site-tls}
type: kubernetes.io/tls
data: {tls.crt: Y2VydA==, tls.key: a2V5}
---
apiVersion: v1
kind: Secret
metadata: {name: regcred}
type: kubernetes.io/dockerconfigjson
data: {.dockerconfigjson: eyJhdXRocyI6e319}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: blobs}
data: {greeting: "hello\nworld\n"}
binaryData: {logo.png: iVBORw0K}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: critical}
value: 100000
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: pv-nfs, labels: {tier: shared}}
spec:
  capacity: {storage: 2Gi}
  accessModes: [ReadWriteMany, ReadOnlyMany]
  persistentVolumeReclaimPolicy: Recycle
  storageClassName: nfs
  mountOptions: [hard, nfsvers=4.1]
  nfs: {server: 10.0.0.5, path: /exports/data}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec:
  storageClassName: nfs
  accessModes: [ReadWriteMany]
  resources: {requests: {storage: 2Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: guaranteed, labels: {app: g}}
spec:
  priorityClassName: critical
  hostNetwork: false
  terminationGracePeriodSeconds: 5
  readinessGates: [{conditionType: example.com/ready}]
  containers:
  - name: app
    image: nginx
    resources: {requests: {cpu: 200m, memory: 100Mi}, limits: {cpu: 200m, memory: 100Mi}}
    volumeMounts:
    - {name: shared, mountPath: /data}
    - {name: info, mountPath: /etc/info}
    - {name: host, mountPath: /host, subPath: logs}
    - {name: mixed, mountPath: /mixed}
  volumes:
  - name: shared
    persistentVolumeClaim: {claimName: shared}
  - name: info
    downwardAPI:
      items:
      - {path: labels, fieldRef: {fieldPath: metadata.labels}}
      - {path: cpu, resourceFieldRef: {containerName: app, resource: limits.cpu}}
  - name: host
    hostPath: {path: /var/log, type: Directory}
  - name: mixed
    projected:
      sources:
      - configMap: {name: blobs}
      - secret: {name: site-tls, items: [{key: tls.crt, path: cert.pem}]}
      - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: api}
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: g}
  sessionAffinity: ClientIP
  ports: [{port: 80, protocol: TCP, name: http}, {port: 53, protocol: UDP, name: dns}]
---
apiVersion: v1
kind: Service
metadata: {name: external}
spec:
  type: ExternalName
  externalName: db.example.com
---
apiVersion: v1
kind: Service
metadata: {name: local-np}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: g}
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx, annotations: {ingressclass.kubernetes.io/is-default-class: "true"}}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: secure, annotations: {nginx.ingress.kubernetes.io/rewrite-target: /}}
spec:
  ingressClassName: nginx
  tls: [{hosts: [a.example.com, b.example.com], secretName: site-tls}]
  defaultBackend: {service: {name: sticky, port: {number: 80}}}
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /api, pathType: Prefix, backend: {service: {name: sticky, port: {number: 80}}}}
      - {path: /old, pathType: Exact, backend: {service: {name: gone, port: {name: http}}}}
  - http:
      paths:
      - {path: /, pathType: ImplementationSpecific, backend: {service: {name: sticky, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: lockdown}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  ingress:
  - from:
    - namespaceSelector: {matchLabels: {team: ops}}
      podSelector: {matchExpressions: [{key: role, operator: In, values: [admin, sre]}]}
    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
  egress:
  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 8000, endPort: 8080}]
---
apiVersion: batch/v1
kind: Job
metadata: {name: indexed}
spec:
  completions: 3
  parallelism: 2
  completionMode: Indexed
  activeDeadlineSeconds: 600
  ttlSecondsAfterFinished: 3600
  template:
    spec:
      restartPolicy: Never
      containers: [{name: w, image: busybox, command: [sh, -c, "sleep 2"]}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: workers-only}
spec:
  selector: {matchLabels: {app: wo}}
  updateStrategy: {type: OnDelete}
  template:
    metadata: {labels: {app: wo}}
    spec:
      nodeSelector: {kubernetes.io/os: linux}
      containers: [{name: a, image: busybox, command: [sh, -c, "sleep 3600"]}]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: g-pdb}
spec:
  maxUnavailable: 0
  selector: {matchLabels: {app: g}}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: store}
spec:
  serviceName: store
  replicas: 1
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: store}}
  template:
    metadata: {labels: {app: store}}
    spec:
      containers: [{name: redis, image: redis, volumeMounts: [{name: data, mountPath: /data}]}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      storageClassName: nfs
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
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

EXTRA_OBJECTS = [
    ("pod", "probed", None), ("pod", "hog", None), ("pod", "typo", None), ("service", "db", None),
    ("statefulset", "db", None), ("poddisruptionbudget", "db-pdb", None), ("deployment", "api", None),
    ("horizontalpodautoscaler", "api", None), ("priorityclass", "high", None), ("clusterrole", "node-reader", None),
    ("clusterrolebinding", "read-nodes", None), ("pod", "etcd-controlplane", "kube-system"),
    ("deployment", "coredns", "kube-system"), ("daemonset", "kube-proxy", "kube-system"),
    ("service", "kubernetes", None), ("serviceaccount", "default", None), ("namespace", "default", None),
    ("lease", "node02", "kube-node-lease"), ("configmap", "kube-root-ca.crt", None),
]

# client-side printing of lists and events, each (argv, sentence)
EXTRA_COMMANDS = [
    (('get', 'pods', '-o', 'name'),
     'pod names'),
    (('get', 'pods', '-o', 'yaml'),
     'a list of pods in yaml'),
    (('get', 'services', '-o', 'json'),
     'a list of services in json'),
    (('get', 'pods', '-A', '-o', 'name'),
     'pod names in all namespaces'),
    (('get', 'pods', '-n', 'team', '-o', 'yaml'),
     'an empty list in yaml'),
    (('get', 'pods', '-o', 'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}'),
     'a jsonpath range prints one tab-separated line per pod'),
    (('get', 'pods', '-o', 'custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image'),
     'custom columns with a wildcard column of images'),
    (('get', 'pods', '--sort-by=.metadata.name',
      '-o', 'custom-columns=NAME:.metadata.name,RESTARTS:.status.containerStatuses[0].restartCount'),
     'custom columns sorted by name show restart counts'),
    (('get', 'nodes', '-o', 'jsonpath={.items[*].status.addresses[?(@.type=="InternalIP")].address}'),
     "a jsonpath filter picks the nodes' internal IPs"),
    (('events',),
     'kubectl events in the default namespace'),
    (('events', '--for', 'pod/hog'),
     'kubectl events for one pod'),
    (('events', '-A', '--types=Warning'),
     'warning events in all namespaces'),
    (('describe', 'pods', '-l', 'app=db'),
     'describe by label selector joins two pods'),
    (('describe', 'deployment'),
     'describe every deployment in the namespace'),
    (('get', 'configmaps', '-n', 'kube-system', '-o', 'yaml'),
     "kubeadm's config maps with multi-line data in yaml"),
    (('get', 'nodes', '-o', 'json'),
     'all nodes in json'),
    (('get', 'pods', '-n', 'kube-system', '-o', 'yaml'),
     "the control plane's pods in yaml"),
    (('get', 'secrets', '-A', '-o', 'yaml'),
     'every secret in yaml'),
    (('describe', 'nodes'),
     'describe of every node'),
    (('describe', 'configmaps', '-n', 'kube-system'),
     "describe of kubeadm's config maps"),
    (('describe', 'serviceaccounts', '-n', 'kube-system'),
     "describe of the controllers' service accounts"),
    (('describe', 'clusterrole', 'admin'),
     'the aggregated admin cluster role'),
    (('describe', 'clusterrole', 'system:node'),
     'the system:node cluster role'),
    (('describe', 'clusterrolebindings'),
     'describe of every cluster role binding'),
    (('describe', 'services', '-A'),
     'describe of every service'),
    (('describe', 'daemonsets', '-A'),
     'describe of every daemon set'),
    (('describe', 'replicasets', '-A'),
     'describe of every replica set'),
    (('describe', 'pods', '-n', 'kube-flannel'),
     'describe of the flannel pods'),
    (('describe', 'pods', '-n', 'kube-system', '-l', 'k8s-app=kube-dns'),
     'describe of the CoreDNS pods'),
    (('get', 'events', '-A', '-o', 'yaml'),
     'every event in yaml'),
    (('describe', 'node', 'controlplane', '--show-events=false'),
     'describe without events'),
]

# templates and names, each (argv, sentence)
TEMPLATES = [
    (("get", "pod", "probed", "-o", "jsonpath={.metadata.labels}"), "a jsonpath to a map prints JSON"),
    (("get", "pod", "probed", "-o", "jsonpath={.spec.containers[*].name}"), "a jsonpath wildcard joins with spaces"),
    (("get", "nodes", "-o", "jsonpath={.items[0].status.conditions[?(@.type==\"Ready\")].status}"),
     "a jsonpath filter on conditions"),
    # ({..image} is no oracle: client-go's recursive descent walks Go maps in random order)
    (("get", "pods", "-o", "jsonpath={.items[*].spec.containers[*].image}"), "a jsonpath through two wildcards"),
    (("get", "pods", "-o", "jsonpath={.items[-1:].metadata.name}"), "a negative jsonpath slice"),
    (("get", "pod", "probed", "-o", "jsonpath={.spec.containers[0].resources}"), "a jsonpath to nested maps"),
    (("get", "pod", "probed", "-o", "jsonpath={.spec.tolerations}"), "a jsonpath to a list of maps"),
    (("get", "pods", "-o", "jsonpath-as-json={.items[*].metadata.name}"), "jsonpath-as-json prints a JSON array"),
    (("get", "pod", "probed", "-o", "jsonpath={.metadata.name} {.status.missing}"),
     "a jsonpath to a missing field prints nothing"),
    (("get", "pods", "-o", "custom-columns=NAME:.metadata.name,PORTS:.spec.containers[*].ports[*].containerPort"),
     "custom columns join a nested wildcard"),
    (("get", "pods", "-o", "custom-columns=NAME:.metadata.name,MISSING:.spec.nothing", "--no-headers"),
     "custom columns show <none> and drop headers"),
    (("get", "deployments,statefulsets,services", "-o", "name"), "names of several kinds"),
    (("get", "pods", "--sort-by=.metadata.creationTimestamp", "-o", "name"), "names sorted by creation time"),
    (("get", "pods", "--sort-by={.status.containerStatuses[0].restartCount}", "-o", "name"),
     "names sorted by restart count"),
    (("get", "pods", "-o", "go-template={{range .items}}{{.metadata.name}} {{.status.phase}}{{\"\\n\"}}{{end}}"),
     "a go template over the items"),
    (("get", "pod", "probed", "-o", "go-template={{.metadata.name}} {{.spec.containers}} {{.status.missing}}"),
     "a go template prints lists and a missing key"),
    (("get", "pod", "probed", "-o", "go-template={{range $k, $v := .metadata.labels}}{{$k}}={{$v}};{{end}}"),
     "a go template ranges over a map by sorted key"),
    (("get", "pods", "-o", "go-template={{range .items}}{{if eq .status.phase \"Running\"}}{{.metadata.name}}"
      "{{else}}-{{end}} {{len .spec.containers}}{{\"\\n\"}}{{end}}"), "a go template with if, eq and len"),
    (("get", "pod", "probed", "-o", "go-template={{printf \"%s has %d\" .metadata.name (len .spec.containers)}}"
      "{{\"\\n\"}}{{index .metadata.labels \"app\"}} {{.spec.containers}}"),
     "a go template with printf, a sub-pipeline and index"),
    (("get", "pod", "probed", "-o", "go-template={{.spec.nothing.deeper}}"),
     "a go template through a missing key prints no value"),
    (("get", "pod", "probed", "-o", "go-template={{range .spec.containers}}{{.name}}:{{.resources.requests.cpu}}"
      " {{- \" \" -}} {{end}}"), "a go template with trim markers"),
    (("get", "clusterrole", "admin", "-o", "yaml"), "the aggregated admin cluster role in yaml"),
    (("get", "node", "controlplane", "-o", "yaml"), "the control plane node in yaml"),
]

INCIDENT_OBJECTS = [
    ("node", "node01", None), ("job", "doomed", None), ("cronjob", "paused", None),
    ("persistentvolumeclaim", "orphan", None), ("service", "edge", None), ("endpoints", "edge", None),
    ("endpointslice", "edge-", None), ("deployment", "web", None),
]
INCIDENT_COMMANDS = [("describe", "endpointslices", "-l", "kubernetes.io/service-name=edge"),
                     ("describe", "pods", "-l", "app=web"), ("get", "pods", "-l", "app=web", "-o", "yaml"),
                     ("get", "events", "-o", "json", "--field-selector", "involvedObject.kind=Node")]

VARIETY_OBJECTS = [
    ("secret", "site-tls", None), ("secret", "regcred", None), ("configmap", "blobs", None),
    ("priorityclass", "critical", None), ("persistentvolume", "pv-nfs", None),
    ("persistentvolumeclaim", "shared", None), ("pod", "guaranteed", None), ("service", "sticky", None),
    ("service", "external", None), ("service", "local-np", None), ("ingressclass", "nginx", None),
    ("ingress", "secure", None), ("networkpolicy", "lockdown", None), ("job", "indexed", None),
    ("daemonset", "workers-only", None), ("poddisruptionbudget", "g-pdb", None), ("statefulset", "store", None),
    ("persistentvolumeclaim", "data-store-0", None),
]

# kubeadm's own Secrets, Roles and RoleBindings are not made by kcore yet, so the lists are asked
# in world(), which has one of each
WORLD_COMMANDS = [
    (("describe", "secrets", "-A"), "describe of every secret"),
    (("describe", "roles", "-A"), "describe of every role"),
    (("describe", "rolebindings", "-A"), "describe of every role binding"),
    (("get", "roles,rolebindings", "-A", "-o", "yaml"), "roles and role bindings in one yaml list"),
]

ROLLOUT_OBJECTS = [("deployment", "web", None), ("replicaset", "web-6664f4cfd8", None),
                   ("replicaset", "web-7dd4c748c7", None)]


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
    return capture(c, _all_commands(WORLD_OBJECTS) + [argv for argv, _ in WORLD_COMMANDS])


@functools.lru_cache(maxsize=None)
def extras():
    c = kcore.Cluster()
    _ok(c, ["apply", "-f", "-"], EXTRAS)
    c.advance(45)
    return capture(c, _all_commands(EXTRA_OBJECTS) + [argv for argv, _ in EXTRA_COMMANDS + TEMPLATES])


@functools.lru_cache(maxsize=None)
def variety():
    """Less common shapes of the same kinds: typed secrets, binary data, NFS, projected and
    downward volumes, ExternalName, TLS ingress, egress policy, indexed job, claim templates."""
    c = kcore.Cluster()
    _ok(c, ["apply", "-f", "-"], VARIETY)
    c.advance(30)
    return capture(c, _all_commands(VARIETY_OBJECTS))


@functools.lru_cache(maxsize=None)
def incidents():
    """A worker whose kubelet stopped (NotReady, tainted, its pods Terminating), a failed job,
    a suspended cron job, an unbindable claim, a LoadBalancer service, and a Deployment
    rolled three times (more than twelve ScalingReplicaSet events)."""
    c = kcore.Cluster()
    _ok(c, ["create", "deployment", "web", "--image=nginx:1.26", "--replicas=4"])
    for image in ("nginx:1.27", "nginx:1.28", "nginx:1.29"):
        _ok(c, ["set", "image", "deployment/web", f"nginx={image}"])
        c.advance(5)
    _ok(c, ["apply", "-f", "-"], INCIDENTS)
    c.advance(20)
    c.ssh("node01", "systemctl stop kubelet")
    c.advance(330)
    slice_name = next(o["metadata"]["name"] for o in export(c) if o["kind"] == "EndpointSlice"
                      and o["metadata"]["name"].startswith("edge-"))
    objects = [(k, slice_name if n == "edge-" else n, ns) for k, n, ns in INCIDENT_OBJECTS]
    return capture(c, _all_commands(objects) + INCIDENT_COMMANDS), objects


@functools.lru_cache(maxsize=None)
def rollout():
    """{'during': snapshot, 'after': snapshot} of a Deployment moving from nginx:1.27 to 1.28."""
    c = kcore.Cluster()
    _ok(c, ["create", "deployment", "web", "--image=nginx:1.27", "--replicas=3"])
    c.advance(30)
    c.kubectl(["set", "image", "deployment/web", "nginx=nginx:1.28"], settle=False)
    c.advance(1)
    commands = _all_commands(ROLLOUT_OBJECTS)
    during = capture(c, commands)
    c.settle()
    c.advance(20)
    names = {o["metadata"]["name"] for o in export(c) if o["kind"] == "ReplicaSet"
             and o["metadata"]["namespace"] == "default"}
    assert names == {name for kind, name, _ in ROLLOUT_OBJECTS if kind == "replicaset"}, \
        f"the pod-template-hash changed: {sorted(names)}; update ROLLOUT_OBJECTS"
    return {"during": during, "after": capture(c, commands)}
