"""Legacy Vietnamese encodings in old government workbooks: TCVN3 (ABC) and VNI.

Before Unicode, Vietnamese text was typed with special fonts: TCVN3/ABC (`.VnTime`,
`.VnTimeH` for capitals) maps one character to one ("NguyÔn V¨n B×nh"), VNI
(`VNI-Times`) writes a base letter plus a mark character ("Nguyeãn Vaên Bình").
Excel stores those as Latin-1 characters, so the text looks garbled everywhere
but in the old font. This module detects such text (by the cell's font when known,
else by how Vietnamese the text reads under each interpretation) and converts it.
"""
from __future__ import annotations

import functools
import re
import unicodedata

__all__ = [
    "TCVN3", "VNI", "tcvn3_to_unicode", "vni_to_unicode", "to_unicode",
    "encoding_of_font", "detect", "convert", "looks_vietnamese_score",
]

TCVN3 = "tcvn3"
VNI = "vni"
ENCODING_LABEL = {TCVN3: "TCVN3 (ABC)", VNI: "VNI"}

# --- TCVN3 -------------------------------------------------------------------------
# Each vowel row lists the plain letter, then huyền, hỏi, ngã, sắc, nặng.
_TCVN3_ROWS = [
    ("a", "a", "µ¶·¸¹"), ("ă", "¨", "»¼½¾Æ"), ("â", "©", "ÇÈÉÊË"),
    ("e", "e", "ÌÎÏÐÑ"), ("ê", "ª", "ÒÓÔÕÖ"),
    ("i", "i", "×ØÜÝÞ"),
    ("o", "o", "ßáâãä"), ("ô", "«", "åæçèé"), ("ơ", "¬", "êëìíî"),
    ("u", "u", "ïñòóô"), ("ư", "\xad", "õö÷øù"),
    ("y", "y", "úûüýþ"),
]
_TONE_MARKS = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # huyền hỏi ngã sắc nặng


def _build_tcvn3() -> dict[str, str]:
    table: dict[str, str] = {"®": "đ", "¡": "Ă", "¢": "Â", "£": "Ê", "¤": "Ô", "¥": "Ơ", "¦": "Ư", "§": "Đ"}
    for base, plain, toned in _TCVN3_ROWS:
        if plain != base:
            table[plain] = base
        for ch, mark in zip(toned, _TONE_MARKS):
            table[ch] = unicodedata.normalize("NFC", base + mark)
    return table


TCVN3_TABLE: dict[str, str] = _build_tcvn3()
_TCVN3_TRANS = str.maketrans(TCVN3_TABLE)


def tcvn3_to_unicode(text: str, capitals: bool = False) -> str:
    """TCVN3 → Unicode NFC; capitals=True for the `…H` fonts, which draw every letter as a capital.

    TCVN3 has no code for a capital with a tone mark (Ễ, Ì …): text typed in capitals uses the
    lower-case codes there ("NGUYÔN V¨N B×NH"), so their case follows the word's ASCII letters
    (see `_capital_words`) rather than the code point.
    """
    out = text.translate(_TCVN3_TRANS)  # one character for one: positions still match `text`
    if capitals:
        return unicodedata.normalize("NFC", out).upper()
    return unicodedata.normalize("NFC", _capital_words(text, out))


# TCVN3 codes that read as a lower-case letter: their case in the text is not told by the code.
_TCVN3_LOWER = frozenset(k for k, v in TCVN3_TABLE.items() if v.islower())


def _word_case(word: str) -> bool | None:
    """True: the word's ASCII letters are capitals beyond its first letter ("NGUYÔN", "§INH", "HåI");
    False: one of them is lower case ("NguyÔn"); None: no evidence (only an initial, "Hå", "Lª")."""
    letters = [(i, ch) for i, ch in enumerate(word) if ch.isascii() and ch.isalpha()]
    if any(ch.islower() for _i, ch in letters):
        return False
    return True if any(i > 0 for i, _ch in letters) else None


