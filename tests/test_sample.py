"""The demo's people are plausible for what they are proposed for, in a sector on today's map."""
from __future__ import annotations

from collections import Counter

import pytest

from thidua_xl.sample import DEMO_TOTALS, SEED_2020, UNITS, generate

YEAR = 2025


@pytest.fixture(scope="module")
def province():
    return generate(DEMO_TOTALS, year=YEAR)


def _age(row) -> int:
    return YEAR - row.ngay_sinh.year


def test_state_honours_and_the_medal_go_to_people_with_decades_in_the_sector(province):
    n = province.nominations
    senior = n[n["award"].isin(["TTND", "TTUT", "HCLD1", "HCLD2", "HCLD3", "KNC"]) & (n["subject"] == "ca_nhan")]
    assert len(senior) >= 15 and min(_age(r) for r in senior.itertuples()) >= 45
    assert min(_age(r) for r in n[n["award"] == "TTND"].itertuples()) >= 52
    heads = n[n["chuc_vu"].isin(["Trưởng khoa", "Phó trưởng khoa", "Trưởng phòng", "Phó trưởng phòng"])]
    assert len(heads) and min(_age(r) for r in heads.itertuples()) >= 35


def test_each_unit_proposes_its_own_collectives(province):
    n = province.nominations
    xs = n[n["award"] == "TTLDXS"]
    tt = n[n["award"] == "TTLDTT"]
    for r in xs.itertuples():  # a TTLĐXS is one of the unit's own TTLĐTT
        assert r.ho_ten in set(tt[tt["unit_code"] == r.unit_code]["ho_ten"]), r
    assert xs["ho_ten"].nunique() > len(xs) // 2  # not the same khoa in every unit
    office = n[(n["unit"] == "Văn phòng Sở Y tế") & (n["subject"] == "ca_nhan")]
    assert not office["khoa_phong"].str.startswith("Khoa").any()  # the Sở's office has phòng, not khoa


def test_names_are_spread_as_vietnamese_names_are(province):
    people = province.nominations[province.nominations["subject"] == "ca_nhan"]["ho_ten"]
    surnames = Counter(name.split()[0] for name in people)
    top, count = surnames.most_common(1)[0]
    assert top == "Nguyễn" and 0.15 < count / len(people) < 0.45
    assert not any(name.split()[0] in ("Nguyễn", "Trần", "Lê") and name.split()[1] in ("A", "Seo") for name in people)


def test_units_on_todays_administrative_map():
    names = [u[1] for u in UNITS]
    assert not any(word in name for name in names for word in ("huyện", "thị xã", "thành phố"))
    assert sum(name.startswith("Trung tâm Y tế khu vực") for name in names) >= 4


def test_seed_counts_are_kept():
    got = generate().nominations.groupby(["award", "subject"]).size().to_dict()
    assert got == {(k, s): v for k, d in SEED_2020.items() for s, v in d.items() if v}
