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
