"""`perf.gc_paused`: the collector paused while a stage allocates, and what the stage made handed to the oldest
generation at its end, so that the next young pass does not walk it; the collector's state given back."""
from __future__ import annotations

import gc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.perf import gc_paused


class Node:
    pass


def _in_generation(obj, generation: int) -> bool:
    return any(o is obj for o in gc.get_objects(generation=generation))


def test_what_the_stage_made_joins_the_oldest_generation():
    assert gc.isenabled() and not gc.get_freeze_count()
    with gc_paused():
        assert not gc.isenabled()
        made = [Node() for _ in range(10)]
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert _in_generation(made, 2) and not _in_generation(made, 0)


def test_a_cycle_made_in_the_stage_is_still_collected_by_a_full_pass():
    import weakref

    with gc_paused():
        a, b = Node(), Node()
        a.other, b.other = b, a
        gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_nothing_is_moved_when_objects_are_frozen_already_or_the_collector_is_off():
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with gc_paused():
            pass
        assert gc.get_freeze_count() == frozen and gc.isenabled()
    finally:
        gc.unfreeze()
    gc.disable()
    try:
        with gc_paused():
            made = Node()
        assert not gc.isenabled() and _in_generation(made, 0)
    finally:
        gc.enable()


def test_the_start_of_a_reading_command_runs_without_the_collector_then_gives_it_back():
    """`pause_for_start` (a reading command's imports) and `start_done` (its reading begins): what the start made
    goes to the oldest generation and the collector runs again; `start_done` alone changes nothing."""
    from thidua_xl.perf import pause_for_start, start_done

    start_done()
    assert gc.isenabled()
    pause_for_start()
    try:
        assert not gc.isenabled()
        made = [Node() for _ in range(10)]
    finally:
        start_done()
    assert gc.isenabled() and _in_generation(made, 2) and not _in_generation(made, 0)
    gc.disable()  # someone else's pause is not ended by start_done
    try:
        start_done()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_command_gives_the_collector_back_once_it_reads(seed_folder, tmp_path):
    """`thidua validate` pauses the collector for its imports only: at its end the collector is on again; a command
    that reads nothing never pauses it."""
    import json
    import subprocess
    import sys

    probe = ("import atexit, gc, json, sys\n"
             "atexit.register(lambda: print(json.dumps(gc.isenabled())))\n"
             "sys.argv = ['thidua'] + sys.argv[1:]\n"
             "from thidua_xl.__main__ import entry\n"
             "entry()\n")
    for args in (["validate", str(seed_folder), "--year", "2020"], ["validate", "--help"]):
        proc = subprocess.run([sys.executable, "-c", probe, *args], capture_output=True, text=True, timeout=300,
                              cwd=tmp_path)
        assert json.loads(proc.stdout.strip().splitlines()[-1]) is True, (args, proc.stderr[-500:])


# --- records written out as plain classes behave as the dataclasses they replace ----------------------------
def _twins():
    """(the plain class, the dataclass it replaced, declared as it was) for each record made plain."""
    from dataclasses import dataclass, field

    from thidua_xl.awards_text import Entry
    from thidua_xl.catalog import Award
    from thidua_xl.config import Config
    from thidua_xl.intake.files import Loaded
    from thidua_xl.intake.headers import Table

    @dataclass(frozen=True)
    class Award:  # noqa: F811 - the twin has the plain class's name, so that reprs compare
        code: str
        order: int
        name: str
        kind: str
        subject: str
        authority: str
        decided_by_so: bool
        aliases: tuple
        via: str = ""

    @dataclass(frozen=True)
    class Entry:  # noqa: F811
        code: str
        text: str
        words: tuple
        head: tuple

    @dataclass
    class Loaded:  # noqa: F811
        wb: object
        reason: object
        scan: object
        rows: dict = field(default_factory=dict)

    @dataclass
    class Config:  # noqa: F811
        values: dict = field(default_factory=dict)

    @dataclass
    class Table:  # noqa: F811
        header_idx: int
        columns: dict
        headers_typed: dict
        extra: list
        missing: list
        birth_by_gender: object = None
        birth_labels: tuple = ("", "")
        birth_own_headers: bool = False
        sub_header_rows: int = 0
        more_awards: list = field(default_factory=list)
        default_award: str = ""

    import thidua_xl.awards_text as a, thidua_xl.catalog as c, thidua_xl.config as g, thidua_xl.intake.files as f
    import thidua_xl.intake.headers as h

    for twin in (Award, Entry, Loaded, Table, Config):
        twin.__qualname__ = twin.__name__  # the repr names the class as the module's does

    return [(c.Award, Award), (a.Entry, Entry), (f.Loaded, Loaded), (h.Table, Table), (g.Config, Config)]


_VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3),
                    st.tuples(st.text(max_size=2)), st.lists(st.integers(0, 2), max_size=2),
                    st.dictionaries(st.integers(0, 2), st.text(max_size=2), max_size=2))


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 4), st.data())
def test_a_plain_record_is_its_dataclass(which, data):
    import dataclasses

    plain, twin = _twins()[which]
    names = [f.name for f in dataclasses.fields(twin)]
    required = [f.name for f in dataclasses.fields(twin)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    given_names = required + [n for n in names if n not in required and data.draw(st.booleans())]
    # a mutable field left out gets a fresh default; given, it is what callers give (a dict, a list)
    kinds = {"values": st.dictionaries(st.text(max_size=2), st.text(max_size=2), max_size=2),
             "rows": st.dictionaries(st.text(max_size=2), st.lists(st.lists(st.integers(0, 1))), max_size=2),
             "more_awards": st.lists(st.integers(0, 5), max_size=2)}
    values = {n: data.draw(kinds.get(n, _VALUES)) for n in given_names}
    other = {n: (v if data.draw(st.booleans()) else data.draw(kinds.get(n, _VALUES))) for n, v in values.items()}
    p, d = plain(**values), twin(**values)
    p2, d2 = plain(**other), twin(**other)
    assert repr(p) == repr(d) and [getattr(p, n) for n in names] == [getattr(d, n) for n in names]
    assert (p == p2) == (d == d2) and (p != p2) == (d != d2) and p != d and not p == object()
    frozen = twin.__dataclass_params__.frozen
    if frozen:
        try:
            want = hash(d)
        except TypeError:  # a field holds a list: neither hashes
            with pytest.raises(TypeError):
                hash(p)
        else:
            assert hash(p) == want
        with pytest.raises(dataclasses.FrozenInstanceError):
            p.code = "x"
        with pytest.raises(dataclasses.FrozenInstanceError):
            del p.code
    else:
        with pytest.raises(TypeError):
            hash(p)
        p.extra_value = 1  # an ordinary object: what intake sets on it later
        assert p.extra_value == 1
    for field in {"rows", "more_awards", "values"} & set(names) - set(values):
        assert getattr(plain(**values), field) is not getattr(p, field)  # a fresh default each, as default_factory
