#!/usr/bin/env bash
# Installs promtool and prometheus (2.42, Debian's `prometheus` package) for the metric-lint, alert-rule
# and scrape tests (test/deploy, test/observability). Idempotent: does nothing when both are already on
# PATH. CI runs as root on a fresh Debian machine; elsewhere, run it with sudo or install them yourself.
set -euo pipefail

if command -v promtool >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  echo "promtool present: $(promtool --version 2>&1 | head -n 1)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "promtool.sh: promtool/prometheus are missing and this user cannot install packages (not root, no sudo)." >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# Debian's package does not start the server here (no systemd): the tests start /usr/bin/prometheus
# themselves, bounded, on loopback.
$SUDO apt-get install -y -qq --no-install-recommends prometheus >/dev/null
echo "promtool installed: $(promtool --version 2>&1 | head -n 1)"
