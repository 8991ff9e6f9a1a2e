#!/usr/bin/env bash
# CPU and memory of the real display program under Xvfb (software GL),
# following a demo hall's `hallq serve`, over 20 s after a call and a
# recall. Extra arguments go to the display, e.g. --notice-fps 0.
# Usage: kiosk/display/cpu.sh [DISPLAY FLAGS...]
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/hallq" ./cmd/hallq
go build -o "$tmp/display" ./cmd/display
export HALLQ_DATA="$tmp/hall"
h="$tmp/hallq"
"$h" init --demo --always-open >/dev/null
"$h" window open 1 >/dev/null
for _ in 1 2 3; do "$h" issue --service A >/dev/null; done
token=$("$h" device add --kind display)
"$h" serve --listen 127.0.0.1:0 >"$tmp/serve.log" 2>&1 &
for _ in $(seq 50); do grep -q "serving on" "$tmp/serve.log" && break; sleep 0.2; done
url=$(sed -n 's/^hallq: serving on //p' "$tmp/serve.log")
export DISPLAY_BIN="$tmp/display" NODE="$url" TOKEN="$token" H="$h" LOG="$tmp/display.log"
xvfb-run -a -s "-screen 0 1920x1080x24" bash -c '
  "$DISPLAY_BIN" --node "$NODE" --token "$TOKEN" "$@" >"$LOG" 2>&1 &
  pid=$!
  sleep 6; "$H" call --window 1 >/dev/null; sleep 2; "$H" recall --window 1 >/dev/null; sleep 2
  t0=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  sleep 20
  t1=$(awk "{print \$14+\$15}" /proc/$pid/stat)
  hz=$(getconf CLK_TCK)
  echo "display: $(( (t1-t0) * 100 / (20*hz) )) % of one core over 20 s; $(grep VmRSS /proc/$pid/status | tr -s " ")"
  kill -TERM $pid; wait $pid
' _ "$@"
grep "display:" "$LOG" | sed 's/^/  log: /'
