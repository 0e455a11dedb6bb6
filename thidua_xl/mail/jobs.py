"""The two jobs: the documents to the province, each unit its own file (or a reminder, or its feedback).

Each job has a plain-data form (`send_to_units` takes an `Intake`, `defaults_from` a `Config`) that the
pipeline calls, and the path form the CLI and the Excel button use, which reads the master once.
"""
from __future__ import annotations

import datetime as dt
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from ..errors import UserError
from ..text import clean, date_text, fold, nfc
from .messages import build_messages, collect_attachments, is_internal, read_attachment, render_templates
from .records import DEFAULT_MAX_SIZE, DRAFT_DIR, LOG_NAME, SKIPPED, UNIT_SUFFIXES, UNSENT_DIR, Delivery, \
    Outgoing, SmtpSettings
from .smtp import deliver, log_delivery

_EMAIL = re.compile(r"^[^@\s<>;,]+@[^@\s<>;,]+\.[^@\s<>;,]+$")

# --- defaults from the master ------------------------------------------------------
@dataclass
class MailDefaults:
    """What the master's `Cấu hình` sheet says (empty strings when it says nothing)."""

    sender: str = ""
    recipients: list[str] = field(default_factory=list)
    host: str = ""
    port: int | None = None
    security: str = ""
    user: str = ""
    year: int | None = None
    context: dict = field(default_factory=dict)  # template variables (co_quan, tinh, ...)


def _security(value: str) -> str:
    v = fold(value)
    if v in ("ssl", "tls", "smtps", "ssl tls"):
        return "ssl"
    if v in ("starttls", "start tls"):
        return "starttls"
    if v in ("khong", "none", "no", "0", "plain"):
        return "none"
    return ""


_BASE_CONTEXT = {"co_quan": "Sở Y tế", "co_quan_chu_quan": "", "tinh": "", "viet_tat": "", "han_nop": ""}


def defaults_from(config, year: int | None = None) -> MailDefaults:
    """Sender, recipients and SMTP settings (never a password) from the `Cấu hình` sheet's `Config`
    (or its folded label → value dict, as `Intake.config` holds it)."""
    from ..config import Config

    cfg = config if isinstance(config, Config) else Config.from_kv(dict(config or {}))
    raw = cfg.values  # only what the sheet states, so CLI defaults are not masked by built-in ones
    port = None
    if clean(raw.get("smtp_port", "")):
        try:
            port = int(float(clean(raw["smtp_port"])))
        except ValueError:
            raise UserError(f"Cổng SMTP trong trang Cấu hình không hợp lệ: “{raw['smtp_port']}”.") from None
    ctx = dict(_BASE_CONTEXT)
    ctx.update(co_quan=_sentence_case(cfg.get("co_quan_ban_hanh")), co_quan_chu_quan=cfg.get("co_quan_chu_quan"),
               tinh=cfg.get("tinh"), viet_tat=cfg.get("viet_tat_co_quan"), han_nop=cfg.get("han_nop"))
    return MailDefaults(
        sender=clean(raw.get("email_gui", "")),
        recipients=_split_addresses(cfg.get("email_nhan_bao_cao")),
        host=clean(raw.get("smtp_host", "")), port=port,
        security=_security(raw.get("smtp_bao_mat", "")),
        user=clean(raw.get("smtp_user", "")), year=year, context=ctx,
    )


def mail_defaults(master: str | Path | None) -> MailDefaults:
    """`defaults_from` the master's config sheet; built-in defaults when there is no master."""
    if master is None:
        return MailDefaults(context=dict(_BASE_CONTEXT))
    intake = read_master(master)
    return defaults_from(intake.config, intake.year)


def _sentence_case(name: str) -> str:
    """"SỞ Y TẾ" (as the letterhead writes it) → "Sở Y tế" (as a sentence does)."""
    text = clean(name)
    if not text or text != text.upper():
        return text
    text = text[0] + text[1:].lower()
    return re.sub(r"\by tế\b", "Y tế", text)


_MASTER_CACHE: dict[tuple, object] = {}


def read_master(master: str | Path):
    """The master's intake, read once per run even when defaults and units both need it."""
    from ..intake import read_paths

    path = Path(master)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp tổng hợp “{path}”.")
    st = path.stat()
    key = (str(path.resolve()), st.st_mtime_ns, st.st_size)
    if key in _MASTER_CACHE:
        return _MASTER_CACHE[key]
    intake = read_paths([path])
    if intake.bad_files:
        raise UserError(" ".join(f.message for f in intake.findings if f.code == "BAD_FILE"))
    _MASTER_CACHE.clear()
    _MASTER_CACHE[key] = intake
    return intake


