"""Each document's context: the consolidated numbers, the master's settings and the staff's texts.

Plain functions from (Consolidation, Config, narrative) to dicts of strings and lists
of paragraphs; the templates only place them. Empty narrative fields fall back to
sensible Vietnamese defaults, so a first run already gives a signable draft.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ..catalog import CA_NHAN, TAP_THE, load_catalog
from ..config import Config
from ..consolidate import Consolidation
from ..text import clean, date_text, nfc, so2, sort_key
from .can_cu import can_cu_lines as _can_cu_default, chuc_nang_line
from .authority import forward_line, grants_itself
from .filters import ngay_vn
from .names import YearNames, organisation_case, person_case, year_names

KIND_CODES = {
    "bao-cao-tong-ket": "BC",
    "cong-van-phat-dong": "",
    "quyet-dinh": "QĐ",
    "to-trinh": "TTr",
    "bien-ban": "BB",
}
SO_AWARDS = tuple(a.code for a in load_catalog() if a.decided_by_so)  # decided by the Giám đốc Sở
TINH_AUTHORITIES = ("tinh", "cp", "nha_nuoc")   # proposed to the Chủ tịch UBND tỉnh (through Sở Nội vụ)
BO_AUTHORITIES = ("bo",)                          # proposed to the Bộ trưởng Bộ Y tế


# --- small helpers ------------------------------------------------------------------
def paragraphs(text: object) -> list[str]:
    """Narrative cell → paragraphs (one per line; blank lines dropped)."""
    return [clean(line) for line in nfc(text).replace("\r", "\n").split("\n") if clean(line)]


def _para_or(narrative: dict, key: str, default: list[str] | str) -> list[str]:
    got = paragraphs(narrative.get(key, ""))
    if got:
        return got
    return [default] if isinstance(default, str) else list(default)


def dash_list(items: list[str], last: str = ".") -> list[str]:
    """'- a;' … '- z.' (NĐ 30 lists: each line ends ';', the last '.')."""
    out = []
    for i, item in enumerate(items):
        item = clean(item).lstrip("-–• ").rstrip(";.,")
        out.append(f"- {item}{last if i == len(items) - 1 else ';'}")
    return out


def so_ky_hieu(number: str, kind_code: str, config: Config) -> str:
    """'15/BC-SYT'; an empty number leaves room for the văn thư ('     /BC-SYT')."""
    org = config.get("viet_tat_co_quan") or "SYT"
    if kind_code == "BB":  # the Hội đồng numbers its own minutes (NĐ 30)
        org = "HĐTĐKT"
    suffix = f"{kind_code}-{org}" if kind_code else f"{org}-{config.get('don_vi_soan_thao') or 'TCCB'}"
    n = clean(number)
    if n.endswith(".0") and n[:-2].isdigit():  # a number cell read as 15.0
        n = n[:-2]
    if n.isdigit():
        n = so2(int(n))
    return f"{n or '       '}/{suffix}"


def doc_date(config: Config) -> str:
    raw = clean(config.get("ngay_van_ban"))
    if raw:
        return ngay_vn(raw)
    return "ngày      tháng      năm      "  # never today's clock: the văn thư dates it (report says so)


def _iso(value) -> str:
    from ..text import parse_date

    d = parse_date(clean(value)) if clean(value) else None
    return d.date.isoformat() if d is not None and d.date else ""


def sentence_org(config: Config) -> str:
    """The issuing body as written inside a sentence ('Sở Y tế')."""
    given = clean(config.get("ten_co_quan"))
    if given:
        return given
    upper = clean(config.get("co_quan_ban_hanh"))
    if upper.upper() == "SỞ Y TẾ":
        return "Sở Y tế"
    return upper[:1] + upper[1:].lower() if upper else "Sở Y tế"


def signer(config: Config) -> dict[str, str]:
    """'GIÁM ĐỐC' or 'KT. GIÁM ĐỐC' + 'PHÓ GIÁM ĐỐC', and the name (no học hàm, NĐ 30)."""
    quyen = clean(config.get("quyen_han_ky")).upper()
    chuc_vu = clean(config.get("chuc_vu_nguoi_ky")).upper() or "GIÁM ĐỐC"
    truong = clean(config.get("chuc_vu_cap_truong")).upper() or "GIÁM ĐỐC"
    name = clean(config.get("nguoi_ky")) or clean(config.get("giam_doc"))
    if quyen:
        if not quyen.endswith("."):
            quyen += "."
        if quyen == "KT." and chuc_vu == truong:
            chuc_vu = "PHÓ " + truong
        return {"ky_dong1": f"{quyen} {truong}", "ky_dong2": chuc_vu, "nguoi_ky": name}
    return {"ky_dong1": chuc_vu, "ky_dong2": "", "nguoi_ky": name}


def common(kind: str, config: Config, year: int, number: str = "") -> dict:
    luu = f"- Lưu: VT, {config.get('don_vi_soan_thao') or 'TCCB'}."
    return {
        "co_quan_chu_quan": clean(config.get("co_quan_chu_quan")).upper(),
        "co_quan_ban_hanh": clean(config.get("co_quan_ban_hanh")).upper(),
        "ten_co_quan": sentence_org(config),
        "dia_danh": clean(config.get("dia_danh")) or clean(config.get("tinh")),
        "tinh": clean(config.get("tinh")),
        "ngay": doc_date(config),
        "ngay_iso": _iso(config.get("ngay_van_ban")),
        "so_ky_hieu": so_ky_hieu(number, KIND_CODES[kind], config),
        "nam": int(year),
        "nam_sau": int(year) + 1,
        "luu": luu,
        **signer(config),
    }


def _noi_nhan(items: list[str], config: Config) -> list[str]:
    luu = f"Lưu: VT, {config.get('don_vi_soan_thao') or 'TCCB'}"
    return dash_list([*items, luu])


def ngay_text(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    if isinstance(value, (dt.date, pd.Timestamp)):
        return date_text(value)
    return clean(value)


# --- báo cáo tổng kết: the results section, worded as the Sở's 2020 report ---------------------
def _subjects(n_tt: int, n_cn: int) -> str:
    parts = []
    if n_tt:
        parts.append(f"{so2(n_tt)} tập thể")
    if n_cn:
        parts.append(f"{so2(n_cn)} cá nhân")
    return ", ".join(parts)


# (label, award codes) in the order of the Sở's report; award lines with no rows are left out.
RESULT_LINES: list[tuple[str, tuple[str, ...]]] = [
    ("Cờ thi đua của Chính phủ", ("CO_CP",)),
    ("Cờ thi đua của UBND tỉnh", ("CO_TINH",)),
    ("Cờ thi đua của Bộ Y tế", ("CO_BO",)),
    ("Danh hiệu Thầy thuốc Nhân dân", ("TTND",)),
    ("Danh hiệu Thầy thuốc ưu tú", ("TTUT",)),
    ("Huân chương Lao động hạng Nhất", ("HCLD1",)),
    ("Huân chương Lao động hạng Nhì", ("HCLD2",)),
    ("Bằng khen của Thủ tướng Chính phủ", ("BK_TTCP",)),
    ("Huân chương Lao động hạng Ba", ("HCLD3",)),
    ("Bằng khen cấp Tỉnh, Bộ, ngành", ("BK_TINH", "BK_BO")),
    ("Tập thể Lao động xuất sắc", ("TTLDXS",)),
    ("Chiến sĩ thi đua toàn quốc", ("CSTD_TQ",)),
    ("Chiến sĩ thi đua cấp Bộ", ("CSTD_BO",)),
    ("Chiến sĩ thi đua cấp tỉnh", ("CSTD_TINH",)),
    ("Kỷ niệm chương Vì sức khỏe nhân dân", ("KNC",)),
]


def award_lines(result: Consolidation, org: str = "Sở Y tế") -> list[str]:
    """'Cờ thi đua của UBND tỉnh: 01 tập thể', … then the Sở's own line."""
    lines = []
    for label, codes in RESULT_LINES:
        tt = sum(result.total(c, TAP_THE) for c in codes)
        cn = sum(result.total(c, CA_NHAN) for c in codes)
        if tt or cn:
            lines.append(f"{label}: {_subjects(tt, cn)}")
    so_line = so_awards_line(result, org, also=bool(lines))
    if so_line:
        lines.append(so_line)
    return lines


