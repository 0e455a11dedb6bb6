"""Benchmark: a whole province, timed stage by stage against the cost of just reading the files.

    python bench/run.py                    # 30,000 / 60,000 / 120,000 nominations, 60 units, 100,000 history rows
    python bench/run.py --small            # 2,000 nominations (CI)
    python bench/run.py --sizes 30000 --json out.json

Besides the sizes, `thidua validate` of one master of 2,500 rows (--master-rows) runs as a ribbon click
does, in a fresh process, against a process that only imports Polars and reads that workbook with fastexcel.

Each size runs in its own process (clean peak memory, warm imports excluded from the stage
times). The generated unit files are cached in --data (default: a temp folder).
Targets: whole-process `consolidate` and `validate --history` (100,000-row register) <= 1.5 x a process
that only reads the same files with fastexcel, at every size; the whole pipeline for 30,000 nominations
< 10 s; peak memory < 1 GB; time roughly linear in rows. The machine's load average is recorded with
each size: on a shared machine the ratios move with it.

Whole processes run with a bytecode cache, as an installed copy has: PYTHONDONTWRITEBYTECODE is unset and
PYTHONPYCACHEPREFIX points at one temporary folder for the floor and the tool alike, and each command runs
once untimed first (so neither side pays compiling its sources, which a development shell may force).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

UNITS = 60
HISTORY_ROWS = 100_000
SIZES = (30_000, 60_000, 120_000)
SMALL = 2_000
YEAR = 2024

_DISTRICTS = ["Bát Xát", "Bảo Thắng", "Bảo Yên", "Bắc Hà", "Mường Khương", "Si Ma Cai", "Văn Bàn", "Sa Pa",
              "Lào Cai", "Yên Bái", "Lục Yên", "Văn Yên", "Mù Cang Chải", "Trạm Tấu", "Trấn Yên", "Văn Chấn",
              "Yên Bình", "Nghĩa Lộ", "Than Uyên", "Tân Uyên"]
_KINDS = ["Trung tâm Y tế huyện", "Bệnh viện Đa khoa huyện", "Phòng Y tế huyện"]
_SPECIAL = ["Bệnh viện Đa khoa tỉnh", "Bệnh viện Sản Nhi", "Bệnh viện Y học cổ truyền", "Bệnh viện Nội tiết",
            "Bệnh viện Phổi", "Bệnh viện Tâm thần", "Bệnh viện Mắt", "Bệnh viện Phục hồi chức năng",
            "Trung tâm Kiểm soát bệnh tật tỉnh", "Trung tâm Kiểm nghiệm", "Trung tâm Pháp y", "Trung tâm Giám định y khoa",
            "Trường Cao đẳng Y tế", "Văn phòng Sở Y tế", "Chi cục Dân số", "Chi cục An toàn thực phẩm",
            "Trung tâm Cấp cứu 115", "Trung tâm Truyền máu", "Bệnh viện Lao", "Bệnh viện Ung bướu"]


def province_units(n: int = UNITS, seed: int = 60) -> list[tuple[str, str, str, float]]:
    """n units with uneven sizes, as (code, name, email, weight) for sample.generate."""
    rng = random.Random(seed)
    names = list(_SPECIAL) + [f"{k} {d}" for d in _DISTRICTS for k in _KINDS]
    out = []
    for i, name in enumerate(names[:n]):
        code = f"DV{i + 1:02d}"
        out.append((code, name, f"{code.lower()}@syt.example.vn", rng.uniform(0.3, 3.0)))
    return out


def make_province(rows: int, folder: Path, seed: int = 2024) -> dict:
    """Unit files for a province of about `rows` nominations (cached by size), plus history records."""
    from thidua_xl.sample import SEED_2020, generate, write_unit_files

    marker = folder / "province.json"
    if marker.is_file():
        return json.loads(marker.read_text("utf-8"))
    folder.mkdir(parents=True, exist_ok=True)
    base = sum(v for d in SEED_2020.values() for v in d.values())
    t = time.perf_counter()
    p = generate(year=YEAR, seed=seed, units=province_units(), scale=rows / base, history_years=3)
    write_unit_files(p, folder, messy_every=3)
    info = {"nominations": int(len(p.nominations)), "units": int(len(p.units)), "generate_s": time.perf_counter() - t}
    p.history.to_pickle(folder / "history-seed.pkl")
    marker.write_text(json.dumps(info), "utf-8")
    return info


def history_records(folder: Path, n: int = HISTORY_ROWS, seed: int = 7):
    """The province's own history (so the history rules find matches) topped up with other people to n rows."""
    import pandas as pd

    from thidua_xl.catalog import CA_NHAN
    from thidua_xl.sample import _People

    own = pd.read_pickle(folder / "history-seed.pkl")
    rng = random.Random(seed)
    people = _People(rng, YEAR)
    extra = []
    awards = ["LDTT"] * 7 + ["CSTDCS", "GK", "BK_TINH"]
    while len(own) + len(extra) < n:
        p = people.new()
        for back in range(1, 6):
            extra.append({"ho_ten": p["ho_ten"], "ngay_sinh": p["ngay_sinh"], "unit": "Bệnh viện Đa khoa tỉnh",
                          "nam": YEAR - back, "award": rng.choice(awards)})
    df = pd.concat([own, pd.DataFrame(extra)], ignore_index=True).head(n)
    return pd.DataFrame({
        "ho_ten": df["ho_ten"],
        "ngay_sinh": [d.isoformat() if d is not None and not pd.isna(d) else "" for d in df["ngay_sinh"]],
        "nam_sinh": [d.year if d is not None and not pd.isna(d) else None for d in df["ngay_sinh"]],
        "don_vi": df["unit"], "nam": df["nam"].astype(int), "award": df["award"], "hinh_thuc": "",
        "subject": CA_NHAN, "so_quyet_dinh": "",
    })


