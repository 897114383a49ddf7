#!/usr/bin/env python3
"""SciPy's SLSQP and trust-constr on the nlp set, for the comparison in docs/nonlinear.md:

  python3 Benchmarks/nlp/scipy-nlp.py ../shared/data/nlp [--method SLSQP] [--method trust-constr] \
      [--time-limit 10] [--solved-list FILE]

Each problem runs in its own process (killed at the time limit, which counts as a miss and
as the limit in the total time). Objective and constraints are parsed with SymPy, so both
methods get exact gradients and constraint Jacobians, and trust-constr exact Hessians (of f
and, through `hess` of each NonlinearConstraint, of the constraints). SLSQP: maxiter 1000,
ftol 1e-12; trust-constr: maxiter 3000, gtol = xtol = 1e-10. Solved: |f - f*| <= 1e-6 max(1, |f*|)
and constraint violation <= 1e-6 within the time limit, whatever SciPy's success flag says (the
issue's rule; SciPy has no infeasible / unbounded status, so those cases count as misses). Prints per problem and the
counts and total solve time; --solved-list writes the names either method solves.
"""
import argparse
import csv
import json
import os
import re
import subprocess
import sys
import time


def load(path):
    import yaml
    import sympy
    with open(path) as f:
        d = yaml.safe_load(f)
    variables = d["variables"]
    if isinstance(variables, list):
        names, bounds = [str(v) for v in variables], [(None, None)] * len(variables)
    else:
        names = [str(k) for k in variables]
        def bound(v):
            return None if str(v).lower() in ("inf", "-inf", ".inf", "-.inf") or (isinstance(v, float) and abs(v) == float("inf")) else float(v)
        bounds = [(bound(variables[k][0]), bound(variables[k][1])) for k in variables]
    symbols = sympy.symbols(names)
    local = {n: s for n, s in zip(names, symbols)}
    def parse(text):
        return sympy.sympify(str(text).replace("^", "**"), locals=local)
    sense = 1.0
    if "minimize" in d:
        f = parse(d["minimize"])
    else:
        f, sense = parse(d["maximize"]), -1.0
    start = [float((d.get("start") or {}).get(n, 0)) for n in names]
    constraints = []
    for name, text in (d.get("subject_to") or {}).items():
        m = re.match(r"^(.*?)(<=|>=|==)(.*)$", str(text))
        lhs, op, rhs = parse(m.group(1)), m.group(2), parse(m.group(3))
        constraints.append((lhs - rhs, op))
    return names, symbols, sense * f, sense, bounds, start, constraints


