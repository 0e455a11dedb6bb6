"""The initiatives' authors and titles as validation's context holds them: one row per (initiative, author)
with the author's name key, unit, level, year and the title's key.

Each distinct `Tác giả` cell is split into its authors once (TCVN3/VNI converted first), each distinct title
folded once; a title of plain ASCII and Vietnamese letters is folded by Polars expressions, equal to
`text.fold` (property-tested). Nothing here reads storage.
"""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .. import legacy
from ..text import clean, clean_strings, fold_strings, name_keys

if TYPE_CHECKING:
    import polars as pl


def _unicode_text(text: str) -> str:
    """The text in Unicode (converted when it is TCVN3/VNI)."""
    return legacy.convert(text)[0]


def _unicode_texts(values: "pl.Series") -> tuple["pl.Series", list[str]]:
    """The distinct texts of `values` (missing as ''), and each as `_unicode_text` gives it: only a text that may
    be TCVN3/VNI (a Latin-1 letter, no Vietnamese Unicode one, as `_legacy_candidates` asks) is looked at."""
    import polars as pl

    distinct = values.cast(pl.String).fill_null("").unique()
    maybe = _maybe_legacy(distinct).to_list()
    return distinct, [_unicode_text(t) if m else t for t, m in zip(distinct.to_list(), maybe)]


_AUTHOR_TITLE = (r"^(?:(?:gs|pgs|ts|ths|bs|bscki|bsckii|bsck1|bsck2|ck1|ck2|cki|ckii|ds|dd|đd|ktv|cn|ys|"
                 r"kts|ks|nt)\.?\s*)+")


def _authors(text: str) -> list[str]:
    """The authors an initiative's `Tác giả` cell names, cleaned, titles (ThS.BS.) dropped."""
    out = []
    for part in _AUTHOR_SPLIT.split(text):
        name = _AUTHOR_TITLE_RE.sub("", clean(part))
        if name != "":
            out.append(name)
    return out


_AUTHOR_SPLIT = re.compile(r"[,;\n]+")
_AUTHOR_TITLE_RE = re.compile(_AUTHOR_TITLE, re.IGNORECASE)
# the titles at the start of each part of NUL-joined parts, the NUL before them matched too (the text is given with
# one in front): tried only where a NUL stands, not at every character as a look-behind is (~1.2–2.6 -> ~0.5 ms over
# the 30,000-row bench's 1,861 authors' cells, in the authors' thread, which holds the GIL meanwhile)
_AUTHOR_TITLES_RE = re.compile("\x00" + _AUTHOR_TITLE.removeprefix("^"), re.IGNORECASE)


def _initiative_authors(initiatives: "pl.DataFrame", units: dict[str, str]) -> "pl.DataFrame":
    """One row per (initiative, author) with the author's name key, unit, level and year.

    Two queries: the distinct texts the per-value Python needs (authors' cells, titles Polars cannot fold,
    unit names of rows without a unit code, with each text's legacy test), then the rows with their keys,
    joined to their authors."""
    import polars as pl

    from .context import LEVEL_ORDER

    schema = {"author_key": pl.String, "unit_key": pl.String, "level": pl.Int64, "nam": pl.Float64,
              "ten_key": pl.String}
    if initiatives is None or initiatives.is_empty():
        return pl.DataFrame(schema=schema)
    tac_gia, codes, names = _text_col("tac_gia"), _text_col("unit_code"), _text_col("unit")
    distinct = tac_gia.unique(maintain_order=True)
    got = initiatives.select(tac_gia=distinct.implode(), odd=_maybe_legacy(distinct).implode(),
                             codes=codes.filter(codes != "").unique(maintain_order=True).implode(),
                             names=names.filter(codes == "").unique(maintain_order=True).implode(),
                             **_slow_titles(_text_col("ten"))).row(0, named=True)
    # each distinct Tác giả text split into its authors once, keyed once: (text, author's position, key) rows
    texts, positions, authors = [], [], []
    converted = [_unicode_text(t) if odd else t for t, odd in zip(got["tac_gia"], got["odd"])]
    for text, names_in in zip(got["tac_gia"], _authors_of(converted)):
        for k, name in enumerate(names_in):
            texts.append(text)
            positions.append(k)
            authors.append(name)
    by_author = pl.DataFrame({"tac_gia": pl.Series(texts, dtype=pl.String), "_k": pl.Series(positions, dtype=pl.Int64),
                              "author_key": pl.Series(name_keys(authors), dtype=pl.String)})
    folded = fold_strings(got["names"])
    return initiatives.lazy().select(
        tac_gia=tac_gia,
        unit_key=pl.when(codes != "").then(codes.replace(got["codes"], [units.get(c, c) for c in got["codes"]]))
        .otherwise(names.replace(got["names"], [units.get(f, f) if f else "" for f in folded])),
        level=pl.col("cap").replace_strict(LEVEL_ORDER, default=None, return_dtype=pl.Int64).fill_null(1),
        nam=pl.col("nam").cast(pl.Float64),
        ten_key=_title_keys(_text_col("ten"), got),
    ).with_row_index("_r").join(by_author.lazy(), on="tac_gia", how="inner").sort("_r", "_k").select(
        "author_key", "unit_key", "level", "nam", "ten_key").collect()


