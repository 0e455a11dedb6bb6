"""How close to the floor a command can come when its intake costs nothing: the bound of issue 18's target.

    python bench/bound.py [--sizes 30000] [--master] [--rounds 10] [--data DIR]

Each round runs, interleaved, three processes per command (`thidua consolidate`, `thidua validate --history`, and
with `--master` the ribbon's click, `thidua validate` of a 2,500-row master):

- the floor (bench/run.py's FLOOR_PROCESS: imports Polars and fastexcel, loads every sheet of the same files);
- the command itself, as a user runs it;
- the command **after a free intake** (BOUND_PROCESS): the same command line, except that reading the inputs is
  replaced by exactly the floor's read of the same files followed by the Intake the command would have read, taken
  from a pickle made beforehand. Its time, less the unpickling (measured inside the process), is the floor plus
  everything the command does after its intake: its own imports, normalisation, every rule of the award year with
  the register, the findings JSON, the table printed, the audit line.

The last column is that bound over the floor: what the command would measure if intake (header finding, units,
row classification, cleaning, keys, dates, the pre-check) cost no more than the floor's own read. Before timing,
each command's outputs (JSON, and the text printed) after a free intake are checked identical to the real run's.
"""
from __future__ import annotations

import argparse
import json
import os
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

import ab  # noqa: E402 - bench/ab.py: timed processes, the register
import run as bench  # noqa: E402 - bench/run.py: the provinces, the floor

# argv: PICKLE SECONDS_FILE, then the command line (as for `python -m thidua_xl`)
BOUND_PROCESS = """
import os, pickle, runpy, sys, time
os.environ["THIDUA_NO_EARLY_READ"] = "1"  # no reader threads and no pre-check child: the floor's read stands in
import fastexcel, polars
import thidua_xl.pipeline as pipeline
from thidua_xl.intake import expand_paths
pkl, seconds = sys.argv[1], sys.argv[2]

def load(paths, progress=None):
    files, _missing = expand_paths(paths)
    for f in files:
        reader = fastexcel.read_excel(f)
        for name in reader.sheet_names:
            reader.load_sheet(name, header_row=None).to_polars()
    t = time.perf_counter()
    with open(pkl, "rb") as fh:
        intake = pickle.load(fh)
    with open(seconds, "w") as fh:
        fh.write(repr(time.perf_counter() - t))
    return intake

pipeline.load = load
sys.argv = ["thidua_xl"] + sys.argv[3:]
runpy.run_module("thidua_xl", run_name="__main__", alter_sys=True)
"""

PICKLE_PROCESS = """
import pickle, sys
from thidua_xl import pipeline
with open(sys.argv[1], "wb") as fh:
    pickle.dump(pipeline.load(sys.argv[2:]), fh, protocol=pickle.HIGHEST_PROTOCOL)
"""


def _run(cmd: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=bench.process_env(), capture_output=True, check=False)


def _same_outputs(real: subprocess.CompletedProcess, bound: subprocess.CompletedProcess, outputs: list[Path],
                  copies: list[Path]) -> None:
    """The command after a free intake says what the real command said (its JSON and its text, but for the
    seconds and paths that differ from run to run)."""
    def text(proc):
        return [line for line in proc.stdout.decode("utf-8", "replace").splitlines()
                if "giây" not in line and "Đã ghi" not in line]

    if real.returncode != bound.returncode or text(real) != text(bound):
        raise RuntimeError(f"after a free intake the command said something else (rc {real.returncode} "
                           f"against {bound.returncode}): {bound.stderr.decode('utf-8', 'replace')[-400:]}")
    for a, b in zip(outputs, copies):
        if json.loads(a.read_text(encoding="utf-8")) != json.loads(b.read_text(encoding="utf-8")):
            raise RuntimeError(f"after a free intake {a.name} differs from the real run's")


def measure(name: str, target: Path, files: list[Path], db: Path | None, rounds: int, checkout: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix="thidua-bound-"))
    try:
        pkl, seconds = out / "intake.pkl", out / "unpickle.txt"
        made = _run([sys.executable, "-c", PICKLE_PROCESS, str(pkl), str(target)], checkout)
        if made.returncode:
            raise RuntimeError(made.stderr.decode("utf-8", "replace")[-400:])
        floor = [sys.executable, "-c", bench.FLOOR_PROCESS, *map(str, files)]
        real = ab.commands(target, db, out)
        bound = {kind: [sys.executable, "-c", BOUND_PROCESS, str(pkl), str(seconds), *cmd[3:]]
                 for kind, cmd in real.items()}
        outputs = {"consolidate": [out / "tong-hop.json"], "validate": [out / "kiem-tra.json"] if db else []}

        def fresh_register():
            if db is not None:
                shutil.copyfile(db, out / "history.sqlite")

        for kind in real:  # warm: the bytecode cached, the files in the page cache; and the outputs compared
            fresh_register()
            r = _run(real[kind], checkout)
            kept = []
            for p in outputs[kind]:
                kept.append(p.with_suffix(".real.json"))
                shutil.copyfile(p, kept[-1])
            fresh_register()
            b = _run(bound[kind], checkout)
            _same_outputs(r, b, outputs[kind], kept)
        got: dict = {"floor": []}
        for _r in range(rounds):
            got["floor"].append(ab.timed(floor, out)[0])
            for kind in real:
                fresh_register()
                got.setdefault((kind, "real"), []).append(ab.timed(real[kind], checkout)[0])
                fresh_register()
                wall = ab.timed(bound[kind], checkout)[0]
                got.setdefault((kind, "bound"), []).append(wall - float(seconds.read_text()))
        med = {key: statistics.median(v) for key, v in got.items()}
        return {"name": name, "rounds": rounds, "load": os.getloadavg()[0], "medians": med, "kinds": list(real)}
    finally:
        shutil.rmtree(out, ignore_errors=True)


def table(res: dict) -> str:
    floor = res["medians"]["floor"]
    lines = [f"{res['name']}: {res['rounds']} rounds, load {res['load']:.2f}, floor {floor:.3f} s",
             "| command | as run s (× floor) | after a free intake s (× floor) | the intake's part s |",
             "|---|---|---|---|"]
    for kind in res["kinds"]:
        real, bound = res["medians"][(kind, "real")], res["medians"][(kind, "bound")]
        lines.append(f"| {kind} | {real:.3f} ({real / floor:.2f}) | {bound:.3f} ({bound / floor:.2f}) "
                     f"| {real - bound:.3f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--checkout", type=Path, default=HERE.parent)
    ab.province_arguments(ap)
    args = ap.parse_args(argv)
    checkout = args.checkout.resolve()
    results = []
    for rows in args.sizes:
        folder = args.data / f"p{rows}"
        bench.make_province(rows, folder)
        files = sorted(p for p in folder.iterdir() if p.suffix == ".xlsx")
        db = ab.register(args.data, rows, args.history_rows)
        results.append(measure(f"{rows:,} rows", folder, files, db, args.rounds, checkout))
        print(table(results[-1]), flush=True)
    if args.master:
        master = bench.make_master(args.data, args.master_rows)
        results.append(measure(f"master of {args.master_rows:,} rows", master, [master], None, args.rounds,
                               checkout))
        print(table(results[-1]), flush=True)
    return results


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"({time.perf_counter() - t0:.0f} s)")
