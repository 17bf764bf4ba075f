"""Push throughput: the ontology merged into the full HPO, pushed into Virtuoso 7 and the Oxigraph server.

Run: .venv/bin/python bench/bench_push.py [--hpo PATH/hp.obo] [--chunk-mib N]

Merges the packaged ontology into the HPO (``kgtools merge``, no reasoning),
starts both stores on free loopback ports with new databases (the test
suite's helpers, ``tests/triple_stores.py``), and times ``kgtools.sparql.remote.push`` of
the merged triples into a named graph of each: triples per second, wall
time. The floor, measured in the same run, is pyoxigraph's bulk loader
reading the same N-Triples file into an in-memory store (no HTTP, no
chunking, no transactions). Each store runs one push: a second would
replace a graph, which is not the same work.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

GRAPH = "http://purl.obolibrary.org/obo/ccut-merged-hp.owl"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hpo", type=Path, default=HERE.parents[1] / "shared" / "reference" / "hp.obo")
    parser.add_argument("--chunk-mib", type=float, default=2.0, help="N-Triples chunk size, MiB")
    args = parser.parse_args()

    import pyoxigraph as ox

    import triple_stores
    from kgtools.sparql.remote import RemoteEngine, push, read_triples

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        merged = tmp / "merged.nt"
        subprocess.run([sys.executable, "-m", "kgtools.cli", "merge", str(args.hpo), "-o", str(merged),
                        "--reason", "none"], check=True, stdout=subprocess.DEVNULL)
        start = time.perf_counter()
        floor = ox.Store()
        floor.bulk_load(path=str(merged), format=ox.RdfFormat.N_TRIPLES)
        floor_seconds = time.perf_counter() - start
        start = time.perf_counter()
        triples = read_triples([merged])
        read_seconds = time.perf_counter() - start
        print(f"{len(triples):,} triples; chunks of {args.chunk_mib:g} MiB; Python {sys.version.split()[0]}")
        print(f"  {'pyoxigraph bulk_load (floor)':<34} {floor_seconds:7.1f} s  {len(floor) / floor_seconds:10,.0f} triples/s")
        print(f"  {'read the file for push (Oxigraph)':<34} {read_seconds:7.1f} s")
        for name, start_store in (("virtuoso", triple_stores.start_virtuoso), ("oxigraph server", triple_stores.start_oxigraph)):
            folder = tmp / name.replace(" ", "-")
            folder.mkdir()
            store = start_store(folder)
            try:
                start = time.perf_counter()
                sent = push(triples, store.store_url, graph=GRAPH, chunk_bytes=int(args.chunk_mib * 1024 * 1024),
                            timeout=600)
                seconds = time.perf_counter() - start
                count = RemoteEngine(store.query_url, graph=GRAPH).run(
                    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").records()[0]["n"]
                assert count == sent == len(floor), (name, count, sent)
                print(f"  {'push into ' + name:<34} {seconds:7.1f} s  {sent / seconds:10,.0f} triples/s"
                      f"  (x{seconds / floor_seconds:.0f} the floor)")
            finally:
                store.stop()


if __name__ == "__main__":
    main()
