"""What the command line prints to a file or a pipe reads exactly as rich prints it.

`cli.out.Stream` writes plain text itself where no terminal shows it (rich's console costs ~40 ms to
import before the first workbook is read), and hands anything it is not certain of to rich: random texts,
markup and widths must come out byte for byte as rich's `Console.print`, and the commands' whole output
must be the same whichever way it went.
"""
from __future__ import annotations

import io
import random
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.markup import escape as rich_escape

from thidua_xl.cli import out
from thidua_xl.cli.out import Stream, escape, plain_markup, wrapped

WORDS = ["Lỗi", "Cảnh báo", "“Nguyễn Thị Hoà”", "Bệnh", "viện", "Đa", "khoa", "tỉnh", "năm", "2024:", "[Quy", "định",
         "B.TTLDTT.TY_LE_LDTT;", "căn", "cứ:", "2022]", "DV02.xlsx", "—", "…", "/tmp/thu-muc/tong-hop.json",
         "https://example.vn/very/long/address/that/never/fits/in/a/narrow/line/at/all", "[bold]", "[/]",
         "[bold red]", "[/bold red]", "[yellow]", "[/yellow]", "[/bold]", "\\[không phải thẻ]", "\\", "\\\\",
         "[link=x]", "[@click]", "[/link]", "[", "]", "09:30:00", ":smile:", "a:b", "→", "✓", "≥ 70%", "", " ", "  ", "\n"]


def _text(rnd: random.Random) -> str:
    k = rnd.choice([0, 1, 2, 3, 8, 20, 40])
    text = rnd.choice(["", " "]).join(rnd.choice(WORDS) for _ in range(k))
    if rnd.random() < 0.1:
        text = "  " + text + "   "
    return text


def _rich(text: str, width: int, **options) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False)
    try:
        console.print(text, **options)
    except Exception as exc:  # noqa: BLE001 - a markup error is rich's answer too
        return type(exc).__name__
    return console.file.getvalue()


def _ours(text: str, width: int, **options) -> str | None:
    shown = plain_markup(text, options.get("markup", True))
    if shown is None or not out.SIMPLE_TEXT.fullmatch(shown):
        return None
    return shown + "\n" if options.get("soft_wrap") else wrapped(shown, width)


def test_random_texts_print_as_rich_prints_them():
    rnd = random.Random(18)
    plain = 0
    for _ in range(3000):
        text = _text(rnd)
        width = rnd.choice([1, 2, 5, 10, 20, 40, 80, 132])
        options = rnd.choice([{}, {"markup": False}, {"soft_wrap": True}, {"markup": False, "soft_wrap": True},
                              {"highlight": False}])
        ours = _ours(text, width, **options)
        if ours is not None:
            plain += 1
            assert ours == _rich(text, width, **options), (text, width, options)
    assert plain > 1500  # most texts take the plain way


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("ab Đế[]/\\:\n") + ["[bold]", "[/]", "[red]", "[/red]"]), max_size=40).map("".join),
       st.integers(1, 30), st.booleans())
def test_markup_reads_as_rich_reads_it(text, width, markup):
    ours = _ours(text, width, markup=markup)
    if ours is not None:
        assert ours == _rich(text, width, markup=markup)


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(list("ab [/]\\@#=") + ["[bold]", "[/]"]), max_size=30).map("".join))
def test_escape_is_rich_escape(text):
    assert escape(text) == rich_escape(text)
    assert _ours(escape(text), 200, soft_wrap=True) in (None, _rich(escape(text), 200, soft_wrap=True))


def test_every_character_the_plain_way_takes_is_one_cell_that_rich_keeps():
    from rich.cells import cell_len
    from rich.control import strip_control_codes

    taken = [chr(c) for c in range(0x110000) if c != 10 and out.SIMPLE_TEXT.fullmatch(chr(c))]
    assert len(taken) > 900 and "→" in taken and "\t" not in taken
    assert all(cell_len(ch) == 1 and strip_control_codes(ch) == ch and not ch.isspace() or ch in " \u00a0\u2028"
               for ch in taken)


def test_what_is_not_plain_goes_to_rich():
    for text in [":smile: xong", "[link=https://x.vn]đây[/link]", "[bold]a[/italic]", "[/] thừa", "tab\there",
                 "e\u0301", "宽", "bell\x07"]:
        assert _ours(text, 80) is None


def _stream(monkeypatch, width: int) -> tuple[Stream, io.StringIO]:
    monkeypatch.setenv("COLUMNS", str(width))
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    file = io.StringIO()
    monkeypatch.setattr(sys, "stdout", file)
    return Stream(stderr=False), file


@pytest.mark.parametrize("width", [20, 80, 200])
def test_a_stream_to_a_file_prints_what_rich_prints_without_rich(monkeypatch, width):
    stream, file = _stream(monkeypatch, width)
    texts = ["[bold red]Lỗi:[/] " + escape("tệp “DV[01].xlsx” không đọc được, trang “Cá nhân”, ô B7 " * 3),
             "Đã ghi /tmp/thu-muc-rat-dai/" + "x" * 150 + ".json", ":smile: để rich quyết định", "", "a\n\nb\n"]
    for text in texts:
        stream.print(text)
        stream.print(text, soft_wrap=True, markup=False)
    assert stream.plain_width() == width and not stream.is_terminal
    want = Console(file=io.StringIO(), width=width, highlight=False)
    for text in texts:
        want.print(text)
        want.print(text, soft_wrap=True, markup=False)
    assert file.getvalue() == want.file.getvalue()


def test_a_terminal_gets_rich_itself(monkeypatch):
    stream, file = _stream(monkeypatch, 80)
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert stream.is_terminal and stream.plain_width() is None
    stream.print("[bold]Đậm[/]")
    assert "\x1b[1m" in file.getvalue()


class _RichOnly(Stream):
    def plain_width(self):
        return None


def _run_cli(monkeypatch, capsys, stream_class, *args: str) -> tuple[int, str, str]:
    from thidua_xl import cli
    from thidua_xl.cli import common, runs, year

    console, err = stream_class(stderr=False), stream_class(stderr=True)
    for module in (cli, common, year, runs):
        monkeypatch.setattr(module, "console", console)
        if hasattr(module, "err"):
            monkeypatch.setattr(module, "err", err)
    code = cli.main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("command", ["consolidate", "validate"])
def test_the_commands_print_the_same_either_way(seed_folder, tmp_path, monkeypatch, capsys, command):
    """consolidate and validate of the seed province's files (warnings, a table of findings, files) print the
    same bytes through the plain way as through rich."""
    monkeypatch.setenv("COLUMNS", "100")
    plain = _run_cli(monkeypatch, capsys, Stream, command, str(seed_folder), "--json", str(tmp_path / "a.json"))
    rich = _run_cli(monkeypatch, capsys, _RichOnly, command, str(seed_folder), "--json", str(tmp_path / "a.json"))
    assert plain == rich
    assert plain[1].count("\n") > 10 and "a.json" in plain[1]
