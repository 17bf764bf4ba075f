"""The ``kgtools`` command line: parses arguments, calls the library, prints.

One module per family of commands, as ``kgtools --help`` lists them:
:mod:`~kgtools.cli.look`, :mod:`~kgtools.cli.check`, :mod:`~kgtools.cli.sparql`,
:mod:`~kgtools.cli.explore`, :mod:`~kgtools.cli.exchange`. They share the
options of :mod:`~kgtools.cli.options` and the printing of
:mod:`~kgtools.cli.output`; :mod:`~kgtools.cli.group` turns every error into
one line and the exit code documented in :mod:`kgtools.errors`.
"""

from __future__ import annotations

import click

from kgtools.cli import check, exchange, explore, look, sparql
from kgtools.cli.group import Group


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kgtools")
def main():
    """Tools for the calcinosis cutis ontology (CCUT).

    The packaged ontology encodes a dermatopathology text on calcinosis cutis;
    every axiom cites the source line it comes from. Options are the same
    everywhere: -i/--input for RDF files to read instead of the packaged
    ontology, -o/--output for where to write, --format (json for pipelines).

    \b
    Look:      info, lookup, entities, coverage
    Check:     validate (SHACL), reason (HermiT, OWL 2 RL), qc (ROBOT's report on the release files)
    Query:     queries, query, serve (SPARQL endpoint), push (to a triple store)
    Explore:   paths, explain, neighbors, central, differential, viz
    Exchange:  export, release, mappings (SSSOM), merge, align
    All:       publish (every check and output into one folder)

    \b
    Examples:
      kgtools lookup calciphylaxis
      kgtools paths "renal failure" calciphylaxis
      kgtools query forms-for-condition --param condition=dermatomyositis
      kgtools validate my-extension.ttl ontology/calcinosis.ttl

    Exit codes: 0 passed, 1 a check failed, 2 the command could not run
    (one line on stderr says what and where), 130 interrupted, 143 terminated,
    129 hung up (the terminal closed).
    """


for family in (look, check, sparql, explore, exchange):
    for name in family.__all__:
        main.add_command(getattr(family, name))
