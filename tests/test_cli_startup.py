"""What a command pays before it reads: only the command asked for is built from its signature.

Typer builds every command's Click parameters (~25 ms for the whole tree); a plain run of one command
builds the root with that command alone. Its parameters, its help and the root's options must be those of
the whole tree; help, groups and unknown names still get the whole tree.
"""
from __future__ import annotations

import typer.main

from thidua_xl.cli import _click_command, app


def _shape(command) -> list:
    keys = ("name", "opts", "secondary_opts", "required", "multiple", "nargs", "default", "is_flag", "help",
            "hidden", "is_eager", "param_type_name")
    return [(type(p).__name__, [repr(getattr(p, k, None)) for k in keys],
             repr(getattr(getattr(p, "type_descriptor", None), "annotation", None))) for p in command.params]


def test_one_command_is_built_as_the_whole_tree_builds_it():
    whole = typer.main.get_command(app)
    groups = {g.name for g in app.registered_groups}
    names = [n for n in whole.commands if n not in groups]
    assert {"validate", "consolidate", "report", "doctor", "email"} <= set(names)
    for name in names:
        for args in ([name, "x"], ["--debug", name], ["--verbose", "--debug", name, "--year", "2024"]):
            root = _click_command(args)
            assert list(root.commands) == [name]
            assert _shape(root) == _shape(whole)  # --debug, --verbose, --version
            assert root.callback is not None and root.name == whole.name
            got, want = root.commands[name], whole.commands[name]
            assert type(got) is type(want) and got.help == want.help and got.name == want.name
            assert _shape(got) == _shape(want)


def test_help_groups_and_unknown_names_get_the_whole_tree():
    whole = set(typer.main.get_command(app).commands)
    for args in ([], ["-h"], ["validate", "-h"], ["validate", "x", "--help"], ["history", "add"], ["valdate", "x"],
                 ["--version"], ["--debug"], ["-x", "validate"]):
        assert set(_click_command(args).commands) == whole, args
