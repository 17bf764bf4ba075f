"""The query command cold, and the endpoint's throughput, each against its floor measured side by side in one run.

Run: .venv/bin/python bench/bench_endpoint.py [--hpo PATH/hp.obo] [--rounds 3] [--requests 600] [--clients 8]
     [--workers N] [--on-disk] [--only cold|ontology|hpo]

1. Cold ``kgtools query forms`` (the Oxigraph engine, the packaged ontology): the wall time of the whole
   process, against Python opening the same data with pyoxigraph and running the same query (the floor),
   in alternate runs; once parsed in memory (the default for a small input), once from a persistent
   store (``--store``, built beforehand; the floor opens it with ``Store.read_only``). Python writes and
   reads its bytecode caches here, as for an installed program.
2. The engine alone, in one process: every stored query (median of three runs each) on the dataset in
   memory, as ``kgtools serve``'s keeper loads it, and on its persistent store, as the workers open it
   beyond the memory limit.
3. ``kgtools serve`` against ``oxigraph serve-read-only`` (the ``oxigraph`` binary of the PyPI package
   ``oxigraph``, same version as pyoxigraph; its store loaded once with ``oxigraph load``) on the same data,
   each server as a user starts it (kgtools: the dataset in memory, within its default memory limit, or
   ``--memory-limit 0``, from its persistent store, built beforehand; a worker for each core, ``--workers``;
   no row limit and a long time limit, since Oxigraph's server has none): the packaged ontology, and the HPO-merged
   graph (``kgtools merge`` of the full HPO beside the repository, ``../shared/reference/hp.obo``, when it
   is there). The same client for both: ``--clients`` keep-alive connections (two threads in each of
   several processes) sharing ``--requests`` requests, SPARQL JSON (N-Triples for a graph) asked. Distinct queries: the stored
   queries (default parameters bound) in turn, each text made unique by a comment, so that no kept answer
   helps and every one is parsed and run; then one query repeated (``forms``). Rounds alternate between
   the servers; the median of ``--rounds`` is shown, with the load average.
"""

import argparse
import hashlib
import http.client
import multiprocessing
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from bench_serve import merged_graph, reads_store

ROOT = Path(__file__).resolve().parents[1]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
FLOOR_MEMORY = """import sys, pyoxigraph as ox
store = ox.Store()
store.load(path=sys.argv[1], format=ox.RdfFormat.TURTLE)
print(len(list(store.query(open(sys.argv[2]).read()))))
"""
FLOOR_STORE = """import sys, pyoxigraph as ox
store = ox.Store.read_only(sys.argv[1])
print(len(list(store.query(open(sys.argv[2]).read()))))
"""
#: SPARQL JSON results for SELECT and ASK, N-Triples for CONSTRUCT and DESCRIBE, from both servers.
ACCEPT = "application/sparql-results+json, application/n-triples;q=0.9"
#: How many times each server runs every query of the mix before the rounds.
WARM = 3
#: The query sent over and over (its answer kept by kgtools serve after the first time).
REPEATED = "forms"


def stored_texts() -> dict[str, str]:
    """The SPARQL text of each stored query, its default parameters bound as they are on the endpoint."""
    from kgtools.ontology import Ontology
    from kgtools.sparql.query import _as_lists, bind_parameters, catalog, insert_values

    onto = Ontology.load()
    return {name: insert_values(query.text, _as_lists(bind_parameters(onto, query, {})))
            for name, query in catalog().items()}


def load_average() -> str:
    return " / ".join(f"{figure:.1f}" for figure in os.getloadavg())


# --------------------------------------------------------------------------- 1. the cold command
def wall(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=ENV, cwd=ROOT)
    return time.perf_counter() - start


def cold_command(runs: int) -> None:
    from kgtools.resources import data_dir, ontology_path
    from kgtools.store import persistent_store, wait_for_store

    query = data_dir("queries") / "forms.rq"
    kgtools = str(Path(sys.executable).parent / "kgtools")
    with tempfile.TemporaryDirectory() as cache:
        subprocess.run([kgtools, "query", "forms", "--store", cache], stdout=subprocess.DEVNULL, check=True, env=ENV)
        location = persistent_store([ontology_path()], cache)
        assert wait_for_store(location), "the persistent store was not built"
        pairs = {
            "in memory (the default)": ([kgtools, "query", "forms"],
                                        [sys.executable, "-c", FLOOR_MEMORY, str(ontology_path()), str(query)]),
            "from a persistent store": ([kgtools, "query", "forms", "--store", cache],
                                        [sys.executable, "-c", FLOOR_STORE, str(location), str(query)]),
        }
        print(f"\ncold `kgtools query forms` against pyoxigraph alone, median of {runs} alternate runs; "
              f"load average {load_average()}")
        print(f"{'':26} {'kgtools ms':>10} {'floor ms':>9} {'ratio':>6}")
        for name, (command, floor) in pairs.items():
            wall(command), wall(floor)  # bytecode caches written, files in the page cache
            ours, theirs = [], []
            for _ in range(runs):
                ours.append(wall(command))
                theirs.append(wall(floor))
            ours, theirs = statistics.median(ours), statistics.median(theirs)
            print(f"{name:26} {ours * 1000:10.0f} {theirs * 1000:9.0f} {ours / theirs:6.2f}")
    print(f"load average after: {load_average()}")


