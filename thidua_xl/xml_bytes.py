"""Byte searches on a sheet's XML that find a rare construct by a rare byte (for the safety pre-check).

A sheet part is megabytes of XML in which `<`, `"`, `=` and most letters recur every few bytes. A search for a
short needle (`b"<f>" in data`) then runs at ~1 GB/s, because the search checks almost every position; memchr
for a byte the XML seldom holds (`f`: no tag of a sheet's data has it and Vietnamese does not use the letter;
`'`: Excel and LibreOffice quote attributes with `"`; `:` for a namespace prefix, where a unit file's sheet has a
few `xml:space`) runs two orders of magnitude faster. Each search here gives exactly the answer of the plain one: it
only takes its candidates from that byte, and after a few candidates that were no match (or, for `search`, once
they come closer together than the plain search's pace makes worth it) it finishes with the plain search (an
unusual or hostile file costs what it did before).
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


SPACING = 512  # bytes between candidates below which the plain search is the cheaper (~0.2 µs a candidate)


def search(pattern: re.Pattern, data: bytes, byte: bytes, k: int = 0) -> re.Match | None:
    """`pattern.search(data)` for a pattern whose every match holds `byte` (one `data` seldom holds) at offset k.

    The leftmost match is at one of that byte's positions less k, found by memchr and tried in order. Where
    the byte turns out not to be rare (more than 8 candidates and more than one in SPACING bytes), the
    pattern's own search goes on from there."""
    find, match = data.find, pattern.match
    i = find(byte, k)
    tried = 0
    while i != -1:
        m = match(data, i - k)
        if m is not None:
            return m
        tried += 1
        if tried * SPACING > i + 8 * SPACING:
            return pattern.search(data, i - k + 1)
        i = find(byte, i + 1)
    return None


_FORMULA_TAG = re.compile(rb"<f[ >]")


def has_formula_tag(data: bytes) -> bool:
    """`b"<f>" in data or b"<f " in data`: a formula written as Excel writes one."""
    return search(_FORMULA_TAG, data, b"f", 1) is not None


_QUOTED_E = re.compile(rb'"e"')  # the regular expression engine's literal search: ~2 x `in` on sheet XML


def may_have_error_type(data: bytes) -> bool:
    """`b'"e"' in data or b"'e'" in data`: a cell may be typed as an error (`t="e"`)."""
    return _QUOTED_E.search(data) is not None or contains(data, b"'e'", 0)
