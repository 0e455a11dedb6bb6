"""The command line's tables, printed as rich prints them, without rich's cost when no terminal shows them.

`validate` prints up to 200 findings: rich lays each cell out through its segments and styles,
~0.5 s of the command. When the output is a file or a pipe (no colours, no styles) the table is
plain text, and `plain_lines` lays it out with rich's own measuring, wrapping and box pieces on
plain strings: the same bytes (tests/test_cli_screen.py compares both on random tables). A terminal,
a forced colour mode, an unusual character or a table too narrow to lay out goes to rich itself.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from typing import Callable, Sequence

from ..perf import Frozen


class Column(Frozen):
    """A table's column: its header, how its cells are justified (rich's "left" | "right") and cut (rich's default
    "ellipsis"; "fold" breaks long words). A plain class (see perf.Plain): imported by every command."""

    _fields = ("header", "justify", "overflow")

    def __init__(self, header: str, justify: str = "left", overflow: str = "ellipsis"):
        put = object.__setattr__
        put(self, "header", header)
        put(self, "justify", justify)
        put(self, "overflow", overflow)


def print_table(console, title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]]) -> None:
    """console.print(rich Table(title, columns, rows)), byte for byte; `console` is rich's or the command
    line's own (cli.out.Stream, which lays a plain table out without importing rich's console)."""
    if hasattr(console, "plain_width"):
        width = console.plain_width()
        lines = None if width is None else layout(width, title, columns, rows, console.markup_text)
        if lines is None:
            console.rich.print(rich_table(title, columns, rows))
            return
        console.file.write("\n".join(lines) + "\n")
        console.file.flush()
        return
    lines = plain_lines(console, title, columns, rows) if _plain_console(console) else None
    if lines is None:
        console.print(rich_table(title, columns, rows))
        return
    if console.quiet:
        return
    file = console.file
    file.write("\n".join(lines) + "\n")
    file.flush()


def rich_table(title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]]):
    from rich.table import Table

    table = Table(title=title)
    for c in columns:
        table.add_column(c.header, justify=c.justify, overflow=c.overflow)
    for r in rows:
        table.add_row(*r)
    return table


def _plain_console(console) -> bool:
    """Output that carries no style at all: not a terminal, no colour forced, no recording, UTF-8, no legacy
    Windows console (whose box characters rich substitutes)."""
    return (not console.is_terminal and console.color_system is None and not console.record and not console.soft_wrap
            and not console.is_jupyter and not console.legacy_windows
            and console.encoding.lower().startswith("utf") and not console._buffer_index)


SIMPLE_TEXT = re.compile(r"[\x20-\x7e\u00a0-\u02ff\u1e00-\u1eff\u2010-\u2027\u2030-\u205e\u20ab\u20ac\u2190-\u21ff\u2264\u2265\u2713\n]*")
_TRAILING_SPACE = re.compile(r"\s+$")
_EMOJI_CODE = re.compile(r":\S*?:")  # every text rich's emoji codes could replace


def plain_lines(console, title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]]
                ) -> list[str] | None:
    """The lines rich prints for this table on a rich `console` (no styles), or None where this layout is not
    certain to be rich's (the caller then lets rich print)."""
    from rich.markup import RE_TAGS

    def markup(s: str) -> str:  # without a markup tag or an emoji code (":name:") rich shows the text as it is
        marked = ("[" in s and RE_TAGS.search(s)) or (":" in s and _EMOJI_CODE.search(s))
        return console.render_str(s).plain if marked else s

    return layout(console.options.max_width, title, columns, rows, markup)


