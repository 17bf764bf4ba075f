"""What the benchmark scripts share: the median wall time of repeated runs.

The scripts are run as ``python bench/bench_NAME.py``, so this module is
found beside them.
"""

import statistics
import time


def median_seconds(action, repeat: int) -> float:
    """The median wall time, in seconds, of ``repeat`` calls of ``action``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_steps(steps: dict, repeat: int) -> None:
    """One line per step: its name and the median of ``repeat`` runs, in milliseconds."""
    width = max(map(len, steps)) + 2
    for name, action in steps.items():
        print(f"{name:<{width}} {median_seconds(action, repeat) * 1000:8.1f} ms")
