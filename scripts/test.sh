#!/usr/bin/env bash
# Set everything up (scripts/setup.sh) and run the whole test suite with `python -m pytest`
# from the repository root. Extra arguments go to pytest (e.g. tests/notebook -x).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
cd "$KCORE_REPO"
exec "$KCORE_VENV/bin/python" -m pytest "$@"
