"""Click to source: a character's offset in its article file (carried from the composer through the
display list into the page's SVG) as the FILE:LINE:COL an editor opens."""
from __future__ import annotations

from pathlib import Path


def line_col(path: Path, offset: int) -> tuple | None:
    """(line, column, character) of character `offset` of the file as layout reads it (line ends made
    \\n, a byte-order mark dropped), both counted from 1 in characters; None when past its end."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not 0 <= offset < len(text):
        return None
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1, text[offset]
