"""Parsing the parts of workbooks the tool rewrites (collect, --into), with the pre-check's guarantees."""
from __future__ import annotations

import re

from ..safety import Refused

_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


def parse_xml(data: bytes, *, huge: bool = False):
    """lxml tree of a workbook part, refusing any DTD or entity (the bomb and XXE vectors).

    The rewriting code needs lxml (it keeps namespaces and unknown elements byte-faithful),
    so instead of defusedxml's wrapper it gets the same guarantees here: DTDs refused up
    front, no entity resolution, no network; `huge` only lifts libxml2's depth/size caps
    for big sheets, which the zip limits of `inspect` already bound.
    """
    from lxml import etree

    if _DTD.search(data):
        raise Refused("phần XML trong tệp có khai báo DOCTYPE/ENTITY (có thể là “bom XML”), không xử lý")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge)
    return etree.fromstring(data, parser=parser)
