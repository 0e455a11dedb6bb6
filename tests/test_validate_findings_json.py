"""`validate --json`: the findings file staff and other tools read. It is built from runs of fields
(`outputs.findings_text`); every byte must be what the general writer lays out from each finding's record
(`fileio.json_text(findings_json(...))`), whatever the findings hold: Vietnamese text composed or not,
quotes, backslashes, line breaks and control characters, missing values, rule codes or none."""
from __future__ import annotations

import dataclasses
import decimal
import json
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.fileio import json_text
from thidua_xl.model import ERROR, WARNING, Finding
from thidua_xl.pipeline.outputs import findings_bytes, findings_json, findings_text, findings_writer, write_findings
from thidua_xl.threads import Beside

NASTY = ["Nguyễn Văn Đức", "Nguye\u0302\u0303n", "Đ đ", "a\u00a0b\u2003c", "\u00b8\u00d5ng", "",
         'dấu "nháy" và \\ gạch', "dòng\nmới\r\ttab", "\x00\x01\x1f", "\u2028\u2029", "😀", "{x}", "null"]
text = st.one_of(st.sampled_from(NASTY), st.text(max_size=30))
maybe_text = st.one_of(st.none(), text)

finding = st.builds(
    Finding,
    code=st.sampled_from(["DUPLICATE", "NOT_CHECKED", "CRITERIA_NOT_MET", "LEGACY_ENCODING"]),
    severity=st.sampled_from([ERROR, WARNING, "info"]),
    message=text,
    file=maybe_text, sheet=maybe_text,
    row=st.one_of(st.none(), st.integers(min_value=-10, max_value=10**20)),
    column=maybe_text, unit=maybe_text, rule=maybe_text, legal_basis=maybe_text,
    verified=st.booleans(),
    rules=st.one_of(st.just(()), st.lists(text, min_size=1, max_size=3).map(tuple)),
)


def _result(findings, year=2024):
    return SimpleNamespace(year=year, findings=tuple(findings))


def _general(result, end=""):
    return json_text(findings_json(result)) + end


@settings(max_examples=300, deadline=None)
@given(st.lists(finding, max_size=12), st.integers(min_value=1990, max_value=2100))
def test_the_file_is_the_general_layout_byte_for_byte(findings, year):
    result = _result(findings, year)
    assert findings_text(result) == _general(result)
    assert findings_text(result, end="\n") == _general(result, "\n")
    assert json.loads(findings_text(result))["findings"] == [f.to_dict() for f in findings]
    # the file's bytes, joined and encoded by Polars: the same text in UTF-8
    assert findings_bytes(result, end="\n") == _general(result, "\n").encode("utf-8")
    # the file `validate --json` writes (its rows written by Polars, beside the tables): the same bytes
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "kiem-tra.json"
        Beside(findings_writer(result, out)).result()
        assert out.read_bytes() == _general(result, "\n").encode("utf-8")


@settings(max_examples=100, deadline=None)
@given(st.lists(finding, min_size=1, max_size=12), st.integers(min_value=1, max_value=5))
def test_the_rows_made_in_pieces_are_the_file_made_at_once(findings, piece):
    """Polars makes a large run's rows in pieces of a thousand findings: in pieces of any size, the same bytes."""
    from thidua_xl.pipeline import outputs

    result = _result(findings)
    saved = outputs._ROWS_PIECE
    outputs._ROWS_PIECE = piece
    try:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "kiem-tra.json"
            Beside(findings_writer(result, out)).result()
            assert out.read_bytes() == _general(result, "\n").encode("utf-8")
        assert findings_bytes(result, end="\n") == _general(result, "\n").encode("utf-8")
    finally:
        outputs._ROWS_PIECE = saved


