"""The pre-check's byte searches: each gives exactly the plain search's answer, whatever the XML holds —
the rare byte absent, present in every other position, at the very start or end, or in more candidates than
are looked at one by one."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from thidua_xl.xml_bytes import contains, has_formula_tag, may_have_error_type, search

# bytes an XML part is made of, the rare ones included often enough to meet every case
_PIECES = [b"<", b">", b"f", b"e", b"'", b'"', b" ", b"<f", b"<f>", b"<f ", b"'e'", b'"e"', b"<c r=\"A1\">", b"x",
           b"\xc3\xa1", b"/"]
xml = st.lists(st.sampled_from(_PIECES), max_size=80).map(b"".join)
# and the namespace prefixes (`x:c`, `xml:space`, `spans="1:9"`) the plain-cell check looks for
xml_with_colons = st.lists(st.sampled_from(_PIECES + [b":", b"x:c ", b":row>", b":dimension/", b"xml:space", b":c",
                                                      b"1:9", b"c", b"row", b"\t"]), max_size=80).map(b"".join)


@settings(max_examples=800, deadline=None)
@given(xml, st.sampled_from([b"<f>", b"<f ", b"'e'", b"ef", b"f", b"<f>f"]), st.integers(0, 3), st.integers(0, 4))
def test_contains_is_the_plain_search(data, needle, k, tries):
    k = min(k, len(needle) - 1)
    assert contains(data, needle, k, tries) == (needle in data)


@settings(max_examples=800, deadline=None)
@given(xml)
def test_the_formula_and_error_tests_are_the_plain_searches(data):
    assert has_formula_tag(data) == (b"<f>" in data or b"<f " in data)
    assert may_have_error_type(data) == (b'"e"' in data or b"'e'" in data)


def test_many_candidates_before_the_match():
    """More `f`s than are looked at one by one: the plain search finds the formula after them."""
    data = b"<c>" + b"f" * 1000 + b"<f>A1+1</f>"
    assert has_formula_tag(data)
    assert not has_formula_tag(b"f" * 1000 + b"<ff>")
    assert contains(b"f" * 100 + b"<f ", b"<f ", 1, tries=3)


_PATTERNS = [(re.compile(rb":(?:c|row|dimension)[\s/>]"), b":", 0), (re.compile(rb"'e'"), b"'", 0),
             (re.compile(rb"<f[ >]"), b"f", 1)]


@settings(max_examples=800, deadline=None)
@given(xml_with_colons, st.sampled_from(range(len(_PATTERNS))), st.sampled_from([1, 3, 1000]))
def test_search_is_the_plain_search(data, which, copies):
    """The first match found from the rare byte's positions is the pattern's own first match, whether the byte
    is absent, everywhere, or in more candidates than are tried one by one (then the plain search goes on)."""
    pattern, byte, k = _PATTERNS[which]
    data = data * copies
    got, want = search(pattern, data, byte, k), pattern.search(data)
    assert (got and (got.start(), got.group())) == (want and (want.start(), want.group()))
