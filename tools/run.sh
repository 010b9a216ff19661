#!/usr/bin/env bash
# make run: a local Dendrite on 127.0.0.1:8008 (data kept in .dendrite/ so
# accounts survive restarts) and the widget on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."
hs_addr=${SIGNUP_DENDRITE_ADDR:-127.0.0.1:8008}
addr=${SIGNUP_ADDR:-127.0.0.1:8000}

echo "make run: starting Dendrite on http://$hs_addr (a few seconds; data in .dendrite/, log in .dendrite.log)"
.tools/bin/dendrite-run -data .dendrite -addr "$hs_addr" >.dendrite.log 2>&1 &
dendrite=$!
trap 'kill $dendrite 2>/dev/null; wait $dendrite 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 120); do
  if curl -fsS "http://$hs_addr/_matrix/client/versions" >/dev/null 2>&1; then break; fi
  if ! kill -0 $dendrite 2>/dev/null; then echo "Dendrite did not start; see .dendrite.log" >&2; tail -20 .dendrite.log >&2; exit 1; fi
  sleep 0.5
done
echo "Dendrite is up on http://$hs_addr (log: .dendrite.log)"
echo "Open http://$addr to register an account."
echo "Sign in with any Matrix client at homeserver http://$hs_addr as @name:localhost; stop with Ctrl-C."
bin/signup -addr "$addr" -homeserver "http://$hs_addr" -server-name localhost -stories -wait 30s