def solve_one(path, method):
    import numpy as np
    import sympy
    from scipy.optimize import minimize, NonlinearConstraint, Bounds
    names, symbols, f, sense, bounds, start, constraints = load(path)
    grad = [sympy.diff(f, s) for s in symbols]
    F = sympy.lambdify([symbols], f, "numpy")
    G = sympy.lambdify([symbols], grad, "numpy")
    H = sympy.lambdify([symbols], sympy.hessian(f, symbols), "numpy")
    cons = []
    for g, op in constraints:
        gf = sympy.lambdify([symbols], g, "numpy")
        gg = sympy.lambdify([symbols], [sympy.diff(g, s) for s in symbols], "numpy")
        gh = sympy.lambdify([symbols], sympy.hessian(g, symbols), "numpy")
        cons.append((gf, gg, gh, op))
    x0 = np.array(start, dtype=float)
    lo = np.array([-np.inf if b[0] is None else b[0] for b in bounds])
    up = np.array([np.inf if b[1] is None else b[1] for b in bounds])
    x0 = np.clip(x0, lo, up)
    fun = lambda x: float(F(x))
    jac = lambda x: np.array(G(x), dtype=float)
    t0 = time.perf_counter()
    if method == "SLSQP":
        sc = []
        for gf, gg, gh, op in cons:
            if op == "==":
                sc.append({"type": "eq", "fun": (lambda x, gf=gf: float(gf(x))), "jac": (lambda x, gg=gg: np.array(gg(x), dtype=float))})
            elif op == "<=":
                sc.append({"type": "ineq", "fun": (lambda x, gf=gf: -float(gf(x))), "jac": (lambda x, gg=gg: -np.array(gg(x), dtype=float))})
            else:
                sc.append({"type": "ineq", "fun": (lambda x, gf=gf: float(gf(x))), "jac": (lambda x, gg=gg: np.array(gg(x), dtype=float))})
        r = minimize(fun, x0, jac=jac, method="SLSQP", bounds=list(zip(lo, up)), constraints=sc,
                     options={"maxiter": 1000, "ftol": 1e-12})
    else:
        nc = []
        for gf, gg, gh, op in cons:
            lb, ub = {"==": (0, 0), "<=": (-np.inf, 0), ">=": (0, np.inf)}[op]
            nc.append(NonlinearConstraint(lambda x, gf=gf: np.array([float(gf(x))]), lb, ub,
                                          jac=lambda x, gg=gg: np.array([gg(x)], dtype=float),
                                          hess=lambda x, v, gh=gh: v[0] * np.array(gh(x), dtype=float)))
        kwargs = {"bounds": Bounds(lo, up)} if np.isfinite(lo).any() or np.isfinite(up).any() else {}
        r = minimize(fun, x0, jac=jac, hess=lambda x: np.array(H(x), dtype=float), method="trust-constr",
                     constraints=nc, options={"maxiter": 3000, "gtol": 1e-10, "xtol": 1e-10}, **kwargs)
    seconds = time.perf_counter() - t0
    x = r.x
    violation = 0.0
    for gf, gg, gh, op in cons:
        v = float(gf(x))
        violation = max(violation, {"==": abs(v), "<=": max(0, v), ">=": max(0, -v)}[op])
    violation = max(violation, float(np.max(np.maximum(lo - x, 0))), float(np.max(np.maximum(x - up, 0))))
    print(json.dumps({"success": bool(r.success), "objective": sense * float(r.fun), "violation": violation, "seconds": seconds,
                      "message": str(r.message)[:60]}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--method", action="append", default=[])
    p.add_argument("--time-limit", type=float, default=10)
    p.add_argument("--only", action="append", default=[])
    p.add_argument("--solved-list")
    p.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one:
        solve_one(a.one[0], a.one[1])
        return
    with open(os.path.join(a.folder, "reference.tsv")) as f:
        rows = {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}
    names = [n for n in sorted(rows) if os.path.exists(os.path.join(a.folder, n + ".yaml")) and (not a.only or n in a.only)]
    solved_any, summary = set(), []
    for method in a.method or ["SLSQP", "trust-constr"]:
        solved, total = [], 0.0
        for name in names:
            ref = rows[name]
            try:
                proc = subprocess.run([sys.executable, __file__, a.folder, "--one", os.path.join(a.folder, name + ".yaml"), method],
                                      capture_output=True, text=True, timeout=a.time_limit + 20)
                line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else ""
                r = json.loads(line) if line.startswith("{") else {"success": False, "objective": None, "violation": None,
                                                                  "seconds": a.time_limit, "message": proc.stderr.strip()[-60:]}
            except subprocess.TimeoutExpired:
                r = {"success": False, "objective": None, "violation": None, "seconds": a.time_limit, "message": "killed"}
            seconds = min(r["seconds"], a.time_limit)
            total += seconds
            ok = False
            if ref["expected_status"] == "locally_optimal" and r["objective"] is not None and ref["verified_objective"]:
                target = float(ref["verified_objective"])
                ok = r["seconds"] <= a.time_limit and abs(r["objective"] - target) <= 1e-6 * max(1, abs(target)) \
                    and r["violation"] <= 1e-6
            if ok:
                solved.append(name)
                solved_any.add(name)
            print(f"{name:26s} {method:13s} {str(r['objective']):>24} viol {r['violation']} {seconds:7.3f}s "
                  f"{'solved' if ok else 'FAILED'} {r['message']}", flush=True)
        summary.append((method, len(solved), len(names), total))
    for method, count, n, total in summary:
        print(f"{method}: solved {count}/{n}; solve time {total:.2f} s")
    print(f"either: {len(solved_any)}")
    if a.solved_list:
        with open(a.solved_list, "w") as f:
            f.write("\n".join(sorted(solved_any)) + "\n")


if __name__ == "__main__":
    main()
