"""The ``kgtools`` command line: parses arguments, calls the library, prints.

Every command takes the same options where they apply: ``-i/--input`` for
the RDF files to read (the packaged ontology by default), ``-o/--output``
for where to write, ``--format`` for how. Exit codes are those of
:mod:`kgtools.errors`: 0 passed, 1 check failed, 2 could not run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from kgtools.errors import EXIT_FAILED, KgtoolsError
from kgtools.ontology import KINDS  # light: the module imports rdflib only when a graph is loaded


class _Group(click.Group):
    """Turns library errors into one message on stderr and a documented exit code."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgtoolsError as err:
            click.echo(f"kgtools: error: {err.message}", err=True)
            ctx.exit(err.exit_code)
        except click.ClickException:
            raise
        except KeyboardInterrupt:
            click.echo("kgtools: interrupted", err=True)
            ctx.exit(130)


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _table(title: str | None, headers: list[str], rows: list[list]) -> None:
    """A rich table on a terminal; tab-separated lines in a pipe."""
    console = _console()
    if not console.is_terminal:
        click.echo("\t".join(headers))
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
        return
    from rich.table import Table

    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def _json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def _load(inputs: tuple[str, ...]):
    from kgtools.ontology import Ontology

    return Ontology.load(*inputs)


input_option = click.option(
    "-i", "--input", "inputs", multiple=True, type=click.Path(dir_okay=False),
    help="RDF file to read (.ttl, .owl, .nt, .jsonld); repeat for several. Default: the packaged ontology.")


def format_option(*choices: str, default: str | None = None):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
                        help="Output format.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="kgtools")
def main():
    """Tools for the calcinosis cutis ontology (CCUT).

    The packaged ontology encodes a dermatopathology text on calcinosis cutis;
    every axiom cites the source line it comes from. Start with
    `kgtools info`, look a term up with `kgtools lookup calciphylaxis`, check
    that every line of the text is encoded with `kgtools coverage`, and write
    everything into a folder with `kgtools publish -o out`.

    Exit codes: 0 passed, 1 a check failed, 2 the command could not run.
    """


@main.command()
@input_option
@format_option("text", "json")
def info(inputs, fmt):
    """Show the ontology's metadata and how many entities of each kind it has."""
    onto = _load(inputs)
    data = {"metadata": onto.metadata(), "counts": onto.counts()}
    if fmt == "json":
        return _json(data)
    meta = data["metadata"]
    console = _console()
    console.print(f"[bold]{meta.get('title') or 'untitled ontology'}[/bold]  {meta.get('version') or ''}")
    for key in ("iri", "version_iri", "license", "source"):
        if meta.get(key):
            console.print(f"  {key.replace('_', ' ')}: {meta[key]}")
    _table("Counts", ["what", "count"], [[k, v] for k, v in data["counts"].items()])


@main.command()
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

    onto = _load(inputs)
    entity = onto.lookup(term)
    claims = claims_about(onto, entity.iri)
    if fmt == "json":
        return _json(dict(entity.as_dict(), claims=[c.as_dict() for c in claims]))
    console = _console()
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


@main.command()
@click.option("--kind", type=click.Choice(KINDS), help="Only entities of this kind.")
@input_option
@format_option("text", "json")
def entities(kind, inputs, fmt):
    """List the named entities, or those of one kind, with their CURIEs."""
    found = _load(inputs).entities(kind)
    if fmt == "json":
        return _json([e.as_dict() for e in found])
    _table(None, ["curie", "label", "kind"], [[e.curie, e.label, e.kind] for e in found])


@main.command()
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

    report = provenance.coverage(_load(inputs), source)
    if fmt == "json":
        _json(report.as_dict())
    else:
        shown = report.lines if show_all else report.content_lines
        _table("Coverage of the source text", ["line", "axioms", "statements", "text"],
               [[l.number, l.axioms, l.statements, l.text[:70]] for l in shown])
        click.echo(f"{report.percent}% of {len(report.content_lines)} content lines cited"
                   + (f"; uncited: {', '.join(str(l.number) for l in report.uncited)}" if report.uncited else ""))
    if report.uncited:
        sys.exit(EXIT_FAILED)


@main.command()
@input_option
@format_option("ttl", "owl", "nt", "jsonld")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write (default: standard output).")
def export(inputs, fmt, output):
    """Write the ontology as Turtle, RDF/XML (owl), N-Triples or JSON-LD."""
    from kgtools.io import write_atomic

    text = _load(inputs).serialize(fmt)
    if output:
        write_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


@main.command()
@input_option
@click.option("-o", "--output", type=click.Path(file_okay=False), default="out", show_default=True,
              help="Folder to publish into (created if missing).")
def publish(inputs, output):
    """Check the ontology and publish it: every step of the toolkit, into one folder.

    Prints one line per step; exits 1 if any step's check failed.
    """
    from kgtools.publish import publish as run_publish

    console = _console()
    onto = _load(inputs)
    with console.status("publishing…") as status:
        results = run_publish(onto, output, on_step=lambda name: status.update(f"{name}…"))
    for result in results:
        mark = "[green]ok[/green]  " if result.ok else "[red]FAIL[/red]"
        console.print(f"{mark} {result.name:<10} {result.summary}")
    console.print(f"published into {Path(output).resolve()}")
    if not all(r.ok for r in results):
        sys.exit(EXIT_FAILED)


if __name__ == "__main__":  # pragma: no cover
    main()
