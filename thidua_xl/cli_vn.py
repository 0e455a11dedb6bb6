"""The command line's own words in Vietnamese: help pages, usage lines, parse errors, suggestions.

Typer and Click print English ("Usage:", "Options:", "No such command"). The officers who run
`thidua` read Vietnamese, so the help is written here from the commands' own parameters, and the
parse errors Click raises are rebuilt from their attributes (not their English text) before
anything is printed. Commands are listed in the order of the office's year.
"""
from __future__ import annotations

import difflib
import re
from typing import Any

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer ≥ 0.22 carries its own copy of Click
    from typer._click import exceptions as _cx
except ImportError:  # pragma: no cover - older typer on real click
    from click import exceptions as _cx  # type: ignore[no-redef]

HELP_OPTIONS = ["-h", "--help"]
HELP_TEXT = "Hiện hướng dẫn này rồi thoát."

# the order of the year: set up, send out, receive, check, add up, decide, write, keep, tools
YEAR_ORDER = ["init", "units", "split", "email", "status", "collect", "feedback", "validate", "consolidate",
              "decisions", "report", "certificates", "history", "rules", "build-workbook", "doctor", "demo"]

_ARG_NAMES = {"paths": "TỆP_HOẶC_THƯ_MỤC", "master": "TỆP_TỔNG_HỢP", "folder": "THƯ_MỤC", "file": "TỆP",
              "files": "TỆP", "source": "TỆP_HOẶC_THƯ_MỤC", "code": "MÃ", "name": "TÊN", "email": "EMAIL",
              "rule": "MÃ_QUY_ĐỊNH"}
_TYPE_WORDS = [(r"list\[path\]|path|file|directory", "ĐƯỜNG_DẪN"), (r"list\[str\]|str|text", "CHỮ"),
               (r"int|integer", "SỐ"), (r"float", "SỐ"), (r"bool|boolean", "CÓ/KHÔNG"), (r"choice", "LỰA_CHỌN")]


def vn_metavar(raw: str) -> str:
    """`<int>` / `INTEGER` / `<list[Path]>` → a Vietnamese placeholder."""
    word = raw.strip().strip("<>").strip()
    if word.startswith("[") and "|" in word:  # a choice: keep the values themselves
        return word
    for pattern, vn in _TYPE_WORDS:
        if re.fullmatch(pattern, word, flags=re.IGNORECASE):
            return vn
    return word.upper() if word else ""


def _vn_extras(text: str) -> str:
    text = re.sub(r"\[default: ([^\]]*)\]", r"[mặc định: \1]", text)
    text = text.replace("[required]", "[bắt buộc]")
    return re.sub(r"\[env var: ([^\]]*)\]", r"[biến môi trường: \1]", text)


def _is_help(param, ctx) -> bool:
    opts = list(getattr(param, "opts", []) or [])
    return param.name == "help" or (bool(opts) and all(o in ctx.help_option_names for o in opts))


def _arg_metavar(param) -> str:
    name = _ARG_NAMES.get(param.name, param.name.upper())
    return name + ("..." if getattr(param, "nargs", 1) == -1 else "")


def _records(cmd, ctx) -> tuple[list, list]:
    args, opts = [], []
    for param in cmd.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if param.param_type_name == "argument":
            rec = param.get_help_record(ctx)
            help_ = _vn_extras(rec[1]) if rec else ""
            if getattr(param, "required", False) and "[bắt buộc]" not in help_:
                help_ = (help_ + "  [bắt buộc]").strip()
            args.append((_arg_metavar(param), help_))
        elif param.param_type_name == "option":
            if _is_help(param, ctx):
                continue
            rec = param.get_help_record(ctx)
            if rec is None:
                continue
            names, help_ = rec
            words = names.split(" ")
            flags = [w for w in words if w.startswith("-") or w.startswith("/")]
            rest = " ".join(w for w in words if w not in flags)
            label = " ".join(flags) + (" " + vn_metavar(rest) if rest else "")
            opts.append((label, _vn_extras(help_ or "")))
    opts.append((", ".join(o for o in HELP_OPTIONS if o in ctx.help_option_names) or "--help", HELP_TEXT))
    return args, opts


