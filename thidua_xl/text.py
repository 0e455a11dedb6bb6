"""Vietnamese text: NFC, matching keys, person keys, collation, dates.

Every module that compares or sorts Vietnamese text goes through here, so that
"Nguyễn Văn Hoà" typed in NFD with two spaces and "nguyễn văn hòa" are one person
everywhere, and every list is sorted the way a Vietnamese reader expects.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    import polars as pl

__all__ = [
    "nfc", "clean", "clean_strings", "clean_series", "clean_columns", "printable", "fold", "name_key", "name_keys",
    "name_keys_series", "clean_known_columns",
    "person_key", "split_name",
    "sort_key", "name_sort_key", "sort_names", "parse_date", "ParsedDate",
    "ngay_vn", "so2", "date_text", "time_text", "DATE_TEXT", "EXCEL_DATE_FORMAT",
]

_WS = re.compile(r"\s+")
# The five Vietnamese tone marks as combining characters (huyền, sắc, hỏi, ngã, nặng).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# ICU/Vietnamese order of tones: ngang < huyền < hỏi < ngã < sắc < nặng.
_TONE_ORDER = {0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5}


def nfc(value: object) -> str:
    """NFC text with non-breaking spaces made plain; None/NaN become ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    text = str(value)
    return unicodedata.normalize("NFC", text.replace("\u00a0", " ").replace("\u200b", ""))


# control characters (terminal escapes among them) and bidi overrides: invisible, never part of a name,
# and refused by the XML of a Word document; NUL is kept out of the class (clean_strings' separator)
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def clean(value: object) -> str:
    """NFC, trimmed, inner runs of whitespace (line breaks too) collapsed to one space, control characters dropped."""
    if value.__class__ is str:  # fast path: str.split() and \s share Python's whitespace set
        if not value.isprintable():
            value = _CONTROL.sub("", value).replace("\x00", "")
        if value.isascii():
            return " ".join(value.split())
        return " ".join(unicodedata.normalize("NFC", value.replace("\u00a0", " ").replace("\u200b", "")).split())
    return _WS.sub(" ", _CONTROL.sub("", nfc(value)).replace("\x00", "")).strip()


def printable(value: object) -> str:
    """Text safe to print on a terminal: every control character shown as its escape (\\x1b), never sent raw."""
    text = "" if value is None else str(value)
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in " \t\n" else ch.encode("unicode_escape").decode("ascii")
                   for ch in text)


_SEP = "\x00"  # cannot occur in a spreadsheet cell (XML 1.0 forbids it), and composes with nothing
_EDGE = re.compile(" ?\x00 ?")


def _already_clean(big: str) -> bool:
    """Joined cells that clean() would leave as they are (the usual case), found by C-level scans.

    Every whitespace character but the plain space, and the zero-width space, is non-printable;
    so printable text with no double space and no space at a cell's edge needs no collapsing.
    """
    return ("  " not in big and " \x00" not in big and "\x00 " not in big and not big.startswith(" ")
            and not big.endswith(" ") and big.replace(_SEP, "").isprintable()
            and (big.isascii() or unicodedata.is_normalized("NFC", big)))


def clean_strings(values: list[str]) -> list[str]:
    """clean() of many strings at once, for whole columns.

    The strings are joined and NFC-normalised, collapsed and trimmed as one text by C code,
    then split again: the same result as cleaning them one by one (the separator is a
    starter that composes with nothing, so normalisation never crosses it), many times faster.
    """
    if not values:
        return []
    big = _SEP.join(values)
    if big.count(_SEP) != len(values) - 1:  # a NUL inside a value: do it one by one
        return [clean(v) for v in values]
    if _already_clean(big):
        return big.split(_SEP)
    big = _CONTROL.sub("", big)
    if not big.isascii():
        big = unicodedata.normalize("NFC", big.replace("\u00a0", " ").replace("\u200b", ""))
    big = _EDGE.sub(_SEP, _WS.sub(" ", big))
    out = big.split(_SEP)
    out[0] = out[0].lstrip(" ")
    out[-1] = out[-1].rstrip(" ")
    return out


