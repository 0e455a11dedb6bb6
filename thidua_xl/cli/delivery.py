"""Delivery: `email` (documents, unit files, feedback) through the pipeline's delivery step."""
from __future__ import annotations

import os
import sys

from pathlib import Path
from typing import List, Optional

import typer

from ..errors import UserError
from .root import app
from .common import _audit, console, err


@app.command()
def email(
    docs: Optional[Path] = typer.Option(None, "--docs", help="Thư mục văn bản: gửi mọi tệp .docx/.pdf/.xlsx trong đó."),
    to: Optional[List[str]] = typer.Option(None, "--to", help="Người nhận (lặp lại cho nhiều người; mỗi người một thư)."),
    units: Optional[Path] = typer.Option(None, "--units", help="Tệp tổng hợp: gửi mỗi đơn vị tệp <Mã đơn vị>.xlsx của nó."),
    feedback_dir: Optional[Path] = typer.Option(None, "--feedback", help="Thư mục phản hồi (do lệnh feedback tạo): gửi "
                                                                        "mỗi đơn vị có lỗi tệp phản hồi của nó."),
    split_dir: Optional[Path] = typer.Option(None, "--split-dir", help="Thư mục các tệp đơn vị (do lệnh split tạo)."),
    only: Optional[List[str]] = typer.Option(None, "--unit", help="Chỉ gửi cho đơn vị có mã này (lặp lại được)."),
    master: Optional[Path] = typer.Option(None, "--master", help="Tệp tổng hợp để lấy mặc định từ trang Cấu hình (với --docs)."),
    draft: Optional[Path] = typer.Option(None, "--draft", help="Lưu thư nháp .eml vào thư mục này (mặc định: <thư mục>/ban-nhap)."),
    send: bool = typer.Option(False, "--send", help="Gửi qua máy chủ SMTP."),
    smtp_host: Optional[str] = typer.Option(None, "--smtp-host", help="Máy chủ SMTP."),
    smtp_port: Optional[int] = typer.Option(None, "--smtp-port", help="Cổng SMTP (mặc định 587 STARTTLS, 465 SSL)."),
    starttls: bool = typer.Option(False, "--starttls", help="Mã hóa bằng STARTTLS."),
    use_ssl: bool = typer.Option(False, "--ssl", help="Mã hóa SSL/TLS ngay từ đầu (thường cổng 465)."),
    no_tls: bool = typer.Option(False, "--no-tls", help="Không mã hóa (chỉ với máy chủ nội bộ)."),
    cafile: Optional[Path] = typer.Option(None, "--cafile", help="Tệp chứng chỉ (PEM) cần tin cậy thêm, ví dụ của máy chủ Sở."),
    user: Optional[str] = typer.Option(None, "--user", help="Tài khoản đăng nhập SMTP."),
    password_env: Optional[str] = typer.Option(None, "--password-env", help="Tên biến môi trường chứa mật khẩu SMTP."),
    sender: Optional[str] = typer.Option(None, "--from", help="Địa chỉ người gửi."),
    subject: Optional[str] = typer.Option(None, "--subject", help="Tiêu đề thư (mặc định: theo mẫu)."),
    year: Optional[int] = typer.Option(None, "--year", help="Năm thi đua (ghi trong tiêu đề, nội dung)."),
    max_size: float = typer.Option(10.0, "--max-size", help="Dung lượng tối đa một thư, MB (0: không giới hạn)."),
    templates: Optional[Path] = typer.Option(None, "--templates", help="Thư mục mẫu email (*.j2) thay cho mẫu có sẵn."),
    unsent: Optional[Path] = typer.Option(None, "--unsent-dir", help="Nơi lưu thư chưa gửi được (mặc định: <thư mục>/chua-gui)."),
    retries: int = typer.Option(3, "--retries", help="Số lần thử lại khi lỗi tạm thời."),
    retry_delay: float = typer.Option(2.0, "--retry-delay", help="Giây chờ trước lần thử lại đầu (gấp đôi mỗi lần)."),
    timeout: float = typer.Option(60.0, "--timeout", help="Giây chờ máy chủ trả lời."),
    all_docs: bool = typer.Option(False, "--tat-ca", help="Với --docs: gửi cả quyết định, biên bản, công văn, "
                                  "tờ trình Bộ Y tế, đối chiếu (mặc định chỉ gửi văn bản gửi tỉnh)."),
):
    """Gửi email văn bản hoặc tệp đơn vị (hoặc lưu thư nháp .eml)."""
    from ..pipeline import delivery

    if feedback_dir is not None:
        if docs is not None or split_dir is not None:
            raise UserError("--feedback không dùng cùng --docs hay --split-dir.")
        units, split_dir, only = delivery.feedback_recipients(feedback_dir, units, only)
    if (docs is None) == (units is None):
        raise UserError("Chọn một trong ba: --docs THU_MUC --to ĐỊA_CHỈ, --units TỆP_TỔNG_HỢP --split-dir THU_MUC, "
                        "hoặc --feedback THU_MUC_PHẢN_HỒI.")
    if units is not None and split_dir is None:
        raise UserError("Thiếu --split-dir: thư mục chứa các tệp <Mã đơn vị>.xlsx.")
    if docs is not None and (split_dir is not None or only):
        raise UserError("--split-dir và --unit chỉ dùng với --units.")
    if units is not None and (to or master is not None):
        raise UserError("Với --units, người nhận là email của từng đơn vị trong trang Đơn vị: bỏ --to và --master.")
    if send and draft is not None:
        raise UserError("Chọn --draft (lưu thư nháp) hoặc --send (gửi ngay), không dùng cả hai.")
    if sum((starttls, use_ssl, no_tls)) > 1:
        raise UserError("Chỉ chọn một trong --starttls, --ssl, --no-tls.")
    if max_size < 0:
        raise UserError("--max-size phải là số MB không âm.")
    mode = "send" if send else "draft"
    defaults = delivery.defaults(units if units is not None else master)
    smtp = None
    if send:
        security = "starttls" if starttls else "ssl" if use_ssl else "none" if no_tls else (defaults.security or "starttls")
        login = user if user is not None else defaults.user
        password = None
        if login:
            if password_env:
                password = os.environ.get(password_env)
                if not password:
                    raise UserError(f"Biến môi trường {password_env} chưa có mật khẩu SMTP.")
            elif sys.stdin is not None and sys.stdin.isatty():
                import getpass

                password = getpass.getpass(f"Mật khẩu SMTP của {login}: ")
            else:
                raise UserError("Thiếu mật khẩu SMTP: đặt mật khẩu vào một biến môi trường và dùng "
                                "--password-env TÊN_BIẾN (không ghi mật khẩu vào tệp hay dòng lệnh).")
        elif password_env:
            raise UserError("--password-env cần đi kèm --user (tài khoản SMTP).")
        host = smtp_host or defaults.host
        if not host:
            raise UserError("Thiếu máy chủ SMTP: dùng --smtp-host (hoặc điền “Máy chủ SMTP” trong trang Cấu hình).")
        smtp = delivery.smtp_settings(host=host, port=smtp_port or defaults.port, security=security, user=login or "",
                                       password=password, cafile=str(cafile) if cafile else None, timeout=timeout,
                                       retries=max(0, retries), retry_delay=max(0.0, retry_delay))
    common = dict(mode=mode, smtp=smtp, sender=sender or "", subject=subject, draft_dir=draft, unsent_dir=unsent,
                  year=year, max_size=int(max_size * 1024 * 1024) or None, templates=templates,
                  on_result=lambda d: (console if d.ok else err).print(d.line(), markup=False, soft_wrap=True))
    if docs is not None:
        results = delivery.send_documents(docs, to or None, master=master, everything=all_docs, **common)
        base = docs
    else:
        results = delivery.send_unit_files(units, split_dir, units=only or None,
                                           kind="phan-hoi" if feedback_dir is not None else "don-vi", **common)
        base = split_dir
    bad = [d for d in results if not d.ok]
    kept = sorted({str(d.eml.parent) for d in results if d.eml is not None and not d.ok and mode == "send"})
    counts, summary = delivery.tally(results)
    console.print(f"Kết quả: {summary or 'không có thư nào'}.", markup=False, soft_wrap=True)
    drafts = sorted({str(d.eml.parent) for d in results if d.eml is not None and mode == "draft"})
    if drafts:
        console.print(f"Thư nháp (.eml, mở bằng Outlook/Thunderbird rồi bấm Gửi) trong: {', '.join(drafts)}",
                      markup=False, soft_wrap=True)
    if kept:
        err.print(f"Thư chưa gửi được đã lưu (.eml) trong: {', '.join(kept)}", markup=False, soft_wrap=True)
    code = 1 if bad else 0
    outputs = [d.eml for d in results if d.eml is not None]
    _audit("email", [p for p in (docs, units) if p is not None], outputs, counts, code, folder=base)
    raise typer.Exit(code)
