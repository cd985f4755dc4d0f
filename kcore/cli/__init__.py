"""The tools a learner types: kubectl, and on a node the shell with systemctl, journalctl,
crictl, etcdctl and friends. Importing this package registers the front ends with Cluster."""
from kcore.cluster import FRONTENDS


def _kubectl(cluster, args, stdin=""):
    from kcore.cli import kubectl
    return kubectl.run(cluster, args, stdin)


def _ssh(cluster, node, command, stdin=""):
    from kcore.cli import nodeshell
    return nodeshell.run(cluster, node, command, stdin)


FRONTENDS.setdefault("kubectl", _kubectl)
FRONTENDS.setdefault("ssh", _ssh)
