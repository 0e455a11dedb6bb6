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


if __name__ == "__main__":
    sys.exit(run())