def _capital_words(src: str, out: str) -> str:
    """`out` (the character-for-character conversion of `src`) with the words typed in capitals in capitals.

    A word whose ASCII letters are all capitals, beyond its first, is a capital word. A word
    with only an initial ("Hå") follows the whole text: capitals when no word has a lower-case
    ASCII letter and a capital word holds a TCVN3 lower-case code ("NGUYÔN Hå" → "NGUYỄN HỒ");
    otherwise it stays as typed ("Lª Hå" → "Lê Hồ", "BS. Lª Hå" → "BS. Lê Hồ").
    """
    words = [(m.start(), m.end(), _word_case(m.group())) for m in _WORD.finditer(src)]
    if not any(case for _s, _e, case in words):
        return out
    whole = all(case is not False for _s, _e, case in words) and any(
        case and not _TCVN3_LOWER.isdisjoint(src[s:e]) for s, e, case in words)
    parts, at = [], 0
    for s, e, case in words:
        if case or (case is None and whole):
            parts += [out[at:s], out[s:e].upper()]
            at = e
    return "".join(parts) + out[at:]


# --- VNI ---------------------------------------------------------------------------
# Mark characters (lower case form; the upper case form is the same letter upper-cased).
_VNI_MARKS = {
    "ø": "\u0300", "ù": "\u0301", "û": "\u0309", "õ": "\u0303", "ï": "\u0323",
    "â": "\u0302", "á": "\u0302\u0301", "à": "\u0302\u0300", "å": "\u0302\u0309", "ã": "\u0302\u0303",
    "ä": "\u0302\u0323",
    "ê": "\u0306", "é": "\u0306\u0301", "è": "\u0306\u0300", "ú": "\u0306\u0309", "ü": "\u0306\u0303",
    "ë": "\u0306\u0323",
}
_VNI_SINGLE = {"ñ": "đ", "ô": "ơ", "ö": "ư", "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ"}
_TONE_ONLY = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


def _build_vni() -> dict[str, str]:
    table: dict[str, str] = {}
    for k, v in _VNI_SINGLE.items():
        table[k] = v
        table[k.upper()] = v.upper()
    bases = {"a": "a", "e": "e", "o": "o", "u": "u", "y": "y", "ô": "ơ", "ö": "ư"}
    for src, base in bases.items():
        for mark_ch, combining in _VNI_MARKS.items():
            hat = combining[0] in ("\u0302", "\u0306")
            if hat and (src in ("ô", "ö", "u", "y") or (combining[0] == "\u0306" and src != "a")
                        or (combining[0] == "\u0302" and src not in ("a", "e", "o"))):
                continue
            if not hat and combining not in _TONE_ONLY:
                continue
            composed = unicodedata.normalize("NFC", base + combining)
            if len(composed) != 1:
                continue
            for s, m, c in ((src, mark_ch, composed), (src.upper(), mark_ch.upper(), composed.upper()),
                            (src.upper(), mark_ch, composed.upper()), (src, mark_ch.upper(), composed)):
                table[s + m] = c
    return table


VNI_TABLE: dict[str, str] = _build_vni()


@functools.cache
def _vni_re() -> re.Pattern:
    """Every VNI sequence, longest first: compiled when a text is first read as VNI (~2 ms, which
    every `validate` paid at import though most years hold no VNI text)."""
    return re.compile("|".join(re.escape(k) for k in sorted(VNI_TABLE, key=len, reverse=True)))


def vni_to_unicode(text: str) -> str:
    """VNI → Unicode NFC, longest match first (a base letter and its mark become one letter)."""
    return unicodedata.normalize("NFC", _vni_re().sub(lambda m: VNI_TABLE[m.group(0)], text))


def to_unicode(text: str, encoding: str, capitals: bool = False) -> str:
    if encoding == TCVN3:
        return tcvn3_to_unicode(text, capitals)
    if encoding == VNI:
        return vni_to_unicode(text)
    return text


# --- detection -----------------------------------------------------------------------
def encoding_of_font(font_name: object) -> tuple[str | None, bool]:
    """(encoding, capitals) told by a font name: `.VnTime`→TCVN3, `.VnTimeH`→TCVN3 capitals, `VNI-Times`→VNI."""
    name = str(font_name or "").strip()
    low = name.lower()
    if low.startswith(".vn") or low.startswith("vn3") or low.startswith("abc"):
        return TCVN3, name.endswith("H")
    if low.startswith("vni"):
        return VNI, False
    return None, False


