"""The documentation runs: every ``kgtools`` command line shown in README.md and docs/ exits as its page says, every
Python example gives the results shown, the command-line page is what the commands' help generates, and every
link leads somewhere. docs/README.md ("How these pages are tested") states the conventions read here."""

import doctest
import re
import shlex
import shutil
import signal
import subprocess
import sys
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from serving import first_line

from kgtools.cli import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: What the pages' command lines find in their working folder: copies, so that a command writing there
#: (``kgtools mappings -o mappings/...``) changes nothing in the repository.
FOLDERS = ["ontology", "mappings", "tests/data"]
#: The pages name the full HPO ``hp.obo``; the commands get the HPO slice of the tests under that name.
HPO_SLICE = ROOT / "tests" / "data" / "merge" / "hp_slice.obo"
#: The triple stores the pages' command lines name, by the address they use: the tests' servers stand in.
STORES = {"127.0.0.1:7878": "oxigraph_store", "127.0.0.1:8890": "virtuoso_store"}
#: Seconds ``kgtools serve`` may take to say it is serving, and to stop after Ctrl-C.
SERVE_TIMEOUT = 60


@dataclass
class CommandLine:
    """One ``$ kgtools ...`` line of a page: its words, the exit code the page expects and the message it shows."""

    line: int
    text: str
    exit_code: int = 0
    message: str | None = None

    @property
    def args(self) -> list[str]:
        """The words after ``kgtools``, up to a pipe (only the kgtools part of a pipeline runs)."""
        words = shlex.split(self.text, comments=True)
        words = words[:words.index("|")] if "|" in words else words
        assert words[0] == "kgtools", self.text
        return words[1:]


@dataclass
class Block:
    """A fenced code block of a page."""

    page: Path
    line: int
    info: str
    lines: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def command_lines(self) -> list[CommandLine]:
        found, lines = [], self.lines
        i = 0
        while i < len(lines):
            start = i
            text = lines[i]
            while text.endswith("\\") and i + 1 < len(lines):
                i += 1
                text = text[:-1] + " " + lines[i].strip()
            i += 1
            if not text.startswith("$ kgtools "):
                continue
            expected = re.search(r"#\s*exit\s+(\d+)\s*$", text)
            following = lines[i] if i < len(lines) else ""
            found.append(CommandLine(self.line + 1 + start, text[2:], int(expected.group(1)) if expected else 0,
                                     following if following.startswith("kgtools: ") else None))
        return found


def blocks(page: Path) -> list[Block]:
    """The fenced code blocks of a page, with the line each opens on."""
    found, current = [], None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("```"):
            if current is None:
                current = Block(page, number, line[3:].strip())
            else:
                found.append(current)
                current = None
        elif current is not None:
            current.lines.append(line)
    assert current is None, f"{page}: a code block opened on line {current.line} is never closed"
    return found


