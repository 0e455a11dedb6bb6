"""Biên bản họp Hội đồng Thi đua – Khen thưởng (NĐ 30 Mẫu 1.9): who met, what was voted, with what result."""
from __future__ import annotations

import datetime as dt
import re

from ..catalog import CA_NHAN, TAP_THE, load_catalog
from ..config import Config
from ..consolidate import Consolidation
from ..text import clean, ngay_vn, so2
from .context import _para_or, common


def _pct(votes: int, total: int) -> str:
    """Vietnamese percentage with a decimal comma: 92,9 / 100."""
    if not total:
        return ""
    text = f"{votes * 100 / total:.1f}"
    return (text[:-2] if text.endswith(".0") else text).replace(".", ",")


def _vote(vote, members: int) -> tuple[int | None, int]:
    """(votes in favour, out of how many): a Vote's own member count, else the members present."""
    if vote is None:
        return None, members
    if isinstance(vote, int):
        return vote, members
    return vote.dong_y, vote.thanh_vien or members


_MEETING_DAY = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})|(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})",
                          re.IGNORECASE)


def meeting_date(text: object) -> dt.date | None:
    """The day in 'Thời gian họp' ('14 giờ 00 ngày 20 tháng 12 năm 2025', '14h 20/12/2025'), or None."""
    m = _MEETING_DAY.search(clean(text))
    if not m:
        return None
    d, mo, y = (int(x) for x in (m.group(1, 2, 3) if m.group(1) else m.group(4, 5, 6)))
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def bien_ban_context(result: Consolidation, config: Config, narrative: dict, votes: dict | None = None,
                     decision=None) -> dict:
    """Biên bản họp Hội đồng TĐKT (NĐ 30 Mẫu 1.9).

    votes: {award code: số phiếu đồng ý, or a votes.Vote that also says how many members voted}.
    decision (decide.Decision): the table counts what was put to the vote (valid proposals), the
    conclusion states each award's result and the rows the Hội đồng said no to.
    """
    if decision is not None:
        result, votes = decision.valid, decision.votes
    y = result.year
    ctx = common("bien-ban", config, y, config.get("so_bien_ban"))
    held = meeting_date(config.get("thoi_gian_hop"))
    if held is not None:  # the minutes are dated the day of the meeting
        ctx["ngay"], ctx["ngay_iso"] = ngay_vn(held), held.isoformat()
    org = ctx["ten_co_quan"]
    votes = votes or {}

    def _int(name: str) -> int:
        v = clean(config.get(name))
        return int(v) if v.isdigit() else 0

    tong, co_mat = _int("hoi_dong_tong_so"), _int("hoi_dong_co_mat")
    ket_qua = []
    cat = load_catalog()
    for code, t in result.totals.items():
        tt, cn = t.get(TAP_THE, 0), t.get(CA_NHAN, 0)
        if not (tt or cn):
            continue
        v, of = _vote(votes.get(code), co_mat or tong)
        ket_qua.append({
            "stt": str(len(ket_qua) + 1), "ten": cat[code].name, "tap_the": so2(tt) if tt else "",
            "ca_nhan": so2(cn) if cn else "",
            "phieu": f"{v}/{of}" if v is not None and of else ("" if v is None else str(v)),
            "ty_le": _pct(v, of) if v is not None else "",
        })
    chu_tri = clean(config.get("chu_tich_hoi_dong")) or clean(config.get("giam_doc"))
    thu_ky = clean(config.get("thu_ky_hoi_dong"))
    thanh_phan = (f"{co_mat}/{tong} thành viên Hội đồng Thi đua – Khen thưởng {org} có mặt." if tong
                  else "Các thành viên Hội đồng Thi đua – Khen thưởng (danh sách kèm theo).")
    ctx.update({
        "hoi_dong": "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
        "trich_yeu": f"Họp Hội đồng Thi đua – Khen thưởng {org} xét khen thưởng năm {y}",
        "thoi_gian_hop": clean(config.get("thoi_gian_hop")) or "…… giờ …… ngày …… tháng …… năm ……",
        "dia_diem_hop": clean(config.get("dia_diem_hop")) or f"Hội trường {org}",
        "thanh_phan": thanh_phan,
        "chu_tri": chu_tri + ", Chủ tịch Hội đồng" if chu_tri else "Chủ tịch Hội đồng",
        "thu_ky": thu_ky or "……",
        "chu_tri_ten": chu_tri, "thu_ky_ten": thu_ky,
        "noi_dung": _para_or(narrative, "noi_dung_bien_ban", [
            f"Thư ký Hội đồng báo cáo tổng hợp đề nghị khen thưởng năm {y} của các đơn vị trực thuộc ({result.rows} "
            f"lượt đề nghị từ {len(result.units)} đơn vị) và kết quả kiểm tra hồ sơ.",
            "Các thành viên Hội đồng thảo luận, bỏ phiếu kín đối với từng danh hiệu, hình thức khen thưởng.",
        ]),
        "ket_qua": ket_qua,
        "ket_luan": _para_or(narrative, "ket_luan_bien_ban",
                             f"Hội đồng thống nhất đề nghị Giám đốc {org} quyết định công nhận danh hiệu, tặng "
                             f"Giấy khen theo thẩm quyền; trình cấp có thẩm quyền khen thưởng các danh hiệu, hình "
                             f"thức khen thưởng cấp trên theo kết quả bỏ phiếu nêu trên."),
        "ket_thuc_hop": clean(config.get("ket_thuc_hop")) or "…… giờ …… cùng ngày",
    })
    if decision is not None:
        from .outcome import meeting_summary, vote_conclusions

        if not narrative.get("noi_dung_bien_ban"):
            ctx["noi_dung"][0] = meeting_summary(decision)
        ctx["ket_luan"] = vote_conclusions(decision) + ctx["ket_luan"]
    return ctx
