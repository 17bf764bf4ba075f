"""The options every command shares, the checked parameter types, and the command that checks its outputs first.

Every command takes the same options where they apply: ``-i/--input`` for
the RDF files to read (the packaged ontology by default), ``-o/--output``
for where to write, ``--format`` for how.
"""

from __future__ import annotations

import sys

import click


class Command(click.Command):
    """A command that refuses, before doing any work, an output it cannot write or that is one of its inputs."""

    def invoke(self, ctx):
        outputs = [(value, not p.type.file_okay) for p in self.params
                   if isinstance(p.type, OutputPath) and (value := ctx.params.get(p.name))]
        if outputs:  # (imported only then: a command printing its answer starts faster)
            from kgtools import resources
            from kgtools.io import check_outputs

            # Any argument naming an existing file or folder may be read; so are the packaged ontology and text.
            named = [v for p in self.params if not isinstance(p.type, OutputPath)
                     for v in _values(ctx.params.get(p.name)) if isinstance(v, str)]
            check_outputs(outputs, named + [resources.ontology_path(), resources.source_path()])
        return super().invoke(ctx)


def _values(value) -> tuple:
    return value if isinstance(value, tuple) else (value,)


class OutputPath(click.Path):
    """The path of an output file or folder: checked by :class:`Command` before the command runs."""


def output_option(*names: str, folder: bool = False, **kwargs):
    """An output option (``-o/--output`` unless ``names`` are given): a file, or a folder with ``folder=True``."""
    return click.option(*(names or ("-o", "--output")), type=OutputPath(file_okay=not folder, dir_okay=folder),
                         **kwargs)


class Seconds(click.FloatRange):
    """A positive, finite number of seconds (a range alone lets nan and inf through)."""

    name = "seconds"

    def __init__(self):
        super().__init__(min=0, min_open=True)

    def convert(self, value, param, ctx):
        import math

        seconds = super().convert(value, param, ctx)
        if not math.isfinite(seconds):
            self.fail(f"{value!r} is not a finite number of seconds", param, ctx)
        return seconds


class URL(click.ParamType):
    """An http(s) URL with a host, checked when the command line is read."""

    name = "URL"

    def convert(self, value, param, ctx):
        from urllib.parse import urlsplit

        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- reading it checks it
        except ValueError as err:
            self.fail(f"{value!r} is not a valid URL ({err})", param, ctx)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            self.fail(f"{value!r} is not an http(s) URL with a host", param, ctx)
        return value


def load_ontology(inputs: tuple[str, ...], store: str | None = None):
    from kgtools.ontology import Ontology

    return Ontology.load(*inputs, store=store)


input_option = click.option(
    "-i", "--input", "inputs", multiple=True, type=click.Path(dir_okay=False),
    help="RDF file to read (.ttl, .owl, .nt, .jsonld); repeat for several. Default: the packaged ontology.")


#: The most bytes read from standard input (a query's text).
STDIN_LIMIT = 16 * 2**20


def read_standard_input(limit: int = STDIN_LIMIT) -> str:
    """Standard input as UTF-8 text, at most ``limit`` bytes of it."""
    from kgtools.errors import InputError

    data = sys.stdin.buffer.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"standard input: longer than {limit >> 20} MiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise InputError(f"standard input: not UTF-8 text (byte {err.start})") from None


def format_option(*choices: str, default: str | None = None):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default or choices[0], show_default=True,
                        help="Output format.")



def command(name: str | None = None):
    """A command of ``kgtools``: a :class:`Command`, whose outputs are checked before it runs."""
    return click.command(name, cls=Command)
