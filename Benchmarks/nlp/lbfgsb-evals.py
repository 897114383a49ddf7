#!/usr/bin/env python3
"""Function evaluations of `native.lbfgsb` against SciPy's L-BFGS-B (issue #25):

  python3 Benchmarks/nlp/lbfgsb-evals.py ../shared/data [--lagrange .build/release/lagrange] [--tolerance 1e-8]

The problems: the bound-only problems of ../shared/data/nlp (no `subject_to`); the 28
functions of ../shared/data/smooth/functions.tsv from their x0, free (L-BFGS-B with no
bound is L-BFGS); and the same 28 in the box [-2, 2]^n (x0 clipped into it), where most
minimizers of the free problems lie outside and bounds become active.

Both get exact gradients (ours from the expression's AD, SciPy's from SymPy) and the same
stopping rule: the projected gradient ||P(x - g) - x||_inf <= tolerance * max(1, |f|) for
ours, and for SciPy pgtol = tolerance * max(1, |f*|) (f* the reference or, in the box,
the better of the two final values) with ftol = 0, so neither stops on a stalled f first;
memory 10 for both, as SciPy's default. A function evaluation is one f-and-gradient
call (SciPy's nfev; our f_evals). Only problems where both end within 1e-6 * max(1, |f|)
of the same value count in the totals; the others are listed.
"""
import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import warnings

warnings.filterwarnings("ignore", category=RuntimeWarning)


def smooth_problems(folder):
    path = os.path.join(folder, "smooth", "functions.tsv")
    out = []
    with open(path) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            n = int(r["n"])
            x0 = [float(v) for v in r["x0"].split(",")]
            names = [f"x{i + 1}" for i in range(n)]
            for box in (None, 2.0):
                if box is None:
                    variables = "[" + ", ".join(names) + "]"
                    start = x0
                    label = r["name"]
                else:
                    variables = "{" + ", ".join(f"{v}: [-{box}, {box}]" for v in names) + "}"
                    start = [min(max(v, -box), box) for v in x0]
                    label = r["name"] + "_box"
                text = (f"kind: nlp\nname: {label}\nminimize: \"{r['expression']}\"\nvariables: {variables}\n"
                        f"start: {{{', '.join(f'{v}: {s!r}' for v, s in zip(names, start))}}}\n")
                reference = float(r["f_star"]) if box is None and r["f_star"] not in ("", None) else None
                out.append((label, text, reference))
    return out


def nlp_problems(folder):
    nlp = os.path.join(folder, "nlp")
    refs = {}
    with open(os.path.join(nlp, "reference.tsv")) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            refs[r["name"]] = float(r["verified_objective"]) if r["verified_objective"] else None
    out = []
    for name in sorted(refs):
        path = os.path.join(nlp, name + ".yaml")
        if not os.path.exists(path):
            continue
        text = open(path).read()
        if "subject_to" in text:
            continue
        out.append((name, text, refs[name]))
    return out


def ours(lagrange, text, tolerance):
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        proc = subprocess.run([lagrange, "solve", path, "--solver", "native.lbfgsb", "--tolerance", str(tolerance),
                               "--format", "json"], capture_output=True, text=True, timeout=120)
    finally:
        os.unlink(path)
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    evals = max((h.get("f_evals", 0) for h in r.get("history", [])), default=0)
    return r["status"], r.get("objective"), int(evals)


def scipy_run(text, pgtol):
    import numpy as np
    import yaml
    from scipy.optimize import minimize
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
        f.write(text)
        path = f.name
    try:
        scipy_nlp = __import__("scipy-nlp")
        names, symbols, f_expr, sense, bounds, start, constraints = scipy_nlp.load(path)
    finally:
        os.unlink(path)
    import sympy
    F = sympy.lambdify([symbols], f_expr, "numpy")
    G = sympy.lambdify([symbols], [sympy.diff(f_expr, s) for s in symbols], "numpy")
    lo = np.array([-np.inf if b[0] is None else b[0] for b in bounds])
    up = np.array([np.inf if b[1] is None else b[1] for b in bounds])
    x0 = np.clip(np.array(start, dtype=float), lo, up)
    fg = lambda x: (float(F(x)), np.array(G(x), dtype=float))
    r = minimize(fg, x0, jac=True, method="L-BFGS-B", bounds=list(zip(lo, up)),
                 options={"maxcor": 10, "ftol": 0.0, "gtol": pgtol, "maxiter": 100000, "maxfun": 100000})
    return sense * float(r.fun), int(r.nfev), str(r.message)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("data", help="the shared data folder (holds nlp/ and smooth/)")
    p.add_argument("--lagrange", default=".build/release/lagrange")
    p.add_argument("--tolerance", type=float, default=1e-8)
    a = p.parse_args()
    if not os.path.isdir(os.path.join(a.data, "nlp")):
        print(f"{a.data}/nlp not found (the sets live in ../shared/data)", file=sys.stderr)
        sys.exit(2)
    problems = nlp_problems(a.data) + smooth_problems(a.data)
    total_ours = total_scipy = counted = 0
    skipped = []
    print(f"{'problem':32} {'ours':>8} {'scipy':>8}  {'f ours':>22} {'f scipy':>22}  status")
    for name, text, reference in problems:
        status, f_ours, e_ours = ours(a.lagrange, text, a.tolerance)
        scale = max(1.0, abs(reference if reference is not None else (f_ours or 0.0)))
        f_scipy, e_scipy, message = scipy_run(text, a.tolerance * scale)
        target = reference if reference is not None else min(v for v in (f_ours, f_scipy) if v is not None)
        ok = (f_ours is not None and abs(f_ours - target) <= 1e-6 * max(1, abs(target))
              and abs(f_scipy - target) <= 1e-6 * max(1, abs(target)))
        print(f"{name:32} {e_ours:8d} {e_scipy:8d}  {f_ours if f_ours is not None else float('nan'):22.14g} {f_scipy:22.14g}  {status}"
              + ("" if ok else "   (not counted: different end points)"))
        if ok:
            total_ours += e_ours
            total_scipy += e_scipy
            counted += 1
        else:
            skipped.append(name)
    print(f"\ncounted {counted} of {len(problems)}; function evaluations: native.lbfgsb {total_ours}, SciPy L-BFGS-B {total_scipy}, "
          f"ratio {total_ours / max(1, total_scipy):.2f}")
    if skipped:
        print("not counted: " + " ".join(skipped))


if __name__ == "__main__":
    main()
