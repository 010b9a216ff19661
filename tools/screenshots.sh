#!/usr/bin/env bash
# make screenshots: every screen of /stories, light and dark, in English,
# and in Arabic (right to left), plus the widget embedded in a community's
# page, into docs/screens (used by the README). Starts the test
# homeserver, the widget and the host page on free loopback ports and
# stops them afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
hs_port=$(port); web_port=$(port); host_port=$(port)
cfg=$(mktemp --suffix .json)
printf '{"version": 1, "homeserver": {"url": "http://127.0.0.1:%s", "server_name": "example.org"}, "embed": {"allowed_origins": ["http://127.0.0.1:%s"]}}\n' "$hs_port" "$host_port" >"$cfg"
(cd e2e && go run ./cmd/tesths -addr "127.0.0.1:$hs_port" -flows m.login.dummy >/dev/null 2>&1) &
hs=$!
trap 'kill $hs $web 2>/dev/null || true; pkill -P $hs 2>/dev/null || true; rm -f "$cfg"' EXIT
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$hs_port/_matrix/client/versions" >/dev/null 2>&1 && break; sleep 0.2; done
bin/signup -addr "127.0.0.1:$web_port" -homeserver "http://127.0.0.1:$hs_port" -server-name example.org -brand "Example community" -config "$cfg" -stories >/dev/null 2>&1 &
web=$!
for _ in $(seq 1 100); do curl -fsS "http://127.0.0.1:$web_port/" >/dev/null 2>&1 && break; sleep 0.2; done
rm -rf docs/screens && mkdir -p docs/screens
(cd e2e && go run ./cmd/screenshots -url "http://127.0.0.1:$web_port" -host "127.0.0.1:$host_port" -out ../docs/screens)
