"""The named workbooks read while the command line is still being imported: the register of those reads.

`thidua consolidate` and `thidua validate` spend their first half second importing Polars, typer, rich
and this package, on one thread; the files they will read are already on their command line. The entry
point (`thidua_xl.__main__`) hands its arguments here first, with the reading to begin
(`files.begin_early`): a child process makes each file's safety pre-check (intake.checker: Python that
would otherwise hold this process's interpreter lock) and two threads parse each checked file with
fastexcel (its parse runs mostly without the lock; the hand-over of its columns to Polars holds it: a
main thread spinning in Python kept ~90 % of its pace beside a parse, ~70 % beside parse and hand-over,
docs/performance-log.md, «The process's end»). `files._prefetched` takes each read over (`take`) when intake
reaches that file, exactly as if it had begun it then. Nothing else changes: the same check and
`load_file` run, a file that changed since is read again, one no command asks for is closed. This module
imports nothing of the package, so that starting costs nothing before the CLI's own imports. On Linux the
child is this process forked before its first thread starts (intake.checker.fork: no second interpreter to
start, answering from ~15 ms; worth it from a ribbon's master up); elsewhere its thread spawns the child
(intake.checker, which imports nothing of the package either) before it imports the reading, so that the
child's own start (~0.1 s) overlaps those imports.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # every command imports this module first: concurrent.futures (~25 ms) only for the reads
    from concurrent.futures import Future

WORKBOOK_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
EARLY_AHEAD_BYTES = 16 * 1024 * 1024  # files read ahead from the command line, by size on disk (120,000 rows: ~8 MB)
COMMANDS = frozenset({"consolidate", "validate"})  # the commands that read their positional paths with fastexcel
ROOT_FLAGS = frozenset({"--debug", "--verbose"})  # `thidua --verbose validate …`: the root's flags, which take no value

_state: dict = {}
_lock = threading.Lock()


def positional_paths(argv: list[str]) -> list[str]:
    """The paths a reading command names: the words after the command that are neither an option nor the
    word right after one (an option's value, e.g. `--history sổ.sqlite`, is not read as a workbook)."""
    words = [w for w in argv if w not in ROOT_FLAGS]
    if not words or words[0] not in COMMANDS or any(w in ("--help", "-h") for w in words):
        return []
    out = []
    after_option = False
    for w in words[1:]:
        if w.startswith("-"):
            after_option = "=" not in w
            continue
        if not after_option:
            out.append(w)
        after_option = False
    return out


def start(argv: list[str], begin: Callable[[list[str]], None]) -> None:
    """Begin reading the workbooks `argv` names, in the background (`begin(paths)` in a thread: the
    reading is intake.files.begin_early, handed in so that this registry imports nothing of intake);
    never raises, never blocks."""
    try:
        paths = positional_paths(argv)
        if not paths or os.environ.get("THIDUA_NO_EARLY_READ"):
            return
        with _lock:
            if _state:
                return
            _state.update(pending={}, planned=threading.Event(), close=None)
        _fork_checker(paths)  # before any thread of ours: where it may, the child is this process forked
        threading.Thread(target=_begin, args=(begin, paths), name="thidua-early", daemon=True).start()
    except Exception:  # noqa: BLE001 - reading early is only a head start: intake reads everything anyway
        _state.clear()


def _begin(begin: Callable[[list[str]], None], paths: list[str]) -> None:
    try:  # the child's start (~0.1 s: Python and the pre-check's imports) overlaps the imports of intake
        _start_checker(paths)
    except Exception:  # noqa: BLE001 - `begin` starts its own
        pass
    try:
        begin(paths)
    except Exception:  # noqa: BLE001
        pass
    finally:
        _state["planned"].set()  # whatever was registered, or nothing: intake reads the rest


def workbooks(paths) -> tuple[list[Path], list[Path]]:
    """(the files named and the workbooks of the folders named, the paths that are neither): not recursive,
    no Excel owner file (`~$…`, also our writes in progress) or hidden file (`.…`, macOS `._x.xlsx`) of a folder."""
    out: list[Path] = []
    missing: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            for child in sorted(path.iterdir(), key=lambda c: c.name):
                if child.is_file() and child.suffix.lower() in WORKBOOK_SUFFIXES \
                        and not child.name.startswith(("~$", ".")):
                    out.append(child)
        elif path.is_file():
            if not path.name.startswith("~$"):
                out.append(path)
        else:
            missing.append(path)
    return out, missing


def ahead(files: list[Path]) -> list[tuple[Path, tuple]]:
    """(path, signature) of the files read early: the first ones, while their sizes on disk fit EARLY_AHEAD_BYTES."""
    chosen: list[tuple[Path, tuple]] = []
    budget = EARLY_AHEAD_BYTES
    for path in files:
        sig = signature(path)
        if sig is None or sig[0] > budget:
            break
        budget -= sig[0]
        chosen.append((path, sig))
    return chosen


def _fork_checker(paths: list[str]) -> None:
    """The pre-check's child forked from this process now, while it has no other thread (checker.can_fork);
    `_start_checker` takes it over. Elsewhere (Windows) the child is spawned by the early thread."""
    try:
        from .checker import can_fork, fork, worth_a_child

        if not can_fork():
            return
        chosen = [path for path, _sig in ahead(workbooks(paths)[0])]
        if chosen and worth_a_child(chosen, forked=True):
            forked = fork(chosen)
            if forked is not None:
                _state["forked"] = (chosen, forked)
    except Exception:  # noqa: BLE001 - the early thread spawns one instead
        pass


def _start_checker(paths: list[str]) -> None:
    """The pre-check's child process started for the files `begin` will choose, before `begin` is imported (or
    the one `_fork_checker` forked, taken over)."""
    from .checker import Checker, worth_a_child

    forked = _state.pop("forked", None)
    if forked is not None:
        _state["checker"] = (forked[0], Checker(forked[0], forked[1]))
        return
    chosen = [path for path, _sig in ahead(workbooks(paths)[0])]
    if chosen and worth_a_child(chosen):
        _state["checker"] = (chosen, Checker(chosen))


def started_checker(files: list[Path]):
    """The child `_start_checker` started, if it checks exactly `files`; else None (and it is stopped)."""
    got = _state.pop("checker", None)
    if got is None:
        return None
    chosen, checker = got
    if chosen == list(files):
        return checker
    checker.close()
    return None


def register(path: Path, sig: tuple, future: Future, close: Callable) -> None:
    """A read begun early; `close` releases its workbook if nobody takes it."""
    with _lock:
        _state["pending"][key(path)] = (sig, future)
        _state["close"] = close


def planned() -> None:
    """Every read that will be begun early is registered: `take` need not wait any longer."""
    _state["planned"].set()


def key(path: Path) -> str:
    return os.path.normcase(os.path.abspath(path))


def signature(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


def take(path: Path, arrow: bool) -> Future | None:
    """The read begun early for `path`, if it is still the same file and read the same way; else None
    (and the early result, if any, closed)."""
    if not _state:
        return None
    _state["planned"].wait()
    with _lock:
        got = _state["pending"].pop(key(path), None)
    if got is None:
        return None
    sig, future = got
    if arrow and signature(path) == sig:
        return future
    _discard(future)
    return None


def forget() -> None:
    """Close every early read nobody took (Windows keeps an open workbook from being replaced)."""
    if not _state:
        return
    _state["planned"].wait()
    with _lock:
        left = list(_state["pending"].values())
        _state["pending"].clear()
    for _sig, future in left:
        _discard(future)


def _discard(future: Future) -> None:
    if future.cancel():
        return
    close = _state.get("close") or (lambda loaded: None)
    future.add_done_callback(lambda f: close(None if f.exception() else f.result()))
