"""A realistic provincial health sector, generated: for the demo, the tests and the benchmark.

Deterministic for a given seed. `SEED_2020` reproduces the award counts of the
Lào Cai Sở Y tế 2020 summary report (section 4, results), so tests can check that the
tool counts exactly what the Sở reported.
"""
from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .catalog import CA_NHAN, TAP_THE, load_catalog
from .fileio import atomic_path
from .schema import INITIATIVE_KIND_LABEL, INITIATIVE_LEVEL_LABEL, INITIATIVES_SHEET
from .sample_people import AGES, SENIOR_AWARDS, birth_date, departments, full_name, position

# The Sở's units on today's map: since 2025 there is no district level, and the district health
# centres, kept under the Sở, are named by their area (Trung tâm Y tế khu vực …).
UNITS = [
    ("BVDKT", "Bệnh viện Đa khoa tỉnh", "bvdkt@syt.example.vn", 0.25),
    ("BVSN", "Bệnh viện Sản Nhi", "bvsn@syt.example.vn", 0.12),
    ("BVYHCT", "Bệnh viện Y học cổ truyền", "bvyhct@syt.example.vn", 0.06),
    ("BVNT", "Bệnh viện Nội tiết", "bvnt@syt.example.vn", 0.04),
    ("CDC", "Trung tâm Kiểm soát bệnh tật tỉnh", "cdc@syt.example.vn", 0.07),
    ("TTKN", "Trung tâm Kiểm nghiệm", "ttkn@syt.example.vn", 0.03),
    ("TTYT_LC", "Trung tâm Y tế khu vực Lào Cai", "ttyt.lc@syt.example.vn", 0.09),
    ("TTYT_BX", "Trung tâm Y tế khu vực Bát Xát", "ttyt.bx@syt.example.vn", 0.07),
    ("TTYT_SP", "Trung tâm Y tế khu vực Sa Pa", "ttyt.sp@syt.example.vn", 0.07),
    ("TTYT_BH", "Trung tâm Y tế khu vực Bắc Hà", "ttyt.bh@syt.example.vn", 0.06),
    ("TTYT_VB", "Trung tâm Y tế khu vực Văn Bàn", "ttyt.vb@syt.example.vn", 0.09),
    ("VP_SYT", "Văn phòng Sở Y tế", "", 0.05),
]

# The Lào Cai Sở Y tế 2020 summary report, section 4. Bằng khen cấp Tỉnh, Bộ, ngành 26 + 151: BK_TINH and BK_BO.
SEED_2020: dict[str, dict[str, int]] = {
    "CO_TINH": {TAP_THE: 1, CA_NHAN: 0},
    "TTUT": {TAP_THE: 0, CA_NHAN: 23},
    "BK_TTCP": {TAP_THE: 0, CA_NHAN: 3},
    "HCLD3": {TAP_THE: 0, CA_NHAN: 1},
    "BK_TINH": {TAP_THE: 18, CA_NHAN: 96},
    "BK_BO": {TAP_THE: 8, CA_NHAN: 55},
    "TTLDXS": {TAP_THE: 41, CA_NHAN: 0},
    "CSTD_TINH": {TAP_THE: 0, CA_NHAN: 13},
    "GK": {TAP_THE: 19, CA_NHAN: 339},
    "TTLDTT": {TAP_THE: 127, CA_NHAN: 0},
    "CSTDCS": {TAP_THE: 0, CA_NHAN: 200},
    "LDTT": {TAP_THE: 0, CA_NHAN: 1326},
}
SEED_2020_INITIATIVES = {("sang_kien", "co_so"): 193, ("de_tai", "co_so"): 28,
                         ("sang_kien", "tinh"): 9, ("de_tai", "tinh"): 1}

SANG_KIEN = ["Cải tiến quy trình {x}", "Ứng dụng kỹ thuật {x}", "Giải pháp nâng cao chất lượng {x}",
             "Đánh giá hiệu quả {x}", "Xây dựng phần mềm quản lý {x}"]
SK_TOPICS = ["tiếp đón người bệnh", "cấp phát thuốc", "chăm sóc người bệnh sau mổ", "xét nghiệm nhanh",
             "tiêm chủng mở rộng", "phòng chống nhiễm khuẩn", "hồ sơ bệnh án điện tử", "sàng lọc sơ sinh",
             "điều trị đái tháo đường", "phục hồi chức năng sau đột quỵ", "kiểm soát dịch Covid-19"]


