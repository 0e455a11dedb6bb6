"""Looking units up: an answer kept per text is never stale, and no known unit means nothing is found."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.intake.units import UnitRegistry, row_units

NAMES = st.one_of(st.text(max_size=12), st.sampled_from([
    "Bệnh viện Sản Nhi", "BV Sản Nhi", "TTYT Bát Xát", "Trung tâm Y tế huyện Bát Xát", "15", "bvsn", "",
    "Trung tâm Kiểm soát bệnh tật", "CDC", "TRUNG TÂM Y TẾ BÁT XÁT", "Khoa Nội"]))


def _fresh_find(units: list[tuple[str, str]], text: str):
    reg = UnitRegistry()
    for code, name in units:
        reg.add(code, name)
    reg._found.clear()
    return reg._find(text)  # the lookup itself, nothing kept, no shortcut


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["BVSN", "15", "CDC", "X1"]), NAMES), max_size=4),
       st.lists(NAMES, max_size=6))
def test_a_kept_answer_is_the_answer_of_a_registry_built_afresh(units, asked):
    """Texts asked before, between and after units are added get what a new registry would answer."""
    reg = UnitRegistry()
    for k, (code, name) in enumerate(units + [(None, None)]):
        for text in asked + asked:
            assert reg.find(text) == _fresh_find(units[:k], text)
        if code is not None:
            reg.add(code, name)


@settings(max_examples=200, deadline=None)
@given(st.lists(NAMES, max_size=8))
def test_with_no_unit_known_nothing_is_found_and_a_file_that_says_whose_it_is_keeps_its_rows(values):
    reg = UnitRegistry()
    assert not reg and all(reg.find(v) is None for v in values)
    assert row_units(values, reg, own_unit_known=True) is None


class _Eager(UnitRegistry):
    """The registry as it was: each unit's key made when it is added."""

    def add(self, code: str, name: str) -> None:
        super().add(code, name)
        self.by_key  # noqa: B018 - made now


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["BVSN", "15", "CDC", "X1"]), NAMES), max_size=5),
       st.lists(NAMES, max_size=6))
def test_keys_made_when_first_needed_give_what_keys_made_when_added_give(units, asked):
    """Lookups and suggestions between and after the units added: the same answers, the same keys in the same
    order, whether the keys were made unit by unit or at the first lookup that needs them."""
    lazy, eager = UnitRegistry(), _Eager()
    for code, name in units + [(None, None)]:
        for text in asked:
            assert lazy.find(text) == eager.find(text)
            assert lazy.closest(text) == eager.closest(text)
        if code is not None:
            lazy.add(code, name)
            eager.add(code, name)
    assert list(lazy.by_key.items()) == list(eager.by_key.items())


def test_a_unit_found_by_its_name_or_code_makes_no_key():
    reg = UnitRegistry()
    reg.add("DV02", "Bệnh viện Sản Nhi")
    reg.add("DV03", "Trung tâm Y tế huyện Bát Xát")
    assert reg.find("Bệnh viện Sản Nhi") == ("DV02", "Bệnh viện Sản Nhi") and reg.find("dv03")[0] == "DV03"
    assert reg._unkeyed  # no key made yet
    assert reg.find("TTYT Bát Xát") == ("DV03", "Trung tâm Y tế huyện Bát Xát") and not reg._unkeyed
