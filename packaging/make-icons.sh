#!/usr/bin/env bash
# Renders the app icon, assets/icon/signet.svg, to the PNG sizes of the hicolor icon theme:
#
#   assets/icon/hicolor/<N>x<N>/apps/dev.signet.Signet.png   for N in 16 24 32 48 64 128 256 512
#
# The scalable icon is assets/icon/signet.svg itself; install it as
#   $PREFIX/share/icons/hicolor/scalable/apps/dev.signet.Signet.svg
# (there is no copy of it under assets/icon/hicolor/). The PNGs are committed, so this only needs
# running again after the SVG changes.
#
#   packaging/make-icons.sh
#
# Needs: rsvg-convert (Debian/Ubuntu package librsvg2-bin). Optional: optipng, used when present
# to shrink the PNGs losslessly.
set -euo pipefail
cd "$(dirname "$0")/.."

svg=assets/icon/signet.svg
out=assets/icon/hicolor
app_id=dev.signet.Signet
sizes=(16 24 32 48 64 128 256 512)

if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "make-icons.sh: rsvg-convert not found; install it with: apt-get install librsvg2-bin" >&2
  exit 1
fi
[ -f "$svg" ] || { echo "make-icons.sh: $svg not found" >&2; exit 1; }

for n in "${sizes[@]}"; do
  dir=$out/${n}x${n}/apps
  mkdir -p "$dir"
  png=$dir/$app_id.png
  rsvg-convert --width "$n" --height "$n" --format png --output "$png" "$svg"
  if command -v optipng >/dev/null 2>&1; then
    optipng -quiet -o2 -strip all "$png"
  fi
  echo "$png"
done
