"""The command group: library errors, interrupts and a vanished reader become one line and a documented exit code.

Exit codes are those of :mod:`kgtools.errors`: 0 passed, 1 check failed,
2 could not run, 130 interrupted, 143 terminated, 141 the reader went away.
"""

from __future__ import annotations

import os
import sys

import click

from kgtools.cli.options import Command
from kgtools.errors import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE, KgtoolsError


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl-C so that every ``finally`` runs and no partial output is left."""


def _on_sigterm(signum, frame):
    raise _Terminated()


def _one_line(text: str) -> str:
    """``text`` on one line, control characters (an echo of a binary input) escaped."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in " ".join(str(text).split()))


def _error_message(err: BaseException) -> str:
    """One line saying what went wrong and where, for an error the library did not turn into a KgtoolsError."""
    if isinstance(err, OSError):
        where = f"{err.filename}: " if err.filename else ""
        return f"{where}{err.strerror or err}"
    if isinstance(err, UnicodeDecodeError):
        return f"cannot decode the input as {err.encoding} text (byte {err.start}: {err.reason})"
    if isinstance(err, MemoryError):
        return f"out of memory{': ' + str(err) if str(err) else ''}"
    return f"unexpected {type(err).__name__}: {err}"


class Group(click.Group):
    """Turns library errors into one message on stderr and a documented exit code."""

    command_class = Command

    def main(self, *args, **kwargs):
        import signal
        import threading

        if threading.current_thread() is not threading.main_thread():
            return super().main(*args, **kwargs)
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
        try:
            return super().main(*args, **kwargs)
        finally:
            signal.signal(signal.SIGTERM, previous)

    def make_context(self, info_name, args, parent=None, **extra):
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as err:
            _usage_error(err)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except KgtoolsError as err:
            click.echo(f"kgtools: error: {_one_line(err.message)}", err=True)
            ctx.exit(err.exit_code)
        except click.UsageError as err:
            _usage_error(err)
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except _Terminated:
            click.echo("kgtools: terminated", err=True)
            ctx.exit(EXIT_TERMINATED)
        except KeyboardInterrupt:
            click.echo("kgtools: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            _drop_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as err:  # noqa: BLE001 -- the documented promise: one line and exit 2, never a traceback
            click.echo(f"kgtools: error: {_one_line(_error_message(err))}", err=True)
            ctx.exit(EXIT_USAGE)


def _drop_stdout() -> None:
    """Point standard output at /dev/null: its reader has gone, and flushing at exit would fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        pass


def _usage_error(err: click.UsageError):
    """Click's usage error as one line.

    ``kgtools: error: no such option '--frmat'. Did you mean '--format'? (try 'kgtools validate --help')``
    """
    message = _one_line(err.format_message()).rstrip(".")
    message = message[:1].lower() + message[1:] if message[1:2].islower() else message
    names, ctx = [], err.ctx
    while ctx is not None and ctx.parent is not None:  # the root's name is how kgtools was started: say kgtools
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    command = " ".join(["kgtools", *names])
    click.echo(f"kgtools: error: {message} (try '{command} --help')", err=True)
    sys.exit(err.exit_code)
