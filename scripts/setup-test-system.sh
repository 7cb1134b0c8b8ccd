#!/usr/bin/env bash
# System packages the slow tests use (a real browser for the chat page). Needs root (CI runs as root).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
    echo "setup-test-system: chromium is missing and we are not root; browser tests will be skipped" >&2
    exit 0
fi
echo "setup-test-system: installing chromium (Debian package)" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