def _split_addresses(text: str) -> list[str]:
    return [a for a in (clean(x) for x in re.split(r"[;,\s]+", nfc(text))) if a]


# --- the two jobs --------------------------------------------------------------------
def _check_address(addr: str) -> bool:
    return bool(_EMAIL.match(addr)) and addr.isascii()


def _sender(given: str, defaults: MailDefaults, mode: str) -> str:
    """--from, else the config sheet's; required (and checked) before anything is built or sent."""
    sender = clean(given) or defaults.sender
    if sender and not _check_address(sender):
        raise UserError(f"Địa chỉ người gửi không hợp lệ: “{sender}”.")
    if mode == "send" and not sender:
        raise UserError("Cần địa chỉ người gửi (--from, hoặc “Email người gửi” trong trang Cấu hình).")
    return sender


def _context(defaults: MailDefaults, year: int | None, **extra) -> dict:
    y = year or defaults.year or (dt.date.today().year - 1)
    return {**defaults.context, "nam": y, "ngay": date_text(dt.date.today()), **extra}


def _folders(mode: str, base: Path, draft_dir, unsent_dir) -> tuple[Path | None, Path, Path]:
    drafts = Path(draft_dir) if draft_dir is not None else base / DRAFT_DIR
    unsent = Path(unsent_dir) if unsent_dir is not None else base / UNSENT_DIR
    log_folder = drafts if mode == "draft" else base
    return (drafts if mode == "draft" else None), unsent, log_folder / LOG_NAME


def send_documents(docs_dir: str | Path, recipients: Sequence[str] | None = None, *, mode: str = "draft",
                   smtp: SmtpSettings | None = None, sender: str = "", subject: str | None = None,
                   draft_dir: str | Path | None = None, unsent_dir: str | Path | None = None,
                   master: str | Path | None = None, year: int | None = None,
                   max_size: int | None = DEFAULT_MAX_SIZE, templates: str | Path | None = None,
                   on_result: Callable[[Delivery], None] | None = None,
                   sleep: Callable[[float], None] = time.sleep, everything: bool = False,
                   defaults: MailDefaults | None = None) -> list[Delivery]:
    """One message per recipient with every .docx/.pdf/.xlsx of docs_dir attached, except (unless
    everything) the Sở's internal documents the tool wrote there (see is_internal).

    recipients/sender default to `defaults` (else those of the master's `Cấu hình` sheet); drafts go
    to draft_dir (default `<docs_dir>/ban-nhap`), unsent messages to unsent_dir (default
    `<docs_dir>/chua-gui`).
    """
    docs_dir = Path(docs_dir)
    if defaults is None:
        defaults = mail_defaults(master)
    from email.utils import parseaddr

    typed = [clean(r) for r in (recipients or defaults.recipients) if clean(r)]
    rcpts = {}  # address -> display name; "Sở Nội vụ <snv@…>" is accepted too
    for r in typed:
        name, addr = parseaddr(r)
        rcpts.setdefault(addr or r, name)
    if not rcpts:
        raise UserError("Chưa có người nhận: dùng --to ĐỊA_CHỈ (hoặc điền “Email nhận văn bản” trong trang Cấu hình).")
    bad = [r for r in rcpts if not _check_address(r)]
    if bad:
        raise UserError("Địa chỉ email không hợp lệ: " + ", ".join(f"“{b}”" for b in bad) + ".")
    sender = _sender(sender, defaults, mode)
    atts = collect_attachments(docs_dir)
    if not everything:
        atts = [a for a in atts if not is_internal(a.name)]
    if not atts:
        raise UserError(f"Thư mục “{docs_dir}” không có tệp .docx, .pdf hay .xlsx nào để gửi.")
    ctx = _context(defaults, year, tep=[a.name for a in atts], so_tep=len(atts))
    subj, body = render_templates("van-ban", ctx, templates)
    subj = clean(subject) or subj
    outgoing = []
    for r, name in rcpts.items():
        outgoing += build_messages(r, atts, subj, body, sender=sender, name=name, max_size=max_size)
    too_big = [o for o in outgoing if o.error]
    if too_big:
        raise UserError(f"Không gửi: {too_big[0].error}.")
    drafts, unsent, log = _folders(mode, docs_dir, draft_dir, unsent_dir)
    return deliver(outgoing, mode=mode, smtp=smtp, sender=sender, draft_dir=drafts, unsent_dir=unsent,
                   log_path=log, on_result=on_result, sleep=sleep)


def send_unit_files(master: str | Path, split_dir: str | Path, **options) -> list[Delivery]:
    """`send_to_units` for the units of a master workbook, read once (the CLI and the Excel button)."""
    if options.get("attach", True) and not Path(split_dir).is_dir():
        raise UserError(f"Không tìm thấy thư mục tệp đơn vị “{split_dir}”.")
    intake = read_master(master)
    return send_to_units(intake, split_dir, master_name=Path(master).name, **options)


