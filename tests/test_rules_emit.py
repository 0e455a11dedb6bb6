"""A check's findings: one per row caught, the rule's message filled from that row (over the rule's params and
the check's values), pointing at the row's file, sheet, row and column. `emit` fills the messages column by
column; each must read as the template filled from the row's own values, row by row."""
from __future__ import annotations

import math
import random

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.catalog import load_catalog
from thidua_xl.model import WARNING
from thidua_xl.rules.context import Context
from thidua_xl.rules.emit import _SafeDict, _fmt, emit, template_fields
from thidua_xl.rules.records import Rule

CATALOG = load_catalog()
CODES = [a.code for a in CATALOG][:4]


def _context(df: pl.DataFrame) -> Context:
    return Context(df=df, year=2024, catalog=CATALOG, initiatives=pl.DataFrame(), known=pl.DataFrame())


def _row_by_row(ctx: Context, rule: Rule, rows: pl.DataFrame, values: dict) -> list[str]:
    """The message of each row as the template filled from a dict of that row over the params and values."""
    out = []
    names = template_fields(rule.message)
    for rec in rows.to_dicts():
        vals = {"year": ctx.year, **rule.params, **values, **rec}
        if not vals.get("award_name"):
            vals["award_name"] = ctx.award_name(rec.get("award"))
        text = rule.message.format_map(_SafeDict({k: _fmt(vals[k]) for k in names if k in vals}))
        tail = f"Quy định {rule.id}" + (f"; căn cứ: {rule.legal_ref}" if rule.legal_ref else "")
        out.append(f"{text} [{tail}]")
    return out


TEXTS = st.one_of(st.none(), st.sampled_from(["", "Nguyễn Thị Hoà", "Nguye\u0302\u0303n", "Đặng  Văn", "{x}", "a}b{"]),
                  st.text(max_size=8))
TEMPLATES = ["“{ho_ten}” ({award_name} năm {year}): {detail}", "{ho_ten} {nope} {{literal}} {count}",
             "Không có {needs} năm {first_year}–{year}", "{award_name}", "{share}: {ho_ten!r:>12}", "cố định",
             "{unit} dòng {row}: {count} người, {ho_ten}, {detail} ({award_name}, {award}) {year} {missing} {{}}",
             "{share} và {needs}", "{detail}{{x}}{count}{first_year}"]


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_each_message_reads_as_the_template_filled_from_its_row(data):
    _messages_read_row_by_row(data)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_many_messages_written_by_one_polars_query_read_as_those_python_writes(data):
    """From `MANY_MESSAGES` rows a template of plain fields over text and integer values is written by Polars:
    every message the same text, the fields a template cannot take that way (a float, a format spec) in Python."""
    from thidua_xl.rules import emit as emitting

    many = emitting.MANY_MESSAGES
    emitting.MANY_MESSAGES = 1
    try:
        _messages_read_row_by_row(data)
    finally:
        emitting.MANY_MESSAGES = many


def _messages_read_row_by_row(data) -> None:
    n = data.draw(st.integers(1, 6))
    col = lambda s: data.draw(st.lists(s, min_size=n, max_size=n))  # noqa: E731
    rows = pl.DataFrame({
        "_i": list(range(n)), "file": col(st.sampled_from(["A.xlsx", "B.xlsx"])), "sheet": col(st.just("DS")),
        "row": col(st.one_of(st.none(), st.integers(1, 900))), "unit": col(TEXTS), "ho_ten": col(TEXTS),
        "award": col(st.one_of(st.none(), st.sampled_from(CODES + ["KHAC"]))),
        "award_name": col(st.one_of(st.none(), st.sampled_from(["", "Bằng khen"]))), "detail": col(TEXTS),
        "count": pl.Series(col(st.one_of(st.none(), st.integers(0, 50))), dtype=pl.Int64),
        "share": pl.Series(col(st.one_of(st.none(), st.just(math.nan), st.floats(0, 1))), dtype=pl.Float64),
        "_column": col(st.one_of(st.none(), st.sampled_from(["", "Ngày sinh"]))),
    }, schema_overrides={"row": pl.Int64, "award_name": pl.String, "award": pl.String})
    message = data.draw(st.sampled_from(TEMPLATES))
    params = data.draw(st.sampled_from([{}, {"needs": "LĐTT", "award_name": ""}, {"award_name": "Tên riêng"},
                                        {"needs": "{x} a}b{ {{"}]))
    rule = Rule(id="T.EMIT", kind="required", code="CRITERIA_NOT_MET", message=message, params=params,
                legal_ref=data.draw(st.sampled_from([None, "Luật Thi đua, khen thưởng 2022, Điều 24"])),
                verified=data.draw(st.booleans()))
    ctx = _context(rows.drop("detail", "count", "share", "_column"))
    values = data.draw(st.sampled_from([{}, {"first_year": 2019}, {"detail": "từ giá trị"}]))
    rules = data.draw(st.sampled_from([(), ("T.EMIT", "T.OTHER")]))
    got = emit(ctx, rule, rows, "Hình thức đề nghị", rules=rules, **values)
    assert [f.message for f in got] == _row_by_row(ctx, rule, rows, values)
    recs = rows.to_dicts()
    assert [(f.file, f.sheet, f.row, f.column, f.unit) for f in got] == [
        (r["file"], r["sheet"], r["row"], r["_column"] or "Hình thức đề nghị", r["unit"]) for r in recs]
    assert {(f.rule, f.rules, f.verified, f.code, f.legal_basis) for f in got} == {
        (rules[0] if rules else "T.EMIT", rules, rule.verified, "CRITERIA_NOT_MET", rule.legal_ref)}


