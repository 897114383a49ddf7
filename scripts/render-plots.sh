#!/bin/sh
# Renders SVG plots to PNG in headless Chromium, the way people see them, so that they are
# looked at before they are called done (issue #21).
#
#   scripts/render-plots.sh [SVG ...]     default: docs/images/*.svg
#
# Writes NAME.png next to each NAME.svg under OUT (default .build/plots-png) and prints the
# paths. Needs chromium (Debian: apt-get install chromium); exits 2 without it.
set -eu
OUT=${OUT:-.build/plots-png}
BROWSER=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$BROWSER" ]; then
    echo "render-plots: no chromium found (apt-get install chromium)" >&2
    exit 2
fi
mkdir -p "$OUT"
[ "$#" -gt 0 ] || set -- docs/images/*.svg
for svg in "$@"; do
    png="$OUT/$(basename "${svg%.svg}").png"
    "$BROWSER" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --window-size=1400,1000 --screenshot="$png" "file://$(cd "$(dirname "$svg")" && pwd)/$(basename "$svg")" \
        >/dev/null 2>&1
    echo "$png"
done
