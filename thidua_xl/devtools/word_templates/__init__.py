"""Builds the Word templates (thidua_xl/documents/templates/*.docx) reproducibly from python-docx."""
from __future__ import annotations

from .documents import BUILDERS, build_all

__all__ = ["BUILDERS", "build_all"]