@dataclass
class Province:
    """Plain tables: what a master workbook holds, before any file is written."""

    year: int
    units: pd.DataFrame  # unit_code, unit, email
    nominations: pd.DataFrame  # unit_code, unit, ho_ten, ngay_sinh, gioi_tinh, chuc_vu, khoa_phong, award, subject, sang_kien
    initiatives: pd.DataFrame  # unit_code, unit, ten, loai, cap, tac_gia, nam
    history: pd.DataFrame  # ho_ten, ngay_sinh, unit, nam, award


def _split(total: int, weights: list[float], rng: random.Random) -> list[int]:
    """Distribute total across units by weight, exactly (largest remainder)."""
    raw = [total * w / sum(weights) for w in weights]
    base = [int(x) for x in raw]
    rest = total - sum(base)
    order = sorted(range(len(raw)), key=lambda i: (raw[i] - base[i], rng.random()), reverse=True)
    for i in order[:rest]:
        base[i] += 1
    return base


class _People:
    """New people, each (name, birth year) once, of an age that fits the award, in one of the unit's departments."""

    def __init__(self, rng: random.Random, year: int):
        self.rng = rng
        self.year = year
        self.used: set[str] = set()

    def new(self, unit: str = "", award: str | None = None) -> dict:
        rng = self.rng
        for _ in range(1000):
            female = rng.random() < 0.62
            name = full_name(rng, female)
            born = birth_date(rng, self.year, award)
            key = f"{name}|{born.year}"
            if key not in self.used:
                self.used.add(key)
                department = rng.choice(departments(unit))
                return {"ho_ten": name, "ngay_sinh": born, "gioi_tinh": "Nữ" if female else "Nam",
                        "chuc_vu": position(department, rng, senior=award in SENIOR_AWARDS,
                                            age=self.year - born.year),
                        "khoa_phong": department}
        raise RuntimeError("name space exhausted")


def _collective(award: str, code: str, unit: str, i: int, n: int, ttldtt: dict[str, list[str]],
                rng: random.Random) -> str:
    """The i-th of n collectives a unit proposes for an award: the unit itself for a Cờ or a Huân chương,
    a TTLĐXS among its TTLĐTT, otherwise its own departments, each once."""
    if award in ("CO_TINH", "CO_BO", "CO_CP", "HCLD1", "HCLD2", "HCLD3"):
        return unit
    if award == "TTLDXS" and ttldtt.get(code):
        pool = ttldtt[code]
        return pool[i] if i < len(pool) else f"{pool[i % len(pool)]} ({i // len(pool) + 1})"
    own = departments(unit)
    if i == 0:
        ttldtt.setdefault(f"{award}|{code}", rng.sample(own, len(own)))
    order = ttldtt[f"{award}|{code}"]
    label = order[i % len(order)] if i < len(order) else f"{order[i % len(order)]} – cơ sở {i // len(order) + 1}"
    if award == "TTLDTT":
        ttldtt.setdefault(code, []).append(label)
    return label


