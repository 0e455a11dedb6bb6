"""What is not a nomination: instruction sheets, example rows, notes, totals lines, signature blocks.

Real lists carry more than their table: a template's `Hướng dẫn` sheet, a sample row
("Nguyễn Văn A"), a notes line ("Ghi chú: …"), a totals line ("Tổng cộng: 20 lượt tập thể,
37 lượt cá nhân") and the signature block ("Người lập biểu", "GIÁM ĐỐC", "(Ký tên, đóng dấu)").
Each test here looks at one text (or one sheet name) and is memoised by intake per distinct value.
"""
from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from .catalog import CA_NHAN, TAP_THE
from .text import clean, fold, fold_strings

if TYPE_CHECKING:
    import polars as pl

# Sheets of a template that explain how to fill it in, list its codes or show an example. (This pattern, the
# footer's and the counts' are compiled at their first use, by `re`'s cache: a ribbon click may need none of them.)
_INSTRUCTION_SHEET_PATTERN = (r"^(huong dan|hd|vi du|mau vi du|vd|chu thich|luu y|readme|doc truoc|"
                              r"danh muc|dm|tu dien|ma danh hieu|bang ma)\b")

# The first words of a signature block or of what follows it.
_FOOTER = (
    r"^(nguoi lap|nguoi tong hop|thu truong|giam doc|pho giam doc|xac nhan|ky ten|ky ghi ro|ky dong dau|"
    r"ky va ghi ro|ghi ro ho ten|t m |tm |kt |q |chu tich|truong phong|truong khoa|ban giam doc|"
    r"noi nhan|[\w ]{0,30}ngay \d{0,2}\s*thang \d{0,2}\s*nam \d{4})"
)
_NOTE = re.compile(r"^(ghi chu|luu y|chu y|chu thich|ghi nho)\b|^\*")
# A sample row of a template: "Ví dụ:", "VD", "(mẫu)", or a name with a one-letter given name.
_EXAMPLE_MARK = re.compile(r"^(vi du|vd|mau|dong mau|minh hoa)\b")
_EXAMPLE_NAME = re.compile(r"^(?:ong |ba )?(?:nguyen|tran|le|pham|hoang|vu|do) (?:van|thi|duc|huu)(?: [a-z])? [a-z]$")
_COUNT = r"(?i)(\d+)\s*(?:lượt\s*)?(tập\s*thể|cá\s*nhân)"
_NUMBER = r"\b(\d{1,6})\b"


def is_instruction_sheet(name: str) -> bool:
    """A template's instruction, code-list or example sheet (never read as nominations)."""
    return bool(re.match(_INSTRUCTION_SHEET_PATTERN, fold(name)))


def is_footer(text: str) -> bool:
    """A cell that opens the signature block (or the place-and-date line above it)."""
    f = fold(text)
    return bool(f) and bool(re.match(_FOOTER, f))


def is_note(text: str) -> bool:
    """A notes line under (or inside) the table: "Ghi chú: …", "Lưu ý …", "* …"."""
    t = clean(text)
    return bool(t) and (t.startswith("*") or bool(_NOTE.match(fold(t))))


def is_example(text: str) -> bool:
    """A template's sample row: marked "Ví dụ"/"VD", or a placeholder name such as "Nguyễn Văn A"."""
    f = fold(text)
    return bool(f) and (bool(_EXAMPLE_MARK.match(f)) or bool(_EXAMPLE_NAME.match(f)))


def examples_among(texts) -> set[str]:
    """The texts (of a column, each distinct one tested once, folded together) that is_example accepts.

    Only the texts that could fold to a mark or a placeholder name are folded: folding keeps an ASCII
    letter as it is and a word as one word, so a text whose first letter is ASCII and none of v, m, d
    cannot fold to a mark, and one whose last word is longer than a letter cannot end as "Nguyễn Văn A"."""
    memo = _EXAMPLES
    if len(memo) > 1 << 16:
        memo.clear()
    distinct = [t for t in dict.fromkeys(texts) if t and t.__class__ is str]
    new = [t for t in distinct if t not in memo]
    if new:
        maybe = [t for t in new if _maybe_example(t)]
        found = {t for t, f in zip(maybe, fold_strings(maybe)) if f and (_EXAMPLE_MARK.match(f) or _EXAMPLE_NAME.match(f))}
        memo.update((t, t in found) for t in new)
    return {t for t in distinct if memo[t]}


_EXAMPLES: dict[str, bool] = {}  # text -> is_example, for the texts met before (the same names recur in every file)


# what a text must look like before folding to be an example (examples_among): its first letter, its last word
_MAYBE_MARK = re.compile(r"\W*(?:[vmdVMD]|[^\x00-\x7f])")
_MAYBE_NAME = re.compile(r"\W*[obntlphOBNTLPH]")
_LAST_LETTER = re.compile(r"\W*\w(?:\W|\Z)")  # on the text reversed: its last word is one letter
_PLAIN = set("abcefghijklnopqrstuwxyzABCEFGHIJKLNOPQRSTUWXYZ0123456789_")  # no mark starts with these
_NAME_START = set("obntlphOBNTLPH")


