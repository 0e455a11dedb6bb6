"""The command line's tables read exactly as rich prints them when the output is a file or a pipe.

`screen.print_table` lays a table out itself there (rich's own measuring, wrapping and box pieces on
plain text, without its segments and styles): random tables of findings-like text at many widths must
come out byte for byte as rich's `console.print(Table(...))`.
"""
from __future__ import annotations

import dataclasses
import io
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line as rich_divide_line
from rich.console import Console

from thidua_xl.cli.screen import Column, divide_line, left_lines, plain_lines, print_table, rich_table

WORDS = ["Lỗi", "Cảnh báo", "NOT_CHECKED", "“Nguyễn Thị Hoà”", "Bệnh", "viện", "Đa", "khoa", "tỉnh", "năm", "2024:",
         "[Quy", "định", "B.TTLDTT.TY_LE_LDTT;", "căn", "cứ:", "Luật", "Thi", "đua,", "khen", "thưởng", "2022]",
         "dòng", "12", "trang", "“Cá", "nhân”", "tệp", "DV02.xlsx", "—", "…", "Sở", "Y", "tế", "Lào", "Cai",
         "https://example.vn/very/long/address/that/never/fits/in/a/narrow/column", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123",
         "[bold]đậm[/bold]", "\\[không phải thẻ]", "09:30:00", "", " "]
RARE = [":smile:", "a:b:c", "tab\there", "宽", "e\u0301"]  # emoji codes, tabs, wide and combining characters


def _cell(rnd: random.Random) -> str:
    k = rnd.choice([0, 1, 1, 2, 3, 8, 30, 60])
    text = " ".join(rnd.choice(WORDS) for _ in range(k))
    if rnd.random() < 0.003:
        text += " " + rnd.choice(RARE)
    if rnd.random() < 0.05:
        text = text.replace(" ", "\n", 1)
    if rnd.random() < 0.05:
        text = "  " + text + "   "
    return text


def _rich(title, columns, rows, width: int) -> str:
    console = Console(file=io.StringIO(), width=width, highlight=False)
    console.print(rich_table(title, columns, rows))
    return console.file.getvalue()


def _ours(title, columns, rows, width: int) -> str | None:
    console = Console(file=io.StringIO(), width=width, highlight=False)
    lines = plain_lines(console, title, columns, rows)
    return None if lines is None else "".join(line + "\n" for line in lines)


def test_random_tables_read_as_rich_prints_them():
    rnd = random.Random(18)
    laid_out = 0
    for _ in range(400):
        n = rnd.randint(1, 5)
        columns = [Column(rnd.choice(["Mức", "Mã", "Vị trí", "Nội dung", "Hình thức", "Tập thể", "Số dòng", "X"]),
                          justify=rnd.choice(["left", "left", "right"]),
                          overflow=rnd.choice(["fold", "fold", "ellipsis", "crop"])) for _ in range(n)]
        rows = [[_cell(rnd) for _ in range(n)] for _ in range(rnd.randint(0, 12))]
        title = rnd.choice([None, "", "Kết quả kiểm tra năm 2024: 3 lỗi, 7 cảnh báo", "Tệp đã đọc"])
        width = rnd.choice([20, 40, 60, 80, 100, 132, 200])
        ours = _ours(title, columns, rows, width)
        if ours is not None:
            laid_out += 1
            assert ours == _rich(title, columns, rows, width), (title, columns, rows, width)
    assert laid_out > 300  # most tables take the plain way


def test_what_the_plain_way_does_not_lay_out_goes_to_rich():
    columns = [Column("Mã"), Column("Nội dung", overflow="fold")]
    for rows in ([["A", "tab\there"]], [["A", "e\u0301 decomposed"]], [["A", "宽字符"]], [["A", "bell\x07"]]):
        assert _ours("Bảng", columns, rows, 80) is None
        out = io.StringIO()
        print_table(Console(file=out, width=80, highlight=False), "Bảng", columns, rows)
        assert out.getvalue() == _rich("Bảng", columns, rows, 80)


