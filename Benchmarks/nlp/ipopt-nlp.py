#!/usr/bin/env python3
"""Ipopt (through cyipopt) on the nlp set, beside native.interior-point (issue #25), and the
multipliers of the two compared where both end at the same point:

  python3 Benchmarks/nlp/ipopt-nlp.py ../shared/data/nlp [--lagrange .build/release/lagrange] [--time-limit 10]

Not a project dependency: install by hand with `apt-get install coinor-libipopt-dev` and
`pip install cyipopt`. Ipopt gets exact first and second derivatives from SymPy (the
Lagrangian's Hessian through `hessian(x, lagrange, obj_factor)`), tol 1e-8, its defaults
otherwise, one problem per process. Solved: |f - f*| <= 1e-6 max(1, |f*|) with violation
<= 1e-6 (f* from reference.tsv), whatever Ipopt's status says.

Multipliers: Ipopt's L = f + lambda^T g with g = lhs - rhs, so d f*/d rhs = -lambda (for a
maximization Ipopt minimizes -f and d f*/d rhs = +lambda); ours are shadow prices d f*/d rhs
(docs/nonlinear.md). Compared, to 1e-4 * max(1, |value|), on every problem where both
solve and their points agree to 1e-4.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import time
import warnings

warnings.filterwarnings("ignore")


def solve_one(path, time_limit):
    import numpy as np
    import sympy
    import cyipopt
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    scipy_nlp = __import__("scipy-nlp")
    names, symbols, f, sense, bounds, start, constraints = scipy_nlp.load(path)
    n = len(symbols)
    gs = [g for g, _ in constraints]
    F = sympy.lambdify([symbols], f, "numpy")
    G = sympy.lambdify([symbols], [sympy.diff(f, s) for s in symbols], "numpy")
    C = sympy.lambdify([symbols], gs, "numpy") if gs else None
    J = sympy.lambdify([symbols], [[sympy.diff(g, s) for s in symbols] for g in gs], "numpy") if gs else None
    sigma = sympy.Symbol("sigma__")
    lams = sympy.symbols(f"lam__0:{len(gs)}") if gs else ()
    lagrangian = sigma * f + sum(l * g for l, g in zip(lams, gs))
    H = sympy.hessian(lagrangian, symbols)
    rows, cols = np.tril_indices(n)
    Hf = sympy.lambdify([symbols, sigma, list(lams)], [H[i, j] for i, j in zip(rows, cols)], "numpy")

    class Problem:
        def objective(self, x): return float(F(x))
        def gradient(self, x): return np.array(G(x), dtype=float)
        def constraints(self, x): return np.array(C(x), dtype=float) if C else np.zeros(0)
        def jacobian(self, x): return np.array(J(x), dtype=float).ravel() if J else np.zeros(0)
        def hessianstructure(self): return (rows, cols)
        def hessian(self, x, lagrange, obj_factor): return np.array(Hf(x, obj_factor, list(lagrange)), dtype=float)

    lo = [-2e19 if b[0] is None else b[0] for b in bounds]
    up = [2e19 if b[1] is None else b[1] for b in bounds]
    cl = [{"==": 0, "<=": -2e19, ">=": 0}[op] for _, op in constraints]
    cu = [{"==": 0, "<=": 0, ">=": 2e19}[op] for _, op in constraints]
    nlp = cyipopt.Problem(n=n, m=len(gs), problem_obj=Problem(), lb=lo, ub=up, cl=cl, cu=cu)
    nlp.add_option("tol", 1e-8)
    nlp.add_option("print_level", 0)
    nlp.add_option("max_cpu_time", float(time_limit))
    x0 = np.clip(np.array(start, dtype=float), lo, up)
    t0 = time.perf_counter()
    x, info = nlp.solve(x0)
    seconds = time.perf_counter() - t0
    violation = 0.0
    if C:
        values = np.array(C(x), dtype=float)
        for v, (_, op) in zip(values, constraints):
            violation = max(violation, {"==": abs(v), "<=": max(0, v), ">=": max(0, -v)}[op])
    violation = max(violation, max([max(l - xi, 0) for l, xi in zip(lo, x)] + [max(xi - u, 0) for u, xi in zip(up, x)]))
    shadow = [float(-sense * l) for l in info["mult_g"]]
    print(json.dumps({"objective": sense * float(info["obj_val"]), "violation": violation, "seconds": seconds,
                      "status": info["status_msg"].decode() if isinstance(info["status_msg"], bytes) else str(info["status_msg"]),
                      "x": [float(v) for v in x], "shadow": shadow}))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("--lagrange", default=".build/release/lagrange")
    p.add_argument("--time-limit", type=float, default=10)
    p.add_argument("--one", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one:
        solve_one(a.one[0], float(a.one[1]))
        return
    if not os.path.isdir(a.folder):
        print(f"folder {a.folder} not found (the set lives in ../shared/data/nlp)", file=sys.stderr)
        sys.exit(2)
    with open(os.path.join(a.folder, "reference.tsv")) as f:
        refs = {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}
    solved_ipopt = solved_ours = compared = agreed = 0
    time_ipopt = time_ours = 0.0
    disagreements = []
    for name in sorted(refs):
        path = os.path.join(a.folder, name + ".yaml")
        if not os.path.exists(path):
            continue
        target = float(refs[name]["verified_objective"]) if refs[name]["verified_objective"] else None
        try:
            out = subprocess.run([sys.executable, __file__, a.folder, "--one", path, str(a.time_limit)], capture_output=True,
                                 text=True, timeout=a.time_limit * 3 + 30)
            ip = json.loads(out.stdout.strip().splitlines()[-1])
        except Exception:
            ip = {"objective": float("nan"), "violation": float("inf"), "seconds": a.time_limit, "status": "failed", "x": [], "shadow": []}
        proc = subprocess.run([a.lagrange, "solve", path, "--solver", "native.interior-point", "--time-limit", str(a.time_limit),
                               "--format", "json"], capture_output=True, text=True)
        ours = json.loads(proc.stdout.strip().splitlines()[-1])
        time_ipopt += min(ip["seconds"], a.time_limit)
        time_ours += min(ours.get("seconds") or a.time_limit, a.time_limit)
        ip_ok = target is not None and abs(ip["objective"] - target) <= 1e-6 * max(1, abs(target)) and ip["violation"] <= 1e-6
        f = ours.get("objective")
        our_ok = (target is not None and f is not None and abs(f - target) <= 1e-6 * max(1, abs(target))
                  and ours["status"] in ("optimal", "locally_optimal"))
        solved_ipopt += ip_ok
        solved_ours += our_ok
        note = ""
        if ip_ok and our_ok and ours.get("duals"):
            x_ours = list(ours["solution"].values())
            if all(abs(u - v) <= 1e-4 * max(1, abs(v)) for u, v in zip(x_ours, ip["x"])):
                compared += 1
                duals = list(ours["duals"].values())
                worst = max((abs(u - v) / max(1, abs(v)) for u, v in zip(duals, ip["shadow"])), default=0)
                if worst <= 1e-4:
                    agreed += 1
                    note = f"multipliers agree (worst {worst:.1e})"
                else:
                    disagreements.append(name)
                    note = f"MULTIPLIERS DIFFER (worst {worst:.1e}): ours {duals} ipopt {ip['shadow']}"
            else:
                note = "different points"
        print(f"{name:26} ipopt {('solved' if ip_ok else 'missed'):7} {ip['seconds']:7.3f}s   ours {('solved' if our_ok else 'missed'):7} "
              f"{(ours.get('seconds') or 0):7.3f}s   {note}")
    print(f"\nIpopt solved {solved_ipopt}, total {time_ipopt:.2f} s; native.interior-point solved {solved_ours}, total {time_ours:.2f} s")
    print(f"multipliers compared on {compared} problems (both solved, same point): {agreed} agree to 1e-4"
          + (f"; differ on {' '.join(disagreements)}" if disagreements else ""))


if __name__ == "__main__":
    main()