def layout(max_width: int, title: str | None, columns: Sequence[Column], rows: Sequence[Sequence[str]],
           markup: Callable[[str], str | None]) -> list[str] | None:
    """The lines rich prints for this table at `max_width` (no styles), `markup` giving a cell's text as rich
    shows it (None: not certain); None where this layout is not certain to be rich's."""
    n = len(columns)
    if n == 0 or any(len(r) != n for r in rows):
        return None
    for c in columns:
        if c.justify not in ("left", "right") or c.overflow not in ("fold", "ellipsis", "crop"):
            return None
    shown: dict[str, str | None] = {}  # a cell's text as rich shows it, once per distinct text (codes repeat)

    def text(s: str) -> str | None:
        got = markup(s)
        # one cell per character (Vietnamese, Latin, punctuation), no tab: else rich decides
        return got if got is not None and SIMPLE_TEXT.fullmatch(got) else None

    grid: list[list[str]] = []
    for r in [[c.header for c in columns], *rows]:
        cells = []
        for v in r:
            v = v if isinstance(v, str) else str(v)
            t = shown[v] if v in shown else shown.setdefault(v, text(v))
            if t is None:
                return None
            cells.append(t)
        grid.append(cells)

    # --- column widths: Table._calculate_column_widths with Padding(0, 1) cells, no expand -------------
    # A cell measures min(its widest line + 2, the room) at most (Padding(0, 1) around Text; the widest word
    # only bounds the minimum, which a table that is not expanded never reads), a column its widest cell.
    extra = 2 + n - 1  # outer edges and the dividers
    room = max_width - extra
    widest = [max(len(s) if "\n" not in s else max(map(len, s.split("\n"))) for s in column)
              for column in zip(*grid)]

    def measure(j: int, m: int) -> int:
        return 0 if m < 1 else min(widest[j] + 2, m)

    widths = [measure(j, room) or 1 for j in range(n)]
    if sum(widths) > room:
        widths = _collapse(widths, room)
        if sum(widths) > room:
            widths = _ratio_reduce(sum(widths) - room, [1] * n, widths, widths)
        widths = [measure(j, w) for j, w in enumerate(widths)]
    if any(w < 3 for w in widths):
        return None
    table_width = sum(widths) + extra
    if table_width > max_width:
        return None

    # --- cells: Padding(Text) rendered at its column's width --------------------------------------------
    wraps = [_cell_wrap(w, c.justify, c.overflow) for w, c in zip(widths, columns)]
    out = []
    if title:
        t = text(title)
        if t is None or "\n" in t or len(t) > table_width:
            return None
        t = t.rstrip()
        t = " " * ((table_width - len(t)) // 2) + t
        out.append(t + " " * (table_width - len(t)))
    out.append(_line(_TOP, widths))
    blanks = [" " * w for w in widths]
    head, mid, foot = ((left + between.join(["{}"] * n) + right).format for left, between, right in (_HEAD, _MID, _FOOT))
    last_row = len(grid) - 1
    for i, cells in enumerate(grid):
        rendered = [wrap(s) for wrap, s in zip(wraps, cells)]
        height = max(map(len, rendered))
        if height > 1:
            for r, blank in zip(rendered, blanks):
                if len(r) < height:  # the header sits at the bottom, rows at the top
                    r[:] = [blank] * (height - len(r)) + r if i == 0 else r + [blank] * (height - len(r))
        out.extend(map(head if i == 0 else foot if i == last_row else mid, *rendered))  # one line a row's line
        if i == 0:
            out.append(_line(_HEAD_ROW, widths))
    out.append(_line(_BOTTOM, widths))
    return out


# rich.box.HEAVY_HEAD's pieces (rich's box module, ~1.5 ms to import, is not needed to draw them):
# (left, horizontal or vertical, divider, right) of each line the table uses
_TOP, _HEAD_ROW, _BOTTOM = ("┏", "━", "┳", "┓"), ("┡", "━", "╇", "┩"), ("└", "─", "┴", "┘")
_HEAD, _MID, _FOOT = ("┃", "┃", "┃"), ("│", "│", "│"), ("│", "│", "│")  # a row's left, between, right


def _line(edge: tuple[str, str, str, str], widths: list[int]) -> str:
    left, horizontal, divider, right = edge
    return left + divider.join(horizontal * w for w in widths) + right


def _cell_wrap(w: int, justify: str, overflow: str) -> Callable[[str], list[str]]:
    """A column's cell laid out: its lines, each `w` characters with the padding of one space either side."""
    width = w - 2
    fold = overflow == "fold"
    cut = overflow != "ellipsis"  # fold and crop cut a line too long at `width`; ellipsis ends it with "…"
    left = justify == "left"

    def wrap(s: str) -> list[str]:
        if len(s) <= width and "\n" not in s:  # one line that fits
            return [(" " + s).ljust(w)] if left else [(" " + s.rstrip().rjust(width) + " ")]
        out = []
        for line in s.split("\n"):
            if left and cut:
                out += left_lines(line, width, fold)
                continue
            bounds = [0, *divide_line(line, width, fold), len(line)]
            for a, b in zip(bounds, bounds[1:]):
                piece = line[a:b]
                if left:
                    if len(piece) > width:  # Text.rstrip_end
                        m = _TRAILING_SPACE.search(piece)
                        if m is not None:
                            piece = piece[:len(piece) - min(len(m.group(0)), len(piece) - width)]
                    out.append(" " + (_truncate(piece, width, overflow) if len(piece) > width
                                      else piece.ljust(width)) + " ")
                else:
                    out.append(" " + _truncate(piece.rstrip(), width, overflow).rjust(width) + " ")
        return out

    return wrap


def left_lines(line: str, width: int, fold: bool) -> list[str]:
    """A line of a left-justified cell cut at `width` ("fold" or "crop") as laid out: each piece divide_line
    cuts, `" " + piece[:width]` padded to `width + 2` (Text.rstrip_end and Text.truncate take only what lies
    past `width`)."""
    w = width + 2
    if len(line) <= width:
        return [(" " + line).ljust(w)]
    bounds = [0, *divide_line(line, width, fold), len(line)]
    return [(" " + line[a:b][:width]).ljust(w) for a, b in zip(bounds, bounds[1:])]


_RUN = re.compile(r"\S+")


_OTHER_SPACE = re.compile(r"[^\S ]")


def divide_line(line: str, width: int, fold: bool) -> list[int]:
    """rich._wrap.divide_line for text of one cell per character: where the line breaks to fit `width`.

    rich measures each word's cells in turn (most of the table's time); here a character is a cell, so the
    words that fit on a line are passed over in one step: the first word that does not fit is the one at the
    line's last column (or the first after it), found by `find`/`rfind` of a space; only a word that breaks
    is looked at. A word is rich's: the spaces before the first one, the non-space characters, the spaces
    after. A line with other white space (no-break space, tab) is measured word by word (`_divide_words`)."""
    size = len(line)
    if size <= width:
        return []
    if _OTHER_SPACE.search(line):
        return _divide_words(line, width, fold)
    if line[0] != " " and line[-1] != " " and "  " not in line:
        return _single_spaced(line, width, fold)
    last_end = len(line.rstrip(" "))  # where the last word's characters end
    if not last_end:
        return []
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    start = 0  # where the current word begins (the first one with the spaces before it)
    run = _RUN.search(line)  # its non-space characters
    while True:
        room_end = start + width - offset  # a word fits when its characters end at or before this
        if room_end >= last_end:  # every word left fits
            break
        if run.end() <= room_end:  # this word fits: move on to the first that does not
            nxt = room_end if line[room_end] == " " else line.rfind(" ", 0, room_end) + 1
            run = _RUN.search(line, nxt)
            offset += run.start() - start
            start = run.start()
            continue
        later = _RUN.search(line, run.end())
        end = later.start() if later is not None else size  # where the next word begins
        offset = _place_word(breaks, start, end, run.end(), width, offset, fold)
        if later is None:
            break
        run, start = later, later.start()
    return breaks


def _single_spaced(line: str, width: int, fold: bool) -> list[int]:
    """divide_line of a line whose words are one space apart, none before the first or after the last: a cell's
    message, cut ~20 times in a 20-column cell. A line beginning at `start` breaks after the last space up to the
    column just past its room (one `rfind` a cut, no walk over its words); a word longer than a line is cut in
    pieces of `width` (`fold`) or left whole on its own line, as `_place_word` does."""
    breaks: list[int] = []
    start, size = 0, len(line)
    while size - start > width:
        space = line.rfind(" ", start, start + width + 1)
        if space != -1:
            start = space + 1
            breaks.append(start)
            continue
        end = line.find(" ", start)  # the word at `start` is longer than a line
        if not fold:
            if end == -1:
                break
            start = end + 1
            breaks.append(start)
            continue
        length = (size if end == -1 else end + 1) - start  # with its space after
        last = start + (length - 1) // width * width
        breaks.extend(range(start + width, last + 1, width))
        start = last
    return breaks


def _divide_words(line: str, width: int, fold: bool) -> list[int]:
    """divide_line with the words' ends bisected (any white space)."""
    size = len(line)
    runs = [m.span() for m in _RUN.finditer(line)]
    n = len(runs)
    starts = [0] + [r[0] for r in runs[1:]]  # where each word begins
    ends = [r[1] for r in runs]  # where its last non-space character ends
    breaks: list[int] = []
    offset = 0  # cells used on the current line
    k = 0
    while k < n:
        # every word from k on fits while its end stays within the line's room (the words follow one another)
        j = bisect_right(ends, starts[k] + width - offset, k)
        if j > k:
            offset += (starts[j] if j < n else size) - starts[k]
            k = j
            if k == n:
                break
        start, end = starts[k], starts[k + 1] if k + 1 < n else size
        offset = _place_word(breaks, start, end, ends[k], width, offset, fold)
        k += 1
    return breaks


def _truncate(s: str, width: int, overflow: str) -> str:
    """Text.truncate of one-cell characters."""
    if len(s) > width:
        return s[:width - 1] + "…" if overflow == "ellipsis" else s[:width]
    return s


def _ratio_reduce(total: int, ratios: list[int], maximums: list[int], values: list[int]) -> list[int]:
    """rich._ratio.ratio_reduce (its module imports `fractions`, ~10 ms)."""
    ratios = [ratio if _max else 0 for ratio, _max in zip(ratios, maximums)]
    total_ratio = sum(ratios)
    if not total_ratio:
        return values[:]
    total_remaining = total
    result: list[int] = []
    for ratio, maximum, value in zip(ratios, maximums, values):
        if ratio and total_ratio > 0:
            distributed = min(maximum, round(ratio * total_remaining / total_ratio))
            result.append(value - distributed)
            total_remaining -= distributed
            total_ratio -= ratio
        else:
            result.append(value)
    return result


def _collapse(widths: list[int], max_width: int) -> list[int]:
    """Table._collapse_widths with every column wrappable."""
    total = sum(widths)
    excess = total - max_width
    while total and excess > 0:
        top = max(widths)
        second = max((w if w != top else 0) for w in widths)
        difference = top - second
        ratios = [1 if w == top else 0 for w in widths]
        if not any(ratios) or not difference:
            break
        widths = _ratio_reduce(excess, ratios, [min(excess, difference)] * len(widths), widths)
        total = sum(widths)
        excess = total - max_width
    return widths


def _place_word(breaks: list[int], start: int, end: int, chars_end: int, width: int, offset: int, fold: bool) -> int:
    """A word that does not fit where the line stands (rich's divide_line): onto the next line, or, longer than a
    whole line, cut into pieces of `width` characters (`fold`) or left whole on a line of its own. The word runs
    from `start` (its spaces before) to `end` (its spaces after), its characters ending at `chars_end`; the
    breaks are appended, the cells then used on the current line returned."""
    if chars_end - start > width:  # longer than a whole line
        if fold:  # cut into pieces of `width` characters, each on its own line
            length = end - start
            for piece in range(0, length, width):
                if start + piece:
                    breaks.append(start + piece)
            return length - piece
        if start:
            breaks.append(start)
        return end - start
    if offset and start:  # onto the next line
        breaks.append(start)
        return end - start
    return offset
