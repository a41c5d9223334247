"""Timing helpers for the benchmarks: interleaved runs, medians, ratios from one process."""
import statistics
import time
import tracemalloc


def interleaved_medians(candidates, repeats=30, warmup=3):
    """Run each zero-argument callable ``repeats`` times, interleaved; return median seconds per name.

    Interleaving makes a shared machine's noise fall on every candidate alike.
    """
    for fn in candidates.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(ts) for name, ts in times.items()}


def peak_memory(fn):
    """Peak bytes allocated (numpy reports its buffers to tracemalloc) while ``fn`` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