class _VnMixin:
    """Help and usage in Vietnamese for any Typer command or group."""

    def get_help_option(self, ctx):  # the option itself keeps working; its text is ours
        opt = super().get_help_option(ctx)
        if opt is not None:
            opt.help = HELP_TEXT
        return opt

    def collect_usage_pieces(self, ctx) -> list[str]:
        pieces = ["[TÙY CHỌN]"]
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                m = _arg_metavar(param)
                pieces.append(m if getattr(param, "required", False) else f"[{m}]")
        if isinstance(self, TyperGroup):
            pieces.append("LỆNH [THAM SỐ]...")
        return pieces

    def format_usage(self, ctx, formatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)), prefix="Cách dùng: ")

    def get_usage(self, ctx) -> str:
        return f"Cách dùng: {ctx.command_path} {' '.join(self.collect_usage_pieces(ctx))}"

    def format_help(self, ctx, formatter) -> None:
        self.format_usage(ctx, formatter)
        if self.help:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(self.help.split("\f")[0].strip())
        args, opts = _records(self, ctx)
        if args:
            with formatter.section("Tham số"):
                formatter.write_dl(args)
        with formatter.section("Tùy chọn"):
            formatter.write_dl(opts)
        if isinstance(self, TyperGroup):
            rows = []
            for name in self.list_commands(ctx):
                sub = self.get_command(ctx, name)
                if sub is None or getattr(sub, "hidden", False):
                    continue
                rows.append((name, sub.get_short_help_str(limit=max(30, formatter.width - 24))))
            if rows:
                with formatter.section("Lệnh (theo thứ tự công việc trong năm)"):
                    formatter.write_dl(rows)
                formatter.write_paragraph()
                formatter.write_text(f"Xem cách dùng từng lệnh: {ctx.command_path} LỆNH -h")


class VnCommand(_VnMixin, TyperCommand):
    pass


class VnGroup(_VnMixin, TyperGroup):
    def list_commands(self, ctx) -> list[str]:
        names = list(self.commands)
        rank = {n: i for i, n in enumerate(YEAR_ORDER)}
        return sorted(names, key=lambda n: (rank.get(n, len(YEAR_ORDER)), names.index(n)))


class VnTyper(typer.Typer):
    """A Typer whose commands and sub-groups speak Vietnamese, and answer -h as well as --help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", VnGroup)
        kwargs.setdefault("context_settings", {"help_option_names": HELP_OPTIONS})
        kwargs.setdefault("rich_markup_mode", None)
        kwargs.setdefault("add_completion", False)
        kwargs.setdefault("no_args_is_help", True)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("cls", VnCommand)
        return super().command(*args, **kwargs)


def vietnamise(cmd) -> Any:
    """Give every command of the tree our help, whichever way it was declared (plain typer.Typer too)."""
    if isinstance(cmd, TyperGroup) and not isinstance(cmd, VnGroup):
        cmd.__class__ = type("VnGroup_", (VnGroup, type(cmd)), {}) if type(cmd) is not TyperGroup else VnGroup
    elif isinstance(cmd, TyperCommand) and not isinstance(cmd, VnCommand):
        cmd.__class__ = type("VnCommand_", (VnCommand, type(cmd)), {}) if type(cmd) is not TyperCommand else VnCommand
    for sub in getattr(cmd, "commands", {}).values():
        vietnamise(sub)
    return cmd


# --- parse errors ------------------------------------------------------------------------------
def _hint(param) -> str:
    if param is None:
        return ""
    if param.param_type_name == "argument":
        return _arg_metavar(param).rstrip(".")
    return " / ".join(param.opts)


def _value_message(text: str) -> str:
    """Click/Typer's words about a value that could not be converted, in Vietnamese."""
    rules = [
        (r"Input should be a valid integer.*", "phải là số nguyên"),
        (r"Input should be a valid (?:number|float).*", "phải là số"),
        (r"Input should be a valid boolean.*", "phải là có/không"),
        (r"Input should be (.*)", "giá trị không hợp lệ ({0})"),
        (r"(?:Value )?'?(.*?)'? is not a valid (integer|int)\.?", "“{0}” không phải là số nguyên"),
        (r"(?:Value )?'?(.*?)'? is not a valid (float)\.?", "“{0}” không phải là số"),
        (r"(?:Value )?'?(.*?)'? is not a valid (bool|boolean)\.?", "“{0}” không phải là có/không"),
        (r"(?:Value )?'?(.*?)'? is not a valid (.*?)\.?", "“{0}” không hợp lệ"),
        (r"'?(.*?)'? is not one of (.*?)\.?", "“{0}” không thuộc các giá trị: {1}"),
        (r"(?:File|Path|Directory) '?(.*?)'? does not exist\.?", "“{0}” không tồn tại"),
        (r"(.*?) is not in the range (.*?)\.?", "{0} nằm ngoài khoảng {1}"),
    ]
    for pattern, vn in rules:
        m = re.fullmatch(pattern, text.strip())
        if m:
            return vn.format(*m.groups())
    return text


