#!/usr/bin/env python3
"""native.kaczmarz against SciPy's LSQR on a dense consistent 20000 x 200 system
(docs/benchmarks-kaczmarz.md section 5), back to back in one session.

    python3 Benchmarks/kaczmarz-bench/dense_vs_lsqr.py [LAGRANGE ...] [--rounds N] [--dir DIR]

(several LAGRANGE binaries, e.g. before and after a change, take turns in each round;
OPENBLAS_NUM_THREADS=1 in the environment gives LSQR one core, as native.kaczmarz has).

Writes the instance once (numpy default_rng(5): A Gaussian 20000 x 200, x_true Gaussian,
b = A x_true; MatrixMarket array files and a YAML problem with stop: error, tolerance
1e-6, seed 1) and then alternates, per round, one `lagrange solve --in-process --format
json` (its JSON `seconds`: the solve only, reading excluded) with one LSQR solve of the
same system (atol = btol = 1e-6, A in Fortran and in C order, time.perf_counter around
scipy.sparse.linalg.lsqr only). Prints per-round times, medians, the relative errors
reached and the ratios, and the load average before and after.
"""
import argparse, json, os, subprocess, sys, time
import numpy as np
from scipy.sparse.linalg import lsqr

ap = argparse.ArgumentParser()
ap.add_argument("lagrange", nargs="*", default=[".build/release/lagrange"])
ap.add_argument("--rounds", type=int, default=7)
ap.add_argument("--dir", default="/tmp/kaczmarz-dense-20000x200")
args = ap.parse_args()

m, n = 20000, 200
rng = np.random.default_rng(5)
A = rng.standard_normal((m, n))
x_true = rng.standard_normal(n)
b = A @ x_true

os.makedirs(args.dir, exist_ok=True)
yaml = os.path.join(args.dir, "dense.yaml")
if not os.path.exists(yaml):
    def write_array(path, M):
        M = np.atleast_2d(M)
        with open(path, "w") as f:
            f.write("%%%%MatrixMarket matrix array real general\n%d %d\n" % M.shape)
            np.savetxt(f, M.flatten(order="F"), fmt="%.17g")
    write_array(os.path.join(args.dir, "A.mtx"), A)
    write_array(os.path.join(args.dir, "b.mtx"), b.reshape(-1, 1))
    write_array(os.path.join(args.dir, "x_true.mtx"), x_true.reshape(-1, 1))
    with open(yaml, "w") as f:
        f.write("kind: linear-system\nname: dense-20000x200\nsolver: native.kaczmarz\n"
                "A: A.mtx\nb: b.mtx\nx_true: x_true.mtx\n"
                "options:\n  seed: 1\n  stop: error\n  tolerance: 1e-6\n")

def ours(binary):
    out = subprocess.run([binary, "solve", "--in-process", "--format", "json", yaml],
                         capture_output=True, text=True)
    line = json.loads(out.stdout.splitlines()[0])
    return line["seconds"], line

A_f = np.asfortranarray(A)
A_c = np.ascontiguousarray(A)
def theirs(M):
    t = time.perf_counter()
    r = lsqr(M, b, atol=1e-6, btol=1e-6)
    dt = time.perf_counter() - t
    return dt, np.linalg.norm(r[0] - x_true) / np.linalg.norm(x_true), r[2]

theirs(A_f); theirs(A_c)  # warm-up (BLAS threads, caches)
print("load before:", " ".join("%.2f" % v for v in os.getloadavg()),
      "OPENBLAS_NUM_THREADS=%s" % os.environ.get("OPENBLAS_NUM_THREADS", "(unset)"))
o = {b_: [] for b_ in args.lagrange}
f, c, lines = [], [], {}
for k in range(args.rounds):
    parts = []
    for b_ in args.lagrange:
        s, lines[b_] = ours(b_); o[b_].append(s)
        parts.append("%s %.4f s" % (b_, s))
    tf, ef, itf = theirs(A_f); f.append(tf)
    tc, ec, itc = theirs(A_c); c.append(tc)
    print("round %d: %s  lsqr(F) %.4f s  lsqr(C) %.4f s" % (k + 1, "  ".join(parts), tf, tc))
print("load after:", " ".join("%.2f" % v for v in os.getloadavg()))
med = lambda v: float(np.median(v))
print("lsqr: %d iterations, relative error %.3g (F) %.3g (C); median %.4f s (F), %.4f s (C)" % (itf, ef, ec, med(f), med(c)))
for b_ in args.lagrange:
    line = lines[b_]
    print("%s: native.kaczmarz %s steps, %s, relative error %s; median %.4f s, ratio %.2fx (F) %.2fx (C); per-round vs F: %s"
          % (b_, line.get("iterations"), line.get("status"), line.get("relative_error"), med(o[b_]),
             med(o[b_]) / med(f), med(o[b_]) / med(c), " ".join("%.2f" % (a / t) for a, t in zip(o[b_], f))))
