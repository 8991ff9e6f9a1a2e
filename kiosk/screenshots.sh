#!/usr/bin/env bash
# Screenshots of every kiosk screen from the real binary under Xvfb, in a
# portrait 1080x1920 kiosk screen: docs/screens/kiosk-NAME.png.
# Usage: kiosk/screenshots.sh [NAME...]   (default: every screen)
# lan.* screens run the kiosk in LAN mode against a real `hallq serve` over
# the demo hall; lan.offline.* after that node is killed. guide.a4 has an
# A4 printer (a folder of PDFs). lan.take.live opens the take list, then
# another client issues three H numbers and pauses E at the node: the shot
# shows the list after it followed (E is resumed afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${KIOSK_UNDER_XVFB:-}" ]; then
  export KIOSK_UNDER_XVFB=1
  exec xvfb-run -a -s "-screen 0 1080x1920x24" "$0" "$@"
fi
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT
go build -o "$tmp/kiosk" ./cmd/kiosk
go build -o "$tmp/hallq" ./cmd/hallq
data=$tmp/data lan=$tmp/lan
screens=("$@")
if [ ${#screens[@]} -eq 0 ]; then
  screens=(home home.en home.elder take take.priority take.id take.confirm ticket ticket.unprinted
    guides guides.dept guide guide.a4 guides.search progress progress.result progress.notfound checkin staff.pin staff
    lan.home lan.staff lan.offline.home lan.offline.progress.result lan.offline.staff lan.take.live)
fi

shot() { # $1: file name, rest: kiosk arguments
  local name=$1; shift
  "$tmp/kiosk" "$@" >"$tmp/$name.log" 2>&1 &
  local pid=$!
  sleep "${KIOSK_SHOT_WAIT:-4}"
  local out="docs/screens/kiosk-$name.png"
  case "$name" in *init) out="$tmp/$name.png" ;; esac # a first start only fills a data directory
  import -window root "$out"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "$out"
}

serve=
node() { # start or stop the hall node over the demo hall in $data
  if [ "$1" = start ] && [ -z "$serve" ]; then
    [ -f "$data/hall.db" ] || shot init --data "$data" --screen home >/dev/null
    [ -f "$tmp/token" ] || "$tmp/hallq" --data "$data" device add --kind kiosk --name k1 >"$tmp/token"
    port=${port:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
    "$tmp/hallq" --data "$data" serve --listen "127.0.0.1:$port" >"$tmp/serve.log" 2>&1 &
    serve=$!
    sleep 1
  elif [ "$1" = stop ] && [ -n "$serve" ]; then
    kill -9 "$serve"; wait "$serve" 2>/dev/null || true
    serve=
  fi
}

for s in "${screens[@]}"; do
  case "$s" in
    lan.offline.*)
      node start
      [ -d "$lan/copy" ] || shot lan.init --data "$lan" --node "http://127.0.0.1:$port" --token "$(cat "$tmp/token")" --screen home >/dev/null
      node stop
      shot "$s" --data "$lan" --node "http://127.0.0.1:$port" --token "$(cat "$tmp/token")" --screen "${s#lan.offline.}" ;;
    lan.take.live)
      node start
      api() { curl -fsS -X POST -H "Authorization: Bearer $(cat "$tmp/token")" -H 'Content-Type: application/json' -d "$2" "http://127.0.0.1:$port/api/v1/$1" >/dev/null; }
      (sleep 3; for _ in 1 2 3; do api tickets '{"service":"H"}'; done; api kiosk/services/E/pause '{}') &
      KIOSK_SHOT_WAIT=6 shot "$s" --data "$lan" --node "http://127.0.0.1:$port" --token "$(cat "$tmp/token")" --screen take
      api kiosk/services/E/open '{}' ;;
    lan.*)
      node start
      shot "$s" --data "$lan" --node "http://127.0.0.1:$port" --token "$(cat "$tmp/token")" --screen "${s#lan.}" ;;
    guide.a4)
      node stop
      shot "$s" --data "$data" --a4 "dir:$tmp/a4" --screen guide ;;
    ticket.unprinted)
      node stop
      shot "$s" --data "$data" --screen ticket --printer /dev/null/none ;;
    *)
      node stop
      shot "$s" --data "$data" --screen "$s" ;;
  esac
done
node stop