def so_awards_line(result: Consolidation, org: str = "Sở Y tế", also: bool = True) -> str:
    """'Sở Y tế còn tặng giấy khen: 358 (19 tập thể, 339 cá nhân); khen thưởng 127 tập thể lao động
    tiên tiến; 200 chiến sĩ thi đua cấp cơ sở, 1326 lao động tiên tiến' — parts with no rows left out;
    "còn" (also) only after the lines of higher awards received (also=False: the Sở's line stands alone)."""
    gk_tt, gk_cn = result.total("GK", TAP_THE), result.total("GK", CA_NHAN)
    ttldtt = result.total("TTLDTT")
    people = [(result.total("CSTDCS"), "chiến sĩ thi đua cấp cơ sở"), (result.total("LDTT"), "lao động tiên tiến")]
    people_txt = ", ".join(f"{so2(n)} {label}" for n, label in people if n)
    chunks = []
    if ttldtt:
        chunks.append(f"{so2(ttldtt)} tập thể lao động tiên tiến")
    if people_txt:
        chunks.append(people_txt)
    khen = ("khen thưởng " + "; ".join(chunks)) if chunks else ""
    if gk_tt or gk_cn:
        gk = f"{so2(gk_tt + gk_cn)} ({_subjects(gk_tt, gk_cn)})" if gk_tt and gk_cn else _subjects(gk_tt, gk_cn)
        return f"{org} {'còn ' if also else ''}tặng giấy khen: {gk}" + (f"; {khen}" if khen else "")
    if khen:
        return f"{org} {khen}"
    return ""


