"""Shortcuts validation takes for speed give the findings the long way gives.

The register is read only for the people of the run (`Context.people`): a history
match is still found, and records of anyone else change nothing.
"""
from __future__ import annotations

import random

import pytest
from validate_helpers import FIRST_ROW, ldtt_rows, person, write_table, write_unit

from thidua_xl import history
from thidua_xl.intake import read_paths
from thidua_xl.text import name_key
from thidua_xl.validate import validate

HEAD = ["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Đối tượng"]


def _findings(paths, year, db):
    return [f.__dict__ for f in validate(read_paths(paths), year, history=db)]


def _whole_register(monkeypatch):
    """Validation reading every register record of the window, as before the filter (no people asked for)."""
    import thidua_xl.validate as validation

    monkeypatch.setattr(validation, "_people_query", lambda lf, history_awards: None)


def test_a_history_match_is_still_found_and_other_records_change_nothing(tmp_path):
    db = tmp_path / "h.sqlite"
    mine = [["Nguyễn Văn An", "13/02/1980", "Bệnh viện A", y, "CSTĐCS", ""] for y in (2018, 2019)]
    mine += [["Trần Văn Cường", "", "Bệnh viện A", y, "CSTĐCS", ""] for y in (2018, 2019)]  # no birth: by unit
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, mine))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", "CSTĐ cấp tỉnh"), person("Nguyễn Văn An", "CSTĐCS", Sáng_kiến="SK"),
        person("Nguyễn Văn An", "LĐTT"), person("Lê Thị Bình", "CSTĐ cấp tỉnh", dob="1985"),
        person("Trần Văn Cường", "CSTĐ cấp tỉnh", dob="1985"),
        person("Trần Văn Cường", "CSTĐCS", dob="1985", Sáng_kiến="SK"), person("Trần Văn Cường", "LĐTT", dob="1985")]
        + ldtt_rows(12),
        initiatives=[["SK tỉnh", "Sáng kiến", "Tỉnh", "Nguyễn Văn An; Lê Thị Bình; Trần Văn Cường", 2020]])
    before = _findings([f], 2020, db)
    streak = [x["row"] for x in before if x["rule"] == "A.CSTD_TINH.CSTDCS_3_NAM"]
    assert streak == [FIRST_ROW + 3]  # both men's 2018–2019 CSTĐCS were found; Lê Thị Bình has none
    history.import_file(db, write_table(tmp_path / "b.xlsx", HEAD, [
        ["Người Khác", "1970", "Bệnh viện A", 2019, "CSTĐCS", ""],
        ["Nguyễn Văn An", "1975", "Bệnh viện A", 2019, "CSTĐCS", ""],  # a namesake born another year
        ["Khoa Dược", "", "Bệnh viện C", 2019, "TTLĐTT", "Tập thể"],
        ["Người Khác", "1970", "Bệnh viện A", 2005, "CSTĐCS", ""]]))  # a year outside the window
    assert _findings([f], 2020, db) == before


@pytest.mark.parametrize("seed", range(6))
def test_the_filtered_register_gives_the_findings_of_the_whole_register(tmp_path, monkeypatch, seed):
    """Random namesakes, birth dates or years or none, collectives and units on both sides."""
    rng = random.Random(seed)
    names = ["Nguyễn Văn An", "NGUYỄN VĂN AN", "Lê Thị Bình", "Trần Cường", "Khoa Nội", "Khoa Nhi", "Tổ Dược"]
    births = ["13/02/1980", "01/05/1980", "1980", "1992", "", ""]
    units = ["Bệnh viện A", "Bệnh viện B", "BV A"]
    past = ["CSTĐCS", "LĐTT", "BK UBND tỉnh", "TTLĐTT", "Giấy khen", "CSTĐ cấp tỉnh", "Bằng khen Thủ tướng"]
    rows = [[rng.choice(names), rng.choice(births), rng.choice(units), rng.randint(2008, 2024), rng.choice(past),
             rng.choice(["", "", "Tập thể", "Cá nhân"])] for _ in range(80)]
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "lich-su.xlsx", HEAD, rows))
    now = ["CSTĐ cấp tỉnh", "CSTĐCS", "LĐTT", "Bằng khen Thủ tướng", "TTLĐXS", "TTLĐTT", "Giấy khen", "HCLĐ hạng Ba"]
    files = []
    for u, unit in enumerate(units[:2]):
        nominees = []
        for _ in range(15):
            name, dob = rng.choice(names), rng.choice(births)
            nominees.append(person(name, rng.choice(now), dob=dob, gender="Nam" if dob else ""))
        files.append(write_unit(tmp_path / f"BV{u}.xlsx", unit, nominees + ldtt_rows(5, prefix=f"Người {u}")))
    for year in (2020, 2024):
        filtered = _findings(files, year, db)
        with monkeypatch.context() as m:
            _whole_register(m)
            assert _findings(files, year, db) == filtered


