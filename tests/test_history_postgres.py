"""The awards register on a PostgreSQL server shared by the office (`--history postgresql://…`).

A throwaway server is started for these tests (initdb into a temporary folder, pg_ctl on a
free port; as the `postgres` system user when the tests run as root, since postgres refuses
root). Skipped only when the PostgreSQL binaries are not installed.
"""
from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest
from validate_helpers import person, write_unit

from thidua_xl import history, store
from thidua_xl.cli import main
from thidua_xl.intake import read_paths
from thidua_xl.validate import validate


def _bin_dir() -> Path | None:
    """Debian's server binaries (/usr/lib/postgresql/N/bin), else initdb found on the PATH."""
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(Path(d).parent.name)
                  if Path(d).parent.name.isdigit() else 0, reverse=True)
    for d in dirs:
        if Path(d, "initdb").exists() and Path(d, "pg_ctl").exists():
            return Path(d)
    found = shutil.which("initdb")
    return Path(found).parent if found and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pg_url():
    bindir = _bin_dir()
    if bindir is None:
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_user: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root: run it as the postgres system user
        if shutil.which("runuser") is None:
            pytest.skip("running as root without runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="thidua-pg-"))
    data = base / "data"
    if as_user:
        shutil.chown(base, "postgres")
        os.chmod(base, 0o700)
    port = _free_port()
    log = base / "server.log"

    def run(*args):
        return subprocess.run([*as_user, *map(str, args)], check=True, capture_output=True, text=True, timeout=120)

    run(bindir / "initdb", "-D", data, "-U", "thidua", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
    run(bindir / "pg_ctl", "-D", data, "-l", log, "-w", "-t", "60", "-o",
        f"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={base}", "start")
    url = f"postgresql://thidua@127.0.0.1:{port}/postgres"  # the database initdb creates
    try:
        yield url
    finally:
        store.dispose(url)
        subprocess.run([*as_user, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_import_archive_and_history_rules_against_a_postgresql_server(pg_url, tmp_path):
    old = tmp_path / "lich-su.csv"
    old.write_text("Họ và tên,Ngày sinh,Đơn vị,Năm,Hình thức,Số quyết định\n"
                   "Nguyễn Văn An,13/02/1980,Bệnh viện A,2022,CSTĐCS,12/QĐ-SYT\n"
                   "Nguyễn Văn An,13/02/1980,Bệnh viện A,2023,CSTĐCS,15/QĐ-SYT\n", encoding="utf-8")
    assert main(["history", "import", str(old), "--history", pg_url]) == 0
    assert main(["history", "import", str(old), "--history", pg_url]) == 0  # twice: nothing twice
    assert history.count(pg_url) == 2
    assert store.dialect(pg_url) == "postgresql"
    unit = write_unit(tmp_path / "BV.xlsx", "Bệnh viện A", [person("Nguyễn Văn An", "CSTĐCS")],
                      year=2024)
    assert main(["history", "archive", str(unit), "--year", "2024", "--history", pg_url]) == 0
    assert history.count(pg_url) == 2 and history.pending_count(pg_url) == 1  # a proposal is not an award
    assert main(["history", "archive", str(unit), "--year", "2024", "--history", pg_url,
                 "--so-quyet-dinh", "20/QĐ-SYT"]) == 0
    assert history.pending_count(pg_url) == 0
    assert history.years_covered(pg_url) == {2022, 2023, 2024}
    got = history.person_awards(pg_url, "nguyễn  văn an", "13/02/1980")
    assert list(got["year"]) == [2022, 2023, 2024] and list(got["so_quyet_dinh"])[:2] == ["12/QĐ-SYT", "15/QĐ-SYT"]
    # the register on the server feeds the same history rules as a file would
    frame = history.load_frame(pg_url, years=(2019, 2024), columns=history.JOIN_COLUMNS)
    assert len(frame) == 3 and set(frame["award"]) == {"CSTDCS"}
    intake = read_paths([unit])
    assert validate(intake, 2025, history=pg_url) is not None


def test_a_server_that_does_not_answer_is_a_plain_message(capsys, tmp_path):
    port = _free_port()
    old = tmp_path / "lich-su.csv"
    old.write_text("Họ và tên,Năm,Hình thức\nNguyễn Văn An,2022,LĐTT\n", encoding="utf-8")
    code = main(["history", "import", str(old), "--history", f"postgresql://thidua:bi-mat@127.0.0.1:{port}/x"])
    err = capsys.readouterr().err
    assert code == 2 and "Không mở được máy chủ sổ lịch sử" in err and "bi-mat" not in err