# clean() as Polars expressions (`clean_series`): the same control characters (and the zero-width space)
# dropped, Unicode whitespace (Rust's \s is Python's str.split() set once controls are gone) collapsed.
_POLARS_DROP = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u200B\u202A-\u202E\u2066-\u2069\uFFFE\uFFFF]"
# texts made only of characters whose NFC no Unicode version has changed (Latin and its marks, Vietnamese,
# Greek, Cyrillic, punctuation, symbols): Polars' NFC and Python's agree on them; any other goes through clean()
_POLARS_UNSURE = r"[^\x00-\u052F\u1E00-\u1EFF\u2000-\u2BFF]"


def clean_series(values: "pl.Series", also: str | None = None,
                 slow: "Callable[[list[str]], list[str]]" = clean_strings) -> "pl.Series":
    """clean() of a text column by Polars expressions, without a Python string per cell: the same texts
    (null gives ''). A text outside the ranges Polars and Python normalise alike (`_POLARS_UNSURE`), or
    one matching the pattern `also`, is given by `slow` (clean_strings, or a reader's own cleaning) once
    per distinct value."""
    import polars as pl

    pattern = _POLARS_UNSURE if also is None else f"{_POLARS_UNSURE}|{also}"
    v = pl.col("v")
    got = pl.DataFrame({"v": values}).select(fast=_polars_clean(v).fill_null(""),
                                             odd=v.str.contains(pattern).fill_null(False))
    out, odd = got.get_column("fast"), got.get_column("odd")
    if odd.any():
        keys = values.filter(odd).unique(maintain_order=True).to_list()
        fixed = values.replace_strict(keys, slow(keys), default=None, return_dtype=pl.String)
        out = fixed.zip_with(odd, out)
    return out.alias(values.name)


def _polars_clean(v: "pl.Expr") -> "pl.Expr":
    """clean() as an expression: the same text for any text `_POLARS_UNSURE` does not match."""
    return v.str.replace_all(_POLARS_DROP, "").str.normalize("NFC").str.replace_all(r"\s+", " ").str.strip_chars(" ")


def clean_columns(frame: "pl.DataFrame", also: str | None = None,
                  slow: "Callable[[list[str]], list[str]]" = clean_strings, rows: "pl.Series | None" = None
                  ) -> "pl.DataFrame":
    """clean() of every (text) column of a frame: the same texts, null as ''.

    A column of few distinct texts (a department, a position, the optional columns) is cleaned once per
    distinct text by `slow` (clean_strings, or a reader's own cleaning, which memoises); the others by
    `clean_series`. With `rows` (a mask) only those rows are cleaned, the others kept as they are."""
    import polars as pl

    out = []
    for c in frame.columns:
        s = frame.get_column(c)
        n = len(s)
        if s.null_count() == n:
            done = pl.Series(c, [""], pl.String).new_from_index(0, n)
        else:
            keys = s.drop_nulls().unique(maintain_order=True)
            if len(keys) <= max(1000, n // 8):
                keys = keys.to_list()
                done = s.replace_strict(keys, slow(keys), default=None, return_dtype=pl.String).fill_null("")
            else:
                done = clean_series(s, also, slow)
        out.append((done if rows is None else done.zip_with(rows, s)).alias(c))
    return pl.DataFrame(out) if out else frame


def fold(value: object) -> str:
    """Loose matching key: no case, no diacritics (đ→d), no punctuation, single spaces.

    Used for headers and award names, where users type with or without accents.
    """
    if value.__class__ is str:
        return _fold_str(value)  # headers, sheet and unit names: the same few texts, folded once
    return _fold(value)


class _Marks(dict):
    """str.translate table dropping combining marks: each code point decided once, then a C lookup."""

    def __missing__(self, cp: int):
        kept = None if unicodedata.combining(chr(cp)) else cp
        self[cp] = kept
        return kept


_NO_MARKS = _Marks()


def _fold(value: object) -> str:
    text = unicodedata.normalize("NFD", clean(value).lower().replace("đ", "d"))
    text = text.translate(_NO_MARKS)
    text = re.sub(r"[^\w]+", " ", text)
    return _WS.sub(" ", text).strip()


_fold_str = functools.lru_cache(maxsize=1 << 16)(_fold)
_NOT_WORD = re.compile(r"[^\w\x00]+")


def fold_strings(values: list[str]) -> list[str]:
    """fold() of many strings at once: joined, lowered, decomposed and stripped of marks as one text
    by C code, then split again (the separator is no word character and composes with nothing)."""
    if not values:
        return []
    big = _SEP.join(clean_strings(values))
    if big.count(_SEP) != len(values) - 1:
        return [fold(v) for v in values]
    big = unicodedata.normalize("NFD", big.lower().replace("đ", "d")).translate(_NO_MARKS)
    out = _EDGE.sub(_SEP, _NOT_WORD.sub(" ", big)).split(_SEP)
    out[0] = out[0].strip(" ")
    out[-1] = out[-1].strip(" ")
    return out


def _word_parts(word: str) -> tuple[str, int]:
    """Split one word into its letters without tone and its tone (0 = ngang)."""
    tone = 0
    kept = []
    for ch in unicodedata.normalize("NFD", word):
        t = _TONES.get(ch)
        if t:
            tone = t
        else:
            kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept)), tone