def test_load_frame_keeps_the_people_asked_for(tmp_path):
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, [
        ["Nguyễn Văn An", "13/02/1980", "BV A", 2019, "CSTĐCS", ""],   # by name and birth year
        ["Nguyễn Văn An", "", "BV A", 2018, "LĐTT", ""],               # no birth year: by name
        ["Nguyễn Văn An", "1992", "BV A", 2019, "Giấy khen", ""],      # another birth year: left out
        ["Lê Thị Bình", "1985", "BV A", 2019, "LĐTT", ""],             # asked for whatever the year
        ["Khoa Nội", "", "BV A", 2019, "TTLĐTT", "Tập thể"],           # not asked for
    ]))
    an, binh = name_key("Nguyễn Văn An"), name_key("Lê Thị Bình")
    people = history.People(pairs=frozenset({(an, 1980)}), names=frozenset({an}), any_birth=frozenset({binh}))
    got = history.load_frame(db, years=(2008, 2020), columns=history.JOIN_COLUMNS, people=people)
    assert sorted(zip(got["name_key"], got["year"], got["award"])) == sorted([
        (binh, 2019, "LDTT"), (an, 2018, "LDTT"), (an, 2019, "CSTDCS")])
    everyone = history.load_frame(db, years=(2008, 2020), columns=history.JOIN_COLUMNS)
    assert len(everyone) == 5 and history.years_in(db, (2008, 2020)) == {2018, 2019}


def test_an_sqlite_without_json_functions_reads_the_whole_window(tmp_path, monkeypatch):
    """Some system SQLite builds lack json_each: the filter is an optimisation, so fall back to everyone."""
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, [
        ["Nguyễn Văn An", "13/02/1980", "BV A", 2019, "CSTĐCS", ""],
        ["Lê Thị Bình", "1985", "BV A", 2019, "LĐTT", ""],
    ]))
    monkeypatch.setattr(history.People, "ids", lambda self: ("SELECT value FROM json_nowhere(?)", ["[]"]))
    people = history.People(pairs=frozenset(), names=frozenset(), any_birth=frozenset())
    got = history.load_frame(db, years=(2008, 2020), columns=history.JOIN_COLUMNS, people=people)
    assert sorted(got["award"]) == ["CSTDCS", "LDTT"]


class _Untouchable:
    """Stands in for the register: any use of it fails the test."""

    def __getattr__(self, name):
        raise AssertionError("a check not declared history=True read the register")

    def __getitem__(self, key):
        raise AssertionError("a check not declared history=True read the register")


@pytest.mark.parametrize("year", [2020, 2024])
def test_only_the_kinds_declared_history_read_the_register(tmp_path, year):
    """The register is loaded for the rows of the history kinds only: no other kind may read it."""
    from thidua_xl.catalog import load_catalog
    from thidua_xl.rules import HISTORY_KINDS, KINDS, load_rules
    from thidua_xl.validate import build_context

    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "a.xlsx", HEAD, [
        ["Nguyễn Văn An", "13/02/1980", "Bệnh viện A", year - 1, "CSTĐCS", ""]]))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", award) for award in ("CSTĐ cấp tỉnh", "CSTĐCS", "LĐTT", "Bằng khen Thủ tướng",
                                                     "HCLĐ hạng Ba", "CSTĐ toàn quốc", "Giấy khen")]
        + [{"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐXS"}] + ldtt_rows(5))
    ctx = build_context(read_paths([f]), year, load_catalog(), history=db)
    ctx.known = ctx.history = _Untouchable()
    others = [r for r in load_rules().for_year(year) if r.kind not in HISTORY_KINDS]
    assert others and {"same_year_award", "streak", "count_in_window", "prior_award"} <= HISTORY_KINDS
    for rule in others:
        KINDS[rule.kind](ctx, rule)