INITIATIVE_LABELS = [
    (("sang_kien", "co_so"), "sáng kiến cơ sở"),
    (("de_tai", "co_so"), "đề tài cơ sở"),
    (("sang_kien", "tinh"), "sáng kiến cấp tỉnh"),
    (("de_tai", "tinh"), "Đề tài cấp tỉnh"),
    (("sang_kien", "bo"), "sáng kiến cấp Bộ"),
    (("de_tai", "bo"), "Đề tài cấp Bộ"),
    (("sang_kien", "toan_quoc"), "sáng kiến cấp toàn quốc"),
    (("de_tai", "toan_quoc"), "Đề tài cấp toàn quốc"),
]


def _initiative_count(n: int) -> str:
    # The Sở's report writes "9 sáng kiến cấp tỉnh; 01 Đề tài cấp tỉnh": a lone one as "01", others as they are.
    return "01" if n == 1 else str(n)


def initiatives_line(result: Consolidation) -> str:
    """'193 sáng kiến cơ sở; 28 đề tài cơ sở; 9 sáng kiến cấp tỉnh; 01 Đề tài cấp tỉnh'."""
    parts = []
    for (kind, level), label in INITIATIVE_LABELS:
        n = int((result.initiatives or {}).get(kind, {}).get(level, 0))
        if n:
            parts.append(f"{_initiative_count(n)} {label}")
    return "; ".join(parts)


