"""A plain run of `validate` or `consolidate` (the ribbon's clicks, the bench's commands) without typer.

Typer, its copy of Click, the command tree and its help (~14 ms of CPU before the first line of work, on
every click) are only needed to parse what these command lines say: a few root flags, the command, paths
and options that each take one value. `parse` reads exactly those, as Click reads them; anything else —
help, an unknown or repeated option, `--`, a value that starts like an option, a year that is not plain
digits, shell completion — is left to typer (`None`), which parses, converts and says what is wrong as it
always has. The run then does what typer's would: the root's options (common.root_options), the same function
(runs.py), and the same answers to an interrupted run (`run`, after typer.core._main).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, NamedTuple

from ..intake.early import ROOT_FLAGS  # the root's flags, which take no value (early reads past them too)
# each command's options, all of them taking one value: option -> parameter, and how the value is read
_PATH, _YEAR = Path, int
OPTIONS: dict[str, dict[str, tuple[str, type]]] = {
    "consolidate": {"--year": ("year", _YEAR), "--json": ("json_out", _PATH), "--out": ("out", _PATH),
                    "--into": ("into", _PATH)},
    "validate": {"--year": ("year", _YEAR), "--history": ("history", _PATH), "--json": ("json_out", _PATH),
                 "--rules": ("rules", _PATH), "--out": ("out", _PATH), "--into": ("into", _PATH)},
}
_COMPLETE_VAR = "_THIDUA_COMPLETE"  # Click's shell completion for the program `thidua`


class Plain(NamedTuple):
    """A command line read: the root's flags, the command and its parameters as typer would pass them."""

    debug: bool
    verbose: bool
    command: str
    params: dict


def parse(args: list[str]) -> Plain | None:
    """The command line as typer would read it, or None when it is not a plain run (typer reads it then)."""
    if _COMPLETE_VAR in os.environ:
        return None
    words = list(args)
    flags = set()
    while words and words[0] in ROOT_FLAGS:
        flags.add(words.pop(0))
    if not words or words[0] not in OPTIONS:
        return None
    command, options = words[0], OPTIONS[words[0]]
    params: dict = {}
    paths: list[Path] = []
    rest = iter(words[1:])
    for word in rest:
        if not word.startswith("-"):
            if not _plain_value(word):
                return None
            paths.append(Path(word))
            continue
        name, eq, value = word.partition("=")
        if name not in options:
            return None
        if not eq:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                return None
        param, kind = options[name]
        if param in params or not _plain_value(value):
            return None
        if kind is _YEAR:
            if not (value.isascii() and value.isdigit() and len(value) <= 9):
                return None
            params[param] = int(value)
        else:
            params[param] = Path(value)
    if not paths:
        return None
    return Plain("--debug" in flags, "--verbose" in flags, command, {"paths": paths, **params})


def _plain_value(value: str) -> bool:
    """A value Click hands over as it is and typer makes a Path or a number of without a question."""
    return bool(value) and "\0" not in value


def run(plain: Plain) -> int:
    """The command run as typer runs it: the root's options, then the command; an interruption answered as
    typer.core._main answers it (Ctrl-C: 130 and nothing said; end of input: typer's Abort; a closed pipe:
    its streams quietened and 1)."""
    from . import runs
    from .common import root_options

    root_options(plain.debug, plain.verbose)
    command: Callable[..., int] = getattr(runs, plain.command)
    try:
        return command(**plain.params)
    except EOFError as exc:
        import sys

        from typer import _click
        from typer.exceptions import Abort

        _click.echo(file=sys.stderr)
        raise Abort() from exc
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        import errno
        import sys

        if exc.errno != errno.EPIPE:
            raise
        from typer import _click

        sys.stdout = _click.utils.PacifyFlushWrapper(sys.stdout)
        sys.stderr = _click.utils.PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