def generate(totals: dict[str, dict[str, int]] | None = None, *, year: int = 2020, seed: int = 2020,
             units=None, scale: float = 1.0, history_years: int = 3) -> Province:
    """A province whose counts per award and subject are exactly `totals` (default: SEED_2020)."""
    rng = random.Random(seed)
    totals = totals or SEED_2020
    if scale != 1.0:
        totals = {k: {s: int(round(v * scale)) for s, v in d.items()} for k, d in totals.items()}
    units = units or UNITS
    weights = [u[3] for u in units]
    people = _People(rng, year)
    cat = load_catalog()
    rows: list[dict] = []
    by_unit_people: dict[str, list[dict]] = {u[0]: [] for u in units}
    # LĐTT first: CSTĐCS (and most higher individual awards) are chosen among them.
    ldtt = _split(totals.get("LDTT", {}).get(CA_NHAN, 0), weights, rng)
    for (code, name, _e, _w), n in zip(units, ldtt):
        for _ in range(n):
            p = people.new(name)
            by_unit_people[code].append(p)
            rows.append({"unit_code": code, "unit": name, **p, "award": "LDTT", "subject": CA_NHAN, "sang_kien": ""})
    initiatives: list[dict] = []
    # CSTĐCS: among LĐTT of the same unit, each with a recognised initiative.
    cstd = _split(totals.get("CSTDCS", {}).get(CA_NHAN, 0), weights, rng)
    init_pool = []
    for (kind, level), n in SEED_2020_INITIATIVES.items():
        init_pool += [(kind, level)] * int(round(n * (sum(cstd) / 200 if sum(cstd) else 0)))
    rng.shuffle(init_pool)
    k = 0
    cstdcs_people: list[tuple[str, str, dict]] = []
    for (code, name, _e, _w), n in zip(units, cstd):
        chosen = rng.sample(by_unit_people[code], min(n, len(by_unit_people[code])))
        for p in chosen:
            kind, level = init_pool[k % len(init_pool)] if init_pool else ("sang_kien", "co_so")
            k += 1
            title = rng.choice(SANG_KIEN).format(x=rng.choice(SK_TOPICS)) + f" tại {p['khoa_phong']}"
            if kind == "de_tai":
                title = "Đề tài: " + title
            initiatives.append({"unit_code": code, "unit": name, "ten": title,
                                "loai": kind, "cap": level, "tac_gia": p["ho_ten"], "nam": year})
            rows.append({"unit_code": code, "unit": name, **p, "award": "CSTDCS", "subject": CA_NHAN,
                         "sang_kien": title})
            cstdcs_people.append((code, name, p))
    # Other awards.
    taken: dict[tuple[str, str], set[str]] = {}  # (award, unit) -> people already proposed for it
    star_used: set[int] = set()  # the stars (CSTĐCS) already proposed higher
    ttldtt: dict[str, list[str]] = {}  # unit -> its Tập thể lao động tiên tiến (TTLĐXS is chosen among them)
    for award in cat:
        if award.code in ("LDTT", "CSTDCS") or award.code not in totals:
            continue
        for subject, total in totals[award.code].items():
            if not total:
                continue
            split = _split(total, weights, rng)
            for (code, name, _e, _w), n in zip(units, split):
                for i in range(n):
                    if subject == TAP_THE:
                        label = _collective(award.code, code, name, i, n, ttldtt, rng)
                        rows.append({"unit_code": code, "unit": name, "ho_ten": label, "ngay_sinh": None,
                                     "gioi_tinh": "", "chuc_vu": "", "khoa_phong": "", "award": award.code,
                                     "subject": TAP_THE, "sang_kien": ""})
                    else:
                        seen = taken.setdefault((award.code, code), set())
                        pool = [q for q in by_unit_people[code] if q["ho_ten"] not in seen]
                        stars = [] if award.code not in ("CSTD_TINH", "CSTD_BO") else [
                            q for c, _n, q in cstdcs_people  # with years of CSTĐCS behind them, each once
                            if c == code and year - q["ngay_sinh"].year >= AGES[award.code][0]
                            and id(q) not in star_used]
                        if stars:
                            p = stars[0]  # chosen among this year's CSTĐCS, with a wider initiative
                            star_used.add(id(p))
                            level = "tinh" if award.code == "CSTD_TINH" else "bo"
                            for ini in initiatives:
                                if ini["tac_gia"] == p["ho_ten"] and ini["unit_code"] == code:
                                    ini["cap"] = level
                        elif pool and award.code in ("GK", "BK_TINH", "BK_BO") and rng.random() < 0.5:
                            p = rng.choice(pool)
                        else:
                            p = people.new(name, award.code)
                        seen.add(p["ho_ten"])
                        rows.append({"unit_code": code, "unit": name, **p, "award": award.code,
                                     "subject": CA_NHAN, "sang_kien": ""})
    nominations = pd.DataFrame(rows)
    # History: the CSTĐCS of this year were mostly CSTĐCS/LĐTT in earlier years too.
    hist = []
    for code, name, p in cstdcs_people:
        for back in range(1, history_years + 1):
            hist.append({"ho_ten": p["ho_ten"], "ngay_sinh": p["ngay_sinh"], "unit": name, "nam": year - back,
                         "award": "CSTDCS" if rng.random() < 0.5 else "LDTT"})
    # Individual CSTĐ tỉnh nominees get their three CSTĐCS years.
    for r in rows:
        if r["award"] in ("CSTD_TINH", "CSTD_BO") and r["subject"] == CA_NHAN:
            for back in (1, 2):
                hist.append({"ho_ten": r["ho_ten"], "ngay_sinh": r["ngay_sinh"], "unit": r["unit"],
                             "nam": year - back, "award": "CSTDCS"})
    # Higher awards stand on an earlier one (BK TTg on a BK tỉnh/bộ, HCLĐ on the one below, TTND on TTƯT).
    prerequisite = {"BK_TTCP": ("BK_TINH", 6), "HCLD3": ("BK_TTCP", 6), "HCLD2": ("HCLD3", 6),
                    "HCLD1": ("HCLD2", 6), "TTND": ("TTUT", 3), "CSTD_TQ": ("CSTD_TINH", 3)}
    for r in rows:
        if r["award"] in prerequisite:
            before, back = prerequisite[r["award"]]
            hist.append({"ho_ten": r["ho_ten"], "ngay_sinh": r["ngay_sinh"], "unit": r["unit"],
                         "nam": year - back, "award": before})
            if r["award"] == "CSTD_TQ":
                hist.append({"ho_ten": r["ho_ten"], "ngay_sinh": r["ngay_sinh"], "unit": r["unit"],
                             "nam": year - 2 * back, "award": before})
    units_df = pd.DataFrame([{"unit_code": c, "unit": n, "email": e} for c, n, e, _ in units])
    return Province(year=year, units=units_df, nominations=nominations,
                    initiatives=pd.DataFrame(initiatives, columns=["unit_code", "unit", "ten", "loai", "cap", "tac_gia", "nam"]),
                    history=pd.DataFrame(hist, columns=["ho_ten", "ngay_sinh", "unit", "nam", "award"]))