def send_to_units(intake, split_dir: str | Path, *, mode: str = "draft",
                  smtp: SmtpSettings | None = None, sender: str = "", subject: str | None = None,
                  draft_dir: str | Path | None = None, unsent_dir: str | Path | None = None,
                  year: int | None = None, max_size: int | None = DEFAULT_MAX_SIZE,
                  templates: str | Path | None = None, units: Sequence[str] | None = None,
                  on_result: Callable[[Delivery], None] | None = None,
                  sleep: Callable[[float], None] = time.sleep, kind: str = "don-vi", attach: bool = True,
                  extra: dict | None = None, defaults: MailDefaults | None = None,
                  master_name: str = "") -> list[Delivery]:
    """Each unit of the intake's `Đơn vị` sheet gets `<Mã đơn vị>.xlsx` of split_dir at its email.

    A unit with no email, a bad one or no file is a `skipped` Delivery (listed, never silent).
    Several addresses in a unit's Email cell (separated by ; or ,) each get their own message.
    `units` limits the run to those unit codes. `kind` names the templates (`don-vi`: the file to
    fill, `phan-hoi`: what to fix, `nhac-nop`: a reminder, sent with `attach=False`); `extra` adds
    template variables (the deadline of a reminder). `defaults` default to the intake's `Cấu hình`.
    """
    from ..names import unit_file_name

    split_dir = Path(split_dir)
    if attach and not split_dir.is_dir():
        raise UserError(f"Không tìm thấy thư mục tệp đơn vị “{split_dir}”.")
    if defaults is None:
        defaults = defaults_from(intake.config, intake.year)
    if intake.units.empty:
        where = f"Tệp “{master_name}”" if master_name else "Tệp tổng hợp"
        raise UserError(f"{where} không có trang “Đơn vị” với danh sách đơn vị.")
    sender = _sender(sender, defaults, mode)
    files = {}
    for p in sorted(split_dir.iterdir() if attach else [],
                    key=lambda p: (p.name.lower() != p.stem.lower() + ".xlsx", p.name)):
        if p.is_file() and p.suffix.lower() in UNIT_SUFFIXES and not p.name.startswith("~$"):
            files.setdefault(nfc(p.stem).casefold(), p)
    wanted = {nfc(clean(u)).casefold(): clean(u) for u in units} if units else None
    drafts, unsent, log = _folders(mode, split_dir, draft_dir, unsent_dir)
    pre: list[Delivery] = []
    outgoing: list[Outgoing] = []
    for code, name, email in zip(intake.units["unit_code"], intake.units["unit"], intake.units["email"]):
        code, name = clean(code), clean(name)
        if wanted is not None and nfc(code).casefold() not in wanted:
            continue
        addrs = _split_addresses(email or "")
        path = files.get(nfc(Path(unit_file_name(code)).stem).casefold()) or files.get(nfc(code).casefold())
        problem = ""
        if not addrs:
            problem = "đơn vị chưa có email trong trang Đơn vị"
        elif [a for a in addrs if not _check_address(a)]:
            problem = "email không hợp lệ: " + ", ".join(a for a in addrs if not _check_address(a))
        if path is None and attach:
            problem = (problem + "; " if problem else "") + f"không có tệp {unit_file_name(code)} trong {split_dir}"
        if problem:
            pre.append(Delivery(", ".join(addrs), SKIPPED, problem, unit_code=code, unit=name))
            continue
        atts = [read_attachment(path)] if attach else []
        ctx = _context(defaults, year, don_vi=name, ma_don_vi=code, tep=[a.name for a in atts], so_tep=len(atts),
                       **(extra or {}))
        subj, body = render_templates(kind, ctx, templates)
        subj = clean(subject) or subj
        for a in addrs:
            outgoing += build_messages(a, atts, subj, body, sender=sender, name=name, unit_code=code,
                                       max_size=max_size)
    if wanted is not None:
        known = {nfc(clean(c)).casefold() for c in intake.units["unit_code"]}
        for key, u in wanted.items():
            if key not in known:
                pre.append(Delivery("", SKIPPED, "không có đơn vị mã này trong trang Đơn vị", unit_code=u, unit=u))
    run_id = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for d in pre:
        log_delivery(log, run_id, mode, d, None)
        if on_result:
            on_result(d)
    return pre + deliver(outgoing, mode=mode, smtp=smtp, sender=sender, draft_dir=drafts, unsent_dir=unsent,
                         log_path=log, on_result=on_result, sleep=sleep)

