"""The commands' option values converted without pydantic.

Recent typer converts every parameter of the command it runs through a pydantic `TypeAdapter`: importing
pydantic and building the adapters costs ~0.25 s in every process (each ribbon click). The values our
commands take — text, whole numbers, decimals, flags, paths, lists of those — are converted here to exactly what
typer gives; a value typer would refuse or treat specially (a number out of range, `1_000`, `1e3`, a path
check that fails…) and any other kind of parameter go to typer's own conversion, so its results and its
messages are unchanged. With a typer that converts through Click (no `type_descriptor`), nothing changes.
"""
from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, List

_INT = re.compile(r"[+-]?[0-9]{1,30}")
_FLOAT = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})")
_LEAVES = (str, int, float, bool, Path)
_REFUSED = object()  # "not one of ours": typer converts it


def install(command) -> None:
    """Give each parameter of the command tree that holds plain values a converter that needs no pydantic."""
    for param in getattr(command, "params", ()):
        install_one(param)
    made = getattr(command, "get_help_option", None)
    if made is not None:  # -h/--help is made on demand, outside `params`: converted here too
        def get_help_option(ctx, made=made):
            option = made(ctx)
            if option is not None:
                install_one(option)
            return option

        command.get_help_option = get_help_option
    for sub in getattr(command, "commands", {}).values():
        install(sub)


def install_one(param) -> None:
    leaf = _plain_leaf(param)
    if leaf is not None and getattr(param, "_runtime_param", False) is None:
        param._runtime_param = PlainValues(param.type_descriptor, leaf)


def _plain_leaf(param) -> type | None:
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is None or descriptor.file_annotation is not None:
        return None
    info = descriptor.parameter_info
    if getattr(info, "parser", None) is not None or getattr(info, "click_type", None) is not None:
        return None
    if getattr(info, "clamp", False) or descriptor.is_choice:
        return None
    annotation = descriptor.annotation
    leaf = annotation
    if getattr(annotation, "__origin__", None) is list:
        (leaf,) = annotation.__args__
        if not (param.multiple or param.nargs == -1):
            return None
    elif param.multiple or param.nargs != 1:
        return None
    if leaf not in _LEAVES or (leaf is Path and getattr(info, "path_type", None) not in (None, Path)):
        return None
    if leaf is not Path and any(getattr(info, flag, False) for flag in ("exists", "resolve_path")):
        return None
    return leaf


class PlainValues:
    """typer's conversion of one parameter, done in Python for the values that are plainly right."""

    def __init__(self, descriptor, leaf: type) -> None:
        self.descriptor = descriptor
        self.leaf = leaf
        self.is_list = leaf is not descriptor.annotation
        self._typer = None

    def typer(self):
        """typer's own converter (pydantic), built only when a value needs it."""
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer

    def coerce(self, value: Any, param, ctx) -> Any:
        if value is None:  # as typer: nothing given
            return () if (param.multiple or param.nargs == -1) else None
        if not (self.is_list and isinstance(value, str)):
            if self.is_list:
                if isinstance(value, (list, tuple)):
                    items: List[Any] = [self.one(v, param, ctx) for v in value]
                    if all(v is not _REFUSED for v in items):
                        return items
            else:
                got = self.one(value, param, ctx)
                if got is not _REFUSED:
                    return got
        return self.typer().coerce(value, param=param, ctx=ctx)  # a refusal, anything unusual

    def one(self, value: Any, param, ctx) -> Any:
        leaf, info = self.leaf, self.descriptor.parameter_info
        if leaf is str or leaf is bool:
            return value if type(value) is leaf else _REFUSED
        if leaf is Path:
            return self.path(value, param, ctx)
        if type(value) is str:
            if leaf is int and _INT.fullmatch(value):
                number: Any = int(value)
            elif leaf is float and _FLOAT.fullmatch(value):
                number = float(value)
            else:
                return _REFUSED
        elif type(value) is leaf or (leaf is float and type(value) is int and abs(value) < 2 ** 53):
            number = leaf(value)
        else:
            return _REFUSED
        if leaf is float and not math.isfinite(number):
            return _REFUSED  # nan and infinities: typer's rules
        low, high = getattr(info, "min", None), getattr(info, "max", None)
        if (low is not None and number < low) or (high is not None and number > high):
            return _REFUSED
        return number

    def path(self, value: Any, param, ctx) -> Any:
        if not (type(value) is str and "\0" not in value) and not isinstance(value, Path):
            return _REFUSED
        from typer._click.exceptions import BadParameter
        from typer._param_types import coerce_cli_path

        try:  # typer's own checks (exists, file or folder, readable…), on the Path pydantic would make
            return coerce_cli_path(Path(value), self.descriptor.parameter_info, path_type=Path, param=param, ctx=ctx)
        except BadParameter:
            return _REFUSED  # typer says why, in its words