# --------------------------------------------------------------------------- 2. the engine alone
def engine_alone(path: Path, work: Path, runs: int = 3) -> None:
    import pyoxigraph as ox

    from kgtools.store import graph_names, load_files, open_store, wait_for_builds

    graphs = graph_names([path], {})
    memory = ox.Store()
    load_files(memory, [path], bulk=False, graphs=graphs)
    cache = work / "kgtools-stores"
    open_store([path], cache, graphs)
    wait_for_builds()
    disk, location = open_store([path], cache, graphs)
    assert location is not None, "no persistent store"
    print(f"\n{path.name}, the engine alone: every stored query, median of {runs} runs; load average {load_average()}")
    print(f"{'':28} {'in memory ms':>12} {'on disk ms':>11} {'ratio':>6}")
    totals = [0.0, 0.0]
    for name, text in sorted(stored_texts().items()):
        row = []
        for store in (memory, disk):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                result = store.query(text)
                if isinstance(result, ox.QuerySolutions):
                    result.serialize(format=ox.QueryResultsFormat.JSON)
                elif isinstance(result, ox.QueryTriples):
                    result.serialize(format=ox.RdfFormat.N_TRIPLES)
                times.append(time.perf_counter() - start)
            row.append(statistics.median(times))
        totals = [totals[0] + row[0], totals[1] + row[1]]
        print(f"{name:28} {row[0] * 1000:12.1f} {row[1] * 1000:11.1f} {row[1] / row[0]:6.2f}")
    print(f"{'all':28} {totals[0] * 1000:12.1f} {totals[1] * 1000:11.1f} {totals[1] / totals[0]:6.2f}")


