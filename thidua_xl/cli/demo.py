"""`thidua demo`: a year of a provincial health sector, end to end, in one folder.

It generates a Sở Y tế with twelve units, writes the master workbook, splits it,
lets the units "send back" their files (some made by hand, with the usual
mistakes), collects them, checks, consolidates, renders the documents and leaves
the emails as drafts — each stage through the pipeline's steps, writing exactly what
the command a user would run writes (each step is logged in the audit log under it).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import typer

from ..errors import UserError
from .root import app
from .common import _audit, console, exit_code_for

DEMO_YEAR_OFFSET = 1  # the demo works on last year's results, as the Sở does in December/January

NARRATIVE = {
    "can_cu_bao_cao": "Căn cứ Công văn số 1414/SNV-TĐKT ngày 14/12/{year} của Sở Nội vụ về việc hướng dẫn tổng kết "
                      "phong trào thi đua, công tác khen thưởng năm {year}.",
    "dac_diem_tinh_hinh": "Sở Y tế là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, giúp Ủy ban nhân dân tỉnh thực "
                          "hiện chức năng quản lý nhà nước về công tác y tế trên địa bàn.",
    "thuan_loi": "Ngành Y tế nhận được sự quan tâm, chỉ đạo trực tiếp của Tỉnh ủy, Hội đồng nhân dân, Ủy ban nhân "
                 "dân tỉnh và của Bộ Y tế; cán bộ, công chức, viên chức tích cực hưởng ứng các phong trào thi đua.",
    "kho_khan": "Quỹ thi đua, khen thưởng của đơn vị hạn hẹp, khó khăn trong khen thưởng đột xuất.",
    "lanh_dao_chi_dao": "Sở Y tế kịp thời ban hành kế hoạch triển khai công tác thi đua, khen thưởng năm {year} và "
                        "hướng dẫn các đơn vị đăng ký thi đua từ đầu năm.",
    "to_chuc_phong_trao": "Phong trào “Đổi mới phong cách, thái độ phục vụ của cán bộ y tế hướng tới sự hài lòng "
                          "của người bệnh” và phong trào thi đua chuyên đề được các đơn vị hưởng ứng tích cực.",
    "ket_qua_chuyen_mon": "Công tác khám chữa bệnh được thực hiện tốt tại các tuyến, bảo đảm thường trực cấp cứu "
                          "24/24 giờ; công tác phòng, chống dịch bệnh được triển khai chủ động.",
    "uu_diem": "Phong trào thi đua được phát động sôi nổi, rộng khắp; công tác khen thưởng kịp thời, đúng quy định.",
    "ton_tai": "Một số đơn vị gửi hồ sơ đề nghị khen thưởng chậm, danh sách còn sai sót.",
    "bai_hoc": "Phong trào thi đua phải bám sát nhiệm vụ chính trị của đơn vị; khen thưởng phải đúng người, "
               "đúng thành tích.",
    "kien_nghi": "Không.",
    "phuong_huong": "Tiếp tục đổi mới nội dung, hình thức tổ chức các phong trào thi đua; nâng cao chất lượng "
                    "công tác khen thưởng; chú trọng khen thưởng người lao động trực tiếp.",
    "chu_de_phat_dong": "Công chức, viên chức, người lao động ngành Y tế đoàn kết, kỷ cương, liêm chính, hành động, "
                        "trách nhiệm, sáng tạo, hiệu quả, thi đua thực hiện các nhiệm vụ được giao năm {next}",
    "muc_tieu": "Phát huy tinh thần đoàn kết, chủ động sáng tạo của mỗi tập thể, cá nhân, phấn đấu hoàn thành "
                "xuất sắc nhiệm vụ được giao năm {next}.",
    "giai_phap": "Tiếp tục quán triệt Luật Thi đua, khen thưởng năm 2022 và các văn bản hướng dẫn; gắn phong trào "
                 "thi đua với nhiệm vụ chuyên môn; phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến.",
    "to_chuc_thuc_hien": "Các phòng chuyên môn thuộc Sở, các đơn vị trực thuộc căn cứ nội dung phát động tổ chức "
                         "triển khai thực hiện, báo cáo kết quả về Sở Y tế (qua phòng Tổ chức cán bộ).",
}

CONFIG = {
    "tinh": "Lào Cai",
    "dia_danh": "Lào Cai",
    "co_quan_chu_quan": "UBND TỈNH LÀO CAI",
    "co_quan_ban_hanh": "SỞ Y TẾ",
    "giam_doc": "Trần Minh Đức",
    "nguoi_ky": "Trần Minh Đức",
    "chuc_vu_nguoi_ky": "GIÁM ĐỐC",
    "email_gui": "tdkt@syt.example.vn",
    "email_nhan_bao_cao": "bantdkt@snv.example.vn",
    # the 2022 law sets no CSTĐCS ratio: the demo province's own quy chế does (an invented example)
    "ty_le_cstdcs": "15%",
    "can_cu_ty_le_cstdcs": "Quy chế thi đua, khen thưởng của tỉnh (ví dụ của bản trình diễn), Điều 8",
    # the Hội đồng's meeting, for the biên bản (its votes go into the `Biểu quyết` sheet: _write_votes)
    "hoi_dong_tong_so": "15",
    "hoi_dong_co_mat": "14",
    "chu_tich_hoi_dong": "Trần Minh Đức",
    "thu_ky_hoi_dong": "Lê Thị Thu Hà",
    "dia_diem_hop": "Hội trường Sở Y tế",
    "ket_thuc_hop": "16 giờ 30 cùng ngày",
}


def _write_votes(workbook, info) -> None:
    """The Hội đồng's secret ballot as the secretary types it: members voting, votes in favour."""
    from ..catalog import load_catalog
    from ..schema import VOTES_SHEET

    ws = workbook.get_worksheet_by_name(VOTES_SHEET)
    present = int(CONFIG["hoi_dong_co_mat"])
    for i, _award in enumerate(load_catalog()):
        ws.write_number(3 + i, 2, present)
        ws.write_number(3 + i, 3, present - i % 3)