def add_initiatives(province: Province, counts=None, seed: int = 7) -> None:
    """Top the initiatives up to exact counts per (loại, cấp) (the Lào Cai 2020 report's by default)."""
    rng = random.Random(seed)
    counts = counts or SEED_2020_INITIATIVES
    df = province.initiatives
    extra = []
    for (kind, level), want in counts.items():
        have = int(((df["loai"] == kind) & (df["cap"] == level)).sum())
        for i in range(max(0, want - have)):
            u = rng.choice(province.units.to_dict("records"))
            extra.append({"unit_code": u["unit_code"], "unit": u["unit"],
                          "ten": f"{rng.choice(SANG_KIEN).format(x=rng.choice(SK_TOPICS))} ({kind}-{level}-{i + 1})",
                          "loai": kind, "cap": level, "tac_gia": people_name(rng), "nam": province.year})
    if extra:
        province.initiatives = pd.concat([df, pd.DataFrame(extra)], ignore_index=True)
    # trim any excess
    keep = []
    seen: dict = {}
    for idx, r in province.initiatives.iterrows():
        key = (r["loai"], r["cap"])
        seen[key] = seen.get(key, 0) + 1
        if seen[key] <= counts.get(key, 0):
            keep.append(idx)
    province.initiatives = province.initiatives.loc[keep].reset_index(drop=True)


def people_name(rng: random.Random) -> str:
    """A plausible name (sample_people.full_name), for lists made in tests."""
    return full_name(rng, rng.random() < 0.62)


# --- writing unit files the way units make them ---------------------------------------
AWARD_TEXT_STYLES = ("name", "abbrev", "code")
LOAI_LABEL = INITIATIVE_KIND_LABEL
CAP_LABEL = INITIATIVE_LEVEL_LABEL


def _award_text(code: str, style: str, rng: random.Random) -> str:
    cat = load_catalog()
    if code not in cat.by_code:
        return code  # a text typed by hand, kept as the unit typed it
    a = cat[code]
    if style == "abbrev" and a.aliases:
        return rng.choice(a.aliases)
    return a.name


