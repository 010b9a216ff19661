#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, when it is missing:
# Debian's chromium (the real browser of the e2e tests), firefox-esr and
# webkit2gtk-driver (WebKitWebDriver + MiniBrowser, the engine smoke tests
# in e2e/engines_*_test.go), xvfb (the display WebKitGTK needs) and Node.js
# (which runs the js/wasm tests). Idempotent and quiet when all is there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || need+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v curl >/dev/null 2>&1 || need+=(curl)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "$(id -u)" -ne 0 ]; then sudo=sudo; else sudo=; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
chromium --version
firefox-esr --version 2>/dev/null
echo "WebKitWebDriver (webkit2gtk-driver) $(dpkg-query -W -f='${Version}' webkit2gtk-driver 2>/dev/null || echo '?')"
node --version
