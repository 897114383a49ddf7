#!/usr/bin/env python3
"""The suite peers with a per-problem time limit, for ratios against run-suite.py.

  python3 Benchmarks/suite/peer.py lp ../shared/data/lp-suite --time-limit 60 > out/highs-lp.tsv
  python3 Benchmarks/suite/peer.py qp ../shared/data/qp-suite --time-limit 60 > out/clarabel-qp.tsv

HiGHS and Clarabel are set up exactly as ../shared/bench/peers.py sets them up (it is
imported for its readers, so ../shared must be there), with two differences: each gets its
own time limit (`time_limit`), equal to the one Lagrange runs under, and OSQP is not run
(`peers.py qp` runs it with 100 000 iterations, minutes per hard problem). Prints TSV
lines: name, peer, seconds, objective, status. Feed them to compare.py.
"""
import argparse
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "shared", "bench"))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("kind", choices=["lp", "qp"])
    p.add_argument("folder")
    p.add_argument("--time-limit", type=float, default=60)
    a = p.parse_args()
    try:
        import peers
    except ImportError:
        print("needs ../shared/bench/peers.py beside the project", file=sys.stderr)
        sys.exit(2)
    if a.kind == "lp":
        highspy = peers.need("highspy")
        tmp = tempfile.mkdtemp()
        try:
            for given in peers.files_of([a.folder], ".mps"):
                f = peers.plain_copy(given, tmp)
                h = highspy.Highs()
                h.setOptionValue("output_flag", False)
                h.setOptionValue("time_limit", a.time_limit)
                h.readModel(f)
                t0 = time.perf_counter()
                h.run()
                t = time.perf_counter() - t0
                status = h.modelStatusToString(h.getModelStatus()).lower().replace(" ", "_")
                obj = h.getInfo().objective_function_value if status == "optimal" else float("nan")
                print(f"{peers.stem(given)}\thighs\t{t:.6f}\t{obj}\t{status}", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        return
    clarabel, np, sp = peers.need("clarabel"), peers.need("numpy"), peers.need("scipy.sparse")
    for f in peers.files_of([a.folder], ".qps"):
        q = peers.read_qps(f)
        A, I = q["A"], sp.identity(q["n"], format="csr")
        P = sp.triu(q["Q"], format="csc")
        fin = np.isfinite
        eq, feq = fin(q["rl"]) & (q["rl"] == q["ru"]), fin(q["lb"]) & (q["lb"] == q["ub"])
        up, lo = fin(q["ru"]) & ~eq, fin(q["rl"]) & ~eq
        vup, vlo = fin(q["ub"]) & ~feq, fin(q["lb"]) & ~feq
        Ac = sp.vstack([A[eq], I[feq], A[up], -A[lo], I[vup], -I[vlo]], format="csc")
        bc = np.concatenate([q["rl"][eq], q["lb"][feq], q["ru"][up], -q["rl"][lo], q["ub"][vup], -q["lb"][vlo]])
        neq = int(eq.sum() + feq.sum())
        cones = [clarabel.ZeroConeT(neq)] if neq else []
        cones += [clarabel.NonnegativeConeT(len(bc) - neq)] if len(bc) > neq else []
        s = clarabel.DefaultSettings()
        s.verbose = False
        s.tol_gap_abs = s.tol_gap_rel = s.tol_feas = 1e-8
        s.time_limit = a.time_limit
        t0 = time.perf_counter()
        sol = clarabel.DefaultSolver(P, q["c"], Ac, bc, cones, s).solve()
        t = time.perf_counter() - t0
        status = str(sol.status).lower()
        print(f"{peers.stem(f)}\tclarabel\t{t:.6f}\t{peers.qp_value(q, sol.x, status)}\t{status}", flush=True)


if __name__ == "__main__":
    main()
