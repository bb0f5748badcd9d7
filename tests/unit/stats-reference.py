#!/usr/bin/python3
"""Independent reference for tests/unit/test-stats.c.

The expected values in test-stats.c were printed by this script. It shares
no code with stats.c: numpy computes the descriptive statistics and
percentiles (numpy's default "linear" method), and the bootstrap is the
plain textbook loop (draw indices, build the resample, sort it, take
numpy's median) rather than stats.c's counting shortcut. Only the random
stream is shared by design, since a seeded interval can only be checked
against the same draws: splitmix64 seeded with STATS_SEED, indices drawn
without modulo bias by rejection.

    /usr/bin/python3 tests/unit/stats-reference.py   (needs python3-numpy)
"""
import numpy as np

SEED = 20241001
ROUNDS = 2000
M64 = (1 << 64) - 1


class Rng:
    def __init__(self, seed):
        self.state = seed

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & M64
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def below(self, n):
        threshold = ((1 << 64) - n) % n
        while True:
            v = self.next()
            if v >= threshold:
                return v % n


def resample_median(rng, clusters):
    """One bootstrap median: processes with replacement, then values within
    each drawn process; one process is plain resampling of its values."""
    clusters = [sorted(c) for c in clusters if len(c)]
    if len(clusters) == 1:
        s = clusters[0]
        draw = [s[rng.below(len(s))] for _ in s]
    else:
        draw = []
        for _ in clusters:
            c = clusters[rng.below(len(clusters))]
            draw += [c[rng.below(len(c))] for _ in c]
    return float(np.median(draw))


def ci_median(clusters):
    rng = Rng(SEED)
    est = [resample_median(rng, clusters) for _ in range(ROUNDS)]
    return np.percentile(est, [2.5, 97.5])


def ci_ratio(a, b):
    rng = Rng(SEED)
    est = []
    for _ in range(ROUNDS):
        x = resample_median(rng, a)
        y = resample_median(rng, b)
        est.append(x / y)
    return np.percentile(est, [2.5, 97.5])


def describe(name, clusters):
    x = np.concatenate([np.asarray(c, float) for c in clusters])
    med = np.median(x)
    mad = np.median(np.abs(x - med))
    out = int(np.sum(np.abs(x - med) > 3 * 1.4826 * mad)) if mad > 0 else 0
    print(f"{name}: n {len(x)} mean {x.mean()!r} median {med!r}")
    print(f"  stdev {x.std(ddof=1)!r} mad {mad!r} min {x.min()!r} max {x.max()!r}")
    p = np.percentile(x, [50, 95, 99])
    print(f"  p50 {p[0]!r} p95 {p[1]!r} p99 {p[2]!r} cv {x.std(ddof=1) / x.mean()!r}")
    print(f"  outliers {out}")
    full = [c for c in clusters if len(c)]
    if len(full) > 1:
        means = [np.mean(c) for c in full]
        within = sum(((np.asarray(c) - np.mean(c)) ** 2).sum() for c in full)
        dof = sum(len(c) - 1 for c in full)
        print(f"  cv_between {np.std(means, ddof=1) / x.mean()!r}"
              f" cv_within {np.sqrt(within / dof) / x.mean()!r}")
    lo, hi = ci_median(clusters)
    print(f"  ci {lo!r} {hi!r}")


# Vectors shared with test-stats.c
ODD = [2, 4, 4, 4, 5, 5, 7, 10, 100]
EVEN = [12.1, 11.9, 12.4, 13.0, 12.2, 11.7, 12.8, 12.0, 15.2, 12.3]
SEQ = list(range(1, 101))
RATIO_A, RATIO_B = [10, 20, 30, 18, 100], [4, 5, 6, 5.5, 4.5]
# three probe processes of five samples each (ns), the second one slower:
# between-process spread larger than the spread inside a process
PROCS = [
    [1000.0, 1004.0, 998.0, 1001.0, 1003.0],
    [1040.0, 1043.0, 1038.0, 1041.0, 1045.0],
    [1012.0, 1010.0, 1015.0, 1011.0, 1013.0],
]
# one-thread and two-thread samples of a weak-scaling workload
T1 = [[100.0, 101.0, 99.0], [102.0, 100.0, 103.0]]
T2 = [[120.0, 118.0, 121.0], [119.0, 125.0, 122.0]]

if __name__ == "__main__":
    describe("odd", [ODD])
    describe("even", [EVEN])
    describe("seq", [SEQ])
    describe("procs", PROCS)
    describe("procs pooled as one process", [sum(PROCS, [])])
    r = np.median(RATIO_A) / np.median(RATIO_B)
    print("ratio", r, *ci_ratio([RATIO_A], [RATIO_B]))
    t1 = np.median(sum(T1, []))
    t2 = np.median(sum(T2, []))
    lo, hi = ci_ratio(T1, T2)
    print(f"weak speedup x2: {t1 * 2 / t2!r} ci {lo * 2!r} {hi * 2!r}"
          f" efficiency {t1 / t2!r}")
    print(f"strong speedup x2: {t1 / t2!r} ci {lo!r} {hi!r}"
          f" efficiency {t1 / t2 / 2!r}")