def bao_cao_context(result: Consolidation, config: Config, narrative: dict) -> dict:
    y = result.year
    ctx = common("bao-cao-tong-ket", config, y, config.get("so_bao_cao"))
    org = ctx["ten_co_quan"]
    ctx.update({
        "trich_yeu": f"Tổng kết công tác thi đua, khen thưởng năm {y}, phương hướng, nhiệm vụ năm {y + 1}",
        "can_cu": _para_or(narrative, "can_cu_bao_cao",
                           f"Căn cứ hướng dẫn của Sở Nội vụ về việc tổng kết phong trào thi đua, công tác khen "
                           f"thưởng năm {y}."),
        "dac_diem_tinh_hinh": _para_or(narrative, "dac_diem_tinh_hinh",
                                       f"{org} là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh {ctx['tinh']}, giúp "
                                       f"Ủy ban nhân dân tỉnh thực hiện chức năng quản lý nhà nước về y tế trên địa "
                                       f"bàn. Trong quá trình tổ chức phong trào thi đua, công tác khen thưởng, {org} "
                                       f"có những thuận lợi, khó khăn sau:"),
        "thuan_loi": [f"- Thuận lợi: {p}" if i == 0 else p for i, p in enumerate(_para_or(
            narrative, "thuan_loi", "Ngành Y tế nhận được sự quan tâm, chỉ đạo của cấp ủy, chính quyền; cán bộ, "
                                    "công chức, viên chức tích cực hưởng ứng các phong trào thi đua."))],
        "kho_khan": [f"- Khó khăn: {p}" if i == 0 else p for i, p in enumerate(_para_or(
            narrative, "kho_khan", "Quỹ thi đua, khen thưởng của đơn vị còn hạn hẹp."))],
        "lanh_dao_chi_dao": _para_or(narrative, "lanh_dao_chi_dao",
                                     f"{org} kịp thời ban hành kế hoạch, hướng dẫn và các văn bản chỉ đạo các đơn "
                                     f"vị trực thuộc về công tác thi đua, khen thưởng năm {y}."),
        "sang_kien": initiatives_line(result),
        "to_chuc_phong_trao": _para_or(narrative, "to_chuc_phong_trao",
                                       f"{org} xây dựng kế hoạch, phát động phong trào thi đua trong toàn ngành; "
                                       f"công tác thi đua được thực hiện toàn diện trên các lĩnh vực."),
        "ket_qua_chuyen_mon": _para_or(narrative, "ket_qua_chuyen_mon",
                                       "Các đơn vị trong ngành hoàn thành tốt nhiệm vụ chuyên môn được giao."),
        "mo_dau_khen_thuong": ["Công tác khen thưởng, tôn vinh và biểu dương các điển hình tiên tiến được thực "
                               "hiện khách quan, công bằng; chú trọng đến các tập thể, cá nhân trực tiếp lao động, "
                               "cống hiến."],
        "ket_qua_khen_thuong": award_lines(result, org) or ["Chưa có số liệu khen thưởng."],
        "dang_de_nghi": [],  # higher awards still awaiting their decision (documents.outcome fills it)
        "uu_diem": _para_or(narrative, "uu_diem", "Phong trào thi đua được phát động sôi nổi, rộng khắp trong "
                                                  "toàn ngành, được cán bộ, công chức, viên chức tích cực hưởng ứng."),
        "ton_tai": _para_or(narrative, "ton_tai", "Quỹ thi đua, khen thưởng hạn hẹp nên còn hạn chế khen thưởng "
                                                  "đột xuất."),
        "bai_hoc": _para_or(narrative, "bai_hoc", "Công tác thi đua, khen thưởng phải đúng người, đúng thành "
                                                  "tích, công khai, dân chủ."),
        "kien_nghi": _para_or(narrative, "kien_nghi", "Không."),
        "dien_hinh_tien_tien": _para_or(narrative, "dien_hinh_tien_tien",
                                        f"{org} ban hành kế hoạch xây dựng điển hình tiên tiến, hướng dẫn các đơn vị "
                                        f"đăng ký, lựa chọn tập thể, cá nhân để theo dõi, giúp đỡ; tuyên truyền, giới "
                                        f"thiệu gương điển hình tiên tiến, người tốt, việc tốt để biểu dương, nhân "
                                        f"rộng."),
        "khoi_thi_dua": _para_or(narrative, "khoi_thi_dua",
                                 f"Với vai trò là thành viên khối thi đua, {org} triển khai đầy đủ các văn bản chỉ "
                                 f"đạo của trưởng khối và tham gia các hoạt động do khối tổ chức."),
        "don_thu": " ".join(_para_or(narrative, "don_thu",
                                     "Không có đơn thư khiếu nại về công tác thi đua, khen thưởng.")),
        "phuong_huong": _para_or(narrative, "phuong_huong", [
            "1. Tiếp tục quán triệt, triển khai Luật Thi đua, khen thưởng và các văn bản hướng dẫn đến toàn thể cán "
            "bộ, công chức, viên chức, người lao động trong ngành.",
            f"2. Tổ chức phát động, đăng ký thi đua ngay từ đầu năm {y + 1} đến từng tập thể, cá nhân; đổi mới nội "
            f"dung, hình thức tổ chức các phong trào thi đua.",
            "3. Đẩy mạnh phong trào thi đua phát huy sáng kiến, cải tiến kỹ thuật, nghiên cứu khoa học.",
            "4. Nâng cao chất lượng công tác khen thưởng; chú trọng khen thưởng thành tích đột xuất, tập thể nhỏ và "
            "người lao động trực tiếp.",
            "5. Bồi dưỡng, nhân rộng các điển hình tiên tiến; tuyên truyền, học tập gương người tốt, việc tốt.",
            "6. Kiểm tra công tác thi đua, khen thưởng của các đơn vị trực thuộc.",
        ]),
        "noi_nhan": _noi_nhan(config.list("noi_nhan_bao_cao"), config),
    })
    return ctx