def name_key(value: object) -> str:
    """Matching key for a name: case, spacing and old/new tone placement ignored.

    "Hoà"/"Hòa" and "Thuý"/"Thúy" only differ in where the tone sits, so the key
    keeps each word's letters and appends its tone as a digit.
    """
    words = clean(value).lower().split(" ")
    out = []
    for w in words:
        if not w:
            continue
        base, tone = _word_parts(w)
        out.append(f"{base}{tone}" if tone else base)
    return " ".join(out)


_WORD_KEYS: dict[str, str] = {}  # word → its key; names share most words


def _word_key(word: str) -> str:
    base, tone = _word_parts(word)
    return f"{base}{tone}" if tone else base


def name_keys(values: list) -> list[str]:
    """name_key() of a whole column at once: the same keys, each distinct word keyed once."""
    if not values:
        return []
    names = clean_strings([v if v.__class__ is str else clean(v) for v in values])
    big = _SEP.join(names).lower()
    if big.count(_SEP) != len(names) - 1:
        return [name_key(v) for v in values]
    words = big.replace(_SEP, " \x00 ").split(" ")
    cache = _WORD_KEYS  # shared across calls (and threads): this call reads only its own table
    table = {}
    for w in set(words):
        k = cache.get(w)
        if k is None:
            k = cache[w] = _word_key(w)
        table[w] = k
    if len(cache) > 200_000:
        cache.clear()
    return " ".join([table[w] for w in words]).replace(" \x00 ", _SEP).split(_SEP)


# a text clean() leaves as it is: printable characters that are NFC whatever surrounds them (no combining mark,
# none that composes with the one before: Latin, Vietnamese, punctuation, currency), single spaces inside
_CLEAN_CHARS = r"\u0020-\u007E\u00A1-\u00AC\u00AE-\u02FF\u1E00-\u1EFF\u2010-\u2027\u2030-\u205E\u20A0-\u20BF"
_UNCLEAN = f"[^{_CLEAN_CHARS}]|  |^ | $"


def name_keys_series(values: "pl.Series") -> "pl.Series":
    """name_keys() of a text column (null keyed as ''): the few texts not already clean cleaned once each, the
    words split and joined again by Polars (two queries if all are clean), each distinct word keyed once."""
    import polars as pl

    v = pl.col("v")
    names = pl.DataFrame({"v": values.cast(pl.String)}).lazy().select(v.fill_null(""))
    words = v.str.split(" ").explode().unique().implode()
    found = names.select(bad=v.filter(v.str.contains(_UNCLEAN)).unique(maintain_order=True).implode(), words=words) \
        .collect(engine="in-memory")
    bad = found.get_column("bad")[0].to_list()
    if bad:
        names = names.select(v.replace(bad, clean_strings(bad)))
        found = names.select(words=words).collect(engine="in-memory")
    distinct = found.get_column("words")[0].to_list()
    cache = _WORD_KEYS  # (a space bounds every case context, final sigma: lowering a word is lowering the name)
    keys = [cache.get(w) or cache.setdefault(w, _word_key(w)) for w in map(str.lower, distinct)]
    if len(cache) > 200_000:
        cache.clear()
    return names.select(v.str.split(" ").list.eval(pl.element().replace_strict(distinct, keys, return_dtype=pl.String))
                        .list.join(" ").alias(values.name)).collect(engine="in-memory").to_series()


