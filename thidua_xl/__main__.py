"""`python -m thidua_xl` and the `thidua` command.

The workbooks a reading command names begin to be read (intake.early) before the command line itself is
imported: the half second of imports then overlaps the parse of the first files.
"""
import sys


def _begin(paths: list[str]) -> None:
    from .intake.files import begin_early

    begin_early(paths)


def run() -> int:
    from .intake import early

    if early.positional_paths(sys.argv[1:]):  # validate or consolidate: the collector off until the reading
        from .perf import pause_for_start

        pause_for_start()
    early.start(sys.argv[1:], _begin)
    from .cli import main

    code = main()
    spare_teardown()
    return code


def spare_teardown() -> None:
    """The command has run: what it built is left to the process's end, not walked by the collector.

    The interpreter's last collections, as it clears its modules, walked every object a reading left
    (~0.2 s after a 30,000-row province, of a ~2 s command); frozen, they are only freed. Atexit handlers,
    logging's flush and open files still close as before; a cycle left unreachable is not collected, and
    the process ends anyway. Only the command line does this: a process that goes on (Excel's) does not.
    """
    import gc

    gc.freeze()


def entry() -> None:
    """The `thidua` command: the command run, then the process ended by `end`."""
    end(run())


def end(code: int) -> None:
    """The process ends as the interpreter would end it, without its teardown.

    Other threads are joined, the atexit handlers run (logging's flush among them) and the standard streams
    are flushed, as at any end; then the process exits without first clearing every module and freeing every
    object one by one (~5 ms after a ribbon click of ~0.3 s, as long after a 30,000-row run): the operating
    system takes the memory back at once. Every output was written and closed by the command itself.
    """
    import atexit
    import os
    import threading

    shutdown = getattr(threading, "_shutdown", None)
    if shutdown is not None:  # non-daemon threads joined, as Python's own end does first
        shutdown()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):  # a closed pipe: Python's own end says 120
            code = code or 120
    os._exit(code if isinstance(code, int) else 1)


if __name__ == "__main__":
    end(run())
