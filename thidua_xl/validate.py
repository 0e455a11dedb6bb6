"""Validation: runs the checks over the nominations and returns findings.

Placeholder of the foundation: it passes intake's own findings through and checks
the two required fields; the rules engine (issue: Validation) replaces it.
"""
from __future__ import annotations

import pandas as pd

from .model import ERROR, Finding


def validate(intake, year: int, history=None, rules=None) -> list[Finding]:
    findings = list(intake.findings)
    df: pd.DataFrame = intake.nominations
    for col, label in (("ho_ten", "Họ và tên"), ("hinh_thuc", "Hình thức đề nghị")):
        for r in df[df[col] == ""].itertuples():
            findings.append(Finding("MISSING_FIELD", ERROR, f"Thiếu “{label}”.", file=r.file, sheet=r.sheet,
                                    row=int(r.row), column=label, unit=r.unit, rule="REQUIRED"))
    return findings