@settings(max_examples=50, deadline=None)
@given(st.lists(finding, min_size=1, max_size=5))
def test_unusual_values_go_the_general_way(findings):
    """A row number that is a Decimal, a path for a file name, a finding of another class: laid out as before."""
    @dataclasses.dataclass(frozen=True)
    class Other(Finding):
        pass

    odd = [dataclasses.replace(findings[0], row=decimal.Decimal("7.5")),
           dataclasses.replace(findings[0], file=Path("DV01.xlsx")),
           Other(**{f.name: getattr(findings[0], f.name) for f in dataclasses.fields(Finding)})]
    for one in odd:
        result = _result([*findings, one])
        assert findings_text(result) == _general(result)
        assert findings_bytes(result) == _general(result).encode("utf-8")
        with tempfile.TemporaryDirectory() as tmp:
            write_findings(result, json_out=Path(tmp) / "kiem-tra.json")
            assert (Path(tmp) / "kiem-tra.json").read_bytes() == _general(result, "\n").encode("utf-8")


def test_write_findings_writes_the_file(tmp_path):
    findings = [Finding("DUPLICATE", ERROR, "Trùng “Nguyễn Văn A”", file="DV01.xlsx", sheet="Danh sách", row=7,
                        rule="A.TRUNG", rules=("A.TRUNG", "B.TRUNG")),
                Finding("NOT_CHECKED", WARNING, "Không kiểm tra được", unit="Khoa Nội", verified=False)]
    out = tmp_path / "kiem-tra.json"
    write_findings(_result(findings), json_out=out)
    assert out.read_bytes() == (_general(_result(findings)) + "\n").encode("utf-8")
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["counts"] == {ERROR: 1, WARNING: 1}
    assert data["findings"][0]["rules"] == ["A.TRUNG", "B.TRUNG"] and "rules" not in data["findings"][1]


def test_no_findings():
    result = _result([])
    assert findings_text(result, end="\n") == _general(result, "\n")
    assert findings_bytes(result, end="\n") == _general(result, "\n").encode("utf-8")
    assert json.loads(findings_text(result)) == {"year": 2024, "findings": [], "counts": {ERROR: 0, WARNING: 0}}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.builds(
    Finding,
    code=st.sampled_from(["DUPLICATE", "NOT_CHECKED"]), severity=st.sampled_from([ERROR, WARNING]), message=text,
    file=st.sampled_from(["DV01.xlsx", "DV02.xlsx", None]), sheet=st.sampled_from(["Danh sách", None]),
    row=st.sampled_from([1, True, 1.0, 0, False, 0.0, -0.0, None, 7]),
    column=st.sampled_from([None, "Họ và tên", 1, True]), unit=st.sampled_from(["Khoa Nội", None]),
    rule=st.sampled_from(["A.TRUNG", None]), legal_basis=st.sampled_from(["Điều 7", None]),
    verified=st.sampled_from([True, False, 1, 0]),
    rules=st.sampled_from([(), ("A.TRUNG", "B.TRUNG"), ("A.TRUNG",), (1,), (True,)])), max_size=10))
def test_values_equal_but_written_differently_stay_apart(findings):
    """1, True and 1.0 (0.0 and -0.0) are equal as keys but not as JSON: each is written as the general layout
    writes it, whichever finding came first with an equal value."""
    result = _result(findings)
    assert findings_text(result) == _general(result)
    assert findings_bytes(result) == _general(result).encode("utf-8")


def test_a_message_polars_cannot_take_is_written_as_before():
    """A lone surrogate (a text Python holds and UTF-8 cannot): Polars refuses it, the general way fails as it did."""
    result = _result([Finding("DUPLICATE", ERROR, "a\ud800b", file="DV01.xlsx", row=1)])
    with pytest.raises(UnicodeEncodeError):
        findings_text(result).encode("utf-8")
    with pytest.raises(UnicodeEncodeError):
        findings_bytes(result)
    with tempfile.TemporaryDirectory() as tmp, pytest.raises(UnicodeEncodeError):
        Beside(findings_writer(result, Path(tmp) / "kiem-tra.json")).result()
