"""The ribbon's buttons that work on the saved workbook file rather than on its cells.

Documents, certificates, unit files, feedback, email drafts, the history register: each button
saves the workbook, calls the pipeline's steps (the same ones the `thidua` commands call), logs the
run in the audit log as the command would, and returns the alert's text. None runs a command line.
"""
from __future__ import annotations

import os
from pathlib import Path

from .errors import UserError
from .xlboundary import HISTORY_NAME, RESULTS_DIR, book_folder, book_fullname, require, saved_path, status

MAX_LINES = 12  # lines of detail under an alert's first line
from .schema import GUIDE_SHEET  # noqa: E402


def _start(book, module: str, what: str, out_dir: str | None = None) -> tuple[Path, Path | None]:
    """(the saved workbook, its results folder for this button) once the button's module is there."""
    require(module, what)
    path = saved_path(book)
    status(book.app, f"Thi đua: {what.lower()}…")
    return path, (path.parent / RESULTS_DIR / out_dir) if out_dir else None


def _done(what: str, code: int, lines: list[str]) -> str:
    """The alert: the button, whether something needs a look, the last lines of detail."""
    if code == 2:
        raise UserError("\n".join(lines) or f"Không thực hiện được “{what}”.")
    tail = "\n".join(str(x) for x in lines[-MAX_LINES:])
    return f"{what}: xong{' (có lỗi cần xem)' if code == 1 else ''}.\n{tail}"


def _log(command: str, inputs, outputs, counts: dict, code: int, folder: Path, timings=()) -> None:
    from . import audit

    audit.record(folder, command, inputs=[p for p in inputs if Path(p).is_file()], outputs=outputs, counts=counts,
                 exit_code=code, timings=timings)


def _bad_files(intake) -> list[str]:
    return [f"Lỗi tệp: {f.message}" for f in intake.findings if f.code == "BAD_FILE" or f.severity == "error"]


def _decided(path: Path):
    """The saved master read, checked and decided (pipeline steps 1, 2, 4)."""
    from . import pipeline
    from .documents.votes import read_vote_sheet

    votes = read_vote_sheet([path])
    return pipeline.decide(pipeline.validate(pipeline.read([path])), votes), votes


def _excluded_lines(decision) -> list[str]:
    from .decide import DUPLICATE, ERROR_REASON

    faulty = [e for e in decision.excluded if e.reason in (ERROR_REASON, DUPLICATE)]
    lines = []
    if faulty:
        lines.append(f"{len(faulty)} dòng có lỗi không đưa vào quyết định và tờ trình (lỗi, trùng đề nghị).")
    if len(decision.excluded) > len(faulty):
        lines.append(f"{len(decision.excluded) - len(faulty)} dòng không đưa vào theo kết quả xét của Hội đồng, "
                     "của Sở (danh sách đầy đủ, lý do: doi-chieu.xlsx).")
    return lines


# --- documents and certificates -------------------------------------------------------------------
def xuat_van_ban(book) -> str:
    """`thidua report MASTER --out ket-qua/van-ban`: every document of the decision, and doi-chieu.xlsx."""
    from . import pipeline
    from .decide import DUPLICATE, ERROR_REASON
    from .documents import KINDS
    from .documents.outcome import missing_settings

    what = "Xuất văn bản"
    path, out = _start(book, "thidua_xl.documents", what, "van-ban")
    result, _votes = _decided(path)
    lines = _bad_files(result.intake) + _excluded_lines(result.decision)
    lines += [f"Cần bổ sung: {f.message}" for f in missing_settings(result.config, list(KINDS))]
    result = pipeline.render(result, out, KINDS)
    lines += [f"Đã ghi {p.name}" for p in result.documents]
    lines += [f"Không lập “{k}”: không có đề nghị nào thuộc loại văn bản này." for k in KINDS
              if not any(p.stem.lower().startswith(k) for p in result.documents)]
    lines.append(f"Đã ghi {result.reconciliation} (đối chiếu đề nghị → quyết định).")
    faulty = [e for e in result.decision.excluded if e.reason in (ERROR_REASON, DUPLICATE)]
    code = pipeline.exit_code(result.intake, len(faulty))
    _log("report", [path], [*result.documents, result.reconciliation],
         {"documents": len(result.documents), "excluded_rows": len(result.decision.excluded)}, code, out,
         result.timings)
    return _done(what, code, lines)


def _print_form(path: Path) -> tuple[object, list[str]]:
    from .workbook.print_form import outside_paper, read_print_form

    form, source = read_print_form([path])
    lines = [f"Vị trí in: {source or 'mẫu mặc định (tệp không có trang “Mẫu in”)'}."]
    return form, lines + [f"Cảnh báo: {w}." for w in outside_paper(form)]


