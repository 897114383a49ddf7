#!/usr/bin/env bash
# CLI start-up against glpsol on a tiny LP, whole process (docs/benchmarks-cli.md).
#
#   Benchmarks/cli-startup/run.sh [LAGRANGE ...]     (default: .build/release/lagrange)
#
# For ROUNDS rounds (default 5), hyperfine (apt-get install hyperfine) times, back to back,
# `glpsol --mps` and, for each LAGRANGE binary given, `lagrange solve` (one child process
# per file, the default), `lagrange solve --in-process` and `lagrange --help`, RUNS runs
# each (default 50) after 5 warm-up runs, no shell (-N), output to /dev/null. Prints each
# round's means and, at the end, the median over rounds of each command's mean wall time
# and its ratio to glpsol's, the same for CPU time (user + system, less sensitive to
# load), with the load average before and after.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${ROUNDS:-5}
RUNS=${RUNS:-50}
LP=${LP:-problems/lp/tiny_objconst.mps}
bins=("$@")
[ ${#bins[@]} -eq 0 ] && bins=(.build/release/lagrange)
out=$(mktemp -d)
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$ROUNDS"); do
  cmds=(-n glpsol "glpsol --mps $LP")
  for b in "${bins[@]}"; do
    cmds+=(-n "$b solve" "$b solve $LP" -n "$b solve --in-process" "$b solve --in-process $LP" -n "$b --help" "$b --help")
  done
  hyperfine -N -w 5 -r "$RUNS" -i --style none --export-json "$out/round$r.json" "${cmds[@]}" > /dev/null
  python3 - "$out/round$r.json" "$r" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
print("round %s: " % sys.argv[2] + "; ".join("%s %.2f ms (cpu %.2f)" % (x["command"], 1e3 * x["mean"], 1e3 * (x["user"] + x["system"])) for x in res))
PY
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$out" "$ROUNDS" <<'PY'
import json, statistics, sys
rounds = [json.load(open("%s/round%d.json" % (sys.argv[1], r + 1)))["results"] for r in range(int(sys.argv[2]))]
names = [x["command"] for x in rounds[0]]
med = {n: statistics.median(1e3 * x["mean"] for rnd in rounds for x in rnd if x["command"] == n) for n in names}
ratios = {n: statistics.median(1e3 * x["mean"] / (1e3 * rnd[0]["mean"]) for rnd in rounds for x in rnd if x["command"] == n) for n in names}
cpu = {n: statistics.median(1e3 * (x["user"] + x["system"]) for rnd in rounds for x in rnd if x["command"] == n) for n in names}
for n in names:
    print("%-50s wall %7.2f ms  ratio %5.2fx   cpu (user+sys) %6.2f ms  ratio %5.2fx" % (n, med[n], ratios[n], cpu[n], cpu[n] / cpu[names[0]]))
print("(wall: median over rounds of hyperfine's mean; wall ratio: median of the per-round ratios to glpsol)")
PY
rm -rf "$out"
