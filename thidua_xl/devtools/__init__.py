"""Developer build tools: the Word templates, the macro-enabled workbook and its VBA project.

They build files the repository ships (thidua_xl/documents/templates/*.docx, workbooks/ThiDua.xlsm)
from sources only a clone holds (macros/). Runtime modules never import them; `thidua
build-workbook` does, lazily, and says in Vietnamese that it needs the source tree when it is
run from an installed package. Not part of the wheel.
"""