def _authors_of(texts: list[str]) -> list[list[str]]:
    """`_authors` of each text, the parts of all cleaned together (`clean_strings`) and their titles dropped by one
    pass of the pattern over all of them."""
    parts = [_AUTHOR_SPLIT.split(t) for t in texts]
    flat = clean_strings([p for ps in parts for p in ps])
    joined = "\x00".join(flat)
    if joined.count("\x00") == len(flat) - 1:  # clean() leaves no NUL: the parts split back as they were
        flat = _AUTHOR_TITLES_RE.sub("\x00", "\x00" + joined)[1:].split("\x00")
    else:  # pragma: no cover - clean_strings drops every NUL
        flat = [_AUTHOR_TITLE_RE.sub("", p) for p in flat]
    out, at = [], 0
    for ps in parts:
        out.append([n for n in flat[at:at + len(ps)] if n != ""])
        at += len(ps)
    return out


def _text_col(name: str) -> "pl.Expr":
    import polars as pl

    return pl.col(name).cast(pl.String).fill_null("")


def _slow_titles(titles: "pl.Expr") -> dict[str, "pl.Expr"]:
    """The distinct titles Polars does not fold (not `_foldable`, or maybe TCVN3/VNI) and their legacy test."""
    slow = titles.filter(~_foldable(titles) | _maybe_legacy(titles)).unique(maintain_order=True)
    return {"slow_titles": slow.implode(), "slow_odd": _maybe_legacy(slow).implode()}


def _title_keys(titles: "pl.Expr", got: dict) -> "pl.Expr":
    """fold() of each title in Unicode (TCVN3/VNI converted first): a title of plain ASCII and Vietnamese letters
    by Polars expressions (`_fold_vietnamese`), the others (`got`'s slow titles) by Python, once per title."""
    import polars as pl

    slow, odd = got["slow_titles"], got["slow_odd"]
    if not slow:  # every title is Polars' (the usual case): its two tests are not run again over the titles
        return _fold_vietnamese(titles)
    keys = fold_strings([_unicode_text(t) if o else t for t, o in zip(slow, odd)])
    return (pl.when(_foldable(titles) & ~_maybe_legacy(titles)).then(_fold_vietnamese(titles))
            .otherwise(titles.replace_strict(slow, pl.Series(keys, dtype=pl.String), default=None)))


def _ten_keys(titles: "pl.Series") -> "pl.Series":
    """Each initiative's title folded (in Unicode), once per distinct title."""
    import polars as pl

    frame = pl.DataFrame({"ten": titles.cast(pl.String).fill_null("")})
    got = frame.select(**_slow_titles(pl.col("ten"))).row(0, named=True)
    return frame.select(_title_keys(pl.col("ten"), got)).to_series()


@functools.lru_cache(maxsize=1)
def _vietnamese_letters() -> dict[str, str]:
    """Every precomposed Vietnamese letter but đ/Đ (both cases) → the lower-case ASCII letter fold() leaves of it:
    the letters whose decomposition is an ASCII letter and Vietnamese marks (tones, circumflex, breve, horn)."""
    import unicodedata

    out = {}
    for cp in [*range(0xC0, 0x1B1), *range(0x1EA0, 0x1EFA)]:
        ch = chr(cp)
        base, *marks = unicodedata.normalize("NFD", ch)
        if marks and base.isascii() and base.isalpha() and set(marks) <= set(_VIETNAMESE_MARKS):
            out[ch] = base.lower()
    return out


_VIETNAMESE_MARKS = "\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323"


def _foldable(texts: "pl.Expr") -> "pl.Expr":
    """Texts made only of printable ASCII, Vietnamese letters (composed or not), Đ/đ and general punctuation (dashes,
    curly quotes, ellipsis: `_PUNCTUATION`): for them fold() is `_fold_vietnamese` (no character whose case,
    decomposition or word class could read otherwise)."""
    letters = "".join(_vietnamese_letters())
    return texts.str.contains(f"^[\\x20-\\x7e{letters}\u0110\u0111{_VIETNAMESE_MARKS}{_PUNCTUATION}]*$")


_PUNCTUATION = "\u2010-\u2027\u2030-\u205e"
"""General punctuation as a class's ranges (U+2028/2029, spaces, and the invisible and bidi marks after U+205E are not
in it): no case, no decomposition, no word character, left as it is by clean(); fold() and `_fold_vietnamese` both
make a space of it. Titles with an en dash ("Khoa Ngoại – Phụ", 290 of the 30,000-row bench's 1,894) were folded
in Python one by one: ~8 ms of the authors' thread holding the GIL."""


def _fold_vietnamese(texts: "pl.Expr") -> "pl.Expr":
    """fold() of a `_foldable` text: each Vietnamese letter its ASCII base, marks dropped, lower case, every run
    of other than [a-z0-9_] one space, trimmed (clean's collapsing and NFC change nothing of that)."""
    letters = _vietnamese_letters()
    # the runs of other characters made one space in two steps: those but the space first, then runs of spaces (a
    # title's single spaces between words, most of its runs, are not matched and replaced one by one: ~5 -> ~0.3 ms
    # over the 30,000-row bench's 2,643 titles)
    return (texts.str.replace_many([*letters, "\u0110", "\u0111"], [*letters.values(), "d", "d"])
            .str.replace_all(f"[{_VIETNAMESE_MARKS}]", "").str.to_lowercase()
            .str.replace_all("[^a-z0-9_ ]+", " ").str.replace_all("  +", " ").str.strip_chars(" "))


def _maybe_legacy(texts):
    """Which texts (a Series, or an expression of one) may be TCVN3/VNI (a Latin-1 letter, no Vietnamese Unicode
    one): legacy's two patterns as Polars expressions (the regex crate reads them alike); a missing text may not."""
    return (texts.str.contains(legacy._LEGACY_CANDIDATE.pattern).fill_null(False)
            & ~texts.str.contains(legacy._VIET_UNICODE.pattern).fill_null(False))
