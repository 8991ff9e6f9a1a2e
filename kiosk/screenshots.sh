#!/usr/bin/env bash
# Screenshots of every kiosk screen from the real binary under Xvfb, in a
# portrait 1080x1920 kiosk screen: docs/screens/kiosk-NAME.png.
# Usage: kiosk/screenshots.sh [NAME...]   (default: every screen)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(mktemp -d)/kiosk
go build -o "$bin" ./cmd/kiosk
data=$(mktemp -d)
screens=("$@")
if [ ${#screens[@]} -eq 0 ]; then
  screens=(home home.en home.elder take take.priority take.id take.confirm ticket ticket.unprinted
    guides guides.dept guide guides.search progress progress.result progress.notfound checkin staff.pin staff)
fi
export KIOSK_BIN="$bin" KIOSK_DATA="$data"
xvfb-run -a -s "-screen 0 1080x1920x24" bash -c '
  set -euo pipefail
  for s in "$@"; do
    args=(--data "$KIOSK_DATA" --screen "${s%.unprinted}")
    if [ "$s" = ticket.unprinted ]; then args+=(--printer /dev/null/none); fi
    "$KIOSK_BIN" "${args[@]}" >"$KIOSK_DATA/$s.log" 2>&1 &
    pid=$!
    sleep "${KIOSK_SHOT_WAIT:-4}"
    import -window root "docs/screens/kiosk-$s.png"
    kill "$pid"; wait "$pid" 2>/dev/null || true
    echo "docs/screens/kiosk-$s.png"
  done
' _ "${screens[@]}"
rm -rf "$data" "$(dirname "$bin")"
