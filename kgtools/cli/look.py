"""Looking at the ontology: info, lookup, entities, coverage."""

from __future__ import annotations

import sys

import click

from kgtools.cli.options import command, format_option, input_option, load_ontology
from kgtools.cli.output import make_console, print_json, print_table
from kgtools.errors import EXIT_FAILED
from kgtools.ontology import KINDS  # light: the module imports rdflib only when a graph is loaded

#: The commands of this family, as ``kgtools`` names them in its help.
__all__ = ["info", "lookup", "entities", "coverage"]


@command()
@input_option
@format_option("text", "json")
def info(inputs, fmt):
    """Show the ontology's metadata and how many entities of each kind it has."""
    onto = load_ontology(inputs)
    data = {"metadata": onto.metadata(), "counts": onto.counts()}
    if fmt == "json":
        return print_json(data)
    meta = data["metadata"]
    console = make_console()
    console.print(f"[bold]{meta.get('title') or 'untitled ontology'}[/bold]  {meta.get('version') or ''}")
    for key in ("iri", "version_iri", "license", "source"):
        if meta.get(key):
            console.print(f"  {key.replace('_', ' ')}: {meta[key]}")
    print_table("Counts", ["what", "count"], [[k, v] for k, v in data["counts"].items()])


@command()
@click.argument("term")
@input_option
@format_option("text", "json")
def lookup(term, inputs, fmt):
    """Find an entity by label, synonym, CURIE or IRI and show what the ontology says of it.

    \b
    Examples:
      kgtools lookup calciphylaxis
      kgtools lookup CCUT:0001006
      kgtools lookup "renal failure" --format json
    """
    from kgtools.provenance import claims_about

    onto = load_ontology(inputs)
    entity = onto.lookup(term)
    claims = claims_about(onto, entity.iri)
    if fmt == "json":
        return print_json(dict(entity.as_dict(), claims=[c.as_dict() for c in claims]))
    console = make_console()
    console.print(f"[bold]{entity.label}[/bold]  {entity.curie}  ({entity.kind})")
    console.print(f"  iri: {entity.iri}")
    if entity.definition:
        console.print(f"  definition: {entity.definition}")
    for text, scope in entity.synonyms:
        console.print(f"  synonym ({scope}): {text}")
    for xref in entity.xrefs:
        console.print(f"  xref: {xref}")
    for claim in claims:
        hedge = f" [{claim.hedge}]" if claim.hedge else ""
        status = "" if claim.asserted else " (qualified statement, not asserted)"
        lines = ", ".join(map(str, claim.lines))
        console.print(f"  {claim.relation}: {claim.target}{hedge}{status}  — line {lines}, {claim.evidence}", markup=False)


@command()
@click.option("--kind", type=click.Choice(KINDS), help="Only entities of this kind.")
@input_option
@format_option("text", "json")
def entities(kind, inputs, fmt):
    """List the named entities, or those of one kind, with their CURIEs."""
    found = load_ontology(inputs).entities(kind)
    if fmt == "json":
        return print_json([e.as_dict() for e in found])
    print_table(None, ["curie", "label", "kind"], [[e.curie, e.label, e.kind] for e in found])


@command()
@input_option
@click.option("--source", type=click.Path(dir_okay=False, exists=True), help="Source text (default: the packaged one).")
@click.option("--all", "show_all", is_flag=True, help="List every line, not only content lines.")
@format_option("text", "json")
def coverage(inputs, source, show_all, fmt):
    """Show, line by line, how many axioms cite each line of the source text.

    Exits 1 when a content line (not blank, not only a figure marker) is cited
    by no axiom or qualified statement.
    """
    from kgtools import provenance

    report = provenance.coverage(load_ontology(inputs), source)
    if fmt == "json":
        print_json(report.as_dict())
    else:
        shown = report.lines if show_all else report.content_lines
        print_table("Coverage of the source text", ["line", "axioms", "statements", "text"],
                [[line.number, line.axioms, line.statements, line.text[:70]] for line in shown])
        click.echo(f"{report.percent}% of {len(report.content_lines)} content lines cited"
                   + (f"; uncited: {', '.join(str(line.number) for line in report.uncited)}" if report.uncited else ""))
    if report.uncited:
        sys.exit(EXIT_FAILED)