def _frame_for_master(nominations):
    """The generator's award codes become what a unit would type: the award's name."""
    from ..catalog import SUBJECT_LABEL, load_catalog

    cat = load_catalog()
    df = nominations.copy()
    df["hinh_thuc"] = [cat[a].name if a in cat.by_code else a for a in df["award"]]
    df["doi_tuong"] = [SUBJECT_LABEL.get(s, "") for s in df["subject"]]
    return df


@app.command()
def demo(out: Path = typer.Option(Path("demo"), "--out", help="Thư mục ghi bản trình diễn.")):
    """Tạo bộ dữ liệu mẫu của một Sở Y tế và chạy mọi bước."""
    summary = run_demo(out, echo=console.print)
    console.print(f"[bold green]Xong.[/] Kết quả trong thư mục {out}: {summary}")


def run_demo(out: str | Path, echo: Callable[[str], None] = print, year: int | None = None) -> str:
    """Write the whole demo into `out`; returns a one-line summary. Never asks anything."""
    import datetime as dt

    from ..sample import DEMO_TOTALS, generate, inject_mistakes, write_unit_files

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    year = year or dt.date.today().year - DEMO_YEAR_OFFSET
    narrative = {k: v.format(year=year, next=year + 1) for k, v in NARRATIVE.items()}
    province = generate(DEMO_TOTALS, year=year, seed=year)
    mistakes = inject_mistakes(province)
    master = out / f"ThiDua-{year}.xlsx"
    returned = out / "don-vi-gui-ve"
    split_dir = out / "gui-don-vi"
    done: list[str] = []
    skipped: list[str] = []

    def step(label: str, command: str, work: Callable[[], str | None]) -> bool:
        """One stage: its label and the command that does the same, then what it did (or why not)."""
        echo(f"\n== {label} (như lệnh: thidua {command})")
        try:
            said = work()
        except UserError as exc:
            skipped.append(label)
            echo(f"   (lỗi: {exc})")
            return False
        done.append(label)
        if said:
            echo(f"   {said}")
        return True

    # 1. the master workbook of the year, with settings, units, narrative texts and initiatives
    echo(f"Tạo tệp tổng hợp {master.name} cho {len(province.units)} đơn vị, năm {year}.")
    from ..workbook.master import create_master

    create_master(master, year, province.units, initiatives=province.initiatives,
                  narrative=narrative, customize=_write_votes,
                  config={**CONFIG, "thoi_gian_hop": f"14 giờ 00 ngày 20 tháng 12 năm {year}",
                          # the documents' dates and first decision number come from here, never the clock
                          "ngay_van_ban": f"25/12/{year}", "ngay_cong_van": f"15/01/{year + 1}",
                          "so_quyet_dinh": "115", "so_to_trinh": "120", "so_bao_cao": "118",
                          "so_bien_ban": "01", "so_cong_van": "12",
                          "qd_chuc_nang": "05/2025/QĐ-UBND ngày 10/3/2025"})
    done.append("Tạo tệp tổng hợp")
    # 2. split: one file per unit, to be emailed
    step("Tách tệp đơn vị", f"split {master.name} --out {split_dir.name}", lambda: _split(master, split_dir))
    # 3. the units send their files back (half of them made by hand, with the usual mistakes)
    write_unit_files(province, returned)
    echo(f"Các đơn vị gửi về {len(list(returned.glob('*.xlsx')))} tệp (có lỗi thường gặp: {'; '.join(mistakes)}).")
    # 4. collect them into the master (backup first)
    collected = step("Nhập tệp đơn vị", f"collect {returned.name} --into {master.name}",
                     lambda: _collect(returned, master))
    sources = [master] if collected else [returned]
    # 5. last years' awards into the history register
    history_file = out / "lich-su-khen-thuong.xlsx"
    _write_history(province, history_file)
    db = out / "thidua-history.sqlite"
    has_history = step("Nhập lịch sử", f"history import {history_file.name} --history {db.name}",
                       lambda: _import_history(history_file, db))
    # 6. check, consolidate, render, deliver
    into = master if collected else None
    step("Kiểm tra", "validate … --json kiem-tra.json --out kiem-tra.xlsx" + (" --into …" if into else ""),
         lambda: _validate(sources, year, db if has_history else None, out, into))
    step("Tổng hợp", "consolidate … --json tong-hop.json --out tong-hop.xlsx" + (" --into …" if into else ""),
         lambda: _consolidate(sources, year, out, into))
    docs = out / "van-ban"
    step("Xuất văn bản", f"report … --out {docs.name}", lambda: _report(sources, year, docs))
    if docs.exists() and any(docs.iterdir()):
        step("Thư nháp gửi văn bản", f"email --docs {docs.name} --to … --draft thu-nhap",
             lambda: _draft_documents(docs, out / "thu-nhap"))
    if collected and split_dir.exists():
        step("Thư nháp gửi đơn vị", f"email --units {master.name} --split-dir {split_dir.name} --draft thu-nhap-don-vi",
             lambda: _draft_unit_files(master, split_dir, out / "thu-nhap-don-vi"))
    if has_history and collected:
        step("Lưu lịch sử", f"history archive {master.name} --year {year}",
             lambda: _archive(master, year, db.with_name("thidua-history-sau-luu.sqlite")))
    summary = f"{len(done)} bước đã chạy ({', '.join(done)})"
    if skipped:
        summary += f"; chưa chạy: {', '.join(skipped)}"
    return summary