def _quoted(text: str) -> str:
    quotes = "“”\"'"
    return "“" + text.strip().rstrip(".").strip(quotes) + "”."


def cong_van_context(result: Consolidation, config: Config, narrative: dict) -> dict:
    y = result.year
    ctx = common("cong-van-phat-dong", config, y, config.get("so_cong_van"))
    own_date = clean(config.get("ngay_cong_van"))  # next year's công văn is often dated in that year
    if own_date:
        ctx["ngay"], ctx["ngay_iso"] = ngay_vn(own_date), _iso(own_date)
    org = ctx["ten_co_quan"]
    recipients = config.list("kinh_gui_cong_van")
    chu_de = _para_or(narrative, "chu_de_phat_dong",
                      f"Công chức, viên chức, người lao động ngành Y tế tỉnh {ctx['tinh']} đoàn kết, kỷ cương, "
                      f"sáng tạo, thi đua thực hiện thắng lợi các nhiệm vụ được giao năm {y + 1}")
    ctx.update({
        "trich_yeu": f"phát động phong trào thi đua năm {y + 1}",
        "kinh_gui": dash_list(recipients) if len(recipients) > 1 else [clean(r).rstrip(";.") + "." for r in recipients],
        "mo_dau": [f"Phát huy kết quả đạt được trong phong trào thi đua yêu nước năm {y}, {org} tổ chức phát động "
                   f"phong trào thi đua năm {y + 1} ngành Y tế với các nội dung cụ thể như sau:"],
        "chu_de": [_quoted(p) if len(chu_de) == 1 else p for p in chu_de],
        "muc_tieu": _para_or(narrative, "muc_tieu",
                             "Phát huy tinh thần đoàn kết, chủ động sáng tạo của mỗi tập thể, cá nhân, nỗ lực phấn "
                             f"đấu hoàn thành xuất sắc nhiệm vụ được giao năm {y + 1}."),
        "giai_phap": _para_or(narrative, "giai_phap",
                              "Tăng cường sự lãnh đạo, chỉ đạo của cấp ủy, chính quyền trong việc phát động, tổ chức "
                              "phong trào thi đua; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến."),
        "to_chuc_thuc_hien": _para_or(narrative, "to_chuc_thuc_hien",
                                      "Các phòng chuyên môn thuộc Sở, các đơn vị trực thuộc căn cứ nội dung phát "
                                      "động, tổ chức triển khai thực hiện và đăng ký thi đua."),
        "ket_luan": [f"Phát huy kết quả đã đạt được năm {y}, các đơn vị tổ chức, triển khai sâu rộng phong trào thi "
                     f"đua góp phần thực hiện thắng lợi nhiệm vụ được giao năm {y + 1}./."],
        "noi_nhan": _noi_nhan(["Như trên"], config),
    })
    return ctx


# --- lists for decisions and submissions ----------------------------------------------
@dataclass
class AnnexRow:
    """One row of a danh sách: a heading (nhom / don_vi) or a nominee (dong)."""

    kind: str  # nhom | don_vi | dong
    values: dict = field(default_factory=dict)


def _unit_rank(result: Consolidation) -> dict[str, int]:
    rank = {}
    for i, (code, name) in enumerate(result.units):
        rank.setdefault(name, i)
    return rank


def _roman(n: int) -> str:
    return ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][n - 1] if 0 < n <= 10 else str(n)