def in_giay_khen(book) -> str:
    """`thidua report MASTER --kind chung-nhan`: the Sở's certificates on their pre-printed paper."""
    from . import pipeline
    from .documents.certificates import summary

    what = "In giấy khen"
    path, out = _start(book, "thidua_xl.documents.certificates", what, "giay-khen")
    form, lines = _print_form(path)
    result, votes = _decided(path)
    lines += _bad_files(result.intake) + _excluded_lines(result.decision)
    result = pipeline.certificates(result, out, form, None, votes=votes)
    lines += [f"Lưu ý: {w}" for c in result.certificates for w in c.warnings[:20]]
    lines += [f"In giấy khen – {line}" for line in summary(result.certificates)]
    lines += [f"Đã ghi {p.name}" for p in result.documents]
    code = pipeline.exit_code(result.intake)
    _log("report", [path], list(result.documents), {"documents": len(result.documents)}, code, out, result.timings)
    return _done(what, code, lines)


def can_chinh_mau_in(book) -> str:
    """`thidua report MASTER --calibration`: the alignment page, printed on plain paper over the form."""
    from .documents.certificates import render_calibration

    what = "Căn chỉnh mẫu in"
    path, out = _start(book, "thidua_xl.documents.certificates", what, "giay-khen")
    form, lines = _print_form(path)
    page = render_calibration(form, out)
    _log("report", [path], [page], {"documents": 1}, 0, out)
    return _done(what, 0, lines + [f"Đã ghi {page}: in trang này lên giấy trắng, đặt chồng lên phôi để so vị trí."])


# --- the units' files and feedback ----------------------------------------------------------------
def tach_file(book) -> str:
    """`thidua split MASTER --out ket-qua/don-vi`: one workbook per unit, to be emailed."""
    from .workbook.split import split_master

    what = "Tách file đơn vị"
    path, out = _start(book, "thidua_xl.workbook.split", what, "don-vi")
    files = split_master(path, out)
    _log("split", [path], files, {"files": len(files)}, 0, path.parent)
    return _done(what, 0, [f"  {f.name}" for f in files] + [f"Đã ghi {len(files)} tệp đơn vị vào {out}."])


def phan_hoi(book) -> str:
    """`thidua feedback MASTER --out ket-qua/phan-hoi`: each unit with findings gets its own file back."""
    from .feedback import feedback

    what = "Phản hồi đơn vị"
    path, out = _start(book, "thidua_xl.feedback", what, "phan-hoi")
    units, written = feedback([path], out)
    lines = []
    for u in units:
        errors = sum(it.finding.severity == "error" for it in u.items)
        lines.append(f"  {u.out.name}: {u.unit} – {errors} lỗi, {len(u.items) - errors} cảnh báo")
    lines.append(f"Đã ghi {len(written)} tệp phản hồi vào {out}." if units else
                 "Không đơn vị nào có lỗi hay cảnh báo: không có tệp phản hồi nào.")
    _log("feedback", [path], written, {"units": len(units)}, 0, out)
    return _done(what, 0, lines)


# --- email drafts ------------------------------------------------------------------------------
def _drafts(what: str, results, inputs, folder: Path) -> str:
    from .pipeline.delivery import tally

    counts, said = tally(results)
    lines = [d.line() for d in results]
    lines.append(f"Kết quả: {said or 'không có thư nào'}.")
    drafts = sorted({str(d.eml.parent) for d in results if d.eml is not None})
    if drafts:
        lines.append(f"Thư nháp (.eml, mở bằng Outlook/Thunderbird rồi bấm Gửi) trong: {', '.join(drafts)}")
    code = 1 if any(not d.ok for d in results) else 0
    _log("email", inputs, [d.eml for d in results if d.eml is not None], counts, code, folder)
    return _done(what, code, lines)


def gui_email(book) -> str:
    """Drafts (.eml, opened and sent from Outlook) of what the other buttons produced.

    Each unit gets its file from "Tách file đơn vị" and its feedback from "Phản hồi đơn vị"; the
    documents of "Xuất văn bản" go to the addresses of `Email nhận văn bản` in Cấu hình. Drafts
    only: Excel cannot ask for a password.
    """
    from .pipeline import delivery

    require("thidua_xl.mail", "Gửi email")
    path = saved_path(book)
    results = path.parent / RESULTS_DIR
    out = results / "thu"
    status(book.app, "Thi đua: soạn thư…")
    parts = []
    if (results / "don-vi").is_dir():
        sent = delivery.send_unit_files(path, results / "don-vi", units=None, kind="don-vi", **delivery.draft_options(out))
        parts.append(_drafts("Gửi email cho đơn vị", sent, [path], results / "don-vi"))
    feedback = results / "phan-hoi"
    if feedback.is_dir() and any(feedback.glob("*.xlsx")):
        master, folder, codes = delivery.feedback_recipients(feedback, path)
        sent = delivery.send_unit_files(master, folder, units=codes, kind="phan-hoi",
                                        **delivery.draft_options(out / "phan-hoi"))
        parts.append(_drafts("Gửi phản hồi cho đơn vị", sent, [master], folder))
    docs = results / "van-ban"
    if docs.is_dir() and any(docs.glob("*.docx")):
        try:
            sent = delivery.send_documents(docs, None, master=path, everything=False,
                                           **delivery.draft_options(out / "van-ban"))
            parts.append(_drafts("Gửi văn bản", sent, [docs], docs))
        except Exception as exc:  # noqa: BLE001 - e.g. no recipient configured: say so, keep the unit drafts
            if not parts:
                raise
            parts.append(f"Gửi văn bản: chưa làm được — {exc}")
    if not parts:
        raise UserError("Chưa có gì để gửi: hãy bấm “Tách file đơn vị” hoặc “Xuất văn bản” trước.")
    return "\n\n".join(parts)