@pytest.mark.parametrize("force_terminal", [True, False])
def test_print_table_prints_what_rich_prints(force_terminal):
    columns = [Column("Mức", overflow="fold"), Column("Nội dung", overflow="fold")]
    rows = [["Lỗi", "“Nguyễn Văn An” đã có Lao động tiên tiến năm 2024 [Quy định X.Y; căn cứ: Luật]"]] * 3
    got = Console(file=io.StringIO(), width=50, highlight=False, force_terminal=force_terminal, color_system=None)
    want = Console(file=io.StringIO(), width=50, highlight=False, force_terminal=force_terminal, color_system=None)
    print_table(got, "Kết quả: 1 lỗi", columns, rows)
    want.print(rich_table("Kết quả: 1 lỗi", columns, rows))
    assert got.file.getvalue() == want.file.getvalue()


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(list("aĐế.-") + [" ", " ", "  ", "xxxxxxx", "yyyyyyyyyyyyyyy", "\u00a0"]),
                max_size=25).map("".join),
       st.integers(1, 30), st.booleans())
def test_a_line_breaks_where_rich_breaks_it(line, width, fold):
    """Where a cell's line is cut to fit its column: rich's `divide_line`, found without measuring each word
    (a line with a no-break space goes word by word)."""
    assert divide_line(line, width, fold) == rich_divide_line(line, width, fold=fold)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(["a", "Đế", "x" * 7, "y" * 15, "z" * 20, "w" * 31, "“B.TTLDTT.TY_LE_LDTT)”"]),
                min_size=1, max_size=30).map(" ".join),
       st.integers(1, 30), st.booleans())
def test_a_message_breaks_where_rich_breaks_it(line, width, fold):
    """A finding's message (words one space apart, some longer than the column: a rule's code, a long name)
    cut where rich cuts it, a long word folded into pieces or left on its own line."""
    assert divide_line(line, width, fold) == rich_divide_line(line, width, fold=fold)


def _cut_as_rich(line: str, width: int, fold: bool) -> list[str]:
    """A left-justified cell's line as the table lays it out through rich's steps: cut by rich's divide_line,
    each piece's trailing white space taken past `width` (Text.rstrip_end), cut at `width` (Text.truncate of
    "fold" and "crop"), padded to the column and one space either side (Padding(0, 1))."""
    bounds = [0, *rich_divide_line(line, width, fold=fold), len(line)]
    out = []
    for a, b in zip(bounds, bounds[1:]):
        piece = line[a:b]
        if len(piece) > width:
            m = re.search(r"\s+$", piece)
            if m is not None:
                piece = piece[:len(piece) - min(len(m.group(0)), len(piece) - width)]
        out.append(" " + piece[:width].ljust(width) + " ")
    return out


@settings(max_examples=3000, deadline=None)
@given(st.one_of(
    st.lists(st.sampled_from(["a", "Đế", "x" * 7, "y" * 15, "z" * 20, "w" * 31, "“B.TTLDTT.TY_LE_LDTT)”"]),
             min_size=1, max_size=30).map(" ".join),
    st.lists(st.sampled_from(list("aĐế.-") + [" ", " ", "  ", "xxxxxxx", "yyyyyyyyyyyyyyy", "\u00a0"]),
             max_size=25).map("".join)),
    st.integers(1, 30), st.booleans())
def test_a_message_cell_is_laid_out_as_rich_cuts_it(line, width, fold):
    """A left-justified message cut and padded in one walk (`left_lines`): the lines rich's steps give, a long
    word folded or cropped, any other spacing the general way."""
    assert left_lines(line, width, fold) == _cut_as_rich(line, width, fold)


@dataclasses.dataclass(frozen=True)
class _ColumnAsDataclass:  # what `Column` was: its plain class must behave the same
    header: str
    justify: str = "left"
    overflow: str = "ellipsis"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["Mức", "Mã", ""]), min_size=1, max_size=1), st.data())
def test_a_column_is_the_frozen_record_it_was(header, data):
    """A column made with any of its fields given or not: the same fields, repr, equality and hash as the frozen
    dataclass it was, and read-only."""
    given = {"header": header[0]}
    for name, choices in (("justify", ["left", "right"]), ("overflow", ["fold", "ellipsis", "crop"])):
        if data.draw(st.booleans()):
            given[name] = data.draw(st.sampled_from(choices))
    other = {**given, "header": data.draw(st.sampled_from(["Mức", "Nội dung"]))}
    col, twin = Column(**given), _ColumnAsDataclass(**given)
    assert repr(col) == repr(twin).replace("_ColumnAsDataclass", "Column")
    assert (col.header, col.justify, col.overflow) == (twin.header, twin.justify, twin.overflow)
    assert (col == Column(**other)) == (twin == _ColumnAsDataclass(**other)) and hash(col) == hash(twin)
    assert col != twin and Column(given["header"]) == Column(given["header"], "left", "ellipsis")
    with pytest.raises(dataclasses.FrozenInstanceError):
        col.header = "x"
