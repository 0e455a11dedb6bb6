"""model.Finding and model.FileReport, whose dataclass methods are written out (not generated at each start),
against the dataclasses they were, declared as they were."""
from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl import model


@dataclass(frozen=True)
class Finding:  # the twin has the record's name, so that reprs compare
    code: str
    severity: str
    message: str
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    unit: str | None = None
    rule: str | None = None
    legal_basis: str | None = None
    verified: bool = True
    rules: tuple[str, ...] = ()


@dataclass
class FileReport:
    path: str
    file: str
    kind: str = "unit"
    unit_code: str = ""
    unit: str = ""
    unit_source: str = ""
    sheets: list[str] = field(default_factory=list)
    header_row: dict[str, int] = field(default_factory=dict)
    mapped: dict[str, dict[str, str]] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)
    extra: dict[str, list[str]] = field(default_factory=dict)
    rows: int = 0
    year: int | None = None
    ok: bool = True
    unit_conflict: str = ""
    superseded_by: str = ""


SCALAR = st.one_of(st.none(), st.text(max_size=3), st.integers(-2, 2), st.booleans())
VALUES = {
    "rules": st.lists(st.text(max_size=2), max_size=2).map(tuple),
    "sheets": st.lists(st.text(max_size=2), max_size=2),
    "header_row": st.dictionaries(st.text(max_size=2), st.integers(0, 9), max_size=2),
    "mapped": st.dictionaries(st.text(max_size=2), st.dictionaries(st.text(max_size=2), st.text(max_size=2),
                                                                   max_size=2), max_size=2),
    "missing": st.dictionaries(st.text(max_size=2), st.lists(st.text(max_size=2), max_size=2), max_size=2),
    "extra": st.dictionaries(st.text(max_size=2), st.lists(st.text(max_size=2), max_size=2), max_size=2),
}


def test_the_fields_are_the_twins():
    for record, twin in ((model.Finding, Finding), (model.FileReport, FileReport)):
        mine, theirs = dataclasses.fields(record), dataclasses.fields(twin)
        assert [(f.name, f.type, f.default, f.default_factory) for f in mine] == \
            [(f.name, f.type, f.default, f.default_factory) for f in theirs]
        assert record.__match_args__ == twin.__match_args__
        assert record.__dataclass_params__.frozen == twin.__dataclass_params__.frozen
        assert [(p.name, p.kind) for p in _params(record)] == [(p.name, p.kind) for p in _params(twin)]
        defaults = {f.name: f.default for f in theirs if f.default is not dataclasses.MISSING}
        assert {p.name: p.default for p in _params(record) if p.name in defaults} == defaults


def _params(cls):
    import inspect

    return list(inspect.signature(cls.__init__).parameters.values())[1:]


@settings(max_examples=300, deadline=None)
@given(st.booleans(), st.data())
def test_a_record_is_its_dataclass(report, data):
    record, twin = (model.FileReport, FileReport) if report else (model.Finding, Finding)
    names = [f.name for f in dataclasses.fields(twin)]
    required = [f.name for f in dataclasses.fields(twin)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    given_names = required + [n for n in names if n not in required and data.draw(st.booleans())]
    values = {n: data.draw(VALUES.get(n, SCALAR)) for n in given_names}
    other = {n: (v if data.draw(st.booleans()) else data.draw(VALUES.get(n, SCALAR))) for n, v in values.items()}
    leading = next((k for k, n in enumerate(names) if n not in values), len(names))
    k = data.draw(st.integers(0, leading))  # the first k given by position, as callers may
    mine = record(*(values[n] for n in names[:k]), **{n: values[n] for n in names[k:] if n in values})
    theirs = twin(*(values[n] for n in names[:k]), **{n: values[n] for n in names[k:] if n in values})
    mine2, theirs2 = record(**other), twin(**other)
    assert repr(mine) == repr(theirs)
    assert vars(mine) == vars(theirs) and list(vars(mine)) == list(vars(theirs))
    assert (mine == mine2) == (theirs == theirs2) and (mine != mine2) == (theirs != theirs2)
    assert mine != theirs and not mine == object() and mine.__eq__(theirs) is NotImplemented
    assert dataclasses.asdict(mine) == dataclasses.asdict(theirs)
    assert dataclasses.astuple(mine) == dataclasses.astuple(theirs)
    changed = {n: data.draw(VALUES.get(n, SCALAR)) for n in names if data.draw(st.booleans())}
    assert vars(dataclasses.replace(mine, **changed)) == vars(dataclasses.replace(theirs, **changed))
    assert type(dataclasses.replace(mine, **changed)) is record
    assert pickle.loads(pickle.dumps(mine)) == mine
    if report:
        with pytest.raises(TypeError):
            hash(mine)
        with pytest.raises(TypeError):
            hash(theirs)
        mine.rows = theirs.rows = 7  # intake fills a report in as it reads
        mine.unknown = theirs.unknown = 1
        assert repr(mine) == repr(theirs) and vars(mine) == vars(theirs)
        for name in {"sheets", "header_row", "mapped", "missing", "extra"} - set(values):
            assert getattr(record(**values), name) is not getattr(mine, name)  # a fresh default each
        assert mine.to_dict() == dataclasses.asdict(theirs)
    else:
        assert hash(mine) == hash(theirs)
        for name in ("code", "other"):
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field"):
                setattr(mine, name, "x")
            with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field"):
                delattr(mine, name)


def test_a_finding_is_subclassed_as_a_frozen_dataclass():
    @dataclass(frozen=True)
    class Other(model.Finding):
        pass

    one = Other("X", "error", "m", row=2)
    assert one.row == 2 and one != model.Finding("X", "error", "m", row=2)
    assert hash(one) == hash(Other("X", "error", "m", row=2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.row = 3