def read_floor(files: list[Path]) -> int:
    """What any tool must pay: python-calamine reading every sheet of every file into Python lists."""
    import python_calamine as pc

    cells = 0
    for f in files:
        wb = pc.CalamineWorkbook.from_path(str(f))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
        wb.close()
    return cells


def read_floor_threads(files: list[Path], workers: int = 2) -> int:
    """The same read in `workers` threads, as intake reads (python-calamine parses without the GIL)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(lambda f: read_floor([f]), files))


def read_floor_fastexcel(files: list[Path]) -> int | None:
    """fastexcel (Arrow, no Python objects per cell), when installed: the cheapest possible read."""
    try:
        import fastexcel
    except ImportError:
        return None
    cells = 0
    for f in files:
        reader = fastexcel.read_excel(str(f))
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None, dtypes="string")
            cells += sheet.height * sheet.width
    return cells


# --- whole processes: what a user waits for, interpreter start and imports included --------------
FLOOR_PROCESS = """
import sys, fastexcel, polars
rows = 0
for f in sys.argv[1:]:
    reader = fastexcel.read_excel(f)
    for name in reader.sheet_names:
        rows += reader.load_sheet(name, header_row=None).to_polars().height
print(rows)
"""
# The naive peer: what a careful analyst would write with pandas alone (every sheet of every file,
# one frame, counted by award), no header finding, no checks.
NAIVE_PROCESS = """
import sys, pandas as pd
frames = []
for f in sys.argv[1:]:
    for name, df in pd.read_excel(f, sheet_name=None, header=None, engine="calamine", dtype=str).items():
        frames.append(df)
all_rows = pd.concat(frames, ignore_index=True)
print(len(all_rows), all_rows.iloc[:, min(6, all_rows.shape[1] - 1)].value_counts().head(3).to_dict())
"""


# Runs a Python command and, at its exit, writes the process's own peak RSS (VmHWM: the rusage of a
# child keeps the parent's peak across exec, so it cannot be used here).
PEAK_WRAPPER = """
import atexit, runpy, sys
peak_file, mode, target = sys.argv[1:4]
def _peak():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                open(peak_file, "w").write(line.split()[1])
    except OSError:
        pass