def _maybe_example(t: str) -> bool:
    """A text that could fold to an example (a superset of them; the quick tests first)."""
    c = t[0]
    if c in _PLAIN:
        if c not in _NAME_START or (len(t) > 1 and t[-1].isalnum() and t[-2].isalnum()):
            return False
        return bool(_LAST_LETTER.match(t[::-1]))
    return bool(_MAYBE_MARK.match(t) or (_LAST_LETTER.match(t[::-1]) and _MAYBE_NAME.match(t)))


def example_sieve() -> str:
    """`is_example` loosened into a Rust regex (Polars) on a cell's text before cleaning: every text whose
    cleaned form is a sample row matches it, and few others do, so that only those are cleaned and folded.

    A text with a character outside Latin, Vietnamese and general punctuation (where Rust's and Python's
    letter classes might differ) always matches. Otherwise its first word must start with two letters that
    fold to the start of a mark ("ví dụ", "vd", "mẫu", "dòng mẫu", "minh hoạ") or of a placeholder name's
    first word (ông, bà, the family names), and a placeholder name's last word must be one letter. The
    letters are the characters that fold to them; folding drops the combining marks (U+034F, the grapheme
    joiner, is none: it parts words) and clean() the characters of `_DROP`, so either may sit inside a word.
    """
    global _SIEVE
    if _SIEVE is None:
        _SIEVE = _sieve_pattern(f"{_KNOWN}&&")
    return _SIEVE


def _sieve_pattern(within: str) -> str:
    """`example_sieve`'s regex with its classes of letters and numbers narrowed by `within` (a class
    intersection, or "" for none). Narrowed to `_KNOWN` it matches the same texts: a text with any other
    character matches the first branch whatever the rest does, and on a `_KNOWN` character a narrowed class
    answers as the whole one. Polars compiles the narrowed classes (a few ranges, not every letter of
    Unicode) into a smaller automaton, once a process and on every sheet's query."""
    folds: dict[str, str] = {}
    for c in _KNOWN_CHARS:
        f = _fold_char(c)
        folds[f] = folds.get(f, "") + f"\\x{{{ord(c):x}}}"

    def letter(x: str) -> str:
        return f"[{folds[x]}]"

    joined = f"[\\u0300-\\u034e\\u0350-\\u036f{_DROP}]*"
    starts = "|".join(f"{letter(a)}{joined}{letter(b)}" for a, b in _MARK_STARTS)
    names = "|".join(f"{letter(a)}{joined}{letter(b)}" for a, b in _NAME_STARTS)
    word, other = rf"[{within}[\p{{L}}\p{{N}}_]]", rf"[{within}[^\p{{L}}\p{{N}}_]]"
    end = rf"[{within}[^\p{{L}}\p{{N}}_\u0300-\u034e\u0350-\u036f]]"
    return f"(?s)[^{_KNOWN}]|^{other}*(?:{starts})|^{other}*(?:{names}).*{end}{joined}{word}{other}*$"


_SIEVE = None
# the characters the sieve reasons about (any other one lets a text through): ASCII, Latin, the combining
# marks, Vietnamese, general punctuation
_KNOWN = "\\x00-\\u024f\\u0300-\\u036f\\u1e00-\\u1eff\\u2000-\\u206f"
_KNOWN_CHARS = [chr(c) for r in ((0x21, 0x250), (0x1E00, 0x1F00)) for c in range(*r)]
_DROP = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f-\\x9f\\u200b\\u202a-\\u202e\\u2066-\\u2069"  # text._CONTROL, NUL, ZWSP
def _fold_char(c: str) -> str:
    """fold() of one character: its letter without marks, lower case (đ is d)."""
    return "".join(ch for ch in unicodedata.normalize("NFD", c.lower().replace("đ", "d")) if not unicodedata.combining(ch))


_MARK_STARTS = ("vi", "vd", "ma", "mi", "do")  # vi du, vd, mau, minh hoa, dong mau
_NAME_STARTS = ("on", "ba", "ng", "tr", "le", "ph", "ho", "vu", "do")  # ong, ba, nguyen, tran, le, pham, hoang, vu, do


def example_candidates(values: "pl.Series") -> list[str]:
    """The distinct texts of a column (as the reader wrote them, before cleaning) that may be sample rows
    once cleaned (`example_sieve`)."""
    return values.filter(values.str.contains(example_sieve())).unique().to_list()


def stated_counts(text: str) -> dict[str, int] | None:
    """The counts a totals line states: {"tap_the": 20, "ca_nhan": 37} from "Tổng cộng: 20 lượt tập thể,
    37 lượt cá nhân", {"all": 57} from "Tổng cộng: 57"; None when it states no count."""
    t = clean(text)
    got: dict[str, int] = {}
    for n, who in re.findall(_COUNT, t):
        key = TAP_THE if fold(who) == "tap the" else CA_NHAN
        got[key] = got.get(key, 0) + int(n)
    if got:
        return got
    numbers = re.findall(_NUMBER, t)
    if len(numbers) == 1:
        return {"all": int(numbers[0])}
    return None
