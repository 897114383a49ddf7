#!/usr/bin/env python3
"""The nlp set through `lagrange solve`, one process per problem and solver, against the
verified optima of its reference.tsv (issue #25):

  python3 Benchmarks/nlp/run-nlp.py ../shared/data/nlp --solver native.interior-point \
      [--solver native.augmented-lagrangian] [--time-limit 10] [--only NAME ...] [--out FILE.tsv] \
      [--option NAME=VALUE ...]

A problem counts as solved when the status matches expected_status (`optimal` counting as
`locally_optimal`), |f - f*| <= 1e-6 * max(1, |f*|) and the certificate check passed (no
check for infeasible / unbounded claims without one). `--solver default` runs the
registry's default. Prints a line per problem and per solver: solved count, the solved
count among `--subset FILE` names (one per line, e.g. what SciPy solves), and total time.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--solver", action="append", default=[])
    p.add_argument("--time-limit", type=float, default=10)
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--subset", help="file with problem names (one a line) to count separately")
    p.add_argument("--lagrange", default=".build/release/lagrange")
    p.add_argument("--out")
    p.add_argument("--option", action="append", default=[], help="NAME=VALUE passed to every solve")
    a = p.parse_args()
    if not os.path.isdir(a.folder):
        print(f"folder {a.folder} not found (the set lives in ../shared/data/nlp)", file=sys.stderr)
        sys.exit(2)
    with open(os.path.join(a.folder, "reference.tsv")) as f:
        rows = {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}
    names = [n for n in sorted(rows) if os.path.exists(os.path.join(a.folder, n + ".yaml")) and (not a.only or n in a.only)]
    subset = set(open(a.subset).read().split()) if a.subset else None
    out = open(a.out, "w") if a.out else None
    if out:
        out.write("name\tsolver\tstatus\tobjective\trel_error\tseconds\tcheck\tsolved\n")
    summary = []
    for solver in a.solver or ["native.interior-point"]:
        solved, solved_subset, total_seconds, wall = [], [], 0.0, time.time()
        for name in names:
            ref = rows[name]
            cmd = [a.lagrange, "solve", os.path.join(a.folder, name + ".yaml"), "--time-limit", str(a.time_limit), "--format", "json"]
            if solver != "default":
                cmd += ["--solver", solver]
            for option in a.option:
                cmd += ["--option", option]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=a.time_limit * 3 + 30)
                stdout, stderr = proc.stdout, proc.stderr
            except subprocess.TimeoutExpired:
                stdout, stderr = "", "killed"
            status, objective, seconds, check = "error", None, a.time_limit, ""
            line = stdout.strip().splitlines()[-1] if stdout.strip() else ""
            if line.startswith("{"):
                r = json.loads(line)
                status, objective = r.get("status", "error"), r.get("objective")
                seconds = r.get("seconds", a.time_limit)
                c = r.get("check")
                check = "" if c is None else ("pass" if c["passed"] else "FAIL:" + c["claimed"])
            elif stderr.strip():
                status = "error: " + stderr.strip().splitlines()[0][:60]
            total_seconds += seconds
            expected = ref["expected_status"]
            got = "locally_optimal" if status == "optimal" else status
            rel = float("nan")
            ok = got == expected and not check.startswith("FAIL")
            if ref["verified_objective"] not in ("", "NA"):
                target = float(ref["verified_objective"])
                rel = abs(objective - target) / max(1, abs(target)) if objective is not None else float("inf")
                ok = ok and rel <= 1e-6
            if ok:
                solved.append(name)
                if subset is not None and name in subset:
                    solved_subset.append(name)
            print(f"{name:26s} {solver:28s} {status:18s} {objective if objective is not None else '-':>24} "
                  f"rel {rel:9.2e} {seconds:8.3f}s {check:22s} {'solved' if ok else 'FAILED'}", flush=True)
            if out:
                out.write(f"{name}\t{solver}\t{status}\t{objective}\t{rel}\t{seconds}\t{check}\t{ok}\n")
                out.flush()
        summary.append((solver, len(solved), len(names), len(solved_subset), total_seconds, time.time() - wall))
    for solver, count, total, in_subset, seconds, wall in summary:
        extra = f"; {in_subset}/{len(subset)} of the subset" if subset is not None else ""
        print(f"{solver}: solved {count}/{total}{extra}; solve time {seconds:.2f} s (wall {wall:.1f} s)")


if __name__ == "__main__":
    main()