atexit.register(_peak)
sys.argv = [target, *sys.argv[4:]]
if mode == "-m":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    exec(compile(target, "<bench>", "exec"), {"__name__": "__main__"})
"""


def process_env() -> dict:
    """The environment of the timed processes: bytecode written and read in one cache folder shared by the
    floor and the tool (an installed package has its .pyc; a shell with PYTHONDONTWRITEBYTECODE would
    make the tool recompile its own sources on every run while the libraries keep theirs)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    prefix = env.get("THIDUA_BENCH_PYCACHE")
    if not prefix:
        prefix = tempfile.mkdtemp(prefix="thidua-bench-pyc-")
        os.environ["THIDUA_BENCH_PYCACHE"] = env["THIDUA_BENCH_PYCACHE"] = prefix  # the size processes share it
    env["PYTHONPYCACHEPREFIX"] = prefix
    return env


def timed_processes(cmd: list[str], repeat: int) -> list[tuple[float, float | None, float]]:
    """One untimed warm-up run (the bytecode cache filled), then `repeat` timed runs."""
    run_process(cmd)
    return [run_process(cmd) for _ in range(repeat)]


def run_process(cmd: list[str]) -> tuple[float, float | None, float]:
    """(wall seconds, peak RSS MB or None, CPU seconds) of one Python process (`python -m X …` / `python -c CODE …`).

    The CPU seconds (user + system, all threads) move much less than the wall time with the load
    of a shared machine; the wall time is what a user waits for.
    """
    assert cmd[1] in ("-m", "-c")
    with tempfile.NamedTemporaryFile(prefix="thidua-peak-", delete=False) as fh:
        peak_file = Path(fh.name)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run([cmd[0], "-c", PEAK_WRAPPER, str(peak_file), *cmd[1:]], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False, env=process_env())
    seconds = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    try:
        text = peak_file.read_text().strip()
        peak_file.unlink()
    except OSError:
        text = ""
    if proc.returncode not in (0, 1):  # 1: the run found errors in the data, a normal outcome
        raise RuntimeError(f"{cmd[1:4]} exited {proc.returncode}: {proc.stderr.decode('utf-8', 'replace')[-500:]}")
    return seconds, int(text) / 1024 if text.isdigit() else None, cpu


def whole_processes(folder: Path, files: list[Path], db: Path | None, out: Path, repeat: int) -> dict:
    """consolidate and validate as a user runs them, against a process that only reads the same files."""
    py = sys.executable
    names = [str(f) for f in files]
    res: dict = {}
    runs = {
        "proc_floor": [py, "-c", FLOOR_PROCESS, *names],
        "proc_naive": [py, "-c", NAIVE_PROCESS, *names],
        "proc_consolidate": [py, "-m", "thidua_xl", "consolidate", str(folder), "--year", str(YEAR),
                             "--json", str(out / "tong-hop.json")],
        "proc_validate": [py, "-m", "thidua_xl", "validate", str(folder), "--year", str(YEAR),
                          "--json", str(out / "kiem-tra.json")] + (["--history", str(db)] if db else []),
    }
    for key, cmd in runs.items():
        try:
            got = timed_processes(cmd, repeat)
        except Exception as exc:  # noqa: BLE001 - e.g. fastexcel not installed: say so in the table
            res[key + "_error"] = f"{type(exc).__name__}: {exc}"[:300]
            continue
        res[key + "_s"] = statistics.median(g[0] for g in got)
        res[key + "_cpu_s"] = statistics.median(g[2] for g in got)
        peaks = [g[1] for g in got if g[1] is not None]
        res[key + "_peak_mb"] = max(peaks) if peaks else None
    floor = res.get("proc_floor_s")
    for key in ("proc_naive", "proc_consolidate", "proc_validate"):
        if floor and res.get(key + "_s"):
            res[key + "_over_floor"] = res[key + "_s"] / floor
        if res.get("proc_floor_cpu_s") and res.get(key + "_cpu_s"):
            res[key + "_cpu_over_floor"] = res[key + "_cpu_s"] / res["proc_floor_cpu_s"]
    return res


# --- one ribbon click: `thidua validate` of a master, against a process that only reads it ---------------
MASTER_ROWS = 2_500


