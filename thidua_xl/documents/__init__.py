"""Word documents of the Sở: báo cáo tổng kết, công văn phát động, quyết định, tờ trình, biên bản."""
from .render import KINDS, render_docx, render_reports, split_lists

__all__ = ["KINDS", "render_reports", "render_docx", "split_lists"]
