"""The store of record: small inputs in memory, large ones in a persistent store used only while current."""

import os
import shutil

import pytest

from kgtools import store as stores
from kgtools.errors import InputError
from kgtools.ontology import Ontology
from kgtools.resources import ontology_path


def test_small_inputs_are_parsed_into_memory():
    onto = Ontology.load()
    assert onto.location is None
    assert onto.lookup("calciphylaxis").curie == "CCUT:0001004"


def load(*paths, store):
    """Load, and wait for the persistent store the first load builds beside it."""
    onto = Ontology.load(*paths, store=store)
    stores.wait_for_builds()
    return onto


def test_a_persistent_store_is_built_once_and_reused(tmp_path):
    cache = tmp_path / "cache"
    parsed = load(ontology_path(), store=cache)
    assert parsed.location is None  # the first time the file is parsed, while its store is built
    first = load(ontology_path(), store=cache)
    assert first.location.parent == cache and first.location.is_dir()
    built = (first.location.stat().st_ino, (first.location / "kgtools-inputs.json").stat().st_mtime_ns)
    again = load(ontology_path(), store=cache)
    assert again.location == first.location
    assert (again.location.stat().st_ino, (again.location / "kgtools-inputs.json").stat().st_mtime_ns) == built
    assert len(again.store) == len(Ontology.load().store)
    assert again.lookup("calcinosis universalis").curie == "CCUT:0001006"
    # Nothing half-built is left beside it.
    assert [p.name for p in cache.iterdir() if p.is_dir()] == [first.location.name]


def test_a_changed_file_gets_a_new_store(tmp_path):
    cache, copy = tmp_path / "cache", tmp_path / "calcinosis.ttl"
    shutil.copy(ontology_path(), copy)
    load(copy, store=cache)
    before = load(copy, store=cache)
    with open(copy, "a", encoding="utf-8") as handle:
        handle.write('\n<http://purl.obolibrary.org/obo/CCUT_0009999> <http://www.w3.org/2000/01/rdf-schema#label> "added"@en .\n')
    load(copy, store=cache)
    after = load(copy, store=cache)
    assert after.location != before.location
    assert after.lookup("added").curie == "CCUT:0009999"
    with pytest.raises(Exception, match="unknown term"):
        before.lookup("added")


def test_the_cache_keeps_a_bounded_number_of_stores_and_never_one_in_use(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setattr(stores, "MAX_STORES", 1)
    monkeypatch.setattr(stores, "_LOCKS", {})
    load(ontology_path(), store=cache)
    in_use = load(ontology_path(), store=cache)
    copies = []
    for n in range(3):
        copy = tmp_path / f"copy{n}.ttl"
        copy.write_bytes(ontology_path().read_bytes() + f"\n# copy {n}\n".encode())
        load(copy, store=cache)
        copies.append(load(copy, store=cache).location)
    left = {p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")}
    # This process holds every store it opened: none may go, whatever the bound.
    assert left == {in_use.location, *copies}
    for fd in stores._LOCKS.values():
        os.close(fd)
    stores._LOCKS.clear()
    load(tmp_path / "copy2.ttl", store=cache)
    left = {p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")}
    assert left == {copies[-1]}


def test_xdg_cache_home_is_honoured(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert stores.cache_directory() == tmp_path / "kgtools" / "stores"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/path")
    assert stores.cache_directory() == stores.Path.home() / ".cache" / "kgtools" / "stores"


def test_a_syntax_error_leaves_no_store(tmp_path):
    cache, broken = tmp_path / "cache", tmp_path / "broken.ttl"
    broken.write_text("@prefix : <http://e/> .\n:a :b :c .\n:a :b \"x\n")
    with pytest.raises(InputError, match=r"broken.ttl:3:7: syntax error at line 3, column 7"):
        load(broken, store=cache)
    stores.wait_for_builds()
    assert [p for p in cache.iterdir() if p.is_dir()] == []


def test_the_graph_is_a_view_over_the_store_not_a_copy():
    from rdflib import RDFS, Literal, URIRef

    onto = Ontology.load()
    subject = URIRef("http://purl.obolibrary.org/obo/CCUT_0001004")
    assert (subject, RDFS.label, Literal("calciphylaxis", lang="en")) in onto.graph
    onto.graph.add((subject, RDFS.comment, Literal("seen through the store")))
    assert any(q.object.value == "seen through the store" for q in onto.store)
    assert Ontology(onto.graph).store is onto.store
