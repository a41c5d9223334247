"""Timing helpers for the benchmarks: interleaved runs, medians, ratios from one process."""
import resource
import statistics
import time
import tracemalloc


def interleaved_times(candidates, repeats=30, warmup=3):
    """Time each zero-argument callable ``repeats`` times, interleaved; return ``{name: [seconds, ...]}``.

    Interleaving makes a shared machine's noise fall on every candidate alike, and the order flips every
    round, since a candidate's place in the round biases it: two copies of one engine A/B'd in a fixed
    order read 0.972-0.976 on the tiny step, the later one faster. Each timed call comes
    right after an untimed call of the same callable, as in a training loop, which repeats one step:
    otherwise the heap one candidate leaves behind is the wrong shape for the next, and glibc's
    malloc hands memory back to the OS and faults it in again (we measured 500-1,500 page faults per
    MLP step, up to 1.5x its time, falling on whichever step was unlucky).
    """
    for fn in candidates.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in candidates}
    forward = list(candidates.items())
    orders = (forward, forward[::-1])
    for round in range(repeats):
        for name, fn in orders[round % 2]:
            fn()
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return times


def interleaved_medians(candidates, repeats=30, warmup=3):
    """Median seconds per name of :func:`interleaved_times`."""
    return {name: statistics.median(ts) for name, ts in interleaved_times(candidates, repeats, warmup).items()}


def paired_ratio(times, name, baseline):
    """The ratio of ``name``'s time to ``baseline``'s, round by round (runs next to each other in time,
    so a slow spell of the machine cancels out): its median and its quartiles (q1, median, q3)."""
    ratios = sorted(t / b for t, b in zip(times[name], times[baseline]))
    q1, median, q3 = statistics.quantiles(ratios, n=4)
    return q1, median, q3


def print_ratios(times, pairs):
    """Print each ``(name, baseline)`` pair's :func:`paired_ratio` with its quartiles, one line each."""
    for name, baseline in pairs:
        q1, ratio, q3 = paired_ratio(times, name, baseline)
        print(f"  {name}/{baseline}: {ratio:.3f}x (quartiles {q1:.3f}-{q3:.3f})")


def page_faults(candidates, repeats=20):
    """Median minor page faults per call of each callable, interleaved as :func:`interleaved_times`
    does (each counted call after an uncounted one).

    Each fault is memory the OS hands out afresh (malloc gave pages back and takes them again); on a
    VM a fault costs about a microsecond. A steady training step should have none.
    """
    counts = {name: [] for name in candidates}
    for _ in range(repeats):
        for name, fn in candidates.items():
            fn()
            before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
            fn()
            counts[name].append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
    return {name: statistics.median(c) for name, c in counts.items()}


def peak_memory(fn):
    """Peak bytes allocated (numpy reports its buffers to tracemalloc) while ``fn`` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
