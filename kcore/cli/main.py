"""`kcore`: a terminal onto an in-process cluster.

    kcore                 an interactive session: type kubectl …, ssh NODE CMD, advance 5m, exit
    kcore -c "kubectl get nodes"   run commands (separated by ;;) and exit
    kcore --workers 3 --seed 7     cluster options

Every command prints what the real tool prints; the cluster lives as long as the session."""
from __future__ import annotations

import argparse
import re
import shlex
import sys


def _seconds(text: str) -> float:
    total = 0.0
    for num, unit in re.findall(r"(\d+(?:\.\d+)?)(h|m|s)?", text):
        total += float(num) * {"h": 3600, "m": 60, "s": 1, None: 1, "": 1}[unit]
    return total


def run_line(cluster, line: str) -> int:
    line = line.strip()
    if not line or line.startswith("#"):
        return 0
    words = shlex.split(line)
    if words[0] == "kubectl":
        r = cluster.kubectl(words[1:])
    elif words[0] == "ssh" and len(words) >= 3:
        r = cluster.ssh(words[1], line.split(None, 2)[2])
    elif words[0] == "advance" and len(words) == 2:
        cluster.advance(_seconds(words[1]))
        return 0
    else:
        print(f"kcore: unknown command {words[0]!r} (try: kubectl …, ssh NODE CMD, advance 30s, exit)",
              file=sys.stderr)
        return 1
    sys.stdout.write(r.stdout)
    sys.stderr.write(r.stderr)
    return r.returncode


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="kcore", description=__doc__.splitlines()[0])
    ap.add_argument("-c", "--command", help="commands to run, separated by ';;'")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-cni", action="store_true", help="leave the CNI for the learner to install")
    args = ap.parse_args(argv)
    import kcore
    cluster = kcore.Cluster(workers=args.workers, seed=args.seed, cni=None if args.no_cni else "flannel")
    if args.command:
        code = 0
        for part in args.command.split(";;"):
            code = run_line(cluster, part)
        return code
    print("kcore: a cluster is ready (controlplane + workers). Type kubectl …, ssh NODE CMD, "
          "advance 30s, exit.")
    while True:
        try:
            line = input("controlplane $ ")
        except EOFError:
            print()
            return 0
        if line.strip() in ("exit", "quit", "logout"):
            return 0
        run_line(cluster, line)


if __name__ == "__main__":
    sys.exit(main())
