"""Byte searches on a sheet's XML that find a rare construct by a rare byte (for the safety pre-check).

A sheet part is megabytes of XML in which `<`, `"`, `=` and most letters recur every few bytes. A search for a
short needle (`b"<f>" in data`) then runs at ~1 GB/s, because the search checks almost every position; memchr
for a byte the XML seldom holds (`f`: no tag of a sheet's data has it and Vietnamese does not use the letter;
`'`: Excel and LibreOffice quote attributes with `"`) runs two orders of magnitude faster. Each search here gives
exactly the answer of the plain one: it only takes its candidates from that byte, and after a few candidates that
were no match it finishes with the plain search (an unusual or hostile file costs what it did before).
"""
from __future__ import annotations

import re

TRIES = 64  # candidates looked at one by one before the plain search takes over


def contains(data: bytes, needle: bytes, k: int, tries: int = TRIES) -> bool:
    """`needle in data`, its candidates found by memchr for `needle[k]` (a byte `data` seldom holds)."""
    byte = needle[k:k + 1]
    find = data.find
    i = find(byte, k)
    for _ in range(tries):
        if i == -1:
            return False
        if data.startswith(needle, i - k):
            return True
        i = find(byte, i + 1)
    return i != -1 and find(needle, i - k) != -1


def search(pattern: re.Pattern, data: bytes, byte: bytes, tries: int = TRIES) -> re.Match | None:
    """`pattern.search(data)` for a pattern whose every match begins with `byte` (a byte `data` seldom holds):
    the leftmost match is at one of that byte's positions, found by memchr and tried in order."""
    find, match = data.find, pattern.match
    i = find(byte)
    for _ in range(tries):
        if i == -1:
            return None
        m = match(data, i)
        if m is not None:
            return m
        i = find(byte, i + 1)
    return None if i == -1 else pattern.search(data, i)


def has_formula_tag(data: bytes) -> bool:
    """`b"<f>" in data or b"<f " in data`: a formula written as Excel writes one."""
    return contains(data, b"<f>", 1) or contains(data, b"<f ", 1)


_QUOTED_E = re.compile(rb'"e"')  # the regular expression engine's literal search: ~2 x `in` on sheet XML


def may_have_error_type(data: bytes) -> bool:
    """`b'"e"' in data or b"'e'" in data`: a cell may be typed as an error (`t="e"`)."""
    return _QUOTED_E.search(data) is not None or contains(data, b"'e'", 0)