def clean_known_columns(frame: "pl.DataFrame", also: str | None = None,
                        slow: "Callable[[list[str]], list[str]]" = clean_strings,
                        rows: "pl.Series | None" = None) -> "pl.DataFrame":
    """clean_columns by one sieve per column: a text of characters no neighbour changes, with single inner
    spaces (`_UNCLEAN` finds the others), is its own clean(), so only the other texts are cleaned, once per
    distinct text (`_cleaned_keys`), and mapped back by one Polars query (null gives ''); a column with no
    text at all becomes a column of '' without a query. With `rows` (a mask) only those rows are cleaned,
    the others kept as they are."""
    import polars as pl

    if not frame.width or not frame.height:
        return frame.with_columns(pl.all().fill_null(""))
    pattern = _UNCLEAN if also is None else f"{_UNCLEAN}|{also}"
    unsure = _POLARS_UNSURE if also is None else f"{_POLARS_UNSURE}|{also}"
    n = frame.height
    if frame.n_chunks() > 1:  # (every sheet's rows stacked) a mapping in a query is applied chunk by chunk
        frame = frame.rechunk()
    filled = [c for c in frame.columns if frame.get_column(c).null_count() < n]  # most optional columns are empty
    found = _cleaned_keys(frame, filled, pattern, unsure, slow)
    out = []
    for c in frame.columns:
        e = pl.col(c).replace(*found[c]) if c in found else pl.col(c)
        e = e.fill_null("") if c in filled else pl.lit("")
        if rows is not None:
            out.append(pl.when(pl.lit(rows)).then(e).otherwise(pl.col(c)).alias(c))
        elif c in filled:
            out.append(e.alias(c))
    done = frame.select(out) if out else None
    if rows is not None:
        return done
    return pl.DataFrame([done.get_column(c) if c in filled else _blank(n).alias(c) for c in frame.columns])


def _blank(n: int) -> "pl.Series":
    """A column of n empty texts (a slice of one kept column: no string made per call)."""
    global _BLANK
    if _BLANK is None or len(_BLANK) < n:
        import polars as pl

        _BLANK = pl.Series("", [""], pl.String).new_from_index(0, max(n, 1 << 12))
    return _BLANK.slice(0, n)


_BLANK = None


def person_key(name: object, birth_year: object = None) -> str:
    """Name key plus birth year; a full date and a year alone of the same year match."""
    key = name_key(name)
    if birth_year is None or (isinstance(birth_year, float) and math.isnan(birth_year)):
        return key
    try:
        return f"{key}|{int(birth_year)}"
    except (TypeError, ValueError):
        return key


def split_name(full: object) -> tuple[str, str]:
    """(họ đệm, tên): the last word is the tên."""
    words = clean(full).split(" ")
    if len(words) <= 1:
        return "", words[0] if words else ""
    return " ".join(words[:-1]), words[-1]


# --- collation -----------------------------------------------------------------
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {ch: i + 10 for i, ch in enumerate(_ALPHABET)}


def _primary_secondary(text: str) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
    primary: list[int] = []
    secondary: list[int] = []
    tertiary: list[int] = []
    for word in clean(text).split(" "):
        if not word:
            continue
        base, tone = _word_parts(word)
        for ch in base:
            low = ch.lower()
            primary.append(_RANK.get(low, 100 + ord(low)) if low.isalnum() else 1)
            tertiary.append(0 if ch == low else 1)
        primary.append(0)  # word boundary sorts before any letter
        secondary.append(_TONE_ORDER[tone])
    return tuple(primary), tuple(secondary), tuple(tertiary)


try:  # pragma: no cover - depends on an optional package
    import icu  # type: ignore

    _COLLATOR = icu.Collator.createInstance(icu.Locale("vi_VN"))
