"""What every benchmark here shares: the median of repeated runs, in milliseconds."""

import statistics
import time


def median_ms(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
