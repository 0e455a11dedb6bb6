"""Work run in a thread of its own beside the caller's, its value or its error handed back to the caller.

On two cores, the single-threaded stretches of a run (after the last file is read, after validation) leave one
core idle; work that is mostly Polars queries, file writes or hashing lets go of the GIL and overlaps the caller's.
"""
from __future__ import annotations


class Beside:
    """`fn(*args, **kwargs)` in a thread of its own, in the caller's context (its context variables: the reading's
    memos), or at once in the caller's thread when `inline` (work too small for a thread); `result()` waits for it
    and returns its value or raises its error in the caller's thread (a full disk said as if it had run in line)."""

    def __init__(self, fn, *args, inline: bool = False, **kwargs):
        self._got: list = []
        self._thread = None
        if inline:
            self._run(fn, args, kwargs)
            return
        import contextvars
        import threading

        ctx = contextvars.copy_context()
        self._thread = threading.Thread(target=ctx.run, args=(self._run, fn, args, kwargs), daemon=True,
                                        name=f"thidua-{getattr(fn, '__name__', 'beside').strip('_')}")
        self._thread.start()

    def _run(self, fn, args, kwargs) -> None:
        try:
            self._got.append((True, fn(*args, **kwargs)))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            self._got.append((False, exc))

    def result(self):
        if self._thread is not None:
            self._thread.join()
        ok, value = self._got[0]
        if not ok:
            raise value
        return value
