"""Shared fixtures: small real workbooks written by the tests themselves."""
from __future__ import annotations

import os
import shutil
import tempfile

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed sequence of examples, so a run is repeatable; locally they explore.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# xlwings' remote engine (used only by tests/test_xl.py to drive the Excel adapter without Excel)
# reads its licence key when xlwings.pro is first imported, whichever test imports it first.
# PolyForm Noncommercial covers government institutions; the product itself never needs a key.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
# runs that only read log in the user's own folder: keep the tests' logs out of the real one
os.environ["XDG_STATE_HOME"] = tempfile.mkdtemp(prefix="thidua-test-state-")
# the parsed rules are cached per user (rules/loading._cache_folder): keep the tests' cache out of the real one
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="thidua-test-cache-")

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture(scope="session")
def seed_province():
    """The 2020 Lào Cai province, its counts those of the Sở Y tế's 2020 summary report (section 4), as plain tables."""
    from thidua_xl.sample import add_initiatives, generate

    p = generate()
    add_initiatives(p)
    return p


@pytest.fixture(scope="session")
def seed_folder(tmp_path_factory, seed_province):
    """Its twelve unit files, half of them hand-made and messy."""
    from thidua_xl.sample import write_unit_files

    folder = tmp_path_factory.mktemp("don-vi-gui-ve")
    write_unit_files(seed_province, folder)
    return folder
