"""Reference timings for the drift benchmark (DriftScenario.cs): scipy 1.10 / numpy 1.24 on the same .npy data.

usage: python3 drift_reference.py REFERENCE.npy CURRENT.npy

Each file holds float64 columns, shape (columns, rows). For every column it computes what ControlPlane computes
(docs/drift-statistics.md): ks_2samp (D and p), wasserstein_distance, PSI on the reference deciles with the 1e-4
floor, and the Jensen-Shannon distance (base 2) on the same bins. Prints one JSON object: load and compute seconds,
peak RSS (ru_maxrss) and the figures per column, so the benchmark can check that both sides agree.
"""
import json
import resource
import sys
import time

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp, wasserstein_distance

DECILES = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]


def binned(ref, cur):
    edges = np.unique(np.quantile(ref, DECILES))
    rc = np.bincount(np.searchsorted(edges, ref, side="left"), minlength=len(edges) + 1)
    cc = np.bincount(np.searchsorted(edges, cur, side="left"), minlength=len(edges) + 1)
    p = np.maximum(rc / rc.sum(), 1e-4)
    q = np.maximum(cc / cc.sum(), 1e-4)
    return float(np.sum((q - p) * np.log(q / p))), float(jensenshannon(rc, cc, base=2))


def main():
    start = time.perf_counter()
    reference = np.load(sys.argv[1])
    current = np.load(sys.argv[2])
    loaded = time.perf_counter()
    columns = []
    for ref, cur in zip(reference, current):
        ks = ks_2samp(ref, cur)
        psi, js = binned(ref, cur)
        columns.append({"ks": float(ks.statistic), "p": float(ks.pvalue), "w": float(wasserstein_distance(ref, cur)), "psi": psi, "js": js})
    done = time.perf_counter()
    print(json.dumps({
        "loadSeconds": loaded - start,
        "seconds": done - loaded,
        "peakMiB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "columns": columns,
    }))


if __name__ == "__main__":
    main()
