"""Step 6, deliver: the year's files to the province and to the units, as drafts or by SMTP.

The sending itself is the mail adapter's; the command line, the ribbon and the demo reach it
through here, so no adapter imports another. `tally` says in Vietnamese what a run of messages did.
"""
from __future__ import annotations

from pathlib import Path


def draft_options(draft_dir: str | Path, sender: str = "") -> dict:
    """What `thidua email … --draft DIR` passes when no other option is given."""
    return dict(mode="draft", smtp=None, sender=sender, subject=None, draft_dir=draft_dir, unsent_dir=None,
                year=None, max_size=10 * 1024 * 1024, templates=None, on_result=None)


def defaults(master: str | Path | None):
    """What the master's `Cấu hình` says about mail (server, security, account, recipients)."""
    from .. import mail

    return mail.mail_defaults(master)


def smtp_settings(**settings):
    from .. import mail

    return mail.SmtpSettings(**settings)


def send_documents(docs: str | Path, recipients=None, **options) -> list:
    """One message per recipient with the documents of `docs` attached (see mail.send_documents)."""
    from .. import mail

    return mail.send_documents(docs, recipients, **options)


def send_unit_files(master: str | Path, split_dir: str | Path, **options) -> list:
    """Each unit its own file (split, or feedback) at the unit's address in `Đơn vị`."""
    from .. import mail

    return mail.send_unit_files(master, split_dir, **options)


def tally(results) -> tuple[dict[str, int], str]:
    """(count per status, 'n đã gửi, m lỗi' in Vietnamese) of a run of messages."""
    from .. import mail

    counts = {s: sum(d.status == s for d in results)
              for s in (mail.SENT, mail.DRAFT, mail.REFUSED, mail.FAILED, mail.SKIPPED)}
    return counts, ", ".join(f"{n} {mail.STATUS_VN[s]}" for s, n in counts.items() if n)


def feedback_recipients(folder: Path, master: Path | None, only=None):
    """The master and the unit codes of a feedback folder (its `phan-hoi.json`, or --units MASTER)."""
    import json

    from ..errors import UserError
    from ..feedback import INDEX_FILE

    index = folder / INDEX_FILE
    if not folder.is_dir():
        raise UserError(f"Không tìm thấy thư mục phản hồi “{folder}”.")
    data = json.loads(index.read_text(encoding="utf-8")) if index.is_file() else {}
    if master is None and data.get("master"):
        master = Path(data["master"])
    if master is None:
        raise UserError("Cần --units TỆP_TỔNG_HỢP để biết email của các đơn vị (thư mục phản hồi được lập từ "
                        "tệp đơn vị, không từ tệp tổng hợp).")
    codes = [u["unit_code"] for u in data.get("units", [])] or \
        [p.stem for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith("~$")]
    if only:
        codes = [c for c in codes if c in only]
    if not codes:
        raise UserError(f"Thư mục “{folder}” không có tệp phản hồi nào để gửi.")
    return master, folder, codes
