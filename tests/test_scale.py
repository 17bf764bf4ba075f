"""The commands on the ontology merged into the full HPO beside the repository: the same answers about the
project's terms as on the packaged ontology, and the HPO's terms found too. Skipped without the HPO."""

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def merged_owl(hpo_merged_file):
    # The annotation model kept: the hedged claims are answered on the merged file as on the ontology.
    return hpo_merged_file("owl", keep_annotation_model=True)


@pytest.fixture(scope="module")
def run(kgtools_process, tmp_path_factory):
    """``kgtools ARGS`` as a process with its own cache directory; fails on a traceback."""
    import os

    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path_factory.mktemp("cache")))

    def run_(*args):
        result = kgtools_process(*args, env=env)
        assert "Traceback" not in result.stderr, result.stderr
        return result

    run_.cache = Path(env["XDG_CACHE_HOME"]) / "kgtools" / "stores"
    return run_


def _wait_for_stores(cache: Path) -> list[Path]:
    """The persistent stores in ``cache``, once the process that builds them after a first command is done."""
    import time

    for _ in range(600):
        if cache.is_dir() and not any(p.name.endswith(".build") for p in cache.iterdir()):
            stores = [p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]
            if stores:
                return stores
        time.sleep(0.5)
    return []


def test_lookup_finds_project_and_hpo_terms_from_one_persistent_store(run, merged_owl):
    first = run("lookup", "calciphylaxis", "-i", str(merged_owl), "--format", "json")
    assert first.returncode == 0, first.stderr
    found = json.loads(first.stdout)
    assert (found["curie"], found["kind"]) == ("CCUT:0001004", "form")
    assert ("disease has basis in", "progressive calcification of small vessels") in {
        (c["relation"], c["target"]) for c in found["claims"]}
    stores = _wait_for_stores(run.cache)
    assert len(stores) == 1
    hpo_term = json.loads(run("lookup", "Renal insufficiency", "-i", str(merged_owl), "--format", "json").stdout)
    assert (hpo_term["curie"], hpo_term["kind"]) == ("HP:0000083", "phenotype")
    assert [p for p in run.cache.iterdir() if p.is_dir() and not p.name.startswith(".")] == stores


def test_query_answers_as_on_the_packaged_ontology(run, merged_owl):
    args = ("query", "forms-for-condition", "--param", "condition=renal failure", "--format", "csv")
    packaged, merged = run(*args), run(*args, "-i", str(merged_owl))
    assert merged.returncode == 0, merged.stderr
    assert sorted(merged.stdout.splitlines()) == sorted(packaged.stdout.splitlines())
    assert "calciphylaxis" in merged.stdout


def test_paths_are_those_of_the_packaged_ontology(run, merged_owl):
    args = ("paths", "renal failure", "calciphylaxis", "--format", "json")
    packaged, merged = run(*args), run(*args, "-i", str(merged_owl))
    assert merged.returncode == 0, merged.stderr
    assert [p["text"] for p in json.loads(merged.stdout)] == [p["text"] for p in json.loads(packaged.stdout)]


def test_explain_gives_the_chains_of_the_packaged_ontology(run, merged_owl):
    # The HPO's hierarchy joins the project's through the unified terms, but a chain never begins by
    # going from a general class to a specific one: what leads to calciphylaxis is what the text says.
    args = ("explain", "calciphylaxis", "--format", "json")
    packaged, merged = run(*args), run(*args, "-i", str(merged_owl))
    assert merged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout) == json.loads(packaged.stdout)


def test_viz_draws_the_neighbourhood_of_the_packaged_ontology(run, merged_owl):
    args = ("viz", "--focus", "calciphylaxis", "--depth", "1", "--format", "dot")
    packaged, merged = run(*args), run(*args, "-i", str(merged_owl))
    assert merged.returncode == 0, merged.stderr

    def drawing(result):  # all but the title, which names the ontology of the file's header
        return [line for line in result.stdout.splitlines() if not line.lstrip().startswith("graph [")]

    assert drawing(merged) == drawing(packaged)
    assert "CCUT:0002014" in merged.stdout  # progressive calcification of small vessels, its basis


def test_validate_reports_the_project_terms_as_for_the_packaged_ontology(run, merged_owl):
    packaged, merged = run("validate", "--format", "json"), run("validate", "--format", "json", str(merged_owl))
    assert merged.returncode == packaged.returncode == 0, merged.stderr
    assert json.loads(merged.stdout) == json.loads(packaged.stdout)
    assert json.loads(merged.stdout)["counts"] == {"Violation": 0, "Warning": 9, "Info": 0}