def usage_message(exc, argv: list[str]) -> str:
    """One Vietnamese sentence for a parse error raised by Click."""
    ctx = getattr(exc, "ctx", None)
    raw = getattr(exc, "message", "") or ""
    if isinstance(exc, _cx.NoSuchOption):
        name = exc.option_name
        known = []
        if ctx is not None:
            for p in ctx.command.get_params(ctx):
                known += list(getattr(p, "opts", [])) + list(getattr(p, "secondary_opts", []))
            known = [o for o in known if o.startswith("-")]
        close = difflib.get_close_matches(name, known, n=3) or sorted(getattr(exc, "possibilities", None) or [])
        return f"Không có tùy chọn “{name}”." + (f" Có phải là: {', '.join(close)}?" if close else "")
    if isinstance(exc, _cx.MissingParameter):
        param = exc.param
        kind = "tham số" if param is not None and param.param_type_name == "argument" else "tùy chọn"
        return f"Thiếu {kind} {_hint(param)}.".replace("  ", " ")
    if isinstance(exc, _cx.BadParameter):
        return f"Giá trị không hợp lệ cho {_hint(exc.param) or 'tham số'}: {_value_message(raw)}."
    if isinstance(exc, _cx.BadOptionUsage):
        name = exc.option_name
        if "requires" in raw and "argument" in raw:
            return f"Tùy chọn {name} cần một giá trị đi kèm."
        if "does not take a value" in raw:
            return f"Tùy chọn {name} không nhận giá trị."
        return f"Dùng sai tùy chọn {name}."
    m = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", raw)
    if m:
        return f"Thừa tham số: {m.group(1)}."
    m = re.match(r"No such command '(.*?)'", raw)
    if m:
        typo = m.group(1)
        names = list(getattr(ctx.command, "commands", {}) if ctx else [])
        close = difflib.get_close_matches(typo, names, n=3)
        return f"Không có lệnh “{typo}”." + (f" Có phải là: {', '.join(close)}?" if close else "")
    if raw.startswith("Missing command"):
        return "Thiếu lệnh: hãy chọn một lệnh trong danh sách."
    return f"Lệnh viết chưa đúng: {raw}"


def print_usage_error(exc, argv: list[str], echo) -> None:
    """Usage line, the error, and where to read more — the three lines Click would print, in Vietnamese."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        echo(ctx.command.get_usage(ctx))
        echo(f"Xem “{ctx.command_path} -h” để biết cách dùng.")
    echo(f"Lỗi: {usage_message(exc, argv)}")


def is_usage_error(exc: BaseException) -> bool:
    return isinstance(exc, _cx.UsageError)


def is_no_args_help(exc: BaseException) -> bool:
    return isinstance(exc, getattr(_cx, "NoArgsIsHelpError", ())) if hasattr(_cx, "NoArgsIsHelpError") else False


def is_abort(exc: BaseException) -> bool:
    return isinstance(exc, getattr(_cx, "Abort", ()))