@pytest.mark.parametrize("year", [2020, 2024])
def test_only_the_kinds_declared_read_the_initiatives_authors(tmp_path, year):
    """The initiatives' authors are worked out beside the other checks (a thread of their own): only the kinds
    declared to read them (run after them) and the register's (run after the register) may look at them."""
    from thidua_xl.catalog import load_catalog
    from thidua_xl.rules import INITIATIVE_KINDS, KINDS, REGISTER_KINDS, load_rules
    from thidua_xl.validate import build_context

    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person("Nguyễn Văn An", award) for award in ("CSTĐ cấp tỉnh", "CSTĐCS", "LĐTT", "Bằng khen Thủ tướng",
                                                     "HCLĐ hạng Ba", "CSTĐ toàn quốc", "Giấy khen")]
        + [{"Họ và tên": "Khoa Nội", "Hình thức đề nghị": "TTLĐXS"}] + ldtt_rows(5))
    ctx = build_context(read_paths([f]), year, load_catalog(), history=False)
    ctx.initiatives = _Untouchable()
    others = [r for r in load_rules().for_year(year) if r.kind not in INITIATIVE_KINDS | REGISTER_KINDS]
    assert others and "initiative" in INITIATIVE_KINDS
    for rule in others:
        KINDS[rule.kind](ctx, rule)


@pytest.mark.parametrize("seed", range(3))
def test_the_pairs_matched_beside_the_checks_are_those_the_context_matches_itself(tmp_path, seed):
    """Validation matches every row against `known` in the register's thread (`known_pairs` handed in): the
    same pairs as a context matching them when a history check first asks (in any order: their readers pick sets),
    and the same as the ordered matching `_matches` reads."""
    from thidua_xl.catalog import load_catalog
    from thidua_xl.rules import load_rules
    from thidua_xl.rules.context import _MATCHED_COLUMNS, _hits, known_pairs_of, proposed
    from thidua_xl.validate import build_context

    rng = random.Random(seed)
    names = ["Nguyễn Văn An", "Lê Thị Bình", "Trần Cường", "Khoa Nội", "Tổ Dược"]
    births = ["13/02/1980", "1980", "1992", ""]
    past = ["CSTĐCS", "LĐTT", "TTLĐTT", "Giấy khen", "CSTĐ cấp tỉnh"]
    db = tmp_path / "h.sqlite"
    history.import_file(db, write_table(tmp_path / "lich-su.xlsx", HEAD, [
        [rng.choice(names), rng.choice(births), "Bệnh viện A", rng.randint(2018, 2024), rng.choice(past),
         rng.choice(["", "Tập thể"])] for _ in range(40)]))
    f = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [
        person(rng.choice(names), rng.choice(["CSTĐ cấp tỉnh", "CSTĐCS", "LĐTT", "TTLĐXS", "TTLĐTT"]),
               dob=rng.choice(births)) for _ in range(20)] + ldtt_rows(5))
    ctx = build_context(read_paths([f]), 2024, load_catalog(), history=db, rules=load_rules().for_year(2024))
    handed, covered = ctx.memo["known_pairs"]
    mine, covered_mine = known_pairs_of(ctx.df, ctx.known, ctx.history_awards)
    keys = list(handed.columns)
    assert not handed.is_empty() and handed.sort(keys).equals(mine.sort(keys)) and covered == covered_mine
    left = ctx.df.select("_i", *_MATCHED_COLUMNS, "subject", "award", "ho_ten").filter(proposed(ctx.history_awards))
    ordered = _hits(left, ctx.known.select(*_MATCHED_COLUMNS, *keys[1:]), None, tuple(keys[1:]))
    assert ordered.select(keys).sort(keys).equals(handed.sort(keys))


