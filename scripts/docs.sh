#!/bin/sh
# `make docs`: DocC documentation for every public module, with the toolchain's own `docc`
# (no swift-docc-plugin, no network, no environment variable). SwiftPM writes each
# module's symbol graph (`swift package dump-symbol-graph`); `docc convert` makes one
# archive per module (the Lagrange module with its catalog, Sources/Lagrange/Lagrange.docc),
# and `docc merge` combines them into one archive with a landing page listing the modules.
# Then scripts/undocumented.py lists the public declarations of the modules a library
# user touches that have no doc comment.
#
#   DOCS_OUT=.build/docs (default)   where the archives go
#   $DOCS_OUT/Lagrange.doccarchive   the combined archive (`docc preview` it, or serve it:
#                                    it is transformed for static hosting)
set -eu
cd "$(dirname "$0")/.."
OUT=${DOCS_OUT:-.build/docs}
# Every library module of the three products, in dependency order.
MODULES="LinearAlgebra LagrangeCore Expressions ProblemFormats NativeSolvers Modeling Regression Lagrange GLPKSolvers LagrangeGLPK GSLSolvers LagrangeGSL"
# The modules a library user touches; each public declaration there needs a /// comment.
USER_FACING="LagrangeCore Modeling Lagrange LagrangeGLPK LagrangeGSL"

swift package dump-symbol-graph --skip-synthesized-members --emit-extension-block-symbols >/dev/null
GRAPHS="$(dirname "$(swift build --show-bin-path)")/symbolgraph"

rm -rf "$OUT"
mkdir -p "$OUT/graphs" "$OUT/modules"
for module in $MODULES; do
  mkdir -p "$OUT/graphs/$module"
  for graph in "$GRAPHS/$module.symbols.json" "$GRAPHS/$module"@*.symbols.json; do
    if [ -f "$graph" ]; then cp "$graph" "$OUT/graphs/$module/"; fi
  done
  catalog=""
  if [ -d "Sources/$module/$module.docc" ]; then catalog="Sources/$module/$module.docc"; fi
  # shellcheck disable=SC2086
  docc convert $catalog --additional-symbol-graph-dir "$OUT/graphs/$module" \
    --fallback-display-name "$module" --fallback-bundle-identifier "org.lagrange.$module" \
    --output-path "$OUT/modules/$module.doccarchive" --enable-experimental-external-link-support \
    --diagnostics-file "$OUT/diagnostics-$module.json" >/dev/null
  echo "$module: $(ls "$OUT/modules/$module.doccarchive/data/documentation/$(echo "$module" | tr 'A-Z' 'a-z')" 2>/dev/null | wc -l) top-level pages"
done
# shellcheck disable=SC2046
docc merge $(for module in $MODULES; do echo "$OUT/modules/$module.doccarchive"; done) \
  --synthesized-landing-page-name Lagrange --output-path "$OUT/Lagrange.doccarchive" >/dev/null
echo "combined archive: $OUT/Lagrange.doccarchive"
# Counts only: `scripts/undocumented.py GRAPHS MODULE` lists each gap with its file and line.
# shellcheck disable=SC2086
scripts/undocumented.py "$GRAPHS" $USER_FACING --quiet || echo "(list them: scripts/undocumented.py $GRAPHS MODULE)"