except Exception:  # noqa: BLE001 - PyICU missing or broken: pure Python fallback
    _COLLATOR = None


_SORT_MEMO: dict[str, object] = {}  # default-collation keys of strings (tên and họ đệm repeat a lot)


def sort_key(text: object, use_icu: bool | None = None):
    """Vietnamese collation key (D < Đ, O < Ô < Ơ, tones ngang < huyền < hỏi < ngã < sắc < nặng)."""
    if use_icu is None and text.__class__ is str:
        key = _SORT_MEMO.get(text)
        if key is None:
            if len(_SORT_MEMO) > 200_000:
                _SORT_MEMO.clear()
            key = _SORT_MEMO[text] = _sort_key(text, None)
        return key
    return _sort_key(text, use_icu)


def _sort_key(text: object, use_icu: bool | None):
    if (use_icu is None and _COLLATOR is not None) or (use_icu and _COLLATOR is not None):
        return _COLLATOR.getSortKey(clean(text))
    return _primary_secondary(str(text))


def name_sort_key(full: object, use_icu: bool | None = None):
    """Sort people by tên, then họ đệm, the order of every Vietnamese name list."""
    ho_dem, ten = split_name(full)
    return (sort_key(ten, use_icu), sort_key(ho_dem, use_icu))


def sort_names(names, use_icu: bool | None = None) -> list:
    return sorted(names, key=lambda n: name_sort_key(n, use_icu))


# --- dates ---------------------------------------------------------------------
class ParsedDate:
    """A date of birth as typed: a full date, a year alone, nothing, or unreadable."""

    __slots__ = ("date", "year", "error", "raw")

    def __init__(self, date=None, year=None, error=None, raw=""):
        self.date: dt.date | None = date
        self.year: int | None = year
        self.error: str | None = error
        self.raw: str = raw

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"ParsedDate(date={self.date!r}, year={self.year!r}, error={self.error!r})"

    @property
    def empty(self) -> bool:
        return self.date is None and self.year is None and self.error is None


