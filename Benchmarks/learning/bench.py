#!/usr/bin/env python3
"""Learning benchmark (issue #20): Lagrange against scikit-learn on ../shared/data/learning.

    python3 Benchmarks/learning/bench.py [SHARED_DIR] [--lagrange PATH] [--repeat N]

Reads the problem files and reference.tsv of SHARED_DIR (default
../shared/data/learning, i.e. /work/shared/data/learning); says so and exits when the
folder is absent. scikit-learn, numpy and threadpoolctl are needed only here
(`pip install scikit-learn threadpoolctl`); they are never a project dependency.

1. Full batch: the median of N fit() times of LogisticRegression(lbfgs) / Ridge(cholesky),
   with the λ mapping of reference.tsv (C = 1/(nλ), alpha = nλ), one BLAS thread, both at
   the reference's tol=1e-12 and at scikit-learn's loosest tol (from its default 1e-4 down to 1e-12) whose
   fit meets the acceptance gap 1e-6·max(1, |f*|), against the median of N
   `lagrange solve FILE --format json --in-process` solve times (the JSON `seconds`,
   which like fit() excludes reading the data) of native.lbfgs (the default). Also the
   gap |f − f*|/max(1, |f*|) each reaches (sklearn's f is evaluated with the reference
   objective).
2. SGD family: native.sgd and native.adam, 20 epochs with averaging, against
   sgd_20_epochs_objective (the settings are those of Tests/LearningTests).
"""
import json, os, subprocess, sys, time, statistics, argparse

parser = argparse.ArgumentParser()
parser.add_argument("shared", nargs="?", default=os.path.join(os.path.dirname(__file__), "../../../shared/data/learning"))
parser.add_argument("--lagrange", default=os.path.join(os.path.dirname(__file__), "../../.build/release/lagrange"))
parser.add_argument("--repeat", type=int, default=5)
args = parser.parse_args()
shared = os.path.abspath(args.shared)
if not os.path.isfile(os.path.join(shared, "reference.tsv")):
    print(f"no learning data at {shared} (reference.tsv absent): nothing to benchmark")
    sys.exit(0)

import numpy as np
from threadpoolctl import threadpool_limits
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.datasets import load_svmlight_file

rows = []
with open(os.path.join(shared, "reference.tsv")) as f:
    header = f.readline().rstrip("\n").split("\t")
    for line in f:
        rows.append(dict(zip(header, line.rstrip("\n").split("\t"))))

def objective(model, lam, X, y, W, b):
    z = X @ W + b
    if model == "linear":
        loss = 0.5 * (z[:, 0] - y) ** 2
    elif model == "logistic":
        yy = np.where(y > 0, 1.0, -1.0)
        loss = np.logaddexp(0, -yy * z[:, 0])
    else:
        m = z.max(axis=1, keepdims=True)
        lse = (m + np.log(np.exp(z - m).sum(axis=1, keepdims=True)))[:, 0]
        loss = lse - z[np.arange(len(y)), y.astype(int)]
    return loss.mean() + 0.5 * lam * (W ** 2).sum()

def sklearn_fit(row, X, y, tol):
    n, lam = X.shape[0], float(row["lambda"])
    if row["model"] == "linear":
        est = Ridge(alpha=n * lam, solver="cholesky")
    else:
        kw = {} if tol is None else {"tol": tol}
        est = LogisticRegression(C=1 / (n * lam), solver="lbfgs", max_iter=100000, **kw)
    times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        est.fit(X, y)
        times.append(time.perf_counter() - t)
    coef = np.atleast_2d(est.coef_).T
    intercept = np.atleast_1d(est.intercept_)
    if row["model"] == "logistic":
        pass
    f = objective(row["model"], lam, X, y, coef, intercept)
    return statistics.median(times), f

def lagrange(path, solver, options=(), repeat=1):
    cmd = [args.lagrange, "solve", path, "--solver", solver, "--format", "json", "--in-process"]
    for o in options:
        cmd += ["-o", o]
    seconds, result = [], None
    for _ in range(repeat):
        out = subprocess.run(cmd, capture_output=True, text=True)
        result = json.loads(out.stdout.splitlines()[0])
        seconds.append(result["seconds"])
    return statistics.median(seconds), result

print(f"machine: {os.uname().nodename}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}; "
      f"scikit-learn {__import__('sklearn').__version__}, numpy {np.__version__}, one BLAS thread; lagrange {args.lagrange}")
