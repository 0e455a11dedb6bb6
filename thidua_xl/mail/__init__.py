"""Email delivery: the documents to the province, each unit its own file — sent or left as drafts.

Nothing is lost: every message that is not accepted by the server is kept as an .eml (which
Outlook and Thunderbird open as a draft) in a folder the result names, and every message gets
a line in a JSON-lines run log. The CLI (`thidua email`) and the Excel button call
`send_documents` / `send_unit_files`; the pipeline calls the plain-data forms (`send_to_units`
with an `Intake`, `defaults_from` with a `Config`).

  records   settings, attachments, outgoing messages, outcomes
  messages  templates, attachments, the split into parts, .eml drafts
  smtp      one SMTP session per run, TLS, login, retries, the run log
  jobs      the two jobs, from a master path or from plain data
"""
from __future__ import annotations

from .jobs import MailDefaults, defaults_from, mail_defaults, read_master, send_documents, send_to_units, \
    send_unit_files
from .messages import PACKAGE_TEMPLATES, build_messages, collect_attachments, is_internal, read_attachment, \
    render_templates, write_eml
from .records import DEFAULT_MAX_SIZE, DOC_SUFFIXES, DRAFT, DRAFT_DIR, FAILED, LOG_NAME, MIME_TYPES, REFUSED, \
    SENT, SKIPPED, STATUS_VN, UNIT_SUFFIXES, UNSENT_DIR, Attachment, Delivery, Outgoing, SmtpSettings
from .smtp import deliver

__all__ = [
    "SmtpSettings", "Delivery", "Attachment", "Outgoing", "DEFAULT_MAX_SIZE", "MailDefaults",
    "send_documents", "send_unit_files", "mail_defaults", "deliver", "collect_attachments",
    "build_messages", "render_templates", "LOG_NAME", "UNSENT_DIR", "DRAFT_DIR",
    "send_to_units", "defaults_from", "read_master", "is_internal", "PACKAGE_TEMPLATES",
    "SENT", "REFUSED", "FAILED", "DRAFT", "SKIPPED", "STATUS_VN", "DOC_SUFFIXES", "UNIT_SUFFIXES", "MIME_TYPES",
]
