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

    return main()


if __name__ == "__main__":
    sys.exit(run())