def annex_rows(frames: list[tuple[str | None, pd.DataFrame]], result: Consolidation) -> list[AnnexRow]:
    """Group each award's list I. Tập thể / II. Cá nhân, then by unit; sorted by tên then họ đệm; numbered.

    frames: [(award heading or None, DataFrame of nominees)].
    """
    rank = _unit_rank(result)
    names = year_names(result)
    rows: list[AnnexRow] = []
    for award_no, (award_title, df) in enumerate(frames, start=1):
        if df is None or df.empty:
            continue
        if award_title:
            rows.append(AnnexRow("nhom", {"nhom": f"{award_no}. {award_title}"}))
        section = 0
        for subject, label in ((TAP_THE, "TẬP THỂ"), (CA_NHAN, "CÁ NHÂN")):
            sub = df[df["subject"] == subject]
            if sub.empty:
                continue
            section += 1
            rows.append(AnnexRow("nhom", {"nhom": f"{_roman(section)}. {label} ({so2(len(sub))})"}))
            recs = _records(sub)
            units = [clean(r.get("unit")) for r in recs]
            unit_key = {u: (rank.get(u, 10_000), sort_key(u)) for u in set(units)}
            # result.lists are sorted by tên then họ đệm already; a stable sort by unit keeps that order
            order = sorted(range(len(recs)), key=lambda i: unit_key[units[i]])
            counts = Counter(units)
            stt = 0
            current = None
            for i in order:
                unit = units[i]
                if unit != current:
                    current = unit
                    rows.append(AnnexRow("don_vi", {"don_vi": f"{unit or 'Chưa rõ đơn vị'} ({so2(counts[unit])})"}))
                stt += 1
                rows.append(AnnexRow("dong", _row_values(recs[i], stt, names)))
    return rows


_ANNEX_COLUMNS = ("ho_ten", "subject", "unit", "ngay_sinh", "ngay_sinh_raw", "nam_sinh", "gioi_tinh", "chuc_vu",
                  "khoa_phong", "ghi_chu", "sang_kien")


def _records(df: pd.DataFrame) -> list[dict]:
    """Rows as dicts of the columns the annex shows (column lists: far faster than to_dict)."""
    cols = [c for c in _ANNEX_COLUMNS if c in df.columns]
    data = [df[c].astype(object).tolist() for c in cols]
    return [dict(zip(cols, vals)) for vals in zip(*data)]


