#!/usr/bin/env bash
# Kiosk measurements from the real binary under Xvfb (docs/bench-notes/kiosk.md):
#   cold start to the home screen (first start: demo hall created; second: existing hall),
#   resident memory after taking 100 numbers through the screens (printing included),
#   and tap to first byte at the printer (Go benchmark over the real node, driver and pty).
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
go build -o "$tmp/kiosk" ./cmd/kiosk
export KIOSK_TMP="$tmp"
xvfb-run -a -s "-screen 0 1080x1920x24" bash -c '
  run() { # $1: label, rest: args
    label=$1; shift
    t0=$(date +%s%3N)
    "$KIOSK_TMP/kiosk" --data "$KIOSK_TMP/data" "$@" >"$KIOSK_TMP/$label.log" 2>&1 || true
    shown=$(grep -o "unix-ms [0-9]*" "$KIOSK_TMP/$label.log" | head -1 | cut -d" " -f2)
    echo "$label: home screen $((shown - t0)) ms after exec; $(grep -o "shown [^ ]* after main" "$KIOSK_TMP/$label.log")"
    grep "kiosk bench: after" "$KIOSK_TMP/$label.log" | sed "s/^[0-9/ :]*//" || true
  }
  run first-start --bench-take 1     # creates the demo hall
  for i in 1 2 3 4 5; do run "start-$i" --bench-take 1; done
  run take-100 --bench-take 100
'
uptime
go test ./kiosk -run XXX -bench TapToPrinter -benchtime 50x -count 3 | grep Benchmark
rm -rf "$tmp"
