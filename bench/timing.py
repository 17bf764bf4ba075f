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


def tree_memory(pid: int) -> tuple[int, int, int]:
    """Memory (bytes) of a process and all its descendants, from /proc: RSS and PSS of those in the process's
    own session, and the PSS of the detached ones (in a session of their own, as kgtools' store builder).

    RSS counts a shared library once per process that maps it; PSS shares it out between them.
    """
    import os

    rss = pss = detached = 0
    session = os.getsid(pid)
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            own = os.getsid(current) == session
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                for line in rollup:
                    if line.startswith("Rss:") and own:
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        if own:
                            pss += int(line.split()[1]) * 1024
                        else:
                            detached += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except OSError:  # the process ended meanwhile
            continue
    return rss, pss, detached


class PeakMemory:
    """Samples :func:`tree_memory` of a process tree in a thread; :meth:`stop` returns the peaks (RSS, PSS of the
    process's session; PSS with the detached processes too)."""

    def __init__(self, pid: int, interval: float = 0.02):
        import threading

        self.pid, self.interval, self.peak, self.running = pid, interval, (0, 0, 0), True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while self.running:
            rss, pss, detached = tree_memory(self.pid)
            self.peak = (max(self.peak[0], rss), max(self.peak[1], pss), max(self.peak[2], pss + detached))
            time.sleep(self.interval)

    def stop(self) -> tuple[int, int, int]:
        self.running = False
        self.thread.join(5)
        return self.peak
