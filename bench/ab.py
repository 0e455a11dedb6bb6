"""Two checkouts of the tool timed against each other, run by run, on the bench's provinces.

    python bench/ab.py BEFORE AFTER [--sizes 30000 120000] [--master] [--rounds 10] [--data DIR]

BEFORE and AFTER are checkouts (a `git worktree` of the older commit, and this one). Each round runs the floor
(a process that only imports Polars and reads the same files with fastexcel, bench/run.py's FLOOR_PROCESS), then
`thidua consolidate` and `thidua validate --history` (a fresh copy of the 100,000-row register each time) of each
checkout, the two in alternating order; `--master` adds the ribbon's click (`thidua validate` of a 2,500-row
master). Each command is `python -m thidua_xl` started in the checkout's folder, so that the checkout's own
package is imported; the bytecode of both is cached first by one untimed run each.

The table gives the medians of the wall time and of the CPU time (user and system, the process and its child)
and each median over the floor's. On a shared machine the wall time moves with the load, the CPU time much less,
and interleaving keeps a slow spell from landing on one side only. On Linux each run starts a session of its
own (`setsid`) and, where the user may, sets that session's scheduling group to nice -19: with autogroups on
(/proc/sys/kernel/sched_autogroup_enabled) a new session gets a group of its own at nice 0 whatever the process's
own nice value, so `nice` alone does not put the measured run ahead of other sessions' work.
"""
from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import run as bench  # noqa: E402 - bench/run.py: the provinces, the register, the floor

_PRIORITY = 'echo -19 > /proc/self/autogroup 2>/dev/null; exec nice -n -19 "$@" 2>/dev/null'


def launcher() -> list[str]:
    """What each timed command is started under: its own session at the highest priority allowed (Linux), else
    nothing."""
    if sys.platform.startswith("linux") and shutil.which("setsid") and shutil.which("nice"):
        return ["setsid", "-w", "sh", "-c", _PRIORITY, "sh"]
    return []


def timed(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one command; an exit other than 0 or 1 (errors found in the data) is a
    failure of the bench, with the command's last words."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(launcher() + cmd, cwd=cwd, env=bench.process_env(), stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[1:4]} in {cwd} exited {proc.returncode}: "
                           f"{proc.stderr.decode('utf-8', 'replace')[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def register(data: Path, rows: int, history_rows: int) -> Path:
    """The province's register (its own history topped up with other people), made once per size."""
    from thidua_xl import history

    db = data / f"h{rows}-{history_rows}.sqlite"
    if not db.is_file():
        work = db.with_suffix(".tmp")
        work.unlink(missing_ok=True)
        history.add_records(work, bench.history_records(data / f"p{rows}", n=history_rows), source="bench")
        work.replace(db)
    return db


def commands(target: Path, db: Path | None, out: Path) -> dict[str, list[str]]:
    """The commands of one province (a folder of unit files, or a master) for one checkout."""
    py = [sys.executable, "-m", "thidua_xl"]
    year = ["--year", str(bench.YEAR)]
    if target.is_file():  # the ribbon's click
        return {"validate": py + ["validate", str(target), *year]}
    return {"consolidate": py + ["consolidate", str(target), *year, "--json", str(out / "tong-hop.json")],
            "validate": py + ["validate", str(target), *year, "--json", str(out / "kiem-tra.json"),
                              "--history", str(out / "history.sqlite")]}


def compare(name: str, target: Path, files: list[Path], db: Path | None, sides: dict[str, Path],
            rounds: int) -> dict:
    """Interleaved rounds of the floor and each side's commands on one province: the medians."""
    out = Path(tempfile.mkdtemp(prefix="thidua-ab-"))
    floor = [sys.executable, "-c", bench.FLOOR_PROCESS, *map(str, files)]
    cmds = {side: commands(target, db, out) for side in sides}

    def once(side: str, kind: str) -> tuple[float, float]:
        if db is not None:
            shutil.copyfile(db, out / "history.sqlite")  # validate --history may add to the register
        return timed(cmds[side][kind], sides[side])

    got: dict = {"floor": []}
    timed(floor, out)
    for side in sides:  # the bytecode cached, the files in the page cache
        for kind in cmds[side]:
            once(side, kind)
    order = list(sides)
    for r in range(rounds):
        got["floor"].append(timed(floor, out))
        for kind in cmds[order[0]]:
            for side in (order if r % 2 == 0 else order[::-1]):
                got.setdefault((side, kind), []).append(once(side, kind))
    shutil.rmtree(out, ignore_errors=True)
    med = {key: (statistics.median(w for w, _c in runs), statistics.median(c for _w, c in runs))
           for key, runs in got.items()}
    return {"name": name, "rounds": rounds, "load": os.getloadavg()[0], "medians": med}


def table(res: dict, sides: dict[str, Path]) -> str:
    floor_wall, floor_cpu = res["medians"]["floor"]
    lines = [f"{res['name']}: {res['rounds']} rounds, load {res['load']:.2f}, floor {floor_wall:.3f} s "
             f"(CPU {floor_cpu:.3f} s)",
             "| command | " + " | ".join(f"{side} s (× floor) | {side} CPU s" for side in sides) + " |",
             "|---|" + "---|---|" * len(sides)]
    kinds = list(dict.fromkeys(key[1] for key in res["medians"] if key != "floor"))
    for kind in kinds:
        cells = []
        for side in sides:
            wall, cpu = res["medians"][(side, kind)]
            cells.append(f"{wall:.3f} ({wall / floor_wall:.2f}) | {cpu:.3f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def province_arguments(ap: argparse.ArgumentParser) -> None:
    """The options naming what is timed (sizes, the master, rounds, where the generated files are kept), shared
    with bench/bound.py."""
    ap.add_argument("--sizes", type=int, nargs="*", default=[30_000])
    ap.add_argument("--master", action="store_true", help="also the ribbon's click on a master")
    ap.add_argument("--master-rows", type=int, default=bench.MASTER_ROWS)
    ap.add_argument("--history-rows", type=int, default=bench.HISTORY_ROWS)
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "thidua-bench-data")


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before", type=Path)
    ap.add_argument("after", type=Path)
    province_arguments(ap)
    args = ap.parse_args(argv)
    sides = {"before": args.before.resolve(), "after": args.after.resolve()}
    for side, path in sides.items():
        if not (path / "thidua_xl" / "__main__.py").is_file():
            ap.error(f"{side}: {path} is not a checkout of the tool")
    results = []
    for rows in args.sizes:
        folder = args.data / f"p{rows}"
        bench.make_province(rows, folder)
        files = sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")
        db = register(args.data, rows, args.history_rows)
        results.append(compare(f"{rows:,} rows", folder, files, db, sides, args.rounds))
        print(table(results[-1], sides), flush=True)
    if args.master:
        master = bench.make_master(args.data, args.master_rows)
        results.append(compare(f"master of {args.master_rows:,} rows", master, [master], None, sides, args.rounds))
        print(table(results[-1], sides), flush=True)
    return results


if __name__ == "__main__":
    main()