def write_unit_file(path: str | Path, unit_code: str, unit: str, rows: pd.DataFrame, *, year: int,
                    messy: bool = False, seed: int = 1, initiatives: pd.DataFrame | None = None) -> Path:
    """A unit's nomination file as a unit makes it: title rows, groups, a totals row.

    messy=True imitates files made by hand elsewhere: renamed and shuffled columns, an extra
    column, NFD text, abbreviations, dates as text in several styles, line breaks in headers.
    """
    import openpyxl

    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách đề nghị"
    nfd = (lambda s: unicodedata.normalize("NFD", s)) if messy else (lambda s: s)
    ws.append([nfd("SỞ Y TẾ TỈNH LÀO CAI")])
    ws.append([nfd(f"Đơn vị: {unit}")])
    ws.append([nfd(f"DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}")])
    ws.append([])
    if messy:
        headers = ["TT", "Họ tên / Tên tập thể", "Ngày, tháng,\nnăm sinh", "Nam/Nữ", "Điện thoại",
                   "Chức vụ, chức danh", "Đơn vị công tác", "Danh hiệu, hình thức\nkhen thưởng", "Ghi chú"]
        order = [0, 1, 2, 3, 4, 5, 6, 7, 8]
        rng.shuffle(order[2:])
        headers = [headers[i] for i in order]
    else:
        headers = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ", "Khoa, phòng", "Hình thức đề nghị",
                   "Đối tượng", "Sáng kiến", "Ghi chú"]
        order = list(range(len(headers)))
    ws.append([nfd(h) for h in headers])
    groups = [(TAP_THE, "I. TẬP THỂ"), (CA_NHAN, "II. CÁ NHÂN")]
    n = 0
    for subject, heading in groups:
        part = rows[rows["subject"] == subject]
        if part.empty:
            continue
        ws.append([None, heading] if not messy else [heading.split(".")[0], heading.split(". ")[1]])
        for i, r in enumerate(part.itertuples(index=False)):
            n += 1
            d = r.ngay_sinh
            if isinstance(d, str):
                dob = d
            elif d is None or (not isinstance(d, dt.date)) or pd.isna(d):
                dob = None
            elif messy:
                style = rng.random()
                dob = (d.strftime("%d/%m/%Y") if style < 0.4 else d.strftime("%d-%m-%Y") if style < 0.55
                       else d.isoformat() if style < 0.7 else str(d.year) if style < 0.85 else d)
            else:
                dob = d
            award = _award_text(r.award, "abbrev" if messy and rng.random() < 0.5 else "name", rng)
            if messy:
                name = r.ho_ten if rng.random() < 0.7 else "  " + r.ho_ten.upper().replace(" ", "  ")
                vals = [str(n) if rng.random() < 0.3 else n, nfd(name), dob, r.gioi_tinh or None,
                        "0912 345 678" if rng.random() < 0.1 else None, r.chuc_vu or None, r.khoa_phong or None,
                        nfd(award), None]
                ws.append([vals[i] for i in order])
            else:
                ws.append([n, r.ho_ten, dob, r.gioi_tinh or None, r.chuc_vu or None, r.khoa_phong or None, award,
                           "Tập thể" if subject == TAP_THE else "Cá nhân", r.sang_kien or None, None])
                if isinstance(dob, dt.date):
                    ws.cell(ws.max_row, 3).number_format = "dd/mm/yyyy"
    ws.append([None, "Tổng cộng", None, None, None, None, f"{n} lượt"])
    ws.append([])
    ws.append([None, "Người lập biểu", None, None, None, "THỦ TRƯỞNG ĐƠN VỊ"])
    if initiatives is not None and not initiatives.empty:
        si = wb.create_sheet(INITIATIVES_SHEET)
        si.append(["STT", "Tên sáng kiến, đề tài", "Loại", "Cấp công nhận", "Tác giả", "Năm"])
        for i, r in enumerate(initiatives.itertuples(index=False), 1):
            si.append([i, r.ten, LOAI_LABEL[r.loai], CAP_LABEL[r.cap], r.tac_gia, int(r.nam)])
    path = Path(path)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path


def write_unit_files(province: Province, folder: str | Path, *, messy_every: int = 2) -> list[Path]:
    """One file per unit; every `messy_every`-th unit sends a hand-made messy file."""
    out = []
    for i, u in enumerate(province.units.itertuples(index=False)):
        rows = province.nominations[province.nominations["unit_code"] == u.unit_code]
        inits = province.initiatives[province.initiatives["unit_code"] == u.unit_code]
        name = f"{u.unit_code}.xlsx" if i % 3 else f"De nghi khen thuong - {u.unit_code}.xlsx"
        out.append(write_unit_file(Path(folder) / name, u.unit_code, u.unit, rows, year=province.year,
                                   messy=bool(messy_every) and i % messy_every == 1, seed=i, initiatives=inits))
    return out


# Every award of the catalogue, at the size of a small province: the demo's year.
DEMO_TOTALS: dict[str, dict[str, int]] = {
    "LDTT": {CA_NHAN: 420}, "CSTDCS": {CA_NHAN: 58}, "CSTD_TINH": {CA_NHAN: 6}, "CSTD_BO": {CA_NHAN: 3},
    "CSTD_TQ": {CA_NHAN: 1}, "TTLDTT": {TAP_THE: 40}, "TTLDXS": {TAP_THE: 12}, "CO_TINH": {TAP_THE: 2},
    "CO_BO": {TAP_THE: 1}, "CO_CP": {TAP_THE: 1}, "GK": {TAP_THE: 15, CA_NHAN: 90},
    "BK_TINH": {TAP_THE: 6, CA_NHAN: 25}, "BK_BO": {TAP_THE: 3, CA_NHAN: 12}, "BK_TTCP": {TAP_THE: 1, CA_NHAN: 3},
    "HCLD3": {TAP_THE: 1, CA_NHAN: 1}, "HCLD2": {CA_NHAN: 1}, "HCLD1": {TAP_THE: 1}, "TTUT": {CA_NHAN: 4},
    "TTND": {CA_NHAN: 1}, "KNC": {CA_NHAN: 10},
}


