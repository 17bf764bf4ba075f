"""The endpoint at scale and under load, each figure against a floor measured in the same run.

Run: .venv/bin/python bench/bench_serve.py [--input merged.owl | --hpo PATH/hp.obo] [--clients 32 --requests 10]

1. ``kgtools serve -i`` the HPO-merged graph (made with ``kgtools merge hp.obo``
   unless ``--input`` names it) with an empty cache: seconds until the first
   answer, and the peak memory of the server with its workers (RSS and PSS
   summed over the processes), against pyoxigraph loading the same file in
   memory in a process of its own (its time from process start to loaded,
   and its peak RSS). Within the memory limit (the default), the dataset stays
   in memory: the PSS once every worker has run every stored query (each
   copies the pages it reads), and a second serve's first answer (from the
   persistent store the first one had built) and the seconds until its
   workers read the dataset in memory. With
   ``--memory-limit 0``: while the detached builder writes the persistent
   store and until the workers read it, the peak PSS with and without that
   builder, and the PSS once moved; then a second serve, which opens that store.
2. ``kgtools serve`` on the packaged ontology: ``--clients`` clients at once,
   each sending ``--requests`` requests of a small stored query on a fresh
   connection; latency percentiles, and connections dropped.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from timing import PeakMemory, tree_memory

from kgtools import store as stores

FLOOR = """import resource, sys, time
import pyoxigraph as ox
start = time.perf_counter()
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.RDF_XML)
print(time.perf_counter() - start, len(store), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
"""
STORED = "/queries/subforms?format=csv"


def merged_graph(hpo: Path) -> Path:
    """The packaged ontology merged into the HPO, made once with ``kgtools merge``."""
    target = Path(tempfile.gettempdir()) / f"kgtools-bench-merged-{hpo.stem}.owl"
    if not target.exists() or target.stat().st_mtime < hpo.stat().st_mtime:
        subprocess.run([sys.executable, "-m", "kgtools.cli", "merge", str(hpo), "-o", str(target)], check=True,
                       stdout=subprocess.DEVNULL)
    return target


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def start_server(*args, env=None):
    """``kgtools serve`` on a free port; returns the process, the port and the peak-memory sampler."""
    process = subprocess.Popen([sys.executable, "-m", "kgtools.cli", "serve", "--port", "0", *args],
                               stderr=subprocess.PIPE, text=True, env=env)
    peak = PeakMemory(process.pid)
    line = process.stderr.readline()
    match = re.search(r":(\d+)/", line)
    if not match:
        process.kill()
        raise SystemExit(f"kgtools serve did not start: {line}{process.stderr.read()}")
    return process, int(match.group(1)), peak


def reads_store(pid: int, cache: Path) -> bool:
    """Whether a process of the server's tree has a file of a persistent store in ``cache`` open."""
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for fd in os.listdir(f"/proc/{current}/fd"):
                target = Path(os.readlink(f"/proc/{current}/fd/{fd}"))
                if target.parent.parent == cache and not target.parent.name.startswith("."):
                    return True
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except OSError:
            continue
    return False


ASK = "/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D"


def every_stored_query(port: int, workers: int) -> None:
    """Every stored query, ``workers`` clients at once, each sending all of them (made distinct by a comment, so
    that none is answered from the kept answers): every worker runs most of them."""
    import urllib.parse

    from bench_endpoint import stored_texts

    texts = sorted(stored_texts().values())

    def client(n: int) -> None:
        for text in texts:
            status, _ = get(port, "/sparql?" + urllib.parse.urlencode({"query": f"{text}\n# {n}"}))
            assert status == 200, status

    running = [threading.Thread(target=client, args=(n,)) for n in range(workers)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()


def serve(path: Path, cache: Path, on_disk: bool, later: bool) -> dict:
    """``kgtools serve -i path`` with ``cache`` as the cache: the seconds to its first answer and the peak memory
    by then; with ``on_disk`` (``--memory-limit 0``), the same as the workers move onto the persistent store built
    meanwhile, else the memory once every worker ran every stored query; with ``later``, the first answer (and,
    in memory, the seconds until the workers leave the persistent store for the dataset in memory)."""
    env = dict(os.environ, XDG_CACHE_HOME=str(cache.parent.parent))
    start = time.perf_counter()
    process, port, peak = start_server("-i", str(path), "--max-rows", "10000000", "--timeout", "600",
                                       *(["--memory-limit", "0"] if on_disk else []), env=env)
    try:
        status, body = get(port, ASK)
        figures = {"seconds": time.perf_counter() - start}
        assert status == 200 and b"true" in body, body
        figures["rss"], figures["pss"], _ = peak.peak
        if not on_disk and not later:
            every_stored_query(port, 3)  # the default two workers for long queries and the one for quick ones
            figures["pss_queried"] = tree_memory(process.pid)[1]
        if later and not on_disk:
            while reads_store(process.pid, cache):
                assert time.perf_counter() - start < 600, "the workers never moved to the dataset in memory"
                time.sleep(0.1)
            figures["moved"] = time.perf_counter() - start
            assert get(port, ASK + "%23again") == (200, body)
            figures["pss_moved"] = tree_memory(process.pid)[1]
        if on_disk and not later:
            while not reads_store(process.pid, cache):
                assert time.perf_counter() - start < 600, "the workers never moved to the persistent store"
                time.sleep(0.1)
            figures["moved"] = time.perf_counter() - start
            assert get(port, ASK + "%23again") == (200, body)
            _, figures["pss_building"], figures["pss_with_builder"] = peak.stop()
            figures["pss_moved"] = tree_memory(process.pid)[1]
        peak.stop()
    finally:
        process.terminate()
        process.wait(30)
    return figures


def first_answer(path: Path) -> None:
    # Both timed from the start of their process: the floor's start-up counts as the server's does.
    start = time.perf_counter()
    _, triples, floor_memory = map(float, subprocess.run(
        [sys.executable, "-c", FLOOR, str(path)], capture_output=True, text=True, check=True).stdout.split())
    floor_seconds = time.perf_counter() - start
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "kgtools" / "stores"  # empty: the first serve is cold
        memory = serve(path, cache, on_disk=False, later=False)
        # The detached builder that serve started puts the persistent store in place before the second serve.
        assert stores.wait_for_store(stores.persistent_store([path], cache, stores.graph_names([path])))
        memory_again = serve(path, cache, on_disk=False, later=True)
    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder) / "kgtools" / "stores"
        cold = serve(path, cache, on_disk=True, later=False)
        warm = serve(path, cache, on_disk=True, later=True)
    print(f"\n{path.name}: {int(triples):,} triples; load average {os.getloadavg()[0]:.1f}")
    print(f"{'':64} {'seconds':>8} {'x load':>7} {'peak MB':>8} {'x load':>7}")
    rows = [("pyoxigraph loads it in memory (the floor)", floor_seconds, floor_memory),
            ("kgtools serve, empty cache: first answer (PSS)", memory["seconds"], memory["pss"]),
            ("  the same, memory as RSS", None, memory["rss"]),
            ("  once every worker ran every stored query (PSS)", None, memory["pss_queried"]),
            ("a second kgtools serve: first answer, from the store (PSS)", memory_again["seconds"], memory_again["pss"]),
            ("  until the workers read the dataset in memory (PSS)", memory_again["moved"], memory_again["pss_moved"]),
            ("kgtools serve --memory-limit 0, empty cache: first answer (PSS)", cold["seconds"], cold["pss"]),
            ("  until the workers read the persistent store (PSS)", cold["moved"], cold["pss_building"]),
            ("  the same, with the detached store builder", None, cold["pss_with_builder"]),
            ("  once the workers read the persistent store (PSS)", None, cold["pss_moved"]),
            ("a second kgtools serve --memory-limit 0: first answer (PSS)", warm["seconds"], warm["pss"])]
    for name, taken, memory in rows:
        timing = f"{taken:8.1f} {taken / floor_seconds:7.1f}" if taken is not None else f"{'':8} {'':7}"
        print(f"{name:64} {timing} {memory / 2**20:8.0f} {memory / floor_memory:7.1f}")


def _client_process(port: int, threads: int, requests: int, expected: bytes, results) -> None:
    """Some of the clients, as threads of one process; puts (latencies, failures) on ``results``."""
    latencies, failures = [], []

    def client():
        for _ in range(requests):
            start = time.perf_counter()
            try:
                status, body = get(port, STORED)
            except OSError as err:
                failures.append(repr(err))
                continue
            latencies.append(time.perf_counter() - start)
            if (status, body) != (200, expected):
                failures.append(status)

    running = [threading.Thread(target=client) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    results.put((latencies, failures))


def many_clients(clients: int, requests: int, processes: int = 4) -> None:
    """``clients`` clients at once, spread over ``processes`` client processes (one Python process's
    threads would measure its own lock as much as the server)."""
    import multiprocessing

    process, port, peak = start_server()
    latencies, failures = [], []
    try:
        status, expected = get(port, STORED)
        assert status == 200
        results = multiprocessing.Queue()
        senders = [multiprocessing.Process(target=_client_process,
                                           args=(port, clients // processes, requests, expected, results))
                   for _ in range(processes)]
        start = time.perf_counter()
        for sender in senders:
            sender.start()
        for _ in senders:
            found, failed = results.get()
            latencies += found
            failures += failed
        wall = time.perf_counter() - start
        for sender in senders:
            sender.join()
        peak.stop()
    finally:
        process.terminate()
        process.wait(30)
    cuts = statistics.quantiles(latencies, n=100)
    print(f"\n{clients} clients x {requests} requests of {STORED} ({processes} client processes)")
    print(f"answered {len(latencies)}, failed or dropped {len(failures)}, {len(latencies) / wall:.0f} requests/s")
    print(f"latency ms: p50 {cuts[49] * 1000:.0f}, p90 {cuts[89] * 1000:.0f}, p99 {cuts[98] * 1000:.0f}, "
          f"max {max(latencies) * 1000:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="an RDF/XML graph to serve (default: the HPO-merged graph)")
    parser.add_argument("--hpo", type=Path, default=Path(__file__).resolve().parents[2] / "shared/reference/hp.obo")
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests", type=int, default=10)
    args = parser.parse_args()
    if args.input or args.hpo.exists():
        first_answer(args.input or merged_graph(args.hpo))
    else:
        print(f"no {args.hpo}: the HPO-merged graph is skipped")
    many_clients(args.clients, args.requests)


if __name__ == "__main__":
    main()