def test_a_template_python_cannot_parse_fails_as_formatting_it_does():
    rows = pl.DataFrame({"_i": [0], "file": ["A.xlsx"], "sheet": ["DS"], "row": [7], "unit": ["BV"],
                         "ho_ten": ["An"], "award": [CODES[0]], "award_name": [""]})
    rule = Rule(id="T.BAD", kind="required", code="C", message="{ho_ten", severity=WARNING)
    try:
        rule.message.format_map({})
    except ValueError as exc:
        expected = type(exc)
    try:
        emit(_context(rows), rule, rows, None)
        raised = None
    except ValueError as exc:
        raised = type(exc)
    assert raised is expected


def test_findings_point_at_their_rows_in_order():
    rnd = random.Random(3)
    n = 50
    rows = pl.DataFrame({"_i": list(range(n)), "file": [f"DV{rnd.randint(1, 3)}.xlsx" for _ in range(n)],
                         "sheet": ["Danh sách"] * n, "row": list(range(7, 7 + n)), "unit": ["BV A"] * n,
                         "ho_ten": [f"Người {i}" for i in range(n)], "award": [CODES[0]] * n, "award_name": [""] * n})
    rule = Rule(id="T.ROWS", kind="required", code="C", message="“{ho_ten}” đề nghị {award_name}")
    got = emit(_context(rows), rule, rows, "Họ và tên")
    assert [(f.file, f.row) for f in got] == list(zip(rows.get_column("file").to_list(), range(7, 7 + n)))
    assert got[0].message == f"“Người 0” đề nghị {CATALOG.by_code[CODES[0]].name} [Quy định T.ROWS]"


def test_findings_are_the_records_finding_makes():
    """`findings` sets a finding's fields itself (thousands a run): each record equals, hashes and reads as the
    one `Finding(…)` makes, shared values and per-row ones alike."""
    from thidua_xl.model import Finding
    from thidua_xl.rules.emit import findings

    got = findings("NOT_CHECKED", WARNING, ["a", "b"], ["BV A.xlsx", None], ["Cá nhân", "TT"], [7, None],
                   ["Hình thức đề nghị", None], ["Bệnh viện A", ""], "B.X", None, False, ("B.X", "B.Y"))
    want = [Finding("NOT_CHECKED", WARNING, "a", file="BV A.xlsx", sheet="Cá nhân", row=7, column="Hình thức đề nghị",
                    unit="Bệnh viện A", rule="B.X", legal_basis=None, verified=False, rules=("B.X", "B.Y")),
            Finding("NOT_CHECKED", WARNING, "b", file=None, sheet="TT", row=None, column=None, unit="", rule="B.X",
                    legal_basis=None, verified=False, rules=("B.X", "B.Y"))]
    assert got == want and [hash(f) for f in got] == [hash(f) for f in want]
    assert [vars(f) for f in got] == [vars(f) for f in want] and [f.to_dict() for f in got] == [f.to_dict() for f in want]
    assert findings("C", WARNING, [], [], [], [], [], [], "R", "L", True, ()) == []


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Khoa Nội", "Khoa Nội ", "khoa nội", "Khoa Nhi", "", "Z", "z", "é"]),
                          st.text(max_size=4)), max_size=40), st.booleans(), st.booleans())
def test_messages_made_once_per_distinct_text_read_as_each_made(texts, with_null, named):
    """`_texts`, which makes each distinct message once when many repeat, gives the messages Polars holds."""
    from thidua_xl.rules.emit import _texts

    messages = pl.Series(texts + ([None] if with_null else []), dtype=pl.String)
    names = messages.str.slice(0, 1) if named else None
    assert _texts(messages, names) == messages.to_list()