_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
_NUCLEI = {
    "a", "ă", "â", "e", "ê", "i", "y", "o", "ô", "ơ", "u", "ư",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi", "ôi", "ơi",
    "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê", "iêu", "yêu", "oai", "oao",
    "oay", "oeo", "uây", "uôi", "ươi", "ươu", "uya", "uyê", "uyu", "oo", "ưo",
}
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
_VOWELS = set("aăâeêioôơuưy")
# A "word" runs between spaces and punctuation; legacy symbols (¨, ×, the 0xAD soft hyphen) stay inside it.
_WORD = re.compile(r"[^\s\d.,;:!?()\[\]{}/\\\-\"'“”‘’&+*=<>|]+", re.U)


@functools.lru_cache(maxsize=1 << 16)
def _syllable_ok(word: str) -> bool:
    """Is a lower-case word (tones allowed, at most one) a possible Vietnamese syllable?

    Cached: a province's names and titles reuse a few hundred syllables thousands of times.
    """
    tones = 0
    letters = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONE_ONLY:
            tones += 1
        else:
            letters.append(ch)
    if tones > 1:
        return False
    w = unicodedata.normalize("NFC", "".join(letters))
    if any(ch not in _VOWELS and not ("a" <= ch <= "z" or ch == "đ") for ch in w):
        return False
    initial = next((i for i in _INITIALS if w.startswith(i)), "")
    rest = w[len(initial):]
    if initial == "gi" and (not rest or rest[0] not in _VOWELS):
        rest = "i" + rest
    for fin in _FINALS:
        if fin and not rest.endswith(fin):
            continue
        nucleus = rest[: len(rest) - len(fin)] if fin else rest
        if nucleus in _NUCLEI:
            return True
    return False


def looks_vietnamese_score(text: str) -> int:
    """How many words of the text are possible Vietnamese syllables (a fitness score)."""
    return sum(_syllable_ok(w) for w in _WORD.findall(text.lower()))


_LEGACY_CANDIDATE = re.compile(r"[\u0080-\u00ff]")
# Vietnamese letters outside Latin-1: their presence means the text is already Unicode.
_VIET_UNICODE = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


# Tie-breakers: characters only TCVN3 uses, and a vowel followed by a VNI mark (compiled at their first use, by
# `re`'s cache: only an ambiguous text needs them)
_TCVN3_SIGN = r"[\u00a1-\u00bf\u00d7\u00de\u00df]"
_VNI_SIGN = "[aeouyAEOUY\u00f4\u00f6\u00d4\u00d6][" + re.escape("".join(_VNI_MARKS) + "".join(_VNI_MARKS).upper()) + "]"


def detect(text: object, font_name: object = None) -> str | None:
    """TCVN3, VNI or None for one cell's text (None: Unicode or plain ASCII)."""
    if not isinstance(text, str) or not text:
        return None
    enc, _caps = encoding_of_font(font_name)
    if enc:
        return enc if _LEGACY_CANDIDATE.search(text) else None
    if not _LEGACY_CANDIDATE.search(text) or _VIET_UNICODE.search(text):
        return None
    words = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    base = sum(map(_syllable_ok, words))  # looks_vietnamese_score of the text as it stands
    if base == len(words):
        # Every word already reads as Vietnamese (most Unicode names: "Hà Lê" has only Latin-1
        # letters). A conversion maps letters to letters, so it has as many words: it cannot
        # score more than `base`, and the answer would be None anyway.
        return None
    scores = {TCVN3: looks_vietnamese_score(tcvn3_to_unicode(text)), VNI: looks_vietnamese_score(vni_to_unicode(text))}
    signs = {TCVN3: len(re.findall(_TCVN3_SIGN, text)), VNI: len(re.findall(_VNI_SIGN, text))}
    best = max(scores, key=lambda k: (scores[k], signs[k], k == TCVN3))
    return best if scores[best] > base else None


def convert(text: object, font_name: object = None) -> tuple[str, str | None]:
    """(Unicode text, encoding found or None) for one cell."""
    if not isinstance(text, str):
        return ("" if text is None else str(text)), None
    enc = detect(text, font_name)
    if enc is None:
        return text, None
    _e, caps = encoding_of_font(font_name)
    return to_unicode(text, enc, capitals=caps and enc == TCVN3), enc
