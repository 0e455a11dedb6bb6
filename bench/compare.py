"""Before/after comparison: every output the core produces, on fixed provinces, snapshotted and diffed.

    python bench/compare.py snapshot OUT [--sizes 2000 30000] [--data DIR]
    python bench/compare.py diff BEFORE AFTER

A snapshot holds, per province (the demo master and its returned files, the seed province of the
tests, the bench province at each size): the findings (JSON, with a 100,000-row register for the
bench sizes), the nominations and initiatives frames, every per-award list, the counts, the
consolidation JSON, the file reports and the units/config/year read. `diff` says exactly what changed, or nothing.
Run `snapshot` on the code before a change and after it; outputs must be identical.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import pickle
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def provinces(data: Path, sizes: list[int]) -> dict[str, dict]:
    """name -> {"paths": [...], "history": db or None}, generated once into `data` (deterministic)."""
    import contextlib
    import io

    out: dict[str, dict] = {}
    demo = data / "demo"
    if not (demo / "done").is_file():
        from thidua_xl.cli import main as cli_main

        with contextlib.redirect_stdout(io.StringIO()):
            cli_main(["demo", "--out", str(demo)])
        (demo / "done").write_text("ok")
    masters = sorted(demo.glob("*.xlsx"))
    master = next((m for m in masters if "ThiDua" in m.name or "tong-hop" in m.name.lower()), None)
    returned = [d for d in sorted(demo.iterdir()) if d.is_dir() and any(d.glob("*.xlsx"))]
    if master is not None:
        out["demo-master"] = {"paths": [master], "history": None}
    for d in returned:
        out[f"demo-{d.name}"] = {"paths": [d], "history": None}

    seed = data / "seed"
    if not (seed / "done").is_file():
        from thidua_xl.sample import add_initiatives, generate, write_unit_files

        p = generate()
        add_initiatives(p)
        seed.mkdir(parents=True, exist_ok=True)
        write_unit_files(p, seed)
        (seed / "done").write_text("ok")
    out["seed"] = {"paths": [seed], "history": None}

    from bench import run as bench

    for rows in sizes:
        folder = data / f"p{rows}"
        bench.make_province(rows, folder)
        db = folder / "history.sqlite"
        if not db.is_file():
            from thidua_xl import history as hist_mod

            hist_mod.add_records(db, bench.history_records(folder), source="bench")
        out[f"bench-{rows}"] = {"paths": [folder], "history": db}
    return out


def outputs(paths, history) -> dict:
    """Everything intake → validate → consolidate produces, as plain picklable data."""
    from thidua_xl.pipeline import resolve_year, totals
    from thidua_xl.intake import read_paths
    from thidua_xl.validate import validate

    intake = read_paths(paths)
    year = resolve_year(None, intake)
    findings = validate(intake, year, history=history)
    result = totals(intake, year)
    return {
        "year": year,
        "findings": [f.to_dict() for f in findings],
        "nominations": intake.nominations.reset_index(drop=True),
        "initiatives": intake.initiatives.reset_index(drop=True),
        "intake_findings": [f.to_dict() for f in intake.findings],
        "files": [dataclasses.asdict(f) for f in intake.files],
        "units": intake.units.reset_index(drop=True),
        "config": dict(intake.config), "narrative": dict(intake.narrative),
        "consolidation": result.to_json(),
        "counts": result.counts,
        "lists": {k: v.reset_index(drop=True) for k, v in result.lists.items()},
        "unit_order": list(result.units),
    }


def snapshot(out: Path, data: Path, sizes: list[int], folders: list[str] = (), only: bool = False) -> None:
    out.mkdir(parents=True, exist_ok=True)
    chosen = {} if only else provinces(data, sizes)
    for spec in folders:  # NAME=PATH: any other folder or file, e.g. old-encoding files
        name, _, path = spec.partition("=")
        chosen[name] = {"paths": [Path(path)], "history": None}
    for name, p in chosen.items():
        got = outputs(p["paths"], p["history"])
        with open(out / f"{name}.pkl", "wb") as fh:
            pickle.dump(got, fh)
        (out / f"{name}.json").write_text(json.dumps(
            {"findings": got["findings"], "consolidation": got["consolidation"]}, ensure_ascii=False, indent=1,
            default=str), "utf-8")
        print(f"{name}: {len(got['nominations'])} rows, {len(got['findings'])} findings")


def _frame_diff(a, b) -> str | None:
    import pandas as pd

    try:
        pd.testing.assert_frame_equal(a, b, check_dtype=True, check_exact=True)
    except AssertionError as exc:
        return str(exc)[:2000]
    return None


def diff(before: Path, after: Path) -> int:
    import pandas as pd

    problems = 0
    for fa in sorted(before.glob("*.pkl")):
        fb = after / fa.name
        if not fb.is_file():
            print(f"{fa.stem}: missing after")
            problems += 1
            continue
        before_file = problems
        a, b = pickle.loads(fa.read_bytes()), pickle.loads(fb.read_bytes())
        for key in a:
            va, vb = a[key], b.get(key)
            if isinstance(va, pd.DataFrame):
                d = _frame_diff(va, vb)
            elif isinstance(va, dict) and va and all(isinstance(v, pd.DataFrame) for v in va.values()):
                d = None if list(va) == list(vb) else f"keys {list(va)} != {list(vb)}"
                for k in va if d is None else ():
                    d = d or (lambda x: x and f"[{k}] {x}")(_frame_diff(va[k], vb[k]))
            else:
                d = None if va == vb else _first_difference(va, vb)
            if d:
                problems += 1
                print(f"{fa.stem}.{key}: {d}")
        if problems == before_file:
            print(f"{fa.stem}: identical")
    return 1 if problems else 0


def _first_difference(a, b) -> str:
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return f"item {i}: {x!r} != {y!r}"
        return f"length {len(a)} != {len(b)}"
    return f"{str(a)[:500]} != {str(b)[:500]}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("snapshot")
    s.add_argument("out", type=Path)
    s.add_argument("--sizes", type=int, nargs="*", default=[2000, 30000])
    s.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "thidua-compare-data")
    s.add_argument("--folder", action="append", default=[], metavar="NAME=PATH", help="also this folder or file")
    s.add_argument("--only", action="store_true", help="only the --folder inputs")
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "snapshot":
        snapshot(args.out, args.data, args.sizes, args.folder, args.only)
        return 0
    return diff(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