_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DMY = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2,4})$")
_YMD = re.compile(r"^(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_YEAR = re.compile(r"^(\d{4})$")
_NGAY = re.compile(r"^ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})$", re.I)


DATE_YEARS = (1900, 2100)  # a date outside these years in an award file is a typing slip (01/01/0001)


def _year_error(y: int) -> str | None:
    lo, hi = DATE_YEARS
    return None if lo <= y <= hi else f"năm {y} không hợp lệ (ngoài khoảng {lo}–{hi})"


def _mk(y: int, m: int, d: int, raw: str) -> ParsedDate:
    if _year_error(y):
        return ParsedDate(error=f"ngày {d:02d}/{m:02d}/{y:04d}: {_year_error(y)}", raw=raw)
    try:
        return ParsedDate(date=dt.date(y, m, d), year=y, raw=raw)
    except ValueError:
        return ParsedDate(error=f"ngày {d:02d}/{m:02d}/{y} không tồn tại", raw=raw)


def parse_date(value: object) -> ParsedDate:
    """Read a date as units type it: Excel date, serial, 13/02/1980, 13-02-1980, 1980-02-13, 1980."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ParsedDate()
    if isinstance(value, dt.datetime):
        return ParsedDate(date=value.date(), year=value.year, raw=value.date().isoformat())
    if isinstance(value, dt.date):
        return ParsedDate(date=value, year=value.year, raw=value.isoformat())
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        n = float(value)
        if n.is_integer() and 1000 <= n <= 2200:
            if _year_error(int(n)):
                return ParsedDate(error=_year_error(int(n)), raw=str(int(n)))
            return ParsedDate(year=int(n), raw=str(int(n)))
        if 1 <= n < 2958466:
            d = _EXCEL_EPOCH + dt.timedelta(days=int(n))
            return ParsedDate(date=d, year=d.year, raw=d.isoformat())
        return ParsedDate(error=f"giá trị {value!r} không phải là ngày", raw=str(value))
    raw = clean(value)
    if not raw:
        return ParsedDate()
    m = _DMY.match(raw)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        if len(m.group(3)) <= 2:  # 13/02/80; a year written with four digits (0001) is taken as written
            y += 1900 if y > 30 else 2000
        return _mk(y, mo, d, raw)
    m = _YMD.match(raw)
    if m:
        y, mo, d = (int(x) for x in m.groups())
        return _mk(y, mo, d, raw)
    m = _NGAY.match(raw)
    if m:
        d, mo, y = (int(x) for x in m.groups())
        return _mk(y, mo, d, raw)
    m = _YEAR.match(raw)
    if m:
        if _year_error(int(m.group(1))):
            return ParsedDate(error=_year_error(int(m.group(1))), raw=raw)
        return ParsedDate(year=int(m.group(1)), raw=raw)
    return ParsedDate(error=f"không đọc được ngày “{raw}”", raw=raw)


def so2(n: object) -> str:
    """Counts as the Sở's reports write them: "01" … "09", then plain numbers."""
    try:
        i = int(n)
    except (TypeError, ValueError):
        return str(n)
    return f"{i:02d}" if 0 <= i < 10 else str(i)


def ngay_vn(value: object = None, blank_day: bool = False) -> str:
    """Nghị định 30/2020 date: zero-padded day < 10 and months 1–2 only.

    "ngày 05 tháng 7 năm 2023", "ngày 13 tháng 02 năm 2020"; with blank_day the
    day is left for the văn thư to fill ("ngày    tháng 01 năm 2021").
    """
    if value is None:
        value = dt.date.today()
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        parsed = parse_date(value)
        if parsed.date is None:
            return clean(value)
        value = parsed.date
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    day = "    " if blank_day else (f"{value.day:02d}" if value.day < 10 else str(value.day))
    return f"ngày {day} tháng {month} năm {value.year}"


# Every date the tool shows in a table, a message or a sheet is written by one of these
# (the documents' long form is `ngay_vn`), never by a strftime of its own.
DATE_TEXT = "%d/%m/%Y"  # 13/02/1980
EXCEL_DATE_FORMAT = "dd/mm/yyyy"  # the same as an Excel number format: the cell keeps a real date


def date_text(value: object) -> str:
    """13/02/1980 for a date, datetime or Timestamp; '' for None, NaN and NaT."""
    if value is None or value != value:  # NaN and NaT are not equal to themselves
        return ""
    if isinstance(value, str):
        return value
    return value.strftime(DATE_TEXT)


def time_text(value: object, seconds: bool = False) -> str:
    """13/02/2020 14:05 (with `seconds`, 14:05:09) for a datetime or its ISO text; '' for none."""
    if value is None or value == "" or value != value:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.strftime(DATE_TEXT + (" %H:%M:%S" if seconds else " %H:%M"))


def _cleaned_keys(frame: "pl.DataFrame", columns: list[str], pattern: str, unsure: str,
                  slow: "Callable[[list[str]], list[str]]") -> dict[str, tuple["pl.Series", "pl.Series"]]:
    """Per column, the distinct texts `pattern` finds (they may not be clean) and their clean(), for the
    columns that have some (one query finds them all): by Polars expressions (an NFD name, doubled spaces),
    through `slow` only the texts `unsure` finds (a text Polars might normalise otherwise, a date or bool
    cell's), each once."""
    import polars as pl

    if not columns:
        return {}
    e = pl.element()
    found = frame.lazy().select(pl.col(c).drop_nulls().unique().implode() for c in columns) \
        .select(pl.col(c).list.eval(e.filter(e.str.contains(pattern))) for c in columns).collect(engine="in-memory")
    out = {}
    v = pl.col("v")
    for c in columns:  # the keys stay a Series (not a Python string each, and back; the one list taken: no query)
        keys = found.get_column(c)[0].cast(pl.String)
        if keys.is_empty():
            continue
        got = keys.alias("v").to_frame().select(v, done=_polars_clean(v), odd=v.str.contains(unsure))
        keys, done, odd = got.get_column("v"), got.get_column("done"), got.get_column("odd")
        if odd.any():
            idx = odd.arg_true()
            done = done.scatter(idx, pl.Series(slow(keys.gather(idx).to_list()), dtype=pl.String))
        out[c] = (keys, done)
    return out
