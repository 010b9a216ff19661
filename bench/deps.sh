#!/usr/bin/env bash
# Installs what the benchmark needs besides what `make deps` installs, when
# it is missing: Debian's binaryen (wasm-opt, one of the "ways in" the
# benchmark measures). Idempotent and quiet when all is there.
set -euo pipefail
if ! command -v wasm-opt >/dev/null 2>&1; then
  echo "installing: binaryen"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq binaryen >/dev/null
fi
