#!/usr/bin/env bash
# Installs Synapse (matrix-synapse from PyPI, version pinned below) into a
# virtualenv at .tools/synapse (git-ignored), for the e2e tests that run a
# real Synapse (e2e/synapse.go). The wheels are manylinux abi3 builds, so
# nothing is compiled. Idempotent and quiet when the pinned version is
# there; Debian's python3-venv is installed when `python3 -m venv` is
# missing. The tests read SYNAPSE_PYTHON, else .tools/synapse/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.163.2
venv=.tools/synapse
python=$venv/bin/python
have() {
  [ -x "$python" ] && [ "$("$python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))' 2>/dev/null)" = "$version" ]
}
if have; then
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "installing: python3-venv"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
fi
echo "installing: matrix-synapse==$version into $venv"
rm -rf "$venv"
python3 -m venv "$venv"
"$python" -m pip install --quiet --disable-pip-version-check --no-input "matrix-synapse==$version"
have
