"""`python -m thidua_xl` and the `thidua` command.

The workbooks a reading command names begin to be read (intake.early) before the command line itself is
imported: the half second of imports then overlaps the parse of the first files.
"""
import sys


def run() -> int:
    from .intake import early

    early.start(sys.argv[1:])
    from .cli import main

    return main()


if __name__ == "__main__":
    sys.exit(run())
