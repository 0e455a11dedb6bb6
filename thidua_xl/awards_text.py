"""Award texts as people write them: one canonical form, splitting, ambiguity, careful suggestions.

Units and provincial systems write the same award many ways ("Chiến sỹ thi đua cấp cơ sở",
"CSTĐCS", "Bằng khen của Chủ tịch UBND tỉnh Quảng Bình", "Huân chương Lao động hạng 3",
"Danh hiệu Lao động tiên tiến (LĐTT)"). Every text, the catalogue's names included, is brought to
one canonical bag of words: abbreviations expanded, the issuing level reduced to one marker
(`@TINH`, `@BO`, `@SO`…), the rank of an order to one marker (`@H3`), filler words dropped. Two texts
name the same award when their bags are equal. Everything here works on one distinct text at a
time (intake calls it once per distinct cell value, never per row).

A text that names no award exactly is never counted. It may get a suggestion, but only when it
names the same kind of award (same head words) and nothing it says contradicts the candidate
(a level, a rank, "tập thể"): "hạng 3" is never "hạng Nhất", a person's name is never an award.
A kind without its level ("Bằng khen") is ambiguous: the finding asks which level.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Iterable

from .perf import Frozen
from .text import clean, fold

# Abbreviations and spellings, word by word (folded words).
_WORDS = {
    "sy": "si", "gd": "giam doc", "ubnd": "uy ban nhan dan", "byt": "bo y te", "ttcp": "thu tuong chinh phu",
    "ttg": "thu tuong", "tw": "trung uong", "hcld": "huan chuong lao dong", "hc": "huan chuong",
    "cstd": "chien si thi dua", "cstdcs": "chien si thi dua co so", "cstdtq": "chien si thi dua toan quoc",
    "ldtt": "lao dong tien tien", "ldxs": "lao dong xuat sac", "ttldtt": "tap the lao dong tien tien",
    "ttldxs": "tap the lao dong xuat sac", "bk": "bang khen", "gk": "giay khen", "knc": "ky niem chuong",
    "ld": "lao dong", "cs": "co so", "tq": "toan quoc", "xs": "xuat sac", "ttut": "thay thuoc uu tu",
    "ttnd": "thay thuoc nhan dan", "tp": "thanh pho",
}

# Provinces and centrally-run cities (before and after the 2025 merger), folded: a name after
# "tỉnh"/"thành phố" says nothing about which award it is.
PROVINCES = (
    "an giang", "ba ria vung tau", "bac giang", "bac kan", "bac lieu", "bac ninh", "ben tre", "binh dinh",
    "binh duong", "binh phuoc", "binh thuan", "ca mau", "can tho", "cao bang", "da nang", "dak lak",
    "dak nong", "dien bien", "dong nai", "dong thap", "gia lai", "ha giang", "ha nam", "ha noi", "ha tinh",
    "hai duong", "hai phong", "hau giang", "hoa binh", "hung yen", "khanh hoa", "kien giang", "kon tum",
    "lai chau", "lam dong", "lang son", "lao cai", "long an", "nam dinh", "nghe an", "ninh binh",
    "ninh thuan", "phu tho", "phu yen", "quang binh", "quang nam", "quang ngai", "quang ninh", "quang tri",
    "soc trang", "son la", "tay ninh", "thai binh", "thai nguyen", "thanh hoa", "thua thien hue", "hue",
    "tien giang", "ho chi minh", "tra vinh", "tuyen quang", "vinh long", "vinh phuc", "yen bai",
)
_PROVINCE = "|".join(sorted(PROVINCES, key=len, reverse=True))

# Ordered rewrites of the folded, expanded text. Levels and ranks become single markers so that
# "cơ sở" never shares a word with "Sở", and a rank is one word that cannot be half-matched.
# Each is tried only on a text that holds what it must match (a substring; for the provinces, a test that one is
# named) and compiled the first time one does: most texts need a few of them, and the province alternations
# (~0.4 ms each to compile) only a text that names a province.
_REWRITES = [
    ("", r"\b(?:nam )?(?:19|20)\d\d\b", " "), ("doan the", r"\bdoan the\b", "doanthe"),
    ("hang ", r"\bhang (?:3|iii|ba)\b", "@H3"), ("hang ", r"\bhang (?:2|ii|nhi)\b", "@H2"),
    ("hang ", r"\bhang (?:1|i|nhat)\b", "@H1"),
    (lambda t: "thanh pho " in t and _a_province_in(t),
     r"\bthanh pho (?:truc thuoc trung uong )?(?:" + _PROVINCE + r")\b", "tinh"),
    (lambda t: "tinh " in t and _a_province_in(t), r"\btinh (?:" + _PROVINCE + r")\b", "tinh"),
    (lambda t: t.endswith(PROVINCES), r"\b(?:" + _PROVINCE + r")$", " "),  # no line break in a text: `$` is its end
    # the generic names of provincial systems: "cấp bộ, ban, ngành, tỉnh, đoàn thể trung ương"
    ("tinh", r"\bbo(?: ban)?(?: nganh)? tinh(?: doanthe(?: trung uong)?)?\b", "@TINH"),
    ("co quan chuyen mon", r"\bthu truong (?:cac )?co quan chuyen mon\b.*\b(?:tinh|uy ban nhan dan)\b.*", "@SO"),
    ("uy ban nhan dan", r"\b(?:chu tich )?uy ban nhan dan(?: cap)?(?: tinh)?\b(?! (?:huyen|xa|quan|thi xa|phuong))",
     "@TINH"),
    ("bo y te", r"\b(?:bo truong )?bo y te\b", "@BO"), ("nganh y te", r"\bnganh y te\b", "@BO"),
    ("bo nganh", r"\bbo nganh\b", "@BO"),
    ("so y te", r"\b(?:giam doc |thu truong )?so y te\b", "@SO"), ("giam doc so", r"\bgiam doc so\b", "@SO"),
    ("thu tuong chinh phu", r"\bthu tuong chinh phu\b", "@TTG"), ("thu tuong", r"\bthu tuong\b", "@TTG"),
    ("chinh phu", r"\bchinh phu\b", "@CP"),
    ("co so", r"\bco so\b", "@COSO"), ("toan quoc", r"\btoan quoc\b", "@TQ"), ("tinh", r"\btinh\b", "@TINH"),
    ("bo", r"\bbo\b", "@BO"), ("so", r"\bso\b", "@SO"),
    ("vi suc khoe nhan dan", r"\bvi suc khoe nhan dan\b", "vi suc khoe nhan dan"),
    # filler: prefixes, "của", "cấp", "danh hiệu"
    ("", r"\b(?:de nghi|tang|cong nhan|xet tang|hinh thuc khen thuong|khen thuong|hinh thuc|danh hieu"
     r"|vinh du nha nuoc|cua|cap|muc)\b", " "),
]
_COMPILED: list = [None] * len(_REWRITES)


def _a_province_in(text: str) -> bool:
    return any(p in text for p in PROVINCES)


def _rewritten(text: str) -> str:
    """`text` through every rewrite in order, each one only where it can match."""
    for i, (needs, pattern, rep) in enumerate(_REWRITES):
        if needs.__class__ is str:
            if needs not in text:
                continue
        elif not needs(text):
            continue
        rx = _COMPILED[i]
        if rx is None:
            rx = _COMPILED[i] = re.compile(pattern)
        text = rx.sub(rep, text)
    return text


_PAREN = re.compile(r"\(([^()]*)\)|\[([^\[\]]*)\]")
# Markers that decide between awards of one kind: a text stating one the candidate lacks is not it.
_GROUPS = ({"@SO", "@TINH", "@BO", "@TTG", "@CP", "@TQ", "@COSO"}, {"@H1", "@H2", "@H3"},
           {"tien", "xuat"}, {"uu", "nhan"})
_SUBJECT_TAIL = re.compile(r"\s+(?:cho |danh cho )?(?:tap the|ca nhan)$")
SEPARATORS = re.compile(r"\s*(?:[,;+/\n]|\bvà\b|\bva\b)\s*", re.I)


# "TT" alone is "tập thể", "trung tâm" or "thủ tướng"; before the words of a collective title
# ("TT lao động tiên tiến", "TT LĐXS") only "tập thể" names an award.
_COLLECTIVE_TITLE_HEADS = {"lao", "ld", "ldtt", "ldxs"}


def _tt(following: list[str]) -> str:
    return "tap the" if following and following[0] in _COLLECTIVE_TITLE_HEADS else "tt"


@lru_cache(maxsize=1 << 14)
def canonical(text: str) -> str:
    """The canonical words of an award text, space-separated (parenthesised notes removed)."""
    body = _PAREN.sub(" ", clean(text))
    words = fold(body).replace("@", " ").split()
    out = " ".join(_WORDS.get(w, w) if w != "tt" else _tt(words[i + 1:i + 2]) for i, w in enumerate(words))
    toks = _rewritten(out).split()
    dedup = [t for i, t in enumerate(toks) if not (t.startswith("@") and t in toks[:i])]
    return " ".join(dedup)


def _key(text: str) -> tuple[str, ...]:
    return tuple(sorted(canonical(text).split()))


def _notes(text: str) -> list[str]:
    return [a or b for a, b in _PAREN.findall(clean(text)) if (a or b).strip()]


@lru_cache(maxsize=1 << 16)
def _sim(a: str, b: str) -> bool:
    """Two words equal but for a typo (long enough words only; markers must be exact)."""
    if a == b:
        return True
    if a.startswith("@") or b.startswith("@") or min(len(a), len(b)) < 4:
        return False
    import difflib  # only a text that names no award exactly gets here

    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.8


def _overlap(text: list[str], cand: list[str]) -> int:
    left = Counter(text)
    m = 0
    rest = []
    for w in cand:
        if left[w] > 0:
            left[w] -= 1
            m += 1
        else:
            rest.append(w)
    pool = list(left.elements())
    for w in rest:
        hit = next((x for x in pool if _sim(x, w)), None)
        if hit is not None:
            pool.remove(hit)
            m += 1
    return m


def _in_place(text: list[str], cand: tuple[str, ...], matched: int) -> bool:
    """A word of the name mistyped beyond recognition where it stands ("Lao động tiên tiếm"): the text has the
    name's length and its other words in their places; a word from elsewhere beside the name's words (a person's
    name: "Nguyễn Lao Động Tiến") or a reshuffle ("Nguyễn Tiến Lao Động") is not."""
    return len(text) == len(cand) and sum(not _sim(a, b) for a, b in zip(text, cand)) == len(text) - matched


def _conflicts(text: set[str], cand: set[str]) -> bool:
    """The text states a level, rank or kind-word the candidate does not have (or one of another)."""
    for group in _GROUPS:
        said = text & group
        if said and not said <= cand:
            return True
    collective = "tap" in cand and "the" in cand  # "Tập thể …": a half-typed "Tập" still says it
    return collective != ("tap" in text or "the" in text)


class Entry(Frozen):
    """One way the catalogue writes an award, in canonical words (a plain class: see perf.Plain)."""

    _fields = ("code", "text", "words", "head")

    def __init__(self, code: str, text: str, words: tuple[str, ...], head: tuple[str, ...]):
        put = object.__setattr__
        put(self, "code", code)
        put(self, "text", text)
        put(self, "words", words)  # canonical words
        put(self, "head", head)  # words naming the kind of award (first two words of the official name)


class AwardMatcher:
    """Recognises award texts against a catalogue (code, official name, aliases)."""

    def __init__(self, awards: Iterable):
        self.names: dict[str, str] = {}
        self.entries: list[Entry] = []
        self.index: dict[tuple[str, ...], str] = {}
        self.conflicting: dict[tuple[str, ...], set[str]] = {}
        self._cand_memo: dict[tuple[str, ...], list[Entry]] = {}
        awards_list = list(awards)
        for a in awards_list:
            self.names[a.code] = a.name
            head = tuple(canonical(a.name).split()[:2])
            for t in (a.name, *a.aliases):
                words = tuple(canonical(t).split())
                if not words:
                    continue
                self.entries.append(Entry(a.code, t, words, head))
                key = tuple(sorted(words))
                if self.index.setdefault(key, a.code) != a.code:
                    self.conflicting.setdefault(key, {self.index[key]}).add(a.code)
            self.index.setdefault(tuple(sorted(canonical(a.code).split())), a.code)
        self.codes_by_fold = {fold(c): c for c in self.names}
        self.for_either = {a.code for a in awards_list if getattr(a, "subject", "") == "both"}

    # --- exact recognition -------------------------------------------------------------------
    def match(self, text: object) -> str | None:
        """The award a text names exactly (whatever its spelling), or None."""
        raw = clean(text)
        if not raw:
            return None
        code = self.codes_by_fold.get(fold(raw))
        if code:
            return code
        key = _key(raw)
        code = self.index.get(key) if key else None
        if code is None and key:
            # "Giấy khen tập thể", "Bằng khen UBND tỉnh cho cá nhân": the subject written into the cell
            bare = _SUBJECT_TAIL.sub("", canonical(raw))
            hit = self.index.get(tuple(sorted(bare.split()))) if bare != canonical(raw) else None
            code = hit if hit and hit in self.for_either else None
        notes = [self.index.get(_key(n)) for n in _notes(raw)]
        notes = [n for n in notes if n]
        if code is None:
            # "(LĐTT)" alone, or a name only inside brackets
            return notes[0] if not key and len(set(notes)) == 1 else None
        if any(n != code for n in notes):
            return None  # "Giấy khen (LĐTT)": which one? say so rather than choose
        return code

    def split(self, text: object) -> list[tuple[str, str]] | None:
        """[(part, code), …] when a cell names two awards or more ("LĐTT, CSTĐCS"), else None."""
        raw = clean(text)
        if not raw or self.match(raw) or any(self.match(n) for n in _notes(raw)):
            return None  # "Giấy khen (LĐTT)" is a contradiction to report, not two awards
        parts = [p for p in SEPARATORS.split(raw) if p.strip()]
        got = self._segment(parts, ", ") if len(parts) > 1 else None
        if got is None:
            words = raw.split(" ")
            if 1 < len(words) <= 24:
                got = self._segment(words, " ")
        if got is None or len(got) < 2:
            return None
        out, seen = [], set()
        for part, code in got:
            if code not in seen:
                seen.add(code)
                out.append((part, code))
        return out

    def _segment(self, pieces: list[str], joiner: str) -> list[tuple[str, str]] | None:
        """Fewest consecutive groups of pieces that each name an award exactly (dynamic programming)."""
        n = len(pieces)
        best: list[list[tuple[str, str]] | None] = [None] * (n + 1)
        best[0] = []
        for end in range(1, n + 1):
            for start in range(end - 1, -1, -1):
                if best[start] is None:
                    continue
                part = joiner.join(pieces[start:end])
                code = self.match(part)
                if code and (best[end] is None or len(best[start]) + 1 < len(best[end])):
                    best[end] = best[start] + [(part, code)]
        return best[n]

    # --- scoring, ambiguity, suggestions -------------------------------------------------------
    def score(self, text: object, code: str) -> float:
        """How closely a text names `code`: 1.0 exactly, else the share of words in common
        (typos forgiven); 0 when the text does not name its kind or states something it is not."""
        if self.match(text) == code:
            return 1.0
        words = canonical(clean(text)).split()
        if not words:
            return 0.0
        best = 0.0
        for e in self._candidates(words):
            if e.code != code:
                continue
            m = _overlap(words, list(e.words))
            best = max(best, m / (len(words) + len(e.words) - m))
        return min(best, 0.99)

    def _candidates(self, words: list[str]) -> list[Entry]:
        """Entries of the kind the text names (its head words present) that it does not contradict."""
        key = tuple(words)
        hit = self._cand_memo.get(key)
        if hit is None:
            ws = set(words)
            heads = {h: all(any(_sim(w, x) for w in words) for x in h) for h in {e.head for e in self.entries}}
            hit = [e for e in self.entries if heads[e.head] and not _conflicts(ws, set(e.words))]
            if len(self._cand_memo) < 50_000:
                self._cand_memo[key] = hit
        return hit

    def ambiguous(self, text: object) -> list[str]:
        """Awards a text could mean when it names a kind but not which one ("Bằng khen" alone)."""
        if self.match(text):
            return []
        words = canonical(clean(text)).split()
        if not words:
            return []
        codes = []
        for e in self._candidates(words):
            if set(words) <= set(e.words) and e.code not in codes:
                codes.append(e.code)
        return codes if len(codes) > 1 else []

    def suggest(self, text: object, n: int = 1) -> list[str]:
        """Official names of the awards a mistyped text is truly close to (none when in doubt)."""
        if self.match(text) or self.ambiguous(text):
            return []
        words = canonical(clean(text)).split()
        if not words:
            return []
        scored: dict[str, float] = {}
        for e in self._candidates(words):
            m = _overlap(words, list(e.words))
            if m < len(words) and m < len(e.words) and not _in_place(words, e.words, m):
                continue  # a word missing and one from elsewhere, not typed in its place ("Nguyễn Lao Động Tiến")
            s = m / (len(words) + len(e.words) - m)
            if s >= 0.6:
                scored[e.code] = max(scored.get(e.code, 0.0), s)
        ranked = sorted(scored, key=lambda c: -scored[c])
        if len(ranked) > 1 and scored[ranked[0]] - scored[ranked[1]] < 0.1:
            return []  # two awards about as close: do not guess
        return [self.names[c] for c in ranked[:n]]

    def hint(self, text: object) -> str:
        """The Vietnamese sentence that follows "Không nhận ra hình thức …" in a finding."""
        noted = [n for n in _notes(clean(text)) if self.match(n)]
        if noted and self.match(_PAREN.sub(" ", clean(text))):
            return (f" Ô này ghi hai hình thức khác nhau (“{clean(_PAREN.sub(' ', clean(text)))}” và “{noted[0]}”):"
                    " hãy ghi đúng một hình thức, hoặc tách hai hình thức bằng dấu phẩy.")
        amb = self.ambiguous(text)
        if amb:
            names = [f"“{self.names[c]}”" for c in amb]
            listed = ", ".join(names[:-1]) + " hay " + names[-1]
            return f" Chưa rõ là {listed}: hãy ghi rõ cấp, hạng của hình thức đề nghị."
        sug = self.suggest(text)
        if sug:
            return f" Có phải là “{sug[0]}”?"
        return " Hãy ghi đúng tên hoặc chữ viết tắt của một danh hiệu, hình thức khen thưởng trong danh mục."

    # --- awards named inside other text (titles, group headings) -------------------------------
    def _by_first(self) -> dict[str, list[Entry]]:
        """The entries by their first word (find_in looks only at those starting where a word of the text is)."""
        got = self.__dict__.get("_first_words")
        if got is None:
            got = {}
            for e in self.entries:
                if e.words:
                    got.setdefault(e.words[0], []).append(e)
            self.__dict__["_first_words"] = got
        return got

    def find_in(self, text: object) -> str | None:
        """The one award a title or group heading names ("DANH SÁCH … ĐỀ NGHỊ CÔNG NHẬN DANH HIỆU
        LAO ĐỘNG TIÊN TIẾN", "1. Tập thể lao động tiên tiến (16 tập thể)"), or None if none or several."""
        words = canonical(clean(text)).split()
        if not words:
            return None
        spans = []
        by_first = self._by_first()
        for i, w in enumerate(words):
            for e in by_first.get(w, ()):
                k = len(e.words)
                if tuple(words[i:i + k]) == e.words:
                    spans.append((i, i + k, e.code))
        # a name inside a longer one is part of it ("lao động tiên tiến" in "Tập thể lao động tiên tiến")
        kept = {c for s0, e0, c in spans
                if not any(s1 <= s0 and e0 <= e1 and (e1 - s1) > (e0 - s0) for s1, e1, _c in spans)}
        return kept.pop() if len(kept) == 1 else None