def inject_mistakes(province: Province, seed: int = 13) -> list[str]:
    """The mistakes units really make, each once, so the demo's Kiểm tra has something to say."""
    rng = random.Random(seed)
    df = province.nominations
    units = province.units["unit_code"].tolist()
    notes: list[str] = []

    def add(code: str, **row) -> None:
        name = province.units.set_index("unit_code").loc[code, "unit"]
        base = {"unit_code": code, "unit": name, "ho_ten": "", "ngay_sinh": None, "gioi_tinh": "", "chuc_vu": "",
                "khoa_phong": "", "award": "LDTT", "subject": CA_NHAN, "sang_kien": ""}
        base.update(row)
        extra.append(base)

    extra: list[dict] = []
    add(units[0], ho_ten="", ngay_sinh=dt.date(1986, 4, 2), gioi_tinh="Nữ", award="LDTT")
    notes.append("thiếu họ tên")
    add(units[1], ho_ten="Hoàng Thị Mai", ngay_sinh="31/02/1985", gioi_tinh="Nữ", award="LDTT")
    notes.append("ngày sinh không tồn tại (31/02)")
    add(units[2], ho_ten="Vàng Seo Lử", ngay_sinh=f"12/05/{province.year + 5}", gioi_tinh="Nam", award="LDTT")
    notes.append("ngày sinh ở tương lai")
    add(units[3], ho_ten="Giàng A Páo", ngay_sinh=dt.date(1979, 9, 9), gioi_tinh="Nam", award="Lao động tiên tiếng")
    notes.append("tên hình thức gõ sai")
    add(units[4], ho_ten="Lù Thị Dín", ngay_sinh=dt.date(1990, 1, 15), gioi_tinh="Nữ", award="TTLDTT", subject=CA_NHAN)
    notes.append("danh hiệu tập thể đề nghị cho cá nhân")
    dup = df[(df["award"] == "LDTT") & (df["unit_code"] == units[0])].iloc[0].to_dict()
    dup.update({"unit_code": units[5], "unit": province.units.set_index("unit_code").loc[units[5], "unit"]})
    extra.append(dup)
    notes.append("một người được hai đơn vị cùng đề nghị LĐTT")
    add(units[6], ho_ten="Tẩn Láo Sử", ngay_sinh=dt.date(1983, 3, 3), gioi_tinh="Nam", award="CSTDCS")
    notes.append("CSTĐCS không có LĐTT và sáng kiến")
    add(units[7], ho_ten="NguyÔn V¨n B×nh", ngay_sinh=dt.date(1975, 6, 1), gioi_tinh="Nam", award="LDTT")
    notes.append("họ tên gõ bằng phông TCVN3 cũ")
    # one unit proposes too many CSTĐCS for its LĐTT (the 15% rule)
    code = units[8]
    pool = df[(df["unit_code"] == code) & (df["award"] == "LDTT")]
    already = set(df[(df["unit_code"] == code) & (df["award"] == "CSTDCS")]["ho_ten"])
    for r in pool[~pool["ho_ten"].isin(already)].head(6).to_dict("records"):
        r = dict(r)
        r.update({"award": "CSTDCS", "sang_kien": f"Sáng kiến cải tiến tại {r['khoa_phong']}"})
        extra.append(r)
        province.initiatives = pd.concat([province.initiatives, pd.DataFrame([{
            "unit_code": code, "unit": r["unit"], "ten": r["sang_kien"], "loai": "sang_kien", "cap": "co_so",
            "tac_gia": r["ho_ten"], "nam": province.year}])], ignore_index=True)
    notes.append("vượt tỷ lệ CSTĐCS so với LĐTT")
    add(units[9], ho_ten="Phàn Văn Tiến", ngay_sinh=dt.date(1980, 8, 8), gioi_tinh="Nam", award="CSTD_TINH")
    notes.append("CSTĐ cấp tỉnh chưa đủ 3 năm liên tục CSTĐCS")
    province.nominations = pd.concat([df, pd.DataFrame(extra)], ignore_index=True)
    return notes