# --- the history register -------------------------------------------------------------------------
def luu_lich_su(book) -> str:
    """`thidua history archive MASTER --year Y`: the year's granted awards into the register beside it."""
    from . import pipeline
    from .documents.votes import read_vote_sheet
    from .pipeline.outputs import refresh_history_sheet

    path, _out = _start(book, "thidua_xl.history", "Lưu kết quả vào lịch sử")
    db = path.parent / HISTORY_NAME
    result = pipeline.read([path])
    if pipeline.exit_code(result.intake) == 2:
        raise UserError("\n".join(_bad_files(result.intake)) or f"Không đọc được “{path.name}”.")
    is_master = any(f.kind == "master" for f in result.intake.files)
    result = pipeline.archive(result, db, read_vote_sheet([path]) if is_master else None)
    done = result.archived
    rows_said = [f for f in done.findings if f.code != "NOT_GRANTED"]
    warnings = [f.message for f in done.findings if f.code == "NOT_GRANTED"]
    lines = [f"{'Không lưu' if f.severity == 'error' else 'Chưa lưu'}: {f.where}: {f.message}" for f in rows_said[:5]]
    if len(rows_said) > 5:
        lines.append(f"  … và {len(rows_said) - 5} dòng khác.")
    lines += [f"CHÚ Ý: {w}" for w in warnings]
    lines.append(f"Sổ lịch sử {db}: năm {result.year}, {done.rows} khen thưởng đã quyết định, thêm {done.added} "
                 f"bản ghi mới, {done.already} bản ghi đã có, {len(rows_said)} dòng chưa lưu"
                 + (f", {done.pending} dòng đề nghị chờ quyết định (chưa phải khen thưởng)." if done.pending else "."))
    for m in (Path(f.path) for f in result.intake.files if f.kind == "master"):
        try:
            rows = refresh_history_sheet(m, db, result.intake)
        except UserError as exc:
            lines.append(f"Không cập nhật trang “Lịch sử”: {exc}")
        else:
            if rows is not None:
                lines.append(f"Đã cập nhật trang “Lịch sử” của {m.name}: {rows} dòng.")
    code = max(pipeline.exit_code(result.intake), 1 if done.refused else 0)
    _log("history archive", [path], [db], {"added": done.added, "already": done.already, "refused": len(rows_said),
                                           "pending": done.pending, "warnings": warnings}, code, path.parent,
         result.timings)
    return f"Đã lưu kết quả năm {result.year} vào sổ lịch sử {HISTORY_NAME}.\n" + "\n".join(lines[-MAX_LINES:])


# --- the folder and the guide ---------------------------------------------------------------------
def mo_thu_muc(book) -> str:
    folder = book_folder(book) / RESULTS_DIR
    folder.mkdir(parents=True, exist_ok=True)
    if hasattr(os, "startfile"):
        os.startfile(folder)  # noqa: S606 - Windows Explorer
        return ""
    return f"Thư mục kết quả: {folder}"


def huong_dan(book) -> str:
    """The steps, and the machine as this very process sees it (the interpreter Excel started)."""
    if GUIDE_SHEET in [s.name for s in book.sheets]:
        book.sheets[GUIDE_SHEET].activate()
    steps = ("Các bước: 1. Điền trang Cấu hình và Đơn vị (bấm “Thêm đơn vị” để tạo trang cho đơn vị mới). "
             "2. “Tách file đơn vị” rồi “Gửi email” cho các đơn vị. 3. Chép tệp gửi về vào thư mục kết quả, "
             "“Nhập file đơn vị”. 4. “Kiểm tra”, sửa các dòng báo lỗi. 5. “Tổng hợp”, “Xuất văn bản”. "
             "6. Sau khi có quyết định: “Lưu kết quả vào lịch sử”.")
    try:
        from . import doctor

        try:
            workbook = Path(book_fullname(book))
        except UserError:
            workbook = None
        if workbook is not None and not workbook.is_absolute():
            workbook = None
        machine = doctor.summary(doctor.run_checks(workbook, package=False))
    except Exception as exc:  # noqa: BLE001 - the guide must show even if a check breaks
        machine = f"Kiểm tra máy: không thực hiện được ({type(exc).__name__}: {exc})."
    return (steps + "\n\n" + machine + "\n\nKiểm tra đầy đủ (cả thời gian khởi động): Alt+F8 → "
            "ThiDua_KiemTraMay → Run, hoặc lệnh “thidua doctor” trong cửa sổ lệnh.")