ALL_BLOCKS = [block for page in PAGES for block in blocks(page)]
COMMAND_BLOCKS = [pytest.param(b, id=b.id) for b in ALL_BLOCKS if b.command_lines()]
PYCON_BLOCKS = [pytest.param(b, id=b.id) for b in ALL_BLOCKS if b.info == "pycon"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    """The files the pages' command lines read, prepared once; each block works in a copy."""
    folder = tmp_path_factory.mktemp("docs-workspace")
    for name in FOLDERS:
        shutil.copytree(ROOT / name, folder / name)
    shutil.copyfile(HPO_SLICE, folder / "hp.obo")
    return folder


@pytest.fixture
def workdir(workspace, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the workspace as the current folder, with a cache of its own."""
    folder = tmp_path / "work"
    shutil.copytree(workspace, folder)
    monkeypatch.chdir(folder)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def store_addresses(text: str, request) -> dict[str, str]:
    """For each store address a command line names, the address of the test server standing in for it
    (the servers are the session's, started once; a missing server skips the line, as in tests/triple_stores.py)."""
    return {address: re.sub(r"^https?://([^/]+).*$", r"\1", request.getfixturevalue(fixture).store_url)
            for address, fixture in STORES.items() if address in text}


def test_pages_show_command_lines():
    """The parsing below finds what the pages show (a change of convention must not make the test run nothing)."""
    assert len([line for b in ALL_BLOCKS for line in b.command_lines()]) >= 60
    assert any(line.exit_code == 2 and line.message for b in ALL_BLOCKS for line in b.command_lines())


@pytest.mark.parametrize("block", COMMAND_BLOCKS)
def test_command_lines_exit_as_the_page_says(block, workdir, request):
    skipped = []
    for command in block.command_lines():
        where = f"{block.page.name}:{command.line}: {command.text}"
        try:
            addresses = store_addresses(command.text, request)
        except pytest.skip.Exception as reason:
            skipped.append(f"{where} ({reason})")
            continue
        args = [_replace_addresses(word, addresses) for word in command.args]
        if args[0] == "serve":
            _check_serve(args, where, workdir)
            continue
        result = CliRunner().invoke(main, args, catch_exceptions=True)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"{where}: raised {result.exception!r}") from result.exception
        assert result.exit_code == command.exit_code, f"{where}: exit {result.exit_code}\n{result.output[-2000:]}"
        if command.message:
            assert result.stderr.splitlines()[:1] == [command.message], where
    if skipped:
        pytest.skip("not run, a triple store missing: " + "; ".join(skipped))


def _replace_addresses(word: str, addresses: dict[str, str]) -> str:
    for shown, real in addresses.items():
        word = word.replace(shown, real)
    return word


def _check_serve(args: list[str], where: str, workdir: Path) -> None:
    """``kgtools serve`` as a process on a free port: it says where it serves, answers, and stops on Ctrl-C."""
    if "--port" in args:
        at = args.index("--port")
        del args[at:at + 2]
    process = subprocess.Popen([sys.executable, "-m", "kgtools.cli", *args, "--port", "0"], cwd=workdir,
                               stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    try:
        first = first_line(process, SERVE_TIMEOUT)
        served = re.match(r"serving on (http://\S+/) \(SPARQL at /sparql\)", first)
        assert served, f"{where}: {first!r}"
        with urllib.request.urlopen(served.group(1) + "sparql", timeout=30) as answer:
            assert answer.status == 200 and b"sd:Service" in answer.read(), where
        process.send_signal(signal.SIGINT)
        assert process.wait(SERVE_TIMEOUT) == 130, where
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("block", PYCON_BLOCKS)
def test_python_sessions_give_the_results_shown(block, workdir):
    text = "\n".join(block.lines) + "\n"
    test = doctest.DocTestParser().get_doctest(text, {}, block.id, str(block.page), block.line)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=lambda report: pytest.fail(report, pytrace=False))
    assert runner.summarize(verbose=False).attempted > 0


def test_python_examples_are_sessions():
    """Python examples are written as sessions, so that their results are shown and checked."""
    assert not [b.id for b in ALL_BLOCKS if b.info == "python"]


def test_the_command_line_page_is_the_commands_help():
    import importlib.util

    spec = importlib.util.spec_from_file_location("cli_page", ROOT / "scripts" / "cli_page.py")
    cli_page = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli_page)
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_page.render(), (
        "docs/cli.md differs from the commands' help: run python scripts/cli_page.py")


def help_examples() -> list[str]:
    """The example command lines of the commands' help, as docs/cli.md shows them (indented, without ``$``)."""
    found = []
    for block in blocks(ROOT / "docs" / "cli.md"):
        lines = iter(block.lines)
        for line in lines:
            text = line.strip()
            while text.endswith("\\"):
                text = text[:-1] + " " + next(lines).strip()
            if text.startswith("kgtools ") and line.startswith("    "):
                found.append(text)
    return list(dict.fromkeys(found))


#: The files the help examples name that their commands require to exist when the command line is read.
EXAMPLE_FILES = ["out/release/", "release/ccut.obo"]


@pytest.mark.parametrize("text", help_examples())
def test_help_examples_parse(text, tmp_path, monkeypatch):
    """The examples in the help name files of the reader's (my-extension.ttl, merged.owl) and hosts of theirs, so
    they are not run; each must still be read by its command: the options, choices and arguments exist."""
    import click

    monkeypatch.chdir(tmp_path)
    for name in EXAMPLE_FILES:
        if name.endswith("/"):
            (tmp_path / name).mkdir(parents=True)
        else:
            (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / name).touch()
    name, *args = shlex.split(text)[1:]
    ctx = main.make_context("kgtools", [name])
    command = main.get_command(ctx, name)
    try:
        command.make_context(name, args, parent=ctx)
    except click.UsageError as err:
        pytest.fail(f"{text}: {err.format_message()}")


def _slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return {_slug(m.group(1)) for m in re.finditer(r"^#+ (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_lead_somewhere(page):
    text = re.sub(r"^```.*?^```", "", page.read_text(encoding="utf-8"), flags=re.S | re.M)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"https?://", target):
            continue
        path, _, anchor = target.partition("#")
        linked = (page.parent / path).resolve() if path else page
        if not linked.exists() or (anchor and linked.suffix == ".md" and anchor not in _anchors(linked)):
            broken.append(target)
    assert not broken, f"{page.name}: broken links {broken}"
