"""The safety pre-check of the workbooks a command names, in a process of its own.

The pre-check (`safety.inspect`) is Python that holds the interpreter lock: run by the reader threads, it
competes with the main thread's own Python (imports, header finding, row classification) for that one
lock, and on two cores the command waits for the sum. A command started from the command line
(intake.early) hands it to a child process instead: the same function on the same files, on the other
core, answering in the order given. A file the child does not answer for is checked in the command's
process, as before; nothing is parsed before its check. On Linux the child is the command's process forked
before it starts any thread (`fork`); elsewhere a new interpreter (`_spawn`, `python -m thidua_xl.intake.checker`).
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

_HEAD = struct.Struct("<Q")

# answers: ("ok", Scan) | ("refused", Vietnamese reason) | ("again", None): check it in the command's process
OK, REFUSED, AGAIN = "ok", "refused", "again"


# A spawned child costs ~35 ms of CPU to start (Python and the pre-check's imports); the pre-check ~1.3 ms a file
# and ~35 ms a megabyte: below these it is cheaper checked in the command's own threads.
CHILD_MIN_FILES = 16
CHILD_MIN_BYTES = 1536 * 1024


# A child forked from the command (`fork`) costs ~0.3 ms to start and ~5 ms of imports, on the other core: worth
# it from the size of a ribbon's master (363 KB: ~12 ms of pre-check that held the lock the imports need).
FORKED_MIN_BYTES = 128 * 1024


def worth_a_child(paths: list[Path], forked: bool = False) -> bool:
    if os.environ.get("THIDUA_CHECK_IN_PROCESS"):
        return False
    if len(paths) >= CHILD_MIN_FILES:
        return True
    total = 0
    for p in paths:
        try:
            total += p.stat().st_size
        except OSError:
            pass
    return total >= (FORKED_MIN_BYTES if forked else CHILD_MIN_BYTES)


# The child imports this module, then the pre-check: what only the command's side needs (subprocess,
# threads, futures and the logging they bring, ~25 ms) is imported by `Checker`.


def serve(stdin, stdout) -> None:
    """The child: NUL-separated paths in, one length-prefixed pickled (index, answer) per file out."""
    answer_all([p for p in stdin.read().decode("utf-8").split("\0") if p], stdout)


def answer_all(paths: list[str], stdout) -> None:
    """Each path's pre-check, in order: one length-prefixed pickled (index, answer) per file."""
    import pickle

    from ..safety import Refused, inspect

    for i, p in enumerate(paths):
        try:
            answer = (OK, inspect(Path(p)))
        except Refused as exc:
            answer = (REFUSED, str(exc))
        except Exception:  # noqa: BLE001 - the command checks this file itself and reports what it finds
            answer = (AGAIN, None)
        blob = pickle.dumps((i, answer), protocol=pickle.HIGHEST_PROTOCOL)
        stdout.write(_HEAD.pack(len(blob)) + blob)
        stdout.flush()


def can_fork() -> bool:
    """The child may be this process forked: no second interpreter to start (~25 ms of CPU less, its first answer
    ~20 ms sooner). Only on Linux, and only while the process has a single thread, native ones included
    (`/proc/self/task`): a thread holding a lock at the fork would leave that lock held in the child forever.
    The command forks first thing (intake.early), before any import that starts one; Windows has no fork and
    macOS's system libraries are not safe after one: there the child is a new interpreter (`_spawn`)."""
    if sys.platform != "linux" or os.environ.get("THIDUA_CHECK_SPAWNED"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def fork(paths: list[Path]):
    """This process forked to pre-check `paths` (`can_fork` said it may be): a `Forked` to read its answers
    from, or None when the fork failed (the caller spawns one instead)."""
    # what the child needs and this process imports anyway (the answers' format, read back by `Checker`, and the
    # classes they are made of, which unpickling the first answer imports; the zip reader, which Polars imports):
    # imported before the fork, the child has them instead of importing its own copy (~2.7 ms of its ~22 ms of CPU
    # on a ribbon's master, `scan` ~1 ms more)
    import pickle  # noqa: F401
    import zipfile  # noqa: F401

    from .. import scan  # noqa: F401

    try:
        r, w = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(r)
        os.close(w)
        return None
    if pid == 0:  # the child: answers on `w`, nothing else of the command's (its streams, its other files) kept
        try:
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            for fd in map(int, os.listdir("/proc/self/fd")):  # every file open, whatever its number (Linux)
                if fd > 2 and fd != w:
                    try:
                        os.close(fd)
                    except OSError:  # the listing's own descriptor, closed already
                        pass
            with os.fdopen(w, "wb") as out:
                answer_all([str(p) for p in paths], out)
        finally:
            os._exit(0)
    os.close(w)
    return Forked(pid, r)


class Forked:
    """The forked child, read and stopped as a `subprocess.Popen` is (`stdout`, `kill`, `wait`)."""

    def __init__(self, pid: int, fd: int):
        self.pid, self.stdout, self._reaped = pid, os.fdopen(fd, "rb"), False

    def kill(self) -> None:
        if not self._reaped:
            import signal

            try:
                os.kill(self.pid, signal.SIGKILL)
            except OSError:
                pass

    def wait(self, timeout=None) -> int:
        if not self._reaped:
            os.waitpid(self.pid, 0)
            self._reaped = True
        return 0


class Checker:
    """The child process checking `paths`; `answer(i)` waits for the i-th file's answer."""

    def __init__(self, paths: list[Path], forked: Forked | None = None):
        self._proc = forked if forked is not None else _spawn(paths)
        import threading
        from concurrent.futures import Future

        self._answers: list[Future] = [Future() for _ in paths]
        if self._proc is None:
            self._settle()
            return
        threading.Thread(target=self._collect, name="thidua-check", daemon=True).start()

    def answer(self, i: int) -> tuple[str, object]:
        return self._answers[i].result()

    def _collect(self) -> None:
        import pickle  # here and in `serve`: a command without a child (a master, a few files) never imports it

        out = self._proc.stdout
        try:
            while True:
                head = out.read(_HEAD.size)
                if len(head) < _HEAD.size:
                    break
                blob = out.read(_HEAD.unpack(head)[0])
                i, answer = pickle.loads(blob)  # our own child's answer about our own files
                self._answers[i].set_result(answer)
        except Exception:  # noqa: BLE001 - a broken answer: the files left are checked here
            pass
        finally:
            self._settle()
            try:
                self._proc.kill()
                self._proc.wait()
            except Exception:  # noqa: BLE001
                pass

    def close(self) -> None:
        """Stop the child (its answers are no longer wanted): every file left is checked in the command's process."""
        try:
            if self._proc is not None:
                self._proc.kill()
        except Exception:  # noqa: BLE001
            pass

    def _settle(self) -> None:
        for f in self._answers:
            if not f.done():
                f.set_result((AGAIN, None))


def _spawn(paths: list[Path]):
    """A new interpreter pre-checking `paths` (`python -m thidua_xl.intake.checker`), or None."""
    import subprocess

    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0
    try:  # spawned first: the readers wait for its first answer, futures and threads (~4 ms) can follow
        proc = subprocess.Popen([sys.executable, "-m", "thidua_xl.intake.checker"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, creationflags=flags)
        proc.stdin.write("\0".join(str(p) for p in paths).encode("utf-8"))
        proc.stdin.close()
        return proc
    except Exception:  # noqa: BLE001 - no child: every file is checked in the command's process
        return None


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
