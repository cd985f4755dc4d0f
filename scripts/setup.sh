#!/usr/bin/env bash
# Make the kit ready to use: a virtual environment in .venv with kcore installed in editable
# mode together with the course (JupyterLab, nbgrader) and test extras.
#
# Idempotent and fast when already done: pip runs again only when pyproject.toml changed
# since the last successful install (a hash is kept in .venv/.kcore-installed).
# Source it (`source scripts/setup.sh`) or run it; afterwards $KCORE_VENV names the venv.
# Environment: KCORE_PYTHON picks the interpreter (default: the first Python >= 3.11 found).
set -euo pipefail

KCORE_REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
KCORE_VENV=$KCORE_REPO/.venv
export KCORE_REPO KCORE_VENV

_kcore_pick_python() {
  local candidate
  for candidate in ${KCORE_PYTHON:-} python3.11 python3.12 python3.13 python3 python; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "kcore: Python 3.11 or newer is required (set KCORE_PYTHON to its path)" >&2
  return 1
}

_kcore_make_venv() {
  local python
  python=$(_kcore_pick_python)
  if "$python" -m venv "$KCORE_VENV" 2>/dev/null; then return 0; fi
  rm -rf "$KCORE_VENV"
  # Debian and Ubuntu ship the venv module separately (python3-venv).
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "kcore: installing python3-venv (Debian splits venv out of python3)" >&2
    apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
    "$python" -m venv "$KCORE_VENV" && return 0
  fi
  echo "kcore: could not create $KCORE_VENV; on Debian/Ubuntu run: apt-get install python3-venv" >&2
  return 1
}

[[ -x $KCORE_VENV/bin/python ]] || _kcore_make_venv

_kcore_want=$(cat "$KCORE_REPO/pyproject.toml" | "$KCORE_VENV/bin/python" -c \
  'import hashlib, sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
if [[ ! -f $KCORE_VENV/.kcore-installed || $(cat "$KCORE_VENV/.kcore-installed") != "$_kcore_want" ]]; then
  echo "kcore: installing kcore[course,test] into .venv (once; later runs skip this)" >&2
  "$KCORE_VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$KCORE_REPO[course,test]"
  echo "$_kcore_want" > "$KCORE_VENV/.kcore-installed"
fi

# Byte-compile kcore (only what changed). Where PYTHONDONTWRITEBYTECODE is set (some CI and
# container images), Python never caches bytecode itself and every kernel would compile the
# whole package again: 0.2 s on each `import kcore`, on each autograded notebook.
"$KCORE_VENV/bin/python" -m compileall -q "$KCORE_REPO/kcore" >/dev/null || true

if ! command -v dot >/dev/null 2>&1; then
  echo "kcore: the graphviz 'dot' program is missing; diagrams fall back to tables." \
       "Install it with: apt-get install graphviz (or conda install graphviz, brew install graphviz)" >&2
fi
