"""The command line: real output, one clear message and a documented exit code on bad input."""

import csv
import json
from pathlib import Path

from click.testing import CliRunner

from kgtools.cli import main

DATA = Path(__file__).parent / "data"
BROKEN = DATA / "invalid-syntax" / "missing-dot.ttl"


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_info_json_counts_kinds():
    result = run("info", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["metadata"]["title"] == "Calcinosis Cutis Ontology"
    assert data["counts"]["form"] == 12
    assert data["counts"]["qualified statements"] == 10


def test_lookup_by_synonym_prints_the_entity():
    result = run("lookup", "calciophylaxis")
    assert result.exit_code == 0
    assert result.output.startswith("calciphylaxis  CCUT:0001004  (form)")
    assert "xref: MONDO:0017215" in result.output


def test_lookup_unknown_term_exits_2_with_suggestions():
    result = run("lookup", "calciphylaxsis")
    assert result.exit_code == 2
    assert result.output.strip() == "kgtools: error: unknown term 'calciphylaxsis'; did you mean: calciphylaxis, calciophylaxis?"


def test_entities_of_one_kind_as_json():
    result = run("entities", "--kind", "condition", "--format", "json")
    assert result.exit_code == 0
    labels = {e["label"] for e in json.loads(result.output)}
    assert "dermatomyositis" in labels and "calciphylaxis" not in labels


def test_coverage_passes_on_the_packaged_ontology():
    result = run("coverage", "--format", "json")
    assert result.exit_code == 0
    assert json.loads(result.output)["percent"] == 100.0


def test_coverage_fails_when_lines_are_uncited(tmp_path):
    partial = tmp_path / "partial.ttl"
    partial.write_text((DATA / "invalid-syntax" / "missing-dot.ttl").read_text().replace("@en\nobo", "@en .\nobo"))
    result = run("coverage", "-i", str(partial), "--format", "json")
    assert result.exit_code == 1
    assert json.loads(result.output)["percent"] == 0.0


def test_missing_file_exits_2():
    result = run("info", "-i", "no/such/file.ttl")
    assert result.exit_code == 2
    assert result.output.strip() == "kgtools: error: no/such/file.ttl: no such file"


def test_syntax_error_names_file_line_and_column():
    result = run("info", "-i", str(BROKEN))
    assert result.exit_code == 2
    assert result.output.startswith(f"kgtools: error: {BROKEN}:6:1: syntax error at line 6, column 1")


def test_export_writes_each_format_that_parses_back(tmp_path):
    from kgtools.ontology import Ontology, parse_file

    expected = len(Ontology.load().graph)
    for fmt in ("ttl", "owl", "nt", "jsonld"):
        out = tmp_path / f"calcinosis.{fmt}"
        assert run("export", "--format", fmt, "-o", str(out)).exit_code == 0
        assert len(parse_file(out)) == expected


def test_failed_export_leaves_the_existing_output_untouched(tmp_path):
    out = tmp_path / "calcinosis.ttl"
    out.write_text("previous release\n")
    result = run("export", "-i", str(BROKEN), "-o", str(out))
    assert result.exit_code == 2
    assert out.read_text() == "previous release\n"
    assert list(tmp_path.iterdir()) == [out]


def test_export_into_a_missing_directory_is_a_clear_error(tmp_path):
    result = run("export", "-o", str(tmp_path / "nowhere" / "x.ttl"))
    assert result.exit_code == 2
    assert result.output.strip() == f"kgtools: error: cannot write {tmp_path}/nowhere/x.ttl: folder {tmp_path}/nowhere does not exist"


def test_publish_writes_the_outputs(tmp_path):
    result = run("publish", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "coverage.json").read_text())["percent"] == 100.0
    assert (tmp_path / "ccut.owl").stat().st_size > 0
    assert "qc         ROBOT report on 9 release files as OWLAPI reads them: 0 ERROR" in result.output
    assert "coverage" in result.output
    assert "validate   conforms: 0 violations, 9 warnings, 0 infos" in result.output
    assert "reason     hermit: consistent, 0 unsatisfiable classes" in result.output
    assert (tmp_path / "validation.ttl").is_file() and (tmp_path / "inferred.ttl").is_file()
    assert "queries    18 stored queries answered into queries/" in result.output
    with (tmp_path / "queries" / "forms-for-condition.csv").open(newline="") as answer:
        rows = list(csv.DictReader(answer))  # the default condition: dermatomyositis
    assert [(r["form_label"], r["hedge_label"], r["lines"]) for r in rows] == [("calcinosis universalis", "as a rule", "51")]
    import networkx as nx

    graph = nx.read_graphml(tmp_path / "graph.graphml")
    assert graph.number_of_nodes() == 78 and "CCUT:0001004" in graph
    assert "pictures   78 terms, 124 relations: graph.html, graph.svg, graph.mmd, graph.graphml" in result.output