print("\n## Full batch (median of %d)\n" % args.repeat)
print("| problem | n × d × K | sklearn tol=1e-12 s | gap | sklearn loosest tol meeting 1e-6 | s | gap | native.lbfgs s | gap | ratio vs tol=1e-12 | ratio vs loosest |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
with threadpool_limits(limits=1):
    for row in rows:
        if row["model"] == "hinge":
            continue
        name, fstar = row["problem"], float(row["f_star"])
        train = [l.split(":", 1)[1].split("#")[0].strip() for l in open(os.path.join(shared, name + ".yaml")) if l.startswith("train:")][0]
        X, y = load_svmlight_file(os.path.join(shared, train), n_features=int(row["d"]))
        X = X.toarray()
        scale = max(1.0, abs(fstar))
        t_tight, f_tight = sklearn_fit(row, X, y, 1e-12)
        # The loosest tol whose fit meets the acceptance gap 1e-6·max(1, |f*|): the time
        # scikit-learn needs for the accuracy asked of native.lbfgs.
        t_default, f_default, tol_used = None, None, None
        for tol in [None, 1e-5, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-11, 1e-12]:
            t_default, f_default = sklearn_fit(row, X, y, tol)
            tol_used = tol
            if abs(f_default - fstar) <= 1e-6 * scale:
                break
        t_ours, res = lagrange(os.path.join(shared, name + ".yaml"), "native.lbfgs", repeat=args.repeat)
        k = row["classes"] if row["model"] == "softmax" else "1"
        print(f"| {name} | {row['n_train']} × {row['d']} × {k} | {t_tight:.4g} | {abs(f_tight - fstar) / scale:.1e} | {'default (1e-4)' if tol_used is None else tol_used} | {t_default:.4g} | "
              f"{abs(f_default - fstar) / scale:.1e} | {t_ours:.4g} | {abs(res['objective'] - fstar) / scale:.1e} | "
              f"{t_ours / t_tight:.2f} | {t_ours / t_default:.2f} |", flush=True)

# Per-problem settings of Tests/LearningTests (20 epochs, averaging from epoch 6, seed 0).
sgd = {"iris_softmax_l2_1e-2": ["learning_rate=0.2"]}
adam = {
    "breast_cancer_logistic_l2_1e-2": ["learning_rate=0.01"], "breast_cancer_logistic_l2_1e-4": ["learning_rate=0.03"],
    "breast_cancer_hinge_l2_1e-2": ["learning_rate=0.01"], "diabetes_linear_l2_1e-2": ["learning_rate=1"],
    "diabetes_linear_l2_1e-4": ["learning_rate=1"], "wine_softmax_l2_1e-2": ["learning_rate=0.01"],
    "iris_softmax_l2_1e-2": ["learning_rate=0.03", "schedule=constant"], "iris_softmax_l2_1e-4": ["learning_rate=0.1", "schedule=constant"],
    "digits_softmax_l2_1e-2": ["learning_rate=0.01"],
    "synth_linear_linear_l2_1e-2": ["learning_rate=0.003", "decay_steps=10000"],
    "synth_linear_linear_l2_1e-4": ["learning_rate=0.003", "decay_steps=10000"],
}
print("\n## SGD family: 20 epochs, averaging from epoch 6, seed 0 (gap = (f − f*)/|f*|)\n")
print("| problem | reference SGD gap | native.sgd gap | s | native.adam gap | s | both ≤ reference | both ≤ 1% where reference is |")
print("|---|---|---|---|---|---|---|---|")
for row in rows:
    name, fstar, ref = row["problem"], float(row["f_star"]), float(row["sgd_20_epochs_objective"])
    base = ["max_iterations=20", "average=true", "average_start=5"]
    path = os.path.join(shared, name + ".yaml")
    t1, r1 = lagrange(path, "native.sgd", base + sgd.get(name, []))
    t2, r2 = lagrange(path, "native.adam", base + adam.get(name, []))
    g0, g1, g2 = [(v - fstar) / abs(fstar) for v in (ref, r1["objective"], r2["objective"])]
    beats = r1["objective"] <= ref and r2["objective"] <= ref
    within = g0 > 0.01 or (g1 <= 0.01 and g2 <= 0.01)
    print(f"| {name} | {100 * g0:.4f}% | {100 * g1:.4f}% | {t1:.3f} | {100 * g2:.4f}% | {t2:.3f} | {'yes' if beats else 'NO'} | {'yes' if within else 'NO'} |", flush=True)
