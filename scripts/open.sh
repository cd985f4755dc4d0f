#!/usr/bin/env bash
# Set everything up (scripts/setup.sh) and open the course in JupyterLab at
# course/00-welcome.ipynb. Extra arguments go to `jupyter lab` (e.g. --port 8899 --no-browser).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$KCORE_REPO"
root_flag=()
[[ $(id -u) != 0 ]] || root_flag=(--allow-root)   # containers and fresh VMs often run as root
exec "$KCORE_VENV/bin/jupyter" lab \
  --ServerApp.root_dir="$KCORE_REPO" \
  --LabApp.default_url=/lab/tree/course/00-welcome.ipynb \
  "${root_flag[@]}" "$@"
