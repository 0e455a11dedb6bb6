"""The packaged rules are parsed from their TOML once per version of the texts: later runs read the same
records from the user's cache folder, and any trouble with that folder only means parsing again."""
from __future__ import annotations

import json
import os
import tomllib
from importlib import resources

import pytest

from thidua_xl.rules import load_builtin
from thidua_xl.rules import loading
from thidua_xl.rules.records import Rule


def _packaged() -> list[tuple[str, str]]:
    folder = resources.files("thidua_xl.rules").joinpath("data")
    return [(e.name, e.read_text(encoding="utf-8")) for e in sorted(folder.iterdir(), key=lambda e: e.name)
            if e.name.endswith(".toml")]


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "cache"))
    return tmp_path / "cache"


def _cached_files(cache) -> list:
    return sorted(cache.rglob("rules-*.json"))


def test_the_cached_records_are_the_parsed_ones(cache):
    files = _packaged()
    parsed = [(name, tomllib.loads(text).get("rule", [])) for name, text in files]
    assert loading.parsed_records(files) == parsed  # first run: parsed, then kept
    [kept] = _cached_files(cache)
    assert [tuple(x) for x in json.loads(kept.read_text(encoding="utf-8"))] == parsed
    assert loading.parsed_records(files) == parsed  # second run: read back
    expected = [Rule.from_record(rec, name) for name, recs in parsed for rec in recs]
    assert load_builtin().rules == expected and load_builtin().rules == expected


def test_the_cache_is_read_and_a_changed_text_is_parsed_again(cache):
    files = [("a.toml", '[[rule]]\nid = "X"\nkind = "required"\ncode = "C"\nmessage = "m"\n')]
    assert loading.parsed_records(files)[0][1][0]["id"] == "X"
    [kept] = _cached_files(cache)
    kept.write_text(json.dumps([["a.toml", [{"id": "FROM_CACHE"}]]]), encoding="utf-8")
    assert loading.parsed_records(files)[0][1][0]["id"] == "FROM_CACHE"  # the same text: the cache answers
    changed = [("a.toml", files[0][1].replace('"X"', '"Y"'))]
    assert loading.parsed_records(changed)[0][1][0]["id"] == "Y"


def test_a_damaged_cache_or_records_json_cannot_hold_are_parsed(cache):
    files = [("a.toml", '[[rule]]\nid = "X"\nkind = "required"\ncode = "C"\nmessage = "m"\n')]
    loading.parsed_records(files)
    [kept] = _cached_files(cache)
    for damaged in ("{not json", "[]", '[["a.toml", [1, 2]]]', '[["b.toml", []]]'):
        kept.write_text(damaged, encoding="utf-8")
        assert loading.parsed_records(files)[0][1][0]["id"] == "X"
    dated = [("d.toml", '[[rule]]\nid = "D"\nkind = "required"\ncode = "C"\nmessage = "m"\nfrom = 2024-01-01\n')]
    got = loading.parsed_records(dated)
    assert str(got[0][1][0]["from"]) == "2024-01-01" and len(_cached_files(cache)) == 1  # a date: never cached


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="a folder root can still write to")
def test_a_read_only_cache_folder_only_means_parsing(cache):
    cache.mkdir()
    cache.chmod(0o500)
    try:
        assert [r.id for r in load_builtin()] == [r.id for r in load_builtin()]
        assert not _cached_files(cache)
    finally:
        cache.chmod(0o700)


def test_a_cache_folder_that_is_a_file_only_means_parsing(cache):
    cache.write_text("not a folder", encoding="utf-8")
    files = _packaged()
    assert loading.parsed_records(files) == [(n, tomllib.loads(t).get("rule", [])) for n, t in files]
