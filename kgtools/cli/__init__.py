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

from kgtools.cli.group import Group

#: Each command and the function behind it (``module:function`` in this package), imported only when the
#: command runs or help lists it, so that ``kgtools query`` does not load the code of ``qc`` or ``viz``.
COMMANDS = {
    **{name: f"look:{name}" for name in ("info", "lookup", "entities", "coverage")},
    **{name: f"check:{name}" for name in ("validate", "reason", "qc")},
    "queries": "sparql:list_queries",
    **{name: f"sparql:{name}" for name in ("query", "serve", "push")},
    **{name: f"explore:{name}" for name in ("paths", "explain", "neighbors", "central", "differential", "viz")},
    **{name: f"exchange:{name}" for name in ("export", "release", "mappings", "merge", "align", "publish")},
}


@click.group(cls=Group, lazy_commands=COMMANDS,
             context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
