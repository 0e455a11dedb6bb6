"""The safety pre-check of the workbooks a command names, in a process of its own.

The pre-check (`safety.inspect`) is Python that holds the interpreter lock: run by the reader threads, it
competes with the main thread's own Python (imports, header finding, row classification) for that one
lock, and on two cores the command waits for the sum. A command started from the command line
(intake.early) hands it to a child process instead: the same function on the same files, on the other
core, answering in the order given. A file the child does not answer for is checked in the command's
process, as before; nothing is parsed before its check.
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

_HEAD = struct.Struct("<Q")

# answers: ("ok", Scan) | ("refused", Vietnamese reason) | ("again", None): check it in the command's process
OK, REFUSED, AGAIN = "ok", "refused", "again"


# A child costs ~0.1 s of CPU to start (Python and the pre-check's imports); the pre-check ~2.5 ms a file and
# ~0.1 s a megabyte: below these it is cheaper checked in the command's own threads.
CHILD_MIN_FILES = 16
CHILD_MIN_BYTES = 1536 * 1024


def worth_a_child(paths: list[Path]) -> bool:
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
    return total >= CHILD_MIN_BYTES


# The child imports this module, then the pre-check: what only the command's side needs (subprocess,
# threads, futures and the logging they bring, ~25 ms) is imported by `Checker`.


def serve(stdin, stdout) -> None:
    """The child: NUL-separated paths in, one length-prefixed pickled (index, answer) per file out."""
    import pickle

    from ..safety import Refused, inspect

    paths = [p for p in stdin.read().decode("utf-8").split("\0") if p]
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


class Checker:
    """The child process checking `paths`; `answer(i)` waits for the i-th file's answer."""

    def __init__(self, paths: list[Path]):
        import subprocess

        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0) if os.name == "nt" else 0
        try:  # spawned first: the readers wait for its first answer, futures and threads (~4 ms) can follow
            self._proc = subprocess.Popen([sys.executable, "-m", "thidua_xl.intake.checker"], stdin=subprocess.PIPE,
                                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, creationflags=flags)
            self._proc.stdin.write("\0".join(str(p) for p in paths).encode("utf-8"))
            self._proc.stdin.close()
        except Exception:  # noqa: BLE001 - no child: every file is checked in the command's process
            self._proc = None
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


if __name__ == "__main__":
    serve(sys.stdin.buffer, sys.stdout.buffer)