def test_publish_as_json_names_every_step_and_every_file_it_wrote(tmp_path):
    out = tmp_path / "out"
    result = run("publish", "-o", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["output"] == str(out.resolve())
    assert [step["name"] for step in report["steps"]] == ["info", "coverage", "export", "validate", "reason", "queries",
                                                          "pictures", "release", "qc", "mappings"]
    assert all(step["ok"] for step in report["steps"])
    steps = {step["name"]: step for step in report["steps"]}
    assert steps["coverage"]["summary"] == "100.0% of 43 content lines cited"
    assert steps["export"]["files"] == ["ccut.ttl", "ccut.owl", "ccut.nt", "ccut.jsonld"]
    listed = [f for step in report["steps"] for f in step["files"]]
    written = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert sorted(listed) == written and len(listed) == len(set(listed))


def test_a_query_on_standard_input_runs_with_its_header_parameters():
    text = ("# param: form (entity): a form\n"
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT ?label WHERE { ?form rdfs:label ?label }\n")
    result = CliRunner().invoke(main, ["query", "-", "--param", "form=calciphylaxis", "--format", "csv"], input=text)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["label", "calciphylaxis"]
    # Without a header it has no parameter; an undeclared prefix is named where it is.
    result = CliRunner().invoke(main, ["query", "-", "--format", "csv"], input="ASK {\n ?f skos:notation ?n }")
    assert result.exit_code == 2
    assert result.stderr == ("kgtools: error: standard input: SPARQL syntax error at line 2, column 5: the prefix "
                             "'skos:' is not declared (add a PREFIX line for it)\n")


def test_console_script_gives_no_traceback(kgtools_process):
    """The installed entry point, as a user runs it."""
    proc = kgtools_process("lookup", "no such thing")
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("kgtools: error: unknown term 'no such thing'")


def test_lookup_lists_what_is_said_with_hedges_and_lines():
    result = run("lookup", "dystrophic calcinosis cutis")
    assert result.exit_code == 0
    assert ("occurs in patients with: lupus erythematosus [only rarely] (qualified statement, not asserted)"
            "  — line 61, ECO:0000304") in result.output
    assert "disease has basis in: dystrophic calcification  — line 49, ECO:0000304" in result.output
    claims = json.loads(run("lookup", "calcinosis universalis", "--format", "json").output)["claims"]
    assert {"relation": "occurs in patients with", "target": "dermatomyositis", "hedge": "as a rule", "asserted": True,
            "lines": [51], "evidence": "ECO:0000304"} in claims


def test_blank_nodes_of_two_files_stay_apart(tmp_path):
    """Two files may both say _:r1; loading them together must not merge the two nodes."""
    from kgtools.ontology import Ontology

    for name, label in (("a.ttl", "first"), ("b.ttl", "second")):
        (tmp_path / name).write_text(f'_:r1 <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .\n')
    graph = Ontology.load(tmp_path / "a.ttl", tmp_path / "b.ttl").graph
    assert len(set(graph.subjects())) == 2


def test_every_command_of_every_family_is_listed_under_its_own_name():
    from kgtools.cli import COMMANDS, check, exchange, explore, look, sparql

    defined = {getattr(family, name).name for family in (look, check, sparql, explore, exchange)
               for name in family.__all__}
    assert set(COMMANDS) == defined
    assert all(main.get_command(None, name).name == name for name in COMMANDS)


def test_a_command_loads_only_its_own_family():
    import subprocess
    import sys

    script = ("import sys\nfrom kgtools.cli import main\n"
              "try:\n    main(['queries', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith('kgtools.cli.')), file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)
    assert result.stderr.strip() == "['kgtools.cli.group', 'kgtools.cli.options', 'kgtools.cli.output', 'kgtools.cli.sparql']"
