"""The command line against bad input: every command × every kind of bad path, output and parameter.

Each case must end with exit 2 and exactly one line on stderr starting
``kgtools: error:``, no traceback, every file in the work folder unchanged
(inputs never modified) and nothing new beside them (no partial output, no
temporary sibling). Most cases run in-process; a few run as real processes,
among them ``publish`` interrupted by SIGINT and SIGTERM half-way.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kgtools import resources
from kgtools.cli import main

DATA = Path(__file__).parent / "data"
HP_SLICE = DATA / "merge" / "hp_slice.obo"
SMALL = str(DATA / "reasoning" / "defined-class.ttl")  # a small ontology: each case loads it quickly

#: Files every case may read, by name in the work folder: each kind of bad input, and good ones to misuse.
BAD_RDF = ["missing.ttl", "folder.ttl", "loop.ttl", "binary.ttl", "binary.owl", "turtle-named.owl",
           "broken.ttl", "broken.owl", "broken.jsonld", "unknown.txt"]
BAD_OBO = ["missing.obo", "folder.obo", "loop.obo", "binary.obo", "broken.obo"]
BAD_TEXT = ["binary.rq", "folder.ttl", "loop.ttl"]  # for --source: a text file that is none


def _make_work(folder: Path) -> None:
    rng = random.Random(9)
    binary = bytes(rng.randrange(256) for _ in range(4096))
    for name in ("folder.ttl", "folder.obo", "folder.rq", "a-folder"):
        (folder / name).mkdir()
    for name in ("loop.ttl", "loop.obo", "loop.rq"):
        (folder / name).symlink_to(name)
    for name in ("binary.ttl", "binary.owl", "binary.obo", "binary.rq"):
        (folder / name).write_bytes(binary)
    (folder / "empty.rq").write_bytes(b"")
    shutil.copy(resources.ontology_path(), folder / "good.ttl")
    os.link(folder / "good.ttl", folder / "good-link.ttl")  # another name, the same file
    shutil.copy(resources.ontology_path(), folder / "turtle-named.owl")
    shutil.copy(DATA / "invalid-syntax" / "missing-dot.ttl", folder / "broken.ttl")
    (folder / "broken.owl").write_text(
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about="http://example.org/a">\n    <x:label>a</x:label>\n'
        "  </rdf:Description>\n</rdf:RDF>\n")
    (folder / "broken.jsonld").write_text('{"@id": "http://example.org/a", "http://example.org/p": [')
    (folder / "unknown.txt").write_text("<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    (folder / "broken.obo").write_text(HP_SLICE.read_text().replace("[Term]\nid: HP:", "[Term]\nid HP:", 1))
    (folder / "broken.rq").write_text("SELECT ?x WHERE { ?x ?p \n")
    (folder / "a-file").write_text("not a folder\n")


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    _make_work(folder)
    return folder


def _snapshot(folder: Path) -> dict:
    """Every entry under ``folder``: a file's SHA-256, a link's target, a folder's mark."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(root) / name
            rel = str(path.relative_to(folder))
            if path.is_symlink():
                found[rel] = "-> " + os.readlink(path)
            elif path.is_dir():
                found[rel] = "folder"
            else:
                found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _assert_one_line_error(result, *, mentions: str | None = None) -> str:
    """Exit 2, one line on stderr starting ``kgtools: error:``, nothing on stdout, no traceback."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("kgtools: error: "), lines[0]
    assert "Traceback" not in result.output and "unexpected" not in lines[0]
    assert result.stdout == ""
    if mentions:
        assert mentions in lines[0], lines[0]
    return lines[0]


def _run_in(work: Path, args: list[str], mentions: str | None = None) -> str:
    before = _snapshot(work)
    result = CliRunner().invoke(main, args)
    line = _assert_one_line_error(result, mentions=mentions)
    assert _snapshot(work) == before, "an input changed, or something was left in the work folder"
    return line


# Each command with what it needs to run; {w} is the work folder. serve is left out: a case it did not refuse would serve.
COMMANDS = {
    "info": [], "lookup": ["calciphylaxis"], "entities": [], "coverage": [], "export": [],
    "publish": ["-o", "{w}/out"], "paths": ["renal failure", "calciphylaxis"], "explain": ["calciphylaxis"],
    "neighbors": ["calciphylaxis"], "central": [], "differential": ["calcium deposit"], "viz": [],
    "validate": [], "reason": ["--reasoner", "owlrl"], "query": ["forms"],
    "push": ["--endpoint", "http://127.0.0.1:9/store"], "release": ["-o", "{w}/release"], "mappings": [],
    "merge": [str(HP_SLICE), "--reason", "none"], "align": [str(HP_SLICE)], "qc": [],
}


def _args(args: list[str], work: Path) -> list[str]:
    return [a.replace("{w}", str(work)) for a in args]


@pytest.mark.parametrize("bad", BAD_RDF)
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_a_bad_input_file_in_one_line(work, command, bad):
    _run_in(work, [command, *_args(COMMANDS[command], work), "-i", str(work / bad)], mentions=bad)


#: Valid RDF with no triple: what a curator gets from a new, unsaved or truncated file.
NO_TRIPLES = {
    "empty.ttl": b"",
    "prefixes.ttl": b"# to be written\n@prefix CCUT: <http://purl.obolibrary.org/obo/CCUT_> .\n\n  \n",
    "empty.nt": b"# nothing yet\n",
    "empty.owl": b'<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
    "empty.jsonld": b"{}",
}


#: RDF 1.2 triple terms, which OWL 2 cannot read: as an object, and behind the reifier syntax (rdf:reifies one).
TRIPLE_TERMS = {
    "said.ttl": b"<http://e/a> <http://e/says> <<( <http://e/b> <http://e/c> <http://e/d> )>> .\n",
    "said.nt": b"<http://e/a> <http://e/says> <<( <http://e/b> <http://e/c> <http://e/d> )>> .\n",
    "reified.ttl": b"<< <http://e/b> <http://e/c> <http://e/d> >> <http://e/source> <http://e/a> .\n",
}
#: Valid RDF that is no ontology to read, and what the line refusing it says after the file's name.
REFUSED_RDF = {
    **{name: (data, "no triples") for name, data in NO_TRIPLES.items()},
    **{name: (data, "an RDF 1.2 triple term, <<( <http://e/b> <http://e/c> <http://e/d> )>> (object of ")
       for name, data in TRIPLE_TERMS.items()},
}


@pytest.mark.parametrize("name", sorted(REFUSED_RDF))
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_valid_rdf_that_is_no_ontology_is_refused_in_one_line(tmp_path, command, name):
    """Valid RDF holding no triple is never an ontology meant as input, and OWL 2 has no reading for an RDF 1.2
    triple term: every command, whether it reads into a store or triple by triple, names the file, exit 2."""
    data, problem = REFUSED_RDF[name]
    (tmp_path / name).write_bytes(data)
    _run_in(tmp_path, [command, *_args(COMMANDS[command], tmp_path), "-i", str(tmp_path / name)],
            mentions=f"{tmp_path / name}: {problem}")


@pytest.mark.parametrize("name", ["prefixes.ttl", "said.ttl"])
@pytest.mark.parametrize("args", [["validate", "{w}/NAME", SMALL], ["merge", "{w}/NAME", "--reason", "none"],
                                  ["align", "{w}/NAME"], ["push", "--endpoint", "http://127.0.0.1:9/store",
                                                          "-i", SMALL, "-i", "{w}/NAME"]],
                         ids=["validate-beside-another", "merge-other", "align-other", "push-beside-another"])
def test_such_rdf_beside_other_inputs_or_to_merge_into_is_refused(tmp_path, args, name):
    data, problem = REFUSED_RDF[name]
    (tmp_path / name).write_bytes(data)
    _run_in(tmp_path, [a.replace("NAME", name) for a in _args(args, tmp_path)], mentions=f"{tmp_path / name}: {problem}")


#: What standard input may hold for ``kgtools query -``, and the line that refuses it.
BAD_STDIN = {
    "binary": (b"SELECT \xff\xfe", "standard input: not UTF-8 text (byte 7)"),
    "update": (b"DROP ALL", "standard input: SPARQL Update (DROP) is refused: this store is read-only"),
    "service": (b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
                "standard input: SERVICE is refused"),
    "empty": (b"", "standard input: not a SPARQL query"),
    "over 16 MiB": (b"#" * (16 * 2**20 + 1), "standard input: longer than 16 MiB"),
}


@pytest.mark.parametrize("case", sorted(BAD_STDIN))
def test_a_bad_query_on_standard_input_is_refused_in_one_line(case):
    data, message = BAD_STDIN[case]
    result = CliRunner().invoke(main, ["query", "-"], input=data)
    assert _assert_one_line_error(result, mentions=message).startswith(f"kgtools: error: {message}")


def test_the_text_of_a_query_given_as_its_name_gets_a_hint():
    result = CliRunner().invoke(main, ["query", "SELECT * WHERE { ?s ?p ?o }"])
    assert _assert_one_line_error(result) == (
        "kgtools: error: unknown query 'SELECT * WHERE { ?s ?p ?o }': the text of a query is read from a .rq file, "
        "or from standard input with `-` (kgtools query - < q.rq)")


#: Shapes files that would check nothing: a validation against them would pass whatever the data.
NO_SHAPES = {
    "empty.ttl": (b"", "no triples"),
    "prefixes.ttl": (NO_TRIPLES["prefixes.ttl"], "no triples"),
    "data.ttl": (b"<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n",
                 "no SHACL shapes (nothing is a sh:NodeShape or sh:PropertyShape, or has a target)"),
}


@pytest.mark.parametrize("name", sorted(NO_SHAPES))
def test_a_shapes_file_that_checks_nothing_is_refused_in_one_line(tmp_path, name):
    content, message = NO_SHAPES[name]
    (tmp_path / name).write_bytes(content)
    _run_in(tmp_path, ["validate", "--shapes", str(tmp_path / name)], mentions=f"{tmp_path / name}: {message}")


OTHER_INPUTS = (
    [("merge", [f"{{w}}/{bad}", "--reason", "none"], bad) for bad in BAD_OBO + ["broken.owl", "turtle-named.owl"]]
    + [("align", [f"{{w}}/{bad}"], bad) for bad in BAD_OBO + ["broken.ttl"]]
    + [("validate", ["--shapes", f"{{w}}/{bad}"], bad) for bad in BAD_RDF]
    + [("validate", [f"{{w}}/{bad}"], bad) for bad in ("broken.owl", "binary.ttl")]
    + [("reason", [f"{{w}}/{bad}", "--reasoner", "owlrl"], bad) for bad in ("broken.owl", "missing.ttl")]
    + [("coverage", ["--source", f"{{w}}/{bad}"], bad) for bad in BAD_TEXT + ["missing.txt"]]
    + [("validate", ["--source", f"{{w}}/{bad}"], bad) for bad in BAD_TEXT]
    + [("query", [f"{{w}}/{bad}"], bad) for bad in ("binary.rq", "missing.rq", "loop.rq")]
    + [("query", ["{w}/empty.rq"], "empty.rq: not a SPARQL query")]
    + [("query", ["{w}/broken.rq"], "broken.rq: SPARQL syntax error at line 1, column 19")]
    + [("query", ["forms", "--store", "{w}/a-file"], "a-file")]
)


@pytest.mark.parametrize("command, args, bad", OTHER_INPUTS, ids=[f"{c}-{' '.join(a)}" for c, a, _ in OTHER_INPUTS])
def test_every_other_input_is_refused_in_one_line(work, command, args, bad):
    _run_in(work, [command, *_args(args, work)], mentions=bad)


#: Commands that write a file, with the option naming it.
FILE_OUTPUTS = {
    "export": ["-o"], "validate": ["-o"], "reason": ["--reasoner", "owlrl", "-o"], "query": ["forms", "-o"],
    "viz": ["-o"], "mappings": ["-o"], "align": [str(HP_SLICE), "-o"],
    "merge": [str(HP_SLICE), "--reason", "none", "-o"],
    "merge --report": [str(HP_SLICE), "--reason", "none", "--report"],
}
BAD_FILE_OUTPUTS = {
    "proc": ("/proc/kgtools-out.owl", "cannot write /proc/kgtools-out.owl"),
    "sys": ("/sys/kgtools-out.owl", "cannot write /sys/kgtools-out.owl: Permission denied"),
    "under a file": ("{w}/a-file/out.owl", "a-file is not a folder"),
    "missing folder": ("{w}/nowhere/out.owl", "nowhere does not exist"),
    "a folder": ("{w}/a-folder", "a-folder' is a directory"),
    "the input": ("{w}/good.ttl", "good.ttl is also an input"),
    "a link to the input": ("{w}/good-link.ttl", "good-link.ttl is also an input"),
}


@pytest.mark.parametrize("bad", sorted(BAD_FILE_OUTPUTS))
@pytest.mark.parametrize("command", sorted(FILE_OUTPUTS))
def test_every_file_output_that_cannot_be_written_is_refused_before_any_work(work, command, bad):
    path, message = BAD_FILE_OUTPUTS[bad]
    _run_in(work, [command.split()[0], *FILE_OUTPUTS[command], _args([path], work)[0], "-i", str(work / "good.ttl")],
            mentions=_args([message], work)[0])


BAD_FOLDER_OUTPUTS = {
    "proc": ("/proc/kgtools-out", "cannot write /proc/kgtools-out"),
    "sys": ("/sys/kgtools-out", "cannot write /sys/kgtools-out: Permission denied"),
    "a file": ("{w}/a-file", "a-file' is a file"),
    "missing folder": ("{w}/nowhere/out", "nowhere does not exist"),
    "holds the input": ("{w}", "holds the input"),
}


@pytest.mark.parametrize("bad", sorted(BAD_FOLDER_OUTPUTS))
@pytest.mark.parametrize("command", ["release", "publish"])
def test_every_folder_output_that_cannot_be_written_is_refused_before_any_work(work, command, bad):
    path, message = BAD_FOLDER_OUTPUTS[bad]
    _run_in(work, [command, "-o", _args([path], work)[0], "-i", str(work / "good.ttl")], mentions=message)


POSITIONAL_INPUTS = [
    ["validate", "{w}/good.ttl", "-o", "{w}/good.ttl"],
    ["reason", "{w}/good.ttl", "--reasoner", "owlrl", "-o", "{w}/good-link.ttl"],
    ["merge", "{w}/hp.obo", "--reason", "none", "-o", "{w}/hp.obo"],
    ["merge", "{w}/hp.obo", "--reason", "none", "--report", "{w}/hp.obo"],
    ["align", "{w}/hp.obo", "-o", "{w}/hp.obo"],
    ["query", "{w}/forms.rq", "-o", "{w}/forms.rq"],
]


@pytest.mark.parametrize("args", POSITIONAL_INPUTS, ids=[" ".join(a) for a in POSITIONAL_INPUTS])
def test_an_output_naming_any_input_is_refused(work, args):
    shutil.copy(HP_SLICE, work / "hp.obo")
    shutil.copy(resources.data_dir("queries") / "forms.rq", work / "forms.rq")
    _run_in(work, _args(args, work), mentions="is also an input")


@pytest.fixture(scope="module")
def read_only(tmp_path_factory):
    """A read-only file system (tmpfs mounted read-only) holding one file; skipped where mounting is not allowed."""
    folder = tmp_path_factory.mktemp("read-only")
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("mounting a file system needs root with CAP_SYS_ADMIN")
    try:
        (folder / "existing.owl").write_text("an earlier output\n")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.mark.parametrize("target", ["new.owl", "existing.owl"])
@pytest.mark.parametrize("command", sorted(FILE_OUTPUTS))
def test_every_file_output_on_a_read_only_file_system_is_refused(work, read_only, command, target):
    _run_in(work, [command.split()[0], *FILE_OUTPUTS[command], str(read_only / target), "-i", str(work / "good.ttl")],
            mentions=f"cannot write {read_only / target}: Read-only file system")
    assert [p.name for p in read_only.iterdir()] == ["existing.owl"]
    assert (read_only / "existing.owl").read_text() == "an earlier output\n"


@pytest.mark.parametrize("command", ["release", "publish"])
def test_every_folder_output_on_a_read_only_file_system_is_refused(work, read_only, command):
    _run_in(work, [command, "-o", str(read_only / "out"), "-i", str(work / "good.ttl")],
            mentions=f"cannot write {read_only / 'out'}: Read-only file system")


def test_two_outputs_naming_one_file_are_refused(work):
    _run_in(work, ["merge", str(HP_SLICE), "--reason", "none", "-o", f"{work}/m.owl", "--report", f"{work}/m.owl"],
            mentions="named as two outputs")


BAD_PARAMETERS = [
    (["validate", "--frmat", "json"], "no such option '--frmat'. Did you mean '--format'? (try 'kgtools validate --help')"),
    (["--bogus"], "no such option '--bogus' (try 'kgtools --help')"),
    (["nosuchcommand"], "no such command 'nosuchcommand' (try 'kgtools --help')"),
    (["info", "--format", "xml"], "invalid value for '--format'"),
    (["paths", "calciphylaxis"], "missing argument 'TO'"),
    (["paths", "renal failure", "calciphylaxis", "--max-len", "0"], "invalid value for '--max-len'"),
    (["neighbors", "calciphylaxis", "--depth", "0"], "invalid value for '--depth'"),
    (["central", "--top", "-1"], "invalid value for '--top'"),
    (["lookup", "calciphylaxsis"], "unknown term 'calciphylaxsis'"),
    (["viz", "--focus", "no such term"], "unknown term 'no such term'"),
    (["query", "forms-for-condition", "--param", "dermatomyositis"], "expected NAME=VALUE"),
    (["query", "no-such-query"], "unknown query 'no-such-query'"),
    (["query", "forms", "--endpoint", "http://[::1/x"], "'http://[::1/x' is not a valid URL"),
    (["query", "forms", "--endpoint", "ftp://example.org/x"], "is not an http(s) URL with a host"),
    (["query", "forms", "--endpoint", "not a url"], "is not an http(s) URL with a host"),
    (["query", "forms", "--endpoint", "http://127.0.0.1:99999/x"], "is not a valid URL"),
    (["push", "--endpoint", "http://[::1/x"], "'http://[::1/x' is not a valid URL"),
    (["push", "--endpoint", "http:///store"], "is not an http(s) URL with a host"),
    (["merge", str(HP_SLICE), "-o", "merged.csv"], "unknown output format 'csv'"),
    (["serve", "--port", "99999"], "invalid value for '--port'"),
    (["serve", "--timeout", "nan"], "'nan' is not a finite number of seconds"),
    (["serve", "--timeout", "0"], "invalid value for '--timeout'"),
    (["serve", "--workers", "0"], "invalid value for '--workers'"),
    (["serve", "--memory-limit", "-1"], "invalid value for '--memory-limit'"),
]


@pytest.mark.parametrize("args, message", BAD_PARAMETERS, ids=[" ".join(a) for a, _ in BAD_PARAMETERS])
def test_bad_parameters_are_one_line(work, args, message):
    _run_in(work, args, mentions=message)


def test_rdfxml_syntax_error_says_file_line_and_column(work):
    line = _run_in(work, ["info", "-i", str(work / "broken.owl")])
    assert line == f"kgtools: error: {work}/broken.owl:4:5: syntax error at line 4, column 5: unbound prefix"


def test_turtle_named_owl_is_one_short_line_without_its_content(work):
    line = _run_in(work, ["info", "-i", str(work / "turtle-named.owl")])
    assert line == f"kgtools: error: {work}/turtle-named.owl:1:2: syntax error at line 1, column 2: not well-formed (invalid token)"


def test_binary_input_is_not_echoed_raw(work):
    line = _run_in(work, ["info", "-i", str(work / "binary.ttl")])
    assert line.isprintable() and len(line) < 300


@pytest.mark.parametrize("suffix", [".ttl", ".nt"])
def test_a_literal_over_16_mib_is_read(tmp_path, suffix):
    """Oxigraph's Turtle and N-Triples parsers stop at 16 MiB for one term; such a file is read all the same."""
    huge = tmp_path / f"huge{suffix}"
    literal = "calcium " * (17 * 2**20 // 8)
    huge.write_text(f'<http://example.org/a> <http://www.w3.org/2000/01/rdf-schema#comment> "{literal}" .\n')
    result = CliRunner().invoke(main, ["info", "-i", str(huge), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"triples": 1' in result.stdout


def test_packaged_ontology_is_never_an_output():
    result = CliRunner().invoke(main, ["export", "-o", str(resources.ontology_path())])
    _assert_one_line_error(result, mentions="is also an input")


# --------------------------------------------------------------------------- folders appear whole


def test_a_pipe_as_output_is_written_into_not_replaced(tmp_path):
    """``-o`` naming a pipe or a device (``/dev/null``, ``/dev/stdout``) writes into it; a rename would replace it."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    result = CliRunner().invoke(main, ["export", "--format", "nt", "-o", str(pipe), "-i", SMALL])
    reader.join(60)
    assert result.exit_code == 0, result.output
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    assert received and received[0].count(b" .\n") == 12


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_as_output_stays_a_device(tmp_path):
    null = tmp_path / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # what /dev/null is
    result = CliRunner().invoke(main, ["export", "-o", str(null)])
    assert result.exit_code == 0, result.output
    assert stat.S_ISCHR(os.stat(null).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["null"]


def test_release_replaces_an_earlier_release_whole(tmp_path):
    out = tmp_path / "release"
    out.mkdir()
    (out / "ccut.owl").write_text("an earlier release\n")
    result = CliRunner().invoke(main, ["release", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(out.iterdir())) == 15
    assert (out / "ccut.owl").read_text().startswith("<?xml")
    assert [p.name for p in tmp_path.iterdir()] == ["release"]


def test_release_never_replaces_a_folder_holding_other_files(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("my notes\n")
    result = CliRunner().invoke(main, ["release", "-o", str(out)])
    _assert_one_line_error(result, mentions="holds files this command does not write (notes.txt)")
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["mine"]


def test_publish_failing_half_way_leaves_the_earlier_output_as_it_was(tmp_path):
    """Another ontology lacks a term a stored query's default names: publish stops, out/ is untouched."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "ccut.ttl").write_text("an earlier publication\n")
    other = tmp_path / "other.ttl"
    shutil.copy(DATA / "foreign-terms.ttl", other)
    before = _snapshot(tmp_path)
    result = CliRunner().invoke(main, ["publish", "-i", str(other), "-o", str(out)])
    _assert_one_line_error(result, mentions="unknown term 'calcium deposit'")
    assert _snapshot(tmp_path) == before


def test_merge_with_an_unwritable_report_writes_nothing(tmp_path):
    result = CliRunner().invoke(main, ["merge", str(HP_SLICE), "--reason", "none", "-o", str(tmp_path / "m.owl"),
                                       "--report", "/missing/r.json"])
    _assert_one_line_error(result, mentions="cannot write /missing/r.json: folder /missing does not exist")
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- real processes


@pytest.mark.parametrize("args, message", [
    (["validate", "--frmat", "json"],
     "kgtools: error: no such option '--frmat'. Did you mean '--format'? (try 'kgtools validate --help')"),
    (["export", "-o", "/proc/kgtools-out.ttl"], "kgtools: error: cannot write /proc/kgtools-out.ttl: No such file or directory"),
    (["query", "forms", "--endpoint", "http://[::1/x"],
     "kgtools: error: invalid value for '--endpoint': 'http://[::1/x' is not a valid URL (Invalid IPv6 URL) "
     "(try 'kgtools query --help')"),
])
def test_a_process_prints_one_line_and_exits_2(kgtools_process, args, message):
    proc = kgtools_process(*args)
    assert (proc.returncode, proc.stderr, proc.stdout) == (2, message + "\n", "")


@pytest.mark.parametrize("command", ["entities", "info"])
def test_a_reader_that_goes_away_stops_the_command_quietly(command):
    """``kgtools entities | head``: when standard output's reader has gone, exit 141 as SIGPIPE would, saying nothing."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        proc = subprocess.run([sys.executable, "-m", "kgtools.cli", command], stdout=write_end, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write_end)
    assert (proc.returncode, proc.stderr) == (141, "")


@pytest.mark.parametrize("signum, code, said", [(signal.SIGINT, 130, "kgtools: interrupted"),
                                              (signal.SIGTERM, 143, "kgtools: terminated"),
                                              (signal.SIGHUP, 129, "kgtools: hung up")])
def test_publish_interrupted_half_way_leaves_nothing(tmp_path, signum, code, said):
    """A real ``kgtools publish``, stopped once it has written files into its folder: no output, no temporary."""
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "kgtools.cli", "publish", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(tmp_path.glob(".out.*.tmp/ccut.owl")):
            assert proc.poll() is None and time.monotonic() < deadline, "publish ended before it was interrupted"
            time.sleep(0.05)
        proc.send_signal(signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == said
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- fuzz pass over the parsers' error paths


def _mutations(seed: str, text: bytes, count: int):
    """``count`` copies of ``text``, each with a few random byte flips, insertions, deletions or a cut."""
    rng = random.Random(seed)
    for _ in range(count):
        data = bytearray(text)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(data))
            action = rng.choice(("flip", "insert", "delete", "cut", "punctuation"))
            if action == "flip":
                data[at] = rng.randrange(256)
            elif action == "insert":
                data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
            elif action == "delete":
                del data[at:at + rng.randint(1, 16)]
            elif action == "cut":
                del data[at:]
            else:
                data[at:at] = rng.choice([b"<", b">", b'"', b"{", b"}", b".", b";", b"@", b"\\", b"[", b"]", b"\n"])
            if not data:
                data = bytearray(b"x")
        yield bytes(data)


def _turtle_sample() -> bytes:
    return b"".join(resources.ontology_path().read_bytes().splitlines(keepends=True)[:80])


RDFXML_SAMPLE = b"""<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"
         xmlns:owl="http://www.w3.org/2002/07/owl#" xmlns:obo="http://purl.obolibrary.org/obo/"
         xml:base="http://purl.obolibrary.org/obo/ccut.owl">
  <owl:Ontology rdf:about=""/>
  <owl:Class rdf:about="http://purl.obolibrary.org/obo/CCUT_0009903">
    <rdfs:label xml:lang="en">calcinosis cutis based on metastatic calcification</rdfs:label>
    <obo:CCUT_0000001 rdf:datatype="http://www.w3.org/2001/XMLSchema#integer">12</obo:CCUT_0000001>
    <owl:equivalentClass>
      <owl:Class>
        <owl:intersectionOf rdf:parseType="Collection">
          <rdf:Description rdf:about="http://purl.obolibrary.org/obo/CCUT_0001000"/>
          <owl:Restriction>
            <owl:onProperty rdf:resource="http://purl.obolibrary.org/obo/RO_0004019"/>
            <owl:someValuesFrom rdf:resource="http://purl.obolibrary.org/obo/CCUT_0002011"/>
          </owl:Restriction>
        </owl:intersectionOf>
      </owl:Class>
    </owl:equivalentClass>
  </owl:Class>
  <rdf:Description rdf:ID="note" rdfs:comment="an attribute &amp; an entity">
    <rdfs:seeAlso rdf:parseType="Resource"><rdfs:label>nested</rdfs:label></rdfs:seeAlso>
  </rdf:Description>
</rdf:RDF>
"""


def _obo_sample() -> bytes:
    return b"".join(HP_SLICE.read_bytes().splitlines(keepends=True)[:60])


FUZZ = {  # per parser: where its sample comes from, the file suffix, and the command that reads it
    "turtle": (_turtle_sample, ".ttl", lambda path: ["info", "-i", path]),
    "rdfxml": (lambda: RDFXML_SAMPLE, ".owl", lambda path: ["info", "-i", path]),
    "obo": (_obo_sample, ".obo", lambda path: ["align", path, "-i", SMALL]),
    "sparql": (lambda: (resources.data_dir("queries") / "forms.rq").read_bytes(), ".rq",
               lambda path: ["query", path, "-i", SMALL]),
}
FUZZ_CASES = 100


@pytest.mark.parametrize("parser", sorted(FUZZ))
def test_fuzzed_inputs_end_in_success_or_one_line(tmp_path, parser):
    sample, suffix, command = FUZZ[parser]
    outcomes = {0: 0, 2: 0}
    for number, data in enumerate(_mutations(parser, sample(), FUZZ_CASES)):
        path = tmp_path / f"case{number}{suffix}"
        path.write_bytes(data)
        result = CliRunner().invoke(main, command(str(path)))
        assert result.exit_code in outcomes, (path.read_bytes()[:200], result.exit_code, result.output[-500:])
        if result.exit_code == 2:
            _assert_one_line_error(result)
        outcomes[result.exit_code] += 1
        assert path.read_bytes() == data
    assert outcomes[2] > 0  # the mutations do reach the error paths
