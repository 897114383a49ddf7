#!/usr/bin/env python3
"""Suite benchmark: every problem of a suite folder through `lagrange solve`, one process
per problem and solver (so a crash, a runaway or memory growth costs only that problem).

  python3 Benchmarks/suite/run-suite.py ../shared/data/qp-suite --solver native.ipm \
      --time-limit 60 [--only NAME ...] [--out out/qp-suite.tsv]

Reads the folder's reference.tsv (expected_status, expected_objective). A problem counts as
solved when the status matches and |obj - expected| <= 1e-6 * max(1, |expected|) (`--rel-tol`),
and with `--require-basis` an optimal answer only with basis statuses (the crossover check). Prints a
line per problem (status, objective, relative error, solve seconds, peak RSS in MiB,
whether the certificate check passed) and, per solver: solved count, failures by status,
and the shifted geometric mean of solve time (shift 10 ms; failures count at the limit).
Peak memory comes from /usr/bin/time. The suites live in ../shared/data; when that folder
is absent this says so and exits 2.
"""
import argparse
import collections
import csv
import json
import math
import os
import subprocess
import sys


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--solver", action="append", default=[])
    p.add_argument("--time-limit", type=float, default=60)
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--lagrange", default=".build/release/lagrange")
    p.add_argument("--out")
    p.add_argument("--option", action="append", default=[], help="NAME=VALUE passed to every solve")
    p.add_argument("--rel-tol", type=float, default=1e-6, help="objective tolerance, relative to max(1, |expected|)")
    p.add_argument("--require-basis", action="store_true",
                   help="an optimal answer counts only with basis statuses (one per row and column, as many basic as rows)")
    a = p.parse_args()
    if not os.path.isdir(a.folder):
        print(f"suite folder {a.folder} not found (the suites live in ../shared/data)", file=sys.stderr)
        sys.exit(2)
    solvers = a.solver or ["native.ipm"]
    with open(os.path.join(a.folder, "reference.tsv")) as f:
        rows = {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}
    files = {}
    for name in sorted(os.listdir(a.folder)):
        for ext in (".mps.gz", ".qps.gz", ".mps", ".qps", ".sif", ".SIF"):
            if name.endswith(ext):
                files[name[: -len(ext)]] = os.path.join(a.folder, name)
    names = [n for n in sorted(files) if n in rows and (not a.only or n in a.only)]
    out = open(a.out, "w") if a.out else None
    if out:
        out.write("name\tsolver\tstatus\tobjective\trel_error\tseconds\tpeak_mib\tcheck\tsolved\n")
    summary = {}
    for solver in solvers:
        solved, times, failures = 0, [], collections.Counter()
        for name in names:
            ref = rows[name]
            cmd = ["/usr/bin/time", "-f", "PEAK %M", a.lagrange, "solve", files[name], "--solver", solver,
                   "--time-limit", str(a.time_limit), "--format", "json"]
            for option in a.option:
                cmd += ["--option", option]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=a.time_limit * 3 + 30)
                stdout, stderr, code = proc.stdout, proc.stderr, proc.returncode
            except subprocess.TimeoutExpired:
                stdout, stderr, code = "", "", "killed"
            peak = next((int(l.split()[1]) / 1024 for l in stderr.splitlines() if l.startswith("PEAK ")), float("nan"))
            status, objective, seconds, check = f"exit {code}", None, a.time_limit, ""
            basis_ok = None
            line = stdout.strip().splitlines()[-1] if stdout.strip() else ""
            if line.startswith("{"):
                r = json.loads(line)
                status, objective = r.get("status", "error"), r.get("objective")
                seconds = r.get("seconds", a.time_limit)
                c = r.get("check")
                check = "" if c is None else ("pass" if c["passed"] else "FAIL:" + c["claimed"])
                b = r.get("basis")
                if b is not None:
                    statuses = list(b["columns"].values()) + list(b["rows"].values())
                    basis_ok = len(b["rows"]) == statuses.count("basic") or (len(b["rows"]) == 0 and "basic" not in statuses)
            elif code == 2:
                status = "error: " + stderr.strip().splitlines()[0][:80] if stderr.strip() else "error"
            expected = ref.get("expected_status", "optimal")
            exp_obj = ref.get("expected_objective", "")
            rel = float("nan")
            ok = status == expected
            if objective is not None and exp_obj not in ("", "NA"):
                e = float(exp_obj)
                rel = abs(objective - e) / max(1, abs(e))
                ok = ok and rel <= a.rel_tol
            elif expected == "optimal":
                ok = False
            if a.require_basis and expected == "optimal" and not basis_ok:
                ok = False
                if status == expected:
                    status = "optimal, no basis"
            if ok:
                solved += 1
                times.append(seconds)
            else:
                failures[status if status != expected else "wrong objective"] += 1
                times.append(a.time_limit)
            print(f"{name:12s} {solver:14s} {status:22s} {objective if objective is not None else '-':>22} "
                  f"rel {rel:9.2e} {seconds:8.3f}s {peak:8.1f} MiB {check:14s} {'solved' if ok else 'FAILED'}", flush=True)
            if out:
                out.write(f"{name}\t{solver}\t{status}\t{objective}\t{rel}\t{seconds}\t{peak}\t{check}\t{ok}\n")
                out.flush()
        shift = 0.01
        sgm = math.exp(sum(math.log(t + shift) for t in times) / len(times)) - shift if times else float("nan")
        summary[solver] = (solved, len(names), dict(failures), sgm)
    for solver, (solved, total, failures, sgm) in summary.items():
        print(f"{solver}: solved {solved}/{total}; failures {failures}; shifted geomean {sgm:.4f} s "
              f"(shift 10 ms, failures at {a.time_limit:g} s)")


if __name__ == "__main__":
    main()