def make_master(data: Path, rows: int = MASTER_ROWS) -> Path:
    """A master workbook holding a province of about `rows` nominations (its units' files collected into it),
    cached in `data` like the unit files."""
    import shutil

    import pandas as pd

    from thidua_xl.intake import read_paths
    from thidua_xl.workbook.collect import collect
    from thidua_xl.workbook.master import create_master

    master = data / f"master{rows}" / f"ThiDua-{rows}.xlsx"
    if master.is_file():
        return master
    folder = data / f"p{rows}"
    make_province(rows, folder)
    intake = read_paths([folder])
    units = pd.DataFrame([{"unit_code": f.unit_code or Path(f.file).stem, "unit": f.unit, "email": ""}
                          for f in intake.files if f.ok]).drop_duplicates("unit_code")
    work = Path(tempfile.mkdtemp(prefix="thidua-bench-master-"))
    made = create_master(work / master.name, YEAR, units)
    report = collect(folder, made, backup_dir=work / "sao-luu")
    if report.refused:
        raise RuntimeError(f"collect refused {len(report.refused)} bench files")
    master.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(made), str(master))  # only a finished master is cached
    shutil.rmtree(work, ignore_errors=True)
    return master


def master_processes(data: Path, repeat: int, rows: int = MASTER_ROWS) -> dict:
    """`thidua validate MASTER` as the ribbon's Kiểm tra runs it (a fresh process), against a process that only
    imports Polars and reads the same workbook with fastexcel (every sheet, as FLOOR_PROCESS)."""
    from thidua_xl.intake import read_paths

    master = make_master(data, rows)
    py = sys.executable
    res: dict = {"master_rows": int(len(read_paths([master]).nominations)), "load_before": _load()}
    runs = {"floor": [py, "-c", FLOOR_PROCESS, str(master)],
            "validate": [py, "-m", "thidua_xl", "validate", str(master), "--year", str(YEAR)]}
    for key, cmd in runs.items():
        got = timed_processes(cmd, repeat)
        res[key + "_s"] = statistics.median(g[0] for g in got)
        res[key + "_cpu_s"] = statistics.median(g[2] for g in got)
    res["validate_over_floor"] = res["validate_s"] / res["floor_s"]
    res["validate_cpu_over_floor"] = res["validate_cpu_s"] / res["floor_cpu_s"]
    res["load_after"] = _load()
    return res


def master_table(m: dict) -> str:
    cols = [("master_rows", "master rows", "{:,}"), ("floor_s", "Polars + fastexcel read s", "{:.2f}"),
            ("validate_s", "`validate` s", "{:.2f}"), ("validate_over_floor", "validate/floor", "{:.2f}"),
            ("validate_cpu_over_floor", "validate/floor CPU", "{:.2f}"), ("load_before", "load before", "{:.1f}"),
            ("load_after", "load after", "{:.1f}")]
    return "\n".join(["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols),
                      "| " + " | ".join(c[2].format(m[c[0]]) if m.get(c[0]) is not None else "n/a" for c in cols)
                      + " |"])


def pdf_ldtt(out: Path, timeout: int = 1800) -> float | None:
    """LibreOffice converting the LĐTT decision written by render_ldtt (None without LibreOffice)."""
    from thidua_xl.documents.pdf import find_soffice, to_pdf

    docx = out / "Quyet-dinh-LDTT.docx"
    if not docx.is_file() or find_soffice() is None:
        return None
    t = time.perf_counter()
    to_pdf([docx], out / "pdf", timeout=timeout)
    return time.perf_counter() - t


def pyarrow_installed() -> bool:
    import importlib.util

    return importlib.util.find_spec("pyarrow") is not None


STAGE_PEAKS: dict[str, float] = {}


def timed(fn, repeat: int = 1, stage: str | None = None):
    """Median wall time of `repeat` runs; with `stage`, also the stage's own peak RSS (Linux)."""
    times, out = [], None
    for _ in range(repeat):
        if stage:
            _reset_peak_rss()
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
        if stage:
            STAGE_PEAKS[stage] = max(STAGE_PEAKS.get(stage, 0.0), _peak_rss_mb())
    return out, statistics.median(times)


