#!/usr/bin/env python3
"""Lists the public declarations of the given modules that have no `///` doc comment.

Reads the symbol graphs that `swift package dump-symbol-graph` (or `make docs`) writes,
so it sees exactly what DocC sees: every public type, method, property, initializer and
enum case, including members of public extensions. Compiler-synthesized members (an
`Equatable` `==`, a `Codable` `init(from:)`) and implementations that inherit their
protocol requirement's comment are not gaps.

usage: scripts/undocumented.py SYMBOLGRAPH_DIR MODULE... [--quiet]
Prints one line per gap (file:line: kind name), then a count per module; exits 1 when
there is any gap.
"""
import json, os, sys
from collections import Counter

args = [a for a in sys.argv[1:] if not a.startswith("--")]
quiet = "--quiet" in sys.argv
if len(args) < 2:
    sys.exit(__doc__)
folder, modules = args[0], args[1:]

gaps, totals = [], Counter()
for name in sorted(os.listdir(folder)):
    if not name.endswith(".symbols.json"):
        continue
    module = name[: -len(".symbols.json")].split("@")[0]
    if module not in modules:
        continue
    with open(os.path.join(folder, name)) as f:
        graph = json.load(f)
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        # Synthesized members, and extension blocks (`--emit-extension-block-symbols`): the
        # members they hold are listed on their own.
        if "::SYNTHESIZED::" in symbol["identifier"]["precise"] or symbol["kind"]["identifier"] == "swift.extension":
            continue
        totals[module] += 1
        if symbol.get("docComment", {}).get("lines"):
            continue
        where = symbol.get("location", {})
        path = where.get("uri", "?").replace("file://", "")
        path = os.path.relpath(path) if path.startswith("/") else path
        line = where.get("position", {}).get("line", -1) + 1
        gaps.append((module, path, line, symbol["kind"]["displayName"], ".".join(symbol["pathComponents"])))

for module, path, line, kind, title in sorted(gaps, key=lambda g: (g[1], g[2])):
    if not quiet:
        print(f"{path}:{line}: {kind} {title}")
missing = Counter(g[0] for g in gaps)
for module in modules:
    print(f"{module}: {totals[module]} public symbols, {missing[module]} without a doc comment")
sys.exit(1 if gaps else 0)