# --- a finding's message formats only the values its template reads --------------------------------------
@pytest.mark.parametrize("message", [
    "“{ho_ten}” ({award_name} năm {year}): {detail}",
    "{count:d} trên {total:>{width}} ({share_pct}) {ho_ten!r} {unknown_field}",
    "{a[0]} {b.real} {{không phải trường}} {}",
    "dòng {row} thiếu {",  # does not parse: fails as formatting it always did
])
def test_a_template_filled_from_its_own_fields_reads_as_filled_from_every_value(message):
    from thidua_xl.rules.emit import _SafeDict, _fmt, render
    from thidua_xl.rules.records import Rule

    rule = Rule(id="X.Y", kind="required", code="CRITERIA_NOT_MET", message=message,
                legal_ref="Luật Thi đua, khen thưởng 2022")
    values = {"ho_ten": "Nguyễn Thị Hoà", "award_name": "Lao động tiên tiến", "year": 2025, "detail": float("nan"),
              "count": 3, "total": 7, "width": 4, "share_pct": "43%", "a": ["x"], "b": 2, "row": 12, "unit": "BV A",
              "other": None}

    def every_value():
        text = message.format_map(_SafeDict({k: _fmt(v) for k, v in values.items()}))
        return f"{text} [Quy định X.Y; căn cứ: Luật Thi đua, khen thưởng 2022]"

    try:
        expected = every_value()
    except Exception as exc:  # noqa: BLE001 - the same failure either way
        with pytest.raises(type(exc)):
            render(rule, values)
        return
    assert render(rule, values) == expected


# --- the collective rules judge each collective row once per run ---------------------------------------------
def test_collective_rows_judged_once_read_as_judged_row_by_row(tmp_path):
    """Each collective rule's counts and gaps are computed once over all its rows (the other collective rules
    read them for their merged NOT_CHECKED); every row's value depends on that row alone, so a slice of the
    whole equals the same computation on the slice."""
    from validate_helpers import HEADERS, collective

    from thidua_xl.catalog import load_catalog
    from thidua_xl.rules import collective as C
    from thidua_xl.rules import load_rules
    from thidua_xl.validate import build_context

    counts = HEADERS + ["Tổng số thành viên", "Số LĐTT", "Số CSTĐCS", "Số hoàn thành nhiệm vụ", "Kỷ luật"]
    rows = [collective("Khoa Nội", "TTLĐXS"), collective("Bệnh viện A", "TTLĐXS"), collective("Khoa Sản", "TTLĐTT"),
            collective("Khoa Nhi", "TTLĐXS", **{"Tổng số thành viên": 10, "Số LĐTT": "7 người", "Số CSTĐCS": 1,
                                                "Số hoàn thành nhiệm vụ": 10, "Kỷ luật": "01 khiển trách"}),
            collective("Khoa Mắt", "TTLĐTT", **{"Tổng số thành viên": 0, "Số LĐTT": 3}),
            person("Nguyễn Văn An", "LĐTT"), person("Lê Thị Hoa", "CSTĐCS", gender="Nữ")]
    intake = read_paths([write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", rows, year=2020, headers=counts)])
    rules = [r for r in load_rules(None, intake=intake).for_year(2020) if r.kind in C.GAP_KINDS]
    ctx = build_context(intake, 2020, load_catalog(), False, rules)
    assert rules and not ctx.memo
    for rule in rules:
        whole = C._collectives(ctx, rule)
        assert len(whole) >= 2
        for part in (whole, whole.gather_every(2), whole.slice(1)):
            fresh = (C._count_gaps(ctx, rule, part)[2] if rule.kind == "collective_count"
                     else C._discipline_gaps(ctx, rule, part))
            assert C._gaps(ctx, rule, part) == fresh and len(fresh) == part.height
    counted = C.counted_from_individuals(ctx, "LDTT")
    assert C.counted_from_individuals(ctx, "LDTT") is counted  # once per run
    assert sum(counted.values()) == 1  # the unit's one LĐTT nominee
