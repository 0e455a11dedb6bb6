"""Small helpers for the stages that allocate a great many objects at once."""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector while a stage allocates hundreds of thousands of small,
    acyclic objects (cell values, rows, XlsxWriter cells): re-walking them and everything else
    alive on every generation-2 pass made those stages grow faster than their rows."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
