"""The JSON files the commands write (`validate --json`, `consolidate --json`) read exactly as the standard
library's indented JSON, whatever they hold: `fileio.json_text` only lays the innermost lists and objects
out with the C encoder."""
from __future__ import annotations

import datetime as dt
import enum
import json
import math
import random

import pytest

from thidua_xl.fileio import json_text, write_json


class _Text(str):
    pass


class _Level(enum.IntEnum):
    TINH = 2


def _standard(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False, default=str)


def _scalar(rnd: random.Random):
    return rnd.choice([
        "", "Nguyễn Thị Hoà", "Bệnh viện “Đa khoa”\n\tcột \\ \"B\"\x01\u2028", "😀", _Text("một lớp con"),
        0, -17, 10 ** 22, 0.1, -0.0, 1e300, math.nan, math.inf, -math.inf, 3.0,
        True, False, None, _Level.TINH, dt.date(2020, 2, 13), dt.datetime(2026, 11, 30, 8, 4)])


def _value(rnd: random.Random, depth: int = 0):
    r = rnd.random()
    if depth > 4 or r < 0.5:
        return _scalar(rnd)
    if r < 0.7:
        return [_value(rnd, depth + 1) for _ in range(rnd.randint(0, 4))]
    if r < 0.8:
        return tuple(_value(rnd, depth + 1) for _ in range(rnd.randint(0, 3)))
    keys = [rnd.choice(["năm", 'a"b', 1, 2.5, True, None]) if rnd.random() < 0.1 else f"k{i}"
            for i in range(rnd.randint(0, 4))]
    return {k: _value(rnd, depth + 1) for k in keys}


def test_random_documents_read_byte_for_byte_as_the_standard_indented_json():
    rnd = random.Random(2026)
    for _ in range(3000):
        obj = _value(rnd)
        assert json_text(obj) == _standard(obj)


def test_a_findings_file_reads_as_before(tmp_path):
    finding = {"code": "NOT_CHECKED", "severity": "warning", "message": "Không kiểm tra được “Nguyễn Văn An” [Quy định X]",
               "file": "BV A.xlsx", "sheet": "Cá nhân", "row": 12, "column": None, "unit": "Bệnh viện A",
               "rule": "B.X", "legal_basis": "Luật Thi đua, khen thưởng 2022", "verified": False}
    doc = {"year": 2025, "findings": [finding, {**finding, "row": 13}, {}], "counts": {"error": 0, "warning": 2},
           "sources": [{"file": "BV A.xlsx", "sheets": [{"name": "Cá nhân", "missing": []}]}], "empty": []}
    path = write_json(tmp_path / "ket-qua.json", doc)
    assert path.read_bytes() == (_standard(doc) + "\n").encode("utf-8")


def test_what_the_standard_library_refuses_is_refused_alike():
    loop: list = [1]
    loop.append({"x": loop})
    with pytest.raises(ValueError, match="Circular"):
        json_text(loop)
    with pytest.raises(TypeError):
        json_text({"a": [1, {(1, 2): "tuple key"}]})


def test_objects_holding_lists_read_as_before_whatever_their_text():
    """A finding holds its rule codes: such an object is encoded in one piece with markers for its lists; text that
    looks like a marker, the same list twice, empty lists and tuples change nothing."""
    rnd = random.Random(18)
    odd = ["\x000\x00", "\x00", "\\u0000", '"\\u00000\\u0000"', "\x001\x00 và \x000\x00", "[Quy định]", "{}", "a\u2028b"]
    for _ in range(3000):
        shared = [rnd.choice(odd + ["B.X"]) for _ in range(rnd.randint(0, 3))]

        def value():
            r = rnd.random()
            if r < 0.2:
                return shared
            if r < 0.4:
                return [rnd.choice(odd + ["B.X", 1, None]) for _ in range(rnd.randint(0, 3))]
            if r < 0.5:
                return {rnd.choice(odd + ["k"]): rnd.choice(odd) for _ in range(rnd.randint(0, 2))}
            if r < 0.55:
                return tuple(rnd.choice(odd) for _ in range(rnd.randint(0, 2)))
            return rnd.choice(odd + [_scalar(rnd)])

        finding = {rnd.choice(odd + [f"k{i}"]): value() for i in range(rnd.randint(1, 6))}
        doc = {"findings": [finding, [value() for _ in range(rnd.randint(0, 4))], finding]}
        assert json_text(doc) == _standard(doc)


def test_a_list_of_findings_reads_as_before_whatever_their_text():
    """A list of objects (the findings) is encoded in one piece, the separator between two objects widened: text
    holding braces, line breaks, marker-like or control characters, odd keys and empty lists change nothing."""
    rnd = random.Random(30)
    odd = ["\x000\x00", "\x00", "\\u0000", '"\\u00000\\u0000"', "}", "{", "},\n    {", "}, {", "[Quy định]", "{}",
           "a\u2028b", "Bệnh viện “Đa khoa”", 1, None, True, 2.5, math.nan, dt.date(2020, 2, 13)]

    def item():
        out = {}
        for k in range(rnd.randint(0, 5)):
            key = rnd.choice(["k", "}", "{", 1, True, None, 2.5]) if rnd.random() < 0.2 else f"k{k}"
            r = rnd.random()
            if r < 0.3:
                out[key] = [rnd.choice(odd) for _ in range(rnd.randint(0, 3))]
            elif r < 0.4:
                out[key] = {rnd.choice(["x", "y"]): rnd.choice(odd)}
            elif r < 0.45:
                out[key] = rnd.choice([(), [], {}, [[1]], {"z": [2]}])
            else:
                out[key] = rnd.choice(odd)
        return out

    for _ in range(3000):
        items = [item() for _ in range(rnd.randint(0, 5))]
        doc = {"year": 2024, "findings": items, "again": [items, items], "counts": {"error": 1}}
        assert json_text(doc) == _standard(doc)
        indent = rnd.choice([1, 4])
        assert json_text(items, indent) == json.dumps(items, ensure_ascii=False, default=str, indent=indent)
