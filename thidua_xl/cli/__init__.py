"""The `thidua` command line: a thin adapter over the pipeline (thidua_xl.pipeline).

Each command parses its options, calls the pipeline's steps or one plain function, and prints.
User errors print a Vietnamese message and exit 2; only --debug shows a traceback. The commands
live in this package's modules by stage; importing them registers them on `app` (the Typer application,
root.py), which happens when the command tree is first needed: a plain run of `validate` or `consolidate`
(plain.py) needs no typer.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from ..errors import UserError
from ..intake.early import ROOT_FLAGS as _ROOT_FLAGS  # the root's options that take no value
from .common import _audit_folder, console, end_verbose, err  # noqa: F401


def __getattr__(name: str):
    if name == "app":  # the Typer application, with every command registered
        return _commands()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _commands():
    """The Typer application with every command registered (the modules register theirs on import)."""
    from . import year, workbooks, delivery, loop, register, demo  # noqa: F401  (registers the commands)
    from .root import app

    return app


def main(argv: Optional[list[str]] = None) -> int:
    """Entry point: maps user errors to exit 2 with a Vietnamese message, never a raw traceback."""
    try:
        return _main(list(argv if argv is not None else sys.argv[1:]))
    finally:
        end_verbose()


def _main(args: list[str]) -> int:
    debug = "--debug" in args
    from . import plain

    try:
        run = plain.parse(args)
        if run is not None:  # validate or consolidate, plainly said: the same run without typer
            return plain.run(run)
        from .. import cli_vn
        from . import params

        command = cli_vn.vietnamise(_click_command(args))
        params.install(command)  # plain values converted without importing pydantic
        code = command.main(args=args, prog_name="thidua", standalone_mode=False)
        return code if isinstance(code, int) else 0
    except SystemExit as exc:
        code = exc.code
        return code if isinstance(code, int) else (0 if code is None else 2)
    except UserError as exc:
        from .out import escape

        from ..text import printable

        err.print(f"[bold red]Lỗi:[/] {escape(printable(exc))}", soft_wrap=True)
        _audit_failure(args, exc.exit_code, str(exc))
        return exc.exit_code
    except OSError as exc:  # disk full, read-only folder, a name too long: said plainly, never a traceback
        if debug:
            raise
        from .out import escape

        from ..guards import os_error_message

        message = os_error_message(exc)
        err.print(f"[bold red]Lỗi:[/] {escape(message)}", soft_wrap=True)
        _audit_failure(args, 2, message)
        return 2
    except KeyboardInterrupt:
        err.print("Đã dừng theo yêu cầu.")
        _audit_failure(args, 130, "dừng theo yêu cầu")
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence for users
        from .. import cli_vn

        if cli_vn.is_no_args_help(exc):  # `thidua` or `thidua history` alone: the help page
            console.print(exc.ctx.get_help(), markup=False, highlight=False)
            return 0
        if cli_vn.is_usage_error(exc):  # Click's parse errors, told in Vietnamese
            cli_vn.print_usage_error(exc, args, lambda line: err.print(line, markup=False, soft_wrap=True))
            return 2
        if cli_vn.is_abort(exc):
            err.print("Đã dừng.")
            return 1
        if debug:
            raise
        from ..guards import os_error_message, underlying_os_error

        os_error = underlying_os_error(exc)  # e.g. XlsxWriter's FileCreateError around a full disk
        if os_error is not None:
            from .out import escape

            message = os_error_message(os_error)
            err.print(f"[bold red]Lỗi:[/] {escape(message)}", soft_wrap=True)
            _audit_failure(args, 2, message)
            return 2
        err.print(f"[bold red]Lỗi không mong đợi:[/] {type(exc).__name__}: {exc}\n"
                  "Hãy chạy lại với --debug và gửi nội dung cho bộ phận kỹ thuật.", soft_wrap=True)
        _audit_failure(args, 2, f"{type(exc).__name__}: {exc}")
        return 2


def _click_command(args: list[str]):
    """The Click command tree to run `args`. Typer builds every command's parameters from its signature
    (~25 ms for the whole tree, on the main thread before the first workbook is handled): a plain run of one
    top-level command builds the root with that command alone; help, a group, a name not known, anything
    else gets the whole tree (its lists, suggestions and help pages)."""
    import typer

    app = _commands()
    words = list(args)
    while words and words[0] in _ROOT_FLAGS:
        words.pop(0)
    if words and not words[0].startswith("-") and not any(a in ("-h", "--help") for a in args):
        only = [c for c in app.registered_commands
                if (c.name or typer.main.get_command_name(c.callback.__name__)) == words[0]]
        if len(only) == 1 and words[0] not in {g.name for g in app.registered_groups}:
            import copy

            root = copy.copy(app)
            root.registered_commands, root.registered_groups = only, []
            return typer.main.get_command(root)
    return typer.main.get_command(app)


def _audit_failure(args: list[str], code: int, message: str) -> None:
    """A command that stopped on an error is logged too, beside the first input that exists."""
    try:
        from .. import audit
        from ..intake import expand_paths

        words = [a for a in args if not a.startswith("-")]
        if not words:
            return
        outputs = [Path(b) for a, b in zip(args, args[1:]) if a in ("--out", "--json", "--into", "--draft")]
        command = " ".join(words[:2]) if words[0] in ("history", "decisions") and len(words) > 1 else words[0]
        paths = [Path(a) for a in words[1:] if Path(a).exists()]
        if paths:
            files, _ = expand_paths(paths)
            audit.record(_audit_folder(paths, outputs), command, inputs=files, counts=None, exit_code=code,
                         message=message)
    except Exception:  # noqa: BLE001 - logging must not mask the user's error
        pass


def run() -> None:  # pragma: no cover
    sys.exit(main())


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
