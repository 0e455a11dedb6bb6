"""Small helpers for the stages that allocate a great many objects at once."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a stage allocates hundreds of thousands of small,
    acyclic objects (cell values, rows, XlsxWriter cells): re-walking them and everything else
    alive on every generation-2 pass made those stages grow faster than their rows.

    At the end, what the stage made goes to the oldest generation with everything else alive
    (`to_oldest_generation`): the first young pass after it walked every object the stage had made (~6 ms after a
    30,000-row reading, ~3 ms more for the next). A full pass still walks them, as before; nothing is done when
    objects are frozen already (whoever froze them decides)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            _resume()


@contextmanager
def spared_by_collector():
    """The objects alive now (the reading's: lists of every row's cells, every file's report) left out of the
    cycle collector's walks until the block ends (`gc.freeze`), and the collector paused meanwhile. Validation
    makes thousands of findings, which set off collections: a full one walked the reading's lists (~0.1 s);
    with those frozen, the young passes still walked the findings again and again, and the full pass once they
    were given back (~26 ms at 120,000 rows). What the block made (findings: records and texts) joins the frozen
    objects at its end and all go back to the oldest generation together: no young pass walks them then. Nothing
    is done when something else froze objects already or paused the collector (it decides when to let go).
    The collector's state is asked first: `gc.get_freeze_count()` walks every frozen object (~5 ms once a reading's
    are frozen), and a block inside another (`validate` within the command's) finds the collector paused."""
    if not gc.isenabled() or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        to_oldest_generation()  # what the block made, with the rest: no young pass walks it once the collector runs
        gc.enable()


def to_oldest_generation() -> None:
    """Every object alive now to the oldest generation (`gc.freeze`, then `gc.unfreeze`): the young passes no
    longer walk them, a full pass still does (and frees what is garbage among them)."""
    gc.freeze()
    gc.unfreeze()


_START = {"paused": False}


def pause_for_start() -> None:
    """The collector off while a reading command imports what it runs on (the command line, Polars, the rules:
    objects that live as long as the process). Every full pass over them found nothing to free, and a master's
    click spent ~14 ms of CPU in those passes (`start_done` gives the collector back when the reading begins)."""
    if gc.isenabled():
        gc.disable()
        _START["paused"] = True


def start_done() -> None:
    """What the start imported goes to the oldest generation (no young pass walks it) and the collector runs
    again, if `pause_for_start` paused it; nothing otherwise."""
    if _START["paused"]:
        _START["paused"] = False
        _resume()


def _resume() -> None:
    """The collector on again after a pause, what was made meanwhile in the oldest generation (nothing moved when
    objects are frozen already: whoever froze them decides)."""
    if not gc.get_freeze_count():
        to_oldest_generation()
    gc.enable()



class Plain:
    """A record written out as a plain class instead of a dataclass: its methods come with the module's cached
    bytecode instead of being generated and compiled at every start (~0.3–0.5 ms a class, each ribbon click).

    A subclass names its fields, in order, in `_fields` and sets them in `__init__`; equality and repr are the
    dataclass's (same class, fields equal in order; `Name(field=value, …)`), and it is unhashable, as `eq=True`
    makes a dataclass (`Frozen`: read-only and hashed by its fields)."""

    _fields: tuple[str, ...] = ()
    __hash__ = None  # type: ignore[assignment]

    def _values(self) -> tuple:
        return tuple(getattr(self, f) for f in self._fields)

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return self._values() == other._values()
        return NotImplemented

    def __repr__(self) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{f}={getattr(self, f)!r}' for f in self._fields)})"


class Frozen(Plain):
    """A Plain record that refuses assignment and hashes by its fields, as a `frozen=True` dataclass (its
    `__init__` sets the fields with `object.__setattr__`)."""

    def __hash__(self):
        return hash(self._values())

    def __setattr__(self, name: str, value) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        from dataclasses import FrozenInstanceError

        raise FrozenInstanceError(f"cannot delete field {name!r}")
