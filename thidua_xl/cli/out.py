"""stdout and stderr as rich's Console prints to them, without importing rich where no terminal shows them.

rich costs ~40 ms to import, on the main thread before the first workbook is handled. A command whose
output goes to a file or a pipe (a script, the Excel button's log) shows no colour or style, so its text
is the markup's plain text wrapped at the console's width: `Stream.print` writes that itself when the text
is certain to come out as rich writes it (one cell per character, no emoji code, no unusual markup), and
hands anything else to a real rich Console, made on first need (tests/test_cli_out.py compares both).
"""
from __future__ import annotations

import os
import re
import sys

from .screen import SIMPLE_TEXT, divide_line  # noqa: F401  (SIMPLE_TEXT: the tests check by it too)

# rich.markup's tag pattern, and its escape(): the same texts, without importing rich
_TAGS = re.compile(r"((\\*)\[([a-z#/@][^[]*?)])")
_TAG_OPEN = re.compile(r"\[[a-z#/@]")  # where every match of _TAGS begins (found by its bracket: a fast scan)
_ESCAPE = re.compile(r"(\\*)(\[[a-z#/@][^[]*?])")
_EMOJI_CODE = re.compile(r":\S*?:")  # every text rich's emoji codes could replace
_TRAILING_SPACE = re.compile(r"\s+$")
_PLAIN_OPTIONS = frozenset(("markup", "highlight", "soft_wrap"))


def escape(markup: str) -> str:
    """rich.markup.escape: square brackets that would read as a tag are escaped."""
    markup = _ESCAPE.sub(lambda m: f"{m[1]}{m[1]}\\{m[2]}", markup)
    if markup.endswith("\\") and not markup.endswith("\\\\"):
        return markup + "\\"
    return markup


def plain_markup(text: str, markup: bool = True) -> str | None:
    """The text rich shows for `text` (its markup applied, no styles), or None where that is not certain
    (an emoji code, a tag that is not a plain style's, a closing tag that matches nothing)."""
    if not markup or "[" not in text or (not _TAG_OPEN.search(text) and "\\[" not in text):
        return None if ":" in text and _EMOJI_CODE.search(text) else text
    pieces: list[str] = []
    opened: list[str] = []
    position = 0
    for match in _TAGS.finditer(text):
        full, escapes, tag = match.groups()
        start, end = match.span()
        if start > position:
            pieces.append(text[position:start])
        position = end
        if escapes:
            backslashes, escaped = divmod(len(escapes), 2)
            if backslashes:
                pieces.append("\\" * backslashes)
            if escaped:
                pieces.append(full[len(escapes):])
                continue
        if tag.startswith("@") or "=" in tag:  # meta and links: rich decides
            return None
        if tag.startswith("/"):
            name = tag[1:].strip()
            if not opened or (name and name != opened[-1]):  # rich raises, or normalises the names
                return None
            opened.pop()
        else:
            opened.append(tag)
    if position < len(text):
        pieces.append(text[position:])
    pieces = [p.replace("\\[", "[") for p in pieces]
    if any(":" in p and _EMOJI_CODE.search(p) for p in pieces):
        return None
    return "".join(pieces)


def wrapped(text: str, width: int) -> str:
    """Console.print's lines of a one-cell-per-character text at `width` (overflow "fold", no justify)."""
    out = []
    for line in text.split("\n"):
        bounds = [0, *divide_line(line, width, True), len(line)]
        for a, b in zip(bounds, bounds[1:]):
            piece = line[a:b]
            if len(piece) > width:  # Text.rstrip_end, then Text.truncate
                m = _TRAILING_SPACE.search(piece)
                if m is not None:
                    piece = piece[:len(piece) - min(len(m.group(0)), len(piece) - width)]
                piece = piece[:width]
            out.append(piece)
    return "\n".join(out) + "\n"


class Stream:
    """`console` (stdout) or `err` (stderr) of the command line: rich's Console, made when first needed."""

    def __init__(self, stderr: bool = False):
        self.stderr = stderr
        self._rich = None

    @property
    def rich(self):
        """The real rich Console (tables, progress bars, spinners, anything not plain)."""
        if self._rich is None:
            from rich.console import Console

            self._rich = Console(stderr=self.stderr, highlight=False)
        return self._rich

    def __getattr__(self, name):
        return getattr(self.rich, name)

    @property
    def file(self):
        if self._rich is not None:
            return self._rich.file
        return sys.stderr if self.stderr else sys.stdout

    @property
    def is_terminal(self) -> bool:
        """Console.is_terminal, without rich."""
        if self._rich is not None or _jupyter():
            return self.rich.is_terminal
        if hasattr(sys.stdin, "__module__") and sys.stdin.__module__.startswith("idlelib"):
            return False
        tty_compatible = os.environ.get("TTY_COMPATIBLE", "")
        if tty_compatible in ("0", "1"):
            return tty_compatible == "1"
        force_color = os.environ.get("FORCE_COLOR")
        if force_color is not None:
            return force_color != ""
        isatty = getattr(self.file, "isatty", None)
        try:
            return False if isatty is None else isatty()
        except ValueError:
            return False

    def plain_width(self) -> int | None:
        """The width rich wraps at when this stream carries no style at all (not a terminal, no colour,
        UTF-8, not Windows, whose console rich treats apart); None otherwise."""
        if sys.platform == "win32" or _jupyter():
            return None
        file = self.file
        if file is None or hasattr(file, "rich_proxied_file") or self.is_terminal:
            return None
        if not (getattr(file, "encoding", "utf-8") or "utf-8").lower().startswith("utf"):
            return None
        if self._rich is not None:
            rich = self._rich
            if rich.record or rich.soft_wrap or rich.quiet or rich.color_system is not None or rich._buffer_index:
                return None
            return rich.options.max_width
        return _width()

    @staticmethod
    def markup_text(text: str) -> str | None:
        """The text rich shows for a cell's markup, or None where rich must decide (see plain_markup)."""
        return plain_markup(text)

    def print(self, *objects, **options) -> None:
        """Console.print: written here when the text is plain, else by rich."""
        if len(objects) == 1 and isinstance(objects[0], str) and _PLAIN_OPTIONS.issuperset(options):
            width = self.plain_width()
            shown = None if width is None else plain_markup(objects[0], options.get("markup", True))
            if shown is not None and SIMPLE_TEXT.fullmatch(shown) and width >= 1:
                file = self.file
                file.write(shown + "\n" if options.get("soft_wrap") else wrapped(shown, width))
                file.flush()
                return
        self.rich.print(*objects, **options)


def _jupyter() -> bool:
    import builtins

    return hasattr(builtins, "get_ipython")


def _width() -> int:
    """Console.size's width where no terminal is written to (COLUMNS, else a terminal on a standard
    stream, else 80), as a Console made now would have it."""
    columns = os.environ.get("COLUMNS")
    if columns is not None and columns.isdigit():
        return int(columns)
    width = None
    for fd in _std_fds():
        try:
            width = os.get_terminal_size(fd)[0]
        except (AttributeError, ValueError, OSError):
            continue
        break
    return width or 80


def _std_fds() -> tuple[int, int, int]:
    fds = []
    for stream, default in ((sys.__stdin__, 0), (sys.__stdout__, 1), (sys.__stderr__, 2)):
        try:
            fds.append(stream.fileno())
        except Exception:  # noqa: BLE001 - rich's own fallback
            fds.append(default)
    return tuple(fds)
