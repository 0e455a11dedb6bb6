"""`python -m thidua_xl.devtools.word_templates [DIR]`: rebuild the Word templates."""
import sys
from pathlib import Path

from .blocks import TEMPLATE_DIR
from .documents import build_all

if __name__ == "__main__":  # pragma: no cover
    for p in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE_DIR):
        print(p)
