"""How the commands print: rich on a terminal, plain lines in a pipe; outputs written whole."""

from __future__ import annotations

import json
import sys

import click


def make_console(stderr: bool = False):
    from rich.console import Console

    console = Console(stderr=stderr, highlight=False, soft_wrap=True)
    console.on_broken_pipe = _raise_broken_pipe  # type: ignore[method-assign]  # rich would exit 1; every command exits alike
    return console


def _raise_broken_pipe():
    raise BrokenPipeError()


def print_table(title: str | None, headers: list[str], rows: list[list]) -> None:
    """A rich table on a terminal; tab-separated lines in a pipe (without loading rich: a quick command stays quick)."""
    if not sys.stdout.isatty():
        click.echo("\t".join(headers))
        for row in rows:
            click.echo("\t".join("" if v is None else str(v) for v in row))
        return
    from rich.table import Table

    console = make_console()

    table = Table(title=title, title_justify="left")
    for header in headers:
        table.add_column(header)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def write_or_print(data: str | bytes, output: str | None, detail: str = "") -> None:
    """Write ``data`` whole to ``output`` (saying so on stderr, with ``detail``), or print it."""
    from kgtools.io import write_atomic

    if output:
        write_atomic(output, data)
        click.echo(f"wrote {output}{detail}", err=True)
    elif isinstance(data, bytes):
        sys.stdout.buffer.write(data)
    else:
        click.echo(data, nl=not data.endswith("\n"))


def print_json(data) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False))


def progress_bar(description: str):
    """A progress bar on stderr (rich) when it is a terminal, else a plain line at every tenth;
    gives ``on_progress(done, total)``."""
    from contextlib import nullcontext

    console = make_console(stderr=True)
    if not console.is_terminal:
        shown = [-1]

        def plain(done, total):
            tenth = done * 10 // max(total, 1)
            if tenth > shown[0]:
                shown[0] = tenth
                click.echo(f"{description}: {done}/{total}", err=True)

        return nullcontext(plain)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    class _Bar(Progress):
        def __enter__(self):
            super().__enter__()
            task = self.add_task(description, total=None)
            return lambda done, total: self.update(task, completed=done, total=total)

    return _Bar(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=console, transient=True)


def progress_steps():
    """A progress display for long steps: a rich spinner on stderr when it is a terminal, else nothing."""
    from contextlib import nullcontext

    console = make_console(stderr=True)
    if not console.is_terminal:
        return nullcontext(lambda name: None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    class _Steps(Progress):
        def __enter__(self):
            super().__enter__()
            self._task = self.add_task("", total=None)
            return lambda name: self.update(self._task, description=name)

    return _Steps(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console,
                  transient=True)
