"""The Sở's year as one pipeline: each step takes a frozen YearResult and gives a new one, timed.

Real unit workbooks are written here and read back; the steps are the same the command line, the
ribbon and the demo call.
"""
from __future__ import annotations

import dataclasses
import json
import logging

import pytest
from validate_helpers import FIRST_ROW as R, person, write_unit

from thidua_xl import audit, pipeline
from thidua_xl.cli import main


@pytest.fixture
def unit(tmp_path):
    return write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("NguyÔn V¨n B×nh", "Lao ®éng tiªn tiÕn"),  # TCVN3, as old files still come
        person("Lê Văn Cường", "Giấy khen"),
        person("Trần Thị Dung", "Lao động tiên tiến", dob="31/02/1985"),
    ], year=2020)


def test_each_step_returns_a_new_result_and_leaves_the_one_it_was_given(unit):
    read = pipeline.read([unit])
    assert read.year == 2020 and len(read.intake.nominations) == 3
    normalised = pipeline.normalise(read)
    # the legacy text is converted in a new frame on the new result's intake, never in the caller's
    assert read.intake.nominations.loc[0, "ho_ten"] == "NguyÔn V¨n B×nh" and not read.intake.findings
    assert normalised.intake.nominations.loc[0, "ho_ten"] == "Nguyễn Văn Bình"
    assert normalised.intake.nominations.loc[0, "award"] == "LDTT"
    assert [(f.code, f.row) for f in normalised.intake.findings] == [("LEGACY_ENCODING", R)] * 2
    checked = pipeline.validate(normalised, history=False)
    assert checked is not normalised and normalised.findings == ()
    codes = {(f.code, f.row) for f in checked.findings}
    assert ("LEGACY_ENCODING", R) in codes and ("BAD_DATE", R + 2) in codes
    # each converted cell is reported once, whether or not the caller normalised first
    direct = pipeline.validate(read, history=False)
    assert [f.to_dict() for f in direct.findings] == [f.to_dict() for f in checked.findings]
    assert sum(f.code == "LEGACY_ENCODING" for f in checked.findings) == 2
    totals = pipeline.consolidate(checked)
    assert checked.consolidation is None
    assert totals.consolidation.totals["LDTT"]["ca_nhan"] == 2
    assert totals.consolidation.totals["GK"]["ca_nhan"] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        totals.year = 2021


def test_the_findings_alone_leave_the_callers_intake_as_it_was_read(unit):
    intake = pipeline.load([unit])
    frame = intake.nominations
    found = pipeline.check(intake, 2020, history=False)
    assert sum(f.code == "LEGACY_ENCODING" for f in found) == 2
    assert intake.nominations is frame and frame.loc[0, "ho_ten"] == "NguyÔn V¨n B×nh"
    assert not intake.findings


def test_every_step_is_timed_and_logged(unit, caplog):
    with caplog.at_level(logging.INFO, logger="thidua_xl.pipeline"):
        result = pipeline.run([unit], history=False)
    assert [step for step, _ in result.timings] == ["read", "normalise", "validate", "consolidate"]
    assert all(seconds >= 0 for _, seconds in result.timings)
    logged = [r.getMessage().split()[0] for r in caplog.records if r.name == "thidua_xl.pipeline"]
    assert logged == ["read", "normalise", "validate", "consolidate"]


def test_decide_and_render_write_the_documents_of_the_valid_rows(unit, tmp_path):
    out = tmp_path / "van-ban"
    result = pipeline.run([unit], history=False, out=out, kinds=["to-trinh", "quyet-dinh"])
    assert [s for s, _ in result.timings] == ["read", "normalise", "validate", "consolidate", "decide", "render"]
    # the row with an impossible date of birth is kept out of the decision, with its reason; the
    # legacy-encoded row too (its text must be sent again in Unicode); the valid one is decided
    assert {(e.row, e.reason) for e in result.decision.excluded} == {(R, "loi"), (R + 2, "loi")}
    assert result.decision.proposed.totals["GK"]["ca_nhan"] == 1
    names = [p.name for p in result.documents]
    assert names and all(p.is_file() and p.parent == out for p in result.documents)
    assert any(n.startswith("Quyet-dinh") for n in names)
    assert result.reconciliation == out / "doi-chieu.xlsx" and result.reconciliation.is_file()


def test_archive_keeps_a_unit_list_waiting_until_its_decision_is_named(unit, tmp_path):
    db = tmp_path / "lich-su.sqlite"
    waiting = pipeline.archive(pipeline.read([unit]), db)
    assert [s for s, _ in waiting.timings] == ["read", "archive"]  # a unit list is not validated first
    assert waiting.archived.added == 0 and waiting.archived.pending > 0
    assert any(f.code == "NOT_GRANTED" for f in waiting.archived.findings)
    granted = pipeline.archive(pipeline.read([unit]), db, decision_no="15/QĐ-SYT", decision_date="20/12/2020")
    assert granted.archived.added > 0


def test_verbose_shows_each_step_and_the_audit_log_keeps_the_times(unit, tmp_path, capsys):
    out = tmp_path / "tong-hop.json"
    code = main(["--verbose", "consolidate", str(unit), "--json", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    steps = [line.split()[0] for line in captured.err.splitlines() if line.strip().endswith(" s")]
    assert steps == ["read", "consolidate"]
    assert json.loads(out.read_text("utf-8"))["totals"]["GK"]["ca_nhan"] == 1
    entry = audit.read(tmp_path)[-1]
    assert entry["command"] == "consolidate" and set(entry["timings"]) == {"read", "consolidate"}


def test_without_verbose_the_steps_say_nothing(unit, tmp_path, capsys):
    assert main(["consolidate", str(unit)]) == 0
    assert not [line for line in capsys.readouterr().err.splitlines() if line.strip().endswith(" s")]


@dataclasses.dataclass(frozen=True, eq=False)
class _ResultAsDataclass:  # what YearResult was: its plain class must behave the same
    intake: object
    year: int
    findings: tuple = ()
    consolidation: object = None
    decision: object = None
    documents: tuple = ()
    reconciliation: object = None
    certificates: tuple = ()
    deliveries: tuple = ()
    archived: object = None
    timings: tuple = ()


def test_a_year_result_is_the_frozen_record_it_was():
    """Made with any of its fields, changed only into a new one: the same fields, repr, identity equality and
    hashing as the frozen dataclass (eq=False) it was; an unknown field refused alike."""
    from thidua_xl.pipeline import YearResult, replace

    names = [f.name for f in dataclasses.fields(_ResultAsDataclass)]
    given = {"intake": "intake", "year": 2024, "findings": ("f",), "timings": (("read", 0.1),)}
    got, twin = YearResult(**given), _ResultAsDataclass(**given)
    assert [getattr(got, n) for n in names] == [getattr(twin, n) for n in names]
    assert repr(got) == repr(twin).replace("_ResultAsDataclass", "YearResult")
    assert got == got and got != YearResult(**given) and hash(got) == object.__hash__(got)
    new, new_twin = replace(got, year=2025, documents=("a.docx",)), dataclasses.replace(twin, year=2025,
                                                                                      documents=("a.docx",))
    assert [getattr(new, n) for n in names] == [getattr(new_twin, n) for n in names] and got.year == 2024
    with pytest.raises(TypeError):
        replace(got, yeer=2025)
    with pytest.raises(dataclasses.FrozenInstanceError):
        got.year = 2025
