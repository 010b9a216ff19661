#!/usr/bin/env bash
# Installs Synapse (matrix-synapse from PyPI, version pinned below, with its
# "oidc" extra for the single sign-on tests) into a virtualenv at
# .tools/synapse (git-ignored), for the e2e tests that run a real Synapse
# (e2e/synapse.go, e2e/synapse_sso.go). The wheels are manylinux abi3
# builds, so nothing is compiled. Idempotent and quiet when the pinned
# version and the extra's packages are there; a virtualenv that has the
# pinned Synapse without the extra gets the extra added in place.
# Debian's python3-venv is installed when `python3 -m venv` is missing.
# The tests read SYNAPSE_PYTHON, else .tools/synapse/bin/python.
set -euo pipefail
cd "$(dirname "$0")/.."
version=1.163.2
extras=oidc
venv=.tools/synapse
python=$venv/bin/python
have_synapse() {
  [ -x "$python" ] && [ "$("$python" -c 'import importlib.metadata as m; print(m.version("matrix-synapse"))' 2>/dev/null)" = "$version" ]
}
# Synapse's own check of what an extra needs (it is what Synapse runs at
# start when a config uses oidc_providers).
have_extras() {
  "$python" -c 'import sys; from synapse.util.check_dependencies import check_requirements; [check_requirements(e) for e in sys.argv[1].split(",")]' "$extras" >/dev/null 2>&1
}
pip_install() {
  "$python" -m pip install --quiet --disable-pip-version-check --no-input "matrix-synapse[$extras]==$version"
}
if have_synapse; then
  if have_extras; then
    exit 0
  fi
  echo "installing: matrix-synapse[$extras]==$version's extra packages into $venv"
  pip_install
  have_extras
  exit 0
fi
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  echo "installing: python3-venv"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >/dev/null
fi
echo "installing: matrix-synapse[$extras]==$version into $venv"
rm -rf "$venv"
python3 -m venv "$venv"
pip_install
have_synapse
have_extras
