"""Compare the SPARQL engines, Oxigraph and rdflib, on the packaged ontology and on the full HPO.

Run: .venv/bin/python bench/bench_query.py [--repeat N] [--hpo PATH/hp.obo]

Measures (median wall time of N runs) loading the RDF, a transitive
subclass query (every descendant of a root class), and, on the packaged
ontology, every stored query. The HPO is read from an OBO file
(default: the full HPO beside the repository, ../shared/reference/hp.obo, HPO release 2025-01-16), mapped
once to OWL with fastobo and written as Turtle in a temporary folder; it is
skipped when the file is missing.
"""

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

from timing import median_seconds

TRANSITIVE = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ ?x rdfs:subClassOf* <{root}> }}"""


def hpo_as_turtle(obo: Path) -> Path:
    """The HPO as Turtle (fastobo's OBO-to-OWL mapping, written by Oxigraph), made once."""
    import fastobo
    import pyoxigraph as ox

    target = Path(tempfile.gettempdir()) / f"kgtools-bench-{obo.stem}.ttl"
    if not target.exists() or target.stat().st_mtime < obo.stat().st_mtime:
        start = time.perf_counter()
        owl = io.BytesIO()
        fastobo.dump_owl(fastobo.load(str(obo)), owl, format="rdf")
        triples = ox.parse(owl.getvalue(), format=ox.RdfFormat.RDF_XML)
        target.write_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE))
        print(f"converted {obo} to {target} in {time.perf_counter() - start:.1f} s")
    return target


def compare(name, path: Path, root: str, repeat: int) -> None:
    import pyoxigraph as ox
    import rdflib

    def rdflib_load():
        return rdflib.Graph().parse(path, format="turtle")

    def oxigraph_load():
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        return store

    graph, store = rdflib_load(), oxigraph_load()
    query = TRANSITIVE.format(root=root)
    count = int(next(iter(store.query(query)))["n"].value)
    assert count == int(next(iter(graph.query(query)))[0]), "the engines disagree"
    print(f"\n{name}: {len(store):,} triples; {count:,} classes under {root.rsplit('/', 1)[-1]}")
    rows = [
        ("load (parse Turtle)", median_seconds(rdflib_load, repeat), median_seconds(oxigraph_load, repeat)),
        ("transitive subclass query", median_seconds(lambda: list(graph.query(query)), repeat),
         median_seconds(lambda: list(store.query(query)), repeat)),
    ]
    for step, slow, fast in rows:
        print(f"  {step:<28} rdflib {slow * 1000:9.1f} ms   oxigraph {fast * 1000:8.1f} ms   x{slow / fast:,.0f}")


def stored_queries(repeat: int) -> None:
    from kgtools.ontology import Ontology
    from kgtools.sparql.query import OxigraphEngine, RdflibEngine, bind_parameters, catalog

    onto = Ontology.load()
    engines = {"rdflib": RdflibEngine(onto.graph), "oxigraph": OxigraphEngine.from_ontology(onto)}
    totals = dict.fromkeys(engines, 0.0)
    print("\nstored queries on the packaged ontology (default parameters):")
    for name, query in catalog().items():
        bindings = bind_parameters(onto, query, {})
        times = {e: median_seconds(lambda: engine.run(query.text, bindings), repeat) for e, engine in engines.items()}
        for e, t in times.items():
            totals[e] += t
        print(f"  {name:<24} rdflib {times['rdflib'] * 1000:8.1f} ms   oxigraph {times['oxigraph'] * 1000:7.1f} ms")
    print(f"  {'all':<24} rdflib {totals['rdflib'] * 1000:8.1f} ms   oxigraph {totals['oxigraph'] * 1000:7.1f} ms")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hpo", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "reference" / "hp.obo")
    args = parser.parse_args()

    from kgtools.resources import ontology_path

    print(f"median of {args.repeat} runs; Python {sys.version.split()[0]}")
    compare("packaged ontology", ontology_path(), "http://purl.obolibrary.org/obo/CCUT_0001000", args.repeat)
    stored_queries(args.repeat)
    if args.hpo.is_file():
        compare(f"HPO ({args.hpo.name})", hpo_as_turtle(args.hpo), "http://purl.obolibrary.org/obo/HP_0000118",
                args.repeat)
    else:
        print(f"\nHPO skipped: {args.hpo} not found")


if __name__ == "__main__":
    main()
