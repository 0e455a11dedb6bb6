"""`perf.gc_paused`: the collector paused while a stage allocates, and what the stage made handed to the oldest
generation at its end, so that the next young pass does not walk it; the collector's state given back."""
from __future__ import annotations

import gc

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
