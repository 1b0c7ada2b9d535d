#!/usr/bin/env bash
# Runs the README's tour as written: every ```sh block that follows a `<!-- tour -->` line, in
# order, in an empty directory, with `signet` from BIN_DIR first on PATH, against a real Secret
# Service (a private session bus and gnome-keyring-daemon), then checks what the tour promises.
#
#   packaging/readme-tour.sh [BIN_DIR]     (default: the signet on PATH, e.g. the installed package)
#
# Needs: dbus (dbus-run-session), gnome-keyring.
set -euo pipefail
cd "$(dirname "$0")/.."
readme=$PWD/README.md
[ $# -ge 1 ] && export PATH="$(realpath "$1"):$PATH"
command -v signet >/dev/null || { echo "readme-tour: no signet on PATH"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The tour's blocks, in order.
awk '/^<!-- tour -->$/ {want=1; next}
     want && /^```sh$/ {inside=1; next}
     inside && /^```$/ {inside=0; want=0; next}
     inside {print}' "$readme" > "$work/tour.sh"
lines=$(grep -cv '^\s*$' "$work/tour.sh")
[ "$lines" -ge 10 ] || { echo "readme-tour: found only $lines lines of tour in README.md"; exit 1; }
echo "readme-tour: $lines commands from README.md, run with $(command -v signet)"
mkdir -p "$work/home" "$work/run" "$work/dir"
chmod 700 "$work/run"
HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_DATA_HOME=$work/home/.local/share \
  XDG_RUNTIME_DIR=$work/run TOUR=$work/tour.sh \
  dbus-run-session -- bash -c '
    set -euo pipefail
    printf "tour-password" | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null
    cd "$(dirname "$TOUR")/dir"
    bash -euo pipefail -x "$TOUR"
  ' > "$work/out.txt" 2>&1 || { cat "$work/out.txt"; echo "readme-tour: a command of the tour failed"; exit 1; }
# What the tour promises.
check() {  # check TEXT: the tour's output says it
  grep -qF -- "$1" "$work/out.txt" || { cat "$work/out.txt"; echo "readme-tour: expected \"$1\" in the output"; exit 1; }
}
check "shop-2025"
check '"key_name":"shop-2025"'
check "valid-fallback:0"
check "invalidated"
check "the key was found"
check "change-me"
check "a stored key is weak"
grep -q "SECRET_KEY_FALLBACKS" "$work/dir/secrets.py" || { echo "readme-tour: no snippet written"; exit 1; }
echo "readme-tour: every command ran and said what the README says"
