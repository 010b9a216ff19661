#!/usr/bin/env bash
# Installs axe-core (the accessibility engine the e2e tests inject into the
# page) from npm into .tools/npm (git-ignored), at a pinned version.
# Idempotent and quiet when it is there. The tests read AXE_PATH, else
# .tools/npm/node_modules/axe-core/axe.min.js.
set -euo pipefail
cd "$(dirname "$0")/.."
AXE_VERSION=4.14.1
prefix=.tools/npm
file=$prefix/node_modules/axe-core/axe.min.js
have=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' "$prefix/node_modules/axe-core/package.json" 2>/dev/null | head -1 || true)
if [ -f "$file" ] && [ "$have" = "$AXE_VERSION" ]; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing: npm"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
fi
mkdir -p "$prefix"
echo "installing: axe-core@$AXE_VERSION into $prefix"
npm install --prefix "$prefix" --no-audit --no-fund --no-save --silent "axe-core@$AXE_VERSION"
test -f "$file"
