"""Measure merging the ontology into the full HPO, step by step, and the checks of the result.

Run: .venv/bin/python bench/bench_merge.py [--hpo PATH] [--repeat N] [--full-reasoning]
Prints the median wall time over N runs (default 3) of reading the HPO (OBO parsed and
mapped to OWL by fastobo), the whole merge, writing RDF/XML, HermiT over the project
module, and the SHACL shapes; with --full-reasoning, once, HermiT over everything.
"""

import argparse
import time
from pathlib import Path

from timing import median_seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hpo", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "reference" / "hp.obo")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full-reasoning", action="store_true", help="Also reason over the whole merged ontology.")
    args = parser.parse_args()
    if not args.hpo.is_file():
        parser.error(f"{args.hpo}: no such file (give the full HPO with --hpo)")

    from kgtools.exchange.external import read_triples
    from kgtools.exchange.merge import _ontology_of, check, merge, project_module
    from kgtools.ontology import Ontology
    from kgtools.checks.reason import reason
    from kgtools.checks.validate import validate

    onto = Ontology.load()
    result = merge(onto, [args.hpo])
    module = _ontology_of(project_module(result))
    steps = {
        "read hp.obo (fastobo: parse, OBO to OWL)": lambda: read_triples(args.hpo, "hp"),
        "merge (read, unify, declare, report)": lambda: merge(onto, [args.hpo]),
        "write the merged ontology as RDF/XML": lambda: result.serialize("owl"),
        "HermiT over the project module": lambda: reason(module, "hermit"),
        "SHACL shapes on the project module": lambda: validate(module),
    }
    print(f"{result.report['accounting']['output triples']} merged triples, project module "
          f"{len(module.graph)} triples; median of {args.repeat} runs")
    for name, action in steps.items():
        print(f"{name:<44} {median_seconds(action, args.repeat):7.2f} s")
    if args.full_reasoning:
        start = time.perf_counter()
        outcome = check(result, scope="full", shapes=False)
        print(f"{'HermiT over the whole merged ontology':<44} {time.perf_counter() - start:7.2f} s "
              f"({'consistent' if outcome['consistency']['consistent'] else 'INCONSISTENT'})")


if __name__ == "__main__":
    main()
