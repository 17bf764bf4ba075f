"""Measure start-up, the core steps, validation and reasoning on the packaged ontology.

Run: .venv/bin/python bench/bench_load.py [--repeat N]
Prints the median wall time of each step over N runs (default 5).
"""

import argparse
import subprocess
import sys

from timing import print_steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat

    from kgtools import provenance
    from kgtools.ontology import Ontology
    from kgtools.checks.reason import reason
    from kgtools.checks.validate import validate

    onto = Ontology.load()
    steps = {
        "kgtools --help (process start-up)": lambda: subprocess.run([sys.executable, "-m", "kgtools.cli", "--help"],
                                                                       capture_output=True, check=True),
        "load the packaged ontology": Ontology.load,
        "coverage of the source text": lambda: provenance.coverage(onto),
        "serialise to RDF/XML": lambda: onto.serialize("owl"),
        "validate against the SHACL shapes": lambda: validate(onto),
        "reason with HermiT (Java)": lambda: reason(onto, "hermit"),
        "materialise OWL 2 RL (owlrl)": lambda: reason(onto, "owlrl"),
    }
    print(f"{len(onto.graph)} triples; median of {repeat} runs")
    print_steps(steps, repeat)


if __name__ == "__main__":
    main()
