#!/usr/bin/env bash
# Screenshots of the real window, from the demo data (sample cookies, throwaway in-memory keys),
# under Xvfb with Mesa software rendering. Writes inspect.png and keys.png to OUT_DIR and fails
# when the window does not appear or a screenshot is blank.
#
#   packaging/screenshots.sh [OUT_DIR] [SIGNET_BINARY]      (defaults: assets/screenshots, target/debug/signet)
#
# Needs: xvfb, x11-utils (xwininfo), imagemagick (import, identify), Mesa GL (libgl1-mesa-dri).
set -euo pipefail
out=${1:-assets/screenshots}
bin=${2:-target/debug/signet}
mkdir -p "$out"
# -displayfd: Xvfb picks a free display itself and writes its number once it accepts clients.
fifo=$(mktemp -u)
mkfifo "$fifo"
Xvfb -displayfd 3 -screen 0 1280x900x24 -nolisten tcp 3>"$fifo" >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true; rm -f "$fifo"' EXIT
read -r -t 60 number <"$fifo" || { echo "Xvfb did not start"; exit 1; }
export DISPLAY=:$number LIBGL_ALWAYS_SOFTWARE=1
# No keyring and no desktop session here: the demo uses memory only.
unset DBUS_SESSION_BUS_ADDRESS

shoot() {  # shoot NAME ARGS...
  local name=$1; shift
  "$bin" --demo "$@" >"$out/.$name.log" 2>&1 &
  local app=$!
  local id=""
  for i in $(seq 1 300); do
    id=$(xwininfo -root -tree 2>/dev/null | awk '/"Signet"/ {print $1; exit}')
    [ -n "$id" ] && break
    sleep 0.2
  done
  if [ -z "$id" ]; then
    echo "the Signet window did not appear ($name):"; cat "$out/.$name.log"; kill $app 2>/dev/null; return 1
  fi
  sleep 2  # let it draw its first frames
  import -window "$id" "$out/$name.png"
  kill $app 2>/dev/null || true
  wait $app 2>/dev/null || true
  rm -f "$out/.$name.log"
  local colours
  colours=$(identify -format '%k' "$out/$name.png")
  echo "$name.png: $(identify -format '%wx%h' "$out/$name.png"), $colours colours"
  if [ "$colours" -lt 50 ]; then echo "$name.png looks blank"; return 1; fi
}

shoot inspect --tab inspect
shoot rotate --tab rotate
shoot keys --tab keys
shoot audit --tab audit
