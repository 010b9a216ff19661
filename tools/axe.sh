#!/usr/bin/env bash
# Installs axe-core (the accessibility engine the e2e tests inject into the
# page) from npm into .tools/npm (git-ignored), exactly as tools/axe/
# package-lock.json pins it: `npm ci` refuses a package whose integrity
# hash differs from the lockfile's, and --ignore-scripts runs no install
# script of any package. Idempotent and quiet when it is there. The tests
# read AXE_PATH, else .tools/npm/node_modules/axe-core/axe.min.js.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=.tools/npm
file=$prefix/node_modules/axe-core/axe.min.js
if [ -f "$file" ] && cmp -s tools/axe/package-lock.json "$prefix/package-lock.json"; then
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "installing: npm"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq npm >/dev/null
fi
mkdir -p "$prefix"
cp tools/axe/package.json tools/axe/package-lock.json "$prefix/"
echo "installing: axe-core from tools/axe/package-lock.json into $prefix"
(cd "$prefix" && npm ci --ignore-scripts --no-audit --no-fund --silent)
test -f "$file"
