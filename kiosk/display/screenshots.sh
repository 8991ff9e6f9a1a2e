#!/usr/bin/env bash
# Screenshots of the hall display from the real binaries under Xvfb on a
# 1920x1080 screen: a demo hall served by `hallq serve`, numbers issued and
# called with the hallq command, the display following it; then the hall
# node is stopped and the display shows the lost connection.
#   docs/screens/display.png, display-en.png, display-reconnecting.png
# Usage: kiosk/display/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/hallq" ./cmd/hallq
go build -o "$tmp/display" ./cmd/display
export HALLQ_DATA="$tmp/hall"
h="$tmp/hallq"
"$h" init --demo --always-open >/dev/null
for w in 1 2 3 6 7 10 13; do "$h" window open "$w" >/dev/null; done
for s in A A A A A A B B B D D D D D H H H F F G E; do "$h" issue --service "$s" >/dev/null; done
for w in 10 3 6 13 7 1 2; do "$h" call --window "$w" >/dev/null; done
"$h" recall --window 1 >/dev/null
token=$("$h" device add --kind display --name hall-screen)
"$h" serve --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
serve=$!
for _ in $(seq 50); do grep -q "serving on" "$tmp/serve.log" && break; sleep 0.2; done
url=$(sed -n 's/^hallq: serving on //p' "$tmp/serve.log")
export DISPLAY_BIN="$tmp/display" NODE="$url" TOKEN="$token" SERVE_PID="$serve" H="$h"
xvfb-run -a -s "-screen 0 1920x1080x24" bash -c '
  set -euo pipefail
  "$DISPLAY_BIN" --node "$NODE" --token "$TOKEN" --voice off --lang en >/dev/null 2>&1 &
  pid=$!
  sleep "${SHOT_WAIT:-5}"
  import -window root docs/screens/display-en.png
  kill "$pid"; wait "$pid" 2>/dev/null || true
  "$DISPLAY_BIN" --node "$NODE" --token "$TOKEN" --voice off >/dev/null 2>&1 &
  pid=$!
  sleep "${SHOT_WAIT:-5}"
  "$H" start --window 2 >/dev/null; "$H" finish --window 2 >/dev/null; "$H" call --window 2 >/dev/null   # a live call while the display watches
  sleep 3
  import -window root docs/screens/display.png
  kill "$SERVE_PID"
  sleep 3
  import -window root docs/screens/display-reconnecting.png
  kill "$pid"; wait "$pid" 2>/dev/null || true
'
echo docs/screens/display.png docs/screens/display-en.png docs/screens/display-reconnecting.png