# --- the stages, each as the command of the same name does it --------------------------------------
def _split(master: Path, split_dir: Path) -> str:
    from ..workbook.split import split_master

    files = split_master(master, split_dir)
    _audit("split", [master], files, {"files": len(files)}, 0, folder=master.parent)
    return f"Đã ghi {len(files)} tệp đơn vị vào {split_dir}."


def _collect(folder: Path, master: Path) -> str:
    from ..pipeline.outputs import collect_into

    report, _refreshed = collect_into(folder, master)
    _audit("collect", [folder, master], [master] if report.written else [],
           {"units": len(report.units), "refused": len(report.refused), "dry_run": False}, report.exit_code,
           folder=master.parent)
    if report.exit_code not in (0, 1):
        raise UserError("; ".join(report.lines()))
    return f"Đã cập nhật {master.name} ({len(report.units)} đơn vị)."


def _import_history(file: Path, db: Path) -> str:
    from .. import history as register

    result = register.import_file(db, file)
    code = 1 if result.refused else 0
    _audit("history import", [file], [db], {"added": result.added, "already": result.already,
                                           "refused": result.refused}, code, folder=file.parent)
    if code:
        raise UserError(f"bỏ qua {result.refused} dòng lỗi")
    return f"Sổ lịch sử {db.name}: thêm {result.added} bản ghi."


def _validate(sources: list[Path], year: int, history, out: Path, into: Path | None) -> str:
    from .. import pipeline
    from ..pipeline.outputs import findings_json, write_findings

    result = pipeline.validate(pipeline.read(sources, year), history=history)
    written = write_findings(result, json_out=out / "kiem-tra.json", out=out / "kiem-tra.xlsx", into=into)
    counts = findings_json(result)["counts"]
    _audit("validate", sources, [written[k] for k in ("json", "xlsx", "into") if k in written], counts,
           exit_code_for(result.intake, counts["error"]), timings=result.timings)
    return f"{counts['error']} lỗi, {counts['warning']} cảnh báo."


