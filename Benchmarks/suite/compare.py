#!/usr/bin/env python3
"""Ratios of a run-suite.py TSV against a peer's times from the same session.

  python3 Benchmarks/suite/compare.py ../shared/data/lp-suite out/lp-suite.tsv \
      --peer out/peers-lp.log [--peer more.log] --peer-name highs --limit 20

The peer logs are peers.py tables (name, peer, seconds, objective, note) or TSV lines
(name, peer, seconds, objective, status); only rows whose peer column is --peer-name are
read. A problem counts as solved by the peer when its objective is within
1e-6·max(1, |expected|) of reference.tsv's expected_objective and its time is within the
limit. Prints, per solver in the TSV: solved counts, the shifted geometric mean (shift
10 ms, failures at the limit) and its ratio to the peer's, the geometric-mean ratio over
the problems both solve, and which problems only one of them solves.
"""
import argparse
import csv
import math
import os


def shifted_geomean(times, shift=0.01):
    return math.exp(sum(math.log(t + shift) for t in times) / len(times)) - shift


def main():
    p = argparse.ArgumentParser()
    p.add_argument("folder")
    p.add_argument("tsv")
    p.add_argument("--peer", action="append", default=[])
    p.add_argument("--peer-name", default="highs")
    p.add_argument("--limit", type=float, default=60)
    a = p.parse_args()
    with open(os.path.join(a.folder, "reference.tsv")) as f:
        ref = {r["name"]: r for r in csv.DictReader(f, delimiter="\t")}
    peer = {}
    for path in a.peer:
        for line in open(path):
            parts = line.replace("\t", " ").split()
            if len(parts) >= 4 and parts[1] == a.peer_name:
                try:
                    peer[parts[0]] = (float(parts[2]), float(parts[3]))
                except ValueError:
                    pass
    runs = {}
    with open(a.tsv) as f:
        for r in csv.DictReader(f, delimiter="\t"):
            runs.setdefault(r["solver"], {})[r["name"]] = (r["solved"] == "True", float(r["seconds"]))
    names = sorted(ref)

    def peer_solved(n):
        if n not in peer:
            return False
        t, obj = peer[n]
        e = float(ref[n]["expected_objective"])
        return t <= a.limit and abs(obj - e) <= 1e-6 * max(1, abs(e))

    peer_times = [peer[n][0] if peer_solved(n) else a.limit for n in names]
    peer_sgm = shifted_geomean(peer_times)
    print(f"{a.peer_name}: solved {sum(map(peer_solved, names))}/{len(names)}, shifted geomean {peer_sgm:.4f} s")
    for solver, d in runs.items():
        times = [d[n][1] if n in d and d[n][0] else a.limit for n in names]
        sgm = shifted_geomean(times)
        both = [n for n in names if n in d and d[n][0] and peer_solved(n)]
        ratios = [(d[n][1] + 0.01) / (peer[n][0] + 0.01) for n in both]
        both_ratio = math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else float("nan")
        print(f"{solver}: solved {sum(1 for n in names if n in d and d[n][0])}/{len(names)}, shifted geomean {sgm:.4f} s, "
              f"ratio {sgm / peer_sgm:.2f}x; on the {len(both)} both solve {both_ratio:.2f}x")
        print(f"  only {a.peer_name}: {[n for n in names if peer_solved(n) and not (n in d and d[n][0])]}")
        print(f"  only {solver}: {[n for n in names if n in d and d[n][0] and not peer_solved(n)]}")


if __name__ == "__main__":
    main()
