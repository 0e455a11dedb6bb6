"""Small helpers for the stages that allocate a great many objects at once."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a stage allocates hundreds of thousands of small,
    acyclic objects (cell values, rows, XlsxWriter cells): re-walking them and everything else
    alive on every generation-2 pass made those stages grow faster than their rows.

    At the end, what the stage made goes to the oldest generation with everything else alive (`gc.freeze`,
    then `gc.unfreeze`): the first young pass after it walked every object the stage had made (~6 ms after a
    30,000-row reading, ~3 ms more for the next). A full pass still walks them, as before; nothing is done when
    objects are frozen already (whoever froze them decides)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
