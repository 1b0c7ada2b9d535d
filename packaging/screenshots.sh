#!/usr/bin/env bash
# Screenshots of the real window, from the demo data (sample cookies, throwaway in-memory keys),
# under Xvfb with Mesa software rendering. Writes inspect/rotate/keys/audit.png to OUT_DIR, then
# keyring.png of the window (no demo) listing keys stored in a real gnome-keyring, and fails
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

# The real window on the real keyring: a private session bus and gnome-keyring-daemon, keys stored
# through the CLI, then the window (no --demo) must list them from the Secret Service.
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  home=$(mktemp -d)
  HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    XDG_RUNTIME_DIR=$home/run SIGNET_BIN=$(realpath "$bin") OUT=$(realpath "$out") \
    dbus-run-session -- bash -euo pipefail -c '
      mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
      printf "ci-password" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
      "$SIGNET_BIN" keys generate shop-2026 --style flask >/dev/null
      "$SIGNET_BIN" keys generate shop-2025 --style flask >/dev/null
      "$SIGNET_BIN" keys set create shop-prod shop-2026 shop-2025 >/dev/null
      "$SIGNET_BIN" --tab keys >"$OUT/.keyring.log" 2>&1 &
      app=$!
      id=""
      for i in $(seq 1 300); do
        id=$(xwininfo -root -tree 2>/dev/null | awk "/\"Signet\"/ {print \$1; exit}")
        [ -n "$id" ] && break
        sleep 0.2
      done
      [ -n "$id" ] || { echo "the window did not appear on the real keyring:"; cat "$OUT/.keyring.log"; exit 1; }
      sleep 2
      import -window "$id" "$OUT/keyring.png"
      kill $app; wait $app 2>/dev/null || true
      rm -f "$OUT/.keyring.log"
    '
  rm -rf "$home"
  echo "keyring.png: $(identify -format '%wx%h, %k colours' "$out/keyring.png") (the window on a real Secret Service)"
else
  echo "NOTICE: dbus-run-session or gnome-keyring-daemon missing: the window was not shown on a real keyring"
fi