def run_size(rows: int, data: Path, repeat: int, history: bool = True, processes: bool = True,
             pdf: bool = False) -> dict:
    """All stages for one size, in this process."""
    from thidua_xl import export, history as hist_mod
    from thidua_xl.intake import expand_paths, read_paths
    from thidua_xl.pipeline import totals
    from thidua_xl.validate import validate

    folder = data / f"p{rows}"
    info = make_province(rows, folder)
    files, _ = expand_paths([folder])
    out = Path(tempfile.mkdtemp(prefix="thidua-bench-out-"))
    res: dict = {"target_rows": rows, **info, "files": len(files), "load_before": _load()}

    db = None
    if history:
        recs = history_records(folder)
        db = out / "history.sqlite"
        _, res["history_import_s"] = timed(lambda: hist_mod.add_records(db, recs, source="bench"))
        res["history_rows"] = int(hist_mod.count(db))

    reset_peak = _reset_peak_rss()
    _, res["floor_s"] = timed(lambda: read_floor(files), repeat, "floor")
    _, res["floor_threads_s"] = timed(lambda: read_floor_threads(files), repeat)
    if read_floor_fastexcel(files[:1]) is not None:
        _, res["floor_fastexcel_s"] = timed(lambda: read_floor_fastexcel(files), repeat)
    intake, res["intake_s"] = timed(lambda: read_paths([folder]), repeat, "intake")
    res["rows"] = int(len(intake.nominations))
    res["bad_files"] = len(intake.bad_files)
    findings, res["validate_s"] = timed(lambda: validate(intake, YEAR, history=db), repeat, "validate")
    res["findings"] = len(findings)
    result, res["consolidate_s"] = timed(lambda: totals(intake, YEAR), repeat, "consolidate")
    _, res["write_xlsx_s"] = timed(lambda: export.write_consolidation(result, out / "Tong-hop.xlsx"), 1, "write_xlsx")
    try:
        _reset_peak_rss()
        res["render_ldtt_s"], res["ldtt_names"] = render_ldtt(intake, result, findings, out)
        STAGE_PEAKS["render_ldtt"] = _peak_rss_mb()
    except Exception as exc:  # noqa: BLE001 - the documents stage may not exist yet in this checkout
        res["render_ldtt_s"], res["render_error"] = None, f"{type(exc).__name__}: {exc}"
    res["collect_s"] = time_collect(intake, folder, out)
    if pdf and res.get("render_ldtt_s") is not None:
        res["pdf_ldtt_s"] = pdf_ldtt(out)
    if processes:
        res.update(whole_processes(folder, files, db, out, repeat))
    res["pyarrow"] = pyarrow_installed()
    res["load_after"] = _load()
    core = res["intake_s"] + res["validate_s"] + res["consolidate_s"]
    res["core_s"] = core
    res["core_over_floor"] = core / res["floor_s"] if res["floor_s"] else None
    res["core_over_floor_threads"] = core / res["floor_threads_s"] if res["floor_threads_s"] else None
    res["pipeline_s"] = core + res["write_xlsx_s"] + (res["render_ldtt_s"] or 0)
    res["peak_rss_mb"] = max([_peak_rss_mb(), *STAGE_PEAKS.values()]) if reset_peak else _peak_rss_mb()
    res["peak_scope"] = "pipeline stages" if reset_peak else "whole process (incl. generating the files)"
    res["stage_peak_mb"] = {k: round(v) for k, v in STAGE_PEAKS.items()}
    return res


def _load() -> float | None:
    """The 1-minute load average (other work on the machine slows every number here)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def _reset_peak_rss() -> bool:
    """Linux: forget the peak so far (file generation, history import), so the peak is the pipeline's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def _peak_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_collect(intake, folder: Path, out: Path) -> float | None:
    """`thidua collect` of every unit file into a fresh master: one load and one save of the master."""
    import pandas as pd

    from thidua_xl.workbook.collect import collect
    from thidua_xl.workbook.master import create_master

    units = pd.DataFrame([{"unit_code": f.unit_code or Path(f.file).stem, "unit": f.unit, "email": ""}
                          for f in intake.files if f.ok]).drop_duplicates("unit_code")
    master = create_master(out / "ThiDua-bench.xlsx", YEAR, units)
    report, seconds = timed(lambda: collect(folder, master, backup_dir=out / "sao-luu"), 1, "collect")
    if report.refused:
        raise RuntimeError(f"collect refused {len(report.refused)} bench files")
    return seconds


