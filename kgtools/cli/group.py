"""The command group: library errors, interrupts and a vanished reader become one line and a documented exit code.

Exit codes are those of :mod:`kgtools.errors`: 0 passed, 1 check failed,
2 could not run, 130 interrupted, 143 terminated, 129 hung up, 141 the reader went away.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from kgtools.cli.options import Command
from kgtools.errors import (EXIT_BROKEN_PIPE, EXIT_HANGUP, EXIT_INTERRUPTED, EXIT_TERMINATED, EXIT_USAGE,
                            KgtoolsError)


class _Stopped(KeyboardInterrupt):
    """A signal that stops the command, raised like Ctrl-C so that every ``finally`` runs and no partial output is
    left; says what stopped it and exits with its code."""

    message = "interrupted"
    exit_code = EXIT_INTERRUPTED


class _Terminated(_Stopped):
    """SIGTERM."""

    message = "terminated"
    exit_code = EXIT_TERMINATED


class _HungUp(_Stopped):
    """SIGHUP: the terminal closed, or an ssh session ended."""

    message = "hung up"
    exit_code = EXIT_HANGUP


#: The signals that stop a command as Ctrl-C does (SIGINT is Python's KeyboardInterrupt already).
_STOPPING = {signal.SIGTERM: _Terminated, signal.SIGHUP: _HungUp}


def _raise_stopped(signum, frame):
    raise _STOPPING[signum]()


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
    """Turns library errors into one message on stderr and a documented exit code; imports each command's
    module when the command is first asked for (``lazy_commands``: name to ``module:function`` in
    :mod:`kgtools.cli`)."""

    command_class = Command

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_commands = dict(lazy_commands or {})

    def list_commands(self, ctx) -> list[str]:
        return sorted({*self.commands, *self.lazy_commands})

    def get_command(self, ctx, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy_commands:
            module, function = self.lazy_commands[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(f"kgtools.cli.{module}"), function), cmd_name)
        return self.commands.get(cmd_name)

    def main(self, *args, **kwargs):
        import threading

        if threading.current_thread() is not threading.main_thread():
            return super().main(*args, **kwargs)
        previous = {signum: signal.signal(signum, _raise_stopped) for signum in _STOPPING}
        try:
            return super().main(*args, **kwargs)
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)

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
        except KeyboardInterrupt as err:
            stop = err if isinstance(err, _Stopped) else _Stopped()
            _say(f"kgtools: {stop.message}")
            ctx.exit(stop.exit_code)
        except BrokenPipeError:
            _drop_stdout()
            ctx.exit(EXIT_BROKEN_PIPE)
        except Exception as err:  # noqa: BLE001 -- the documented promise: one line and exit 2, never a traceback
            click.echo(f"kgtools: error: {_one_line(_error_message(err))}", err=True)
            ctx.exit(EXIT_USAGE)


def _say(line: str) -> None:
    """``line`` on stderr, if it is still there (after SIGHUP the terminal may be gone)."""
    try:
        click.echo(line, err=True)
    except OSError:
        pass


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
    names: list = []
    ctx = err.ctx
    while ctx is not None and ctx.parent is not None:  # the root's name is how kgtools was started: say kgtools
        names.insert(0, ctx.info_name)
        ctx = ctx.parent
    command = " ".join(["kgtools", *names])
    click.echo(f"kgtools: error: {message} (try '{command} --help')", err=True)
    sys.exit(err.exit_code)
