#!/bin/sh
# Counts the public declarations of each module under Sources/, the number that issue #23
# asks to keep small (Tests/LagrangeTests/PublicAPIBudgetTests.swift fails when it grows
# past the recorded budget).
#
# How it counts: one per source line whose first word, after any attributes
# (`@inlinable`, `@discardableResult`, `@available(...)`), is `public` or `open`, i.e.
#   grep -E '^\s*(@\w+(\([^)]*\))?\s+)*(public|open)\b'
# over Sources/MODULE/**/*.swift. Every public type, member, initializer, extension
# (`public extension`), operator and global counts once; enum cases and members of a
# `public extension` without their own modifier do not. It is a grep, so it needs no
# build and takes milliseconds; `make docs` (scripts/undocumented.py) counts the same
# API from the symbol graphs, per symbol.
#
# usage: scripts/public-api.sh [--total]   per module, then the total (or the total only)
set -eu
cd "$(dirname "$0")/.."
PATTERN='^[[:space:]]*(@[A-Za-z_]+(\([^)]*\))?[[:space:]]+)*(public|open)([^A-Za-z0-9_(]|$)'
total=0
for dir in Sources/*/; do
  module=$(basename "$dir")
  count=$(find "$dir" -name '*.swift' -exec cat {} + 2>/dev/null | grep -Ec "$PATTERN" || true)
  total=$((total + count))
  if [ "${1:-}" != "--total" ] && [ "$count" -gt 0 ]; then printf '%-16s %5d\n' "$module" "$count"; fi
done
if [ "${1:-}" = "--total" ]; then echo "$total"; else printf '%-16s %5d\n' total "$total"; fi