def render_ldtt(intake, result, findings, out: Path) -> tuple[float, int]:
    """The Giám đốc's LĐTT decision with its annex of every name (the biggest document)."""
    from thidua_xl.config import Config, narrative_from_kv
    from thidua_xl.documents import context as C
    from thidua_xl.documents.render import render_docx, split_lists, template_path

    config = Config.from_kv(intake.config)
    narrative = narrative_from_kv(intake.narrative)
    t = time.perf_counter()
    lists, _ = split_lists(result, findings)
    df = lists["LDTT"]
    ctx = C.quyet_dinh_context("LDTT", df, result, config, narrative, config.get("so_quyet_dinh"))
    rows = C.annex_rows([(None, df)], result)
    render_docx(template_path("quyet-dinh"), ctx, out / "Quyet-dinh-LDTT.docx", annex_rows=rows)
    return time.perf_counter() - t, int(len(df))


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu or platform.processor(), "cores": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}


def table(results: list[dict]) -> str:
    cols = [("target_rows", "rows (target)", "{:,}"), ("rows", "rows read", "{:,}"), ("files", "files", "{}"),
            ("floor_s", "read floor s", "{:.2f}"), ("floor_threads_s", "floor 2 threads s", "{:.2f}"),
            ("intake_s", "intake s", "{:.2f}"),
            ("validate_s", "validate s", "{:.2f}"), ("consolidate_s", "consolidate s", "{:.2f}"),
            ("core_over_floor", "core/floor", "{:.2f}"),
            ("core_over_floor_threads", "core/floor 2 threads", "{:.2f}"), ("collect_s", "collect s", "{:.2f}"),
            ("write_xlsx_s", "Tổng hợp.xlsx s", "{:.2f}"),
            ("render_ldtt_s", "QĐ LĐTT s", "{:.2f}"), ("pipeline_s", "pipeline s", "{:.2f}"),
            ("peak_rss_mb", "peak MB", "{:.0f}"), ("pdf_ldtt_s", "QĐ LĐTT PDF s", "{:.1f}")]
    lines = ["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        lines.append("| " + " | ".join(c[2].format(r[c[0]]) if r.get(c[0]) is not None else "n/a" for c in cols) + " |")
    return "\n".join(lines)


def process_table(results: list[dict]) -> str:
    """Whole processes (start, imports, reading included) against the fastexcel read floor."""
    cols = [("target_rows", "rows", "{:,}"), ("proc_floor_s", "fastexcel floor s", "{:.2f}"),
            ("proc_naive_s", "naive pandas s", "{:.2f}"), ("proc_naive_over_floor", "naive/floor", "{:.2f}"),
            ("proc_consolidate_s", "consolidate s", "{:.2f}"),
            ("proc_consolidate_over_floor", "consolidate/floor", "{:.2f}"),
            ("proc_validate_s", "validate s", "{:.2f}"), ("proc_validate_over_floor", "validate/floor", "{:.2f}"),
            ("proc_consolidate_cpu_over_floor", "consolidate/floor CPU", "{:.2f}"),
            ("proc_validate_cpu_over_floor", "validate/floor CPU", "{:.2f}"),
            ("proc_floor_peak_mb", "floor MB", "{:.0f}"), ("proc_consolidate_peak_mb", "consolidate MB", "{:.0f}"),
            ("proc_validate_peak_mb", "validate MB", "{:.0f}"), ("pdf_ldtt_s", "QĐ LĐTT PDF s", "{:.1f}"),
            ("ldtt_names", "LĐTT names", "{:,}"), ("load_before", "load before", "{:.1f}"),
            ("load_after", "load after", "{:.1f}")]
    lines = ["| " + " | ".join(c[1] for c in cols) + " |", "|" + "---|" * len(cols)]
    for r in results:
        lines.append("| " + " | ".join(c[2].format(r[c[0]]) if r.get(c[0]) is not None else "n/a" for c in cols) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=None)
    ap.add_argument("--small", action="store_true", help=f"one province of {SMALL:,} nominations (CI)")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "thidua-bench-data")
    ap.add_argument("--repeat", type=int, default=3, help="runs per stage (median)")
    ap.add_argument("--no-history", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--in-process", action="store_true", help="run sizes in this process (tests)")
    ap.add_argument("--no-processes", action="store_true", help="skip the whole-process runs")
    ap.add_argument("--pdf", action="store_true", help="also time LibreOffice on the LĐTT decision")
    ap.add_argument("--master-rows", type=int, default=MASTER_ROWS,
                    help="rows of the master `thidua validate` is timed on (a ribbon click)")
    ap.add_argument("--_one", type=int, help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a._one:
        print(json.dumps(run_size(a._one, a.data, a.repeat, history=not a.no_history,
                                  processes=not a.no_processes, pdf=a.pdf)))
        return []
    sizes = a.sizes or ([SMALL] if a.small else list(SIZES))
    results = []
    for n in sizes:
        if a.in_process:
            r = run_size(n, a.data, a.repeat, history=not a.no_history, processes=not a.no_processes, pdf=a.pdf)
        else:
            cmd = [sys.executable, __file__, "--_one", str(n), "--data", str(a.data), "--repeat", str(a.repeat)]
            cmd += ["--no-history"] if a.no_history else []
            cmd += ["--no-processes"] if a.no_processes else []
            cmd += ["--pdf"] if a.pdf else []
            proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if proc.returncode != 0:
                sys.stderr.write(proc.stderr)
                raise SystemExit(f"size {n} failed")
            r = json.loads(proc.stdout.strip().splitlines()[-1])
        results.append(r)
        print(f"{n:>7,} rows: floor {r['floor_s']:.2f}s (2 threads {r['floor_threads_s']:.2f}s"
              + (f", fastexcel {r['floor_fastexcel_s']:.2f}s" if r.get("floor_fastexcel_s") else "")
              + f"), intake {r['intake_s']:.2f}s, validate {r['validate_s']:.2f}s, "
              f"consolidate {r['consolidate_s']:.2f}s (core/floor {r['core_over_floor']:.2f}), "
              f"xlsx {r['write_xlsx_s']:.2f}s, QĐ LĐTT {r['render_ldtt_s'] or float('nan'):.2f}s, "
              f"pipeline {r['pipeline_s']:.2f}s, peak {r['peak_rss_mb']:.0f} MB {r.get('stage_peak_mb', '')}", flush=True)
    by = {r["target_rows"]: r for r in results}
    print()
    print(table(results))
    print()
    print(process_table(results))
    master = None
    if not a.no_processes:
        master = master_processes(a.data, a.repeat, a.master_rows)
        print()
        print(master_table(master))
        print(f"`thidua validate` of one master ({master['master_rows']:,} rows), a fresh process as a ribbon click "
              f"starts, against a process that only imports Polars and reads the same workbook with fastexcel: "
              f"{master['validate_over_floor']:.2f} x (target <= 1.5)")
    print(f"\nmachine: {machine()}; pyarrow installed: {pyarrow_installed()}")
    if not a.no_processes:
        print("whole processes: bytecode cached as an installed copy's (PYTHONPYCACHEPREFIX="
              f"{process_env()['PYTHONPYCACHEPREFIX']}, PYTHONDONTWRITEBYTECODE unset), one untimed warm-up run "
              "of each command, then the timed runs")
    for small, big in ((30_000, 60_000), (60_000, 120_000)):
        if small in by and big in by:
            ratio = by[big]["pipeline_s"] / by[small]["pipeline_s"]
            print(f"{big // 1000}k/{small // 1000}k pipeline time ratio: {ratio:.2f} (2.0 = linear)")
    if a.json:
        a.json.write_text(json.dumps({"machine": machine(), "results": results, "master": master}, ensure_ascii=False,
                                     indent=2), "utf-8")
    return results


if __name__ == "__main__":
    main()