def _consolidate(sources: list[Path], year: int, out: Path, into: Path | None) -> str:
    from .. import pipeline
    from ..pipeline.outputs import write_totals

    result = pipeline.consolidate(pipeline.read(sources, year))
    written = write_totals(result, json_out=out / "tong-hop.json", out=out / "tong-hop.xlsx", into=into)
    _audit("consolidate", sources, [written[k] for k in ("json", "xlsx", "into") if k in written],
           {"rows": result.consolidation.rows, "bad_files": len(result.intake.bad_files)},
           exit_code_for(result.intake), timings=result.timings)
    return f"{result.consolidation.rows} lượt đề nghị."


def _report(sources: list[Path], year: int, docs: Path) -> str:
    from .. import pipeline
    from ..decide import DUPLICATE, ERROR_REASON
    from ..documents.votes import read_vote_sheet

    result = pipeline.decide(pipeline.validate(pipeline.read(sources, year)), read_vote_sheet(sources))
    result = pipeline.render(result, docs)
    outputs = [*result.documents, result.reconciliation]
    faulty = [e for e in result.decision.excluded if e.reason in (ERROR_REASON, DUPLICATE)]
    _audit("report", sources, outputs, {"documents": len(result.documents),
                                        "excluded_rows": len(result.decision.excluded)},
           exit_code_for(result.intake, len(faulty)), timings=result.timings)
    return f"Đã ghi {len(result.documents)} văn bản và bảng đối chiếu vào {docs}."


def _drafts(command: str, results, inputs: list[Path], folder: Path) -> str:
    from ..pipeline.delivery import tally

    counts, summary = tally(results)
    bad = [d for d in results if not d.ok]
    _audit(command, inputs, [d.eml for d in results if d.eml is not None], counts, 1 if bad else 0, folder=folder)
    return f"Kết quả: {summary or 'không có thư nào'}."


def _draft_documents(docs: Path, draft_dir: Path) -> str:
    from ..pipeline.delivery import draft_options, send_documents

    results = send_documents(docs, [CONFIG["email_nhan_bao_cao"]], master=None, everything=False,
                             **draft_options(draft_dir, CONFIG["email_gui"]))
    return _drafts("email", results, [docs], docs)


def _draft_unit_files(master: Path, split_dir: Path, draft_dir: Path) -> str:
    from ..pipeline.delivery import draft_options, send_unit_files

    results = send_unit_files(master, split_dir, units=None, kind="don-vi", **draft_options(draft_dir))
    return _drafts("email", results, [master], split_dir)


def _archive(master: Path, year: int, db: Path) -> str:
    from .. import pipeline
    from ..documents.votes import read_vote_sheet
    from ..pipeline.outputs import refresh_history_sheet

    result = pipeline.archive(pipeline.read([master], year), db, read_vote_sheet([master]))
    refresh_history_sheet(master, db, result.intake)
    done = result.archived
    rows_said = [f for f in done.findings if f.code != "NOT_GRANTED"]
    _audit("history archive", [master], [db], {"added": done.added, "already": done.already,
                                               "refused": len(rows_said), "pending": done.pending,
                                               "warnings": [f.message for f in done.findings
                                                            if f.code == "NOT_GRANTED"]},
           max(exit_code_for(result.intake), 1 if done.refused else 0), timings=result.timings)
    return f"Sổ lịch sử {db.name}: năm {year}, thêm {done.added} bản ghi mới."


def _write_history(province, path: Path) -> Path:
    """The register of earlier years as the Sở would export it (the headers of docs/interface.md §6)."""
    import openpyxl

    from ..catalog import load_catalog
    from ..schema import HISTORY_SHEET
    from ..text import date_text

    cat = load_catalog()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = HISTORY_SHEET
    ws.append(["Họ và tên", "Ngày sinh", "Đơn vị", "Năm", "Hình thức", "Số quyết định"])
    for r in province.history.itertuples(index=False):
        d = (date_text(r.ngay_sinh) or None) if r.ngay_sinh is not None else None
        ws.append([r.ho_ten, d, r.unit, int(r.nam), cat[r.award].name, f"{100 + int(r.nam) % 100}/QĐ-SYT"])
    from ..fileio import atomic_path

    with atomic_path(path) as tmp:
        wb.save(tmp)
    return path