# --------------------------------------------------------------------------- 3. the endpoint under load
def _client(port: int, path: str, texts: list[str], results) -> None:
    """One keep-alive connection sending ``texts`` one after the other; puts (answered, failures)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    answered, failures = 0, []
    for text in texts:
        try:
            conn.request("GET", path + "?" + urllib.parse.urlencode({"query": text}),
                         headers={"Accept": ACCEPT})
            response = conn.getresponse()
            body = response.read()
            if response.status == 200 and body:
                answered += 1
            else:
                failures.append(response.status)
        except (OSError, http.client.HTTPException) as err:
            failures.append(repr(err))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.close()
    results.put((answered, failures))


def _client_process(port: int, path: str, shares: list[list[str]], results) -> None:
    threads = [threading.Thread(target=_client, args=(port, path, share, results)) for share in shares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def throughput(port: int, path: str, texts: list[str], clients: int) -> float:
    """Requests per second of ``clients`` keep-alive connections (two threads per client process) sending ``texts``."""
    shares = [texts[i::clients] for i in range(clients)]
    results = multiprocessing.Queue()
    senders = [multiprocessing.Process(target=_client_process, args=(port, path, shares[i:i + 2], results))
               for i in range(0, clients, 2)]
    start = time.perf_counter()
    for sender in senders:
        sender.start()
    answered, failures = 0, []
    for _ in range(clients):
        done, failed = results.get(timeout=600)
        answered += done
        failures += failed
    seconds = time.perf_counter() - start
    for sender in senders:
        sender.join()
    assert not failures and answered == len(texts), failures[:5]
    return answered / seconds


def wait_for(port: int, path: str, limit: float = 900) -> None:
    deadline = time.monotonic() + limit
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path + "?query=ASK%7B%7D")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "the server never answered"
        time.sleep(0.2)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_kgtools(path: Path, cache: Path, workers: int, on_disk: bool):
    """``kgtools serve -i path`` as a user starts it: the dataset in memory, or with ``on_disk``
    (``--memory-limit 0``) from its persistent store (in ``cache``, built by a first serve, as after the first day)."""
    from kgtools.store import PERSIST_BYTES

    persistent = on_disk or path.stat().st_size >= PERSIST_BYTES
    # No row limit and a long time limit: oxigraph serve-read-only has neither. Requests beyond the workers wait
    # in kgtools' queue, where Oxigraph's server starts a thread for each.
    process = subprocess.Popen([sys.executable, "-m", "kgtools.cli", "serve", "--port", "0", "-i", str(path),
                                *(["--store", str(cache)] if persistent else []),
                                *(["--memory-limit", "0"] if on_disk else []), "--max-rows", "100000000",
                                "--timeout", "600", "--workers", str(workers)],
                               stderr=subprocess.PIPE, text=True, env=ENV)
    line = process.stderr.readline()
    match = re.search(r":(\d+)/", line)
    if not match:
        process.kill()
        raise SystemExit(f"kgtools serve did not start: {line}{process.stderr.read()}")
    port = int(match.group(1))
    wait_for(port, "/sparql")
    deadline = time.monotonic() + 1800
    # The workers read the persistent store, as after the first serve; or, in memory, they have left it (a built
    # store answers first, while the keeper parses the dataset).
    while persistent and reads_store(process.pid, cache) != on_disk:
        assert time.monotonic() < deadline, "the workers never moved to where they read for good"
        time.sleep(0.5)
    return process, port


def start_oxigraph(path: Path, location: Path):
    """``oxigraph serve-read-only`` on a store at ``location`` loaded from ``path``, reloaded when the file changed."""
    binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or shutil.which("oxigraph")
    marker = location / "kgtools-bench-loaded"  # holds the SHA-256 of the file the store was loaded from
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if not marker.exists() or marker.read_text() != digest:
        shutil.rmtree(location, ignore_errors=True)
        fmt = "ttl" if path.suffix == ".ttl" else "rdf"
        subprocess.run([binary, "load", "--location", str(location), "--file", str(path), "--format", fmt],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        marker.write_text(digest)
    port = free_port()
    process = subprocess.Popen([binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(port, "/query")
    return process, port


def compare_servers(name: str, path: Path, work: Path, rounds: int, requests: int, clients: int, workers: int,
                    on_disk: bool) -> None:
    texts = stored_texts()
    mix = sorted(texts.values())
    servers = {"kgtools serve": start_kgtools(path, work / "kgtools-stores", workers, on_disk) + ("/sparql",),
               "oxigraph serve-read-only": start_oxigraph(path, work / f"oxigraph-{path.stem}") + ("/query",)}
    figures: dict = {(server, kind): [] for server in servers for kind in ("distinct", "repeated")}
    try:
        for _, port, route in servers.values():  # each server warm (its caches, kgtools' in each worker)
            throughput(port, route, [text + f"\n# warm {n}" for n, text in enumerate(mix * WARM)], clients)
        for round_ in range(rounds):
            for server, (_, port, route) in servers.items():
                distinct = [mix[n % len(mix)] + f"\n# {round_} {server} {n}" for n in range(requests)]
                figures[server, "distinct"].append(throughput(port, route, distinct, clients))
                figures[server, "repeated"].append(throughput(port, route, [texts[REPEATED]] * requests, clients))
    finally:
        for process, _, _ in servers.values():
            process.terminate()
            process.wait(30)
    print(f"\n{name}: {len(mix)} stored queries in turn; {clients} keep-alive clients, {requests} requests a round, "
          f"median of {rounds} alternate rounds; kgtools with {workers} workers, "
          f"{'from its persistent store' if on_disk else 'in memory'}; load average {load_average()}")
    print(f"{'':26} {'kgtools req/s':>14} {'oxigraph req/s':>15} {'ratio':>6}")
    for kind in ("distinct", "repeated"):
        ours = statistics.median(figures["kgtools serve", kind])
        theirs = statistics.median(figures["oxigraph serve-read-only", kind])
        spread = ", ".join(f"{a:.1f}/{b:.1f}" for a, b in zip(figures["kgtools serve", kind],
                                                               figures["oxigraph serve-read-only", kind]))
        print(f"{kind + ' queries':26} {ours:14.1f} {theirs:15.1f} {ours / theirs:6.2f}   (rounds: {spread})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hpo", type=Path, default=ROOT.parent / "shared" / "reference" / "hp.obo")
    parser.add_argument("--runs", type=int, default=15, help="alternate runs of the cold command and its floor")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=len(os.sched_getaffinity(0)),
                        help="kgtools serve's workers (default: one for each core this process may use)")
    parser.add_argument("--on-disk", action="store_true", help="kgtools serve --memory-limit 0: from the persistent store")
    parser.add_argument("--only", choices=["cold", "ontology", "hpo"], help="one part of the benchmark")
    args = parser.parse_args()
    from kgtools.resources import ontology_path

    work = Path(tempfile.gettempdir()) / "kgtools-bench-endpoint"
    work.mkdir(exist_ok=True)
    if args.only in (None, "cold"):
        cold_command(args.runs)
    if args.only in (None, "ontology"):
        compare_servers("the packaged ontology", ontology_path(), work, args.rounds, args.requests, args.clients,
                        args.workers, args.on_disk)
    if args.only in (None, "hpo"):
        if args.hpo.exists():
            engine_alone(merged_graph(args.hpo), work)
            compare_servers("the HPO-merged graph", merged_graph(args.hpo), work, args.rounds, args.requests,
                            args.clients, args.workers, args.on_disk)
        else:
            print(f"\nno {args.hpo}: the HPO-merged graph is skipped")


if __name__ == "__main__":
    main()