def _s(value) -> str:
    """Cell text: intake already cleaned it; only None/NaN need care here (hot path)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value != value:
        return ""
    return clean(value)


def _row_values(r: dict, stt: int, names: YearNames | None = None) -> dict:
    birth = r.get("ngay_sinh")
    ho_ten = _s(r.get("ho_ten"))
    if names is not None and r.get("subject") == CA_NHAN and not isinstance(birth, (dt.date, pd.Timestamp)):
        birth = names.birth(_s(r.get("unit")), ho_ten, r.get("nam_sinh")) or birth  # one date per person
    if isinstance(birth, (dt.date, pd.Timestamp)):
        ngay = date_text(birth)
    else:
        ngay = ngay_text(birth) or _s(r.get("ngay_sinh_raw"))
    nam = r.get("nam_sinh")
    try:
        nam = "" if nam is None or pd.isna(nam) else str(int(nam))
    except (TypeError, ValueError):
        nam = _s(nam)
    chuc_vu = _s(r.get("chuc_vu"))
    khoa = _s(r.get("khoa_phong"))
    unit = _s(r.get("unit"))
    if r.get("subject") == TAP_THE:
        cv_dv = unit
    else:
        cv_dv = ", ".join(x for x in (chuc_vu, khoa, unit) if x)
    if r.get("subject") == CA_NHAN:
        ho_ten = person_case(ho_ten)  # "ĐẶNG PHƯƠNG DUNG" typed in capitals
    elif r.get("subject") == TAP_THE:
        ho_ten = names.collective(ho_ten) if names is not None else organisation_case(ho_ten)
    return {
        "stt": str(stt), "ho_ten": ho_ten, "ngay_sinh": ngay, "nam_sinh": nam,
        "gioi_tinh": _s(r.get("gioi_tinh")), "chuc_vu": chuc_vu, "khoa_phong": khoa, "don_vi": unit,
        "chuc_vu_don_vi": cv_dv, "ghi_chu": _s(r.get("ghi_chu")), "sang_kien": _s(r.get("sang_kien")),
        "doi_tuong": r.get("subject"),
    }


def count_phrase(df: pd.DataFrame) -> str:
    """'19 tập thể và 339 cá nhân' (parts with none left out)."""
    tt = int((df["subject"] == TAP_THE).sum()) if not df.empty else 0
    cn = int((df["subject"] == CA_NHAN).sum()) if not df.empty else 0
    parts = [f"{so2(tt)} tập thể" if tt else "", f"{so2(cn)} cá nhân" if cn else ""]
    return " và ".join(p for p in parts if p)


def _award_phrase(code: str) -> str:
    a = load_catalog()[code]
    if a.kind == "danh_hieu_thi_dua":
        return f"danh hiệu “{a.name}”"
    return a.name


def quyet_dinh_context(code: str, df: pd.DataFrame, result: Consolidation, config: Config, narrative: dict,
                       number: str = "") -> dict:
    y = result.year
    a = load_catalog()[code]
    ctx = common("quyet-dinh", config, y, number)
    org = ctx["ten_co_quan"]
    truong = clean(config.get("chuc_vu_cap_truong")).upper() or "GIÁM ĐỐC"
    phrase = _award_phrase(code)
    can_cu = _para_or(narrative, "can_cu_quyet_dinh", [
        *_can_cu_default(y, org),
        chuc_nang_line(config.get("qd_chuc_nang"), ctx["tinh"], org),
        f"Căn cứ kết quả họp Hội đồng Thi đua – Khen thưởng {org} xét khen thưởng năm {y}",
        f"Theo đề nghị của Trưởng phòng Tổ chức cán bộ",
    ])
    can_cu = [c.rstrip(";.") + ("." if i == len(can_cu) - 1 else ";") for i, c in enumerate(can_cu)]
    who = count_phrase(df)
    subjects = set(df["subject"]) if not df.empty else set()
    whom = {frozenset({CA_NHAN}): "Các cá nhân", frozenset({TAP_THE}): "Các tập thể"}.get(
        frozenset(subjects), "Các tập thể, cá nhân")  # Điều 2 names who the decision is for
    if a.kind == "danh_hieu_thi_dua":
        dieu1 = (f"Công nhận danh hiệu “{a.name}” năm {y} cho {who} thuộc các đơn vị trực thuộc {org} "
                 f"(có danh sách kèm theo).")
        dieu2 = (f"{whom} có tên tại Điều 1 được hưởng chế độ khen thưởng theo quy định hiện hành, "
                 "do đơn vị chi trả từ quỹ thi đua, khen thưởng của đơn vị.")
    else:
        dieu1 = (f"Tặng {a.name} cho {who} đã có thành tích xuất sắc trong thực hiện nhiệm vụ năm {y} "
                 f"(có danh sách kèm theo).")
        dieu2 = ("Tiền thưởng kèm theo thực hiện theo quy định hiện hành về thi đua, khen thưởng, do đơn vị chi trả "
                 "từ quỹ thi đua, khen thưởng của đơn vị.")
    dieu3 = _para_or(narrative, "thi_hanh_quyet_dinh",
                     f"Chánh Văn phòng, Trưởng phòng Tổ chức cán bộ {org}, Thủ trưởng các đơn vị có liên quan và "
                     f"{whom.lower()} có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.")[0]
    ctx.update({
        "trich_yeu": f"Về việc {'công nhận' if a.kind == 'danh_hieu_thi_dua' else 'tặng'} {phrase} năm {y}",
        "tham_quyen": f"{truong} {ctx['co_quan_ban_hanh']}",
        "can_cu": can_cu,
        "dieu1": dieu1, "dieu2": dieu2, "dieu3": dieu3,
        "noi_nhan": _noi_nhan(["Như Điều 3", "Ban Giám đốc Sở"], config),
        "tieu_de_danh_sach": f"{'Tập thể, cá nhân' if a.subject == 'both' else 'Tập thể' if a.subject == TAP_THE else 'Cá nhân'} "
                              f"được {'công nhận' if a.kind == 'danh_hieu_thi_dua' else 'tặng'} {phrase} năm {y}",
        "kem_theo": f"(Kèm theo Quyết định số {ctx['so_ky_hieu']} {ctx['ngay']} của {truong.capitalize()} "
                    f"{org})",
    })
    return ctx


def to_trinh_context(target: str, frames: list[tuple[str, pd.DataFrame]], result: Consolidation, config: Config,
                     narrative: dict, number: str = "", codes: list[str] | None = None) -> dict:
    """target 'tinh' (Chủ tịch UBND tỉnh, through Sở Nội vụ) or 'bo' (Bộ trưởng Bộ Y tế).

    codes (the award of each frame): the addressee is asked to grant what is his own and to
    forward (trình) what belongs to the Thủ tướng or the Chủ tịch nước; without codes, all is his.
    """
    y = result.year
    ctx = common("to-trinh", config, y, number)
    org = ctx["ten_co_quan"]
    tinh = ctx["tinh"]
    if target == "tinh":
        kinh_gui = dash_list([f"Chủ tịch Ủy ban nhân dân tỉnh {tinh}", f"Sở Nội vụ tỉnh {tinh}"])
        nguoi = f"Chủ tịch Ủy ban nhân dân tỉnh {tinh}"
        de_nghi_ai = f"Sở Nội vụ xem xét, trình Chủ tịch Ủy ban nhân dân tỉnh {tinh}"
    else:
        kinh_gui = ["Bộ trưởng Bộ Y tế."]
        nguoi = "Bộ trưởng Bộ Y tế"
        de_nghi_ai = "Bộ trưởng Bộ Y tế (qua Vụ Thi đua – Khen thưởng)"
    codes = list(codes) if codes else [None] * len(frames)
    own = [(t, df, c) for (t, df), c in zip(frames, codes) if c is None or grants_itself(target, c)]
    up = [(t, df, c) for (t, df), c in zip(frames, codes) if c is not None and not grants_itself(target, c)]

    def _rows(part):
        return pd.concat([df for _, df, _c in part], ignore_index=True) if part else pd.DataFrame(columns=["subject"])

    chi_tiet = []
    for title, df, code in own + up:
        if not df.empty:
            tt, cn = int((df["subject"] == TAP_THE).sum()), int((df["subject"] == CA_NHAN).sum())
            line = f"{title}: {_subjects(tt, cn)}"
            chi_tiet.append(forward_line(code, title, _subjects(tt, cn)) if (title, df, code) in up else line)
    chi_tiet = [c + (";" if i < len(chi_tiet) - 1 else ".") for i, c in enumerate(chi_tiet)]
    can_cu = _para_or(narrative, "can_cu_to_trinh", [
        *_can_cu_default(y, org),
        f"Căn cứ kết quả họp Hội đồng Thi đua – Khen thưởng {org} xét khen thưởng năm {y}",
    ])
    can_cu = [c.rstrip(";.") + ("." if i == len(can_cu) - 1 else ";") for i, c in enumerate(can_cu)]
    asks = []
    if own:
        asks.append(f"xét tặng danh hiệu thi đua, hình thức khen thưởng cho {count_phrase(_rows(own))}")
    if up:
        asks.append(f"trình cấp có thẩm quyền khen thưởng cho {count_phrase(_rows(up))}")
    ctx.update({
        "trich_yeu": f"Về việc đề nghị {nguoi} khen thưởng cho các tập thể, cá nhân thuộc {org} năm {y}",
        "kinh_gui": kinh_gui,
        "can_cu": can_cu,
        "de_nghi": (f"{org} đề nghị {de_nghi_ai} {' và '.join(asks)} đã có thành tích xuất sắc năm {y} "
                    f"(có danh sách kèm theo), cụ thể:"),
        "chi_tiet": chi_tiet,
        "ket_luan": [f"{org} kính trình {nguoi} xem xét, quyết định./."],
        "noi_nhan": _noi_nhan(["Như trên", "Ban Giám đốc Sở"], config),
        "tieu_de_danh_sach": f"Tập thể, cá nhân đề nghị {nguoi} khen thưởng năm {y}",
        "kem_theo": f"(Kèm theo Tờ trình số {ctx['so_ky_hieu']} {ctx['ngay']} của {org})",
    })
    return ctx

